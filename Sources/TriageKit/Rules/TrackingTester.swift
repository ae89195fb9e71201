/// Runs the examples of `tracking.yaml`, and holds every pattern there to at
/// least one of them: a tracker nobody has shown being stripped is a pattern
/// nobody has seen work.
extension RuleTester {
    /// The failures of the tracking examples and of patterns no example covers.
    func runTracking() -> (failures: [Failure], examples: Int, patterns: Int) {
        let classifier = Classifier(rules: rules)
        var failures: [Failure] = []
        var names: [Substring] = []
        for example in rules.tracking.examples {
            func failure(_ expected: String, _ actual: String) -> Failure {
                Failure(location: example.location, url: example.url, expected: expected, actual: actual)
            }
            guard let url = try? WebURL.parse(example.url) else {
                failures.append(failure("a URL that parses", "it does not"))
                continue
            }
            names += Self.parameterNames(url.query)
            guard let result = try? classifier.classify(url) else {
                failures.append(failure("canonical \(example.canonical ?? "")", "no classification"))
                continue
            }
            if let canonical = example.canonical, canonical != result.canonical {
                failures.append(failure("canonical \(canonical)", "canonical \(result.canonical)"))
                continue
            }
            // Normalising the canonical URL again must change nothing.
            if let parsed = try? WebURL.parse(result.canonical), let again = try? classifier.classify(parsed),
               again.canonical != result.canonical {
                failures.append(failure("canonical \(result.canonical) to stay as it is", "it becomes \(again.canonical)"))
            }
        }
        for pattern in rules.tracking.patterns where !names.contains(where: { ParamFilter.pattern(pattern.value, matches: $0) }) {
            failures.append(Failure(location: pattern.location, url: pattern.value,
                                    expected: "an example in tracking.yaml with a parameter '\(pattern.value)' strips",
                                    actual: "no example has one"))
        }
        return (failures, rules.tracking.examples.count, rules.tracking.patterns.count)
    }

    /// The parameter names of a query, as written.
    static func parameterNames(_ query: String?) -> [Substring] {
        guard let query else { return [] }
        return query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0] }
    }
}
