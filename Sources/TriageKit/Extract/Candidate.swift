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
/// that finding a URL makes no string. Plain values only, so a line's list is
/// emptied and refilled without counting references; the rare notes and
/// rejections live beside it in `CandidateList.details`.
struct CandidateSpan {
    enum Source { case line, scratch }
    var source: Source
    var range: Range<Int>
    var column: Int
    /// Index into `CandidateList.details`, or -1 when there are none.
    var detail: Int32 = -1

    /// The text's bytes, given the line and the scratch bytes it was found with.
    func text(line: UnsafeBufferPointer<UInt8>, scratch: ByteBuffer) -> UnsafeBufferPointer<UInt8> {
        source == .line ? UnsafeBufferPointer(rebasing: line[range]) : scratch[range]
    }
}

/// What was done to a candidate, or why it is not checked.
struct CandidateDetail {
    var notes: [String]
    var rejection: String?
}

/// The candidates of one line, reused line after line; the owner frees it
/// with `deallocate()`. The rare notes and rejections live beside the spans.
struct CandidateList {
    private var spans = ReusableList<CandidateSpan>()
    private(set) var details: [CandidateDetail] = []

    var isEmpty: Bool { spans.isEmpty }
    var count: Int { spans.count }

    func deallocate() { spans.deallocate() }

    subscript(index: Int) -> CandidateSpan { spans[index] }

    mutating func removeAll() {
        spans.removeAll()
        if !details.isEmpty { details.removeAll(keepingCapacity: true) }
    }

    mutating func append(source: CandidateSpan.Source, range: Range<Int>, column: Int, notes: [String] = [], rejection: String? = nil) {
        var span = CandidateSpan(source: source, range: range, column: column)
        if !notes.isEmpty || rejection != nil {
            span.detail = Int32(details.count)
            details.append(CandidateDetail(notes: notes, rejection: rejection))
        }
        spans.append(span)
    }

    /// Why candidate `index` is not checked, if it is not.
    func rejection(_ index: Int) -> String? {
        let detail = self[index].detail
        return detail < 0 ? nil : details[Int(detail)].rejection
    }

    func candidate(_ index: Int, line: UnsafeBufferPointer<UInt8>, scratch: ByteBuffer) -> Candidate {
        let span = self[index]
        let detail = span.detail < 0 ? nil : details[Int(span.detail)]
        return Candidate(text: String(decoding: span.text(line: line, scratch: scratch), as: UTF8.self), column: span.column,
                         notes: detail?.notes ?? [], rejection: detail?.rejection)
    }
}
