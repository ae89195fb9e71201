/// Decides the harm category of items from their reports' words, remembering
/// the answer for words already seen, because the same notes and categories
/// recur across many reports of a batch.
///
/// Holds PCRE2 match state: one per thread.
public final class ItemCategorizer {
    public let categories: HarmCategories
    private let scratch = MatchScratch()
    private var seen: [ReportWords: CategoryDecision] = [:]

    public init(categories: HarmCategories) { self.categories = categories }

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
        if let known = seen[report] { return known }
        let decision = categories.decide(reported: report.category, notes: report.notes, scratch: scratch)
        // A bound on memory for stores whose every note is different.
        if seen.count > 100_000 { seen.removeAll(keepingCapacity: true) }
        seen[report] = decision
        return decision
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
        return best ?? CategoryDecision(category: categories.fallback.id, rank: categories.fallback.rank, evidence: .fallback)
    }
}
