/// The shape of a PCRE2 pattern, enough to reason about it: where it is
/// anchored, which parts repeat, and which strings it can match.
///
/// It understands the constructs rule files use (literals, escapes, classes,
/// groups of every common kind, alternation, quantifiers); on anything else
/// it gives up (`parse` returns nil) and callers fall back to saying less.
/// PCRE2 itself still compiles and runs every pattern; the sketch never
/// decides whether something matches.
indirect enum RegexSketch: Equatable {
    /// One literal character.
    case literal(Character)
    /// A single-character matcher with its pattern text: a class, `\d`, `.` …
    case atom(String)
    /// `^`, `$`, `\b`, `\A`, `\z` and friends: zero width.
    case anchor(String)
    /// `\1`, `\k<name>`: matches what a group matched.
    case backreference
    /// An inline option setting such as `(?i)`, which changes what the rest matches.
    case options(String)
    case sequence([RegexSketch])
    case alternation([RegexSketch])
    case group(RegexSketch, GroupKind)
    /// A quantified piece; `max` nil means unbounded; `source` is the piece's pattern text.
    case repetition(RegexSketch, min: Int, max: Int?, source: String)

    enum GroupKind: Equatable {
        case capturing, nonCapturing, atomic, lookahead, lookbehind
        /// `(?i:…)`: a non-capturing group with its own options.
        case withOptions

        /// Whether the group's contents must match where the group stands (not a lookaround).
        var consumes: Bool { self != .lookahead && self != .lookbehind }
    }

    /// Parses `source`; nil when it uses something the sketch does not know.
    static func parse(_ source: String) -> RegexSketch? {
        var parser = Parser(characters: Array(source))
        guard let node = parser.alternation(), parser.index == parser.characters.count else { return nil }
        return node
    }

    // MARK: - Anchoring

    /// Whether every match must start at the start of the subject (`^`, `\A`).
    var isAnchoredAtStart: Bool {
        switch self {
        case .anchor(let text): text == "^" || text == "\\A"
        case .sequence(let items): items.first(where: { !$0.isZeroWidthMarker })?.isAnchoredAtStart ?? false
        case .alternation(let branches): !branches.isEmpty && branches.allSatisfy(\.isAnchoredAtStart)
        case .group(let inner, let kind): kind.consumes && inner.isAnchoredAtStart
        default: false
        }
    }

    /// Whether every match must end at the end of the subject (`$`, `\z`, `\Z`).
    var isAnchoredAtEnd: Bool {
        switch self {
        case .anchor(let text): text == "$" || text == "\\z" || text == "\\Z"
        case .sequence(let items): items.last(where: { !$0.isZeroWidthMarker })?.isAnchoredAtEnd ?? false
        case .alternation(let branches): !branches.isEmpty && branches.allSatisfy(\.isAnchoredAtEnd)
        case .group(let inner, let kind): kind.consumes && inner.isAnchoredAtEnd
        default: false
        }
    }

    /// Option settings and comments, which stand before or after an anchor without moving it.
    private var isZeroWidthMarker: Bool {
        if case .options = self { return true }
        return self == .sequence([])
    }

    // MARK: - Finite languages

    /// The strings the pattern can match, when they are a small finite set:
    /// literals, `?`, bounded repeats of literals and alternations, anchors.
    /// Nil as soon as a class, an unbounded repeat, a lookaround or an option
    /// setting appears, or the set would grow past `limit`.
    ///
    /// Anchors are taken as matching the empty string, which only ever adds
    /// strings: for a pattern anchored at both ends the result is a superset
    /// of every subject it matches (URL paths hold no newline, so `$` cannot
    /// match before one). Callers rely on that superset to reason soundly.
    func finiteLanguage(limit: Int = 256) -> [String]? {
        switch self {
        case .literal(let character): return [String(character)]
        case .anchor: return [""]
        case .atom, .backreference, .options: return nil
        case .group(let inner, let kind):
            guard kind == .capturing || kind == .nonCapturing else { return nil }
            return inner.finiteLanguage(limit: limit)
        case .alternation(let branches):
            var result: [String] = []
            for branch in branches {
                guard let strings = branch.finiteLanguage(limit: limit) else { return nil }
                result += strings
                if result.count > limit { return nil }
            }
            return result
        case .sequence(let items):
            var result = [""]
            for item in items {
                guard let strings = item.finiteLanguage(limit: limit), result.count * strings.count <= limit else { return nil }
                result = result.flatMap { prefix in strings.map { prefix + $0 } }
            }
            return result
        case .repetition(let inner, let min, let max, _):
            guard let max, let strings = inner.finiteLanguage(limit: limit) else { return nil }
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
}

// MARK: - Parser

extension RegexSketch {
    /// A recursive-descent reader of the pattern text.
    fileprivate struct Parser {
        let characters: [Character]
        var index = 0

        private var atEnd: Bool { index >= characters.count }
        private var current: Character? { atEnd ? nil : characters[index] }

        private func peek(_ offset: Int) -> Character? {
            index + offset < characters.count ? characters[index + offset] : nil
        }

        mutating func alternation() -> RegexSketch? {
            var branches: [RegexSketch] = []
            while true {
                guard let branch = sequence() else { return nil }
                branches.append(branch)
                guard current == "|" else { break }
                index += 1
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        private mutating func sequence() -> RegexSketch? {
            var items: [RegexSketch] = []
            while let character = current, character != "|", character != ")" {
                let start = index
                guard let item = atom() else { return nil }
                guard let quantified = quantifier(on: item, from: start) else { return nil }
                items.append(contentsOf: quantified)
            }
            return items.count == 1 ? items[0] : .sequence(items)
        }

        /// One piece before its quantifier; `\Q…\E` may yield several literals, flattened into a sequence.
        private mutating func atom() -> RegexSketch? {
            guard let character = current else { return nil }
            switch character {
            case "\\": return escape()
            case "[": return characterClass()
            case "(": return group()
            case ".":
                index += 1
                return .atom(".")
            case "^", "$":
                index += 1
                return .anchor(String(character))
            case "*", "+", "?":
                return nil
            default:
                index += 1
                return .literal(character)
            }
        }

        private mutating func escape() -> RegexSketch? {
            guard let next = peek(1) else { return nil }
            let start = index
            index += 2
            switch next {
            case "d", "D", "w", "W", "s", "S", "h", "H", "v", "V", "N", "R":
                return .atom(String(characters[start..<index]))
            case "b", "B", "A", "z", "Z", "G":
                return .anchor(String(characters[start..<index]))
            case "p", "P", "x", "o":
                // \p{…}, \x{…}, \o{…} or \xhh: one character, whatever it is.
                if current == "{" {
                    guard let close = characters[index...].firstIndex(of: "}") else { return nil }
                    index = close + 1
                } else if next == "x" {
                    var digits = 0
                    while digits < 2, let c = current, c.isHexDigit { index += 1; digits += 1 }
                } else if next != "x" {
                    index += 1
                }
                return .atom(String(characters[start..<index]))
            case "Q":
                var literals: [RegexSketch] = []
                while !atEnd, !(current == "\\" && peek(1) == "E") {
                    literals.append(.literal(characters[index]))
                    index += 1
                }
                if !atEnd { index += 2 }
                return .sequence(literals)
            case "E":
                return .sequence([])
            case "k", "g":
                // \k<name>, \k{name}, \g{…}, \g1: a backreference (or subroutine call).
                if let open = current, open == "<" || open == "{" || open == "'" {
                    let close: Character = open == "<" ? ">" : open == "{" ? "}" : "'"
                    guard let end = characters[index...].firstIndex(of: close) else { return nil }
                    index = end + 1
                } else {
                    while let c = current, c.isNumber || c == "-" || c == "+" { index += 1 }
                }
                return .backreference
            case "1"..."9":
                while let c = current, c.isNumber { index += 1 }
                return .backreference
            case "t": return .literal("\t")
            case "n": return .literal("\n")
            case "r": return .literal("\r")
            case "f": return .literal("\u{0C}")
            case "e": return .literal("\u{1B}")
            case "a": return .literal("\u{07}")
            case "0": return .literal("\u{0}")
            default:
                // Any other escaped character stands for itself, unless it is a letter PCRE2 gives a meaning.
                return next.isLetter ? nil : .literal(next)
            }
        }

        private mutating func characterClass() -> RegexSketch? {
            let start = index
            index += 1
            if current == "^" { index += 1 }
            if current == "]" { index += 1 }
            while let character = current, character != "]" {
                if character == "\\" {
                    index += 2
                } else if character == "[", peek(1) == ":" {
                    guard let close = findPosixEnd() else { return nil }
                    index = close
                } else {
                    index += 1
                }
            }
            guard current == "]" else { return nil }
            index += 1
            return .atom(String(characters[start..<index]))
        }

        private func findPosixEnd() -> Int? {
            var position = index + 2
            while position + 1 < characters.count {
                if characters[position] == ":" && characters[position + 1] == "]" { return position + 2 }
                position += 1
            }
            return nil
        }

        private mutating func group() -> RegexSketch? {
            index += 1
            var kind = GroupKind.capturing
            if current == "?" {
                index += 1
                guard let marker = current else { return nil }
                switch marker {
                case ":", "|": index += 1; kind = .nonCapturing
                case ">": index += 1; kind = .atomic
                case "=", "!": index += 1; kind = .lookahead
                case "#":
                    // A comment.
                    guard let close = characters[index...].firstIndex(of: ")") else { return nil }
                    index = close + 1
                    return .sequence([])
                case "<":
                    if peek(1) == "=" || peek(1) == "!" {
                        index += 2
                        kind = .lookbehind
                    } else {
                        guard let close = characters[index...].firstIndex(of: ">") else { return nil }
                        index = close + 1
                    }
                case "P":
                    guard peek(1) == "<", let close = characters[index...].firstIndex(of: ">") else { return nil }
                    index = close + 1
                case "'":
                    guard let close = characters[(index + 1)...].firstIndex(of: "'") else { return nil }
                    index = close + 1
                default:
                    // Inline options: (?i) sets them for the rest; (?i:…) is a group.
                    let optionsStart = index
                    while let c = current, c.isLetter || c == "-" || c == "^" { index += 1 }
                    guard index > optionsStart else { return nil }
                    if current == ")" {
                        index += 1
                        return .options(String(characters[optionsStart..<(index - 1)]))
                    }
                    guard current == ":" else { return nil }
                    index += 1
                    kind = .withOptions
                }
            }
            guard let inner = alternation(), current == ")" else { return nil }
            index += 1
            return .group(inner, kind)
        }

        /// The quantifier after `item`, if any, with the piece's source text for probes.
        private mutating func quantifier(on item: RegexSketch, from start: Int) -> [RegexSketch]? {
            let pieceEnd = index
            let bounds: (Int, Int?)
            switch current {
            case "*": index += 1; bounds = (0, nil)
            case "+": index += 1; bounds = (1, nil)
            case "?": index += 1; bounds = (0, 1)
            case "{":
                guard let parsed = braces() else { return [item] }
                bounds = parsed
            default:
                if case .sequence(let literals) = item, !literals.isEmpty { return literals }
                return [item]
            }
            // Lazy (`?`) and possessive (`+`) forms repeat the same piece.
            if current == "?" || current == "+" { index += 1 }
            if case .anchor = item { return [item] }
            return [.repetition(item, min: bounds.0, max: bounds.1, source: String(characters[start..<pieceEnd]))]
        }

        /// `{n}`, `{n,}`, `{n,m}`; anything else is a literal brace and leaves the index alone.
        private mutating func braces() -> (Int, Int?)? {
            var position = index + 1
            func number() -> Int? {
                var digits = ""
                while position < characters.count, characters[position].isNumber {
                    digits.append(characters[position])
                    position += 1
                }
                return Int(digits)
            }
            guard let low = number() else { return nil }
            var high: Int? = low
            if position < characters.count, characters[position] == "," {
                position += 1
                high = number()
            }
            guard position < characters.count, characters[position] == "}" else { return nil }
            index = position + 1
            return (low, high)
        }
    }
}
