extension EscalationList {
    /// The CSV header: one row per item, for a spreadsheet or a platform's bulk form.
    static let csvFields = ["list", "platform", "rank", "score", "url", "type", "category", "first_reported",
                            "reports", "reporters", "verdict", "checked_at", "escalations", "last_escalated",
                            "response_due", "reasons", "channel", "route_url", "response_hours", "key"]

    /// RFC 4180 CSV with a header.
    func csv() -> String {
        var out = Self.csvFields.joined(separator: ",") + "\r\n"
        func line(_ list: String, _ platform: Platform?, _ rank: Int, _ row: Row) {
            let item = row.item
            let route = platform?.route
            let values: [String] = [
                list, item.platform, String(rank), String(row.score.total), item.canonicalURL, item.type,
                item.category.category, StoreTime.iso(item.firstReportedAt), String(item.reportCount),
                String(item.reporterCount), item.verdict?.rawValue ?? "", item.checkedAt.map(StoreTime.iso) ?? "",
                String(item.escalationCount), item.lastEscalatedAt.map(StoreTime.iso) ?? "",
                item.responseDueAt.map(StoreTime.iso) ?? "", row.score.explanation, route?.channel ?? "",
                route?.url ?? "", route?.responseHours.map(String.init) ?? "", item.key,
            ]
            out += values.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        for platform in platforms {
            for (index, row) in platform.rows.enumerated() { line("escalate", platform, index + 1, row) }
        }
        for (index, row) in needsPerson.enumerated() { line("needs_person", nil, index + 1, row) }
        return out
    }

    /// A field quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or `@`
    /// is quoted with a `'` so a spreadsheet shows reporter text instead of running it.
    static func csvField(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
