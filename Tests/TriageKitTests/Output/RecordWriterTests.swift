import Testing
@testable import TriageKit

@Suite struct RecordWriterTests {
    func written(_ format: RowFormat, _ rows: [[RecordWriter.Value]]) -> String {
        let sink = OutputSink(descriptor: -1)
        let writer = RecordWriter(format: format, fields: ["line", "key", "error"], sink: sink)
        writer.writeHeader()
        for row in rows { writer.write(row) }
        return String(decoding: sink.pending, as: UTF8.self)
    }

    let rows: [[RecordWriter.Value]] = [
        [.number(1), .text("a:b"), .none],
        [.number(2), .none, .text("say \"no\",\tthen\nstop")],
    ]

    @Test func tsvHasAHeaderAndNoTabsInsideFields() {
        #expect(written(.tsv, rows) == "line\tkey\terror\n1\ta:b\t\n2\t\tsay \"no\", then stop\n")
    }

    @Test func csvQuotesWhatNeedsQuoting() {
        #expect(written(.csv, rows) == "line,key,error\n1,a:b,\n2,,\"say \"\"no\"\", then stop\"\n")
    }

    @Test func jsonLinesEscapeAndUseNull() {
        #expect(written(.jsonl, rows) == """
            {"line":1,"key":"a:b","error":null}
            {"line":2,"key":null,"error":"say \\"no\\",\\tthen\\nstop"}

            """)
    }

    /// Found in review: the batch path wrote a line without a URL as seven
    /// TSV fields under a six-field header (one tab too many).
    @Test func aRowWithoutAURLHasAsManyTSVFieldsAsTheHeader() {
        let sink = OutputSink(descriptor: -1)
        let writer = RecordWriter(format: .tsv, fields: NormalizedRow.fields, sink: sink)
        writer.writeHeader()
        writer.write(RowView(line: 1, error: "no URL found"))
        let lines = String(decoding: sink.pending, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1] == "1\t\t\t\t\tno URL found")
        #expect(lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).count } == [6, 6])
    }
}
