/// One record of a report file as ingest sees it: where it is, the text to find
/// URLs in, and what else the report says.
///
/// `text` points into the reader's buffer and is valid only during the call.
public struct IngestRecord {
    /// 1-based line; for CSV, the physical line where the record starts.
    public var line: Int
    /// The line (text), the URL cell (CSV) or the URL strings joined by newlines (JSON Lines).
    public var text: UnsafeBufferPointer<UInt8>
    /// What is wrong with the record itself, if anything (as in `ReportLine`).
    public var problem: String?
    public var fields: ReportFields

    /// A blank line or an empty record: nothing to store, not even a problem.
    public var isBlank: Bool {
        problem == nil && BatchNormalizer.isBlank(text)
    }
}

/// What a report file turned out to be, for the ingest summary.
public struct ReportFileShape: Sendable, Equatable {
    public var format: InputFormat
    /// CSV: header names that matched no field and were not stored.
    public var unusedColumns: [String] = []
    /// CSV: the fields found besides the URL.
    public var fields: [ReportColumns.Field] = []

    public init(format: InputFormat, unusedColumns: [String] = [], fields: [ReportColumns.Field] = []) {
        self.format = format
        self.unusedColumns = unusedColumns
        self.fields = fields
    }
}
