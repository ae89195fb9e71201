import Testing
@testable import TriageKit

@Suite struct ItemCategorizerTests {
    let categories = PrioritySupport.shippedCategories

    /// Words that decide by the category named, by the category's words, by the notes, and not at all.
    static let words: [ItemCategorizer.ReportWords] = [
        .init(category: nil, notes: nil), .init(category: "", notes: ""), .init(category: "bullying", notes: "fake account"),
        .init(category: "threat", notes: nil), .init(category: "online_harassment", notes: "fake account"),
        .init(category: "something_else", notes: "says they are going to stab him"), .init(category: nil, notes: "see link"),
        .init(category: "zzz", notes: "Fake account of head teacher, using our logo"),
        .init(category: "café", notes: "naïve “fake account” é\u{301}"), .init(category: "a\u{0}b", notes: "c"),
        .init(category: "a", notes: "\u{0}bc"),
    ]

    @Test func stringsAndBytesGetTheCategoriesFilesDecisionAgainAndAgain() {
        let categorizer = ItemCategorizer(categories: categories)
        let scratch = MatchScratch()
        // Twice: the second round is answered from what the categorizer remembers.
        for _ in 0..<2 {
            for words in Self.words {
                let expected = categories.decide(reported: words.category, notes: words.notes, scratch: scratch)
                #expect(categorizer.decide(words) == expected, "\(words)")
                var category = words.category
                var notes = words.notes
                let fromBytes = Self.withBytes(&category) { category in
                    Self.withBytes(&notes) { notes in categorizer.decide(category: category, notes: notes) }
                }
                #expect(fromBytes == expected, "\(words)")
            }
        }
    }

    @Test func anItemTakesItsMostSeriousReportAndTheFirstOnATie() {
        let categorizer = ItemCategorizer(categories: categories)
        let item = categorizer.decide(reports: [
            .init(category: "bullying", notes: nil), .init(category: nil, notes: "fake account"),
            .init(category: "impersonation", notes: nil),
        ])
        #expect(item.category == "impersonation")
        #expect(item.because == "notes say \"fake account\"; also bullying: reported as \"bullying\"")
        #expect(categorizer.decide(reports: []) == categories.fallbackDecision)
    }

    private static func withBytes<R>(_ text: inout String?, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard text != nil else { return body(nil) }
        return text!.withUTF8 { body($0) }
    }
}
