import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// The Markdown report shows `--title` and platform names as text, never as markup.
@Suite("Store: the Markdown report escapes what it is given")
struct TakedownMarkdownEscapeTests {
    @Test("--title with HTML, Markdown and line breaks comes out inert")
    func titleIsEscaped() throws {
        let store = try StoreTestSupport.freshStore()
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store)
        let report = try ReportQuery.compute(store, now: StoreTestSupport.noon, weeks: 2,
                                             platformNames: ["tiktok": "Tik|Tok <b>"])
        let markdown = report.markdown(title: "<script>alert(1)</script> *Q4* [x](javascript:y)\n# injected\u{1B}[31m")
        let firstLine = String(markdown.prefix { $0 != "\n" })
        #expect(!markdown.contains("<script>") && !markdown.contains("<b>"), "\(firstLine)")
        #expect(firstLine.hasPrefix("# &lt;script&gt;alert(1)&lt;/script&gt; \\*Q4\\* \\[x\\](javascript:y)"), "\(firstLine)")
        #expect(!markdown.contains("\n# injected"), "a line break in the title starts no heading")
        #expect(!markdown.contains("\u{1B}"))
        #expect(markdown.contains("| Tik\\|Tok &lt;b&gt; |"), "a platform name stays in its cell")
    }
}
