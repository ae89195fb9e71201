import Foundation
import Testing
@testable import TriageKit

/// Backoff, Retry-After and the steps after each kind of answer.
@Suite struct LivenessRetryPolicyTests {
    static let policy = RetryPolicy(options: LivenessOptions())

    @Test func retryAfterInSecondsAndAsADate() {
        #expect(RetryPolicy.retryAfterSeconds("120", now: 0) == 120)
        #expect(RetryPolicy.retryAfterSeconds(" 5 ", now: 0) == 5)
        // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480.
        #expect(RetryPolicy.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT", now: 1_445_412_470) == 10)
        #expect(RetryPolicy.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT", now: 1_445_412_490) == 0)
        #expect(RetryPolicy.retryAfterSeconds("soon", now: 0) == nil)
        #expect(RetryPolicy.retryAfterSeconds("-3", now: 0) == nil)
    }

    @Test func backoffDoublesWithJitterAndIsCapped() {
        for attempt in 1...8 {
            let wait = Self.policy.backoff(attempt: attempt)
            let full = min(UInt64(1_000_000_000) << UInt64(attempt - 1), 30_000_000_000)
            #expect(wait >= full / 2 && wait <= full)
        }
    }

    @Test func slowDownDoublesWithoutRetryAfter() {
        var outcome = TransferOutcome()
        outcome.status = 429
        let first = Self.policy.slowDown(after: outcome, hostBackoff: 0)
        #expect(first?.wait == 500_000_000)
        let second = Self.policy.slowDown(after: outcome, hostBackoff: 500_000_000)
        #expect(second?.wait == 1_000_000_000)
        let capped = Self.policy.slowDown(after: outcome, hostBackoff: 29_000_000_000)
        #expect(capped?.wait == 30_000_000_000)
        outcome.status = 200
        #expect(Self.policy.slowDown(after: outcome, hostBackoff: 0) == nil)
    }

    @Test func stepsAfterEachAnswer() {
        var outcome = TransferOutcome()
        outcome.status = 404
        #expect(Self.policy.next(after: outcome, attempt: 1, slowDown: nil) == .finish)
        outcome.status = 502
        if case .retry = Self.policy.next(after: outcome, attempt: 1, slowDown: nil) {} else { Issue.record("5xx should be retried") }
        #expect(Self.policy.next(after: outcome, attempt: 4, slowDown: nil) == .finish)
        outcome.status = nil
        outcome.failure = .connect
        #expect(Self.policy.next(after: outcome, attempt: 1, slowDown: nil) == .finish)
        outcome.failure = .timeout
        if case .retry = Self.policy.next(after: outcome, attempt: 1, slowDown: nil) {} else { Issue.record("timeouts should be retried") }
        let far = SlowDown(wait: 60_000_000_000, beyondCap: true, askedSeconds: 3600)
        #expect(Self.policy.next(after: TransferOutcome(status: 429), attempt: 1, slowDown: far) == .giveUp(waitSeconds: 3600))
    }
}
