/// The formats `urltriage escalate` writes.
public enum EscalationFormat: String, Sendable, CaseIterable {
    case text, csv, json, markdown
}

extension EscalationList {
    /// The list in `format`, ending with a newline.
    public func rendered(as format: EscalationFormat) -> String {
        switch format {
        case .text: return textTable()
        case .csv: return csv()
        case .json: return json()
        case .markdown: return markdown()
        }
    }

    /// `2026-11-02 09:14` (UTC): store times as rows show them.
    static func shortTime(_ seconds: Int64) -> String {
        let iso = StoreTime.iso(seconds)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }

    /// `live, checked 2026-11-05 10:00`, or `not checked`.
    static func verdictWords(_ item: EscalationCandidate) -> String {
        guard let verdict = item.verdict else { return "not checked" }
        return item.checkedAt.map { "\(verdict.rawValue), checked \(shortTime($0))" } ?? verdict.rawValue
    }

    /// `2 reports from 1 reporter`.
    static func reportWords(_ item: EscalationCandidate) -> String {
        var words = DurationWords.count(item.reportCount, "report")
        if item.reporterCount > 0 { words += " from " + DurationWords.count(item.reporterCount, "reporter") }
        return words
    }

    /// `TikTok trusted-flagger route, https://…, answers due within 48 h`.
    static func routeWords(_ route: EscalationRoute?) -> String {
        guard let route else { return "no escalation route in the platform's rule file" }
        var words = route.channel
        if let url = route.url { words += ", \(url)" }
        if let hours = route.responseHours { words += ", response target \(hours) h" }
        return words
    }
}
