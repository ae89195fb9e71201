/// What a URL points at: platform, content type, the dedupe key and the canonical URL.
public struct Classification: Sendable, Equatable {
    /// The platform's short name (`tiktok`), or `web` for sites no rule file names.
    public var platform: String
    /// The content type (`video`, `profile` …), or `page` when no content rule matched.
    public var type: String
    /// One key per piece of content: `platform:type:id`, or the normalised URL for plain pages.
    public var key: String
    /// The URL to show, check and escalate.
    public var canonical: String
    /// The content rule that decided, if any.
    public var rule: SourceLocation?

    public init(platform: String, type: String, key: String, canonical: String, rule: SourceLocation? = nil) {
        self.platform = platform
        self.type = type
        self.key = key
        self.canonical = canonical
        self.rule = rule
    }
}

/// A classification whose key and canonical URL are bytes borrowed from the
/// classifier: valid only inside the closure that receives it.
public struct ClassifiedBytes {
    /// Which platform and rule decided; copying it counts no references.
    let origin: RuleOrigin
    public let key: UnsafeBufferPointer<UInt8>
    public let canonical: UnsafeBufferPointer<UInt8>

    init(origin: RuleOrigin, key: UnsafeBufferPointer<UInt8>, canonical: UnsafeBufferPointer<UInt8>) {
        self.origin = origin
        self.key = key
        self.canonical = canonical
    }

    /// The platform's rules; nil for a host no rule file names (platform `web`).
    var platformRules: PlatformRules? { origin.platform?.takeUnretainedValue() }
    /// The content rule that matched; nil for a plain page (type `page`).
    var contentRule: ContentRule? { origin.rule?.takeUnretainedValue() }

    public var platform: String { platformRules?.platform ?? "web" }
    public var type: String { contentRule?.type ?? "page" }
    public var rule: SourceLocation? { contentRule?.location }

    /// `platform` as bytes, without a reference count.
    var platformName: UnsafeBufferPointer<UInt8> { origin.platformName }
    /// `type` as bytes, without a reference count.
    var typeName: UnsafeBufferPointer<UInt8> { origin.typeName }

    /// The same, with strings that outlive the closure.
    public var classification: Classification {
        Classification(platform: platform, type: type, key: String(decoding: key, as: UTF8.self),
                       canonical: String(decoding: canonical, as: UTF8.self), rule: rule)
    }
}

/// Which platform and content rule classified a URL, as unretained
/// references plus the bytes of their names: every field is trivial, so the
/// batch path copies it from row to row without counting references (a
/// retain and release per reference per copy were a tenth of a batch's
/// time). The rule set that owns the rules outlives every classification.
struct RuleOrigin {
    let platform: Unmanaged<PlatformRules>?
    let rule: Unmanaged<ContentRule>?
    let platformName: UnsafeBufferPointer<UInt8>
    let typeName: UnsafeBufferPointer<UInt8>

    /// A row's origin when nothing classified it.
    static var none: RuleOrigin { RuleOrigin(platform: nil, rule: nil, platformName: NameBytes.web, typeName: NameBytes.page) }
}

/// A name's UTF-8 in memory of its own, for writing rows without touching a
/// string's reference count. The owning rule frees it in its `deinit`.
struct NameBytes: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ text: String) {
        bytes = .owning(text.utf8)
    }

    func deallocate() { bytes.freeOwned() }

    // Static strings' bytes are constant and live as long as the program.
    static var web: UnsafeBufferPointer<UInt8> { bytes(of: "web") }
    static var page: UnsafeBufferPointer<UInt8> { bytes(of: "page") }

    private static func bytes(of text: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
    }
}

/// A URL that a rule could not decide on, because its pattern ran into PCRE2's limits.
public struct ClassificationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var rule: SourceLocation
    public var message: String
    public var description: String { "rule at \(rule) gave up on this URL: \(message)" }
}
