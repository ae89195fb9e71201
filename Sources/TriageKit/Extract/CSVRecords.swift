import CSV
import Foundation

/// Reads the URL column of a CSV file with CSV.swift, streaming, and works out
/// the physical line each record starts on.
///
/// CSV.swift does not report positions, so lines are counted from what it
/// returns: every record ends one line, and every line break kept inside a
/// quoted field is one more.
enum CSVRecords {
    static func read(
        _ buffer: ChunkBuffer, delimiter: UInt8, maxFieldBytes: Int, _ body: (ReportLine) throws -> Void
    ) throws {
        let feed = RepairingByteStream(buffer)
        let reader: CSVReader
        do {
            reader = try CSVReader(
                stream: feed, hasHeaderRow: true, trimFields: false, delimiter: UnicodeScalar(delimiter))
        } catch {
            if let readError = feed.readError { throw readError }
            // Only an empty input has no header row, and the caller has already returned for that.
            throw InputError(.malformedCSV, file: buffer.source.name, line: 1, message: "cannot read the CSV header row")
        }
        let header = reader.headerRow ?? []
        let names = header.map(CSVDialect.normalizedHeader)
        guard let column = InputFormat.urlFieldNames.lazy.compactMap({ names.firstIndex(of: $0) }).first else {
            let found = header.map { "\"\($0)\"" }.joined(separator: ", ")
            throw InputError(
                .noURLColumn, file: buffer.source.name, line: 1,
                message: "the CSV header has no url column (columns found: \(found.isEmpty ? "none" : found)); "
                    + "name the column that holds the links \"url\" (or \"link\", \"urls\", \"reported_url\")")
        }

        var nextLine = 1 + lineBreaks(in: header) + 1
        while let row = reader.next() {
            let line = nextLine
            nextLine += 1 + lineBreaks(in: row)
            if row.count == 1, row[0].isEmpty {
                try body(ReportLine(line: line, text: UnsafeBufferPointer(start: nil, count: 0)))
                continue
            }
            guard column < row.count else {
                try body(ReportLine(
                    line: line, text: UnsafeBufferPointer(start: nil, count: 0),
                    problem: "record has \(row.count) field\(row.count == 1 ? "" : "s"); the url column is field \(column + 1)"))
                continue
            }
            var cell = row[column]
            let length = cell.utf8.count
            if length > maxFieldBytes {
                try body(ReportLine(
                    line: line, text: UnsafeBufferPointer(start: nil, count: 0),
                    problem: "url cell is \(length) bytes long; cells over \(maxFieldBytes) bytes are skipped"))
                continue
            }
            var problem: String?
            if cell.allSatisfy(\.isWhitespace) {
                problem = "url cell is empty"
            } else if feed.replacedBytes > 0 && cell.unicodeScalars.contains("\u{FFFD}") {
                problem = "url cell is not valid UTF-8 (bad bytes are shown as U+FFFD)"
            }
            try cell.withUTF8 { try body(ReportLine(line: line, text: $0, problem: problem)) }
        }
        if let readError = feed.readError { throw readError }
        if let error = reader.error {
            throw InputError(
                .malformedCSV, file: buffer.source.name, line: nextLine,
                message: "CSV reading stopped: \(error); the records before this line were read")
        }
    }

    /// Line breaks inside the fields of one record: each `\n`, and each `\r` not followed by `\n`.
    private static func lineBreaks(in row: [String]) -> Int {
        var count = 0
        for field in row {
            var previous: UInt8 = 0
            for byte in field.utf8 {
                if byte == 0x0A {
                    count += 1
                } else if previous == 0x0D {
                    count += 1
                }
                previous = byte
            }
            if previous == 0x0D { count += 1 }
        }
        return count
    }
}
