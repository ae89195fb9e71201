/// What a report says besides its URLs: when it was made, by whom, about what harm.
public struct ReportFields: Sendable, Equatable {
    /// When the report was made, in store seconds; nil when the record does not say.
    public var reportedAt: Int64?
    /// The person who reported.
    public var reporter: String?
    /// The school or organisation that reported.
    public var organisation: String?
    /// The harm category as the reporter gave it, lower-cased (`impersonation`, `bullying` …).
    public var category: String?
    /// The reporter's words.
    public var notes: String?
    /// What was wrong with a field that was present but unusable (a date that does not parse).
    public var problem: String?

    public init(reportedAt: Int64? = nil, reporter: String? = nil, organisation: String? = nil,
                category: String? = nil, notes: String? = nil, problem: String? = nil) {
        self.reportedAt = reportedAt
        self.reporter = reporter
        self.organisation = organisation
        self.category = category
        self.notes = notes
        self.problem = problem
    }

    /// Who counts as a distinct reporter: the school or organisation when given, else the person.
    public var reportedBy: String? { organisation ?? reporter }

    // MARK: - Cleaning

    /// `text` trimmed, or nil when nothing is left.
    static func clean(_ text: String?) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingSpaces()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A category as stored: trimmed, lower-cased, inner spaces and hyphens as underscores.
    static func cleanCategory(_ text: String?) -> String? {
        guard let text = clean(text) else { return nil }
        var result = ""
        var lastWasSeparator = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar == " " || scalar == "-" || scalar == "_" || scalar == "\t" {
                if !lastWasSeparator && !result.isEmpty { result.unicodeScalars.append("_") }
                lastWasSeparator = true
            } else {
                result.unicodeScalars.append(scalar)
                lastWasSeparator = false
            }
        }
        return result.isEmpty ? nil : result
    }

    /// Notes trimmed, and otherwise whole: the harm categories read every word of them. The
    /// store keeps up to its own limit and records a problem for a note beyond it.
    static func cleanNotes(_ text: String?) -> String? {
        clean(text)
    }

    /// Reads a date field, recording a problem when it is present but unreadable.
    mutating func setReportedAt(_ text: String?, field: String) {
        guard let text = Self.clean(text) else { return }
        if let seconds = ReportedTime.parse(text) {
            reportedAt = seconds
        } else {
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            problem = "\(field) \"\(shown)\" is not a date urltriage reads (write 2026-11-02T09:14:00Z, "
                + "2026-11-02 09:14 or 02/11/2026); the ingest time was used"
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks (no Foundation).
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{FEFF}" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}
