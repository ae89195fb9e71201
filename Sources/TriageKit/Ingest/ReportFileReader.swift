/// Reads a report file for ingest (text, CSV or JSON Lines), record by record,
/// with each record's fields besides its URLs.
///
/// Text lines go through `ReportReader` unchanged, and the whole line is kept
/// as the report's notes (it is the reporter's words). CSV and JSON Lines are
/// read here because ingest needs their other columns.
public struct ReportFileReader: Sendable {
    /// The file to read (standard input has already been copied to a file).
    public let path: String
    /// The name for messages and for detecting the format from an extension.
    public let name: String
    public let format: InputFormat?
    public let allowBinary: Bool

    public init(path: String, name: String, format: InputFormat?, allowBinary: Bool) {
        self.path = path
        self.name = name
        self.format = format
        self.allowBinary = allowBinary
    }

    /// Calls `body` once per record, in order; returns what the file turned out to be.
    ///
    /// Throws `InputError` for a problem with the whole file, and whatever `body` throws.
    public func read(_ body: (IngestRecord) throws -> Void) throws -> ReportFileShape {
        let source = try ByteSource(path: path)
        let buffer = ChunkBuffer(source: source, capacity: ReportReader.chunkBytes + ReportReader.maxLineBytes + 2)
        try buffer.fill(atLeast: ReportReader.sniffBytes)
        var bomLength = 0
        if ReportReader.hasUTF8BOM(buffer.unread) {
            buffer.start += 3
            bomLength = 3
        }
        let format = self.format ?? InputFormat.detect(path: name, firstBytes: buffer.unread)
        guard !buffer.unread.isEmpty else { return ReportFileShape(format: format) }
        if !allowBinary, let problem = ReportReader.binaryProblem(buffer.unread, offset: bomLength) {
            throw InputError(.binary, file: name, message: problem)
        }
        switch format {
        case .text:
            try readText(body)
            return ReportFileShape(format: .text)
        case .jsonl:
            return try JSONLReportReader.read(buffer, body)
        case .csv:
            let delimiter = name.lowercased().hasSuffix(".tsv")
                ? 0x09 : CSVDialect.sniffDelimiter(firstLine: Array(buffer.unread.prefix { $0 != 0x0A }))
            return try CSVReportReader.read(buffer, delimiter: delimiter, body)
        }
    }

    private func readText(_ body: (IngestRecord) throws -> Void) throws {
        let reader = ReportReader(path: path, format: .text, allowBinary: true)
        do {
            try reader.read { record in
                let notes = record.problem == nil ? ReportFields.cleanNotes(String(decoding: record.text, as: UTF8.self)) : nil
                try body(IngestRecord(line: record.line, text: record.text, problem: record.problem,
                                      fields: ReportFields(notes: notes)))
            }
        } catch var error as InputError {
            error.file = name
            throw error
        }
    }
}
