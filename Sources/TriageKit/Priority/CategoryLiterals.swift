/// Words every match of a category pattern must contain, read off the pattern
/// once, so that a note is scanned once for all of them and PCRE2 runs only the
/// patterns whose words are there: a note mentions a handful of the hundreds of
/// words `categories.yaml` knows.
///
/// Sound by construction: a pattern gets a set only when every match must hold
/// one of its strings (ASCII letters folded to lower case, as the scan folds the
/// note); anything the sketch cannot read, and sets whose shortest string is
/// under two bytes, leave the pattern to run on every note.
enum CategoryLiterals {
    /// The strings (lower case) one of which every match of `source` contains, or nil.
    static func required(_ source: String) -> [[UInt8]]? {
        guard let sketch = RegexSketch.parse(source), let set = best(sketch) else { return nil }
        // The scan folds ASCII letters only; a cased letter beyond ASCII could match in another case.
        guard !set.contains(where: { string in string.unicodeScalars.contains { !$0.isASCII && $0.properties.changesWhenCaseMapped } }) else { return nil }
        // A match holds a string's first bytes wherever it holds the string: four are enough to
        // pick patterns, and keep the scan's table small enough to stay in the cache.
        let bytes = set.map { Array(Array(piece(of: $0).text.utf8).map(fold).prefix(prefixLength)) }
        guard let shortest = bytes.map(\.count).min(), shortest >= 2 else { return nil }
        return Array(Set(bytes))
    }

    /// The part of a string the scan looks for: its first uncommon word of three letters or
    /// more ("nude" in "his nude"), else the string; a match holds it wherever it holds the string.
    private static func piece(of string: String) -> (text: String, common: Bool) {
        let words = string.split { !($0.isLetter || $0.isNumber || $0 == "'") }
        if let word = words.first(where: { $0.count >= 3 && !commonWords.contains(String($0)) }) { return (String(word), false) }
        return (string, words.isEmpty || words.contains { commonWords.contains(String($0)) } || string.count < 3)
    }

    /// How far, in bytes, any attempt to match `source` may look from where it starts: an ASCII
    /// character, `\s`, `\d`, `\w` and a class of ASCII characters as one byte (without UCP they
    /// match nothing else, and the scan reads texts holding the two letters beyond ASCII that
    /// caseless matching takes for k and s the straightforward way), anything else as four
    /// (UTF-8's longest), every assertion as one more character, lookarounds' contents as if
    /// consumed. Nil when unbounded (`\w*`) or not understood.
    /// A match holding a required string at `p` starts at or after `p - reach` and looks no
    /// further than `p + reach`, so PCRE2 can be run on that window alone.
    ///
    /// `openEnd`: a `\w*` the pattern ends with (in its last part, any branch) was left out: it
    /// never decides whether there is a match, only how long it is, so a match that reaches a
    /// window's end is matched again from its start over the whole text.
    static func reach(_ source: String) -> (bytes: Int, openEnd: Bool)? {
        guard let sketch = RegexSketch.parse(source) else { return nil }
        let (trimmed, openEnd) = droppingOpenEnd(sketch)
        return reach(trimmed).map { ($0, openEnd) }
    }

    /// The pattern without the `\w*` (or all but the first of `\w+`) it ends with, and whether there was one.
    private static func droppingOpenEnd(_ node: RegexSketch) -> (RegexSketch, Bool) {
        switch node {
        case .repetition(.atom("\\w"), let min, nil, let source) where min <= 1:
            return (.repetition(.atom("\\w"), min: min, max: min, source: source), true)
        case .sequence(let items):
            guard let last = items.last else { return (node, false) }
            let (trimmed, open) = droppingOpenEnd(last)
            return (.sequence(items.dropLast() + [trimmed]), open)
        case .alternation(let branches):
            let trimmed = branches.map(droppingOpenEnd)
            return (.alternation(trimmed.map(\.0)), trimmed.contains { $0.1 })
        case .group(let inner, let kind) where kind == .capturing || kind == .nonCapturing:
            let (trimmed, open) = droppingOpenEnd(inner)
            return (.group(trimmed, kind), open)
        default:
            return (node, false)
        }
    }

