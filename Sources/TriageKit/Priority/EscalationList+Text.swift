extension EscalationWriter {
    /// The list as staff read it in a terminal: a block per platform, each item
    /// with its URL on a line of its own so it can be copied whole.
    func text() {
        actNowText()
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
                if row.route.first { out.append("[ACT NOW] ") }
                if row.withholdOpenLink { out.append("[DO NOT OPEN] ") }
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
                Self.routeLines(row.route, into: &out)
                out.append("\n     why: ")
                writeExplanation(row, into: &out)
                out.append("\n")
            }
            sink.endRecord()
        }
    }

    /// The harm's own steps under a row: `act now: …`, `warning: …`, `also report to: …`.
    static func routeLines(_ route: HarmRouteSteps, into out: inout ByteBuffer) {
        for warning in route.warnings {
            out.append("\n     WARNING: ")
            out.append(utf8Of: warning)
        }
        if !route.actNow.isEmpty || !route.platform.isEmpty {
            out.append("\n     act now: ")
            out.append(utf8Of: (route.actNow + route.platform).joined(separator: "; then "))
        }
        for destination in route.reportTo {
            out.append("\n     also report to: ")
            out.append(utf8Of: destination.name)
            if let url = destination.url {
                out.append(" ")
                out.append(utf8Of: url)
            }
        }
    }

    /// The items above every other, before any platform: what to do at once, and where each is listed.
    private func actNowText() {
        let rows = list.actNow
        guard !rows.isEmpty else { return }
        sink.append { out in
            out.append("ACT NOW: ")
            DurationWords.count(rows.count, "item", into: &out)
            out.append(", above everything else\n")
        }
        for row in rows {
            sink.append { out in
                out.append("  ")
                if row.withholdOpenLink { out.append("[DO NOT OPEN] ") }
                out.append(utf8Of: row.item.canonicalURL)
                out.append("\n     ")
                out.append(utf8Of: row.categoryName)
                out.append(": ")
                out.append(utf8Of: (row.route.actNow + row.route.platform).joined(separator: "; then "))
                out.append("\n")
            }
        }
        sink.append("\n")
    }
}
