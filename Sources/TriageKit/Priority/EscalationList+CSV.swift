extension EscalationList {
    /// The CSV header: one row per item, for a spreadsheet or a platform's bulk form.
    static let csvFields = ["list", "platform", "rank", "score", "url", "type", "category", "first_reported",
                            "reports", "reporters", "verdict", "checked_at", "escalations", "last_escalated",
                            "response_due", "reasons", "channel", "route_url", "response_hours", "key",
                            "act_now", "harm_route", "report_to", "warning", "withhold_open_link", "categories"]

    /// A field quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or `@`
    /// is quoted with a `'` so a spreadsheet shows reporter text instead of running it.
    static func csvField(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension EscalationWriter {
    /// RFC 4180 CSV with a header.
    func csv() {
        for (index, name) in EscalationList.csvFields.enumerated() {
            if index > 0 { sink.append(",") }
            sink.append(name)
        }
        sink.append("\r\n")
        for platform in list.platforms {
            for (index, row) in platform.rows.enumerated() { line("escalate", platform, index + 1, row) }
        }
        for (index, row) in list.needsPerson.enumerated() { line("needs_person", nil, index + 1, row) }
    }

    private func line(_ list: StaticString, _ platform: EscalationList.Platform?, _ rank: Int, _ row: EscalationList.Row) {
        let item = row.item
        let route = platform?.route
        sink.append(list)
        field { $0.append(utf8Of: item.platform) }
        field { $0.append(decimal: rank) }
        field { $0.append(decimal: row.points.total) }
        field { $0.append(utf8Of: item.canonicalURL) }
        field { $0.append(utf8Of: item.type) }
        field { $0.append(utf8Of: item.category.category) }
        field { Self.iso(item.firstReportedAt, into: &$0) }
        field { $0.append(decimal: item.reportCount) }
        field { $0.append(decimal: item.reporterCount) }
        field { $0.append(utf8Of: item.verdict?.rawValue ?? "") }
        field { Self.iso(item.checkedAt, into: &$0) }
        field { $0.append(decimal: item.escalationCount) }
        field { Self.iso(item.lastEscalatedAt, into: &$0) }
        field { Self.iso(item.responseDueAt, into: &$0) }
        field { writeExplanation(row, into: &$0) }
        field { $0.append(utf8Of: route?.channel ?? "") }
        field { $0.append(utf8Of: route?.url ?? "") }
        field { out in if let hours = route?.responseHours { out.append(decimal: hours) } }
        field { $0.append(utf8Of: item.key) }
        field { out in if row.route.first { out.append("yes") } }
        field { $0.append(utf8Of: (row.route.actNow + row.route.platform).joined(separator: "; then ")) }
        field { out in
            out.append(utf8Of: row.route.reportTo.map { destination in
                destination.url.map { "\(destination.name) \($0)" } ?? destination.name
            }.joined(separator: "; "))
        }
        field { $0.append(utf8Of: row.route.warnings.joined(separator: "; ")) }
        field { out in if row.withholdOpenLink { out.append("yes") } }
        field { $0.append(utf8Of: item.category.categories.joined(separator: " ")) }
        sink.append("\r\n")
        sink.endRecord()
    }

    private static func iso(_ seconds: Int64?, into out: inout ByteBuffer) {
        guard let seconds else { return }
        StoreTime.withISO(seconds) { out.append($0) }
    }

    /// A comma and the field `body` writes, made safe as `EscalationList.csvField` makes it.
    ///
    /// On bytes where bytes and characters agree (ASCII without a carriage return, which
    /// joins a following line feed into one character); anything else through `csvField` itself.
    private func field(_ body: (inout ByteBuffer) -> Void) {
        sink.append(",")
        let value = scratchBytes(body)
        guard value.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else {
            return sink.append(EscalationList.csvField(String(decoding: value, as: UTF8.self)))
        }
        let formula = value.first.map { $0 == 0x3D || $0 == 0x2B || $0 == 0x2D || $0 == 0x40 } ?? false
        guard value.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A }) else {
            if formula { sink.append("'") }
            return sink.append(bytes: value)
        }
        sink.append("\"")
        if formula { sink.append("'") }
        for byte in value {
            if byte == 0x22 { sink.append(byte: 0x22) }
            sink.append(byte: byte)
        }
        sink.append("\"")
    }
}
