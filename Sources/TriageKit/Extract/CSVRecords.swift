/// Reads the URL column of a CSV file with `CSVParser`, streaming, and works
/// out the physical line each record starts on: every record ends one line,
/// and every line break kept inside a quoted field is one more.
enum CSVRecords {
    static func read(
        _ buffer: ChunkBuffer, delimiter: UInt8, maxFieldBytes: Int, _ body: (ReportLine) throws -> Void
    ) throws {
        let parser = CSVParser(buffer, delimiter: delimiter, maxFieldBytes: maxFieldBytes)
        let header = try Header(parser, file: buffer.source.name)
        let column = try header.urlColumn(file: buffer.source.name)
        parser.wants = Array(repeating: false, count: column) + [true]
        var nextLine = header.nextLine
        while try parser.next() {
            let line = nextLine
            nextLine += 1 + parser.lineBreaks
            if parser.unterminatedQuote { throw unterminatedQuote(file: buffer.source.name, line: line) }
            if let problem = recordProblem(parser, column: column, maxFieldBytes: maxFieldBytes) {
                try body(ReportLine(line: line, text: UnsafeBufferPointer(start: nil, count: 0), problem: problem.isEmpty ? nil : problem))
                continue
            }
            let cell = parser.bytes(column)
            if let repaired = CSVParser.repairedUTF8(cell) {
                try repaired.withUnsafeBufferPointer {
                    try body(ReportLine(line: line, text: $0, problem: isBlank(cell) ? "url cell is empty" : badUTF8Problem))
                }
            } else {
                try body(ReportLine(line: line, text: cell, problem: isBlank(cell) ? "url cell is empty" : nil))
            }
        }
    }

    static let badUTF8Problem = "url cell is not valid UTF-8 (bad bytes are shown as U+FFFD)"

    /// Why the current record has no url cell to read: "" for a blank line
    /// (a record without a problem, but without text), nil when it has one.
    static func recordProblem(_ parser: CSVParser, column: Int, maxFieldBytes: Int) -> String? {
        let fields = parser.fields
        if fields.count == 1, fields[0].length == 0 { return "" }
        guard column < fields.count else {
            return "record has \(fields.count) field\(fields.count == 1 ? "" : "s"); the url column is field \(column + 1)"
        }
        if fields[column].isOverlong {
            return "url cell is \(fields[column].length) bytes long; cells over \(maxFieldBytes) bytes are skipped"
        }
        return nil
    }

    static func unterminatedQuote(file: String, line: Int) -> InputError {
        InputError(.malformedCSV, file: file, line: line,
                   message: "a quoted field opened in the record on this line is never closed (an unmatched \"); "
                       + "the records before it were read")
    }

    /// True when the cell is empty or only whitespace (as `Character.isWhitespace` says).
    static func isBlank(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        var ascii = true
        for byte in cell {
            if byte >= 0x80 { ascii = false; break }
            if !(byte == 0x20 || (0x09...0x0D).contains(byte)) { return false }
        }
        if ascii { return true }
        return String(decoding: cell, as: UTF8.self).allSatisfy(\.isWhitespace)
    }

    /// The header row: its names as found, and the line the first record starts on.
    struct Header {
        let names: [String]
        let nextLine: Int

        init(_ parser: CSVParser, file: String) throws {
            parser.wants = nil
            guard try parser.next() else {
                // Only an empty input has no header row, and the caller has already returned for that.
                throw InputError(.malformedCSV, file: file, line: 1, message: "cannot read the CSV header row")
            }
            if parser.unterminatedQuote { throw CSVRecords.unterminatedQuote(file: file, line: 1) }
            names = parser.fields.indices.map(parser.string)
            nextLine = 2 + parser.lineBreaks
        }

        func urlColumn(file: String) throws -> Int {
            let normalized = names.map(CSVDialect.normalizedHeader)
            guard let column = InputFormat.urlFieldNames.lazy.compactMap({ normalized.firstIndex(of: $0) }).first else {
                throw noURLColumn(file: file)
            }
            return column
        }

        func noURLColumn(file: String) -> InputError {
            let found = names.map { "\"\($0)\"" }.joined(separator: ", ")
            return InputError(
                .noURLColumn, file: file, line: 1,
                message: "the CSV header has no url column (columns found: \(found.isEmpty ? "none" : found)); "
                    + "name the column that holds the links \"url\" (or \"link\", \"urls\", \"reported_url\")")
        }
    }
}
