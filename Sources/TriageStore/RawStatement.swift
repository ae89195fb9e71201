internal import GRDB
internal import GRDBSQLite
#if canImport(Glibc)
import Glibc
#endif

/// A statement from GRDB's statement cache, bound and stepped with SQLite's own
/// calls: the ingest loop runs a few statements millions of times, and building
/// `StatementArguments` (an array of existentials) for each costs more than the
/// insert itself; stats read a million rows, and the escalation list tens of thousands
/// of wide ones, where GRDB's cursors cost more than SQLite's stepping.
struct RawStatement {
    /// Kept so that GRDB does not finalize the handle while it is in use.
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?

    init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    // MARK: - Binding (1-based, as SQLite counts)

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                // A null pointer would bind NULL; an empty string is not NULL.
                sqlite3_bind_text(handle, index, "", 0, nil)
                return
            }
            // SQLITE_TRANSIENT: SQLite copies the bytes, which live only for this call.
            sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                              Int32(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
    }

    // MARK: - Running

    /// Runs the statement to completion (an insert or update); returns the rows it changed.
    @discardableResult
    func run() throws -> Int {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw failure(code) }
        return Int(sqlite3_changes(connection))
    }

    /// Steps a query and returns its first row's first two integer columns, if it has a row.
    func firstRow() throws -> (Int64, Int64)? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else { throw failure(code) }
        return (sqlite3_column_int64(handle, 0), sqlite3_column_int64(handle, 1))
    }

    /// Steps a query to its end, calling `body` at each row; `body` reads the row with `integer(_:)`.
    /// Stats read a million rows this way: no `Row`, no `DatabaseValue`, no allocation per row.
    func forEachRow(_ body: () throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(code) }
            try body()
        }
    }

    /// The current row's column (0-based) as an integer; NULL reads as 0.
    func integer(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// The current row's column as an integer, nil for NULL.
    func optionalInteger(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    /// The current row's column as text, nil for NULL; read up to a NUL byte, as GRDB reads text.
    func text(_ column: Int32) -> String? {
        sqlite3_column_text(handle, column).map { String(cString: $0) }
    }

    /// The bytes `text(_:)` would decode, lent until the next step.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        sqlite3_column_text(handle, column).map { UnsafeBufferPointer(start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))) }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: String(cString: sqlite3_sql(handle)))
    }
}
