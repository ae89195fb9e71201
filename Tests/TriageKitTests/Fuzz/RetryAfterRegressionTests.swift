import Testing
@testable import TriageKit

/// Inputs FuzzDates and FuzzVerdict found (Fuzz/README.md) in the reading of
/// Retry-After and X-RateLimit-Reset.
@Suite struct RetryAfterRegressionTests {
    static let now = 1_795_262_400
    static let policy = RetryPolicy(options: LivenessOptions())

    static func outcome(retryAfter: String? = nil, rateLimitReset: String? = nil) -> TransferOutcome {
        var outcome = TransferOutcome()
        outcome.status = 429
        outcome.retryAfter = retryAfter
        outcome.rateLimitReset = rateLimitReset
        return outcome
    }

    /// A server asking for more seconds than fit in UInt64 nanoseconds (about
    /// 584 years) trapped on the multiplication, ending the whole check run.
    /// Such a wait is far beyond the cap: the item gives up, as for any wait beyond it.
    @Test func hugeRetryAfterInSeconds() {
        let wait = RetryPolicy.requestedWait(Self.outcome(retryAfter: "99999999999"), now: Self.now)
        #expect(wait == UInt64.max)
        let slowDown = Self.policy.slowDown(after: Self.outcome(retryAfter: "99999999999"), hostBackoff: 0, wallClock: Self.now)
        #expect(slowDown?.beyondCap == true)
        #expect(slowDown?.wait == LivenessOptions().retryAfterCap.nanoseconds)
    }

    @Test func hugeRetryAfterAsADate() {
        let wait = RetryPolicy.requestedWait(Self.outcome(retryAfter: "Fri, 31 Dec 9999 23:59:59 GMT"), now: Self.now)
        #expect(wait == UInt64.max)
    }

    @Test func hugeRateLimitReset() {
        #expect(RetryPolicy.requestedWait(Self.outcome(rateLimitReset: "99999999999999"), now: Self.now) == UInt64.max)
        #expect(RetryPolicy.requestedWait(Self.outcome(rateLimitReset: "30"), now: Self.now) == 30_000_000_000)
    }
}
