extension EscalationList {
    /// Text safe inside a table cell: pipes escaped, line breaks as spaces.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}

extension EscalationWriter {
    /// A Markdown section per platform with a table, for a ticket or an e-mail.
    func markdown() {
        sink.append { out in
            out.append("# Escalation list, ")
            Self.shortTime(list.generatedAt, into: &out)
            out.append(" UTC\n\n")
        }
        let actNow = list.actNow
        if !actNow.isEmpty {
            sink.append("## Act now (\(actNow.count)), above everything else\n\n")
            for row in actNow {
                sink.append("- ")
                urlCell(row)
                sink.append(": ")
                sink.append(EscalationList.cell("\(row.categoryName): " + (row.route.actNow + row.route.platform).joined(separator: "; then ")))
                sink.append("\n")
            }
            sink.append("\n")
        }
        if list.platforms.isEmpty { sink.append("Nothing to escalate now.\n\n") }
        for platform in list.platforms {
            sink.append("## \(EscalationList.cell(platform.name)) (\(platform.rows.count + platform.omitted))\n\n")
            sink.append("Route: \(EscalationList.cell(EscalationList.routeWords(platform.route)))\n\n")
            table(platform.rows)
            if platform.omitted > 0 { sink.append("\n… and \(platform.omitted) more.\n") }
            sink.append("\n")
        }
        if !list.needsPerson.isEmpty {
            sink.append("## Needs a person (\(list.needsPerson.count + list.needsPersonOmitted))\n\n")
            sink.append("No check could tell whether these are up; look before escalating.\n\n")
            table(list.needsPerson)
            if list.needsPersonOmitted > 0 { sink.append("\n… and \(list.needsPersonOmitted) more.\n") }
            sink.append("\n")
        }
        contextLine()
    }

    private func table(_ rows: [EscalationList.Row]) {
        sink.append("| # | score | URL | type | category | first reported | reports | last verdict | why | harm route |\n")
        sink.append("|---:|---:|---|---|---|---|---|---|---|---|\n")
        for (index, row) in rows.enumerated() {
            let item = row.item
            sink.append("| ")
            sink.append(number: index + 1)
            sink.append(" | ")
            sink.append(number: row.points.total)
            sink.append(" | ")
            urlCell(row)
            cell { $0.append(utf8Of: item.type) }
            cell { $0.append(utf8Of: item.category.category) }
            cell { Self.shortTime(item.firstReportedAt, into: &$0) }
            cell { PriorityScorer.writeReports(of: item, into: &$0) }
            cell { Self.verdictWords(item, into: &$0) }
            cell { writeExplanation(row, into: &$0) }
            cell { $0.append(utf8Of: row.route.line) }
            sink.append(" |\n")
            sink.endRecord()
        }
    }

    /// The URL as a link, or, when it must not be opened, as text a click cannot follow.
    private func urlCell(_ row: EscalationList.Row) {
        let url = row.item.canonicalURL
        if row.withholdOpenLink {
            let safe = !url.contains("`") && !url.contains("|") && !url.contains("\n")
            sink.append(safe ? "**DO NOT OPEN** `\(url)`" : "**DO NOT OPEN** " + EscalationList.cell(url.replacingOccurrences(of: "://", with: "[:]//")))
        } else {
            sink.append(EscalationList.cell("<\(url)>"))
        }
    }

    /// A separator and the cell `body` writes, made safe as `EscalationList.cell` makes it: on
    /// bytes where bytes and characters agree (ASCII without a carriage return), else through `cell`.
    private func cell(_ body: (inout ByteBuffer) -> Void) {
        sink.append(" | ")
        let value = scratchBytes(body)
        guard value.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else {
            return sink.append(EscalationList.cell(String(decoding: value, as: UTF8.self)))
        }
        for byte in value {
            switch byte {
            case 0x7C: sink.append("\\|")
            case 0x0A: sink.append(byte: 0x20)
            default: sink.append(byte: byte)
            }
        }
    }
}
