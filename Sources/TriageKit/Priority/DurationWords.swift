/// Durations and counts as staff say them: `45 min`, `36 h`, `9 days`, `2 reports`,
/// written straight into a list's bytes.
enum DurationWords {
    /// Whole minutes under an hour, whole hours under two days, else whole days.
    static func span(_ seconds: Int64, into out: inout ByteBuffer) {
        let seconds = max(0, seconds)
        if seconds < 3600 {
            out.append(decimal: Int(seconds / 60))
            out.append(" min")
        } else if seconds < 48 * 3600 {
            out.append(decimal: Int(seconds / 3600))
            out.append(" h")
        } else {
            let days = seconds / 86_400
            out.append(decimal: Int(days))
            out.append(days == 1 ? " day" : " days")
        }
    }

    /// `3 h ago`, or `just now` under a minute.
    static func ago(_ seconds: Int64, into out: inout ByteBuffer) {
        guard seconds >= 60 else { return out.append("just now") }
        span(seconds, into: &out)
        out.append(" ago")
    }

    /// `1 report`, `12 reports`.
    static func count(_ n: Int, _ singular: StaticString, into out: inout ByteBuffer) {
        out.append(decimal: n)
        out.append(" ")
        out.append(singular)
        if n != 1 { out.append("s") }
    }

    /// The same as a string, for summaries made of strings.
    static func count(_ n: Int, _ singular: StaticString) -> String {
        var out = ByteBuffer(capacity: 32)
        defer { out.deallocate() }
        count(n, singular, into: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }
}
