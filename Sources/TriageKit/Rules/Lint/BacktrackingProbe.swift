/// Looks for catastrophic backtracking (ReDoS) by running a pattern under a
/// low PCRE2 match limit against inputs built from the pattern itself.
///
/// For every repeated piece of the pattern (`(a+)+`, `[\w.-]{1,64}`, `.*`),
/// the probe builds: a prefix that leads the match up to the piece (sampled
/// from what comes before it), then a long run of a string the piece repeats
/// (every short string it accepts, tried one by one, since the dangerous one
/// is the string two branches both accept), then an ending that makes the
/// match fail, so that PCRE2 must backtrack through every way of splitting
/// the run. Endings are single characters, and the text the pattern expects
/// after the piece with a wrong character before or after it: PCRE2 skips a
/// subject at once when a literal the pattern needs is missing, so the
/// input must carry the pattern's own literals to be a real test. Two run lengths are tried: about 32 bytes, where an exponential
/// pattern already needs millions of steps, and about 2 KB, where a quadratic
/// one does. A pattern is flagged only when PCRE2 really hits the limit, so a
/// finding is never a guess; a pattern the probe cannot build inputs for is
/// simply not flagged.
final class BacktrackingProbe {
    /// An input on which the pattern ran into the limit.
    struct Finding: Sendable, Equatable {
        /// The repeated piece, as written in the pattern.
        let piece: String
        let prefix: String
        let pump: String
        let count: Int
        let suffix: String
        let limit: UInt32

        /// The whole input.
        var input: String { prefix + String(repeating: pump, count: count) + suffix }

        /// How the input is built, for a message: `'/tag/' + 'a' × 32 + '!'`.
        var recipe: String {
            var parts: [String] = []
            if !prefix.isEmpty { parts.append(Self.quote(prefix)) }
            parts.append("\(Self.quote(pump)) × \(count)")
            if !suffix.isEmpty { parts.append(Self.quote(suffix)) }
            return parts.joined(separator: " + ")
        }

        private static func quote(_ text: String) -> String {
            "'" + text.unicodeScalars.map { $0.value < 0x20 ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined() + "'"
        }
    }

    /// Run lengths in bytes, each with the match limit it runs under. An
    /// ordinary URL rule needs a few steps per byte; these limits leave room
    /// for dozens per byte and still stop an exponential or quadratic pattern.
    static let runs: [(bytes: Int, limit: UInt32)] = [(32, 20_000), (2_048, 250_000)]
    /// Characters that end a run and make most patterns fail there.
    static let endings = ["!", "\u{1}", "/", " ", "@", "\n", ""]
    /// Characters tried as a repeated piece's run, besides the pattern's own literals.
    static let pool: [String] = ["a", "1", "A", "_", "-", ".", "/", "%", "~", " ", "@", ":", "=", "&", "+", ",", "!", "x", "\t"]
    /// How many different runs to try per repeated piece.
    static let pumpsPerPiece = 8

    private var representatives: [String: String?] = [:]
    private let scratches: [MatchScratch]

    init() {
        // Depth is left loose so that only the step count decides; the engine's
        // own depth limit is a separate guard.
        scratches = Self.runs.map { MatchScratch(matchLimit: $0.limit, depthLimit: 10_000_000) }
    }

    /// The first input found on which `pattern` hits the limit, or nil.
    func probe(_ pattern: Pattern) -> Finding? {
        let sites: [Site]
        if let sketch = RegexSketch.parse(pattern.source) {
            var collected: [Site] = []
            collect(sketch, prefix: "", continuation: "", into: &collected)
            sites = collected
        } else {
            // Without a sketch, still try runs of every pool character from the start.
            sites = [Site(body: nil, source: pattern.source, prefix: "", continuation: "")]
        }
        let literals = Set(pattern.source.filter { $0.isASCII && $0 != "\\" }.map(String.init))
        for site in sites {
            for pump in pumps(for: site, options: pattern.options, literals: literals) {
                for (index, run) in Self.runs.enumerated() {
                    let count = max(1, run.bytes / max(1, pump.utf8.count))
                    let endings = Self.endings + (site.continuation.isEmpty ? [] : [site.continuation + "!", "!" + site.continuation])
                    for suffix in endings {
                        let input = site.prefix + String(repeating: pump, count: count) + suffix
                        do {
                            _ = try pattern.matches(input, scratch: scratches[index])
                        } catch {
                            return Finding(piece: site.source, prefix: site.prefix, pump: pump, count: count, suffix: suffix, limit: run.limit)
                        }
                    }
                }
            }
        }
        return nil
    }

