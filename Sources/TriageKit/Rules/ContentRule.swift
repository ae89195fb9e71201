/// One content pattern of a platform: which URLs it recognises, and the
/// dedupe key and canonical URL it builds from what it captures.
///
/// A class, so that the classifier's hot loop passes one reference instead
/// of copying (and retaining) a dozen fields per rule tried.
public final class ContentRule: Sendable {
    /// The content type, in the helpline's words: video, photo, profile, post …
    public let type: String
    /// The type named in keys: several types can share one id space (an
    /// Instagram reel is also a post; a TikTok photo post has a video id).
    public let keyType: String
    /// Folded hosts this rule is limited to, or nil for every host of the platform.
    public let hosts: Set<String>?
    /// Matched against the normalised path; nil matches every path.
    public let path: Pattern?
    /// Query parameters that must be present, each matched against its raw value.
    public let query: [QueryRequirement]
    public let key: Template
    public let canonical: Template
    /// Captures whose case does not identify the content (user names on most platforms).
    public let foldCase: Set<String>
    public let examples: [RuleExample]
    public let counterExamples: [RuleExample]
    /// Where the rule starts in its file.
    public let location: SourceLocation
    /// Every name the rule's patterns capture; a name's position is its slot.
    let captureNames: [String]
    /// For the path pattern and each query pattern: which PCRE2 groups fill which capture slots.
    let pathCaptures: CaptureTable
    let queryCaptures: [CaptureTable]
    /// `platform:keyType:`, the start of every key this rule builds.
    let keyPrefix: String
    /// `type` as bytes, for writing rows.
    let typeName: NameBytes
    /// `key` (with `keyPrefix` in front) and `canonical`, compiled for the batch path.
    let keyCode: TemplateCode
    let canonicalCode: TemplateCode
    /// What the classifier's hot loop reads, as plain values.
    let compiled: CompiledRule

    init(platform: String, type: String, keyType: String, hosts: Set<String>?, path: Pattern?, query: [QueryRequirement],
         captureNames: [String], key: Template, canonical: Template, foldCase: Set<String>, examples: [RuleExample],
         counterExamples: [RuleExample], location: SourceLocation) {
        self.type = type
        self.keyType = keyType
        self.hosts = hosts
        self.path = path
        self.query = query
        let foldSlots = Set(foldCase.compactMap { captureNames.firstIndex(of: $0) })
        self.key = key.folding(foldSlots)
        self.canonical = canonical.folding(foldSlots)
        self.captureNames = captureNames
        keyPrefix = platform + ":" + keyType + ":"
        typeName = NameBytes(type)
        keyCode = TemplateCode(self.key, prefix: keyPrefix)
        canonicalCode = TemplateCode(self.canonical)
        self.foldCase = foldCase
        self.examples = examples
        self.counterExamples = counterExamples
        self.location = location
        pathCaptures = CaptureTable(path.map { Self.groups(of: $0, names: captureNames) } ?? [])
        queryCaptures = query.map { CaptureTable(Self.groups(of: $0.pattern, names: captureNames)) }
        compiled = CompiledRule(path: path?.bare, pathCaptures: pathCaptures, keyCode: keyCode, canonicalCode: canonicalCode,
                                hasQuery: !query.isEmpty,
                                needsParameters: !query.isEmpty || keyCode.readsQuery || canonicalCode.readsQuery,
                                typeName: typeName.bytes)
    }

    deinit {
        typeName.deallocate()
        keyCode.deallocate()
        canonicalCode.deallocate()
        pathCaptures.deallocate()
        for table in queryCaptures { table.deallocate() }
    }

    private static func groups(of pattern: Pattern, names: [String]) -> [(slot: Int, groups: [Int])] {
        pattern.groupNumbers.compactMap { entry in
            names.firstIndex(of: entry.key).map { (slot: $0, groups: entry.value) }
        }.sorted { $0.slot < $1.slot }
    }
}

/// A query parameter a content rule needs, with the pattern its value must match.
public struct QueryRequirement: Sendable {
    public let name: String
    public let pattern: Pattern
}

/// An example URL beside a rule, which the test suite runs.
public struct RuleExample: Sendable {
    public let url: String
    /// The full expected key (`platform:type:id`); nil when only a match is claimed.
    public let key: String?
    public let canonical: String?
    public let location: SourceLocation
}

/// How to escalate content on a platform, and how fast it is expected to act.
public struct EscalationRoute: Sendable, Equatable {
    public let channel: String
    public let url: String?
    public let responseHours: Int?
}

/// Which PCRE2 group fills which capture slot, as (slot, group) pairs in
/// memory the owning rule frees: by slot, and within a slot in the order
/// the groups are tried (the first that took part wins). Raw memory, so the
/// classifier reads it without counting references.
struct CaptureTable: @unchecked Sendable {
    struct Entry {
        let slot: Int32
        let group: Int32
    }

    let entries: UnsafeBufferPointer<Entry>

    init(_ groups: [(slot: Int, groups: [Int])]) {
        entries = .owning(groups.flatMap { slot, numbers in numbers.map { Entry(slot: Int32(slot), group: Int32($0)) } })
    }

    func deallocate() { entries.freeOwned() }
}

/// The parts of a content rule the classifier reads for every URL it tries
/// the rule on, as plain values (pointers into memory the rule owns): copying
/// and reading them counts no references. Valid while its `ContentRule` lives.
// Sendable: every pointer here is to memory written once when the rule is
// made and only read afterwards (PCRE2 documents compiled code as shareable).
struct CompiledRule: @unchecked Sendable {
    /// Matched against the path, after its literal filter (`BarePattern.admits`).
    let path: BarePattern?
    let pathCaptures: CaptureTable
    let keyCode: TemplateCode
    let canonicalCode: TemplateCode
    /// Whether the rule has query requirements (matched through the rule itself).
    let hasQuery: Bool
    /// Whether matching or building needs the URL's kept query parameters:
    /// the classifier finds them only for rules that do.
    let needsParameters: Bool
    let typeName: UnsafeBufferPointer<UInt8>
}
