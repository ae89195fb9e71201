import Foundation
import PostgresNIO
import Synchronization
public import TriageKit
public import TriageStore

/// The case store in a PostgreSQL database: the same tables as the SQLite store
/// (`PostgresSchema`), for several machines sharing one store.
///
/// Opening connects, refuses a database that holds tables but is not a store, and one a
/// newer urltriage wrote, and applies the migrations it lacks in one transaction under an
/// advisory lock (two processes opening a new store at once create it once).
public final class PostgresStore: Sendable {
    /// Where the store is.
    public let url: PostgresLocation
    /// The connection every call of this store uses, one at a time.
    let connection: PostgresConnection
    let logger: Logger
    /// Migrations this open applied (empty when the store was already up to date).
    public let appliedMigrations: [String]
    /// True when this open created the store's tables.
    public let created: Bool
    /// The connection pools of the check queues made on this store (`makeClient`), running until `close`.
    let clients = Mutex<[Task<Void, Never>]>([])
    /// Turns on `connection` for the calls that use it, which the web app can make side by side.
    let turns = ConnectionTurns()
    /// The pool the web app's and accounts' calls share (`onSharedPool`), made when first needed.
    let shared = Mutex<RenewablePool?>(nil)
    /// How long one of those calls may wait for the database before its pool is given up as
    /// stalled (`RenewablePool`); a test shortens it.
    let sharedDeadline = Mutex<Duration>(.seconds(30))
    /// The web app's check queues, one for each person who ran a check (`checkNow`): each holds a pool.
    let webQueues = Mutex<[String: any CheckQueue]>([:])

    /// The advisory lock key under which migrations run ("UrTr", as SQLite's application id).
    static let migrationLock: Int64 = 0x5572_5472

    /// Connects to the store at `location`; `create` (what `ingest` and `db copy` pass) makes the
    /// tables in an empty database. Throws `StoreError`.
    public static func open(_ location: PostgresLocation, create: Bool = false) async throws(StoreError) -> PostgresStore {
        var logger = Logger(label: "urltriage.postgres")
        logger.logLevel = .critical
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try configuration(location), id: 1, logger: logger)
        } catch {
            throw StoreError(.database, path: "\(location)", "cannot connect: \(describe(error))")
        }
        do {
            let (applied, created) = try await migrate(connection, location: location, create: create, logger: logger)
            return PostgresStore(location: location, connection: connection, logger: logger, applied: applied, created: created)
        } catch {
            try? await connection.close()
            throw failure(error, location: location, doing: "opening the store")
        }
    }

    private init(location: PostgresLocation, connection: PostgresConnection, logger: Logger, applied: [String], created: Bool) {
        url = location
        self.connection = connection
        self.logger = logger
        appliedMigrations = applied
        self.created = created
    }

    /// A store let go without `close` (the web app's, when the server or a test ends) still
    /// closes its connection, which postgres-nio requires, and stops its pools.
    deinit {
        let connection = connection
        let pools = clients.withLock { $0 }
        Task {
            for pool in pools { pool.cancel() }
            try? await connection.close()
        }
    }

    /// Closes the connection, and the pools of the check queues made on this store.
    public func close() async {
        for task in clients.withLock({ tasks in defer { tasks = [] }; return tasks }) {
            task.cancel()
            await task.value
        }
        try? await connection.close()
    }

    // MARK: - Connecting

    static func configuration(_ location: PostgresLocation) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let directory = location.socketDirectory {
            configuration = .init(unixSocketPath: directory + "/.s.PGSQL.\(location.port)", username: location.user,
                                  password: location.password, database: location.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch tlsSettings(location) {
            case nil: tls = .disable
            case let (settings, preferred)?:
                let context = try NIOSSLContext(configuration: settings)
                tls = preferred ? .prefer(context) : .require(context)
            }
            configuration = .init(host: location.host ?? "localhost", port: location.port, username: location.user,
                                  password: location.password, database: location.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// The TLS that `location`'s sslmode asks for, and whether it is only preferred; nil for none.
    static func tlsSettings(_ location: PostgresLocation) -> (settings: TLSConfiguration, preferred: Bool)? {
        var settings = TLSConfiguration.makeClientConfiguration()
        switch location.sslMode {
        case .disable:
            return nil
        case .prefer, .require, .verifyCA:
            // libpq's prefer and require encrypt without verifying; verify-ca checks the chain only.
            settings.certificateVerification = location.sslMode == .verifyCA ? .noHostnameVerification : .none
            return (settings, location.sslMode == .prefer)
        case .verifyFull:
            return (settings, false)
        }
    }

    // MARK: - Schema

    /// Checks that the database is a store (or empty, when `create`), refuses a newer one, and
    /// applies what it lacks. Returns the migrations applied and whether the store was created.
    private static func migrate(_ connection: PostgresConnection, location: PostgresLocation, create: Bool,
                                logger: Logger) async throws -> (applied: [String], created: Bool) {
        let known = PostgresSchema.migrations.map(\.identifier)
        // A first look without the lock: an up-to-date store (nearly always) takes no lock.
        if case .store(let missing) = try await examine(connection, location: location, create: create, logger: logger),
           missing.isEmpty {
            return ([], false)
        }
        return try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            let pending: [String]
            var created = false
            switch try await examine(connection, location: location, create: create, logger: logger) {
            case .empty:
                try await connection.script("""
                    CREATE TABLE \(PostgresSchema.migrationsTable) (identifier text PRIMARY KEY, applied_at bigint NOT NULL)
                    """)
                pending = known
                created = true
            case .store(let missing):
                pending = missing
            }
            let now = StoreTime.now()
            for migration in PostgresSchema.migrations where pending.contains(migration.identifier) {
                try await connection.script(migration.sql)
                try await connection.query("""
                    INSERT INTO urltriage_migrations (identifier, applied_at) VALUES (\(migration.identifier), \(now))
                    """, logger: logger)
            }
            return (pending, created)
        }
    }

    private enum Contents {
        case empty
        case store(missing: [String])
    }

    private static func examine(_ connection: PostgresConnection, location: PostgresLocation, create: Bool,
                                logger: Logger) async throws -> Contents {
        var tables: [String] = []
        for try await name in try await connection.query("""
            SELECT table_name::text FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
            """, logger: logger).decode(String.self) {
            tables.append(name)
        }
        if tables.isEmpty {
            guard create else {
                throw StoreError(.missing, path: "\(location)",
                                 "this database holds no case store yet; run `urltriage ingest FILE --db \(location)` "
                                 + "(or `urltriage db copy`) to create one")
            }
            return .empty
        }
        guard tables.contains(PostgresSchema.migrationsTable) else {
            let shown = tables.prefix(8).joined(separator: ", ")
            throw StoreError(.notAStore, path: "\(location)",
                             "this PostgreSQL database is not a urltriage case store (tables: \(shown)); "
                             + "name another database in --db, or create an empty one for the store")
        }
        var applied: [String] = []
        for try await identifier in try await connection.query("SELECT identifier FROM urltriage_migrations",
                                                               logger: logger).decode(String.self) {
            applied.append(identifier)
        }
        let known = PostgresSchema.migrations.map(\.identifier)
        let unknown = applied.filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw StoreError(.newerSchema, path: "\(location)",
                             "this store was written by a newer urltriage (schema \(unknown.joined(separator: ", ")); "
                             + "this one knows up to \(PostgresSchema.latest)); use that version or newer; the store was not changed")
        }
        return .store(missing: known.filter { !applied.contains($0) })
    }

    // MARK: - Errors

    /// A PostgreSQL error as a sentence: the server's message, else what failed on the way.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
                return message + detail
            }
            if let underlying = error.underlying { return "\(error.code): \(describe(underlying))" }
            return "\(error.code)"
        }
        if let error = error as? PostgresTransactionError {
            if let closure = error.closureError { return describe(closure) }
            if let begin = error.beginError { return describe(begin) }
            if let commit = error.commitError { return describe(commit) }
        }
        if let error = error as? StoreError { return error.message }
        return "\(error)"
    }

    static func failure(_ error: any Error, location: PostgresLocation, doing what: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresTransactionError, let inner = error.closureError as? StoreError { return inner }
        return StoreError(.database, path: "\(location)", "\(what) failed: \(describe(error))")
    }

    func failure(_ error: any Error, doing what: String) -> StoreError {
        Self.failure(error, location: url, doing: what)
    }
}

