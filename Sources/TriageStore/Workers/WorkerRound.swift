import Foundation
public import TriageKit
import Synchronization

/// How a worker takes its share of a recheck.
public struct WorkerOptions: Sendable {
    public var identity: WorkerIdentity
    /// Who runs it, for the run and its transitions (as `RecheckOptions.by`).
    public var by: String
    /// Items claimed at a time.
    public var batch = 500
    /// How long a claim holds without a heartbeat: long enough to ride out a slow write or a
    /// stalled network, short enough that a dead worker's items do not wait long.
    public var leaseSeconds: Int64 = 300
    /// Results written per transaction (as `RecheckOptions.resultsPerTransaction`).
    public var resultsPerTransaction = 200
    /// At most this many items in this round (nil: until nothing is left to claim).
    public var limit: Int?
    /// The policy file in use, for the summary.
    public var policyFile: String?

    public init(identity: WorkerIdentity, by: String) {
        self.identity = identity
        self.by = by
    }
}

/// One round of a checker worker: claims batches of due items with a lease, checks them
/// with the worker's own checker (and so its own per-host politeness), records the
/// verdicts, and ends when nothing is left to claim. Knows only `CheckQueue`, not which
/// store is behind it.
///
/// While items are in hand a heartbeat extends their leases. A failed write keeps its
/// results and is tried again with backoff, for as long as any of their leases could
/// still hold; the queue then records only those whose lease the worker still has.
public final class WorkerRound: Sendable {
    let queue: any CheckQueue
    let checker: any LivenessChecking
    /// Where a worker says what went wrong while it goes on (standard error for the command).
    let log: @Sendable (String) -> Void
    let clock: @Sendable () -> Int64

    public init(queue: any CheckQueue, checker: any LivenessChecking, log: @escaping @Sendable (String) -> Void = { _ in },
                clock: @escaping @Sendable () -> Int64 = { StoreTime.now() }) {
        self.queue = queue
        self.checker = checker
        self.log = log
        self.clock = clock
    }

    /// The leases a worker has in hand: each claimed key and when its lease ends.
    final class Hand: Sendable {
        let leases = Mutex<[String: Int64]>([:])
        func add(_ claimed: [ClaimedCheck]) { leases.withLock { for item in claimed { $0[item.request.key] = item.leaseUntil } } }
        func remove(_ keys: some Sequence<String>) { leases.withLock { for key in keys { $0[key] = nil } } }
        var keys: [String] { leases.withLock { Array($0.keys) } }
        func extend(_ keys: [String], to until: Int64) { leases.withLock { for key in keys where $0[key] != nil { $0[key] = until } } }
        /// The latest end among the leases on `keys`.
        func latestEnd(of keys: [String]) -> Int64 { leases.withLock { held in keys.compactMap { held[$0] }.max() ?? 0 } }
    }

    public func run(_ options: WorkerOptions, stop: StopSignal? = nil) async throws -> RecheckSummary {
        let name = options.identity.name
        let round = try await queue.startRound(worker: options.identity, by: options.by, now: clock())
        var summary = RecheckSummary(runID: round.runID, due: round.due, policyFile: options.policyFile)
        summary.worker = name
        summary.region = options.identity.region
        let hand = Hand()
        let heartbeat = startHeartbeat(hand: hand, options: options)
        defer { heartbeat.cancel() }
        var remaining = options.limit ?? Int.max
        while remaining > 0, stop?.isRequested != true {
            let claimed = try await queue.claim(worker: name, region: options.identity.region, count: min(options.batch, remaining),
                                                leaseSeconds: options.leaseSeconds, now: clock())
            if claimed.isEmpty { break }
            remaining -= claimed.count
            hand.add(claimed)
            try await checkAndRecord(claimed.map(\.request), hand: hand, round: round, options: options, stop: stop, into: &summary)
            // Whatever was not recorded (a stop, a check that never came back) is given back, due at once.
            let leftover = Set(claimed.map(\.request.key)).intersection(hand.keys)
            if !leftover.isEmpty {
                try? await queue.release(keys: Array(leftover), worker: name, now: clock())
                hand.remove(leftover)
            }
        }
        if let reason = stop?.stopReason { summary.stoppedBy = reason }
        let outcome = summary.stoppedBy.map { "stopped by \($0)" } ?? "finished"
        try await queue.finishRound(round, checked: summary.checked, changed: summary.transitions.values.reduce(0, +),
                                    outcome: outcome, now: clock())
        return summary
    }

    /// Renews the leases in hand every third of a lease (at least every second).
    private func startHeartbeat(hand: Hand, options: WorkerOptions) -> Task<Void, Never> {
        let every = max(1, options.leaseSeconds / 3)
        let queue = self.queue, clock = self.clock, log = self.log
        return Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(every))
                if Task.isCancelled { break }
                let keys = hand.keys
                let now = clock()
                do {
                    let lost = try await queue.heartbeat(worker: options.identity.name, keys: keys,
                                                         leaseSeconds: options.leaseSeconds, now: now)
                    let lostSet = Set(lost)
                    hand.extend(keys.filter { !lostSet.contains($0) }, to: now + options.leaseSeconds)
                } catch {
                    log("heartbeat failed (leases not renewed; retrying): \(error)")
                }
            }
        }
    }

    private func checkAndRecord(_ requests: [CheckRequest], hand: Hand, round: QueueRound, options: WorkerOptions,
                                stop: StopSignal?, into summary: inout RecheckSummary) async throws {
        var buffer: [CheckResult] = []
        let results = Rechecker.stoppable(checker.check(requests), stop: stop)
        for await result in results.stream {
            buffer.append(result)
            if buffer.count >= options.resultsPerTransaction {
                await write(buffer, hand: hand, round: round, options: options, into: &summary)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        results.forwarding.cancel()
        stop?.whenRequested(nil)
        if !buffer.isEmpty { await write(buffer, hand: hand, round: round, options: options, into: &summary) }
    }

    /// Records `results`, trying again after a failure until it succeeds or every one of their
    /// leases has ended (then nothing of them could be recorded, and they are dropped as lost).
    private func write(_ results: [CheckResult], hand: Hand, round: QueueRound, options: WorkerOptions,
                       into summary: inout RecheckSummary) async {
        let keys = results.map(\.key)
        var wait = 0.25
        while true {
            do {
                let recording = try await queue.record(results, worker: options.identity.name, region: options.identity.region,
                                                       round: round, now: clock())
                summary.checked += recording.checked
                summary.merged += recording.merged
                summary.lost += recording.lost.count
                for (verdict, count) in recording.verdicts { summary.verdicts[verdict, default: 0] += count }
                for (change, count) in recording.transitions { summary.transitions[change, default: 0] += count }
                hand.remove(keys)
                return
            } catch {
                if clock() > hand.latestEnd(of: keys) {
                    log("dropping \(results.count) results: recording failed until their leases ended: \(error)")
                    summary.lost += results.count
                    hand.remove(keys)
                    return
                }
                log("recording \(results.count) results failed; keeping them and trying again in \(wait) s: \(error)")
                try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
                wait = min(wait * 2, 5)
            }
        }
    }
}
