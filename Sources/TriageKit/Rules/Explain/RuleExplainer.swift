/// Explains how the engine classifies a URL, step by step, for
/// `urltriage rules explain`. One per thread, like the classifier it wraps.
///
/// Every decision in a trace is taken by the classifier's own functions
/// (`ClassifierSteps`, `Classifier.match`, the templates); the explainer only
/// records them and adds the reasons a person needs (which list entry, which
/// requirement failed). A test holds the trace's result equal to
/// `Classifier.classify` for every shipped example.
public final class RuleExplainer {
    public let rules: RuleSet
    private let extractor: URLExtractor
    private let classifier: Classifier
    /// For reasons only (does the path alone match?); never decides anything.
    private let scratch = MatchScratch()
    private let index: RuleFileIndex
    /// How many times `classify` and each rule attempt are timed; the fastest run is reported.
    static let timingRuns = 5

    public init(rules: RuleSet) {
        self.rules = rules
        extractor = URLExtractor(schemelessDomains: rules.schemelessDomains)
        classifier = Classifier(rules: rules)
        index = RuleFileIndex(rules: rules)
    }

    /// One trace per URL the extractor finds in `input`, or one trace saying why it finds none.
    public func explain(_ input: String) -> [ClassificationTrace] {
        let candidates = extractor.extract(input)
        guard !candidates.isEmpty else {
            var trace = ClassificationTrace(input: input)
            trace.problem = "no URL found: the extractor needs a scheme (https://), a 'www.' host or a known platform host"
            return [trace]
        }
        return candidates.map { candidate in
            var trace = ClassificationTrace(input: input)
            trace.extraction = .init(text: candidate.text, column: candidate.column, notes: candidate.notes, rejection: candidate.rejection)
            if let rejection = candidate.rejection {
                trace.problem = rejection
                return trace
            }
            follow(candidate.text, into: &trace)
            return trace
        }
    }

    /// The trace of `url` taken as it is, without the extractor.
    public func explain(url: String) -> ClassificationTrace {
        var trace = ClassificationTrace(input: url)
        follow(url, into: &trace)
        return trace
    }

    // MARK: - Steps

    private func follow(_ text: String, into trace: inout ClassificationTrace) {
        let url: WebURL
        do {
            url = try WebURL.parse(text)
        } catch {
            trace.problem = "not a valid URL: \(error.reason)"
            return
        }
        trace.parsed = url.href
        guard url.scheme == "http" || url.scheme == "https" else {
            trace.problem = "\(url.scheme): URLs are not checked, only http and https"
            return
        }
        guard !url.host.isEmpty else {
            trace.problem = "URL has no host"
            return
        }
        let steps = ClassifierSteps(url, rules: rules)
        trace.dispatch = dispatch(url.host, steps: steps)
        trace.path = .init(raw: steps.rawPath, normalized: steps.path, fromHashbang: steps.fromHashbang)
        trace.fragment = steps.fromHashbang ? nil : url.fragment
        trace.parameters = parameters(steps)
        if let platform = steps.platform {
            let candidates = steps.candidateRules
            trace.skippedRules = platform.content.indices.filter { !candidates.contains($0) }.map { index in
                let rule = platform.content[index]
                let hosts = rule.hosts.map { $0.sorted().joined(separator: ", ") } ?? ""
                return .init(rule: rule.location, type: rule.type, reason: "only for hosts \(hosts)")
            }
            attempt(candidates, of: platform, url: url, steps: steps, into: &trace)
        }
        if trace.result == nil && trace.problem == nil { trace.result = steps.pageClassification(url) }
        trace.classifyNanoseconds = timeClassify(url)
    }

    private func attempt(_ candidates: [Int], of platform: PlatformRules, url: WebURL, steps: ClassifierSteps,
                         into trace: inout ClassificationTrace) {
        for index in candidates {
            let rule = platform.content[index]
            var attempt = ClassificationTrace.RuleAttempt(rule: rule.location, type: rule.type, outcome: .notTried)
            // The classifier stops at the first match or the first rule that gives up.
            if trace.result != nil || trace.problem != nil {
                attempt.reason = trace.result != nil ? "an earlier rule matched" : "an earlier rule gave up"
                trace.attempts.append(attempt)
                continue
            }
            var outcome: Result<Captures?, ClassificationError> = .success(nil)
            var fastest = UInt64.max
            // The first run decides; the fastest of a few is the time, since a first run pays for cold caches.
            for run in 0..<Self.timingRuns {
                let start = MonotonicClock.now()
                let result = Result { () throws(ClassificationError) -> Captures? in
                    try classifier.match(rule, path: steps.path, parameters: steps.parameters)
                }
                fastest = min(fastest, MonotonicClock.now() &- start)
                if run == 0 { outcome = result }
            }
            attempt.nanoseconds = Int(fastest)
            switch outcome {
            case .success(let captures?):
                attempt.outcome = .matched
                attempt.captures = ClassifierSteps.namedCaptures(captures, of: rule).map { .init(name: $0.name, value: $0.value) }
                trace.result = steps.classification(url, rule: rule, captures: captures, platform: platform)
            case .success(nil):
                attempt.outcome = .noMatch
                attempt.reason = whyNot(rule, steps: steps)
            case .failure(let error):
                attempt.outcome = .gaveUp
                attempt.reason = error.message
                trace.problem = error.description
            }
            trace.attempts.append(attempt)
        }
    }

