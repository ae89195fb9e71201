internal import Yams

/// `tracking.yaml`: the parameters stripped on every site, each pattern with
/// the line it is written on, and the example URLs that show them stripped.
public struct TrackingRules: Sendable {
    /// One entry of `global:`: a name, `prefix*`, or a glob with `?` and `*`.
    public struct Pattern: Sendable {
        public let value: String
        public let location: SourceLocation
    }

    public let filter: ParamFilter
    public let patterns: [Pattern]
    /// URLs with trackers in them and the canonical URL each must become.
    public let examples: [RuleExample]

    public init(filter: ParamFilter = ParamFilter(), patterns: [Pattern] = [], examples: [RuleExample] = []) {
        self.filter = filter
        self.patterns = patterns
        self.examples = examples
    }
}

extension RuleLoader {
    static let trackingKeys = ["global", "examples"]

    /// Reads `tracking.yaml`: `global:` lists the patterns, `examples:` the
    /// URLs (`url` and `canonical`) that `rules test` runs.
    static func loadTrackingRules(_ path: String) throws(RuleError) -> TrackingRules {
        let (node, reader) = try readYAML(path)
        let map = try reader.mapping(node, what: "tracking.yaml")
        try map.checkKeys(trackingKeys, in: "tracking.yaml")
        var patterns: [TrackingRules.Pattern] = []
        if let global = map["global"] {
            for item in try reader.list(global, what: "'global' of tracking.yaml") {
                let value = try reader.string(item, what: "each entry of 'global'")
                guard !value.isEmpty, value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "=") && $0 != UInt8(ascii: "&") }) else {
                    throw RuleError(reader.location(item), "tracking pattern '\(value)' must be a parameter name: printable ASCII without spaces, '=' or '&'")
                }
                patterns.append(.init(value: value, location: reader.location(item)))
            }
        }
        var examples: [RuleExample] = []
        if let list = map["examples"] {
            for item in try reader.list(list, what: "'examples' of tracking.yaml") {
                let example = try reader.mapping(item, what: "each entry of 'examples'")
                try example.checkKeys(["url", "canonical"], in: "a tracking example")
                guard let url = try example.string("url", in: "a tracking example"),
                      let canonical = try example.string("canonical", in: "a tracking example") else {
                    throw RuleError(example.location, "a tracking example needs 'url' and the 'canonical' URL it becomes")
                }
                examples.append(RuleExample(url: url, key: nil, canonical: canonical, location: example.location))
            }
        }
        return TrackingRules(filter: ParamFilter(patterns.map(\.value)), patterns: patterns, examples: examples)
    }
}
