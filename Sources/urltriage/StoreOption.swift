import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import TriageKit
import TriagePostgres
import TriageStore

/// `--db PATH` or `--db postgres://…`: the case store every store-backed command works on.
///
/// The one place that tells the two kinds of store apart: a command that works on both opens
/// `openAny`, one not ported to PostgreSQL yet opens `open` and is refused there, plainly.
struct StoreOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The case store: an SQLite file, or postgres://USER[:PASS]@HOST[:PORT]/DB[?sslmode=…] (default: $URLTRIAGE_DB, else ./urltriage.sqlite).",
        valueName: "path-or-url"))
    var db: String?

    /// The store's path (or URL) after the defaults are applied.
    var path: String { CaseStore.locate(explicit: db) }

    /// The store for messages: a URL without its password.
    var shown: String { PostgresLocation.isURL(path) ? PostgresLocation.redact(path) : path }

    init() {}

    /// The store at `path` (a file or a URL), for a command that names two stores.
    init(path: String) {
        db = path
    }

    /// As `openAny`, for `db copy`, which reads and writes whole tables.
    func openTables(create: Bool = false) -> any StoreTables {
        guard let store = openAny(create: create, mapsForReads: false) as? any StoreTables else {
            CLIError.exit("\(shown): this store cannot be copied")
        }
        return store
    }

    /// Opens the store, SQLite or PostgreSQL, or ends the command with the store's message and exit status 2.
    /// `verifiesSchema` as for `open` (a PostgreSQL store's schema is checked by `db check` alone).
    func openAny(create: Bool = false, readOnly: Bool = false, verifiesSchema: Bool = true, mapsForReads: Bool = true)
        -> any CaseStoreBackend {
        guard PostgresLocation.isURL(path) else {
            return open(create: create, readOnly: readOnly, verifiesSchema: verifiesSchema, mapsForReads: mapsForReads)
        }
        let path = self.path
        do {
            let store = try waitFor { try await PostgresStore.open(PostgresLocation(path), create: create) }
            if !store.appliedMigrations.isEmpty && !store.created {
                Stderr.write("urltriage: \(store.location): store schema brought up to date (\(store.appliedMigrations.joined(separator: ", ")))\n")
            }
            return store
        } catch {
            CLIError.exit("\(error)")
        }
    }

    /// The command as typed (`db check`, `mark`), for the message that it is not ported.
    private static var commandName: String {
        let words = CommandLine.arguments.dropFirst().prefix { !$0.hasPrefix("-") }
        guard let first = words.first else { return "this command" }
        return ["db", "user", "rules"].contains(first) ? words.prefix(2).joined(separator: " ") : first
    }

    /// Opens the store, or ends the command with the store's message and exit status 2.
    /// `create` only for `ingest`; `readOnly` for commands that only read (a store the user may
    /// only read is then readable); `verifiesSchema` false only for `db check`, which lists what
    /// is missing instead. `mapsForReads`: see `CaseStore.init`.
    func open(create: Bool = false, readOnly: Bool = false, verifiesSchema: Bool = true, mapsForReads: Bool = true) -> CaseStore {
        if PostgresLocation.isURL(path) {
            // Only `db backup` comes here now: SQLite's online backup API has no PostgreSQL
            // counterpart in urltriage; the database's own tools do it better.
            CLIError.exit("\(shown): `urltriage \(Self.commandName)` works on an SQLite store only: on PostgreSQL, back up "
                          + "with `pg_dump`, or make an SQLite copy with `urltriage db copy --from \(shown) --to FILE.sqlite`")
        }
        do {
            let store = try CaseStore(path: path, create: create, readOnly: readOnly, verifiesSchema: verifiesSchema,
                                      mapsForReads: mapsForReads)
            if store.finishedCreation {
                Stderr.write("urltriage: \(path): this store's creation had been cut short; it is now finished\n")
            } else if !store.appliedMigrations.isEmpty && !store.created {
                Stderr.write("urltriage: \(path): store schema brought up to date (\(store.appliedMigrations.joined(separator: ", ")))\n")
            }
            return store
        } catch {
            CLIError.exit("\(error)")
        }
    }
}

extension CaseStoreBackend {
    /// Runs `work` on the store, then closes its connections whether it succeeded or not (a
    /// PostgreSQL connection is to be closed, not dropped, when the command ends).
    func closing<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        let result: Result<T, any Error>
        do {
            result = .success(try await work())
        } catch {
            result = .failure(error)
        }
        await closeConnections()
        return try result.get()
    }
}

/// `--by NAME`: who did it, for the record.
struct ActorOption: ParsableArguments {
    @Option(name: .long, help: "Who is doing this, for the record (default: $USER).")
    var by: String?

    var name: String {
        if let by, !by.isEmpty { return by }
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
    }
}

// MARK: - Dates on the command line

/// A date given as an option: anything `ReportedTime` reads (`2026-11-02`, `2026-11-02T09:14:00Z` …).
struct StoreDate: ExpressibleByArgument {
    var seconds: Int64

    init?(argument: String) {
        guard let seconds = ReportedTime.parse(argument) else { return nil }
        self.seconds = seconds
    }
}

// MARK: - Running async work from a synchronous command

/// As `waitFor`, on `store`, whose connections are closed after `work` whether it succeeded or not.
func waitFor<T: Sendable>(closing store: any CaseStoreBackend,
                          _ work: @escaping @Sendable (any CaseStoreBackend) async throws -> T) throws -> T {
    try waitFor {
        let result: Result<T, any Error>
        do {
            result = .success(try await work(store))
        } catch {
            result = .failure(error)
        }
        await store.closeConnections()
        return try result.get()
    }
}

/// Runs `work` to completion from a synchronous command and returns its result.
///
/// The root command is synchronous, so async subcommands cannot be declared; the main
/// thread waits here while the work runs on the concurrency pool, which never needs it.
func waitFor<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let result: Result<T, any Error>
        do {
            result = .success(try await work())
        } catch {
            result = .failure(error)
        }
        outcome.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    guard let result = outcome.withLock({ $0 }) else { throw CancellationError() }
    return try result.get()
}
