/// Runs the examples written beside each rule, as the test suite and
/// `urltriage rules test` do.
public struct RuleTester {
    /// One example that did not behave as its rule file says.
    public struct Failure: Sendable, CustomStringConvertible {
        public var location: SourceLocation
        public var url: String
        public var expected: String
        public var actual: String
        public var description: String {
            "\(location): \(url)\n    expected: \(expected)\n    actual:   \(actual)"
        }
    }

    /// What a run found.
    public struct Report: Sendable {
        public var failures: [Failure] = []
        public var rules = 0
        public var rulesWithExamples = 0
        public var examples = 0
        public var counterExamples = 0
        /// Examples and patterns of `tracking.yaml` run (when no platform is singled out).
        public var trackingExamples = 0
        public var trackingPatterns = 0
        public var passed: Bool { failures.isEmpty }
    }

    public let rules: RuleSet

    public init(rules: RuleSet) { self.rules = rules }

    /// Runs every example and counter-example, optionally of one platform only.
    public func run(only platform: String? = nil) -> Report {
        let classifier = Classifier(rules: rules)
        var report = Report()
        for rules in rules.platforms where platform == nil || rules.platform == platform {
            for rule in rules.content {
                report.rules += 1
                if !rule.examples.isEmpty { report.rulesWithExamples += 1 }
                for example in rule.examples {
                    report.examples += 1
                    report.failures += check(example, of: rule, in: rules, classifier: classifier)
                }
                for counter in rule.counterExamples {
                    report.counterExamples += 1
                    if let failure = checkCounter(counter, of: rule, in: rules, classifier: classifier) {
                        report.failures.append(failure)
                    }
                }
            }
        }
        if platform == nil {
            let tracking = runTracking()
            report.failures += tracking.failures
            report.trackingExamples = tracking.examples
            report.trackingPatterns = tracking.patterns
        }
        return report
    }

    // MARK: - Examples

    private func check(_ example: RuleExample, of rule: ContentRule, in platform: PlatformRules, classifier: Classifier) -> [Failure] {
        func failure(_ expected: String, _ actual: String) -> Failure {
            Failure(location: example.location, url: example.url, expected: expected, actual: actual)
        }
        let url: WebURL
        do {
            url = try WebURL.parse(example.url)
        } catch {
            return [failure("a URL that parses", "parse error: \(error.reason)")]
        }
        let result: Classification
        do {
            result = try classifier.classify(url)
        } catch {
            return [failure("a match by the '\(rule.type)' rule at \(rule.location)", error.description)]
        }
        var failures: [Failure] = []
        if result.rule != rule.location {
            let actual = result.rule.map { "matched by the '\(result.type)' rule of '\(result.platform)' at \($0)" }
                ?? "no content rule matched (platform '\(result.platform)', type '\(result.type)')"
            failures.append(failure("a match by the '\(rule.type)' rule of '\(platform.platform)' at \(rule.location)", actual))
            return failures
        }
        if let key = example.key, key != result.key { failures.append(failure("key \(key)", "key \(result.key)")) }
        if let canonical = example.canonical, canonical != result.canonical {
            failures.append(failure("canonical \(canonical)", "canonical \(result.canonical)"))
        }
        failures += overlaps(example, url: url, of: rule, in: platform, classifier: classifier)
        failures += roundTrip(example, result: result, classifier: classifier)
        return failures
    }

    /// Another rule of the same platform that also matches is a rule whose
    /// order silently decides; the yt-dlp-style cross check makes that visible.
    private func overlaps(_ example: RuleExample, url: WebURL, of rule: ContentRule, in platform: PlatformRules, classifier: Classifier) -> [Failure] {
        let host = platform.fold(host: url.host)
        let (rawPath, rawQuery) = URLCleaner.hashbang(url) ?? (url.path, url.query)
        let path = URLCleaner.normalizePercentEncoding(rawPath)
        let parameters = URLCleaner.keptParameters(rawQuery, filter: platform.stripParams)
        var failures: [Failure] = []
        let position = platform.content.firstIndex { $0.location == rule.location }
        for index in platform.candidateRules(for: host) {
            let other = platform.content[index]
            guard other.location != rule.location else { continue }
            if let position, position < index, Self.narrows(rule, other) { continue }
            if (try? classifier.match(other, path: path, parameters: parameters)) != nil {
                failures.append(Failure(location: example.location, url: example.url,
                                        expected: "matched only by the '\(rule.type)' rule at \(rule.location)",
                                        actual: "also matched by the '\(other.type)' rule at \(other.location)"))
            }
        }
        return failures
    }

    /// Whether `rule` is `other` narrowed by a query parameter: it asks for
    /// every parameter `other` asks for and more. Placed before `other`, it is
    /// the specific case written first on purpose (`/USER?clip=ID` before
    /// `/USER`), since a path pattern cannot say "without this parameter".
    /// (Placed after, it never decides, which lint reports as shadowing.)
    static func narrows(_ rule: ContentRule, _ other: ContentRule) -> Bool {
        let names = Set(rule.query.map(\.name))
        let otherNames = Set(other.query.map(\.name))
        return otherNames.isSubset(of: names) && names.count > otherNames.count
    }

    /// The canonical URL must come back to the same key and itself, or
    /// checking it later would file it as a different item.
    private func roundTrip(_ example: RuleExample, result: Classification, classifier: Classifier) -> [Failure] {
        guard let url = try? WebURL.parse(result.canonical), let again = try? classifier.classify(url) else {
            return [Failure(location: example.location, url: example.url, expected: "a canonical URL that parses and classifies",
                            actual: "canonical \(result.canonical) does not")]
        }
        guard again.key == result.key, again.canonical == result.canonical else {
            return [Failure(location: example.location, url: example.url,
                            expected: "canonical \(result.canonical) to give key \(result.key) again",
                            actual: "it gives key \(again.key), canonical \(again.canonical)")]
        }
        return []
    }

    private func checkCounter(_ counter: RuleExample, of rule: ContentRule, in platform: PlatformRules, classifier: Classifier) -> Failure? {
        guard let url = try? WebURL.parse(counter.url) else { return nil }
        let host = platform.fold(host: url.host)
        let applies = rules.platformIndex(forHost: url.host).map { rules.platforms[$0].platform == platform.platform } ?? false
        guard applies, platform.candidateRules(for: host).contains(where: { platform.content[$0].location == rule.location }) else { return nil }
        let (rawPath, rawQuery) = URLCleaner.hashbang(url) ?? (url.path, url.query)
        let path = URLCleaner.normalizePercentEncoding(rawPath)
        let parameters = URLCleaner.keptParameters(rawQuery, filter: platform.stripParams)
        guard let captures = try? classifier.match(rule, path: path, parameters: parameters) else { return nil }
        return Failure(location: counter.location, url: counter.url, expected: "no match by the '\(rule.type)' rule at \(rule.location)",
                       actual: "matched, capturing \(rule.captureNames.indices.compactMap { slot in captures[slot].map { "\(rule.captureNames[slot])=\($0)" } }.joined(separator: " "))")
    }
}
