internal import GRDB
import Synchronization

/// Applying migrations, and checking that a store holds every table, column and
/// index its migrations made.
extension StoreSchema {
    /// GRDB's record of the migrations applied (kept so that stores written before stay readable).
    static let bookkeepingTable = "grdb_migrations"

    typealias Migration = (identifier: String, apply: @Sendable (Database) throws -> Void)

    /// Applies `migrations` inside the caller's transaction and records each, so that they land
    /// together or not at all: a first ingest killed at any moment leaves a whole store or none.
    static func apply(_ migrations: [Migration], _ db: Database) throws {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS \(bookkeepingTable) (identifier TEXT NOT NULL PRIMARY KEY)")
        for migration in migrations {
            try migration.apply(db)
            try db.execute(sql: "INSERT INTO \(bookkeepingTable) (identifier) VALUES (?)", arguments: [migration.identifier])
        }
    }

    /// The tables (with their columns) and indexes a schema has.
    struct Shape: Sendable, Equatable {
        var tables: [String: [String]] = [:]
        var indexes: Set<String> = []

        init(_ db: Database) throws {
            for table in try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '\(bookkeepingTable)'
                """) {
                tables[table] = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table])
            }
            indexes = try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        }
    }

    /// The shape the migrations applied to a store give, by their identifiers: worked out once
    /// per process, on an in-memory database, so that a migration added to the list is checked
    /// without anyone writing its tables down twice.
    private static let expectedShapes = Mutex<[[String]: Shape]>([:])

    static func expectedShape(applied: [String]) throws -> Shape {
        if let known = expectedShapes.withLock({ $0[applied] }) { return known }
        let queue = try DatabaseQueue()
        let shape = try queue.write { db in
            for migration in migrations where applied.contains(migration.identifier) { try migration.apply(db) }
            return try Shape(db)
        }
        expectedShapes.withLock { $0[applied] = shape }
        return shape
    }

    /// What the store in `db` lacks of the schema its applied migrations made: "missing table
    /// reports", "missing index items_open", "table items lacks column status". Empty when whole.
    static func problems(_ db: Database) throws -> [String] {
        let applied = try migrator().appliedIdentifiers(db)
        let expected = try expectedShape(applied: migrations.map(\.identifier).filter { applied.contains($0) })
        let actual = try Shape(db)
        var problems: [String] = []
        for (table, columns) in expected.tables.sorted(by: { $0.key < $1.key }) {
            guard let present = actual.tables[table] else {
                problems.append("missing table \(table)")
                continue
            }
            let lacking = columns.filter { !present.contains($0) }
            if !lacking.isEmpty { problems.append("table \(table) lacks column\(lacking.count == 1 ? "" : "s") \(lacking.joined(separator: ", "))") }
        }
        for index in expected.indexes.subtracting(actual.indexes).sorted() {
            problems.append("missing index \(index)")
        }
        return problems
    }
}
