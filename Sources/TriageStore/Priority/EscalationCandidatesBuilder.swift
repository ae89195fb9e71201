public import TriageKit

/// Makes `EscalationCandidates` from the rows a store reads, whichever store it is: the
/// SQLite store and the PostgreSQL store each read their rows in their own SQL and hand
/// them here, so both decide categories and fill the list's facts with the same code.
///
/// The store hands over, in this order: the reports of short links merged into open items
/// (`aliasReport`, in the order of the merged items and then of their reports), then each
/// open item (`item`) followed by its own reports in the order they came (`report`), and
/// last the regions where items are blocked and the counts around the list (`finish`).
public struct EscalationCandidatesBuilder {
    private let categorizer: ItemCategorizer
    private var aliasWords: [Int64: [ItemCategorizer.ReportWords]] = [:]
    private var candidates: [EscalationCandidate] = []
    /// The store's id of each candidate, in the same order.
    public private(set) var ids: [Int64] = []
    private var current: Int64?
    private var best: CategoryDecision?
    private static let placeholder = CategoryDecision(category: "", rank: Int.max, evidence: .fallback)

    public init(categorizer: ItemCategorizer) {
        self.categorizer = categorizer
    }

    /// One report of a short link merged into the open item `target`. Rare; kept apart, and
    /// counted after the item's own reports.
    public mutating func aliasReport(of target: Int64, category: String?, notes: String?) {
        aliasWords[target, default: []].append(.init(category: category, notes: notes))
    }

    /// An open item; its reports follow. `verdict` is the stored text of the last verdict; the
    /// escalation's dates count only once it was escalated (`escalationCount` above 0).
    public mutating func item(id: Int64, key: String, platform: String, type: String, canonicalURL: String,
                              firstReportedAt: Int64, lastReportedAt: Int64, reportCount: Int, reporterCount: Int,
                              verdict: String?, checkedAt: Int64?, checkReason: String?, escalationCount: Int,
                              lastEscalatedAt: Int64?, responseDueAt: Int64?) {
        finishItem()
        current = id
        best = nil
        ids.append(id)
        candidates.append(EscalationCandidate(
            key: key, platform: platform, type: type, canonicalURL: canonicalURL, firstReportedAt: firstReportedAt,
            lastReportedAt: lastReportedAt, reportCount: reportCount, reporterCount: reporterCount,
            verdict: verdict.flatMap(Verdict.init(rawValue:)), checkedAt: checkedAt, checkReason: checkReason,
            escalationCount: escalationCount, lastEscalatedAt: escalationCount > 0 ? lastEscalatedAt : nil,
            responseDueAt: escalationCount > 0 ? responseDueAt : nil, category: Self.placeholder))
    }

    /// One report of the current item, its words lent as UTF-8 bytes (nil for none).
    // Every report counts: the most serious decides, and the others stay listed beside it,
    // so a do-not-open warning or a route is not lost to a more serious harm reported later.
    @inline(__always)
    public mutating func report(category: UnsafeBufferPointer<UInt8>?, notes: UnsafeBufferPointer<UInt8>?) {
        fold(categorizer.decide(category: category, notes: notes))
    }

    /// One report of the current item, its words as text.
    public mutating func report(category: String?, notes: String?) {
        fold(categorizer.decide(.init(category: category, notes: notes)))
    }

    /// The candidates, with the regions each is blocked in (by id; see `RegionalVerdicts`) and
    /// the counts around the list.
    public mutating func finish(blocked: [Int64: [String]], context: EscalationList.Context) -> EscalationCandidates {
        finishItem()
        current = nil
        if !blocked.isEmpty {
            for index in candidates.indices { candidates[index].blockedIn = blocked[ids[index]] ?? [] }
        }
        return EscalationCandidates(candidates: candidates, context: context)
    }

    private mutating func fold(_ decision: CategoryDecision) {
        best = best.map { $0.merging(decision) } ?? decision
    }

    private mutating func finishItem() {
        guard let id = current else { return }
        for words in aliasWords[id] ?? [] { fold(categorizer.decide(words)) }
        candidates[candidates.count - 1].category = best ?? categorizer.categories.fallbackDecision
    }
}
