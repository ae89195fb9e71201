/// One thing `rules lint` found in a rule file, with the place to fix it.
public struct LintFinding: Sendable, Hashable, Encodable, CustomStringConvertible {
    /// Errors fail the lint (exit 1); warnings are listed apart and do not.
    public enum Severity: String, Sendable, Hashable, Encodable {
        case error, warning
    }

    /// What kind of fault it is; stable names, for tools and tests.
    public enum Kind: String, Sendable, Hashable, Encodable, CaseIterable {
        /// A file that cannot be read.
        case unreadable
        /// Not valid YAML.
        case yamlSyntax = "yaml-syntax"
        /// A key the loader does not read (a typo such as `strip_param`).
        case unknownKey = "unknown-key"
        /// A value of the wrong shape, a missing required key, a bad name or number.
        case badValue = "bad-value"
        /// A pattern PCRE2 does not compile.
        case badPattern = "bad-pattern"
        /// A key or canonical template naming something no pattern captures.
        case badTemplate = "bad-template"
        /// A content pattern without `^` or `$`, which also matches inside longer text.
        case unanchored
        /// A content rule without examples: nothing tests it.
        case noExamples = "no-examples"
        /// A platform whose rules have no counter-examples.
        case noCounterExamples = "no-counter-examples"
        /// An example or counter-example that does not behave as written.
        case exampleFails = "example-fails"
        /// A host claimed by two platforms.
        case hostOverlap = "host-overlap"
        /// An example also matched by another rule, or on a host another platform claims.
        case exampleOverlap = "example-overlap"
        /// A rule that an earlier rule always wins over.
        case shadowed
        /// A pattern that backtracks catastrophically.
        case backtracking
        /// Two files defining the same platform.
        case duplicatePlatform = "duplicate-platform"
        /// A content `type` or `key_type` that is not a documented type (a typo such as `profil`).
        case unknownType = "unknown-type"
        /// A `fold_case` entry naming no capture of the rules it applies to.
        case unknownCapture = "unknown-capture"
    }

    public var severity: Severity
    public var kind: Kind
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, _ kind: Kind, _ location: SourceLocation, _ message: String) {
        self.severity = severity
        self.kind = kind
        self.location = location
        self.message = message
    }

    /// `file:line:column: error: message [kind]`, the shape editors and CI annotate.
    public var description: String { "\(location): \(severity.rawValue): \(message) [\(kind.rawValue)]" }

    /// File, line, column, then severity and kind: the order a person fixes things in.
    static func ordered(_ a: LintFinding, _ b: LintFinding) -> Bool {
        (a.location.file, a.location.line, a.location.column, a.severity.rawValue, a.kind.rawValue, a.message)
            < (b.location.file, b.location.line, b.location.column, b.severity.rawValue, b.kind.rawValue, b.message)
    }
}
