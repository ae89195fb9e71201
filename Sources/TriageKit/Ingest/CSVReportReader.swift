import CSV

/// Reads every column of a CSV report file that ingest stores (URL, time,
/// reporter, school, category, notes), streaming, with the physical line each
/// record starts on.
///
/// The URL cell goes through the same extractor as `normalize` reads; the other
/// cells become the report's fields. Lines are counted as `ReportReader` counts
/// them: one per record, plus one per line break inside a quoted field.
enum CSVReportReader {
    static func read(_ buffer: ChunkBuffer, delimiter: UInt8, _ body: (IngestRecord) throws -> Void) throws -> ReportFileShape {
        let stream = RepairingByteStream(buffer)
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true, trimFields: false, delimiter: UnicodeScalar(delimiter))
        } catch {
            if let readError = stream.readError { throw readError }
            throw InputError(.malformedCSV, file: buffer.source.name, line: 1, message: "cannot read the CSV header row")
        }
        let header = reader.headerRow ?? []
        guard let columns = ReportColumns(header: header) else {
            let found = header.map { "\"\($0)\"" }.joined(separator: ", ")
            throw InputError(
                .noURLColumn, file: buffer.source.name, line: 1,
                message: "the CSV header has no url column (columns found: \(found.isEmpty ? "none" : found)); "
                    + "name the column that holds the links \"url\" (or \"link\", \"urls\", \"reported_url\")")
        }
        let shape = ReportFileShape(format: .csv, unusedColumns: columns.unused,
                                    fields: ReportColumns.Field.allCases.filter { columns.fields[$0] != nil })
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        var nextLine = 2 + lineBreaks(in: header)
        while let row = reader.next() {
            let line = nextLine
            nextLine += 1 + lineBreaks(in: row)
            if row.count == 1, row[0].isEmpty {
                try body(IngestRecord(line: line, text: empty, problem: nil, fields: ReportFields()))
                continue
            }
            let fields = Self.fields(of: row, columns: columns)
            guard columns.url < row.count else {
                let problem = "record has \(row.count) field\(row.count == 1 ? "" : "s"); the url column is field \(columns.url + 1)"
                try body(IngestRecord(line: line, text: empty, problem: problem, fields: fields))
                continue
            }
            var cell = row[columns.url]
            if cell.utf8.count > ReportReader.maxLineBytes {
                let problem = "url cell is \(cell.utf8.count) bytes long; cells over \(ReportReader.maxLineBytes) bytes are skipped"
                try body(IngestRecord(line: line, text: empty, problem: problem, fields: fields))
                continue
            }
            var problem: String?
            if cell.allSatisfy(\.isWhitespace) {
                problem = "url cell is empty"
            } else if stream.replacedBytes > 0 && cell.unicodeScalars.contains("\u{FFFD}") {
                problem = "url cell is not valid UTF-8 (bad bytes are shown as U+FFFD)"
            }
            try cell.withUTF8 { try body(IngestRecord(line: line, text: $0, problem: problem, fields: fields)) }
        }
        if let readError = stream.readError { throw readError }
        if let error = reader.error {
            throw InputError(.malformedCSV, file: buffer.source.name, line: nextLine,
                             message: "CSV reading stopped: \(error); the records before this line were ingested; "
                                 + "fix the file and ingest it again (lines already stored are not added twice)")
        }
        return shape
    }

    /// The report fields of one record.
    private static func fields(of row: [String], columns: ReportColumns) -> ReportFields {
        func cell(_ field: ReportColumns.Field) -> String? {
            guard let index = columns.fields[field], index < row.count else { return nil }
            return row[index]
        }
        var fields = ReportFields(
            reporter: ReportFields.clean(cell(.reporter)),
            organisation: ReportFields.clean(cell(.organisation)),
            category: ReportFields.cleanCategory(cell(.category)),
            notes: ReportFields.cleanNotes(cell(.notes)))
        fields.setReportedAt(cell(.reportedAt), field: "reported_at")
        return fields
    }

    /// Line breaks inside the fields of one record: each `\n`, and each `\r` not followed by `\n`.
    private static func lineBreaks(in row: [String]) -> Int {
        var count = 0
        for field in row {
            var previous: UInt8 = 0
            for byte in field.utf8 {
                if byte == 0x0A || previous == 0x0D { count += 1 }
                previous = byte
            }
            if previous == 0x0D { count += 1 }
        }
        return count
    }
}
