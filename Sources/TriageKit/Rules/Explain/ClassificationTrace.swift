/// Every step the engine takes from one piece of text to a key, as a rule
/// author reads it: what was extracted, how it was normalised, which rule
/// file and host bucket were chosen, which parameters were stripped, each
/// content rule tried, and the result.
public struct ClassificationTrace: Sendable, Encodable {
    /// The text as given (a command-line argument, a report line).
    public var input: String
    /// What the extractor found; nil when it found no URL in the input.
    public var extraction: Extraction?
    /// The WHATWG-parsed URL, serialised; nil when it does not parse.
    public var parsed: String?
    public var dispatch: Dispatch?
    public var path: PathStep?
    /// The fragment, which keys and canonical URLs leave out (unless it held an old `#!/` path).
    public var fragment: String?
    public var parameters: [ParameterStep] = []
    /// Content rules of the platform that the host bucket left out, and why.
    public var skippedRules: [SkippedRule] = []
    /// Each content rule of the bucket, in the order the classifier tries them.
    public var attempts: [RuleAttempt] = []
    public var result: Classification?
    /// Why there is no result: no URL found, not a valid URL, a rule gave up.
    public var problem: String?
    /// How long the classifier itself takes on this URL (best of a few runs), in nanoseconds.
    public var classifyNanoseconds: Int?

    public init(input: String) { self.input = input }

    private enum CodingKeys: String, CodingKey {
        case input, extraction, parsed, dispatch, path, fragment, parameters, skippedRules = "skipped_rules", attempts, result, problem
        case classifyNanoseconds = "classify_ns"
    }

    // MARK: - Steps

    /// What the extractor made of the input.
    public struct Extraction: Sendable, Encodable {
        /// The text handed to the URL parser: refanged, unwrapped, with a scheme added if needed.
        public var text: String
        /// 1-based byte column in the input where the URL started.
        public var column: Int
        /// What the extractor did: "unwrapped Outlook Safe Links", "refanged" …
        public var notes: [String]
        /// Why the extractor will not pass this on (a `mailto:` link …).
        public var rejection: String?
    }

    /// Which platform file the host was sent to, and which host bucket of it.
    public struct Dispatch: Sendable, Encodable {
        /// The host as parsed.
        public var host: String
        /// The platform's short name, or `web` when no rule file claims the host.
        public var platform: String
        /// The platform's rule file, where it starts.
        public var file: SourceLocation?
        /// How the host reached the platform: "listed host 'tiktok.com'", "'*.tiktok.com'" …
        public var reason: String
        /// The `hosts` entry that claimed it, where known.
        public var hostEntry: SourceLocation?
        /// The host after folding leading labels.
        public var foldedHost: String
        /// The labels dropped by folding, and the platform's `fold_hosts` (or the default).
        public var foldedLabels: [String]
        public var foldHosts: [String]
        public var foldHostsEntry: SourceLocation?
        /// Which content rules the host gets: "rules for host vm.tiktok.com" or "rules for every host".
        public var bucket: String

        private enum CodingKeys: String, CodingKey {
            case host, platform, file, reason, hostEntry = "host_entry", foldedHost = "folded_host"
            case foldedLabels = "folded_labels", foldHosts = "fold_hosts", foldHostsEntry = "fold_hosts_entry", bucket
        }
    }

    /// The path content patterns are matched against, and how it got there.
    public struct PathStep: Sendable, Encodable {
        /// The path as parsed (or rebuilt from `#!/`).
        public var raw: String
        /// After percent-encoding was made uniform: what patterns see.
        public var normalized: String
        /// Whether the path was rebuilt from an old `#!/` fragment.
        public var fromHashbang: Bool

        private enum CodingKeys: String, CodingKey { case raw, normalized, fromHashbang = "from_hashbang" }
    }

    /// One query parameter and what happened to it.
    public struct ParameterStep: Sendable, Encodable {
        public enum Fate: String, Sendable, Encodable {
            case kept
            /// A tracker on every site (`tracking.yaml`).
            case strippedGlobal = "stripped_global"
            /// A tracker on this platform (its `strip_params`).
            case strippedPlatform = "stripped_platform"
        }
        public var name: String
        public var value: String
        public var fate: Fate
        /// The list entry that made it a tracker (`utm_*` …) and where it is written.
        public var entry: String?
        public var entryLocation: SourceLocation?

        private enum CodingKeys: String, CodingKey { case name, value, fate, entry, entryLocation = "entry_location" }
    }

    /// A content rule of the platform that this host never tries.
    public struct SkippedRule: Sendable, Encodable {
        public var rule: SourceLocation
        public var type: String
        public var reason: String
    }

    /// One content rule tried, with what came of it.
    public struct RuleAttempt: Sendable, Encodable {
        public enum Outcome: String, Sendable, Encodable {
            case matched
            case noMatch = "no_match"
            /// The pattern ran into the PCRE2 match limit.
            case gaveUp = "gave_up"
            /// An earlier rule matched first, so the classifier never tries this one.
            case notTried = "not_tried"
        }
        public var rule: SourceLocation
        public var type: String
        public var outcome: Outcome
        /// Why it did not match: the path, or which query requirement.
        public var reason: String?
        /// Named captures of a match, in the rule's order.
        public var captures: [Capture] = []
        /// Time of this attempt, in nanoseconds.
        public var nanoseconds: Int?
    }

    /// A named capture and the text it took.
    public struct Capture: Sendable, Encodable, Equatable {
        public var name: String
        public var value: String
    }
}

// MARK: - Encoding shared types

extension SourceLocation: Encodable {
    private enum CodingKeys: String, CodingKey { case file, line, column }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
    }
}

extension Classification: Encodable {
    private enum CodingKeys: String, CodingKey { case platform, type, key, canonical, rule }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(platform, forKey: .platform)
        try container.encode(type, forKey: .type)
        try container.encode(key, forKey: .key)
        try container.encode(canonical, forKey: .canonical)
        try container.encodeIfPresent(rule, forKey: .rule)
    }
}
