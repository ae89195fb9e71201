/// Reads every column of a CSV report file that ingest stores (URL, time,
/// reporter, school, category, notes), streaming, with the physical line each
/// record starts on.
///
/// The URL cell goes through the same extractor as `normalize` reads; the other
/// cells become the report's fields. Lines are counted as `ReportReader` counts
/// them: one per record, plus one per line break inside a quoted field.
enum CSVReportReader {
    static func read(_ buffer: ChunkBuffer, delimiter: UInt8, _ body: (IngestRecord) throws -> Void) throws -> ReportFileShape {
        let file = buffer.source.name
        let parser = CSVParser(buffer, delimiter: delimiter, maxFieldBytes: ReportReader.maxLineBytes)
        let header = try CSVRecords.Header(parser, file: file)
        guard let columns = ReportColumns(header: header.names) else { throw header.noURLColumn(file: file) }
        let shape = ReportFileShape(format: .csv, unusedColumns: columns.unused,
                                    fields: ReportColumns.Field.allCases.filter { columns.fields[$0] != nil })
        let used = [columns.url] + columns.fields.values
        parser.wants = (0...(used.max() ?? 0)).map(used.contains)
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        var nextLine = header.nextLine
        while try parser.next() {
            let line = nextLine
            nextLine += 1 + parser.lineBreaks
            if parser.unterminatedQuote {
                var error = CSVRecords.unterminatedQuote(file: file, line: line)
                error.message += "; fix the file and ingest it again (lines already stored are not added twice)"
                throw error
            }
            let problem = CSVRecords.recordProblem(parser, column: columns.url, maxFieldBytes: ReportReader.maxLineBytes)
            if problem == "" {
                try body(IngestRecord(line: line, text: empty, problem: nil, fields: ReportFields()))
                continue
            }
            let fields = Self.fields(of: parser, columns: columns)
            if let problem {
                try body(IngestRecord(line: line, text: empty, problem: problem, fields: fields))
                continue
            }
            let cell = parser.bytes(columns.url)
            let blank = CSVRecords.isBlank(cell) ? "url cell is empty" : nil
            if let repaired = CSVParser.repairedUTF8(cell) {
                try repaired.withUnsafeBufferPointer {
                    try body(IngestRecord(line: line, text: $0, problem: blank ?? CSVRecords.badUTF8Problem, fields: fields))
                }
            } else {
                try body(IngestRecord(line: line, text: cell, problem: blank, fields: fields))
            }
        }
        return shape
    }

    /// The report fields of one record.
    private static func fields(of parser: CSVParser, columns: ReportColumns) -> ReportFields {
        func cell(_ field: ReportColumns.Field) -> String? {
            guard let index = columns.fields[field], index < parser.fields.count else { return nil }
            return parser.string(index)
        }
        var fields = ReportFields(
            reporter: ReportFields.clean(cell(.reporter)),
            organisation: ReportFields.clean(cell(.organisation)),
            category: ReportFields.cleanCategory(cell(.category)),
            notes: ReportFields.cleanNotes(cell(.notes)))
        fields.setReportedAt(cell(.reportedAt), field: "reported_at")
        return fields
    }
}
