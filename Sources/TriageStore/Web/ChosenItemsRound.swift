public import TriageKit

/// The Check page's "check now" of chosen items, on a store whose checks go through a check
/// queue (PostgreSQL): a worker's round over the items named, not over what is due.
///
/// The store leases the named items to the app's worker itself (`claim`: items another worker
/// holds right now, merged short links and false reports are left out, as a recheck leaves
/// them out), then the queue records the verdicts as it records any worker's, and gives back
/// whatever was not checked, due at once.
public enum ChosenItemsRound {
    /// Leases the named items to `worker` until the given time, for the round's run; returns what to check.
    public typealias Claim = @Sendable (_ keys: [String], _ worker: String, _ round: QueueRound, _ until: Int64) async throws -> [ClaimedCheck]

    /// Checks `keys` with `checker` as `identity`, recording through `queue` as `by`.
    public static func run(keys: [String], queue: any CheckQueue, claim: Claim, checker: any LivenessChecking,
                           identity: WorkerIdentity, by: String, policyFile: String?,
                           leaseSeconds: Int64 = 3600) async throws -> RecheckSummary {
        let round = try await queue.startRound(worker: identity, by: by, now: StoreTime.now())
        let claimed = try await claim(Array(Set(keys)).sorted(), identity.name, round, StoreTime.now() + leaseSeconds)
        var summary = RecheckSummary(runID: round.runID, due: claimed.count, policyFile: policyFile)
        summary.worker = identity.name
        var pending: [CheckResult] = []
        var recorded: Set<String> = []
        func write() async throws {
            guard !pending.isEmpty else { return }
            let recording = try await queue.record(pending, worker: identity.name, region: identity.region, round: round,
                                                   now: StoreTime.now())
            summary.checked += recording.checked
            summary.merged += recording.merged
            summary.lost += recording.lost.count
            for (verdict, count) in recording.verdicts { summary.verdicts[verdict, default: 0] += count }
            for (change, count) in recording.transitions { summary.transitions[change, default: 0] += count }
            recorded.formUnion(pending.map(\.key))
            pending = []
        }
        do {
            for await result in checker.check(claimed.map(\.request)) {
                pending.append(result)
                if pending.count >= 200 { try await write() }
            }
            try await write()
        } catch {
            try? await queue.release(keys: claimed.map(\.request.key).filter { !recorded.contains($0) }, worker: identity.name,
                                     now: StoreTime.now())
            throw error
        }
        let leftover = claimed.map(\.request.key).filter { !recorded.contains($0) }
        if !leftover.isEmpty { try await queue.release(keys: leftover, worker: identity.name, now: StoreTime.now()) }
        try await queue.finishRound(round, checked: summary.checked, changed: summary.transitions.values.reduce(0, +),
                                    outcome: "finished", now: StoreTime.now())
        return summary
    }
}
