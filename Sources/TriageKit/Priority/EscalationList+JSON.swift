extension EscalationWriter {
    /// One JSON document: platforms with their route and items, the items that need a
    /// person, and what was left out. Keys are snake_case; times are ISO 8601 UTC; a
    /// value that is not known is left out. Written by hand because Foundation's encoder
    /// takes seconds over the tens of thousands of items a large store lists.
    func json() {
        sink.append("{\n  \"generated_at\": ")
        isoString(list.generatedAt)
        sink.append(",\n  \"act_now\": [")
        for (index, row) in list.actNow.enumerated() {
            if index > 0 { sink.append(", ") }
            sink.appendJSONString(row.item.key)
        }
        sink.append("],\n  \"platforms\": [")
        for (index, platform) in list.platforms.enumerated() {
            sink.append(index == 0 ? "\n" : ",\n")
            sink.append("    {\n      \"platform\": ")
            sink.appendJSONString(platform.platform)
            sink.append(",\n      \"name\": ")
            sink.appendJSONString(platform.name)
            sink.append(",\n")
            if let route = platform.route {
                sink.append("      \"route\": {\"channel\": ")
                sink.appendJSONString(route.channel)
                if let url = route.url {
                    sink.append(", \"url\": ")
                    sink.appendJSONString(url)
                }
                if let hours = route.responseHours {
                    sink.append(", \"response_hours\": ")
                    sink.append(number: hours)
                }
                sink.append("},\n")
            }
            sink.append("      \"omitted\": ")
            sink.append(number: platform.omitted)
            sink.append(",\n      \"items\": ")
            items(platform.rows, indent: "      ")
            sink.append("\n    }")
        }
        sink.append(list.platforms.isEmpty ? "],\n" : "\n  ],\n")
        sink.append("  \"needs_person\": ")
        items(list.needsPerson, indent: "  ")
        sink.append(",\n  \"needs_person_omitted\": ")
        sink.append(number: list.needsPersonOmitted)
        sink.append(",\n  \"not_checked\": ")
        sink.append(number: list.context.notChecked)
        sink.append(",\n  \"awaiting_response\": ")
        sink.append(number: list.context.awaitingResponse)
        sink.append("\n}\n")
    }

    /// A list of items, one object a line.
    private func items(_ rows: [EscalationList.Row], indent: StaticString) {
        guard !rows.isEmpty else { return sink.append("[]") }
        sink.append("[")
        for (index, row) in rows.enumerated() {
            sink.append(index == 0 ? "\n" : ",\n")
            sink.append(indent)
            sink.append("  ")
            item(row)
            sink.endRecord()
        }
        sink.append("\n")
        sink.append(indent)
        sink.append("]")
    }

    private func item(_ row: EscalationList.Row) {
        let item = row.item
        sink.append("{\"key\": ")
        sink.appendJSONString(item.key)
        sink.append(", \"platform\": ")
        sink.appendJSONString(item.platform)
        sink.append(", \"url\": ")
        sink.appendJSONString(item.canonicalURL)
        sink.append(", \"type\": ")
        sink.appendJSONString(item.type)
        sink.append(", \"category\": ")
        sink.appendJSONString(item.category.category)
        sink.append(", \"category_name\": ")
        sink.appendJSONString(row.categoryName)
        sink.append(", \"category_because\": ")
        sink.appendJSONString(item.category.because)
        sink.append(", \"categories\": ")
        strings(item.category.categories)
        sink.append(", \"first\": ")
        sink.append(row.route.first ? "true" : "false")
        sink.append(", \"withhold_open_link\": ")
        sink.append(row.withholdOpenLink ? "true" : "false")
        sink.append(", \"act_now\": ")
        strings(row.route.actNow + row.route.platform)
        sink.append(", \"warnings\": ")
        strings(row.route.warnings)
        sink.append(", \"report_to\": [")
        for (index, destination) in row.route.reportTo.enumerated() {
            sink.append(index == 0 ? "{\"name\": " : ", {\"name\": ")
            sink.appendJSONString(destination.name)
            if let url = destination.url {
                sink.append(", \"url\": ")
                sink.appendJSONString(url)
            }
            sink.append("}")
        }
        sink.append("]")
        sink.append(", \"first_reported_at\": ")
        isoString(item.firstReportedAt)
        sink.append(", \"reports\": ")
        sink.append(number: item.reportCount)
        sink.append(", \"reporters\": ")
        sink.append(number: item.reporterCount)
        sink.append(", ")
        field("\"verdict\": ", item.verdict?.rawValue)
        if !item.blockedIn.isEmpty {
            // Only where regions disagree: other lists keep their fields.
            sink.append("\"blocked_in\": ")
            strings(item.blockedIn)
            sink.append(", ")
        }
        time("\"checked_at\": ", item.checkedAt)
        field("\"check_reason\": ", item.checkReason)
        sink.append("\"escalations\": ")
        sink.append(number: item.escalationCount)
        sink.append(", ")
        time("\"last_escalated_at\": ", item.lastEscalatedAt)
        time("\"response_due_at\": ", item.responseDueAt)
        sink.append("\"score\": ")
        sink.append(number: row.points.total)
        sink.append(", \"reasons\": [")
        var first = true
        for part in ScorePart.allCases where row.points[part] > 0 {
            if !first { sink.append(", ") }
            first = false
            sink.append("{\"part\": ")
            sink.appendJSONString(part.name)
            sink.append(", \"points\": ")
            sink.append(number: row.points[part])
            sink.append(", \"words\": ")
            sink.appendJSONString(scratchBytes { row.scoring.scorer.write(part, of: item, now: row.scoring.now, into: &$0) })
            sink.append("}")
        }
        sink.append("]}")
    }

    /// A JSON list of strings.
    private func strings(_ values: [String]) {
        sink.append("[")
        for (index, value) in values.enumerated() {
            if index > 0 { sink.append(", ") }
            sink.appendJSONString(value)
        }
        sink.append("]")
    }

    /// `"name": "value", ` when there is a value; nothing when it is not known.
    private func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        sink.append(name)
        sink.appendJSONString(value)
        sink.append(", ")
    }

    private func time(_ name: StaticString, _ seconds: Int64?) {
        guard let seconds else { return }
        sink.append(name)
        isoString(seconds)
        sink.append(", ")
    }

    private func isoString(_ seconds: Int64) {
        StoreTime.withISO(seconds) { sink.appendJSONString($0) }
    }
}
