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
        guard !line.isEmpty else { return [] }
        var scan = LineScan(bytes: line, knownDomains: knownDomains)
        scan.run()
        return scan.candidates
    }

    /// The candidates in `line`, in the order they appear.
    public func extract(_ line: String) -> [Candidate] {
        var line = line
        return line.withUTF8 { extract($0) }
    }
}
