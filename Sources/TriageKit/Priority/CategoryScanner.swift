internal import CPCRE2

/// Finds every harm category a text names, and the matches the words before
/// them take back, in one pass over the text for the words the patterns need
/// (`LiteralScanner`) and PCRE2 only for the patterns whose words are there.
///
/// Built once with the categories; shared read-only between threads, with the
/// match state in each caller's `MatchScratch`.
final class CategoryScanner: @unchecked Sendable {
    /// One pattern of the file, flattened: its category's index and the pattern.
    struct Entry {
        let category: Int
        let pattern: CategoryPattern
    }

    /// A category found in a text: the match that counted, and the words it needed alongside.
    struct Found {
        let category: Int
        let pattern: CategoryPattern
        let range: Range<Int>
        let alongside: Range<Int>?
    }

    /// A match taken back, and the words before it that did so.
    struct Overruled {
        let category: Int
        let range: Range<Int>
        let by: Range<Int>
    }

    /// How far before a match its overruling words may start, in bytes.
    static let window = 64

    let categories: [HarmCategory]
    let entries: [Entry]
    /// Patterns by category: the indices into `entries`.
    let byCategory: [[Int]]
    let literals: LiteralScanner
    /// The file's `negation`, then each category's `overruled_by`, compiled to end where a match starts.
    let context: [Pattern]
    let contextLiterals: LiteralScanner
    /// For each category, the indices into `context` that may overrule its matches.
    let contextOf: [[Int]]
    /// For each category, the categories it narrows (dropped when it is found).
    let narrowed: [Int?]

    init(categories: [HarmCategory], negation: [Pattern]) {
        self.categories = categories
        var entries: [Entry] = []
        var byCategory: [[Int]] = []
        for (index, category) in categories.enumerated() {
            byCategory.append(category.patterns.indices.map { entries.count + $0 })
            entries += category.patterns.map { Entry(category: index, pattern: $0) }
        }
        self.entries = entries
        self.byCategory = byCategory
        literals = LiteralScanner(strings: entries.map { CategoryLiterals.required($0.pattern.pattern.source) })
        var context = negation
        var contextOf: [[Int]] = []
        for category in categories {
            contextOf.append(Array(negation.indices) + category.overruledBy.indices.map { context.count + $0 })
            context += category.overruledBy.map(\.pattern)
        }
        self.context = context
        self.contextOf = contextOf
        contextLiterals = LiteralScanner(strings: context.map { CategoryLiterals.required($0.source) })
        narrowed = categories.map { category in category.narrows.flatMap { id in categories.firstIndex { $0.id == id } } }
    }

    /// Compiles a `negation` or `overruled_by` pattern to match only where it ends at the
    /// end of its subject (the text just before a match), spaces and quote marks aside.
    static func contextPattern(_ source: String) throws(PatternError) -> Pattern {
        try Pattern("(?:\(source))[\\s\"'“”‘’]*\\z", options: [.caseless, .utf])
    }

