/// Runs the examples and counter-examples written beside each harm category,
/// as the test suite does for the shipped `rules/categories.yaml`.
public struct CategoryTester {
    /// One example that was not classified as its file says.
    public struct Failure: Sendable, CustomStringConvertible {
        public var location: SourceLocation
        public var text: String
        public var expected: String
        public var actual: String
        public var description: String {
            "\(location): \"\(text)\"\n    expected: \(expected)\n    actual:   \(actual)"
        }
    }

    /// What a run found.
    public struct Report: Sendable {
        public var failures: [Failure] = []
        public var examples = 0
        public var counterExamples = 0
        public var passed: Bool { failures.isEmpty }
    }

    public let categories: HarmCategories

    public init(categories: HarmCategories) { self.categories = categories }

    /// Each example must be decided as its own category when given as a report's
    /// notes; no counter-example may be given its category (every match must be overruled, or none made).
    public func run() -> Report {
        let scratch = MatchScratch()
        var report = Report()
        for category in categories.categories {
            for example in category.examples {
                report.examples += 1
                if let failure = limitFailure(example, category: category, scratch: scratch) {
                    report.failures.append(failure)
                    continue
                }
                let decision = categories.decide(reported: nil, notes: example.text, scratch: scratch)
                guard decision.category != category.id else { continue }
                let actual: String
                if let found = categories.firstMatch(in: example.text, scratch: scratch) {
                    actual = "'\(found.category.id)', whose pattern at \(found.pattern.location) matched \"\(found.matched)\""
                } else if decision.overruled.isEmpty {
                    actual = "'\(decision.category)': no pattern matched"
                } else {
                    actual = "'\(decision.category)': \(decision.because)"
                }
                report.failures.append(Failure(location: example.location, text: example.text,
                                               expected: "'\(category.id)'", actual: actual))
            }
            for counter in category.counterExamples {
                report.counterExamples += 1
                if let failure = limitFailure(counter, category: category, scratch: scratch) {
                    report.failures.append(failure)
                    continue
                }
                var text = counter.text
                let hit = text.withUTF8 { bytes in
                    categories.scanner.scan(bytes, scratch: scratch).found.first { categories.categories[$0.category].id == category.id }
                        .map { (categories.scanner.entries[$0.entry].pattern.location, String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.range]), as: UTF8.self)) }
                }
                guard let (location, matched) = hit else { continue }
                report.failures.append(Failure(location: counter.location, text: counter.text,
                                               expected: "no match by a pattern of '\(category.id)' (or every match overruled)",
                                               actual: "the pattern at \(location) matched \"\(matched)\" and nothing overruled it"))
            }
        }
        return report
    }

    /// A failure when some pattern runs into PCRE2's limits on this text: in
    /// use it would silently count as no match.
    private func limitFailure(_ example: CategoryExample, category: HarmCategory, scratch: MatchScratch) -> Failure? {
        guard let problem = categories.scanner.limitProblem(example.text, scratch: scratch) else { return nil }
        return Failure(location: example.location, text: example.text, expected: "every pattern to finish",
                       actual: "the pattern at \(problem.pattern.location) gave up: \(problem.message)")
    }
}
