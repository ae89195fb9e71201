/// What each content rule cost over a corpus, as the rule profilers of
/// intrusion-detection systems show it: attempts, matches, time per attempt
/// and share of all pattern time, slowest first.
public struct RuleProfile: Sendable, Encodable {
    /// One content rule's cost.
    public struct Row: Sendable, Encodable {
        public var rule: SourceLocation
        public var platform: String
        public var type: String
        /// How many URLs the rule was tried on.
        public var attempts: Int
        /// How many of those it matched (and so decided).
        public var matches: Int
        /// How many attempts ran into the PCRE2 match limit.
        public var limitHits: Int
        /// Time inside the rule's pattern matches, summed over attempts.
        public var nanoseconds: UInt64
        /// Share of the pattern time of every rule, 0…1.
        public var share: Double

        public var nanosecondsPerAttempt: Double { attempts == 0 ? 0 : Double(nanoseconds) / Double(attempts) }

        private enum CodingKeys: String, CodingKey {
            case rule, platform, type, attempts, matches, limitHits = "limit_hits", nanoseconds = "total_ns", share
            case nanosecondsPerAttempt = "ns_per_attempt"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rule, forKey: .rule)
            try container.encode(platform, forKey: .platform)
            try container.encode(type, forKey: .type)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(matches, forKey: .matches)
            try container.encode(limitHits, forKey: .limitHits)
            try container.encode(nanoseconds, forKey: .nanoseconds)
            try container.encode(nanosecondsPerAttempt, forKey: .nanosecondsPerAttempt)
            try container.encode(share, forKey: .share)
        }
    }

    /// How rows are ordered, slowest first by one measure.
    public enum Order: String, Sendable, CaseIterable {
        /// By total time: the rules that cost the engine most.
        case total
        /// By time per attempt: the patterns that are slowest to run.
        case perAttempt = "per-attempt"
    }

    /// Every content rule, rules never tried last.
    public var rows: [Row]
    /// Input lines read, and the URLs found in them.
    public var lines: Int
    public var urls: Int
    /// URLs the engine would not classify (not http(s), no host, rejected by the extractor).
    public var rejected: Int
    /// Classifications per outcome, per pass over the corpus.
    public var decidedByRule: Int
    public var pages: Int
    public var gaveUp: Int
    /// How many times the corpus was classified.
    public var passes: Int
    /// Time in pattern matches, and wall time of classifying, over all passes.
    public var patternNanoseconds: UInt64
    public var wallNanoseconds: UInt64
    /// What one clock reading costs; every attempt's time includes one.
    public var clockOverheadNanoseconds: UInt64

    private enum CodingKeys: String, CodingKey {
        case rows = "rules", lines, urls, rejected, decidedByRule = "decided_by_rule", pages, gaveUp = "gave_up", passes
        case patternNanoseconds = "pattern_ns", wallNanoseconds = "wall_ns", clockOverheadNanoseconds = "clock_overhead_ns"
    }

    /// The rows ordered slowest first by `order`; ties by attempts, then file order.
    public func sorted(by order: Order) -> RuleProfile {
        var copy = self
        copy.rows.sort { a, b in
            let (x, y) = order == .total ? (Double(a.nanoseconds), Double(b.nanoseconds)) : (a.nanosecondsPerAttempt, b.nanosecondsPerAttempt)
            if x != y { return x > y }
            if a.attempts != b.attempts { return a.attempts > b.attempts }
            return (a.rule.file, a.rule.line) < (b.rule.file, b.rule.line)
        }
        return copy
    }
}
