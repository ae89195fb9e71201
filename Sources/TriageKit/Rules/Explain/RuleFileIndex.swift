internal import Yams

/// Where single list entries sit in the rule files (a host, a tracking
/// parameter), so that an explanation can name the line that did a step.
///
/// The loaded `RuleSet` keeps only what classifying needs; this reads the
/// YAML again for the positions, and knows nothing when a file cannot be read.
struct RuleFileIndex {
    /// One entry of a list in a rule file.
    struct Entry {
        let value: String
        let location: SourceLocation
    }

    private(set) var tracking: [Entry] = []
    /// By rule file: two files may (wrongly) name the same platform.
    private(set) var hosts: [String: [Entry]] = [:]
    private(set) var stripParams: [String: [Entry]] = [:]
    private(set) var foldHosts: [String: SourceLocation] = [:]

    init(rules: RuleSet) {
        self.init(trackingFile: rules.files.first { $0.hasSuffix("tracking.yaml") }, platforms: rules.platforms)
    }

    init(trackingFile: String?, platforms: [PlatformRules]) {
        if let trackingFile, let map = Self.mapping(trackingFile) {
            tracking = Self.entries(map["global"], reader: map.reader)
        }
        for platform in platforms {
            guard let map = Self.mapping(platform.location.file) else { continue }
            hosts[platform.location.file] = Self.entries(map["hosts"], reader: map.reader)
            stripParams[platform.location.file] = Self.entries(map["strip_params"], reader: map.reader)
            if map["fold_hosts"] != nil { foldHosts[platform.location.file] = map.keyLocation("fold_hosts") }
        }
    }

    /// Where `host` is listed in a platform's `hosts`.
    func hostEntry(_ host: String, of platform: PlatformRules) -> SourceLocation? {
        hosts[platform.location.file]?.first { $0.value.lowercased() == host }?.location
    }

    /// The `tracking.yaml` or `strip_params` entry that makes `name` a tracker.
    static func entry(stripping name: Substring, in entries: [Entry]) -> Entry? {
        entries.first { ParamFilter.pattern($0.value, matches: name) }
    }

    // MARK: - Reading

    private static func mapping(_ file: String) -> YAMLMapping? {
        guard let (node, reader) = try? RuleLoader.readYAML(file) else { return nil }
        return try? reader.mapping(node, what: "a rule file")
    }

    private static func entries(_ node: Node?, reader: YAMLReader) -> [Entry] {
        guard let node else { return [] }
        if let scalar = node.scalar { return [Entry(value: scalar.string, location: reader.location(node))] }
        return (node.sequence.map(Array.init) ?? []).compactMap { item in
            item.scalar.map { Entry(value: $0.string, location: reader.location(item)) }
        }
    }
}
