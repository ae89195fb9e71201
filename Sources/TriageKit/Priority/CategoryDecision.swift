/// The harm category a report or an item was given, and why, in words a
/// caseworker can check.
public struct CategoryDecision: Sendable, Equatable {
    /// What decided the category.
    public enum Evidence: Sendable, Equatable {
        /// The reporter named this category (or one of its aliases).
        case reported(String)
        /// A pattern matched the reporter's own category words (one this file does not list).
        case reportedWords(category: String, matched: String)
        /// A pattern matched the report's notes.
        case notes(matched: String)
        /// Nothing was given and nothing matched.
        case fallback
    }

    /// The category's id.
    public let category: String
    /// The category's rank: lower is more serious.
    public let rank: Int
    public let evidence: Evidence

    /// Why, in words: `notes say "fake account"`. Worked out once, because a large list shows
    /// the same decision on many rows.
    public let because: String

    public init(category: String, rank: Int, evidence: Evidence) {
        self.category = category
        self.rank = rank
        self.evidence = evidence
        because = Self.words(for: evidence)
    }

    private static func words(for evidence: Evidence) -> String {
        switch evidence {
        case .reported(let words): return "reported as \(quoted(words))"
        case .reportedWords(let category, let matched):
            return "reported as \(quoted(category)), which says \(quoted(matched))"
        case .notes(let matched): return "notes say \(quoted(matched))"
        case .fallback: return "no category given and no words matched"
        }
    }

    /// The more serious of two decisions; on a tie, the first (the earlier report).
    public func moreSerious(than other: CategoryDecision?) -> Bool {
        guard let other else { return true }
        return rank < other.rank
    }

    /// Quotes reporter text for a reason, cut short so one long note cannot swamp a row.
    static func quoted(_ text: String) -> String {
        let flat = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
        let shown = flat.count > 40 ? String(flat.prefix(40)) + "…" : flat
        return "\"\(shown)\""
    }
}
