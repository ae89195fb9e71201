extension EscalationList {
    /// One JSON document: platforms with their route and items, the items that need a
    /// person, and what was left out. Keys are snake_case; times are ISO 8601 UTC; a
    /// value that is not known is left out. Written by hand because Foundation's encoder
    /// takes seconds over the tens of thousands of items a large store lists.
    func json() -> String {
        var out = "{\n  \"generated_at\": \(JSONText.string(StoreTime.iso(generatedAt))),\n  \"platforms\": ["
        for (index, platform) in platforms.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += "    {\n      \"platform\": \(JSONText.string(platform.platform)),\n      \"name\": \(JSONText.string(platform.name)),\n"
            if let route = platform.route {
                var fields = ["\"channel\": \(JSONText.string(route.channel))"]
                if let url = route.url { fields.append("\"url\": \(JSONText.string(url))") }
                if let hours = route.responseHours { fields.append("\"response_hours\": \(hours)") }
                out += "      \"route\": {\(fields.joined(separator: ", "))},\n"
            }
            out += "      \"omitted\": \(platform.omitted),\n      \"items\": "
            items(platform.rows, indent: "      ", into: &out)
            out += "\n    }"
        }
        out += platforms.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"needs_person\": "
        items(needsPerson, indent: "  ", into: &out)
        out += ",\n  \"needs_person_omitted\": \(needsPersonOmitted),\n"
        out += "  \"not_checked\": \(context.notChecked),\n  \"awaiting_response\": \(context.awaitingResponse)\n}\n"
        return out
    }

    /// A list of items, one object a line.
    private func items(_ rows: [Row], indent: String, into out: inout String) {
        guard !rows.isEmpty else {
            out += "[]"
            return
        }
        out += "["
        for (index, row) in rows.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += indent + "  "
            item(row, into: &out)
        }
        out += "\n" + indent + "]"
    }

    private func item(_ row: Row, into out: inout String) {
        let item = row.item
        out += "{\"key\": \(JSONText.string(item.key)), \"platform\": \(JSONText.string(item.platform)), "
        out += "\"url\": \(JSONText.string(item.canonicalURL)), \"type\": \(JSONText.string(item.type)), "
        out += "\"category\": \(JSONText.string(item.category.category)), \"category_name\": \(JSONText.string(row.categoryName)), "
        out += "\"category_because\": \(JSONText.string(item.category.because)), "
        out += "\"first_reported_at\": \(JSONText.string(StoreTime.iso(item.firstReportedAt))), "
        out += "\"reports\": \(item.reportCount), \"reporters\": \(item.reporterCount), "
        if let verdict = item.verdict { out += "\"verdict\": \(JSONText.string(verdict.rawValue)), " }
        if let checked = item.checkedAt { out += "\"checked_at\": \(JSONText.string(StoreTime.iso(checked))), " }
        if let reason = item.checkReason { out += "\"check_reason\": \(JSONText.string(reason)), " }
        out += "\"escalations\": \(item.escalationCount), "
        if let escalated = item.lastEscalatedAt { out += "\"last_escalated_at\": \(JSONText.string(StoreTime.iso(escalated))), " }
        if let due = item.responseDueAt { out += "\"response_due_at\": \(JSONText.string(StoreTime.iso(due))), " }
        out += "\"score\": \(row.score.total), \"reasons\": ["
        for (index, reason) in row.score.reasons.enumerated() {
            if index > 0 { out += ", " }
            out += "{\"part\": \(JSONText.string(reason.part)), \"points\": \(reason.points), \"words\": \(JSONText.string(reason.words))}"
        }
        out += "]}"
    }
}
