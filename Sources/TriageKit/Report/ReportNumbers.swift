/// How the report writes numbers, one way for the HTML and the Markdown alike.
enum ReportNumbers {
    /// `1,234,567`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// `94.2%` for 0.9423; `–` when there is nothing to divide.
    static func percent(_ share: Double?) -> String {
        guard let share else { return "–" }
        return "\(String(format1: share * 100))%"
    }

    /// `12.5 h`; `–` when nothing was removed.
    static func hours(_ value: Double?) -> String {
        guard let value else { return "–" }
        return "\(String(format1: value)) h"
    }

    /// `2026-11-02` (UTC).
    static func day(_ seconds: Int64) -> String { String(StoreTime.iso(seconds).prefix(10)) }

    /// The value as JSON writes it, for the `data-value` the tests compare with `stats --format json`.
    static func raw(_ value: Double) -> String { "\(value)" }
}
