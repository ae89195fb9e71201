/// Finds every URL in a line of a report: links with a scheme, `www.` and known
/// platform hosts written without one, defanged links, and links inside
/// redirect wrappers; and things that look like links but are not checked
/// (`mailto:`, `javascript:` …), which come back with a rejection.
///
/// The scan works on UTF-8 bytes and stops only at the few bytes where a URL can
/// be recognised (`:` `.` `[` `(` `{`), so a line without a URL costs one pass
/// and no allocation.
public struct URLExtractor: Sendable {
    /// URLs longer than this are reported, not checked.
    public static let maxURLBytes = 32_768

    let knownDomains: DomainSet
    /// Whether candidates carry notes on what was done to them (tools show them; a batch does not).
    let keepsNotes: Bool
    /// Whether redirect wrappers are unwrapped here; a batch unwraps after
    /// parsing, only URLs whose host is a wrapper's (see `BatchNormalizer`).
    let unwrapsWrappers: Bool

    /// - Parameter schemelessDomains: registrable domains of known platforms (e.g. "tiktok.com",
    ///   "youtu.be"), so that "tiktok.com/@x/video/1" or "vm.tiktok.com/ZM123/" written without a
    ///   scheme are found; any host ending in one of them counts. `www.` hosts are always found.
    public init(schemelessDomains: Set<String>) {
        self.init(schemelessDomains: schemelessDomains, keepsNotes: true, unwrapsWrappers: true)
    }

    init(schemelessDomains: Set<String>, keepsNotes: Bool, unwrapsWrappers: Bool) {
        knownDomains = DomainSet(schemelessDomains)
        self.keepsNotes = keepsNotes
        self.unwrapsWrappers = unwrapsWrappers
    }

    /// The candidates in `line`, in the order they appear.
    public func extract(_ line: UnsafeBufferPointer<UInt8>) -> [Candidate] {
        var list = CandidateList()
        var scratch = ByteBuffer()
        defer {
            scratch.deallocate()
            list.deallocate()
        }
        extract(line, into: &list, scratch: &scratch)
        return (0..<list.count).map { list.candidate($0, line: line, scratch: scratch) }
    }

    /// Replaces `spans` with the candidates in `line` and `scratch` with the
    /// texts they point to that are not slices of the line; a batch passes the
    /// same list and buffer for every line, so nothing is allocated per line.
    func extract(_ line: UnsafeBufferPointer<UInt8>, into spans: inout CandidateList, scratch: inout ByteBuffer) {
        spans.removeAll()
        scratch.removeAll()
        guard !line.isEmpty else { return }
        var scan = LineScan(bytes: line, knownDomains: knownDomains, scratch: scratch, keepsNotes: keepsNotes,
                            unwrapsWrappers: unwrapsWrappers)
        swap(&scan.candidates, &spans)
        scan.run()
        swap(&scan.candidates, &spans)
        scratch = scan.scratch
    }

    /// The candidates in `line`, in the order they appear.
    public func extract(_ line: String) -> [Candidate] {
        var line = line
        return line.withUTF8 { extract($0) }
    }
}