    private static func reach(_ node: RegexSketch) -> Int? {
        switch node {
        case .literal(let character): return character.isASCII ? 1 : 4 * character.unicodeScalars.count
        case .atom(let text):
            if text == "\\s" || text == "\\d" || text == "\\w" { return 1 }
            let isASCIIClass = text.hasPrefix("[") && !text.hasPrefix("[^") && !text.contains("\\") && !text.contains("[:")
                && text.unicodeScalars.allSatisfy(\.isASCII)
            return isASCIIClass ? 1 : 4
        case .anchor: return 4
        case .options: return 0
        case .backreference: return nil
        case .group(let inner, _): return reach(inner)
        case .alternation(let branches):
            var most = 0
            for branch in branches {
                guard let width = reach(branch) else { return nil }
                most = max(most, width)
            }
            return most
        case .sequence(let items):
            var total = 0
            for item in items {
                guard let width = reach(item) else { return nil }
                total += width
            }
            return total
        case .repetition(let inner, _, let max, _):
            guard let max, let width = reach(inner), max <= 1_000 else { return nil }
            return width * max
        }
    }

    static func fold(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    private static let limit = 64
    static let prefixLength = 4

    /// How useful a set is: no string that starts with a word most notes have ("the", "will"),
    /// then its shortest string (up to 4 bytes), then fewer strings.
    private static func score(_ set: [String]) -> (Int, Int, Int, Int) {
        let pieces = set.map(piece(of:))
        let shortest = min(4, pieces.map(\.text.utf8.count).min() ?? 0)
        let common = pieces.contains(where: \.common)
        return (shortest >= 3 ? 1 : 0, common ? 0 : 1, shortest, -set.count)
    }

    /// Words so frequent in notes that a pattern needing one would run on most of them.
    private static let commonWords: Set<String> = [
        "the", "and", "our", "you", "your", "will", "with", "have", "has", "had", "this", "that", "they", "them",
        "for", "are", "was", "were", "his", "her", "him", "she", "not", "but", "from", "what", "when", "who", "all",
        "can", "get", "got", "just", "about", "some", "been", "like", "one", "out", "she's", "it's", "its", "is", "a",
        "an", "to", "of", "in", "on", "at", "my", "me", "we", "he", "it", "so", "do", "be", "or", "as", "if", "by",
        "up", "no", "i", "u", "ur", "going", "gonna", "said", "says", "say", "saying", "posted", "post", "posting",
        "there", "their", "someone", "people", "pupil", "pupils", "school", "account", "page", "video", "posts",
        "of", "off", "out", "over", "after", "new",
    ]

    /// The exact strings `node` matches, when they are few.
    private static func exact(_ node: RegexSketch) -> [String]? {
        switch node {
        case .literal(let character):
            return [String(character).lowercased()]
        case .atom(let text):
            return atomStrings(text)
        case .anchor:
            return [""]
        case .options, .backreference:
            return nil
        case .group(let inner, let kind):
            guard kind.consumes else { return [""] }
            return exact(inner)
        case .alternation(let branches):
            var all: [String] = []
            for branch in branches {
                guard let strings = exact(branch) else { return nil }
                all += strings
                if all.count > limit { return nil }
            }
            return all
        case .sequence(let items):
            var result = [""]
            for item in items {
                guard let strings = exact(item), result.count * strings.count <= limit else { return nil }
                result = result.flatMap { prefix in strings.map { prefix + $0 } }
            }
            return result
        case .repetition(let inner, let min, let max, _):
            guard let max, let strings = exact(inner) else { return nil }
            var result: [String] = []
            var level = [""]
            for count in 0...max {
                if count >= min { result += level }
                if count == max { break }
                guard level.count * strings.count <= limit else { return nil }
                level = level.flatMap { prefix in strings.map { prefix + $0 } }
            }
            return result.count > limit ? nil : result
        }
    }

    /// The best set of strings one of which every match of `node` contains, or nil.
    private static func best(_ node: RegexSketch) -> [String]? {
        if case .sequence = node {
            // Parts of a phrase are weighed against the whole below.
        } else if let strings = exact(node), !strings.contains("") {
            return strings
        }
        switch node {
        case .group(let inner, let kind):
            return kind.consumes ? best(inner) : nil
        case .alternation(let branches):
            var all: [String] = []
            for branch in branches {
                guard let strings = best(branch) else { return nil }
                all += strings
            }
            return all
        case .repetition(let inner, let min, _, _):
            return min >= 1 ? best(inner) : nil
        case .sequence(let items):
            var candidates: [[String]] = []
            var run = [""]
            func close() {
                if !run.contains("") { candidates.append(run) }
                run = [""]
            }
            for item in items {
                if let strings = exact(item), run.count * strings.count <= limit {
                    run = run.flatMap { prefix in strings.map { prefix + $0 } }
                    continue
                }
                close()
                if let strings = exact(item) {
                    run = strings
                } else if let inner = best(item) {
                    candidates.append(inner)
                }
            }
            close()
            if let whole = exact(node), !whole.contains("") { candidates.append(whole) }
            // Each part alone too, letters written one after another as one part: the rarest
            // word of a phrase picks it best.
            var letters = ""
            for item in items + [.anchor("")] {
                if case .literal(let character) = item {
                    letters += String(character).lowercased()
                    continue
                }
                if !letters.isEmpty { candidates.append([letters]) }
                letters = ""
                if case .literal = item { continue }
                if let strings = exact(item), !strings.contains("") { candidates.append(strings) }
            }
            return candidates.max { score($0) < score($1) }
        default:
            return nil
        }
    }

    /// The characters a simple class or escape stands for: `\s`, `\d`, `['’]`.
    private static func atomStrings(_ text: String) -> [String]? {
        switch text {
        case "\\s": return [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]
        case "\\d": return (0...9).map(String.init)
        default: break
        }
        guard text.hasPrefix("["), text.hasSuffix("]"), !text.hasPrefix("[^") else { return nil }
        let inner = text.dropFirst().dropLast()
        guard !inner.isEmpty, !inner.contains("\\"), !inner.contains("[") else { return nil }
        var result: [String] = []
        let characters = Array(inner)
        var index = 0
        while index < characters.count {
            if index + 2 < characters.count, characters[index + 1] == "-",
               let low = characters[index].asciiValue, let high = characters[index + 2].asciiValue, low <= high {
                guard Int(high - low) < limit else { return nil }
                result += (low...high).map { String(UnicodeScalar($0)).lowercased() }
                index += 3
                continue
            }
            result.append(String(characters[index]).lowercased())
            index += 1
        }
        return Array(Set(result))
    }
}

/// An Aho–Corasick automaton over the required strings of every pattern: one
/// pass over a note's bytes (ASCII case folded) tells which patterns may match.
final class LiteralScanner: @unchecked Sendable {
    /// Bytes that occur in some string have a class; every other byte is class 0.
    private let classOf: [UInt8]
    private let classes: Int
    /// `next[state * classes + class]`: the full transition table (strings of four bytes at most
    /// keep the states under 32,768), the next state in the low 15 bits and, in the top bit,
    /// whether some string ends there: one load a byte.
    private let next: [UInt16]
    private static let outputFlag: UInt16 = 0x8000
    /// For each state, the patterns whose strings end there (its own and its suffixes'), as a bit set.
    private let masks: [UInt64]
    /// Patterns with no required strings: always tried.
    let always: [UInt64]
    let words: Int

