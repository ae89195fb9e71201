/// One record of a report file, handed to the caller's closure.
///
/// `text` points into the reader's buffer and is valid only during the call:
/// extract from it there, and copy what must outlive it.
public struct ReportLine {
    /// 1-based line number; for CSV, the physical line where the record starts.
    public var line: Int
    /// What to extract URLs from: the line (text), the URL cell (CSV), or the URL
    /// strings joined by newlines (JSON Lines). Empty when the record was skipped.
    public var text: UnsafeBufferPointer<UInt8>
    /// What is wrong with the record itself, if anything, for the caller to report when
    /// no URL is found (or always, when `text` is empty). An empty `text` without a
    /// problem is a blank line or an empty cell.
    public var problem: String?

    public init(line: Int, text: UnsafeBufferPointer<UInt8>, problem: String? = nil) {
        self.line = line
        self.text = text
        self.problem = problem
    }
}
