/// Everything `rules lint` found, errors and warnings apart.
public struct LintReport: Sendable, Encodable {
    /// The rule files read, in order.
    public var files: [String]
    public var errors: [LintFinding]
    public var warnings: [LintFinding]
    /// How many patterns were compiled and probed for backtracking.
    public var patterns: Int

    init(files: [String], findings: [LintFinding], patterns: Int) {
        self.files = files
        let unique = Array(Set(findings)).sorted(by: LintFinding.ordered)
        errors = unique.filter { $0.severity == .error }
        warnings = unique.filter { $0.severity == .warning }
        self.patterns = patterns
    }

    /// Every finding, errors first.
    public var findings: [LintFinding] { errors + warnings }

    public var passed: Bool { errors.isEmpty }

    /// `2 errors, 1 warning in 14 files (120 patterns)`.
    public var summary: String {
        "\(Self.count(errors.count, "error")), \(Self.count(warnings.count, "warning")) in \(Self.count(files.count, "file")) (\(Self.count(patterns, "pattern")))"
    }

    /// Errors, then warnings, one per line, then the summary.
    public var text: String {
        var text = ""
        if !errors.isEmpty { text += "errors:\n" + errors.map { "  \($0)\n" }.joined() }
        if !warnings.isEmpty { text += "warnings:\n" + warnings.map { "  \($0)\n" }.joined() }
        return text + summary + "\n"
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    private enum CodingKeys: String, CodingKey { case files, errors, warnings, patterns, passed, summary }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(files, forKey: .files)
        try container.encode(errors, forKey: .errors)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(patterns, forKey: .patterns)
        try container.encode(passed, forKey: .passed)
        try container.encode(summary, forKey: .summary)
    }
}

/// A rules directory or file that cannot be read at all (exit status 2).
public struct LintInputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