    /// Which part of a rule failed: its path pattern, or one of its query requirements.
    private func whyNot(_ rule: ContentRule, steps: ClassifierSteps) -> String {
        if let pattern = rule.path, (try? pattern.matches(steps.path, scratch: scratch)) != true {
            return "path \(steps.path) does not match \(pattern.source)"
        }
        for requirement in rule.query {
            guard let parameter = steps.parameters.first(where: { $0.name == requirement.name }) else {
                let stripped = steps.allParameters.contains { $0.name == requirement.name }
                return stripped ? "needs '\(requirement.name)', which is stripped as a tracker here"
                    : "needs the query parameter '\(requirement.name)'"
            }
            if (try? requirement.pattern.matches(String(parameter.value), scratch: scratch)) != true {
                return "\(requirement.name)=\(parameter.value) does not match \(requirement.pattern.source)"
            }
        }
        return "no match"
    }

    private func dispatch(_ host: String, steps: ClassifierSteps) -> ClassificationTrace.Dispatch {
        let folded = String(steps.host)
        let droppedLabels = folded == host ? [] : host.utf8.dropLast(folded.utf8.count + 1).split(separator: UInt8(ascii: "."))
            .map { String(decoding: $0, as: UTF8.self) }
        guard let platform = steps.platform else {
            return .init(host: host, platform: "web", file: nil, reason: "no rule file claims this host, and none is the fallback ('*')",
                         hostEntry: nil, foldedHost: folded, foldedLabels: [], foldHosts: [], foldHostsEntry: nil,
                         bucket: "no content rules")
        }
        let (reason, entry) = claim(of: host, by: platform)
        let candidates = steps.candidateRules
        let limited = candidates.contains { platform.content[$0].hosts != nil }
        let bucket = platform.content.isEmpty ? "no content rules"
            : limited ? "rules limited to \(folded), then rules for every host (\(candidates.count) of \(platform.content.count))"
            : "rules for every host (\(candidates.count) of \(platform.content.count))"
        return .init(host: host, platform: platform.platform, file: platform.location, reason: reason,
                     hostEntry: entry.flatMap { index.hostEntry($0, of: platform) },
                     foldedHost: folded, foldedLabels: droppedLabels, foldHosts: platform.foldPrefixes,
                     foldHostsEntry: index.platformFile(platform.location.file).foldHosts, bucket: bucket)
    }

    /// Which `hosts` entry of the chosen platform claimed `host`, checked in the
    /// order `RuleSet.platformIndex(forHost:)` checks them.
    private func claim(of host: String, by platform: PlatformRules) -> (reason: String, entry: String?) {
        if platform.hosts.contains(host) { return ("listed host '\(host)'", host) }
        var rest = Substring(host)
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            if platform.hosts.contains("*." + rest) { return ("every subdomain of \(rest) ('*.\(rest)')", "*." + rest) }
            if platform.hosts.contains(String(rest)), platform.fold(host: host) == rest {
                return ("listed host '\(rest)', after folding", String(rest))
            }
        }
        return ("the fallback for hosts no rule file names ('*')", "*")
    }

    private func parameters(_ steps: ClassifierSteps) -> [ClassificationTrace.ParameterStep] {
        steps.allParameters.map { parameter in
            var step = ClassificationTrace.ParameterStep(name: String(parameter.name), value: String(parameter.value), fate: .kept)
            guard steps.filter.strips(parameter.name) else { return step }
            if rules.globalTracking.strips(parameter.name) {
                step.fate = .strippedGlobal
                let entry = RuleFileIndex.entry(stripping: parameter.name, in: index.tracking)
                (step.entry, step.entryLocation) = (entry?.value, entry?.location)
            } else {
                step.fate = .strippedPlatform
                let entries = steps.platform.map { index.platformFile($0.location.file).stripParams } ?? []
                let entry = RuleFileIndex.entry(stripping: parameter.name, in: entries)
                (step.entry, step.entryLocation) = (entry?.value, entry?.location)
            }
            return step
        }
    }

    private func timeClassify(_ url: WebURL) -> Int {
        var best = UInt64.max
        for _ in 0..<Self.timingRuns {
            let start = MonotonicClock.now()
            _ = try? classifier.classify(url)
            best = min(best, MonotonicClock.now() &- start)
        }
        return Int(best)
    }
}
