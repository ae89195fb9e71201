/// The scan done the straightforward way, for tests to hold the fast one to: every
/// pattern run by PCRE2 from the start of the text, every overruling pattern run on
/// the words before each match, nothing picked or skipped by the words it needs.
/// Slow and plainly right; `scan` must find exactly what this finds.
extension CategoryScanner {
    func scanPlainly(_ text: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> (found: [Found], overruled: [Overruled]) {
        var found: [Found] = []
        var overruled: [Overruled] = []
        guard text.baseAddress != nil, !text.isEmpty else { return (found, overruled) }
        for (category, patterns) in byCategory.enumerated() {
            var hit: Found?
            var firstOverruled: Overruled?
            search: for index in patterns {
                let pattern = entries[index].pattern
                var offset = 0
                while offset <= text.count, let range = Self.match(pattern.pattern, text, from: offset, scratch: scratch) {
                    if let by = overrulePlainly(text, before: range.lowerBound, category: category, scratch: scratch) {
                        if firstOverruled == nil { firstOverruled = Overruled(category: category, range: range, by: by) }
                        offset = range.isEmpty ? range.upperBound + 1 : range.upperBound
                        continue
                    }
                    hit = Found(category: category, entry: index, range: range, alongside: nil)
                    break search
                }
            }
            if let match = hit, !categories[category].alsoNeeds.isEmpty {
                let needed = categories[category].alsoNeeds.lazy.compactMap { Self.match($0.pattern, text, from: 0, scratch: scratch) }.first
                hit = needed.map { Found(category: category, entry: match.entry, range: match.range, alongside: $0) }
                if hit == nil { continue }
            }
            if let hit { found.append(hit) } else if let firstOverruled { overruled.append(firstOverruled) }
        }
        let dropped = Set(found.compactMap { narrowed[$0.category] })
        found.removeAll { dropped.contains($0.category) }
        return (found, overruled)
    }

    /// The words just before `start` that overrule a match of `category` there, if any.
    private func overrulePlainly(_ text: UnsafeBufferPointer<UInt8>, before start: Int, category: Int, scratch: MatchScratch) -> Range<Int>? {
        guard start > 0 else { return nil }
        var low = max(0, start - Self.window)
        while low < start && text[low] & 0xC0 == 0x80 { low += 1 }
        let window = UnsafeBufferPointer(rebasing: text[low..<start])
        for index in contextOf[category] {
            guard let range = Self.match(context[index], window, from: 0, scratch: scratch) else { continue }
            var end = range.upperBound
            while end > range.lowerBound, Self.isSpaceOrQuote(window, end) { end -= 1 }
            while end > range.lowerBound, window[end - 1] & 0xC0 == 0x80 { end -= 1 }
            return (low + range.lowerBound)..<(low + max(end, range.lowerBound))
        }
        return nil
    }
}
