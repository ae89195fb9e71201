// The date and duration parsers over arbitrary text: report times (CSV,
// JSON Lines, `mark --at`), Retry-After and X-RateLimit-Reset, and policy
// durations. Properties: a report time that can be written back in ISO form
// reads back as the same second; a requested wait is never negative; a
// duration is within its documented year.
import FuzzSupport
@testable import TriageKit

/// A fixed "now", so that a crash reproduces (2026-11-20T12:00:00Z).
let now = 1_795_262_400

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDates(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let (option, bytes) = selector(fuzzBytes(data, count))
    let text = String(decoding: bytes, as: UTF8.self)

    switch option % 3 {
    case 0:
        guard let seconds = ReportedTime.parse(text) else { return 0 }
        if seconds >= 0 && seconds < 253_402_300_800 {
            let iso = StoreTime.iso(seconds)
            require(ReportedTime.parse(iso) == seconds, "\(quoted(text)) reads as \(seconds) = \(iso), which reads back differently")
        }
    case 1:
        if let wait = RetryPolicy.retryAfterSeconds(text, now: now) {
            require(wait >= 0, "Retry-After \(quoted(text)) asks for \(wait) s")
        }
        var outcome = TransferOutcome()
        outcome.status = 429
        // The same text as either header, as a server may send.
        if option & 4 == 0 { outcome.retryAfter = text } else { outcome.rateLimitReset = text }
        _ = RetryPolicy.requestedWait(outcome, now: now)
    default:
        if let seconds = RecheckPolicy.parseDuration(text) {
            require(seconds >= 0 && seconds <= 366 * 86_400, "duration \(quoted(text)) is \(seconds) s")
        }
    }
    return 0
}
