import Foundation
import Testing
@testable import TriageKit

/// The byte-level CSV reader: the edge cases spreadsheets write, records that
/// cross the reader's buffer, and fields too long to hold.
@Suite struct CSVParserTests {
    typealias Record = ReportReaderTests.Record

    func records(_ text: String, name: String = "r.csv") throws -> [Record] {
        try ReportReaderTests().records(text, name: name)
    }

    /// Every record as strings, read through a buffer of `capacity` bytes, so
    /// that quotes, CRLFs and fields are cut between reads everywhere.
    func parse(_ bytes: [UInt8], capacity: Int, delimiter: UInt8 = 0x2C) throws -> [ParsedRecord] {
        let buffer = ChunkBuffer(source: ByteSource(bytes: bytes, name: "t.csv"), capacity: capacity)
        let parser = CSVParser(buffer, delimiter: delimiter, maxFieldBytes: 1 << 20)
        var out: [ParsedRecord] = []
        while try parser.next() {
            out.append(ParsedRecord(fields: parser.fields.indices.map { Array(parser.bytes($0)) },
                                    lineBreaks: parser.lineBreaks, unterminated: parser.unterminatedQuote))
        }
        return out
    }

    struct ParsedRecord: Equatable {
        var fields: [[UInt8]]
        var lineBreaks: Int
        var unterminated: Bool
    }

    /// The grammar of `CSVParser`, written the plain way over the whole input.
    static func reference(_ bytes: [UInt8], delimiter: UInt8 = 0x2C) -> [ParsedRecord] {
        var records: [ParsedRecord] = []
        var index = 0
        let quote = UInt8(ascii: "\"")
        while index < bytes.count {
            var record = ParsedRecord(fields: [], lineBreaks: 0, unterminated: false)
            var field: [UInt8] = []
            var recordEnded = false
            fieldLoop: while true {
                if index < bytes.count, bytes[index] == quote {
                    index += 1
                    quoted: while true {
                        guard index < bytes.count else { record.unterminated = true; break fieldLoop }
                        let byte = bytes[index]
                        index += 1
                        if byte == quote {
                            if index < bytes.count, bytes[index] == quote {
                                field.append(quote)
                                index += 1
                            } else {
                                break quoted
                            }
                        } else {
                            field.append(byte)
                            if byte == 0x0A || (byte == 0x0D && !(index < bytes.count && bytes[index] == 0x0A)) {
                                record.lineBreaks += 1
                            }
                        }
                    }
                }
                while index < bytes.count {
                    let byte = bytes[index]
                    index += 1
                    if byte == delimiter {
                        record.fields.append(field)
                        field = []
                        continue fieldLoop
                    }
                    if byte == 0x0A || byte == 0x0D {
                        if byte == 0x0D, index < bytes.count, bytes[index] == 0x0A { index += 1 }
                        recordEnded = true
                        break fieldLoop
                    }
                    field.append(byte)
                }
                break
            }
            _ = recordEnded
            record.fields.append(field)
            records.append(record)
        }
        return records
    }

    @Test func emptyFieldsAreKeptInTheirPlaces() throws {
        #expect(try records("a,url,b\n,https://a.example,\n,,\n1,\"\",2\n") == [
            Record(2, "https://a.example"),
            Record(3, "", "url cell is empty"),
            Record(4, "", "url cell is empty"),
        ])
    }

    @Test func quotesAtTheEndsOfFieldsAndInsideUnquotedOnes() throws {
        let csv = "url,note\n\"https://a.example/\"\"x\"\"\",\"said \"\"hi\"\"\"\nhttps://b.example/5\",x\"y\n\"https://c.example\"x,n\n"
        #expect(try records(csv) == [
            Record(2, "https://a.example/\"x\""),
            Record(3, "https://b.example/5\""),
            Record(4, "https://c.examplex"),
        ])
    }

    @Test func theLastRecordNeedsNoLineBreak() throws {
        #expect(try records("url\nhttps://a.example\n\"https://b.example\"") == [
            Record(2, "https://a.example"), Record(3, "https://b.example"),
        ])
        #expect(try records("url\r\nhttps://a.example\r") == [Record(2, "https://a.example")])
        #expect(try records("id,url\n1,https://a.example,") == [Record(2, "https://a.example")])
    }

    @Test func carriageReturnsAloneEndRecordsAndCountAsLines() throws {
        #expect(try records("url\rhttps://a.example\r\"x\ry\"\rhttps://b.example\r") == [
            Record(2, "https://a.example"), Record(3, "x\ry"), Record(5, "https://b.example"),
        ])
    }

    @Test func anUnclosedQuoteIsAnErrorNamingTheLineItStartsOn() throws {
        let error = #expect(throws: InputError.self) {
            try ReportReaderTests().records(ReportReader(
                bytes: Array("id,url\n1,https://a.example\n2,\"https://b.example\n3,https://c.example\n".utf8), name: "r.csv"))
        }
        #expect(error?.kind == .malformedCSV)
        #expect(error?.line == 3)
        #expect(error?.description.hasPrefix("r.csv:3: a quoted field opened in the record on this line is never closed") == true)
    }

    @Test func veryLongFieldsAreReadAcrossBuffersOrSkipped() throws {
        // A note of 3 MiB with quotes, commas and line breaks in it: longer than the
        // reader's buffer, so it is read across refills and never held.
        let chunk = "a \"\"quoted\"\", comma\r\nnext line; "
        let note = String(repeating: chunk, count: 3 * (1 << 20) / chunk.utf8.count)
        let longURL = "https://a.example/" + String(repeating: "x", count: ReportReader.maxLineBytes)
        let csv = "note,url\n\"\(note)\",https://a.example/1\nshort,\(longURL)\n\"\(note)\",https://a.example/3"
        let breaks = note.components(separatedBy: "\r\n").count - 1
        #expect(try records(csv) == [
            Record(2, "https://a.example/1"),
            Record(3 + breaks, "", "url cell is \(longURL.utf8.count) bytes long; cells over \(ReportReader.maxLineBytes) bytes are skipped"),
            Record(4 + breaks, "https://a.example/3"),
        ])
    }

    @Test func aCellOfExactlyTheLimitIsRead() throws {
        let url = "https://a.example/" + String(repeating: "y", count: ReportReader.maxLineBytes - 18)
        #expect(try records("url\n\"\(url)\"\n").map(\.text) == [url])
    }

    @Test func semicolonsAndTabsAsDelimiters() throws {
        #expect(try records("id;url;note\n1;https://a.example;\"a;b\"\n") == [Record(2, "https://a.example")])
        #expect(try records("id\turl\n1\t\"https://a.example\tx\"\n") == [Record(2, "https://a.example\tx")])
    }

    /// Records cut between reads at every place give what one read gives, and
    /// what the plain reading of the grammar gives.
    @Test func recordsCutBetweenReadsAnywhereReadTheSame() throws {
        var generator = SplitMix(seed: 14)
        let alphabet = Array("ab,\"\r\n;".utf8)
        for _ in 0..<400 {
            let length = Int(generator.next() % 40)
            let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let expected = Self.reference(bytes)
            for capacity in [1, 2, 3, 5, 64] {
                let parsed = try parse(bytes, capacity: capacity)
                #expect(parsed == expected, "\(String(decoding: bytes, as: UTF8.self).debugDescription) read \(capacity) bytes at a time")
            }
        }
    }

    /// A small deterministic generator for the test above.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
