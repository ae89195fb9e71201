extension EscalationList {
    /// A Markdown section per platform with a table, for a ticket or an e-mail.
    func markdown() -> String {
        var out = "# Escalation list, \(Self.shortTime(generatedAt)) UTC\n\n"
        if platforms.isEmpty { out += "Nothing to escalate now.\n\n" }
        for platform in platforms {
            out += "## \(Self.cell(platform.name)) (\(platform.rows.count + platform.omitted))\n\n"
            out += "Route: \(Self.cell(Self.routeWords(platform.route)))\n\n"
            out += table(platform.rows)
            if platform.omitted > 0 { out += "\n… and \(platform.omitted) more.\n" }
            out += "\n"
        }
        if !needsPerson.isEmpty {
            out += "## Needs a person (\(needsPerson.count + needsPersonOmitted))\n\n"
            out += "No check could tell whether these are up; look before escalating.\n\n"
            out += table(needsPerson)
            if needsPersonOmitted > 0 { out += "\n… and \(needsPersonOmitted) more.\n" }
            out += "\n"
        }
        out += contextLine()
        return out
    }

    private func table(_ rows: [Row]) -> String {
        var out = "| # | score | URL | type | category | first reported | reports | last verdict | why |\n"
        out += "|---:|---:|---|---|---|---|---|---|---|\n"
        for (index, row) in rows.enumerated() {
            let item = row.item
            let cells = [String(index + 1), String(row.score.total), "<\(item.canonicalURL)>", item.type,
                         item.category.category, Self.shortTime(item.firstReportedAt), Self.reportWords(item),
                         Self.verdictWords(item), row.score.explanation]
            out += "| " + cells.map(Self.cell).joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// Text safe inside a table cell: pipes escaped, line breaks as spaces.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
