import Foundation
public import TriageKit

/// Where an ingest puts what a record gave: a report per usable URL, a problem per line or
/// URL that gave none. The SQLite store writes each row as it comes; the PostgreSQL store
/// streams them into `COPY`.
public protocol IngestRowSink: AnyObject {
    func storeReport(_ classification: Classification, line: Int, urlIndex: Int, fields: ReportFields) throws
    func storeProblem(line: Int, position: Int, reason: String) throws
}

/// Turns a report file's records into report and problem rows, the same for every store:
/// the normalising, the defaults the ingest options give, a date from the future replaced,
/// notes cut to the store's limit, and the problems each of those records.
public final class IngestRecordSplitter {
    let options: IngestOptions
    /// The batch's counts, as `normalize` gives them.
    public let normalizer: BatchNormalizer
    /// Blank lines (not stored as problems).
    public private(set) var blankLines = 0
    /// Rows classified on the current record, reused from record to record.
    private var rows: [NormalizedRow] = []

    public init(rules: RuleSet, options: IngestOptions) {
        self.options = options
        normalizer = BatchNormalizer(rules: rules)
    }

    /// The most of a report's notes a store keeps: 64 KiB of UTF-8, a long e-mail thread
    /// pasted whole. Ingest keeps the start of a longer note and records a problem for the line.
    public static let maxNotesBytes = 65_536

    /// Splits one record into `sink`'s rows; returns how many rows it gave.
    @discardableResult
    public func split<Sink: IngestRowSink>(_ record: IngestRecord, into sink: Sink) throws -> Int {
        if record.isBlank {
            blankLines += 1
            normalizer.process(line: record.line, text: record.text, problem: nil) { _ in }
            return 0
        }
        rows.removeAll(keepingCapacity: true)
        normalizer.process(line: record.line, text: record.text, problem: record.problem) { rows.append($0) }
        var written = 0
        var fields = record.fields
        var late: Int64?
        if let at = fields.reportedAt, at > options.now + StoreTime.day {
            late = at
            fields.reportedAt = nil
        }
        fields.reportedAt = fields.reportedAt ?? options.reportedAt ?? options.now
        var notesBytes: Int?
        if let notes = fields.notes, notes.utf8.count > Self.maxNotesBytes {
            notesBytes = notes.utf8.count
            fields.notes = Self.prefix(of: notes, bytes: Self.maxNotesBytes)
        }
        fields.reporter = fields.reporter ?? options.reporter
        fields.organisation = fields.organisation ?? options.organisation
        fields.category = fields.category ?? options.category
        var urlIndex = 0
        for (position, row) in rows.enumerated() {
            if let classification = row.classification {
                try sink.storeReport(classification, line: record.line, urlIndex: urlIndex, fields: fields)
                urlIndex += 1
            } else {
                try sink.storeProblem(line: record.line, position: position, reason: row.error ?? "no URL found")
            }
            written += 1
        }
        // A field's problem matters only for the reports it belongs to; a line that gave none
        // already has its own problem recorded.
        if urlIndex > 0 {
            if let problem = record.fields.problem {
                try sink.storeProblem(line: record.line, position: -1, reason: problem)
                written += 1
            }
            if let late {
                try sink.storeProblem(line: record.line, position: -2, reason: """
                    the report is dated \(StoreTime.iso(late)), more than a day after the ingest: a date in the future \
                    cannot be right, so the ingest time was used
                    """)
                written += 1
            }
            if let notesBytes {
                try sink.storeProblem(line: record.line, position: -3, reason: """
                    the notes are \(Self.grouped(notesBytes)) bytes; the first \(Self.grouped(Self.maxNotesBytes)) \
                    (the limit) were kept, and the rest is only in the file
                    """)
                written += 1
            }
        }
        return written
    }

    // MARK: - Limits

    /// The longest start of `text` that is whole characters and at most `bytes` of UTF-8.
    static func prefix(of text: String, bytes: Int) -> String {
        let utf8 = text.utf8
        var end = utf8.index(utf8.startIndex, offsetBy: bytes)
        while end > utf8.startIndex, String.Index(end, within: text) == nil {
            end = utf8.index(before: end)
        }
        return String(text[..<end])
    }

    /// 65536 as "65,536".
    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}

extension IngestWriter: IngestRowSink {}
