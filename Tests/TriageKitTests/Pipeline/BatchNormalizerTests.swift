import Testing
@testable import TriageKit

@Suite struct BatchNormalizerTests {
    /// Runs lines through a fresh normalizer and returns the rows and the summary.
    func run(_ lines: [String]) -> ([NormalizedRow], BatchSummary) {
        let normalizer = BatchNormalizer(rules: TestSupport.shippedRules)
        var rows: [NormalizedRow] = []
        for (index, line) in lines.enumerated() {
            normalizer.process(line: index + 1, text: line) { rows.append($0) }
        }
        return (rows, normalizer.summary)
    }

    /// One TikTok video reported in twelve shapes is one item.
    @Test func twelveShapesOfOneVideoAreOneItem() {
        let id = "7301234567890123456"
        let shapes = [
            "https://www.tiktok.com/@fake.head/video/\(id)",
            "https://m.tiktok.com/@Fake.Head/video/\(id)/?is_from_webapp=1&sender_device=pc",
            "HTTPS://WWW.TIKTOK.COM/@FAKE.HEAD/video/\(id)?_r=1&_t=8kQz#comments",
            "tiktok.com/@renamed.account/video/\(id)",
            "www.tiktok.com/@fake.head/video/\(id)?lang=en",
            "http://www.tiktok.com:80/@fake.head/video/\(id)",
            "<https://www.tiktok.com/embed/v2/\(id)>",
            "https://www.tiktok.com/embed/\(id)",
            "https://m.tiktok.com/v/\(id).html?u_code=abc",
            "https://www.tiktokv.com/share/video/\(id)/",
            "hxxps://www[.]tiktok[.]com/@fake.head/video/\(id)",
            "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.tiktok.com%2F%40fake.head%2Fvideo%2F\(id)&data=05",
        ]
        let (rows, summary) = run(shapes.map { "reported: \($0) (fake account)" })
        #expect(rows.count == 12)
        for row in rows {
            #expect(row.classification?.key == "tiktok:video:\(id)", "line \(row.line): \(row.error ?? "")")
        }
        #expect(summary.items == 1)
        #expect(summary.platforms["tiktok"] == .init(urls: 12, items: 1))
    }

    /// Different content stays apart: two videos, a profile, YouTube ids that differ only in case.
    @Test func distinctContentIsNotMerged() {
        let (rows, summary) = run([
            "https://www.tiktok.com/@a/video/7301234567890123456",
            "https://www.tiktok.com/@a/video/7301234567890123457",
            "https://www.tiktok.com/@a",
            "https://youtu.be/Ab3dEf9hIjK",
            "https://youtu.be/ab3dEf9hIjK",
        ])
        #expect(Set(rows.compactMap { $0.classification?.key }).count == 5)
        #expect(summary.items == 5)
    }

    /// Every input line gives at least one row: URLs, or the reason there are none.
    @Test func everyLineIsAccountedFor() {
        let (rows, summary) = run([
            "two here: https://example.org/a and https://youtu.be/Ab3dEf9hIjK.",
            "",
            "words only, no link",
            "mailto:office@school.example",
            // U+2025 (two dot leader), percent-encoded: disallowed in a domain.
            "https://a%E2%80%A5b.example/page",
        ])
        #expect(Set(rows.map(\.line)) == [1, 2, 3, 4, 5])
        #expect(rows.filter { $0.line == 1 }.count == 2)
        #expect(rows.first { $0.line == 2 }?.error == "blank line")
        #expect(rows.first { $0.line == 3 }?.error == "no URL found")
        #expect(rows.first { $0.line == 4 }?.error?.contains("mailto") == true)
        #expect(rows.first { $0.line == 5 }?.error?.contains("IDNA") == true)
        #expect(summary.lines == 5)
        #expect(summary.linesWithoutURLs == 2)
        #expect(summary.rejectedURLs == 2)
        #expect(summary.urls == 4)
    }

    @Test func aLineProblemIsTheReasonWhenNoURLIsFound() {
        let normalizer = BatchNormalizer(rules: TestSupport.shippedRules)
        var rows: [NormalizedRow] = []
        let bytes: [UInt8] = Array("caf".utf8) + [0xFF, 0xFE] + Array(" no link".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            normalizer.process(line: 7, text: buffer, problem: "line is not valid UTF-8 (first bad byte at column 4)") { rows.append($0) }
        }
        #expect(rows == [NormalizedRow(line: 7, error: "line is not valid UTF-8 (first bad byte at column 4)")])
    }

    @Test func urlsInAnInvalidUTF8LineAreStillFound() {
        let normalizer = BatchNormalizer(rules: TestSupport.shippedRules)
        var rows: [NormalizedRow] = []
        let bytes: [UInt8] = [0xFF] + Array(" https://youtu.be/Ab3dEf9hIjK ".utf8) + [0xC0]
        bytes.withUnsafeBufferPointer { buffer in
            normalizer.process(line: 1, text: buffer, problem: "line is not valid UTF-8 (first bad byte at column 1)") { rows.append($0) }
        }
        #expect(rows.map { $0.classification?.key } == ["youtube:video:Ab3dEf9hIjK"])
    }

    /// The summary staff read counts in words: "1 URL", "2 URLs".
    @Test func summarySaysOneAndMany() {
        let (_, one) = run(["https://youtu.be/Ab3dEf9hIjK"])
        #expect(one.text.hasPrefix("1 line: 1 with URLs, 0 without\n1 URL: 1 classified, 0 rejected; 1 distinct item\n"))
        #expect(one.text.contains("youtube    1 URL (100.0%), 1 item"))
        let (_, two) = run(["https://youtu.be/Ab3dEf9hIjK", "https://youtu.be/Ab3dEf9hIjK?t=4"])
        #expect(two.text.contains("youtube    2 URLs (100.0%), 1 item"))
        #expect(two.text.hasPrefix("2 lines:"))
    }
}
