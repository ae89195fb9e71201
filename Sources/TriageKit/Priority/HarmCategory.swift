/// One harm category from `rules/categories.yaml`: how serious it is, the
/// words that name it, and the patterns that find it in a report's words.
public struct HarmCategory: Sendable {
    /// The short name stored and shown in lists: `threat`, `impersonation`.
    public let id: String
    /// The name as staff read it: `threats and risk to life`.
    public let name: String
    /// 0 for the most serious category; the file's order.
    public let rank: Int
    /// Category names a reporter may write for this one, cleaned as ingest
    /// cleans them (lower case, spaces and hyphens as `_`); the id is always one.
    public let aliases: [String]
    public let patterns: [CategoryPattern]
    /// Words just before a match that take it back for this category only
    /// (`called him a` before `liar`), besides the file's `negation`.
    public let overruledBy: [CategoryPattern]
    /// When not empty, a match counts only if one of these also matches somewhere in
    /// the same words (a sexual image, and someone under 18).
    public let alsoNeeds: [CategoryPattern]
    /// A category this one is a narrower kind of: when both are found, only this one is listed.
    public let narrows: String?
    /// Whether a person must not open what it is about: its link is withheld until they confirm.
    public let doNotOpen: Bool
    /// Texts that must be classified as this category.
    public let examples: [CategoryExample]
    /// Texts that no pattern of this category may match (or whose matches are all overruled).
    public let counterExamples: [CategoryExample]
    /// Where the category starts in its file.
    public let location: SourceLocation
}

/// A pattern over a report's words, with the place it was written.
public struct CategoryPattern: Sendable {
    public let pattern: Pattern
    public let location: SourceLocation
}

/// An example or counter-example text, with the place it was written, so a
/// failing one points at its own line.
public struct CategoryExample: Sendable, Equatable {
    public let text: String
    public let location: SourceLocation
}
