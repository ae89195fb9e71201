import Foundation
import Testing
@testable import TriageKit

/// No control character or line separator leaves a writer raw (issue 13, gap 2).
@Suite struct ControlCharacterTests {
    /// C0 (ESC, BEL, NUL), DEL, C1 (U+009B is a one-character CSI; U+0085 is NEL), U+2028, U+2029, CR, LF, tab.
    static let nasty = "a\u{1B}[2Jb\u{07}\u{00}c\u{7F}d\u{9B}31me\u{85}f\u{80}\u{9F}g\u{2028}h\u{2029}i\rj\nk\tl, \"m\""

    func written(_ format: RowFormat, _ text: String) -> String {
        let sink = OutputSink()
        let writer = RecordWriter(format: format, fields: ["key", "reason"], sink: sink)
        writer.write([.text("k"), .text(text)])
        return sink.text
    }

    /// Whether `text` holds any scalar a terminal or a line-splitting reader acts on
    /// (the final newline and TSV's separating tabs aside).
    static func hasRawControl(_ text: String) -> Bool {
        text.dropLast().unicodeScalars.contains { scalar in
            (scalar.value < 0x20 && scalar.value != 0x09) || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
        }
    }

    @Test(arguments: RowFormat.allCases)
    func noRawControlInAnyFormat(format: RowFormat) {
        let output = written(format, Self.nasty)
        #expect(!Self.hasRawControl(output), "\(format): \(output.debugDescription)")
        #expect(output.hasSuffix("\n") && output.dropLast().firstIndex(of: "\n") == nil, "one record, one line")
        if format == .tsv { #expect(output.filter { $0 == "\t" }.count == 1, "only the separator is a tab") }
        if format == .csv { #expect(!output.contains("\t")) }
    }

    @Test func tsvAndCSVShowWhatWasThere() {
        let tsv = written(.tsv, Self.nasty)
        #expect(tsv == "k\ta\\u001b[2Jb\\u0007\\u0000c\\u007fd\\u009b31me\\u0085f\\u0080\\u009fg\\u2028h\\u2029i j k l, \"m\"\n")
        let csv = written(.csv, Self.nasty)
        #expect(csv == "k,\"a\\u001b[2Jb\\u0007\\u0000c\\u007fd\\u009b31me\\u0085f\\u0080\\u009fg\\u2028h\\u2029i j k l, \"\"m\"\"\"\n")
        // A raw CR inside a quoted CSV field is gone too.
        #expect(written(.csv, "x\r\ny,z") == "k,\"x  y,z\"\n")
    }

    @Test func jsonLinesEscapeAndStillDecodeToTheSameText() throws {
        let line = written(.jsonl, Self.nasty)
        #expect(line.contains("\\u009b") && line.contains("\\u2028") && line.contains("\\u0085") && line.contains("\\u007f"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["reason"] == Self.nasty)
    }

    @Test func plainTextIsUntouched() {
        let text = "HTTP 404 after 2 redirects: not found — ünïcödé 日本 🙂, done"
        #expect(written(.tsv, text) == "k\t\(text)\n")
        #expect(ControlCharacters.inert(text) == text)
        #expect(ControlCharacters.inert("a\u{9B}b\nc") == "a\\u009bb c")
    }

    @Test func theQuickCheckNeverMissesOne() {
        // Every position in a word, every kind.
        for kind in ["\u{01}", "\u{1F}", "\u{7F}", "\u{80}", "\u{9B}", "\u{9F}", "\u{2028}", "\u{2029}"] {
            for prefix in 0..<17 {
                let text = String(repeating: "x", count: prefix) + kind + "yyyyyyyy"
                let found = text.withBytes { ControlCharacters.contains($0) }
                #expect(found, "\(kind.unicodeScalars.first!.value) after \(prefix)")
            }
        }
        #expect(!"no controls here, just ASCII and é ✓".withBytes { ControlCharacters.contains($0) })
    }
}

/// Server-controlled text reaches output inert, end to end.
@Suite(.timeLimit(.minutes(1)))
struct LivenessOutputInertTests {
    @Test(arguments: ["http://controls.example/scheme", "http://controls.example/loop"])
    func locationFullOfControlsIsInertInEveryFormat(url: String) async throws {
        let result = try await LivenessHarness.check(url) { $0.maxRedirects = 3 }
        // The Location is quoted in the reason (the point of the test is that it is there, raw or not).
        #expect(result.reason.contains("three"), "\(result.reason)")
        for format in RowFormat.allCases {
            let sink = OutputSink()
            let writer = RecordWriter(format: format, fields: ["key", "url", "verdict", "http_status", "final_url", "reason", "elapsed_ms"], sink: sink)
            writer.write([.text(result.key), .text(result.url), .text(result.verdict.rawValue), result.httpStatus.map { .number($0) } ?? .none,
                          result.finalURL.map { .text($0) } ?? .none, .text(result.reason), .number(result.elapsedMilliseconds)])
            #expect(!ControlCharacterTests.hasRawControl(sink.text), "\(format): \(sink.text.debugDescription)")
        }
    }
}
