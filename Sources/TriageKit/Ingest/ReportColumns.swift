/// Which column (CSV) or field (JSON Lines) of a report holds what, found from
/// the names people give them.
///
/// Names are compared trimmed, case-insensitively, with spaces and hyphens read
/// as underscores, so `Reported At`, `reported-at` and `REPORTED_AT` all work.
public struct ReportColumns: Sendable, Equatable {
    /// The fields a report can carry besides its URL.
    public enum Field: String, Sendable, CaseIterable {
        case reportedAt = "reported_at"
        case reporter
        case organisation
        case category
        case notes
    }

    /// Accepted names for each field, in order of preference.
    public static let synonyms: [Field: [String]] = [
        .reportedAt: ["reported_at", "reported", "reported_on", "date_reported", "reported_date", "date", "datetime",
                      "timestamp", "time", "received_at", "received", "when"],
        .reporter: ["reporter", "reported_by", "reporter_name", "name", "submitted_by", "contact", "caller"],
        .organisation: ["school", "organisation", "organization", "org", "setting", "school_name", "trust"],
        .category: ["category", "harm_category", "harm", "harm_type", "concern", "issue"],
        .notes: ["notes", "note", "comments", "comment", "description", "details", "summary", "message"],
    ]

    /// The index of the URL column.
    public var url: Int
    /// The index of each other field's column, when the header has one.
    public var fields: [Field: Int]
    /// Header names that matched nothing, as written: they are listed in the summary so that
    /// a column is never ignored without anyone knowing.
    public var unused: [String]

    /// Maps a header row; nil when it has no URL column.
    public init?(header: [String]) {
        let names = header.map(Self.normalized)
        guard let url = InputFormat.urlFieldNames.lazy.compactMap({ names.firstIndex(of: $0) }).first
                ?? names.firstIndex(of: "links") else { return nil }
        self.url = url
        var fields: [Field: Int] = [:]
        var used: Set<Int> = [url]
        for field in Field.allCases {
            for name in Self.synonyms[field] ?? [] {
                if let index = names.firstIndex(of: name), !used.contains(index) {
                    fields[field] = index
                    used.insert(index)
                    break
                }
            }
        }
        self.fields = fields
        unused = header.indices.filter { !used.contains($0) && !names[$0].isEmpty }.map { header[$0] }
    }

    /// The field a JSON key names, if any.
    static func field(forKey key: String) -> Field? {
        let name = normalized(key)
        return Field.allCases.first { Self.synonyms[$0]?.contains(name) ?? false }
    }

    /// A header name as compared: trimmed of spaces, quotes and a BOM, lower-cased, with spaces
    /// and hyphens as underscores.
    static func normalized(_ name: String) -> String {
        var result = ""
        for scalar in name.trimmingSpaces().lowercased().unicodeScalars where scalar != "\"" {
            result.unicodeScalars.append(scalar == " " || scalar == "-" ? "_" : scalar)
        }
        return result
    }
}