    /// `strings[i]`: pattern i's required strings, or nil when it must always run.
    init(strings: [[[UInt8]]?]) {
        words = max(1, (strings.count + 63) / 64)
        var always = [UInt64](repeating: 0, count: words)
        var classOf = [UInt8](repeating: 0, count: 256)
        var classCount = 1
        for case let set? in strings {
            for string in set {
                for byte in string where classOf[Int(byte)] == 0 {
                    classOf[Int(byte)] = UInt8(classCount)
                    classCount += 1
                }
            }
        }
        // Upper-case ASCII letters share the class of their lower-case form.
        for upper in UInt8(0x41)...0x5A { classOf[Int(upper)] = classOf[Int(upper | 0x20)] }
        self.classOf = classOf
        classes = classCount

        var trie: [[Int32]] = [[Int32](repeating: -1, count: classCount)]
        var outputs: [[Int]] = [[]]
        for (pattern, set) in strings.enumerated() {
            // A file with thousands of patterns keeps the table's states countable in 16 bits:
            // patterns past that run on every note.
            guard let set, trie.count + set.reduce(0, { $0 + $1.count }) < Int(Self.outputFlag) else {
                always[pattern / 64] |= 1 << UInt64(pattern % 64)
                continue
            }
            for string in set {
                var state = 0
                for byte in string {
                    let c = Int(classOf[Int(byte)])
                    if trie[state][c] < 0 {
                        trie[state][c] = Int32(trie.count)
                        trie.append([Int32](repeating: -1, count: classCount))
                        outputs.append([])
                    }
                    state = Int(trie[state][c])
                }
                outputs[state].append(pattern)
            }
        }
        self.always = always
        // Breadth first: failure links, then the full table.
        var fail = [Int](repeating: 0, count: trie.count)
        var masks = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: trie.count)
        for (state, patterns) in outputs.enumerated() {
            for pattern in patterns { masks[state][pattern / 64] |= 1 << UInt64(pattern % 64) }
        }
        var table = [UInt16](repeating: 0, count: trie.count * classCount)
        var queue: [Int] = []
        for c in 0..<classCount {
            let child = trie[0][c]
            if child >= 0 {
                table[c] = UInt16(child)
                queue.append(Int(child))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for word in 0..<words { masks[state][word] |= masks[fail[state]][word] }
            for c in 0..<classCount {
                let child = trie[state][c]
                if child >= 0 {
                    fail[Int(child)] = Int(table[fail[state] * classCount + c])
                    table[state * classCount + c] = UInt16(child)
                    queue.append(Int(child))
                } else {
                    table[state * classCount + c] = table[fail[state] * classCount + c]
                }
            }
        }
        let hasOutput = masks.map { $0.contains { $0 != 0 } }
        next = table.map { hasOutput[Int($0)] ? $0 | Self.outputFlag : $0 }
        self.masks = masks.flatMap { $0 }
    }

