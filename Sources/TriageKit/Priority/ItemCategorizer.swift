/// Decides the harm category of items from their reports' words, remembering
/// the answer for words already seen, because the same notes and categories
/// recur across many reports of a batch.
///
/// Holds PCRE2 match state: one per thread.
public final class ItemCategorizer {
    public let categories: HarmCategories
    private let scratch = MatchScratch()
    /// What a reporter's category words decide alone (nil: nothing, so the notes decide), and
    /// what notes decide alone (nil: nothing, so the fallback), by their bytes: an escalation
    /// list decides tens of thousands of reports straight from the store's rows. Two tables,
    /// not one by both words: a few category words and some hundred notes stay in the cache,
    /// where thousands of pairs of them do not.
    private var byCategory = ByteTable<CategoryDecision?>(minimumCapacity: 64)
    private var byNotes = ByteTable<CategoryDecision?>(minimumCapacity: 1024)
    private let fallback: CategoryDecision

    public init(categories: HarmCategories) {
        self.categories = categories
        fallback = categories.fallbackDecision
    }

    /// What one report says about its harm: the category its reporter gave, and its notes.
    public struct ReportWords: Sendable, Hashable {
        public var category: String?
        public var notes: String?
        public init(category: String?, notes: String?) {
            self.category = category
            self.notes = notes
        }
    }

    /// The category of one report.
    public func decide(_ report: ReportWords) -> CategoryDecision {
        Self.withBytes(report.category) { category in
            Self.withBytes(report.notes) { notes in decide(category: category, notes: notes) }
        }
    }

    /// The category of one report whose words are lent as UTF-8 bytes (nil for none): the
    /// decision `HarmCategories.decide(reported:notes:scratch:)` makes for them as strings.
    public func decide(category: UnsafeBufferPointer<UInt8>?, notes: UnsafeBufferPointer<UInt8>?) -> CategoryDecision {
        if let category, !category.isEmpty,
           let decided = Self.remembered(category, in: &byCategory, deciding: { categories.decide(reported: $0, scratch: scratch) }) {
            return decided
        }
        if let notes, let decided = Self.remembered(notes, in: &byNotes, deciding: { categories.decide(notes: $0, scratch: scratch) }) {
            return decided
        }
        return fallback
    }

    /// An item's category: the most serious any of its reports gives it (the first such report on a tie);
    /// the fallback when it has no reports.
    public func decide(reports: some Sequence<ReportWords>) -> CategoryDecision {
        var best: CategoryDecision?
        for report in reports {
            let decision = decide(report)
            if decision.moreSerious(than: best) { best = decision }
            if decision.rank == 0 { break }
        }
        return best ?? fallback
    }

    /// The decision `decide` gives for `words`, remembered in `table`.
    private static func remembered(_ words: UnsafeBufferPointer<UInt8>, in table: inout ByteTable<CategoryDecision?>,
                                   deciding decide: (String) -> CategoryDecision?) -> CategoryDecision? {
        if let known = table.value(for: words) { return known }
        let decision = decide(String(decoding: words, as: UTF8.self))
        // A bound on memory for stores whose every note is different.
        if table.count >= 100_000 { table = ByteTable(minimumCapacity: 1024) }
        table.insert(words, decision)
        return decision
    }

    private static func withBytes<R>(_ text: String?, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard let text else { return body(nil) }
        return text.withBytes { body($0) }
    }
}
