extension EscalationList {
    /// The list as staff read it in a terminal: a block per platform, each item
    /// with its URL on a line of its own so it can be copied whole.
    func textTable() -> String {
        var out = ""
        if platforms.isEmpty {
            out += "Nothing to escalate now.\n"
        }
        for platform in platforms {
            let count = platform.rows.count + platform.omitted
            out += "\(platform.name): \(DurationWords.count(count, "item")) to escalate, most urgent first\n"
            out += "  route: \(Self.routeWords(platform.route))\n"
            out += rowsText(platform.rows)
            if platform.omitted > 0 { out += "  … and \(platform.omitted) more (raise --limit to see them)\n" }
            out += "\n"
        }
        if !needsPerson.isEmpty {
            let count = needsPerson.count + needsPersonOmitted
            out += "Needs a person: \(DurationWords.count(count, "item")) no check could decide (look before escalating)\n"
            out += rowsText(needsPerson)
            if needsPersonOmitted > 0 { out += "  … and \(needsPersonOmitted) more (raise --limit to see them)\n" }
            out += "\n"
        }
        out += contextLine()
        return out
    }

    private func rowsText(_ rows: [Row]) -> String {
        var out = ""
        for (index, row) in rows.enumerated() {
            let item = row.item
            out += "  \(index + 1). score \(row.score.total)  \(item.canonicalURL)\n"
            var facts = [item.type, item.category.category, "first reported \(Self.shortTime(item.firstReportedAt))",
                         Self.reportWords(item), Self.verdictWords(item)]
            if let escalated = item.lastEscalatedAt {
                facts.append("escalated \(Self.shortTime(escalated))")
            }
            out += "     \(facts.joined(separator: " · "))\n"
            if let reason = item.checkReason, item.verdict == .unknown || item.verdict == .error {
                out += "     check: \(reason)\n"
            }
            out += "     why: \(row.score.explanation)\n"
        }
        return out
    }

    /// What the list leaves out, in one line.
    func contextLine() -> String {
        var parts: [String] = []
        let listed = platforms.reduce(0) { $0 + $1.rows.count + $1.omitted }
        parts.append("\(DurationWords.count(listed, "item")) to escalate on \(DurationWords.count(platforms.count, "platform"))")
        parts.append("\(needsPerson.count + needsPersonOmitted) need a person")
        if context.awaitingResponse > 0 {
            parts.append("\(context.awaitingResponse) escalated and within the platform's target")
        }
        if context.notChecked > 0 {
            parts.append("\(context.notChecked) not checked yet (run urltriage recheck)")
        }
        return parts.joined(separator: "; ") + "\n"
    }
}
