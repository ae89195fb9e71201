internal import CPCRE2
import Foundation

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
    /// For each entry with strings to look for, how far a match may look from where it starts
    /// (`CategoryLiterals.reach`): PCRE2 then runs only around where its strings are.
    let reaches: [(bytes: Int, openEnd: Bool)?]
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
        let required = entries.map { CategoryLiterals.required($0.pattern.pattern.source) }
        literals = LiteralScanner(strings: required)
        reaches = zip(entries, required).map { entry, strings in strings == nil ? nil : CategoryLiterals.reach(entry.pattern.pattern.source) }
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
    /// in categories not found otherwise. Decides exactly as `scanPlainly`, faster: only the
    /// patterns whose strings the text holds run, and those with a bounded reach only on the
    /// windows around where their strings are.
    func scan(_ text: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> (found: [Found], overruled: [Overruled]) {
        var found: [Found] = []
        var overruled: [Overruled] = []
        guard text.baseAddress != nil, !text.isEmpty else { return (found, overruled) }
        // Caseless UTF-8 matching takes the Kelvin sign for k and the long s for s; the scan for
        // strings folds ASCII only, so a text holding either is read the straightforward way.
        if Self.holdsFoldingTrap(text) { return scanPlainly(text, scratch: scratch) }
        let words = literals.words
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { mask in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: text.count) { eventBuffer in
                let events = UnsafeBufferPointer(start: eventBuffer.baseAddress!,
                                                 count: literals.candidates(text, into: mask.baseAddress!, events: eventBuffer.baseAddress!))
                var any = false
                for word in 0..<words where mask[word] != 0 { any = true }
                guard any else { return }
                for (category, patterns) in byCategory.enumerated() {
                    var hit: Found?
                    var firstOverruled: Overruled?
                    for index in patterns where mask[index / 64] & (1 << UInt64(index % 64)) != 0 {
                        let pattern = entries[index].pattern
                        // The first match not overruled, noting the first overruled one.
                        let range = firstMatch(of: index, in: text, events: events, scratch: scratch) { range in
                            guard let by = overrule(text, before: range.lowerBound, category: category, scratch: scratch) else { return true }
                            if firstOverruled == nil { firstOverruled = Overruled(category: category, range: range, by: by) }
                            return false
                        }
                        if let range {
                            hit = Found(category: category, pattern: pattern, range: range, alongside: nil)
                            break
                        }
                    }
                    if let match = hit, !categories[category].alsoNeeds.isEmpty {
                        let needed = categories[category].alsoNeeds.lazy.compactMap { Self.match($0.pattern, text, from: 0, scratch: scratch) }.first
                        hit = needed.map { Found(category: category, pattern: match.pattern, range: match.range, alongside: $0) }
                        if hit == nil { continue }
                    }
                    if let hit { found.append(hit) } else if let firstOverruled { overruled.append(firstOverruled) }
                }
                if found.count > 1 {
                    let dropped = Set(found.compactMap { narrowed[$0.category] })
                    if !dropped.isEmpty { found.removeAll { dropped.contains($0.category) } }
                }
            }
        }
        return (found, overruled)
    }

    /// The first match of entry `index` in `text` that `accept` takes, as PCRE2 finds it going
    /// from the start (each match refused, the search goes on from its end), run only where
    /// a match can be: from `reach` before each of the entry's strings to `reach` after.
    ///
    /// Why that finds the same match: a match holds one of the strings, from `p` say, so it
    /// starts at or after `p - reach` and PCRE2 looks no further than `p + reach` to match it.
    /// Windows that overlap are merged, so every string ending inside a window is that window's;
    /// a match inside a window therefore looks only inside it, and is one in the whole text too.
    private func firstMatch(of index: Int, in text: UnsafeBufferPointer<UInt8>, events: UnsafeBufferPointer<UInt64>,
                            scratch: MatchScratch, accept: (Range<Int>) -> Bool) -> Range<Int>? {
        let pattern = entries[index].pattern.pattern
        guard let reach = reaches[index] else {
            var offset = 0
            while offset <= text.count, let range = Self.match(pattern, text, from: offset, scratch: scratch) {
                if accept(range) { return range }
                offset = range.isEmpty ? range.upperBound + 1 : range.upperBound
            }
            return nil
        }
        // A string is at most `CategoryLiterals.prefixLength` bytes and ends at the event's byte.
        let before = reach.bytes + CategoryLiterals.prefixLength
        let after = reach.bytes + 8
        var offset = 0
        var next = 0
        while next < events.count {
            guard literals.holds(events[next], pattern: index) else { next += 1; continue }
            let first = Int(events[next] >> 16)
            var last = first
            next += 1
            while next < events.count {
                let end = Int(events[next] >> 16)
                if end - before >= last + after { break }
                if literals.holds(events[next], pattern: index) { last = end }
                next += 1
            }
            var start = max(offset, first - before, 0)
            var stop = min(text.count, last + after)
            guard start < stop else { continue }
            while start > 0 && text[start] & 0xC0 == 0x80 { start -= 1 }
            while stop < text.count && text[stop] & 0xC0 == 0x80 { stop += 1 }
            let window = UnsafeBufferPointer(rebasing: text[..<stop])
            while start <= window.count, var range = Self.match(pattern, window, from: start, scratch: scratch) {
                // A `\w*` cut short by the window's end: the whole match is the one from its start.
                if reach.openEnd, stop < text.count, range.upperBound + 4 >= stop,
                   let whole = Self.match(pattern, text, from: range.lowerBound, scratch: scratch) {
                    range = whole
                }
                if accept(range) { return range }
                start = range.isEmpty ? range.upperBound + 1 : range.upperBound
                offset = start
            }
        }
        return nil
    }

    /// Whether `text` holds a letter beyond ASCII that caseless matching may take for an ASCII
    /// one: the Kelvin sign (E2 84 AA), the long s (C5 BF), the dotted and dotless i (C4 B0, C4 B1).
    static func holdsFoldingTrap(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return false }
        func holds(_ lead: UInt8, _ rest: (Int) -> Bool) -> Bool {
            var from = 0
            while from < text.count, let found = memchr(base + from, Int32(lead), text.count - from) {
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if rest(at) { return true }
                from = at + 1
            }
            return false
        }
        return holds(0xE2) { $0 + 2 < text.count && text[$0 + 1] == 0x84 && text[$0 + 2] == 0xAA }
            || holds(0xC5) { $0 + 1 < text.count && text[$0 + 1] == 0xBF }
            || holds(0xC4) { $0 + 1 < text.count && (text[$0 + 1] == 0xB0 || text[$0 + 1] == 0xB1) }
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
