internal import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to do after an attempt: accept it, or try again after a wait.
enum NextStep: Equatable {
    case finish
    /// Try again after this many nanoseconds.
    case retry(after: UInt64)
    /// The server asked for a wait beyond the cap: give up now.
    case giveUp(waitSeconds: Int)
}

/// A host that answered 429 or 503 waits this long before its next request.
struct SlowDown: Equatable {
    var wait: UInt64
    /// The server asked for more than `retryAfterCap`; `wait` is the cap.
    var beyondCap: Bool
    var askedSeconds: Int
}

/// Retries with exponential backoff and jitter, and the host slow-down on 429/503.
struct RetryPolicy {
    let options: LivenessOptions

    /// How long the host must wait after a 429 or 503, or nil for other answers.
    /// Retry-After (or X-RateLimit-Reset) decides when present, up to the cap;
    /// otherwise the host's wait doubles from `rateLimitDelay` up to `rateLimitDelayCap`.
    func slowDown(after outcome: TransferOutcome, hostBackoff: UInt64, wallClock: Int = Int(time(nil))) -> SlowDown? {
        guard outcome.failure == nil, let status = outcome.status, status == 429 || status == 503 else { return nil }
        if let asked = Self.requestedWait(outcome, now: wallClock) {
            let cap = options.retryAfterCap.nanoseconds
            return SlowDown(wait: min(max(asked, options.rateLimitDelay.nanoseconds), cap), beyondCap: asked > cap,
                            askedSeconds: Int(asked / 1_000_000_000))
        }
        let doubled = hostBackoff == 0 ? options.rateLimitDelay.nanoseconds : hostBackoff * 2
        return SlowDown(wait: min(doubled, options.rateLimitDelayCap.nanoseconds), beyondCap: false, askedSeconds: 0)
    }

    /// The next step after `attempt` (1-based) ended with `outcome`.
    func next(after outcome: TransferOutcome, attempt: Int, slowDown: SlowDown?) -> NextStep {
        if let slowDown, slowDown.beyondCap { return .giveUp(waitSeconds: slowDown.askedSeconds) }
        guard attempt <= options.retries else { return .finish }
        if let failure = outcome.failure {
            return failure.isTransient ? .retry(after: backoff(attempt: attempt)) : .finish
        }
        if let slowDown { return .retry(after: slowDown.wait) }
        if let status = outcome.status, (500...599).contains(status) { return .retry(after: backoff(attempt: attempt)) }
        return .finish
    }

    /// `retryDelay × 2^(attempt-1)`, capped, then jittered into its upper half,
    /// so that many failures at once do not come back at once.
    func backoff(attempt: Int) -> UInt64 {
        let base = options.retryDelay.nanoseconds
        let doubled = base << UInt64(min(max(attempt - 1, 0), 20))
        let capped = min(doubled, options.retryDelayCap.nanoseconds)
        return capped / 2 + UInt64.random(in: 0...(capped / 2))
    }

    // MARK: - Retry-After

    /// The wait the server asked for, from Retry-After (seconds or an HTTP
    /// date) or X-RateLimit-Reset (seconds, or a Unix time), in nanoseconds.
    static func requestedWait(_ outcome: TransferOutcome, now: Int) -> UInt64? {
        if let header = outcome.retryAfter, let seconds = retryAfterSeconds(header, now: now) {
            return nanoseconds(seconds)
        }
        if let header = outcome.rateLimitReset, let value = Int(trimmed(header)), value >= 0 {
            // Large values are Unix times (GitHub, X); small ones are seconds from now.
            let seconds = value > 1_000_000_000 ? max(0, value - now) : value
            return nanoseconds(seconds)
        }
        return nil
    }

    /// Seconds a server asked for, in nanoseconds; a wait too long to count in
    /// UInt64 (about 584 years, any header can ask it) is `UInt64.max`, beyond every cap.
    private static func nanoseconds(_ seconds: Int) -> UInt64 {
        let (product, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product
    }

    /// Retry-After as seconds from now: `120`, or `Wed, 21 Oct 2015 07:28:00 GMT`
    /// (any form libcurl's `curl_getdate` reads). A date in the past means now.
    static func retryAfterSeconds(_ header: String, now: Int) -> Int? {
        let text = trimmed(header)
        if let seconds = Int(text) { return seconds >= 0 ? seconds : nil }
        let date = text.withCString { curl_getdate($0, nil) }
        guard date >= 0 else { return nil }
        return max(0, Int(date) - now)
    }
}

extension RetryPolicy {
    /// `text` without leading and trailing spaces, tabs and line breaks.
    static func trimmed<S: StringProtocol>(_ text: S) -> String {
        // `isWhitespace`, because "\r\n" is one Character, equal to neither "\r" nor "\n".
        let isSpace = { (c: Character) in c.isWhitespace }
        guard let start = text.firstIndex(where: { !isSpace($0) }), let end = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[start...end])
    }
}
