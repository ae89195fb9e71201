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

/// A URL that a rule could not decide on, because its pattern ran into PCRE2's limits.
public struct ClassificationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var rule: SourceLocation
    public var message: String
    public var description: String { "rule at \(rule) gave up on this URL: \(message)" }
}
