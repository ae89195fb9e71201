import Foundation
internal import GRDB

/// The case store: one SQLite file in WAL mode holding every report, item,
/// check, escalation and status change.
///
/// Readers never block the writer (WAL), so `stats` and `db backup` run while
/// an ingest or a recheck writes. Opening a store made by an older urltriage
/// migrates it in place; a newer or foreign file is refused, never rebuilt, and
/// so is a damaged one (truncated, or missing a table or index).
public final class CaseStore: Sendable {
    /// The environment variable that names the store when `--db` is not given.
    public static let environmentVariable = "URLTRIAGE_DB"
    /// The store used when neither `--db` nor `$URLTRIAGE_DB` names one.
    public static let defaultFileName = "urltriage.sqlite"

    /// The store's file, as given.
    public let path: String
    /// How much of the store file reads may map into memory (1 GiB of address
    /// space, not of memory): candidates and removals sit all over a large
    /// file, and mapped pages are read without a system call and a copy each.
    static let readMapSize = 1 << 30
    /// SQLite's page cache per connection, in KiB, unless the opener asks for another: 64 MiB.
    public static let defaultCacheKiB = 65536

    /// Migrations this open applied (empty when the store was already up to date).
    public let appliedMigrations: [String]
    /// True when this open created the store: a new file, or one whose creation had been cut short.
    public let created: Bool
    /// True when the file existed but held no store yet (an empty file, or a first ingest
    /// killed before its schema was written) and this open finished creating it.
    public let finishedCreation: Bool
    /// True when the store was opened read-only.
    public let readOnly: Bool
    let pool: DatabasePool

