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
        /// The pattern's index in `entries`.
        let entry: Int
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
    /// Category i's patterns are entries `firstEntry[i]..<firstEntry[i + 1]` (the file's order).
    private let firstEntry: [Int]
    let literals: LiteralScanner
    /// For each entry the pass looks for, how far a match may look from where it starts
    /// (`CategoryLiterals.reach`): PCRE2 then runs only around where its strings are.
    let reaches: [(bytes: Int, openEnd: Bool)?]
    /// Each entry's compiled code, as plain values: the scan's loop calls PCRE2 without
    /// counting references to the patterns.
    private let compiled: UnsafeMutableBufferPointer<Compiled>
    /// The file's `negation`, then each category's `overruled_by`, compiled to end where a match
    /// starts; `literals` looks for their strings too, as patterns `entries.count + i`.
    let context: [Pattern]
    private let contextCompiled: UnsafeMutableBufferPointer<Compiled>
    /// For each category, the indices into `context` that may overrule its matches.
    let contextOf: [[Int]]
    /// For each category, the categories it narrows (dropped when it is found).
    let narrowed: [Int?]
    /// Whether any category narrows another.
    private let narrows: Bool
    /// Each category's `also_needs`, compiled (empty: none); `literals` looks for the strings of
    /// category i's as patterns from `alsoNeedsFirst[i]`.
    private let alsoNeeds: [[Compiled]]
    private let alsoNeedsFirst: [Int]

    /// A compiled pattern without the object around it.
    struct Compiled {
        let code: OpaquePointer
        let jit: Bool
        init(_ pattern: Pattern) {
            code = pattern.code
            jit = pattern.isJITCompiled
        }
    }

    init(categories: [HarmCategory], negation: [Pattern]) {
        self.categories = categories
        var entries: [Entry] = []
        var byCategory: [[Int]] = []
        var firstEntry: [Int] = []
        for (index, category) in categories.enumerated() {
            firstEntry.append(entries.count)
            byCategory.append(category.patterns.indices.map { entries.count + $0 })
            entries += category.patterns.map { Entry(category: index, pattern: $0) }
        }
        firstEntry.append(entries.count)
        self.entries = entries
        self.byCategory = byCategory
        self.firstEntry = firstEntry
        var context = negation
        var contextOf: [[Int]] = []
        for category in categories {
            contextOf.append(Array(negation.indices) + category.overruledBy.indices.map { context.count + $0 })
            context += category.overruledBy.map(\.pattern)
        }
        self.context = context
        self.contextOf = contextOf
        // One pass for the strings of all: the context patterns' bits follow the entries', then
        // each category's `also_needs` in turn.
        var alsoNeedsFirst: [Int] = []
        var alsoNeedsSources: [String] = []
        for category in categories {
            alsoNeedsFirst.append(entries.count + context.count + alsoNeedsSources.count)
            alsoNeedsSources += category.alsoNeeds.map(\.pattern.source)
        }
        self.alsoNeedsFirst = alsoNeedsFirst
        // A `negation` or `overruled_by` pattern runs on the 64 bytes before a match, whose edges
        // are not the text's: whether a word byte touches its strings there is left to PCRE2.
        let contextStrings = context.map { pattern in
            CategoryLiterals.needed(pattern.source).map { strings in
                strings.map { string in
                    var string = string
                    string.wordBefore = false
                    string.wordAfter = false
                    return string
                }
            }
        }
        let literals = LiteralScanner(strings: entries.map { CategoryLiterals.needed($0.pattern.pattern.source) }
                                               + contextStrings
                                               + alsoNeedsSources.map { CategoryLiterals.needed($0) })
        self.literals = literals
        reaches = entries.indices.map { literals.looksFor[$0] ? CategoryLiterals.reach(entries[$0].pattern.pattern.source) : nil }
        compiled = .allocate(capacity: max(1, entries.count))
        _ = compiled.initialize(from: entries.map { Compiled($0.pattern.pattern) })
        contextCompiled = .allocate(capacity: max(1, context.count))
        _ = contextCompiled.initialize(from: context.map(Compiled.init))
        narrowed = categories.map { category in category.narrows.flatMap { id in categories.firstIndex { $0.id == id } } }
        narrows = narrowed.contains { $0 != nil }
        alsoNeeds = categories.map { $0.alsoNeeds.map { Compiled($0.pattern) } }
    }

    deinit {
        compiled.deallocate()
        contextCompiled.deallocate()
    }

    /// Compiles a `negation` or `overruled_by` pattern to match only where it ends at the
    /// end of its subject (the text just before a match), spaces and quote marks aside.
    static func contextPattern(_ source: String) throws(PatternError) -> Pattern {
        try Pattern("(?:\(source))[\\s\"'“”‘’]*\\z", options: [.caseless, .utf])
    }

    /// Every category `text` (valid UTF-8) names, in the file's order, and the matches taken back
    /// in categories not found otherwise. Decides exactly as `scanPlainly`, faster: only the
    /// patterns one of whose whole strings the text holds run, and those with a bounded reach
    /// only on the windows around where those strings are.
    func scan(_ text: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> (found: [Found], overruled: [Overruled]) {
        scan(text, scratch: scratch) { (Array($0), Array($1)) }
    }

    /// The same, lent to `body` from memory of its own: a note decided costs no array.
    /// `ascii`: the caller knows every byte is ASCII, so there is no letter to fold differently.
    func scan<R>(_ text: UnsafeBufferPointer<UInt8>, scratch: MatchScratch, ascii: Bool = false,
                 _ body: (UnsafeBufferPointer<Found>, UnsafeBufferPointer<Overruled>) -> R) -> R {
        guard text.baseAddress != nil, !text.isEmpty else { return body(UnsafeBufferPointer(start: nil, count: 0), UnsafeBufferPointer(start: nil, count: 0)) }
        // Caseless UTF-8 matching takes the Kelvin sign for k and the long s for s; the scan for
        // strings folds ASCII only, so a text holding either is read the straightforward way.
        if !ascii && Self.holdsFoldingTrap(text) {
            let (found, overruled) = scanPlainly(text, scratch: scratch)
            return found.withUnsafeBufferPointer { found in overruled.withUnsafeBufferPointer { body(found, $0) } }
        }
        let categoryCount = categories.count
        return withUnsafeTemporaryAllocation(of: Found.self, capacity: categoryCount) { foundBuffer in
            withUnsafeTemporaryAllocation(of: Overruled.self, capacity: categoryCount) { overruledBuffer in
                let found = foundBuffer.baseAddress!
                let overruled = overruledBuffer.baseAddress!
                var foundCount = 0
                var overruledCount = 0
                let words = literals.words
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { verifiedBuffer in
                    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: text.count) { eventBuffer in
                        let verified = verifiedBuffer.baseAddress!
                        let count = literals.events(text, into: eventBuffer.baseAddress!)
                        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(1, count * words)) { bitBuffer in
                            let kept = literals.keepWhole(text, events: eventBuffer.baseAddress!, count: count,
                                                          bits: bitBuffer.baseAddress!, verified: verified)
                            let places = Places(events: UnsafeBufferPointer(start: eventBuffer.baseAddress!, count: kept),
                                                bits: bitBuffer.baseAddress!, words: words)
                            var any: UInt64 = 0
                            for word in 0..<words { any |= verified[word] }
                            guard any != 0 else { return }
                            for category in 0..<categoryCount {
                                var hit: Found?
                                var firstOverruled: Overruled?
                                // The category's patterns with a whole string here, in the file's order.
                                var index = firstEntry[category]
                                let end = firstEntry[category + 1]
                                while index < end {
                                    let bits = verified[index >> 6] >> UInt64(index & 63)
                                    guard bits != 0 else {
                                        index = (index | 63) + 1
                                        continue
                                    }
                                    index += bits.trailingZeroBitCount
                                    guard index < end else { break }
                                    // The first match not overruled, noting the first overruled one.
                                    let range = firstMatch(of: index, in: text, places: places, scratch: scratch) { range in
                                        guard let by = overrule(text, before: range.lowerBound, category: category, places: places, scratch: scratch) else { return true }
                                        if firstOverruled == nil { firstOverruled = Overruled(category: category, range: range, by: by) }
                                        return false
                                    }
                                    if let range {
                                        hit = Found(category: category, entry: index, range: range, alongside: nil)
                                        break
                                    }
                                    index += 1
                                }
                                if let match = hit, !alsoNeeds[category].isEmpty {
                                    hit = nil
                                    for (number, needed) in alsoNeeds[category].enumerated() {
                                        // One without any of its whole strings in the text cannot match.
                                        let pattern = alsoNeedsFirst[category] + number
                                        if literals.looksFor[pattern], verified[pattern >> 6] & (1 << UInt64(pattern & 63)) == 0 { continue }
                                        if let alongside = Self.match(needed, text, from: 0, scratch: scratch) {
                                            hit = Found(category: category, entry: match.entry, range: match.range, alongside: alongside)
                                            break
                                        }
                                    }
                                    if hit == nil { continue }
                                }
                                if let hit {
                                    (found + foundCount).initialize(to: hit)
                                    foundCount += 1
                                } else if let firstOverruled {
                                    (overruled + overruledCount).initialize(to: firstOverruled)
                                    overruledCount += 1
                                }
                            }
                        }
                    }
                }
                if narrows, foundCount > 1 {
                    // Categories narrowed by one found are dropped, as `scanPlainly` drops them.
                    var dropped: UInt64 = 0
                    var droppedFar = false
                    for index in 0..<foundCount {
                        guard let narrowed = narrowed[found[index].category] else { continue }
                        if narrowed < 64 { dropped |= 1 << UInt64(narrowed) } else { droppedFar = true }
                    }
                    if dropped != 0 || droppedFar {
                        let farDropped = droppedFar ? Set((0..<foundCount).compactMap { narrowed[found[$0].category] }) : []
                        var kept = 0
                        for index in 0..<foundCount {
                            let category = found[index].category
                            let drop = category < 64 ? dropped & (1 << UInt64(category)) != 0 : farDropped.contains(category)
                            if !drop {
                                found[kept] = found[index]
                                kept += 1
                            }
                        }
                        foundCount = kept
                    }
                }
                return body(UnsafeBufferPointer(start: found, count: foundCount), UnsafeBufferPointer(start: overruled, count: overruledCount))
            }
        }
    }

    /// The events where some pattern's whole string is (`LiteralScanner.keepWhole`), and whose.
    struct Places {
        let events: UnsafeBufferPointer<UInt64>
        let bits: UnsafeMutablePointer<UInt64>
        let words: Int

        /// The index of the first event whose part ends at or after `end`.
        func first(endingAtOrAfter end: Int) -> Int {
            var low = 0
            var high = events.count
            while low < high {
                let middle = (low + high) / 2
                if LiteralScanner.end(of: events[middle]) < end { low = middle + 1 } else { high = middle }
            }
            return low
        }

        /// The index of the next event at or after `from` where `pattern`'s whole string is.
        @inline(__always)
        func next(_ from: Int, pattern: Int) -> Int? {
            var index = from
            let word = pattern >> 6
            let bit: UInt64 = 1 << UInt64(pattern & 63)
            while index < events.count {
                if bits[index &* words &+ word] & bit != 0 { return index }
                index &+= 1
            }
            return nil
        }
    }

    /// The first match of entry `index` in `text` that `accept` takes, as PCRE2 finds it going
    /// from the start (each match refused, the search goes on from its end), run only where
    /// a match can be: around the places where one of the entry's whole strings is.
    ///
    /// Why that finds the same match: a match holds one of the strings, whose part the pass
    /// looks for ends at `e` say (an event); the whole string is there (`holdsWhole`), and the
    /// match starts at or after `e + leastTail - reach` (and `e - mostBack - lead`, `lead` being
    /// how far before its string a match may start, for the string of its first repetition)
    /// and looks no further than `e - leastBack + reach`. Windows that overlap are merged, so every such place ending
    /// inside a window is that window's; a match inside a window (even one that the window's
    /// end made up) holds such a place and therefore looks only inside the window, so it is
    /// one in the whole text too. Without a whole string anywhere there is no match.
    private func firstMatch(of index: Int, in text: UnsafeBufferPointer<UInt8>, places: Places,
                            scratch: MatchScratch, accept: (Range<Int>) -> Bool) -> Range<Int>? {
        let code = compiled[index]
        guard literals.looksFor[index], let reach = reaches[index] else { return Self.firstMatch(code, in: text, scratch: scratch, accept: accept) }
        guard var next = places.next(0, pattern: index) else { return nil }
        var before = reach.bytes - literals.leastTail[index] + 1
        // Tighter when the bytes a match holds before its string are known (0 for a pattern that
        // starts with its string): PCRE2 then starts at the match rather than a reach before it.
        if let lead = literals.leads[index] { before = min(before, literals.mostBack[index] + lead) }
        let after = reach.bytes - literals.leastBack[index] + 1
        var offset = 0
        var more = true
        while more {
            let first = LiteralScanner.end(of: places.events[next])
            var last = first
            var stop = Self.windowEnd(last + after, in: text)
            more = false
            while let following = places.next(next + 1, pattern: index) {
                next = following
                let end = LiteralScanner.end(of: places.events[following])
                if end - before >= stop {
                    more = true
                    break
                }
                last = end
                stop = Self.windowEnd(last + after, in: text)
            }
            var start = max(offset, first - before, 0)
            guard start < stop else { continue }
            while start > 0 && text[start] & 0xC0 == 0x80 { start -= 1 }
            let window = UnsafeBufferPointer(rebasing: text[..<stop])
            while start <= window.count, var range = Self.match(code, window, from: start, scratch: scratch) {
                // A `\w*` cut short by the window's end: the whole match is the one from its start.
                if reach.openEnd, stop < text.count, range.upperBound + 4 >= stop,
                   let whole = Self.match(code, text, from: range.lowerBound, scratch: scratch) {
                    range = whole
                }
                if accept(range) { return range }
                start = range.isEmpty ? range.upperBound + 1 : range.upperBound
                offset = start
            }
        }
        return nil
    }

    /// Where a window reaching to `end` stops: not inside a character, nor inside a word. The
    /// window's end is the end of PCRE2's subject, where `\b` holds after a word; the pass keeps a
    /// place whose string must end a word only where no word byte follows it in the text
    /// (`Needed.wordAfter`), so a window may not end where the text goes on with one. Every
    /// place ending inside a window is that window's (windows closer than this merge).
    @inline(__always)
    private static func windowEnd(_ end: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        var stop = min(text.count, end)
        while stop < text.count && text[stop] & 0xC0 == 0x80 { stop += 1 }
        while stop < text.count && CategoryLiterals.isWordByte(text[stop]) { stop += 1 }
        return stop
    }

    /// The first match of `code` in the whole of `text` that `accept` takes.
    private static func firstMatch(_ code: Compiled, in text: UnsafeBufferPointer<UInt8>, scratch: MatchScratch,
                                   accept: (Range<Int>) -> Bool) -> Range<Int>? {
        var offset = 0
        while offset <= text.count, let range = match(code, text, from: offset, scratch: scratch) {
            if accept(range) { return range }
            offset = range.isEmpty ? range.upperBound + 1 : range.upperBound
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
    private func overrule(_ text: UnsafeBufferPointer<UInt8>, before start: Int, category: Int, places: Places,
                          scratch: MatchScratch) -> Range<Int>? {
        guard start > 0, !contextOf[category].isEmpty else { return nil }
        var low = max(0, start - Self.window)
        while low < start && text[low] & 0xC0 == 0x80 { low += 1 }
        let window = UnsafeBufferPointer(rebasing: text[low..<start])
        let first = places.first(endingAtOrAfter: low)
        for index in contextOf[category] {
            let pattern = entries.count + index
            // Only where one of its whole strings is inside the words before: it needs one to match.
            if literals.looksFor[pattern] {
                var next = first
                var holds = false
                while let at = places.next(next, pattern: pattern) {
                    let end = LiteralScanner.end(of: places.events[at])
                    if end >= start { break }
                    if literals.holdsWhole(window, at: end - low, pattern: pattern) {
                        holds = true
                        break
                    }
                    next = at + 1
                }
                guard holds else { continue }
            }
            guard let range = Self.match(contextCompiled[index], window, from: 0, scratch: scratch) else { continue }
            // The words themselves, without the spaces and quote marks before the match.
            var end = range.upperBound
            while end > range.lowerBound, Self.isSpaceOrQuote(window, end) { end -= 1 }
            while end > range.lowerBound, window[end - 1] & 0xC0 == 0x80 { end -= 1 }
            return (low + range.lowerBound)..<(low + max(end, range.lowerBound))
        }
        return nil
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
        match(Compiled(pattern), text, from: offset, scratch: scratch)
    }

    @inline(__always)
    static func match(_ pattern: Compiled, _ text: UnsafeBufferPointer<UInt8>, from offset: Int, scratch: MatchScratch) -> Range<Int>? {
        var empty: UInt8 = 0
        let rc: Int32 = withUnsafeMutablePointer(to: &empty) { emptyPointer in
            let base = text.baseAddress ?? UnsafePointer(emptyPointer)
            return pattern.jit
                ? pcre2_jit_match_8(pattern.code, base, text.count, offset, 0, scratch.matchData, scratch.context)
                : pcre2_match_8(pattern.code, base, text.count, offset, UInt32(PCRE2_NO_UTF_CHECK), scratch.matchData, scratch.context)
        }
        guard rc > 0 else { return nil }
        let start = scratch.ovector[0]
        let end = scratch.ovector[1]
        guard end >= start else { return nil }
        return start..<end
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