    /// Every category `text` (valid UTF-8) names, in the file's order, and the matches taken back
    /// in categories not found otherwise.
    func scan(_ text: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> (found: [Found], overruled: [Overruled]) {
        var found: [Found] = []
        var overruled: [Overruled] = []
        guard text.baseAddress != nil, !text.isEmpty else { return (found, overruled) }
        let words = literals.words
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { mask in
            literals.candidates(text, into: mask.baseAddress!)
            var any = false
            for word in 0..<words where mask[word] != 0 { any = true }
            guard any else { return }
            for (category, patterns) in byCategory.enumerated() {
                var hit: Found?
                var firstOverruled: Overruled?
                search: for index in patterns where mask[index / 64] & (1 << UInt64(index % 64)) != 0 {
                    let entry = entries[index]
                    var offset = 0
                    while offset <= text.count, let range = Self.match(entry.pattern.pattern, text, from: offset, scratch: scratch) {
                        if let by = overrule(text, before: range.lowerBound, category: category, scratch: scratch) {
                            if firstOverruled == nil { firstOverruled = Overruled(category: category, range: range, by: by) }
                            offset = range.isEmpty ? range.upperBound + 1 : range.upperBound
                            continue
                        }
                        hit = Found(category: category, pattern: entry.pattern, range: range, alongside: nil)
                        break search
                    }
                }
                if let match = hit, !categories[category].alsoNeeds.isEmpty {
                    let needed = categories[category].alsoNeeds.lazy.compactMap { Self.match($0.pattern, text, from: 0, scratch: scratch) }.first
                    hit = needed.map { Found(category: category, pattern: match.pattern, range: match.range, alongside: $0) }
                    if hit == nil { continue }
                }
                if let hit { found.append(hit) } else if let firstOverruled { overruled.append(firstOverruled) }
            }
            let dropped = Set(found.compactMap { narrowed[$0.category] })
            if !dropped.isEmpty { found.removeAll { dropped.contains($0.category) } }
        }
        return (found, overruled)
    }

    /// The words just before `start` that overrule a match of `category` there, if any.
    private func overrule(_ text: UnsafeBufferPointer<UInt8>, before start: Int, category: Int, scratch: MatchScratch) -> Range<Int>? {
        guard start > 0, !contextOf[category].isEmpty else { return nil }
        var low = max(0, start - Self.window)
        while low < start && text[low] & 0xC0 == 0x80 { low += 1 }
        let window = UnsafeBufferPointer(rebasing: text[low..<start])
        let words = contextLiterals.words
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { mask in
            contextLiterals.candidates(window, into: mask.baseAddress!)
            for index in contextOf[category] where mask[index / 64] & (1 << UInt64(index % 64)) != 0 {
                guard let range = Self.match(context[index], window, from: 0, scratch: scratch) else { continue }
                // The words themselves, without the spaces and quote marks before the match.
                var end = range.upperBound
                while end > range.lowerBound, Self.isSpaceOrQuote(window, end) { end -= 1 }
                while end > range.lowerBound, window[end - 1] & 0xC0 == 0x80 { end -= 1 }
                return (low + range.lowerBound)..<(low + max(end, range.lowerBound))
            }
            return nil
        }
    }

    static func isSpaceOrQuote(_ text: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        let byte = text[end - 1]
        if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x22 || byte == 0x27 { return true }
        // “ ” ‘ ’ end in 0x9C 0x9D 0x98 0x99 after E2 80.
        return end >= 3 && text[end - 3] == 0xE2 && text[end - 2] == 0x80 && [0x98, 0x99, 0x9C, 0x9D].contains(text[end - 1])
    }

    /// The first match of `pattern` in `text` (valid UTF-8) at or after `offset`; nil on none, and
    /// when PCRE2 gives up (the examples test reports that with its line).
    static func match(_ pattern: Pattern, _ text: UnsafeBufferPointer<UInt8>, from offset: Int, scratch: MatchScratch) -> Range<Int>? {
        var empty: UInt8 = 0
        let rc: Int32 = withUnsafeMutablePointer(to: &empty) { emptyPointer in
            let base = text.baseAddress ?? UnsafePointer(emptyPointer)
            return pattern.isJITCompiled
                ? pcre2_jit_match_8(pattern.code, base, text.count, offset, 0, scratch.matchData, scratch.context)
                : pcre2_match_8(pattern.code, base, text.count, offset, UInt32(PCRE2_NO_UTF_CHECK), scratch.matchData, scratch.context)
        }
        guard rc > 0 else { return nil }
        return scratch.range(of: 0)
    }

    /// Whether PCRE2 runs into its limits on `text` with any pattern of the file: in use that
    /// would silently count as no match, so the examples test reports it.
    func limitProblem(_ text: String, scratch: MatchScratch) -> (pattern: CategoryPattern, message: String)? {
        for entry in entries {
            do {
                _ = try entry.pattern.pattern.matches(text, scratch: scratch)
            } catch {
                return (entry.pattern, error.message)
            }
        }
        return nil
    }
}
