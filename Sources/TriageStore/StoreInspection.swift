internal import GRDB

/// Plain SQL on the store, for tests and for a person debugging at a prompt;
/// the commands never use it. Values come back as text (`nil` for NULL), so
/// callers need no SQLite types.
extension CaseStore {
    /// The rows `sql` returns, each as its columns' text.
    func rows(_ sql: String) throws -> [[String?]] {
        try pool.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                row.databaseValues.map { value in
                    switch value.storage {
                    case .null: nil
                    case .int64(let number): String(number)
                    case .double(let number): String(number)
                    case .string(let text): text
                    case .blob(let data): "<\(data.count) bytes>"
                    }
                }
            }
        }
    }

    /// The first column of the first row of `sql` as an integer (0 when there is none).
    func integer(_ sql: String) throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: sql) ?? 0 }
    }

    /// Runs statements that change the store, each in its own transaction (tests set clocks
    /// back, forge old states, and switch foreign keys off to break the store on purpose).
    func execute(_ sql: String) throws {
        try pool.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    /// Writes a new store at `path` with only the migrations up to `last`, as an older
    /// urltriage would have left it, and runs `fill` on it.
    static func writeOlderStore(path: String, through last: String, fill: String) throws {
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator(through: last).migrate(queue)
        try queue.write { db in try db.execute(sql: fill) }
        try queue.close()
    }
}

extension CaseStore {
    /// Writes an SQLite database that is not a store (another program's), for tests of refusal.
    static func writeForeignDatabase(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)") }
        try queue.close()
    }
}

extension CaseStore {
    /// Writes what urltriage left before the schema was created in one transaction, when killed between GRDB's bookkeeping table and
    /// the first migration: a WAL-mode file holding only an empty `grdb_migrations`.
    static func writeHalfCreatedStore(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        }
        try queue.close()
    }

    /// Creates a store at `path` as `CaseStore.init` does, in one transaction, but with
    /// `migrations` instead of the real list (tests make one fail).
    static func createForTest(path: String, migrations: [StoreSchema.Migration]) throws {
        let pool = try DatabasePool(path: path)
        defer { try? pool.close() }
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try StoreSchema.apply(migrations, db)
                return .commit
            }
        }
    }

    /// The tables in the SQLite file at `path` (read-only).
    static func tableNames(path: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        }
    }
}
