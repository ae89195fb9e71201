import Foundation
import Testing
@testable import TriageKit

@Suite struct ReportReaderTests {
    /// One record as the tests compare it.
    struct Record: Equatable, CustomStringConvertible {
        var line: Int
        var text: String
        var problem: String?

        init(_ line: Int, _ text: String, _ problem: String? = nil) {
            self.line = line
            self.text = text
            self.problem = problem
        }

        var description: String { "\(line): \(text.debugDescription) \(problem ?? "")" }
    }

    func records(_ reader: ReportReader) throws -> [Record] {
        var out: [Record] = []
        try reader.read { record in
            out.append(Record(record.line, String(decoding: record.text, as: UTF8.self), record.problem))
        }
        return out
    }

    func records(_ text: String, name: String, format: InputFormat? = nil) throws -> [Record] {
        try records(ReportReader(bytes: Array(text.utf8), name: name, format: format))
    }

    /// Writes `bytes` to a new file in the temporary directory and returns its path.
    func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("urltriage-extract-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url.path
    }

    // MARK: - Text

    @Test func textGivesOneRecordPerLineWithBlankLinesCounted() throws {
        let found = try records("first https://a.example\n\nthird\r\nlast without newline", name: "r.txt")
        #expect(found == [
            Record(1, "first https://a.example"), Record(2, ""), Record(3, "third"), Record(4, "last without newline"),
        ])
    }

    @Test func textStripsTheByteOrderMarkAndCarriageReturns() throws {
        let found = try records(ReportReader(bytes: [0xEF, 0xBB, 0xBF] + Array("a\r\nb\r\n\r\n".utf8), name: "r.txt"))
        #expect(found == [Record(1, "a"), Record(2, "b"), Record(3, "")])
    }

    @Test func textFromAFileAcrossChunkBoundaries() throws {
        // 40,000 lines of 80 bytes is about 3 MiB: several 1 MiB reads, lines split between them.
        var content = ""
        for n in 1...40_000 {
            let line = "line \(n) https://www.tiktok.com/@u/video/\(n)"
            content += line.padding(toLength: 79, withPad: "x", startingAt: 0) + "\n"
        }
        let path = try temporaryFile("big.txt", Array(content.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var count = 0
        try ReportReader(path: path).read { record in
            count += 1
            #expect(record.line == count)
            #expect(record.text.count == 79)
            #expect(record.problem == nil)
            let text = String(decoding: record.text, as: UTF8.self)
            #expect(text.hasPrefix("line \(count) https://www.tiktok.com/@u/video/\(count)"))
        }
        #expect(count == 40_000)
    }

    @Test func invalidUTF8IsPassedOnWithAProblem() throws {
        let bytes = Array("ok\nbad ".utf8) + [0xFF, 0xFE] + Array(" https://x.com/a\nfine".utf8)
        var found: [(Int, Int, String?)] = []
        try ReportReader(bytes: bytes, name: "r.txt").read { found.append(($0.line, $0.text.count, $0.problem)) }
        #expect(found.count == 3)
        #expect(found[1].0 == 2)
        #expect(found[1].1 == 22)
        #expect(found[1].2 == "line is not valid UTF-8 (first bad byte at column 5)")
        #expect(found[0].2 == nil && found[2].2 == nil)
    }

    @Test func aTenMegabyteLineIsSkippedWithItsLengthAndTheNextLinesAreRead() throws {
        var bytes = Array("before https://a.example\n".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "a"), count: 10_000_000)
        bytes += Array("\r\nafter https://b.example\n".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "b"), count: 2_000_000)
        let path = try temporaryFile("long.txt", bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let found = try records(ReportReader(path: path))
        #expect(found == [
            Record(1, "before https://a.example"),
            Record(2, "", "line is 10000000 bytes long; lines over 1048576 bytes are skipped"),
            Record(3, "after https://b.example"),
            Record(4, "", "line is 2000000 bytes long; lines over 1048576 bytes are skipped"),
        ])
    }

    @Test func aLineOfExactlyTheLimitIsRead() throws {
        let line = [UInt8](repeating: UInt8(ascii: "c"), count: ReportReader.maxLineBytes)
        var lengths: [Int] = []
        try ReportReader(bytes: line + [0x0D, 0x0A] + line, name: "r.txt").read { record in
            #expect(record.problem == nil)
            lengths.append(record.text.count)
        }
        #expect(lengths == [ReportReader.maxLineBytes, ReportReader.maxLineBytes])
    }

    // MARK: - CSV

    @Test func csvWithSemicolonsQuotesCRLFAndBOM() throws {
        let csv = "\u{FEFF}id;Reporter;URL;notes\r\n"
            + "1;parent;https://www.tiktok.com/@a/video/1;plain\r\n"
            + "2;\"Smith; J\";\"https://x.com/b; https://x.com/c\";\"said \"\"urgent\"\"\"\r\n"
            + "3;teacher;\"first line\r\nhttps://x.com/d\";\"note\nover\nlines\"\r\n"
            + "4;;www.example.org/e;\r\n"
        let found = try records(csv, name: "reports.csv")
        #expect(found == [
            Record(2, "https://www.tiktok.com/@a/video/1"),
            Record(3, "https://x.com/b; https://x.com/c"),
            Record(4, "first line\r\nhttps://x.com/d"),
            Record(8, "www.example.org/e"),
        ])
    }

    @Test func csvLineNumbersCountNewlinesInsideQuotedHeaderAndFields() throws {
        let csv = "\"report\nid\",link\n1,\"https://a.example\n\nhttps://b.example\"\n\n2,https://c.example"
        let found = try records(csv, name: "r.csv")
        #expect(found == [
            Record(3, "https://a.example\n\nhttps://b.example"), Record(6, ""), Record(7, "https://c.example"),
        ])
    }

    @Test(arguments: ["url", "URL", " Link ", "urls", "reported_url", "\"url\""])
    func csvAcceptsTheURLColumnUnderItsNames(_ header: String) throws {
        let found = try records("n,\(header)\n1,https://a.example\n", name: "r.csv")
        #expect(found == [Record(2, "https://a.example")])
    }

    @Test func csvTabsAreFoundBySniffingAndByTheTSVExtension() throws {
        let tsv = "when\turl\tnote\nmon\thttps://a.example\tx, y\n"
        #expect(try records(tsv, name: "r.tsv") == [Record(2, "https://a.example")])
        #expect(try records(tsv, name: "r.csv") == [Record(2, "https://a.example")])
        #expect(try records(tsv, name: "-") == [Record(2, "https://a.example")])
    }

    @Test func csvWithoutAURLColumnIsOneErrorNamingTheColumns() throws {
        let error = #expect(throws: InputError.self) {
            try records("name,notes,when\nA,https://a.example,mon\n", name: "cases.csv")
        }
        #expect(error?.kind == .noURLColumn)
        #expect(error?.line == 1)
        #expect(error?.description.hasPrefix("cases.csv:1: the CSV header has no url column (columns found: \"name\", \"notes\", \"when\")") == true)
    }

    @Test func csvShortRecordsAndBadBytesAreProblemsNotErrors() throws {
        let bytes = Array("id,url\n1\n2,https://a.example/".utf8) + [0xFF] + Array("x\n3,https://b.example\n4, \n".utf8)
        let found = try records(ReportReader(bytes: bytes, name: "r.csv"))
        #expect(found == [
            Record(2, "", "record has 1 field; the url column is field 2"),
            Record(3, "https://a.example/\u{FFFD}x", "url cell is not valid UTF-8 (bad bytes are shown as U+FFFD)"),
            Record(4, "https://b.example"),
            Record(5, " ", "url cell is empty"),
        ])
    }

    // MARK: - JSON Lines

    @Test func jsonLinesTakeURLAndURLsAndReportBadLines() throws {
        let jsonl = """
            {"id": 1, "url": "https://a.example/1"}
            {"id": 2, "urls": ["https://a.example/2", "https:\\/\\/a.example\\/3?x=1\\u0026y=2"]}

            {"id": 4, "url": "https://a.example/4",}
            {"id": 5, "note": "no link"}
            [1, 2]
            {"id": 7, "url": null}
            {"id": 8, "urls": ["https://a.example/8", 9]}
            {"id": 9, "link": "https://a.example/9"}
            {"url": "https://a.example/10"} trailing
            {"urls": []}
            """
        let found = try records(jsonl, name: "r.jsonl")
        #expect(found == [
            Record(1, "https://a.example/1"),
            Record(2, "https://a.example/2\nhttps://a.example/3?x=1&y=2"),
            Record(3, ""),
            Record(4, "", "not valid JSON: expected a string key at column 40"),
            Record(5, "", "no \"url\" or \"urls\" field (keys: \"id\", \"note\")"),
            Record(6, "", "line holds an array, not a JSON object with a \"url\" field"),
            Record(7, "", "\"url\" is null, not a string"),
            Record(8, "https://a.example/8", "\"urls\"[1] is a number, not a string"),
            Record(9, "https://a.example/9"),
            Record(10, "", "not valid JSON: unexpected text after the JSON value at column 33"),
            Record(11, "", "the URL field is empty"),
        ])
    }

    @Test(arguments: [
        ("{\"url\": \"abc", "not valid JSON: string is not closed at column 9"),
        ("{\"url\" \"x\"}", "not valid JSON: expected ':' after the key at column 8"),
        ("{\"a\": tru}", "not valid JSON: expected 'true' at column 10"),
        ("{\"a\": 01}", "not valid JSON: expected ',' or '}' after a value at column 8"),
        ("{\"a\": \"\\q\"}", "not valid JSON: invalid escape '\\q' in a string at column 8"),
        ("{\"a\": [1, 2}", "not valid JSON: expected ',' or ']' in the array at column 12"),
        ("{\"a\":", "not valid JSON: expected a value, found the end of the line at column 6"),
    ])
    func jsonSyntaxErrorsSayWhatAndWhere(_ line: String, _ problem: String) throws {
        #expect(try records(line, name: "r.ndjson") == [Record(1, "", problem)])
    }

    @Test func deeplyNestedJSONIsAProblemNotACrash() throws {
        let line = "{\"a\": " + String(repeating: "[", count: 100_000) + "}"
        let found = try records(line, name: "r.jsonl")
        #expect(found.first?.problem == "not valid JSON: nesting deeper than 256 levels at column 263")
    }

    // MARK: - Whole-file problems

    @Test(arguments: InputFormat.allCases)
    func anEmptyFileHasNoRecords(_ format: InputFormat) throws {
        let path = try temporaryFile("empty", [])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try records(ReportReader(path: path, format: format)).isEmpty)
        #expect(try records(ReportReader(bytes: [0xEF, 0xBB, 0xBF], name: "bom-only", format: format)).isEmpty)
    }

    @Test func aBinaryFileIsOneErrorUnlessAllowed() throws {
        let bytes = Array("PK\u{3}\u{4}https://x.com/a".utf8) + [0x00, 0x01, 0x02] + Array("\nnext".utf8)
        let path = try temporaryFile("archive.zip", bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: InputError.self) { try records(ReportReader(path: path)) }
        #expect(error?.kind == .binary)
        #expect(error?.description.hasPrefix("\(path): looks like a binary file (NUL byte at offset 19); ") == true)
        let allowed = try records(ReportReader(path: path, allowBinary: true))
        #expect(allowed.count == 2)
        #expect(allowed.first?.text.hasPrefix("PK") == true)
    }

    @Test func mostlyInvalidUTF8IsBinaryAndUTF16IsNamed() throws {
        var generator: UInt64 = 12345
        let noise = (0..<4096).map { _ -> UInt8 in
            generator = generator &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: generator >> 56) | 0x80
        }
        let error = #expect(throws: InputError.self) { try records(ReportReader(bytes: noise, name: "noise")) }
        #expect(error?.message.contains("are not valid UTF-8") == true)
        let utf16 = #expect(throws: InputError.self) {
            try records(ReportReader(bytes: [0xFF, 0xFE, 0x68, 0x00], name: "u16.txt"))
        }
        #expect(utf16?.message.hasPrefix("looks like UTF-16 text") == true)
        // A few Latin-1 accents in otherwise plain text are not binary.
        let latin1 = Array("caf".utf8) + [0xE9] + Array(" https://x.com/a ".utf8) + Array(repeating: UInt8(ascii: "z"), count: 40)
        #expect(try records(ReportReader(bytes: latin1, name: "l1.txt")).count == 1)
    }

    @Test func aMissingFileSaysSo() throws {
        let error = #expect(throws: InputError.self) {
            try records(ReportReader(path: "/nonexistent/urltriage-reports.txt"))
        }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.description.hasPrefix("/nonexistent/urltriage-reports.txt: cannot open the file: No such file or directory") == true)
        let directory = #expect(throws: InputError.self) {
            try records(ReportReader(path: FileManager.default.temporaryDirectory.path))
        }
        #expect(directory?.message.hasPrefix("is a directory") == true)
    }

    @Test func errorsThrownByTheCallerComeThrough() throws {
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try ReportReader(bytes: Array("a\nb\n".utf8), name: "r.txt").read { _ in throw Stop() }
        }
    }

    // MARK: - Detection

    @Test func formatIsDetectedFromTheNameThenTheContent() {
        #expect(InputFormat.detect(path: "a.CSV", firstBytes: Array("x".utf8)) == .csv)
        #expect(InputFormat.detect(path: "a.tsv", firstBytes: [UInt8]()) == .csv)
        #expect(InputFormat.detect(path: "a.jsonl", firstBytes: [UInt8]()) == .jsonl)
        #expect(InputFormat.detect(path: "a.ndjson", firstBytes: [UInt8]()) == .jsonl)
        #expect(InputFormat.detect(path: "a.json", firstBytes: [UInt8]()) == .jsonl)
        #expect(InputFormat.detect(path: "-", firstBytes: Array("  {\"url\": 1}".utf8)) == .jsonl)
        #expect(InputFormat.detect(path: "in.txt", firstBytes: Array("\u{FEFF}date;URL;who\n1;2;3".utf8)) == .csv)
        #expect(InputFormat.detect(path: "", firstBytes: Array("\"Reported_URL\"\n".utf8)) == .csv)
        #expect(InputFormat.detect(path: "notes", firstBytes: Array("Reported, see https://x.com/a, urgent\n".utf8)) == .text)
        #expect(InputFormat.detect(path: "notes", firstBytes: [UInt8]()) == .text)
    }

    @Test func theReaderReportsTheFormatItRead() throws {
        #expect(try ReportReader(bytes: Array("url\nhttps://a.example".utf8), name: "-").read { _ in } == .csv)
        #expect(try ReportReader(bytes: [], name: "x.jsonl").read { _ in } == .jsonl)
    }
}
