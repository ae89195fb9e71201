/// The harm category a report or an item was given, and why, in words a
/// caseworker can check: every category its words name (most serious first,
/// the first decides), and the matches that were taken back by the words before
/// them ("not a threat").
public struct CategoryDecision: Sendable, Equatable {
    /// What decided a category.
    public enum Evidence: Sendable, Equatable {
        /// The reporter named this category (or one of its aliases).
        case reported(String)
        /// A pattern matched the reporter's own category words (one this file does not list).
        case reportedWords(category: String, matched: String)
        /// A pattern matched the report's notes.
        case notes(matched: String)
        /// Nothing was given and nothing matched.
        case fallback
        /// The reporter named a category the file does not list, and nothing matched.
        case unknownReported(String)

        /// Whether this says only that nothing was found.
        public var isFallback: Bool {
            switch self {
            case .fallback, .unknownReported: return true
            default: return false
            }
        }
    }

    /// One category found, with what found it.
    public struct Finding: Sendable, Equatable {
        public let category: String
        public let rank: Int
        public let evidence: Evidence
        /// Whether a person must not open what it is about (`do_not_open` in categories.yaml).
        public let doNotOpen: Bool

        public init(category: String, rank: Int, evidence: Evidence, doNotOpen: Bool = false) {
            self.category = category
            self.rank = rank
            self.evidence = evidence
            self.doNotOpen = doNotOpen
        }
    }

    /// A match that did not count, and the words before it that overruled it.
    public struct Overruled: Sendable, Equatable {
        public let category: String
        /// The words the pattern matched: `threat`.
        public let matched: String
        /// The words just before them that took them back: `not a`.
        public let by: String

        public init(category: String, matched: String, by: String) {
            self.category = category
            self.matched = matched
            self.by = by
        }
    }

    /// The category's id: the most serious found.
    public let category: String
    /// The category's rank: lower is more serious.
    public let rank: Int
    public let evidence: Evidence
    /// Every category found, most serious first; the first is this decision's own.
    public let findings: [Finding]
    /// Matches taken back, for categories not found otherwise.
    public let overruled: [Overruled]

    /// Why, in words: `notes say "fake account"`. Worked out when asked, not when decided: an
    /// escalation list decides every report of tens of thousands of items and shows a few rows.
    public var because: String {
        findings.count == 1 && overruled.isEmpty ? Self.words(for: evidence) : Self.words(findings, overruled)
    }

    public init(category: String, rank: Int, evidence: Evidence) {
        self.init(findings: [Finding(category: category, rank: rank, evidence: evidence)], overruled: [])
    }

    /// A decision from what was found, most serious first (the first on a tie); `findings` is not empty.
    public init(findings: [Finding], overruled: [Overruled]) {
        // The common case, one category and nothing overruled, without sets or sorting.
        if findings.count == 1 && overruled.isEmpty {
            let first = findings[0]
            category = first.category
            rank = first.rank
            evidence = first.evidence
            self.findings = findings
            self.overruled = []
            return
        }
        var seen: Set<String> = []
        var kept: [Finding] = []
        for finding in findings where seen.insert(finding.category).inserted { kept.append(finding) }
        // A stable sort: on a tie of rank the earlier finding stays first.
        let sorted = kept.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }.map(\.element)
        let first = sorted[0]
        category = first.category
        rank = first.rank
        evidence = first.evidence
        self.findings = sorted
        var overrules: [Overruled] = []
        var overruledSeen: Set<String> = []
        for item in overruled where !seen.contains(item.category) && overruledSeen.insert(item.category).inserted {
            overrules.append(item)
        }
        self.overruled = overrules
    }

    /// A decision from findings already distinct and most serious first, and matches taken back
    /// in other categories, each once: what one scan of a text gives (`CategoryScanner.scan` finds
    /// each category once, in the file's order, which is rank order), so the sets and the sort of
    /// `init(findings:overruled:)`, which would leave them as they are, are skipped: a note naming
    /// several harms costs no hashing of category names.
    init(ordered findings: [Finding], overruled: [Overruled]) {
        let first = findings[0]
        category = first.category
        rank = first.rank
        evidence = first.evidence
        self.findings = findings
        self.overruled = overruled
    }

    /// Every category found, most serious first.
    public var categories: [String] { findings.map(\.category) }

    /// Whether a person must confirm before the item's link is opened: a category found
    /// is one whose content must not be viewed (a sexual image of someone under 18).
    public var withholdOpenLink: Bool { findings.contains { $0.doNotOpen } }

    /// This decision and `other` together: every category of both, the most serious deciding
    /// (this one on a tie, as the earlier report).
    public func merging(_ other: CategoryDecision) -> CategoryDecision {
        if other.findings == findings && other.overruled == overruled { return self }
        // A fallback says only that nothing was found: it adds nothing beside a finding.
        let isNothing = { (decision: CategoryDecision) in
            decision.category.isEmpty || (decision.findings.count == 1 && decision.evidence.isFallback)
        }
        if isNothing(other) { return category.isEmpty ? other : self }
        if isNothing(self) { return other }
        return CategoryDecision(findings: findings + other.findings, overruled: overruled + other.overruled)
    }

    private static func words(_ findings: [Finding], _ overruled: [Overruled]) -> String {
        var text = words(for: findings[0].evidence)
        for finding in findings.dropFirst() {
            text += "; also \(finding.category): \(words(for: finding.evidence))"
        }
        for item in overruled {
            text += "; not \(item.category): \(quoted(item.matched)) overruled by \(quoted(item.by))"
        }
        return text
    }

    private static func words(for evidence: Evidence) -> String {
        switch evidence {
        case .reported(let words): return "reported as \(quoted(words))"
        case .reportedWords(let category, let matched):
            return "reported as \(quoted(category)), which says \(quoted(matched))"
        case .notes(let matched): return "notes say \(quoted(matched))"
        case .fallback: return "no category given and no words matched"
        case .unknownReported(let words):
            return "reported as \(quoted(words)), a category categories.yaml does not list, and no words matched"
        }
    }

    /// The more serious of two decisions; on a tie, the first (the earlier report).
    public func moreSerious(than other: CategoryDecision?) -> Bool {
        guard let other else { return true }
        return rank < other.rank
    }

    /// Quotes reporter text for a reason, cut short so one long note cannot swamp a row.
    static func quoted(_ text: String) -> String {
        // Most matched words are short plain ASCII: quoted as they are, without splitting.
        if text.utf8.count <= 40, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return "\"" + text + "\"" }
        // Line breaks, tabs and every other control character become spaces: reasons are printed to terminals.
        let flat = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        let shown = flat.count > 40 ? String(flat.prefix(40)) + "…" : flat
        return "\"\(shown)\""
    }
}