    /// `explicit` if given; else `$URLTRIAGE_DB`; else `./urltriage.sqlite`.
    public static func locate(explicit: String?, environment: [String: String]? = nil) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let named = environment[environmentVariable], !named.isEmpty { return named }
        return defaultFileName
    }

    // MARK: - Opening

    /// Opens the store at `path` and brings its schema up to date.
    ///
    /// Only `create` (what `ingest` passes) makes a store: at a path where no file is, or in
    /// an empty file or a half-created store that a killed first ingest left. Throws
    /// `StoreError` when the file is missing (and `create` is false), is not a urltriage store,
    /// was written by a newer urltriage, or is damaged (an empty file beside a WAL that holds
    /// data; a table or index missing, unless `verifiesSchema` is false, as for `db check`,
    /// which lists what is missing instead).
    ///
    /// - Parameter readOnly: open without writing (`stats`, `report`, `db check` …), so that a
    ///   store the user may only read can be read. A store that needs migrating is still
    ///   migrated first, which needs write access.
    /// - Parameter mapsForReads: whether reads map the store file (`readMapSize`). A
    ///   command that mostly writes (`ingest`) passes false: every page it writes would be
    ///   read back through the mapping and stay counted in its memory, 140 MiB more for an
    ///   ingest of 1,000,000 lines, for no gain.
    /// - Parameter cacheKiB: SQLite's page cache for each reading connection. A long-running
    ///   server with several readers passes less: each reader's cache fills up to it and stays full.
    /// - Parameter readers: how many connections read at once (GRDB's default, 5, when nil).
    public init(path: String, create: Bool = false, readOnly: Bool = false, verifiesSchema: Bool = true,
                busyTimeoutSeconds: Double = 30, mapsForReads: Bool = true, cacheKiB: Int = defaultCacheKiB,
                readers: Int? = nil) throws(StoreError) {
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
        var unfinished = false
        var pending: [String] = []
        if exists {
            try StoreFiles.refuseTruncated(path)
            // Read-only first: opening a pool would switch another program's database to WAL
            // mode, and writes a little even to a store it then refuses.
            switch try Self.inspect(path: path, busyTimeoutSeconds: busyTimeoutSeconds, verifiesSchema: verifiesSchema) {
            case .unfinished(let what):
                guard create else {
                    throw StoreError(.missing, path: path,
                                     "this store holds no cases yet: it is \(what); run `urltriage ingest FILE --db \(path)` "
                                     + "to create it (the first ingest finishes a creation that was cut short)")
                }
                unfinished = true
            case .store(let missing):
                pending = missing
            }
        }
        let writes = !readOnly || !exists || unfinished || !pending.isEmpty
        if readOnly && !pending.isEmpty && access(path, W_OK) != 0 {
            throw StoreError(.file, path: path,
                             "this store's schema must be brought up to date (\(pending.joined(separator: ", "))), "
                             + "and this user may not write it; run any urltriage command on it once with write access")
        }
        var configuration = Configuration()
        configuration.readonly = !writes
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        if let readers { configuration.maximumReaderCount = max(1, readers) }
        configuration.prepareDatabase { db in
            // Takes effect only when the file is new, before WAL mode: 16 KiB pages mean a quarter
            // of the WAL frames and page splits of 4 KiB ones for a large ingest.
            if writes { try db.execute(sql: "PRAGMA page_size = 16384") }
            // NORMAL is durable against a killed process in WAL mode; only a power cut can lose
            // the last commits, and it cannot corrupt the file.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Readers get `cacheKiB`; the one writer keeps the default, which updates to the indexes
            // of a large store need (a 10,000-line ingest into 1,000,000 items took half again as long with 8 MiB).
            try db.execute(sql: "PRAGMA cache_size = -\(db.configuration.readonly ? max(64, cacheKiB) : Self.defaultCacheKiB)")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Took a third off `escalate` over 1,000,000 items.
            if mapsForReads { try db.execute(sql: "PRAGMA mmap_size = \(Self.readMapSize)") }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw Self.openError(error, path: path)
        }
        created = !exists || unfinished
        finishedCreation = unfinished
        self.readOnly = !writes
        guard writes else {
            appliedMigrations = []
            return
        }
        do {
            appliedMigrations = try Self.migrate(pool, path: path)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.openError(error, path: path)
        }
    }

    /// What a file that is ours (or may become ours) holds.
    enum Contents {
        /// No store yet: an empty file, or a creation cut short before its schema was written.
        case unfinished(String)
        /// A store, lacking these migrations.
        case store(pending: [String])
    }

    /// Refuses a file that is not a store, is damaged, or is from a newer urltriage, without writing to it.
    ///
    /// A write cut short (a first ingest killed while it switched the file to WAL mode leaves a
    /// `-journal`) must be rolled back before anyone can read the file, which a read-only
    /// connection cannot do: then the inspection is made again on a connection that may write,
    /// whose opening rolls it back as SQLite always does, when this user may write the store.
    private static func inspect(path: String, busyTimeoutSeconds: Double, verifiesSchema: Bool,
                                readOnly: Bool = true) throws(StoreError) -> Contents {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                let contents = try examine(db, path: path, migrator: StoreSchema.migrator())
                if verifiesSchema, case .store = contents {
                    let problems = try StoreSchema.problems(db)
                    if !problems.isEmpty {
                        throw StoreError(.damaged, path: path,
                                         "the store is damaged: \(problems.joined(separator: "; ")). Nothing was changed; "
                                         + "restore the latest `urltriage db backup`, or see every problem with `urltriage db check`")
                    }
                }
                return contents
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY && readOnly {
            guard access(path, W_OK) == 0 else {
                throw StoreError(.file, path: path,
                                 "a write to this store was cut short and must be rolled back before it can be read, "
                                 + "and this user may not write it; run any urltriage command on it once with write access")
            }
            return try inspect(path: path, busyTimeoutSeconds: busyTimeoutSeconds, verifiesSchema: verifiesSchema, readOnly: false)
        } catch {
            throw openError(error, path: path)
        }
    }

    /// Checks that the file is ours and applies the migrations it lacks, all in one transaction
    /// (a new store's whole schema too, so that a kill leaves all of it or none); returns them.
    private static func migrate(_ pool: DatabasePool, path: String) throws -> [String] {
        let migrator = StoreSchema.migrator()
        let pending = try pool.read { db in try examine(db, path: path, migrator: migrator) }
        if case .store(let missing) = pending, missing.isEmpty { return [] }
        return try pool.writeWithoutTransaction { db in
            var applied: [String] = []
            try db.inTransaction(.immediate) {
                // Again under the write lock: another process may have created or migrated it meanwhile.
                let identifiers: [String]
                switch try examine(db, path: path, migrator: migrator) {
                case .unfinished: identifiers = StoreSchema.migrations.map(\.identifier)
                case .store(let missing): identifiers = missing
                }
                try StoreSchema.apply(StoreSchema.migrations.filter { identifiers.contains($0.identifier) }, db)
                applied = identifiers
                return .commit
            }
            return applied
        }
    }

    /// What `db` holds: no store yet, or a store this urltriage knows with the migrations it
    /// lacks; throws for another program's database or a newer store.
    private static func examine(_ db: Database, path: String, migrator: DatabaseMigrator) throws -> Contents {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        if applicationID == 0 && tables.allSatisfy({ $0 == StoreSchema.bookkeepingTable }) {
            // Before the schema was created in one transaction, a first ingest killed early could
            // leave GRDB's bookkeeping table alone, empty: that is a creation cut short.
            let recorded = tables.isEmpty ? 0 : try Int.fetchOne(db, sql: "SELECT count(*) FROM \(StoreSchema.bookkeepingTable)") ?? 0
            if recorded == 0 {
                return .unfinished(tables.isEmpty ? "an empty file (a first ingest cut short, or a file made empty)"
                                                  : "a store whose creation by a first ingest was cut short")
            }
        }
        if applicationID != StoreSchema.applicationID {
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
        return .store(pending: migrator.migrations.filter { !applied.contains($0) })
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
