import Testing
@testable import TriageKit

/// `normalize --threads N`: the same bytes out, rows and summary, for any N,
/// with batches so small that duplicates, multi-line CSV records and bad lines
/// fall on every side of their boundaries.
@Suite struct ParallelNormalizeTests {
    struct Output: Equatable {
        var rows: String
        var summary: String
        var error: String?
    }

    func normalize(_ input: String, name: String, threads: Int, format: RowFormat = .tsv, batch: Int = 3) -> Output {
        let sink = OutputSink()
        let reader = ReportReader(bytes: Array(input.utf8), name: name)
        do {
            let summary = try NormalizeRun.run(reader, rules: TestSupport.shippedRules, threads: threads, format: format,
                                               output: sink, batchRecords: batch)
            return Output(rows: sink.text, summary: summary.text)
        } catch {
            return Output(rows: sink.text, summary: error.summary.text, error: error.description)
        }
    }

    /// Repeats of a few items in many shapes, so that an item's first report and
    /// its repeats land in different batches, with lines that give no URL between.
    static let urls = [
        "https://www.tiktok.com/@a/video/7301234567890123456",
        "https://m.tiktok.com/@b/video/7301234567890123456?is_from_webapp=1",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://x.com/someone/status/1234567890",
        "hxxps://twitter[.]com/someone/status/1234567890",
        "mailto:a@example.org",
        "https://www.instagram.com/p/CODE123/",
        "https://www.example.org/page?id=3",
    ]

    static var textInput: String {
        var lines: [String] = []
        for index in 0..<60 {
            switch index % 7 {
            case 3: lines.append("")
            case 5: lines.append("no link here, only words")
            default: lines.append("report \(index): see \(urls[(index * 5) % urls.count]) and \(urls[index % urls.count])")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static var csvInput: String {
        var text = "reported_at,reporter,url,notes\r\n"
        for index in 0..<50 {
            let url = urls[(index * 4) % urls.count]
            // Every third note runs over several lines, so records start on lines
            // far from their index, across batch boundaries.
            let note = index % 3 == 0 ? "\"first, \"\"quoted\"\"\nsecond\r\nthird\"" : "plain"
            let cell = index % 8 == 6 ? "" : (index % 2 == 0 ? "\"\(url)\"" : url)
            text += "2026-11-0\(1 + index % 9),\"parent, \(index)\",\(cell),\(note)\r\n"
            if index % 11 == 10 { text += "\r\n" }
        }
        return text
    }

    static var jsonlInput: String {
        var lines: [String] = []
        for index in 0..<45 {
            switch index % 6 {
            case 2: lines.append("{\"id\": \(index), \"urls\": [\"\(urls[index % urls.count])\", \"\(urls[(index + 3) % urls.count])\"]}")
            case 4: lines.append("{\"id\": \(index), \"note\": \"no url\"}")
            case 5: lines.append("not json")
            default: lines.append("{\"id\": \(index), \"url\": \"\(urls[(index * 2) % urls.count])\"}")
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test(arguments: [("r.txt", textInput), ("r.csv", csvInput), ("r.jsonl", jsonlInput)])
    func anyNumberOfThreadsGivesTheBytesOneThreadGives(_ name: String, _ input: String) {
        let one = normalize(input, name: name, threads: 1)
        #expect(one.error == nil)
        #expect(one.rows.split(separator: "\n").count > 40)
        for threads in [2, 3, 7] {
            for batch in [1, 2, 3, 5, 1024] {
                #expect(normalize(input, name: name, threads: threads, batch: batch) == one, "\(threads) threads, \(batch) a batch")
            }
        }
    }

    @Test(arguments: RowFormat.allCases)
    func everyOutputFormatIsTheSame(_ format: RowFormat) {
        let one = normalize(Self.csvInput, name: "r.csv", threads: 1, format: format)
        #expect(normalize(Self.csvInput, name: "r.csv", threads: 2, format: format, batch: 4) == one)
    }

    @Test func itemsAreCountedOnceAcrossBatches() {
        // One video in two shapes, on lines 1 and 2 of batches of one: one item.
        let input = "https://www.tiktok.com/@a/video/7301234567890123456\nhttps://m.tiktok.com/@b/video/7301234567890123456\n"
        let out = normalize(input, name: "r.txt", threads: 2, batch: 1)
        #expect(out.summary.contains("2 URLs: 2 classified, 0 rejected; 1 distinct item"))
        #expect(out == normalize(input, name: "r.txt", threads: 1))
    }

    @Test func aFileThatStopsPartWayGivesTheSameRowsAndTheSameError() {
        let input = Self.csvInput + "2026-11-01,\"x\",\"https://a.example/unclosed,never\n"
        let one = normalize(input, name: "r.csv", threads: 1)
        #expect(one.error?.contains("never closed") == true)
        for threads in [2, 3, 7] {
            #expect(normalize(input, name: "r.csv", threads: threads, batch: 2) == one)
        }
    }
}
