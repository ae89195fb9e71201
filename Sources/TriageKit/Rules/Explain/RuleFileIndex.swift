internal import Yams

/// Where single list entries sit in the rule files (a host, a tracking
/// parameter), so that an explanation can name the line that did a step.
///
/// The loaded `RuleSet` keeps only what classifying needs; this reads a file's
/// YAML again for the positions the first time it is asked about that file, and
/// knows nothing when the file cannot be read. One per thread, like its explainer.
final class RuleFileIndex {
    /// One entry of a list in a rule file.
    struct Entry {
        let value: String
        let location: SourceLocation
    }

    /// What one platform file lists, with where.
    struct PlatformFile {
        var hosts: [Entry] = []
        var stripParams: [Entry] = []
        var foldHosts: SourceLocation?
    }

    private let trackingFile: String?
    /// Read on first use: explaining one URL reads the tracking file and its platform's file,
    /// not all 37 again (re-reading them was a sixth of `rules explain`'s time).
    private var trackingEntries: [Entry]?
    /// By rule file: two files may (wrongly) name the same platform.
    private var platformFiles: [String: PlatformFile] = [:]

    convenience init(rules: RuleSet) {
        self.init(trackingFile: rules.files.first { $0.hasSuffix("tracking.yaml") })
    }

    init(trackingFile: String?) {
        self.trackingFile = trackingFile
    }

    /// The entries of `tracking.yaml`'s `global` list.
    var tracking: [Entry] {
        if let trackingEntries { return trackingEntries }
        var entries: [Entry] = []
        if let trackingFile, let map = Self.mapping(trackingFile) {
            entries = Self.entries(map["global"], reader: map.reader)
        }
        trackingEntries = entries
        return entries
    }

    /// What the platform rule file `file` lists.
    func platformFile(_ file: String) -> PlatformFile {
        if let known = platformFiles[file] { return known }
        var listed = PlatformFile()
        if let map = Self.mapping(file) {
            listed.hosts = Self.entries(map["hosts"], reader: map.reader)
            listed.stripParams = Self.entries(map["strip_params"], reader: map.reader)
            if map["fold_hosts"] != nil { listed.foldHosts = map.keyLocation("fold_hosts") }
        }
        platformFiles[file] = listed
        return listed
    }

    /// Where `host` is listed in a platform's `hosts`.
    func hostEntry(_ host: String, of platform: PlatformRules) -> SourceLocation? {
        platformFile(platform.location.file).hosts.first { $0.value.lowercased() == host }?.location
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
