import Foundation
internal import GRDB

/// The case store: one SQLite file in WAL mode holding every report, item,
/// check, escalation and status change.
///
/// Readers never block the writer (WAL), so `stats` and `db backup` run while
/// an ingest or a recheck writes. Opening a store made by an older urltriage
/// migrates it in place; a newer or foreign file is refused, never rebuilt.
public final class CaseStore: Sendable {
    /// The environment variable that names the store when `--db` is not given.
    public static let environmentVariable = "URLTRIAGE_DB"
    /// The store used when neither `--db` nor `$URLTRIAGE_DB` names one.
    public static let defaultFileName = "urltriage.sqlite"

    /// The store's file, as given.
    public let path: String
    /// SQLite's page cache per connection: 64 MiB (negative: KiB).
    /// How much of the store file reads may map into memory (1 GiB of address
    /// space, not of memory): candidates and removals sit all over a large
    /// file, and mapped pages are read without a system call and a copy each.
    static let readMapSize = 1 << 30
    static let cacheSize = -65536

    /// Migrations this open applied (empty when the store was already up to date or new).
    public let appliedMigrations: [String]
    /// True when this open created the file.
    public let created: Bool
    let pool: DatabasePool

    /// `explicit` if given; else `$URLTRIAGE_DB`; else `./urltriage.sqlite`.
    public static func locate(explicit: String?, environment: [String: String]? = nil) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let named = environment[environmentVariable], !named.isEmpty { return named }
        return defaultFileName
    }

    // MARK: - Opening

    /// Opens the store at `path`, creating it when `create` is true, and brings its schema up to date.
    ///
    /// Throws `StoreError` when the file is missing (and `create` is false), is not a urltriage
    /// store, or was written by a newer urltriage.
    ///
    /// - Parameter mapsForReads: whether reads map the store file (`readMapSize`). A
    ///   command that mostly writes (`ingest`) passes false: every page it writes would be
    ///   read back through the mapping and stay counted in its memory, 140 MiB more for an
    ///   ingest of 1,000,000 lines, for no gain.
    public init(path: String, create: Bool = false, readOnly: Bool = false, verifiesSchema: Bool = true,
                busyTimeoutSeconds: Double = 30, mapsForReads: Bool = true) throws(StoreError) {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        guard exists || create else {
            throw StoreError(.missing, path: path,
                             "no case store here; run `urltriage ingest FILE --db \(path)` to create one, or name another with --db or $\(Self.environmentVariable)")
        }
        if !exists {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
                throw StoreError(.file, path: path, "the directory \(directory) does not exist; create it or choose another --db path")
            }
        }
        if exists {
            // Read-only first: opening a pool would switch another program's database to WAL
            // mode, and writes a little even to a store it then refuses.
            try Self.inspect(path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        configuration.prepareDatabase { db in
            // Takes effect only when the file is new, before WAL mode: 16 KiB pages mean a quarter
            // of the WAL frames and page splits of 4 KiB ones for a large ingest.
            try db.execute(sql: "PRAGMA page_size = 16384")
            // NORMAL is durable against a killed process in WAL mode; only a power cut can lose
            // the last commits, and it cannot corrupt the file.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = \(Self.cacheSize)")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Took a third off `escalate` over 1,000,000 items.
            if mapsForReads { try db.execute(sql: "PRAGMA mmap_size = \(Self.readMapSize)") }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw Self.openError(error, path: path)
        }
        created = !exists
        do {
            appliedMigrations = try Self.migrate(pool, path: path)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.openError(error, path: path)
        }
    }

    /// Refuses a file that is not a store, or a store from a newer urltriage, without writing to it.
    private static func inspect(path: String, busyTimeoutSeconds: Double) throws(StoreError) {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            _ = try queue.read { db in try check(db, path: path, migrator: StoreSchema.migrator()) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw openError(error, path: path)
        }
    }

    /// Checks that the file is ours and applies the migrations it lacks; returns their identifiers.
    private static func migrate(_ pool: DatabasePool, path: String) throws -> [String] {
        let migrator = StoreSchema.migrator()
        let pending = try pool.read { db in try check(db, path: path, migrator: migrator) }
        guard !pending.isEmpty else { return [] }
        try migrator.migrate(pool)
        return pending
    }

    /// Throws unless `db` is an empty file or a store this urltriage knows; returns the migrations it lacks.
    private static func check(_ db: Database, path: String, migrator: DatabaseMigrator) throws -> [String] {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        if applicationID != StoreSchema.applicationID && (applicationID != 0 || !tables.isEmpty) {
            let shown = tables.prefix(8).joined(separator: ", ")
            throw StoreError(.notAStore, path: path,
                             "this SQLite file is not a urltriage case store (tables: \(shown.isEmpty ? "none" : shown)); "
                             + "name the store with --db, or move this file away")
        }
        if try migrator.hasBeenSuperseded(db) {
            let known = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
            throw StoreError(.newerSchema, path: path,
                             "this store was written by a newer urltriage (schema \(known.joined(separator: ", ")); "
                             + "this one knows up to \(StoreSchema.latest)); use that version or newer; the store was not changed")
        }
        let applied = try migrator.appliedIdentifiers(db)
        return migrator.migrations.filter { !applied.contains($0) }
    }

    private static func openError(_ error: any Error, path: String) -> StoreError {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_NOTADB {
            return StoreError(.notAStore, path: path, "this file is not an SQLite database; name the store with --db, or move this file away")
        }
        return StoreError(.database, path: path, "cannot open the store: \(Self.describe(error))")
    }

    // MARK: - Helpers

    /// An SQLite error as a sentence, without GRDB's SQL echo.
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        if let error = error as? StoreError { return error.message }
        return "\(error)"
    }

    /// Wraps a failure of a store operation as a `StoreError` naming this store.
    func failure(_ error: any Error, doing what: String) -> StoreError {
        if let error = error as? StoreError { return error }
        return StoreError(.database, path: path, "\(what) failed: \(Self.describe(error))")
    }

    /// Closes the store's connections (tests reopen files; the process otherwise closes them on exit).
    public func close() throws {
        try pool.close()
    }
}
