import Foundation
internal import GRDB

/// Tells whether anything was committed to a store since a moment ago, by this process or
/// any other (an `ingest`, a `recheck` or a `mark` from a terminal, another `serve`).
///
/// A connection of its own, which never writes, asks SQLite's `PRAGMA data_version`: its
/// value changes whenever another connection (of this process or another) has committed
/// since this connection last asked. The question costs a read of the WAL index, not of the
/// data, so a server can ask it on every request and keep answers that cost a pass over
/// the store (the escalation list, counts of cases, whole pages) until it changes.
public final class StoreChanges: Sendable {
    private let probe: DatabaseQueue
    private let path: String

    /// Opens the probe's connection to the store at `path` (which the store itself has opened).
    public init(path: String) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        do {
            probe = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw StoreError(.database, path: path, "cannot open the store to watch it for changes: \(CaseStore.describe(error))")
        }
    }

    /// The store's version as this probe sees it: equal values mean nothing was committed in between.
    public func version() async throws -> Int64 {
        do {
            return try await probe.read { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        } catch {
            throw StoreError(.database, path: path, "cannot tell whether the store changed: \(CaseStore.describe(error))")
        }
    }

    /// Closes the probe's connection.
    public func close() throws {
        try probe.close()
    }
}