    /// The same, also writing where each string found ends, in order: `end << 16 | state` (the
    /// index of its last byte, and the state whose `masks` say whose string it is) into `events`,
    /// which holds `text.count`. Returns how many were written.
    func candidates(_ text: UnsafeBufferPointer<UInt8>, into: UnsafeMutablePointer<UInt64>, events: UnsafeMutablePointer<UInt64>) -> Int {
        for word in 0..<words { into[word] = always[word] }
        let words = self.words
        var count = 0
        next.withUnsafeBufferPointer { table in
            classOf.withUnsafeBufferPointer { classOf in
                masks.withUnsafeBufferPointer { masks in
                    var state = 0
                    let classes = self.classes
                    for index in 0..<text.count {
                        let entry = table[state &* classes &+ Int(classOf[Int(text[index])])]
                        state = Int(entry & ~Self.outputFlag)
                        if entry & Self.outputFlag != 0 {
                            let base = state &* words
                            for word in 0..<words { into[word] |= masks[base &+ word] }
                            events[count] = UInt64(index) << 16 | UInt64(state)
                            count &+= 1
                        }
                    }
                }
            }
        }
        return count
    }

    /// Whether pattern `pattern`'s strings include one ending at the state of `event`.
    @inline(__always)
    func holds(_ event: UInt64, pattern: Int) -> Bool {
        let state = Int(event & 0xFFFF)
        return masks[state &* words &+ pattern / 64] & (1 << UInt64(pattern % 64)) != 0
    }

    /// The patterns that may match `text`, as a bit set (`words` words) written into `into`.
    func candidates(_ text: UnsafeBufferPointer<UInt8>, into: UnsafeMutablePointer<UInt64>) {
        for word in 0..<words { into[word] = always[word] }
        let words = self.words
        next.withUnsafeBufferPointer { table in
            classOf.withUnsafeBufferPointer { classOf in
                masks.withUnsafeBufferPointer { masks in
                    var state = 0
                    let classes = self.classes
                    for byte in text {
                        let entry = table[state &* classes &+ Int(classOf[Int(byte)])]
                        state = Int(entry & ~Self.outputFlag)
                        if entry & Self.outputFlag != 0 {
                            let base = state &* words
                            for word in 0..<words { into[word] |= masks[base &+ word] }
                        }
                    }
                }
            }
        }
    }
}
