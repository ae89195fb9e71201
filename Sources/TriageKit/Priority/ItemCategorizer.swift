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
        var named: CategoryDecision?
        if let category, !category.isEmpty {
            named = Self.remembered(category, in: &byCategory) { categories.decide(reported: String(decoding: $0, as: UTF8.self), scratch: scratch) }
        }
        var said: CategoryDecision?
        if let notes {
            said = Self.remembered(notes, in: &byNotes) { bytes in
                // Valid UTF-8 is read in place; anything else is repaired first, as a String would be.
                Self.isASCII(bytes)
                    ? categories.decide(bytes: bytes, scratch: scratch, ascii: true) { .notes(matched: $0) }
                    : categories.decide(notes: String(decoding: bytes, as: UTF8.self), scratch: scratch)
            }
        }
        switch (named, said) {
        case (let named?, let said?): return named.merging(said)
        case (let named?, nil): return named
        case (nil, let said?): return said
        case (nil, nil):
            guard let category, !category.isEmpty else { return fallback }
            return categories.fallbackDecision(reported: String(decoding: category, as: UTF8.self))
        }
    }

    /// An item's category: every category any of its reports gives it, the most serious deciding
    /// (the first such report on a tie); the fallback when it has no reports.
    public func decide(reports: some Sequence<ReportWords>) -> CategoryDecision {
        var best: CategoryDecision?
        for report in reports {
            let decision = decide(report)
            best = best.map { $0.merging(decision) } ?? decision
        }
        return best ?? fallback
    }

    /// Whether every byte is ASCII, eight at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        let raw = UnsafeRawPointer(base)
        while index + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if base[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// How many notes, and how many of their bytes, the categorizer remembers at most.
    static let maximumNotes = 100_000
    static let maximumBytes = 16 << 20

    /// The decision `decide` gives for `words`, remembered in `table`.
    private static func remembered(_ words: UnsafeBufferPointer<UInt8>, in table: inout ByteTable<CategoryDecision?>,
                                   deciding decide: (UnsafeBufferPointer<UInt8>) -> CategoryDecision?) -> CategoryDecision? {
        let hash = ByteTable<CategoryDecision?>.hash(words)
        let (index, inserted) = table.insert(words, hash: hash, nil)
        if !inserted { return table.values[index] }
        let decision = decide(words)
        // A bound on memory for stores whose every note is different, in notes and in bytes
        // (a note may be a pasted e-mail): past it the table starts again.
        if table.count >= Self.maximumNotes || table.keyBytes >= Self.maximumBytes {
            table = ByteTable(minimumCapacity: 1024)
            table.insert(words, hash: hash, decision)
        } else {
            table.setValue(decision, at: index)
        }
        return decision
    }

    private static func withBytes<R>(_ text: String?, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard let text else { return body(nil) }
        return text.withBytes { body($0) }
    }
}
