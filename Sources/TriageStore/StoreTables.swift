internal import GRDB

/// One value of a stored row: every column of the store is an integer or text.
public enum StoreValue: Sendable, Equatable {
    case integer(Int64)
    case text(String)
    case null
}

/// A store's tables row by row, for `urltriage db copy`: whatever the kind of store, every
/// table is read in key order, a chunk of rows at a time, and written into an empty store.
public protocol StoreTables: CaseStoreBackend {
    /// The columns of each table the store has.
    func tableColumns() async throws -> [String: [String]]
    /// True when the store holds no cases and no accounts.
    func holdsNothing() async throws -> Bool
    /// Calls `each` with the rows of `table` (the `columns` given), in key order, `chunk` rows at a time.
    func readRows(_ table: String, columns: [String], chunk: Int,
                  _ each: ([[StoreValue]]) async throws -> Void) async throws
    /// Writes rows into `table`, as they are (ids included).
    func writeRows(_ table: String, columns: [String], _ rows: [[StoreValue]]) async throws
    /// Called before the first row is written.
    func beginCopy() async throws
    /// Called once every table is copied (PostgreSQL moves its id sequences past the copied ids).
    func finishCopy() async throws
}

/// The tables a copy moves, parents before children, and the columns that order each.
public enum StoreCopyPlan {
    public static let tables: [(name: String, key: [String])] = [
        ("sources", ["id"]), ("batches", ["id"]), ("users", ["id"]), ("web_sessions", ["token_sha256"]),
        ("items", ["id"]), ("reports", ["id"]), ("ingest_problems", ["source_id", "line", "position"]),
        ("item_reporters", ["item_id", "who"]), ("recheck_runs", ["id"]), ("checks", ["id"]), ("escalations", ["id"]),
        ("transitions", ["id"]), ("notes", ["id"]), ("workers", ["name"]),
    ]
}

extension CaseStore: StoreTables {
    public func tableColumns() async throws -> [String: [String]] {
        try await pool.read { db in
            var tables: [String: [String]] = [:]
            for (name, _) in StoreCopyPlan.tables where try db.tableExists(name) {
                tables[name] = try db.columns(in: name).map(\.name)
            }
            return tables
        }
    }

    public func holdsNothing() async throws -> Bool {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM sources) + (SELECT count(*) FROM items) + (SELECT count(*) FROM users)") == 0
        }
    }

    public func readRows(_ table: String, columns: [String], chunk: Int,
                         _ each: ([[StoreValue]]) async throws -> Void) async throws {
        let key = StoreCopyPlan.tables.first { $0.name == table }?.key ?? ["rowid"]
        let sql = "SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY \(key.joined(separator: ", ")) LIMIT ? OFFSET ?"
        var offset = 0
        while true {
            let start = offset
            let rows: [[StoreValue]] = try await pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: [chunk, start]).map { row in
                    (0..<columns.count).map { index in
                        switch row[index] as DatabaseValue {
                        case let value where value.isNull: return .null
                        case let value:
                            if let integer = Int64.fromDatabaseValue(value), case .int64 = value.storage { return .integer(integer) }
                            return .text(String.fromDatabaseValue(value) ?? "\(value)")
                        }
                    }
                }
            }
            if rows.isEmpty { return }
            try await each(rows)
            offset += rows.count
            if rows.count < chunk { return }
        }
    }

    public func writeRows(_ table: String, columns: [String], _ rows: [[StoreValue]]) async throws {
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        // Unchecked row by row: a merged short link may point at an item with a higher id, in a
        // later chunk; `db check` verifies every reference afterwards.
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            try db.inTransaction {
            let statement = try db.makeStatement(sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(marks))")
            for row in rows {
                try statement.execute(arguments: StatementArguments(row.map { value -> (any DatabaseValueConvertible)? in
                    switch value {
                    case .integer(let integer): return integer
                    case .text(let text): return text
                    case .null: return nil
                    }
                }))
            }
            return .commit
            }
        }
    }

    public func beginCopy() async throws {}
    public func finishCopy() async throws {}
}
