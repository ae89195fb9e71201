import Foundation
internal import GRDB
public import TriageKit

/// `urltriage recheck`: checks every item that is due under the policy and
/// records what the checks found.
///
/// Items are taken in order of when they fell due, a page at a time, and handed
/// to the liveness checker; results are written as they arrive, a few hundred
/// per transaction. Only items due when the run started are taken, so a run
/// always ends. One recheck at a time per store (`RecheckLock`).
public final class Rechecker: Sendable {
    let store: CaseStore
    let checker: any LivenessChecking
    let lifecycle: Lifecycle
    let rules: RuleSet?

    public init(store: CaseStore, checker: any LivenessChecking, policy: RecheckPolicy, rules: RuleSet?) {
        self.store = store
        self.checker = checker
        lifecycle = Lifecycle(policy: policy)
        self.rules = rules
    }

    /// Runs one recheck at `now`. Throws `StoreError` when another recheck holds the store or the
    /// store fails; checks recorded before a failure stay.
    public func run(_ options: RecheckOptions, stop: StopSignal? = nil, now: Int64 = StoreTime.now()) async throws -> RecheckSummary {
        let lock = try RecheckLock.acquire(storePath: store.path, now: now)
        defer { withExtendedLifetime(lock) {} }
        var summary = RecheckSummary(runID: 0, due: 0, policyFile: lifecycle.policy.file)
        do {
            (summary.runID, summary.due) = try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO recheck_runs (started_at, by, host, pid) VALUES (?, ?, ?, ?)",
                               arguments: [now, options.by, ProcessInfo.processInfo.hostName, Int(getpid())])
                let runID = db.lastInsertedRowID
                let due = try Int.fetchOne(db, sql: "SELECT count(*) FROM items WHERE next_check_at <= ?", arguments: [now]) ?? 0
                try db.execute(sql: "UPDATE recheck_runs SET due = ? WHERE id = ?", arguments: [due, runID])
                return (runID, due)
            }
            let recorder = CheckRecorder(lifecycle: lifecycle, rules: rules, runID: summary.runID, by: options.by)
            var after = DueItems.Cursor.start
            var remaining = options.limit ?? Int.max
            pages: while remaining > 0 {
                let (next, requests) = try await duePage(now: now, after: after, count: min(options.pageSize, remaining))
                guard let next else { break }
                after = next
                remaining -= requests.count
                try await checkAndRecord(requests, recorder: recorder, stop: stop, options: options, into: &summary)
                if let reason = stop?.stopReason {
                    summary.stoppedBy = reason
                    break pages
                }
            }
            let outcome = summary.stoppedBy.map { "stopped by \($0)" } ?? "finished"
            let (runID, checked, changed) = (summary.runID, summary.checked, summary.transitions.values.reduce(0, +))
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE recheck_runs SET finished_at = ?, checked = ?, changed = ?, outcome = ? WHERE id = ?",
                               arguments: [StoreTime.now(), checked, changed, outcome, runID])
            }
        } catch {
            throw store.failure(error, doing: "recheck")
        }
        return summary
    }

    // MARK: - Steps

    /// The checker's results, ending early when a stop is asked for: a recheck waiting on slow
    /// checks stops at once, and the checks still out are simply due again next time.
    /// Cancelling `forwarding` ends the checker's stream, which stops its transfers.
    static func stoppable(_ results: AsyncStream<CheckResult>, stop: StopSignal?)
        -> (stream: AsyncStream<CheckResult>, forwarding: Task<Void, Never>) {
        let (stream, continuation) = AsyncStream.makeStream(of: CheckResult.self)
        let forwarding = Task {
            for await result in results { continuation.yield(result) }
            continuation.finish()
        }
        stop?.whenRequested { continuation.finish() }
        return (stream, forwarding)
    }

    /// The next page of items due at `now`, after `cursor`, with what to check for each.
    private func duePage(now: Int64, after cursor: DueItems.Cursor, count: Int) async throws -> (DueItems.Cursor?, [CheckRequest]) {
        try await store.pool.read { db in
            let entries = try DueItems.page(db, now: now, after: cursor, count: count)
            guard let last = entries.last else { return (nil, []) }
            return (DueItems.Cursor(after: last), try DueItems.requests(db, for: entries))
        }
    }

    /// Records a batch of results, and the run's progress with them, in one transaction.
    /// Checks `requests` and records the results as they come, `options.resultsPerTransaction`
    /// to a transaction; a stop request ends the checks and keeps what was recorded.
    func checkAndRecord(_ requests: [CheckRequest], recorder: CheckRecorder, stop: StopSignal?, options: RecheckOptions,
                        into summary: inout RecheckSummary) async throws {
        var buffer: [CheckResult] = []
        let results = Self.stoppable(checker.check(requests), stop: stop)
        for await result in results.stream {
            buffer.append(result)
            if buffer.count >= options.resultsPerTransaction {
                try await write(buffer, recorder: recorder, into: &summary)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        results.forwarding.cancel()
        stop?.whenRequested(nil)
        if !buffer.isEmpty { try await write(buffer, recorder: recorder, into: &summary) }
    }

    func write(_ results: [CheckResult], recorder: CheckRecorder, into summary: inout RecheckSummary) async throws {
        let runID = summary.runID
        let tally = try await store.pool.write { db in
            let tally = try recorder.record(results, db: db)
            try db.execute(sql: "UPDATE recheck_runs SET checked = checked + ? WHERE id = ?", arguments: [tally.checked, runID])
            return tally
        }
        summary.checked += tally.checked
        summary.merged += tally.merged
        for (verdict, count) in tally.verdicts { summary.verdicts[verdict, default: 0] += count }
        for (change, count) in tally.transitions { summary.transitions[change, default: 0] += count }
    }
}
