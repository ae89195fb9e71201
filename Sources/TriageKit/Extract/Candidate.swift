/// One URL-like thing found in a line of a report.
///
/// The extractor never throws a candidate away: something that looks like a link
/// but is not checked (a `mailto:` link, an over-long URL) comes back with a
/// `rejection`, so that the caller can account for it.
public struct Candidate: Sendable, Equatable {
    /// What the normaliser should parse: refanged, unwrapped, and with
    /// `https://` prepended when the URL was written without a scheme.
    public var text: String
    /// 1-based byte column in the line where the candidate started.
    public var column: Int
    /// What was done to the text, in words: "refanged hxxps", "unwrapped Outlook Safe Links", "scheme added" …
    public var notes: [String]
    /// Non-nil when this is not something we check, with the reason.
    public var rejection: String?

    public init(text: String, column: Int, notes: [String] = [], rejection: String? = nil) {
        self.text = text
        self.column = column
        self.notes = notes
        self.rejection = rejection
    }
}

/// A candidate as the batch path keeps it: its text as a range of the line,
/// or of the extractor's scratch bytes when the text had to be changed, so
/// that finding a URL makes no string.
struct CandidateSpan {
    enum Source { case line, scratch }
    var source: Source
    var range: Range<Int>
    var column: Int
    var notes: [String] = []
    var rejection: String?

    /// The text's bytes, given the line and the scratch bytes it was found with.
    func text(line: UnsafeBufferPointer<UInt8>, scratch: ByteBuffer) -> UnsafeBufferPointer<UInt8> {
        source == .line ? UnsafeBufferPointer(rebasing: line[range]) : scratch[range]
    }

    func candidate(line: UnsafeBufferPointer<UInt8>, scratch: ByteBuffer) -> Candidate {
        Candidate(text: String(decoding: text(line: line, scratch: scratch), as: UTF8.self), column: column,
                  notes: notes, rejection: rejection)
    }
}