extension PostgresStore {
    /// Runs statements that return nothing (several, separated by semicolons, are allowed).
    public func execute(_ sql: String) async throws(StoreError) {
        do {
            try await connection.script(sql)
        } catch {
            throw failure(error, doing: "a statement")
        }
    }
}

extension PostgresStore {
    /// Creates an empty database `name` (letters, digits and `_`) on the server of `server`,
    /// connected to as `server` says: the tests make one per test.
    public static func createDatabase(_ name: String, on server: PostgresLocation) async throws(StoreError) {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw StoreError(.file, path: "\(server)", "\(name) is not a plain database name")
        }
        var logger = Logger(label: "urltriage.postgres")
        logger.logLevel = .critical
        do {
            let connection = try await PostgresConnection.connect(configuration: try configuration(server), id: 1, logger: logger)
            do {
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) TEMPLATE template0"), logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try? await connection.close()
        } catch {
            throw failure(error, location: server, doing: "creating database \(name)")
        }
    }
}

extension PostgresStore: CaseStoreBackend {
    public var location: String { "\(url)" }

    public func checkQueue(policy: RecheckPolicy, rules: RuleSet?, by: String) -> any CheckQueue {
        PostgresCheckQueue(store: self, policy: policy, rules: rules, by: by)
    }

    public func closeConnections() async {
        await close()
    }

    /// No lock file can keep rechecks on several machines apart: a plain recheck is a worker round (`QueueRechecker`).
    public func storeWideRecheck(checker: any LivenessChecking, policy: RecheckPolicy, rules: RuleSet?, by: String,
                                 log: @escaping @Sendable (String) -> Void) -> any StoreWideRecheck {
        QueueRechecker(queue: checkQueue(policy: policy, rules: rules, by: by), checker: checker, policyFile: policy.file, log: log)
    }
}
