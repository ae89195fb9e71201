/// The formats `urltriage escalate` writes.
public enum EscalationFormat: String, Sendable, CaseIterable {
    case text, csv, json, markdown
}

extension EscalationList {
    /// Writes the list in `format` into `sink`, ending with a newline. Rows go out as they
    /// are written: a large store lists tens of megabytes, never held as one string.
    public func write(as format: EscalationFormat, to sink: OutputSink) {
        let writer = EscalationWriter(list: self, sink: sink)
        switch format {
        case .text: writer.text()
        case .csv: writer.csv()
        case .json: writer.json()
        case .markdown: writer.markdown()
        }
    }

    /// The list in `format`, ending with a newline.
    public func rendered(as format: EscalationFormat) -> String {
        let sink = OutputSink()
        write(as: format, to: sink)
        return sink.text
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

/// Writes one escalation list into a sink, a piece at a time, in one of the formats (one
/// extension per format). Words that a format escapes (reasons, cells, fields) are written
/// into `scratch` first and copied out escaped.
final class EscalationWriter {
    let list: EscalationList
    let sink: OutputSink
    var scratch = ByteBuffer(capacity: 1024)

    init(list: EscalationList, sink: OutputSink) {
        self.list = list
        self.sink = sink
    }

    deinit { scratch.deallocate() }

    /// Runs `body` on an emptied scratch buffer and returns its bytes, valid until the next use.
    func scratchBytes(_ body: (inout ByteBuffer) -> Void) -> UnsafeBufferPointer<UInt8> {
        scratch.removeAll()
        body(&scratch)
        return scratch.bytes
    }

    /// A row's reasons in one line: `threats and risk to life (…) +50, live for 9 days +9`.
    func writeExplanation(_ row: EscalationList.Row, into out: inout ByteBuffer) {
        row.scoring.scorer.writeExplanation(row.points, of: row.item, now: row.scoring.now, into: &out)
    }

    // MARK: - Words shared by the formats

    /// `2026-11-02 09:14` (UTC): store times as rows show them.
    static func shortTime(_ seconds: Int64, into out: inout ByteBuffer) {
        StoreTime.withISO(seconds) { iso in
            out.append(UnsafeBufferPointer(rebasing: iso[..<min(10, iso.count)]))
            out.append(" ")
            out.append(UnsafeBufferPointer(rebasing: iso[min(11, iso.count)..<min(16, iso.count)]))
        }
    }

    /// `live, checked 2026-11-05 10:00`, or `not checked`.
    static func verdictWords(_ item: EscalationCandidate, into out: inout ByteBuffer) {
        guard let verdict = item.verdict else { return out.append("not checked") }
        out.append(utf8Of: verdict.rawValue)
        if !item.blockedIn.isEmpty {
            out.append(" (blocked in ")
            out.append(utf8Of: item.blockedIn.joined(separator: ", "))
            out.append(")")
        }
        if let checked = item.checkedAt {
            out.append(", checked ")
            shortTime(checked, into: &out)
        }
    }

    /// What the list leaves out, in one line.
    func contextLine() {
        let platforms = list.platforms
        let listed = platforms.reduce(0) { $0 + $1.rows.count + $1.omitted }
        sink.append { out in
            DurationWords.count(listed, "item", into: &out)
            out.append(" to escalate on ")
            DurationWords.count(platforms.count, "platform", into: &out)
            out.append("; ")
            out.append(decimal: list.needsPerson.count + list.needsPersonOmitted)
            out.append(" need a person")
            if list.context.awaitingResponse > 0 {
                out.append("; ")
                out.append(decimal: list.context.awaitingResponse)
                out.append(" escalated and within the platform's target")
            }
            if list.context.notChecked > 0 {
                out.append("; ")
                out.append(decimal: list.context.notChecked)
                out.append(" not checked yet (run urltriage recheck)")
            }
            out.append("\n")
        }
    }
}
