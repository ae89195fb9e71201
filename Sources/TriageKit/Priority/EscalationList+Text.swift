extension EscalationWriter {
    /// The list as staff read it in a terminal: a block per platform, each item
    /// with its URL on a line of its own so it can be copied whole.
    func text() {
        if list.platforms.isEmpty {
            sink.append("Nothing to escalate now.\n")
        }
        for platform in list.platforms {
            sink.append(platform.name)
            sink.append { out in
                out.append(": ")
                DurationWords.count(platform.rows.count + platform.omitted, "item", into: &out)
                out.append(" to escalate, most urgent first\n  route: ")
            }
            sink.append(EscalationList.routeWords(platform.route))
            sink.append("\n")
            rowsText(platform.rows)
            if platform.omitted > 0 { more(platform.omitted) }
            sink.append("\n")
        }
        if !list.needsPerson.isEmpty {
            sink.append { out in
                out.append("Needs a person: ")
                DurationWords.count(list.needsPerson.count + list.needsPersonOmitted, "item", into: &out)
                out.append(" no check could decide (look before escalating)\n")
            }
            rowsText(list.needsPerson)
            if list.needsPersonOmitted > 0 { more(list.needsPersonOmitted) }
            sink.append("\n")
        }
        contextLine()
    }

    private func more(_ omitted: Int) {
        sink.append("  … and ")
        sink.append(number: omitted)
        sink.append(" more (raise --limit to see them)\n")
    }

    private func rowsText(_ rows: [EscalationList.Row]) {
        for (index, row) in rows.enumerated() {
            let item = row.item
            sink.append { out in
                out.append("  ")
                out.append(decimal: index + 1)
                out.append(". score ")
                out.append(decimal: row.points.total)
                out.append("  ")
                out.append(utf8Of: item.canonicalURL)
                out.append("\n     ")
                out.append(utf8Of: item.type)
                out.append(" · ")
                out.append(utf8Of: item.category.category)
                out.append(" · first reported ")
                Self.shortTime(item.firstReportedAt, into: &out)
                out.append(" · ")
                PriorityScorer.writeReports(of: item, into: &out)
                out.append(" · ")
                Self.verdictWords(item, into: &out)
                if let escalated = item.lastEscalatedAt {
                    out.append(" · escalated ")
                    Self.shortTime(escalated, into: &out)
                }
                if let reason = item.checkReason, item.verdict == .unknown || item.verdict == .error {
                    out.append("\n     check: ")
                    out.append(utf8Of: reason)
                }
                out.append("\n     why: ")
                writeExplanation(row, into: &out)
                out.append("\n")
            }
            sink.endRecord()
        }
    }
}
