/// Durations as staff say them: `45 min`, `36 h`, `9 days`.
enum DurationWords {
    /// Whole minutes under an hour, whole hours under two days, else whole days.
    static func span(_ seconds: Int64) -> String {
        let seconds = max(0, seconds)
        if seconds < 3600 { return "\(seconds / 60) min" }
        if seconds < 48 * 3600 { return "\(seconds / 3600) h" }
        let days = seconds / 86_400
        return days == 1 ? "1 day" : "\(days) days"
    }

    /// `3 h ago`, or `just now` under a minute.
    static func ago(_ seconds: Int64) -> String {
        seconds < 60 ? "just now" : "\(span(seconds)) ago"
    }

    /// `1 report`, `12 reports`.
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        n == 1 ? "1 \(singular)" : "\(n) \(plural ?? singular + "s")"
    }
}
