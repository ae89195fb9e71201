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
    /// One of the strings a pattern needs: the whole string (lower case, as bytes), and the bytes
    /// of it the one pass over a note looks for (`prefix`, at most `prefixLength`), from `prefixStart`.
    struct Needed: Hashable {
        let bytes: [UInt8]
        let prefix: [UInt8]
        let prefixStart: Int
        /// How many bytes a match may hold before the string (the same for every string of a
        /// pattern); nil when not known.
        let lead: Int?
        /// Whether a match holds the string only where no word byte (`[A-Za-z0-9_]`) comes right
        /// before it, and right after it: the pattern has `\b` there and the string's first (last)
        /// byte is a word byte. `\w` and `\b` without UCP know ASCII words only, so "son" in
        /// "person" or "yo" in "you" need not wake a pattern that wants the word.
        var wordBefore = false
        var wordAfter = false
    }

    /// The strings (lower case) one of which every match of `source` contains, or nil: the
    /// part of each the one pass looks for.
    static func required(_ source: String) -> [[UInt8]]? {
        needed(source).map { Array(Set($0.map(\.prefix))) }
    }

    /// The same, each whole, with where the part the pass looks for starts in it: where the
    /// pass finds that part, the whole string must be around it for the pattern to match.
    static func needed(_ source: String) -> [Needed]? {
        guard let sketch = RegexSketch.parse(source), let (set, lead) = best(sketch) else { return nil }
        // The scan folds ASCII letters only; a cased letter beyond ASCII could match in another case.
        guard !set.contains(where: { string in string.unicodeScalars.contains { !$0.isASCII && $0.properties.changesWhenCaseMapped } }) else { return nil }
        // A match holds a string's first bytes wherever it holds the string: four are enough to
        // pick patterns, and keep the scan's table small enough to stay in the cache.
        var seen: Set<Needed> = []
        var strings: [Needed] = []
        for marked in set {
            let string = unmarked(marked)
            let part = piece(of: string)
            var needed = Needed(bytes: Array(string.utf8).map(fold), prefix: Array(Array(part.text.utf8).map(fold).prefix(prefixLength)),
                                prefixStart: part.start, lead: lead)
            needed.wordBefore = marked.unicodeScalars.first == boundary && needed.bytes.first.map(isWordByte) == true
            needed.wordAfter = marked.unicodeScalars.last == boundary && needed.bytes.last.map(isWordByte) == true
            if seen.insert(needed).inserted { strings.append(needed) }
        }
        guard let shortest = strings.map(\.prefix.count).min(), shortest >= 2 else { return nil }
        return strings
    }

    /// The part of a string the scan looks for: its first uncommon word of three letters or
    /// more ("nude" in "his nude"), else the string; a match holds it wherever it holds the string.
    /// `start`: where it starts in the string, in bytes.
    private static func piece(of string: String) -> (text: String, common: Bool, start: Int) {
        let words = string.split { !($0.isLetter || $0.isNumber || $0 == "'") }
        if let word = words.first(where: { $0.count >= 3 && !commonWords.contains(String($0)) }) {
            return (String(word), false, string.utf8.distance(from: string.startIndex, to: word.startIndex))
        }
        return (string, words.isEmpty || words.contains { commonWords.contains(String($0)) } || string.count < 3, 0)
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

    /// A byte `\w` matches without UCP: an ASCII letter or digit, or `_`.
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F
    }

    /// Stands in the strings `exact` gives where the pattern has `\b`: a string beginning (ending)
    /// with it has a word boundary right before (after) it in every match that holds it there.
    /// Inside a string it says nothing and is dropped.
    private static let boundary: Unicode.Scalar = "\u{1}"

    /// The string without the marks of `\b`.
    private static func unmarked(_ string: String) -> String {
        string.unicodeScalars.contains(boundary) ? String(String.UnicodeScalarView(string.unicodeScalars.filter { $0 != boundary })) : string
    }

    /// Whether a string of `exact` matches nothing (a mark of `\b` is no character).
    private static func isBlank(_ string: String) -> Bool {
        string.unicodeScalars.allSatisfy { $0 == boundary }
    }

    private static let limit = 64
    static let prefixLength = 4

    /// How useful a set is: no string that starts with a word most notes have ("the", "will"),
    /// then its shortest string (up to 4 bytes), then fewer strings.
    private static func score(_ set: [String]) -> (Int, Int, Int, Int) {
        let pieces = set.map { piece(of: unmarked($0)) }
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
        case .anchor(let text):
            return [text == "\\b" ? String(Character(boundary)) : ""]
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
    /// `lead`: how many bytes a match may hold before the string of the set it holds starts
    /// (nil: unbounded, or not known); where a match repeats a part, of its first repetition.
    private static func best(_ node: RegexSketch) -> (strings: [String], lead: Int?)? {
        if case .sequence = node {
            // Parts of a phrase are weighed against the whole below.
        } else if let strings = exact(node), !strings.contains(where: isBlank) {
            return (strings, 0)
        }
        switch node {
        case .group(let inner, let kind):
            return kind.consumes ? best(inner) : nil
        case .alternation(let branches):
            var all: [String] = []
            var lead: Int? = 0
            for branch in branches {
                guard let found = best(branch) else { return nil }
                all += found.strings
                lead = lead.flatMap { lead in found.lead.map { max(lead, $0) } }
            }
            return (all, lead)
        case .repetition(let inner, let min, _, _):
            return min >= 1 ? best(inner) : nil
        case .sequence(let items):
            var candidates: [(strings: [String], lead: Int?)] = []
            func plus(_ a: Int?, _ b: Int?) -> Int? { a.flatMap { a in b.map { a + $0 } } }
            var run = [""]
            var runLead: Int? = 0
            // How many bytes the items so far may take.
            var before: Int? = 0
            func close() {
                if !run.contains(where: isBlank) { candidates.append((run, runLead)) }
                run = [""]
            }
            for item in items {
                let width = consumed(item)
                defer { before = plus(before, width) }
                if let strings = exact(item), run.count * strings.count <= limit {
                    if run.allSatisfy(isBlank) { runLead = before }
                    run = run.flatMap { prefix in strings.map { prefix + $0 } }
                    continue
                }
                close()
                if let strings = exact(item) {
                    run = strings
                    runLead = before
                } else if let inner = best(item) {
                    candidates.append((inner.strings, plus(before, inner.lead)))
                }
            }
            close()
            if let whole = exact(node), !whole.contains(where: isBlank) { candidates.append((whole, 0)) }
            // Each part alone too, letters written one after another as one part: the rarest
            // word of a phrase picks it best.
            var letters = ""
            var lettersLead: Int? = 0
            before = 0
            for item in items + [.anchor("")] {
                let width = consumed(item)
                defer { before = plus(before, width) }
                if case .literal(let character) = item {
                    if letters.isEmpty { lettersLead = before }
                    letters += String(character).lowercased()
                    continue
                }
                if !letters.isEmpty { candidates.append(([letters], lettersLead)) }
                letters = ""
                if let strings = exact(item), !strings.contains(where: isBlank) { candidates.append((strings, before)) }
            }
            // Each scored once (the first of the best, as `max(by:)` keeps): scoring splits every
            // string into words, and loading categories.yaml weighs thousands of candidates.
            let scores = candidates.map { score($0.strings) }
            return scores.indices.max { scores[$0] < scores[$1] }.map { candidates[$0] }
        default:
            return nil
        }
    }

    /// How many bytes `node` may consume at most (an ASCII character, `\s`, `\d`, `\w` and a
    /// class of ASCII characters one, anything else four, assertions and lookarounds none);
    /// nil when unbounded or not understood.
    private static func consumed(_ node: RegexSketch) -> Int? {
        switch node {
        case .anchor, .options: return 0
        case .group(let inner, let kind): return kind.consumes ? consumed(inner) : 0
        case .alternation(let branches):
            var most = 0
            for branch in branches {
                guard let width = consumed(branch) else { return nil }
                most = max(most, width)
            }
            return most
        case .sequence(let items):
            var total = 0
            for item in items {
                guard let width = consumed(item) else { return nil }
                total += width
            }
            return total
        case .repetition(let inner, _, let max, _):
            guard let max, let width = consumed(inner), max <= 1_000 else { return nil }
            return width * max
        default:
            return reach(node)
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
/// pass over a note's bytes (ASCII case folded) tells which patterns may match,
/// and where; then `holdsWhole` says whether a whole string is there, so that a
/// pattern whose words begin a string it needs ("come" of "come for") runs only
/// where the whole string is.
final class LiteralScanner: @unchecked Sendable {
    /// Bytes that occur in some string have a class; every other byte is class 0.
    private let classOf: [UInt8]
    private let classes: Int
    /// The full transition table, `table[row + class]`, a state's row starting at `state * classes`:
    /// the next state's row in the low 31 bits and, in the top bit, whether some string's part
    /// ends there. One load and one add a byte, no multiplication on the path from byte to byte.
    private let table: UnsafeMutableBufferPointer<UInt32>
    private static let outputFlag: UInt16 = 0x8000
    /// The inverse of `classes` (odd) modulo 2^32: a row times it is its state.
    private let inverse: UInt32
    /// The distinct whole strings: state s's are `stateWholes[stateWholeStart[s]..<stateWholeStart[s + 1]]`
    /// (the parts looked for of those strings end where s is reached), each with its bytes in
    /// `distinctBytes` and the patterns needing it as a bit set (`words` words) in `distinctMasks`.
    private let stateWholeStart: UnsafeMutableBufferPointer<Int32>
    private let stateWholes: UnsafeMutableBufferPointer<Int32>
    private let distinct: UnsafeMutableBufferPointer<Whole>
    private let distinctBytes: UnsafeMutableBufferPointer<UInt8>
    private let distinctMasks: UnsafeMutableBufferPointer<UInt64>
    /// Patterns with no required strings: always tried.
    let always: [UInt64]
    /// Whether the pass looks for pattern i's strings (else it is in `always`, and has no events).
    let looksFor: [Bool]
    let words: Int

    /// One whole string a pattern needs, in `wholeBytes`: `count` bytes from `offset`, starting
    /// `back` bytes before the byte where the pass finds the part it looks for ends.
    struct Whole {
        let offset: Int32
        let count: Int32
        let back: Int32
        /// `Needed.wordBefore` (bit 0) and `wordAfter` (bit 1): no word byte may touch the string there.
        var edges: Int32 = 0
    }
    /// Pattern i's whole strings are `wholes[wholeStart[i]..<wholeStart[i + 1]]`. Plain memory,
    /// read in the scan's inner loop without reference counting; freed with the scanner.
    private let wholes: UnsafeMutableBufferPointer<Whole>
    private let wholeStart: UnsafeMutableBufferPointer<Int32>
    private let wholeBytes: UnsafeMutableBufferPointer<UInt8>
    /// Bytes with ASCII capitals folded to lower case.
    private let folded: UnsafeMutableBufferPointer<UInt8>
    /// Whether a byte is one `\w` matches (`CategoryLiterals.isWordByte`), by byte.
    private let wordBytes: UnsafeMutableBufferPointer<Bool>
    /// For pattern i, the least `back` of its strings and the least bytes from where the pass
    /// finds a string to its end: a match holding a string found at `e` starts at or after
    /// `e + tail - reach` and looks no further than `e - back + reach`.
    let leastBack: [Int]
    let leastTail: [Int]
    /// For pattern i, the most `back` of its strings and how many bytes a match may hold before
    /// the string (nil: not known): such a match starts at or after `e - mostBack - lead`.
    let mostBack: [Int]
    let leads: [Int?]

    /// `strings[i]`: pattern i's required strings (`CategoryLiterals.needed`), or nil when it must always run.
    init(strings: [[CategoryLiterals.Needed]?]) {
        words = max(1, (strings.count + 63) / 64)
        var always = [UInt64](repeating: 0, count: words)
        var classOf = [UInt8](repeating: 0, count: 256)
        var classCount = 1
        for case let set? in strings {
            for string in set {
                for byte in string.prefix where classOf[Int(byte)] == 0 {
                    classOf[Int(byte)] = UInt8(classCount)
                    classCount += 1
                }
            }
        }
        // Upper-case ASCII letters share the class of their lower-case form.
        for upper in UInt8(0x41)...0x5A { classOf[Int(upper)] = classOf[Int(upper | 0x20)] }
        self.classOf = classOf
        // An odd count (one class no byte has, if need be), so that a row's state is a multiplication away.
        if classCount % 2 == 0 { classCount += 1 }
        classes = classCount
        var inverse = UInt32(classCount)
        for _ in 0..<5 { inverse = inverse &* (2 &- UInt32(classCount) &* inverse) }
        self.inverse = inverse

        var trie: [[Int32]] = [[Int32](repeating: -1, count: classCount)]
        // Each distinct whole string (its bytes and `back`): the patterns needing it, and the
        // states where the part looked for ends.
        struct Key: Hashable {
            let bytes: [UInt8]
            let back: Int
            let edges: Int32
        }
        var wholeIDs: [Key: Int] = [:]
        var wholeKeys: [Key] = []
        var wholeMasks: [[UInt64]] = []
        var outputs: [[Int]] = [[]]
        var looksFor = [Bool](repeating: false, count: strings.count)
        for (pattern, set) in strings.enumerated() {
            // A file with thousands of patterns keeps the table's states countable in 16 bits:
            // patterns past that run on every note.
            guard let set, trie.count + set.reduce(0, { $0 + $1.prefix.count }) < Int(Self.outputFlag) else {
                always[pattern / 64] |= 1 << UInt64(pattern % 64)
                continue
            }
            looksFor[pattern] = true
            for string in set {
                var state = 0
                for byte in string.prefix {
                    let c = Int(classOf[Int(byte)])
                    if trie[state][c] < 0 {
                        trie[state][c] = Int32(trie.count)
                        trie.append([Int32](repeating: -1, count: classCount))
                        outputs.append([])
                    }
                    state = Int(trie[state][c])
                }
                let key = Key(bytes: string.bytes, back: string.prefixStart + string.prefix.count - 1,
                              edges: (string.wordBefore ? 1 : 0) | (string.wordAfter ? 2 : 0))
                let id: Int
                if let known = wholeIDs[key] {
                    id = known
                } else {
                    id = wholeKeys.count
                    wholeIDs[key] = id
                    wholeKeys.append(key)
                    wholeMasks.append([UInt64](repeating: 0, count: words))
                }
                wholeMasks[id][pattern / 64] |= 1 << UInt64(pattern % 64)
                if !outputs[state].contains(id) { outputs[state].append(id) }
            }
        }
        self.always = always
        self.looksFor = looksFor
        // Breadth first: failure links, then the full table; each state's whole strings are its
        // own and its failure state's (whose parts end where its own do).
        var fail = [Int](repeating: 0, count: trie.count)
        var all = outputs
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
            for id in all[fail[state]] where !all[state].contains(id) { all[state].append(id) }
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
        self.table = .allocate(capacity: table.count)
        _ = self.table.initialize(from: table.map { UInt32($0) * UInt32(classCount) | (all[Int($0)].isEmpty ? 0 : 1 << 31) })
        var stateWholeStart: [Int32] = [0]
        var stateWholes: [Int32] = []
        for ids in all {
            stateWholes += ids.map { Int32($0) }
            stateWholeStart.append(Int32(stateWholes.count))
        }
        var wholeBytes: [UInt8] = []
        var distinct: [Whole] = []
        for key in wholeKeys {
            distinct.append(Whole(offset: Int32(wholeBytes.count), count: Int32(key.bytes.count), back: Int32(key.back), edges: key.edges))
            wholeBytes += key.bytes
        }
        self.stateWholeStart = .allocate(capacity: stateWholeStart.count)
        _ = self.stateWholeStart.initialize(from: stateWholeStart)
        self.stateWholes = .allocate(capacity: max(1, stateWholes.count))
        _ = self.stateWholes.initialize(from: stateWholes)
        self.distinct = .allocate(capacity: max(1, distinct.count))
        _ = self.distinct.initialize(from: distinct)
        self.distinctBytes = .allocate(capacity: max(1, wholeBytes.count))
        _ = self.distinctBytes.initialize(from: wholeBytes)
        self.distinctMasks = .allocate(capacity: max(1, wholeMasks.count * words))
        _ = self.distinctMasks.initialize(from: wholeMasks.flatMap { $0 })

        // The whole strings, as plain memory.
        var wholes: [Whole] = []
        var wholeStart: [Int32] = [0]
        var bytes: [UInt8] = []
        var leastBack: [Int] = []
        var leastTail: [Int] = []
        var mostBack: [Int] = []
        var leads: [Int?] = []
        for (pattern, set) in strings.enumerated() {
            var back = 0
            var tail = 0
            var most = 0
            var lead: Int?
            if looksFor[pattern], let set {
                back = Int.max
                tail = Int.max
                lead = 0
                for string in set {
                    let end = string.prefixStart + string.prefix.count - 1
                    wholes.append(Whole(offset: Int32(bytes.count), count: Int32(string.bytes.count), back: Int32(end)))
                    bytes += string.bytes
                    back = min(back, end)
                    most = max(most, end)
                    tail = min(tail, string.bytes.count - end)
                    lead = lead.flatMap { lead in string.lead.map { max(lead, $0) } }
                }
            }
            wholeStart.append(Int32(wholes.count))
            leastBack.append(back)
            leastTail.append(tail)
            mostBack.append(most)
            leads.append(lead)
        }
        self.leastBack = leastBack
        self.mostBack = mostBack
        self.leads = leads
        self.leastTail = leastTail
        self.wholes = .allocate(capacity: max(1, wholes.count))
        _ = self.wholes.initialize(from: wholes)
        self.wholeStart = .allocate(capacity: wholeStart.count)
        _ = self.wholeStart.initialize(from: wholeStart)
        self.wholeBytes = .allocate(capacity: max(1, bytes.count))
        _ = self.wholeBytes.initialize(from: bytes)
        folded = .allocate(capacity: 256)
        for byte in 0..<256 { folded[byte] = CategoryLiterals.fold(UInt8(byte)) }
        wordBytes = .allocate(capacity: 256)
        for byte in 0..<256 { wordBytes[byte] = CategoryLiterals.isWordByte(UInt8(byte)) }
    }

    deinit {
        table.deallocate()
        stateWholeStart.deallocate()
        stateWholes.deallocate()
        distinct.deallocate()
        distinctBytes.deallocate()
        distinctMasks.deallocate()
        wholes.deallocate()
        wholeStart.deallocate()
        wholeBytes.deallocate()
        folded.deallocate()
        wordBytes.deallocate()
    }

    /// Writes where each string part found ends, in order: `end << 32 | row` (the index of its
    /// last byte, and the state's row, whose whole strings `keepWhole` checks) into `events`,
    /// which holds `text.count`. Returns how many were written.
    func events(_ text: UnsafeBufferPointer<UInt8>, into events: UnsafeMutablePointer<UInt64>) -> Int {
        classOf.withUnsafeBufferPointer { classOf in
            let table = self.table.baseAddress!
            let classOf = classOf.baseAddress!
            let bytes = text.baseAddress!
            let count = text.count
            guard count >= 64 else {
                var found = 0
                var row: UInt32 = 0
                for index in 0..<count {
                    let entry = table[Int(row) &+ Int(classOf[Int(bytes[index])])]
                    row = entry & 0x7FFF_FFFF
                    events[found] = UInt64(index) << 32 | UInt64(row)
                    // Written every byte, kept only where a part ends: no branch to mispredict.
                    found &+= Int(entry >> 31)
                }
                return found
            }
            // Two halves at once: each byte's step waits on the step before, so two chains of
            // steps keep the core busy while one waits on its load. The second half starts
            // `prefixLength - 1` bytes early, so by its first byte its state is the one the
            // whole pass would have (no part is longer than `prefixLength`); its events go
            // from `events + middle` and are moved after the first half's.
            let middle = count / 2
            var first: UInt32 = 0
            var second: UInt32 = 0
            for index in (middle - (CategoryLiterals.prefixLength - 1))..<middle {
                second = table[Int(second) &+ Int(classOf[Int(bytes[index])])] & 0x7FFF_FFFF
            }
            var firstFound = 0
            var secondFound = middle
            for index in 0..<middle {
                let other = middle &+ index
                let entry = table[Int(first) &+ Int(classOf[Int(bytes[index])])]
                let otherEntry = table[Int(second) &+ Int(classOf[Int(bytes[other])])]
                first = entry & 0x7FFF_FFFF
                second = otherEntry & 0x7FFF_FFFF
                events[firstFound] = UInt64(index) << 32 | UInt64(first)
                firstFound &+= Int(entry >> 31)
                events[secondFound] = UInt64(other) << 32 | UInt64(second)
                secondFound &+= Int(otherEntry >> 31)
            }
            for index in (2 * middle)..<count {
                let entry = table[Int(second) &+ Int(classOf[Int(bytes[index])])]
                second = entry & 0x7FFF_FFFF
                events[secondFound] = UInt64(index) << 32 | UInt64(second)
                secondFound &+= Int(entry >> 31)
            }
            let secondCount = secondFound - middle
            // Forwards: the first half's events end at or before where the second's start.
            if firstFound != middle {
                for index in 0..<secondCount { events[firstFound &+ index] = events[middle &+ index] }
            }
            return firstFound + secondCount
        }
    }

    /// The last byte of the part an event found.
    @inline(__always)
    static func end(of event: UInt64) -> Int { Int(event >> 32) }

    /// Keeps, in place, the first `count` events where one of the whole strings of a pattern
    /// is (`holdsWhole`), with the bits of the patterns whose whole string is there in `bits`
    /// (`words` a kept event); `verified` gets `always` and every such pattern's bit.
    /// Returns how many events are kept.
    func keepWhole(_ text: UnsafeBufferPointer<UInt8>, events: UnsafeMutablePointer<UInt64>, count: Int,
                   bits: UnsafeMutablePointer<UInt64>, verified: UnsafeMutablePointer<UInt64>) -> Int {
        let words = self.words
        for word in 0..<words { verified[word] = always[word] }
        let base = text.baseAddress!
        let length = text.count
        let starts = stateWholeStart.baseAddress!
        let ids = stateWholes.baseAddress!
        let distinct = self.distinct.baseAddress!
        let distinctBytes = self.distinctBytes.baseAddress!
        let distinctMasks = self.distinctMasks.baseAddress!
        let folded = self.folded.baseAddress!
        let isWord = self.wordBytes.baseAddress!
        let inverse = self.inverse
        var kept = 0
        for index in 0..<count {
            let event = events[index]
            let end = Self.end(of: event)
            let state = Int(UInt32(truncatingIfNeeded: event) &* inverse)
            var next = Int(starts[state])
            let last = Int(starts[state &+ 1])
            var any = false
            search: while next < last {
                let id = Int(ids[next])
                next &+= 1
                let whole = distinct[id]
                let start = end &- Int(whole.back)
                let count = Int(whole.count)
                guard start >= 0, start &+ count <= length else { continue }
                // A string the pattern wants as a whole word is no match inside a longer one.
                if whole.edges != 0 {
                    if whole.edges & 1 != 0, start > 0, isWord[Int(base[start &- 1])] { continue }
                    if whole.edges & 2 != 0, start &+ count < length, isWord[Int(base[start &+ count])] { continue }
                }
                let bytes = distinctBytes + Int(whole.offset)
                var at = 0
                while at < count {
                    if folded[Int(base[start &+ at])] != bytes[at] { continue search }
                    at &+= 1
                }
                // The first whole string here sets the event's bits, the others add theirs.
                let into = bits + kept &* words
                let masks = distinctMasks + id &* words
                if any {
                    for word in 0..<words { into[word] |= masks[word] }
                } else {
                    for word in 0..<words { into[word] = masks[word] }
                    any = true
                }
            }
            if any {
                let into = bits + kept &* words
                for word in 0..<words { verified[word] |= into[word] }
                events[kept] = event
                kept &+= 1
            }
        }
        return kept
    }

    /// Whether one of pattern `pattern`'s whole strings is in `text` around `end`, the byte
    /// where the pass found the part of it it looks for (an event's end), ASCII case folded.
    @inline(__always)
    func holdsWhole(_ text: UnsafeBufferPointer<UInt8>, at end: Int, pattern: Int) -> Bool {
        let base = text.baseAddress!
        var index = Int(wholeStart[pattern])
        let last = Int(wholeStart[pattern &+ 1])
        search: while index < last {
            let whole = wholes[index]
            index &+= 1
            let start = end &- Int(whole.back)
            let count = Int(whole.count)
            guard start >= 0, start &+ count <= text.count else { continue }
            let bytes = wholeBytes.baseAddress! + Int(whole.offset)
            for at in 0..<count where folded[Int(base[start &+ at])] != bytes[at] { continue search }
            return true
        }
        return false
    }
}
