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

    /// - Parameter schemelessDomains: registrable domains of known platforms (e.g. "tiktok.com",
    ///   "youtu.be"), so that "tiktok.com/@x/video/1" or "vm.tiktok.com/ZM123/" written without a
    ///   scheme are found; any host ending in one of them counts. `www.` hosts are always found.
    public init(schemelessDomains: Set<String>) {
        knownDomains = DomainSet(schemelessDomains)
    }

    /// The candidates in `line`, in the order they appear.
    public func extract(_ line: UnsafeBufferPointer<UInt8>) -> [Candidate] {
        var candidates: [Candidate] = []
        extract(line, into: &candidates)
        return candidates
    }

    /// Replaces the contents of `candidates` with the candidates in `line`;
    /// a batch passes the same array for every line, so its storage is reused.
    public func extract(_ line: UnsafeBufferPointer<UInt8>, into candidates: inout [Candidate]) {
        candidates.removeAll(keepingCapacity: true)
        guard !line.isEmpty else { return }
        var scan = LineScan(bytes: line, knownDomains: knownDomains)
        swap(&scan.candidates, &candidates)
        scan.run()
        swap(&scan.candidates, &candidates)
    }

    /// The candidates in `line`, in the order they appear.
    public func extract(_ line: String) -> [Candidate] {
        var line = line
        return line.withUTF8 { extract($0) }
    }
}
