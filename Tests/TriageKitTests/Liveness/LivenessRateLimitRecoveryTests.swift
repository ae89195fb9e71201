import Testing
@testable import TriageKit

/// After a 429 the host waits what it was asked to, then goes on with half
/// as many requests in flight and climbs back to `--per-host` one request
/// at a time, spaced by the host interval only
/// (issue 14, target 4: rate limits that do not stall a run).
@Suite struct LivenessRateLimitRecoveryTests {
    static let ms: UInt64 = 1_000_000

    /// Every job that may start at `now`.
    static func starts(_ scheduler: inout HostScheduler, at now: UInt64) -> [Int] {
        var started: [Int] = []
        while let (job, _) = scheduler.nextStart(now: now) { started.append(job) }
        return started
    }

    @Test func afterTheWaitTheHostClimbsBackOneRequestPerAnswer() {
        var scheduler = HostScheduler(concurrency: 64, perHost: 4, interval: 0)
        let host = scheduler.host(named: "a")
        for job in 0..<40 { scheduler.enqueue(job: job, host: host, now: 0) }
        #expect(Self.starts(&scheduler, at: 0).count == 4)
        // The first answer is a 429 asking for 1 s; the other three were sent before it and answer normally.
        scheduler.finished(host: host, now: 10 * Self.ms)
        scheduler.slowDown(host: host, for: 1000 * Self.ms, now: 10 * Self.ms)
        for _ in 0..<3 {
            scheduler.finished(host: host, now: 20 * Self.ms)
            scheduler.recovered(host: host, startedAt: 0, now: 20 * Self.ms)
        }
        // Retry-After is honoured: nothing starts before it has passed.
        #expect(Self.starts(&scheduler, at: 500 * Self.ms).isEmpty)
        // Then half as many in flight as before ...
        #expect(Self.starts(&scheduler, at: 1010 * Self.ms).count == 2)
        // ... one more after each answer to a request sent since, at once (not after another wait).
        scheduler.finished(host: host, now: 1100 * Self.ms)
        scheduler.recovered(host: host, startedAt: 1010 * Self.ms, now: 1100 * Self.ms)
        #expect(Self.starts(&scheduler, at: 1100 * Self.ms).count == 2)
        scheduler.finished(host: host, now: 1150 * Self.ms)
        scheduler.recovered(host: host, startedAt: 1010 * Self.ms, now: 1150 * Self.ms)
        #expect(Self.starts(&scheduler, at: 1150 * Self.ms).count == 2)
        #expect(scheduler.backoff(of: host) == 0, "back at --per-host, the next 429 starts from the first wait again")
        // A second 429 halves the window again.
        scheduler.finished(host: host, now: 1200 * Self.ms)
        scheduler.slowDown(host: host, for: 1000 * Self.ms, now: 1200 * Self.ms)
        #expect(Self.starts(&scheduler, at: 2300 * Self.ms).isEmpty, "three still in flight, more than the window of two")
        for _ in 0..<3 { scheduler.finished(host: host, now: 2300 * Self.ms) }
        #expect(Self.starts(&scheduler, at: 2300 * Self.ms).count == 2)
    }

    @Test func anotherRateLimitWhileClimbingDoublesTheWait() {
        var scheduler = HostScheduler(concurrency: 64, perHost: 4, interval: 0)
        let host = scheduler.host(named: "a")
        for job in 0..<10 { scheduler.enqueue(job: job, host: host, now: 0) }
        _ = Self.starts(&scheduler, at: 0)
        scheduler.finished(host: host, now: Self.ms)
        scheduler.slowDown(host: host, for: 500 * Self.ms, now: Self.ms)
        #expect(scheduler.backoff(of: host) == 500 * Self.ms)
        let policy = RetryPolicy(options: LivenessOptions())
        var outcome = TransferOutcome()
        outcome.status = 429
        #expect(policy.slowDown(after: outcome, hostBackoff: scheduler.backoff(of: host))?.wait == 1000 * Self.ms)
    }
}
