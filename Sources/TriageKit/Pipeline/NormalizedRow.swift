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

/// A row as the batch path lends it: the key and canonical URL are bytes
/// valid only inside the closure that receives the row.
public struct RowView {
    public let line: Int
    public let classified: ClassifiedBytes?
    public let error: String?
    public let isFirstOfItem: Bool

    init(line: Int, classified: ClassifiedBytes? = nil, error: String? = nil, isFirstOfItem: Bool = false) {
        self.line = line
        self.classified = classified
        self.error = error
        self.isFirstOfItem = isFirstOfItem
    }

    /// The same row, with strings that outlive the closure.
    public var row: NormalizedRow {
        NormalizedRow(line: line, classification: classified?.classification, error: error, isFirstOfItem: isFirstOfItem)
    }
}