    // MARK: - Building inputs

    /// A repeated piece, the text that leads a match up to it, and the text the pattern expects after it.
    private struct Site {
        let body: RegexSketch?
        let source: String
        let prefix: String
        let continuation: String
    }

    private func collect(_ node: RegexSketch, prefix: String, continuation: String, into sites: inout [Site]) {
        switch node {
        case .sequence(let items):
            var prefix = prefix
            for (index, item) in items.enumerated() {
                let rest = items[(index + 1)...].map { sample($0) ?? "" }.joined()
                collect(item, prefix: prefix, continuation: rest + continuation, into: &sites)
                prefix += sample(item) ?? ""
            }
        case .alternation(let branches):
            for branch in branches { collect(branch, prefix: prefix, continuation: continuation, into: &sites) }
        case .group(let inner, _):
            collect(inner, prefix: prefix, continuation: continuation, into: &sites)
        case .repetition(let inner, _, let max, let source):
            if max.map({ $0 > 1 }) ?? true {
                sites.append(Site(body: inner, source: source, prefix: prefix, continuation: continuation))
            }
            collect(inner, prefix: prefix, continuation: continuation, into: &sites)
        case .literal, .atom, .anchor, .backreference, .options:
            break
        }
    }

    /// Short strings the piece accepts in one repetition: samples of its
    /// branches, then single characters, checked with PCRE2 itself.
    private func pumps(for site: Site, options: Pattern.Options, literals: Set<String>) -> [String] {
        var candidates: [String] = []
        if let body = site.body {
            candidates += branchSamples(body)
        }
        candidates += Self.pool + literals.sorted()
        let whole = site.body != nil ? try? Pattern("^(?:\(site.source))$", options: options) : nil
        let scratch = scratches[0]
        var pumps: [String] = []
        for candidate in candidates where !candidate.isEmpty && !pumps.contains(candidate) {
            if let whole, (try? whole.matches(candidate, scratch: scratch)) != true { continue }
            pumps.append(candidate)
            if pumps.count == Self.pumpsPerPiece { break }
        }
        return pumps
    }

    private func branchSamples(_ node: RegexSketch) -> [String] {
        switch node {
        case .group(let inner, _): return branchSamples(inner)
        case .alternation(let branches): return branches.flatMap(branchSamples)
        case .repetition(let inner, _, _, _): return branchSamples(inner)
        default: return sample(node).map { [$0] } ?? []
        }
    }

    /// A short string `node` matches (lookarounds and backreferences taken as empty).
    private func sample(_ node: RegexSketch) -> String? {
        switch node {
        case .literal(let character): return String(character)
        case .atom(let source): return representative(source)
        case .anchor, .backreference, .options: return ""
        case .sequence(let items):
            var result = ""
            for item in items {
                guard let piece = sample(item) else { return nil }
                result += piece
            }
            return result
        case .alternation(let branches):
            return branches.compactMap(sample).min { $0.utf8.count < $1.utf8.count }
        case .group(let inner, let kind):
            return kind.consumes ? sample(inner) : ""
        case .repetition(let inner, let min, _, _):
            return sample(inner).map { String(repeating: $0, count: min) }
        }
    }

    /// A character a class or escape matches, found by asking PCRE2.
    private func representative(_ atom: String) -> String? {
        if let known = representatives[atom] { return known }
        let pattern = try? Pattern("^(?:\(atom))$")
        let found = pattern.flatMap { pattern in Self.pool.first { (try? pattern.matches($0, scratch: scratches[0])) == true } }
        representatives[atom] = found
        return found
    }
}
