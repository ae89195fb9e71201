/// Finds content rules that an earlier rule of the same platform always wins
/// over, so that they never decide anything.
///
/// The classifier tries a host's rules in file order and stops at the first
/// match, so rule B is shadowed when an earlier rule A is tried on every host
/// B is tried on and matches every URL B matches. Deciding that for arbitrary
/// PCRE2 patterns is out of reach, so the check claims it only where it can
/// prove it:
///
/// 1. A has no path pattern and no query requirement: it matches every URL.
/// 2. A's path pattern is B's, character for character, and each of A's
///    query requirements is also one of B's: whatever B matches, A matches.
/// 3. B's path pattern is anchored at both ends and can match only a small
///    finite set of paths (literals, `?`, alternation, bounded repeats, which
///    `RegexSketch.finiteLanguage` lists, never too few), A's path pattern
///    matches every one of them when PCRE2 runs it, and A's query
///    requirements are also B's: the enumeration is the proof.
///
/// Beyond proof, there is evidence: when every example of B is classified by
/// one earlier rule A, B fails its own examples whatever else it would match.
/// That is reported too, and the message says it rests on the examples.
struct ShadowCheck {
    /// A rule and the earlier rule that wins over it.
    struct Shadow {
        let rule: ContentRule
        let winner: ContentRule
        /// How it was established, for the message.
        let method: String
    }

    let platform: PlatformRules
    private let scratch = MatchScratch()

    init(platform: PlatformRules) {
        self.platform = platform
    }

    /// Every shadowed rule of the platform, with its winner; `classifier` classifies the examples.
    func shadows(classifier: Classifier) -> [Shadow] {
        var result: [Shadow] = []
        for (index, rule) in platform.content.enumerated() {
            let earlier = platform.content[..<index]
            if let (winner, method) = earlier.lazy.compactMap({ a in proof(a, winsOver: rule).map { (a, $0) } }).first {
                result.append(Shadow(rule: rule, winner: winner, method: method))
            } else if let winner = exampleEvidence(for: rule, earlier: Array(earlier), classifier: classifier) {
                let method = rule.examples.count == 1 ? "this rule's only example is classified by it"
                    : "all \(rule.examples.count) of this rule's examples are classified by it"
                result.append(Shadow(rule: rule, winner: winner, method: method))
            }
        }
        return result
    }

    // MARK: - Proofs

    private func proof(_ a: ContentRule, winsOver b: ContentRule) -> String? {
        guard isTried(a, whereverIsTried: b) else { return nil }
        if a.path == nil && a.query.isEmpty { return "it has no path pattern and no query requirement, so it matches every URL" }
        guard queryImplied(a, by: b) else { return nil }
        guard let pathA = a.path else { return "it matches every path and needs no query parameter this rule does not" }
        guard let pathB = b.path else { return nil }
        if pathA.source == pathB.source {
            return a.query.isEmpty && b.query.isEmpty ? "it has the same path pattern" : "it has the same path pattern and needs no query parameter this rule does not"
        }
        guard let sketch = RegexSketch.parse(pathB.source), sketch.isAnchoredAtStart, sketch.isAnchoredAtEnd,
              let paths = sketch.finiteLanguage(), !paths.isEmpty else { return nil }
        guard paths.allSatisfy({ (try? pathA.matches($0, scratch: scratch)) == true }) else { return nil }
        let shown = paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? ", …" : "")
        return "its path pattern matches every path this rule can match: \(shown)"
    }

    /// Whether `a` is among the candidates on every host `b` is a candidate on.
    private func isTried(_ a: ContentRule, whereverIsTried b: ContentRule) -> Bool {
        guard let hostsA = a.hosts else { return true }
        guard let hostsB = b.hosts else { return false }
        let folded = { (hosts: Set<String>) in Set(hosts.map { String(self.platform.fold(host: $0)) }) }
        return folded(hostsB).isSubset(of: folded(hostsA))
    }

    /// Whether every query requirement of `a` is also a requirement of `b`, with the same pattern.
    private func queryImplied(_ a: ContentRule, by b: ContentRule) -> Bool {
        a.query.allSatisfy { requirement in
            b.query.contains { $0.name == requirement.name && $0.pattern.source == requirement.pattern.source }
        }
    }

    // MARK: - Evidence

    private func exampleEvidence(for rule: ContentRule, earlier: [ContentRule], classifier: Classifier) -> ContentRule? {
        guard !rule.examples.isEmpty else { return nil }
        var winner: SourceLocation?
        for example in rule.examples {
            guard let url = try? WebURL.parse(example.url), let result = try? classifier.classify(url),
                  let decided = result.rule, winner == nil || winner == decided,
                  earlier.contains(where: { $0.location == decided }) else { return nil }
            winner = decided
        }
        return earlier.first { $0.location == winner }
    }
}
