/// One row of `urltriage normalize`: a URL found on an input line, or the
/// reason a line gave none.
public struct NormalizedRow: Sendable, Equatable {
    /// The 1-based input line (for CSV, where the record starts).
    public var line: Int
    /// The classification, when the URL could be normalised.
    public var classification: Classification?
    /// Why there is no classification: no URL on the line, a scheme we do not check, a URL that does not parse …
    public var error: String?
    /// True the first time this row's key appeared in the batch.
    public var isFirstOfItem: Bool

    public init(line: Int, classification: Classification? = nil, error: String? = nil, isFirstOfItem: Bool = false) {
        self.line = line
        self.classification = classification
        self.error = error
        self.isFirstOfItem = isFirstOfItem
    }
}
