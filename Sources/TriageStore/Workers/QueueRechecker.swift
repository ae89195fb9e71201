import Foundation
public import TriageKit

/// A store-wide recheck: what `recheck` and `watch` run without `--worker`, on either store.
public protocol StoreWideRecheck: Sendable {
    /// Checks every item due (up to `options.limit`) and records the verdicts; a stop ends it early.
    func run(_ options: RecheckOptions, stop: StopSignal?) async throws -> RecheckSummary
}

extension Rechecker: StoreWideRecheck {
    public func run(_ options: RecheckOptions, stop: StopSignal?) async throws -> RecheckSummary {
        try await run(options, stop: stop, now: StoreTime.now())
    }
}

/// A store-wide recheck as one worker round over the store's `CheckQueue`, for a store shared
/// between machines (PostgreSQL), where a lock file cannot keep two rechecks apart: the leases do.
///
/// The round runs under the implicit worker name `recheck@HOST`, so that `urltriage workers`
/// shows one row for a host's plain rechecks however often cron starts them, and without a region
/// (a plain recheck's checks are the store's, as on SQLite). Two at once, or one beside
/// `--worker` processes, share the due items as workers do; none waits for the others. The
/// summary reads as a plain recheck's.
public final class QueueRechecker: StoreWideRecheck {
    let queue: any CheckQueue
    let checker: any LivenessChecking
    let policyFile: String?
    let identity: WorkerIdentity
    let log: @Sendable (String) -> Void

    /// `host` and `pid` default to this process's.
    public init(queue: any CheckQueue, checker: any LivenessChecking, policyFile: String?, host: String? = nil, pid: Int? = nil,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.queue = queue
        self.checker = checker
        self.policyFile = policyFile
        let host = host ?? ProcessInfo.processInfo.hostName
        identity = WorkerIdentity(name: Self.workerName(host: host), region: nil, host: host, pid: pid ?? Int(getpid()))
        self.log = log
    }

    /// The worker name a host's plain rechecks run under.
    public static func workerName(host: String) -> String { "recheck@\(host)" }

    public func run(_ options: RecheckOptions, stop: StopSignal?) async throws -> RecheckSummary {
        var worker = WorkerOptions(identity: identity, by: options.by)
        worker.batch = options.pageSize
        worker.limit = options.limit
        worker.resultsPerTransaction = options.resultsPerTransaction
        worker.policyFile = policyFile
        let name = identity.name
        let log = self.log
        var summary = try await WorkerRound(queue: queue, checker: checker, log: { log("\(name): \($0)") }).run(worker, stop: stop)
        summary.worker = nil
        return summary
    }
}
