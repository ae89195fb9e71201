#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Times as the case store keeps them: whole seconds since 1970-01-01 UTC.
public enum StoreTime {
    /// Seconds in an hour, for the policy's and the stats' arithmetic.
    public static let hour: Int64 = 3600
    /// Seconds in a day.
    public static let day: Int64 = 86_400

    /// The current time in store seconds.
    public static func now() -> Int64 {
        Int64(time(nil))
    }

    /// `2026-11-02T09:14:00Z`: how the command line prints store times.
    public static func iso(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
            + "T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// Hours as people read them: `36 h`, `2.5 h`, `3 d 4 h` for long spans.
    public static func hours(_ seconds: Int64) -> String {
        let hours = Double(seconds) / 3600
        if hours >= 72 {
            let whole = Int((hours).rounded())
            return "\(whole / 24) d \(whole % 24) h"
        }
        return hours.rounded() == hours || hours >= 10 ? "\(Int(hours.rounded())) h" : "\(String(format1: hours)) h"
    }
}
