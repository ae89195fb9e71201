/// Measures what each content rule costs: classifies every URL of a corpus
/// through the classifier's own dispatch (`ClassifierSteps`: platform file,
/// folded host, host bucket, trackers stripped) and times every
/// `Pattern.matches` call with a monotonic clock. One per thread.
///
/// Rules are tried as `Classifier.match` tries them (the path pattern, then
/// each query requirement, stopping at the first that fails), and a URL stops
/// at its first matching rule or at a rule that runs into the match limit,
/// so the attempts counted are the attempts the engine makes.
public final class RuleProfiler {
    public let rules: RuleSet
    private let scratch = MatchScratch()
    private var counters: [ObjectIdentifier: Counter] = [:]
    private var urls: [WebURL] = []
    private var lines = 0
    private var rejected = 0

    /// A rule's running totals.
    private struct Counter {
        var attempts = 0
        var matches = 0
        var limitHits = 0
        var nanoseconds: UInt64 = 0
    }

    public init(rules: RuleSet) {
        self.rules = rules
    }

    /// Reads a corpus of reports (text, CSV or JSON Lines, as `normalize` reads them) and keeps its URLs.
    public func load(corpus path: String, format: InputFormat? = nil) throws {
        let extractor = URLExtractor(schemelessDomains: rules.schemelessDomains)
        _ = try ReportReader(path: path, format: format).read { record in
            lines += 1
            for candidate in extractor.extract(record.text) {
                guard candidate.rejection == nil, let url = try? WebURL.parse(candidate.text),
                      url.scheme == "http" || url.scheme == "https", !url.host.isEmpty else {
                    rejected += 1
                    continue
                }
                urls.append(url)
            }
        }
    }

    /// Adds URLs directly (for tests and tools that have them already).
    public func add(_ urls: [WebURL]) {
        self.urls += urls
    }

    /// Classifies every URL `passes` times and reports each rule's cost.
    public func run(passes: Int = 1) -> RuleProfile {
        counters = [:]
        var outcomes = (decided: 0, pages: 0, gaveUp: 0)
        let start = MonotonicClock.now()
        for pass in 0..<max(1, passes) {
            for url in urls {
                let outcome = classify(url)
                guard pass == 0 else { continue }
                switch outcome {
                case .decided: outcomes.decided += 1
                case .page: outcomes.pages += 1
                case .gaveUp: outcomes.gaveUp += 1
                }
            }
        }
        let wall = MonotonicClock.now() &- start
        var rows: [RuleProfile.Row] = []
        for platform in rules.platforms {
            for rule in platform.content {
                let counter = counters[ObjectIdentifier(rule)] ?? Counter()
                rows.append(.init(rule: rule.location, platform: platform.platform, type: rule.type, attempts: counter.attempts,
                                  matches: counter.matches, limitHits: counter.limitHits, nanoseconds: counter.nanoseconds, share: 0))
            }
        }
        let total = rows.reduce(UInt64(0)) { $0 + $1.nanoseconds }
        for index in rows.indices where total > 0 { rows[index].share = Double(rows[index].nanoseconds) / Double(total) }
        return RuleProfile(rows: rows, lines: lines, urls: urls.count, rejected: rejected, decidedByRule: outcomes.decided,
                           pages: outcomes.pages, gaveUp: outcomes.gaveUp, passes: max(1, passes), patternNanoseconds: total,
                           wallNanoseconds: wall, clockOverheadNanoseconds: MonotonicClock.overhead())
    }

    // MARK: - Classifying with a stopwatch

    enum Outcome { case decided, page, gaveUp }

    /// The classifier's dispatch and rule order, with each pattern match timed.
    func classify(_ url: WebURL) -> Outcome {
        let steps = ClassifierSteps(url, rules: rules)
        guard let platform = steps.platform else { return .page }
        let path = Array(steps.path.utf8)
        for index in steps.candidateRules {
            let rule = platform.content[index]
            var counter = counters[ObjectIdentifier(rule)] ?? Counter()
            counter.attempts += 1
            let outcome = attempt(rule, path: path, parameters: steps.parameters, counter: &counter)
            counters[ObjectIdentifier(rule)] = counter
            switch outcome {
            case .some(true): return .decided
            case .some(false): continue
            case .none: return .gaveUp
            }
        }
        return .page
    }

    /// Whether `rule` matches; nil when one of its patterns hit the match limit.
    private func attempt(_ rule: ContentRule, path: [UInt8], parameters: [QueryParameter], counter: inout Counter) -> Bool? {
        if let pattern = rule.path {
            guard let matched = timed(pattern, on: path, counter: &counter) else { return nil }
            guard matched else { return false }
        }
        for requirement in rule.query {
            guard let parameter = parameters.first(where: { $0.name == requirement.name }) else { return false }
            let value = Array(parameter.value.utf8)
            guard let matched = timed(requirement.pattern, on: value, counter: &counter) else { return nil }
            guard matched else { return false }
        }
        counter.matches += 1
        return true
    }

    private func timed(_ pattern: Pattern, on subject: [UInt8], counter: inout Counter) -> Bool? {
        subject.withUnsafeBufferPointer { buffer in
            let start = MonotonicClock.now()
            let result = Result { () throws(MatchLimitError) -> Bool in try pattern.matches(buffer, scratch: scratch) }
            counter.nanoseconds += MonotonicClock.now() &- start
            switch result {
            case .success(let matched): return matched
            case .failure:
                counter.limitHits += 1
                return nil
            }
        }
    }
}
