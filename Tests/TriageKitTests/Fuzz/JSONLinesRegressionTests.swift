import Testing
@testable import TriageKit

/// Inputs FuzzReports found (Fuzz/README.md), each fixed in the JSON Lines reader.
@Suite struct JSONLinesRegressionTests {
    /// The JSON Lines parser, with a time limit, on one line.
    static func parse(_ line: String) -> JSONLineParser.Outcome? {
        finishes(within: 5) {
            var text: [UInt8] = []
            return Array(line.utf8).withUnsafeBufferPointer { JSONLineParser.parse($0, into: &text) }
        }
    }

    /// A line cut off just after a backslash inside a string looped forever:
    /// the escape needs a second byte, and the scan stood still without one.
    @Test func backslashAtTheEndOfAnUnclosedString() {
        #expect(Self.parse(#"{"url":"https://x.example/\"#) == .invalid("not valid JSON: string is not closed at column 8", column: 8))
        #expect(Self.parse(#"{"notes":"a\"#) == .invalid("not valid JSON: string is not closed at column 10", column: 10))
        #expect(Self.parse(#"{"url":"a","b":["\"#) != nil)
    }

    /// The same through the reader, as `normalize` reads a file: the line is
    /// reported and the next one is still read.
    @Test func readerGoesOnAfterTheCutLine() throws {
        let input = Array("{\"url\":\"https://a.example/\\\n{\"url\":\"https://b.example/\"}\n".utf8)
        let lines = finishes(within: 5) { () -> [String] in
            var seen: [String] = []
            _ = try? ReportReader(bytes: input, name: "r.jsonl", format: .jsonl).read { line in
                seen.append("\(line.line): \(String(decoding: line.text, as: UTF8.self)) \(line.problem ?? "-")")
            }
            return seen
        }
        #expect(lines == ["1:  not valid JSON: string is not closed at column 8", "2: https://b.example/ -"])
    }
}
