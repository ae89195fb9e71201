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
        guard isoFits(seconds) else { return libcISO(seconds) }
        return String(unsafeUninitializedCapacity: isoLength) { writeISO(seconds, into: $0) }
    }

    /// Runs `body` over the bytes of `iso(seconds)` without making a string: lists write
    /// four times a row, tens of thousands of rows.
    @inline(__always)
    static func withISO<R>(_ seconds: Int64, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard isoFits(seconds) else { return libcISO(seconds).withBytes(body) }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &scratch) { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let count = writeISO(seconds, into: bytes)
            return body(UnsafeBufferPointer(rebasing: bytes[..<count]))
        }
    }

    private static let isoLength = 20

    /// Times from 1970 to the end of 9999 have four-digit years, which `writeISO` assumes.
    @inline(__always)
    private static func isoFits(_ seconds: Int64) -> Bool { seconds >= 0 && seconds < 253_402_300_800 }

    /// Writes `YYYY-MM-DDTHH:MM:SSZ` (20 bytes) with the civil-from-days arithmetic of the
    /// proleptic Gregorian calendar, as `gmtime_r` computes it, without its lock and call.
    private static func writeISO(_ seconds: Int64, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let days = seconds / day
        let time = seconds % day
        // Days since 0000-03-01, in 400-year eras, years of the era, and day of the year from March.
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func digits(_ value: Int64, _ count: Int, at offset: Int) {
            var value = value
            for index in stride(from: offset + count - 1, through: offset, by: -1) {
                out[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        digits(year, 4, at: 0)
        out[4] = UInt8(ascii: "-")
        digits(month, 2, at: 5)
        out[7] = UInt8(ascii: "-")
        digits(dayOfMonth, 2, at: 8)
        out[10] = UInt8(ascii: "T")
        digits(time / 3600, 2, at: 11)
        out[13] = UInt8(ascii: ":")
        digits(time / 60 % 60, 2, at: 14)
        out[16] = UInt8(ascii: ":")
        digits(time % 60, 2, at: 17)
        out[19] = UInt8(ascii: "Z")
        return isoLength
    }

    /// Any other time, as the C library gives it (and tests compare the arithmetic with).
    static func libcISO(_ seconds: Int64) -> String {
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
