/// The WHATWG basic URL parser, without a base URL, for the special schemes, run over UTF-8 bytes.
///
/// The standard's state machine is followed state by state, but each state's span
/// is found with a scan and then encoded in one loop straight into its string's
/// storage, which is what keeps a typical URL within a couple of hundred nanoseconds.
struct WebURLParser {
    /// The input after trimming, tab and newline removal and UTF-8 repair.
    let input: UnsafeBufferPointer<UInt8>

    // MARK: - Entry

    /// Prepares `raw` the way the standard does before its state machine, then parses it.
    ///
    /// Inlined, with `run` and `parseClean`, so the large result is built in place rather
    /// than copied out through each layer; the rare repair paths are kept out of line.
    ///
    /// - Parameter isValidUTF8: true when the bytes come from a Swift string, so the
    ///   UTF-8 repair pass can be skipped.
    static func parse(_ raw: UnsafeBufferPointer<UInt8>, isValidUTF8: Bool) throws(URLParseError) -> WebURL {
        var out = ByteBuffer(capacity: raw.count + 16)
        defer { out.deallocate() }
        let spans = try parse(raw, isValidUTF8: isValidUTF8, into: &out)
        return WebURL(spans, in: out)
    }

    /// Parses `raw` and writes the serialised components one after another at
    /// the end of `out`, returning where each is: the batch path's entry, which
    /// makes no string.
    ///
    /// With `deferringQuery`, a query that needs no repair is not encoded:
    /// `URLSpans.deferredQuery` then lends its bytes from `raw`, and the caller
    /// encodes them (`appendEncodedQuery`) only if it reads the query. Most
    /// reported URLs carry long tracking queries that their keys never read.
    @inline(__always)
    static func parse(_ raw: UnsafeBufferPointer<UInt8>, isValidUTF8: Bool, deferringQuery: Bool = false,
                      into out: inout ByteBuffer) throws(URLParseError) -> URLSpans {
        // Leading and trailing C0 controls and spaces are dropped.
        var lower = 0
        var upper = raw.count
        while lower < upper, raw[lower] <= 0x20 { lower += 1 }
        while upper > lower, raw[upper - 1] <= 0x20 { upper -= 1 }
        let trimmed = UnsafeBufferPointer(rebasing: raw[lower..<upper])

        // Two reductions the compiler can vectorise: any non-ASCII byte, any byte low
        // enough to be a tab or newline.
        var orOfAll: UInt8 = 0
        var smallest: UInt8 = 0xFF
        for byte in trimmed {
            orOfAll |= byte
            smallest = min(smallest, byte)
        }

        if orOfAll >= 0x80, !isValidUTF8 { return try parseRepairingUTF8(trimmed, into: &out) }
        if smallest <= 0x0D, trimmed.contains(where: isTabOrNewline) { return try parseRemovingTabs(trimmed, into: &out) }
        return try parseClean(trimmed, deferringQuery: deferringQuery, into: &out)
    }

    /// Encodes a query `parse(_:isValidUTF8:deferringQuery:into:)` deferred, as the parser would have.
    static func appendEncodedQuery(_ query: UnsafeBufferPointer<UInt8>, to out: inout ByteBuffer) -> Range<Int> {
        var encoded = 0
        for byte in query { encoded &+= ByteSet.specialQuery.contains(byte) ? 1 : 0 }
        return appendPercentEncoded(query, in: .specialQuery, encodedCount: encoded, to: &out)
    }

    /// Reads invalid UTF-8 as U+FFFD, as the standard does; Swift's repairing decoder does the same.
    @inline(never)
    private static func parseRepairingUTF8(_ bytes: UnsafeBufferPointer<UInt8>,
                                           into out: inout ByteBuffer) throws(URLParseError) -> URLSpans {
        var repaired = String(decoding: bytes, as: UTF8.self)
        return try repaired.withUTF8 { bytes in
            Result { () throws(URLParseError) -> URLSpans in try parse(bytes, isValidUTF8: true, into: &out) }
        }.get()
    }

    /// Removes tabs and newlines wherever they are, as the standard does.
    @inline(never)
    private static func parseRemovingTabs(_ bytes: UnsafeBufferPointer<UInt8>,
                                          into out: inout ByteBuffer) throws(URLParseError) -> URLSpans {
        let cleaned = bytes.filter { !isTabOrNewline($0) }
        return try cleaned.withUnsafeBufferPointer { bytes throws(URLParseError) in try parseClean(bytes, into: &out) }
    }

    private static func isTabOrNewline(_ byte: UInt8) -> Bool {
        byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Runs the state machine over input that is trimmed, free of tabs and newlines, and valid UTF-8.
    @inline(__always)
    private static func parseClean(_ input: UnsafeBufferPointer<UInt8>, deferringQuery: Bool = false,
                                   into out: inout ByteBuffer) throws(URLParseError) -> URLSpans {
        try WebURLParser(input: input).run(deferringQuery: deferringQuery, into: &out)
    }

    // MARK: - State machine

    @inline(__always)
    private func run(deferringQuery: Bool, into out: inout ByteBuffer) throws(URLParseError) -> URLSpans {
        let s = input
        let n = s.count
        let scheme = try parseScheme()
        var position = scheme.length + 1

        var username = out.count..<out.count
        var password = username
        var host = username
        var port: Int?
        let pathStart: Int

        if scheme.kind == .file {
            var fileHost = ""
            pathStart = try parseFileHost(from: position, host: &fileHost)
            let hostStart = out.count
            out.append(utf8Of: fileHost)
            host = hostStart..<out.count
        } else {
            // Special authority (ignore) slashes states: any run of slashes or backslashes.
            while position < n, Self.isSlash(s[position]) { position += 1 }
            let authorityStart = position
            let authorityEnd: Int
            var hostStart = authorityStart
            var hostEnd: Int
            let stop = ByteSearch.nextAuthorityStop(in: s, from: authorityStart)
            if stop == n || Self.isDelimiter(s[stop]) {
                // No user info, port or IPv6 literal (nearly every URL): the host is the whole authority.
                authorityEnd = stop
                hostEnd = stop
            } else {
                // The last "@" splits userinfo from host; earlier ones belong to the userinfo.
                var lastAt: Int?
                while position < n {
                    let byte = s[position]
                    if Self.isDelimiter(byte) { break }
                    if byte == UInt8(ascii: "@") { lastAt = position }
                    position += 1
                }
                authorityEnd = position

                if let at = lastAt {
                    let colon = firstIndex(of: UInt8(ascii: ":"), in: authorityStart..<at)
                    username = Self.appendPercentEncoded(slice(authorityStart..<(colon ?? at)), in: .userinfo, to: &out)
                    if let colon { password = Self.appendPercentEncoded(slice((colon + 1)..<at), in: .userinfo, to: &out) }
                    hostStart = at + 1
                }

                // The host ends at the first colon outside brackets.
                hostEnd = hostStart
                var insideBrackets = false
                while hostEnd < authorityEnd {
                    let byte = s[hostEnd]
                    if byte == UInt8(ascii: ":"), !insideBrackets { break }
                    if byte == UInt8(ascii: "[") { insideBrackets = true }
                    if byte == UInt8(ascii: "]") { insideBrackets = false }
                    hostEnd += 1
                }
            }
            guard hostEnd > hostStart else { throw URLParseError(reason: "missing host") }
            host = try Host.parse(slice(hostStart..<hostEnd), into: &out)
            if hostEnd < authorityEnd {
                port = try parsePort((hostEnd + 1)..<authorityEnd, defaultPort: scheme.kind.defaultPort)
            }

            // Path start state: one slash or backslash belongs to it.
            position = authorityEnd
            if position < n, Self.isSlash(s[position]) { position += 1 }
            pathStart = position
        }

        let (path, pathEnd) = parsePath(from: pathStart, isFile: scheme.kind == .file, into: &out)
        position = pathEnd

        var query: Range<Int>?
        var deferredQuery: UnsafeBufferPointer<UInt8>?
        if position < n, s[position] == UInt8(ascii: "?"), deferringQuery {
            let queryStart = position + 1
            position = ByteSearch.offset(of: UInt8(ascii: "#"), in: s, from: queryStart)
            deferredQuery = slice(queryStart..<position)
        } else if position < n, s[position] == UInt8(ascii: "?") {
            let queryStart = position + 1
            var encoded = 0
            position = queryStart
            while position < n, s[position] != UInt8(ascii: "#") {
                encoded &+= ByteSet.specialQuery.contains(s[position]) ? 1 : 0
                position += 1
            }
            query = Self.appendPercentEncoded(slice(queryStart..<position), in: .specialQuery, encodedCount: encoded, to: &out)
        }
        var fragment: Range<Int>?
        if position < n {
            // Only "#" can be left here: the path and query stop at nothing else.
            fragment = Self.appendPercentEncoded(slice((position + 1)..<n), in: .fragment, to: &out)
        }

        return URLSpans(scheme: scheme.kind, username: username, password: password, host: host, port: port,
                        path: path, query: query, fragment: fragment, deferredQuery: deferredQuery)
    }

    // MARK: - Scheme

    /// A special scheme, the only kind this parser accepts.
    enum SchemeKind: Sendable {
        case http, https, ws, wss, ftp, file

        var name: String { staticName.description }

        /// `name` without a string, for writing URLs on the batch path.
        var staticName: StaticString {
            switch self {
            case .http: "http"
            case .https: "https"
            case .ws: "ws"
            case .wss: "wss"
            case .ftp: "ftp"
            case .file: "file"
            }
        }

        /// The scheme called `name` (lower case), if it is special.
        init?(name: String) {
            switch name {
            case "http": self = .http
            case "https": self = .https
            case "ws": self = .ws
            case "wss": self = .wss
            case "ftp": self = .ftp
            case "file": self = .file
            default: return nil
            }
        }

        var defaultPort: Int? {
            switch self {
            case .http, .ws: 80
            case .https, .wss: 443
            case .ftp: 21
            case .file: nil
            }
        }
    }

    /// Scheme start and scheme states; returns the scheme and its length in bytes before the colon.
    private func parseScheme() throws(URLParseError) -> (kind: SchemeKind, length: Int) {
        let s = input
        guard let first = s.first, Self.isASCIIAlpha(first) else {
            throw URLParseError(reason: "missing scheme")
        }
        var end = 1
        while end < s.count, s[end] != UInt8(ascii: ":") {
            let byte = s[end]
            guard Self.isASCIIAlpha(byte) || byte &- 0x30 < 10 || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            else { throw URLParseError(reason: "missing scheme") }
            end += 1
        }
        guard end < s.count else { throw URLParseError(reason: "missing scheme") }

        // The scheme's bytes as one little-endian word, lower-cased: OR-ing 0x20 lower-cases
        // letters and leaves digits, "+", "-" and "." as they are.
        var word: UInt64 = 0
        for index in 0..<min(end, 6) { word |= UInt64(s[index] | 0x20) &<< UInt64(8 * index) }
        let kind: SchemeKind? =
            switch word {
            case 0x7074_7468: .http
            case 0x73_7074_7468: .https
            case 0x7377: .ws
            case 0x73_7377: .wss
            case 0x70_7466: .ftp
            case 0x656C_6966: .file
            default: nil
            }
        guard let kind else {
            let name = String(decoding: s[0..<end].map { Self.isASCIIAlpha($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
            throw URLParseError(reason: "unsupported scheme \(Self.quoted(name))")
        }
        return (kind, end)
    }

    // MARK: - File host

    /// File, file slash and file host states; returns where the path begins.
    private func parseFileHost(from position: Int, host: inout String) throws(URLParseError) -> Int {
        let s = input
        let n = s.count
        guard position < n, Self.isSlash(s[position]) else { return position }
        guard position + 1 < n, Self.isSlash(s[position + 1]) else { return position + 1 }

        let hostStart = position + 2
        var hostEnd = hostStart
        while hostEnd < n, !Self.isDelimiter(s[hostEnd]) { hostEnd += 1 }

        // "file://C:/x" is a drive letter, not a host; the path state takes it as it is.
        if hostEnd - hostStart == 2, Self.isWindowsDriveLetter(s[hostStart], s[hostStart + 1]) {
            return hostStart
        }
        if hostEnd > hostStart {
            host = try Host.parse(slice(hostStart..<hostEnd))
            if host == "localhost" { host = "" }
        }
        // Path start state.
        return hostEnd < n && Self.isSlash(s[hostEnd]) ? hostEnd + 1 : hostEnd
    }

    // MARK: - Port

    /// Port state for the digits after the host's colon; nil for an empty or default port.
    private func parsePort(_ range: Range<Int>, defaultPort: Int?) throws(URLParseError) -> Int? {
        var value = 0
        for index in range {
            let digit = input[index] &- 0x30
            guard digit < 10 else {
                throw URLParseError(reason: "invalid port \(Self.quoted(slice(range)))")
            }
            // Stays above 65535 once there without overflowing, however many digits follow.
            value = min(value * 10 + Int(digit), 1 << 20)
        }
        guard !range.isEmpty else { return nil }
        guard value <= 65535 else {
            throw URLParseError(reason: "port \(Self.quoted(slice(range), quote: "")) is out of range")
        }
        return value == defaultPort ? nil : value
    }

    // MARK: - Path

    /// Path state from `start`; returns the serialised path and where the path stopped.
    ///
    /// Each segment is encoded straight into the path's string after its "/"; a dot
    /// segment is recognised there and rolled back, so no segment is copied twice.
    private func parsePath(from start: Int, isFile: Bool, into output: inout ByteBuffer) -> (Range<Int>, Int) {
        let s = input
        // First pass: where the path ends, how many bytes it percent-encodes, and whether
        // it could differ from the input at all: a backslash, a segment that may be a dot
        // segment, or a file URL's drive letter would make it.
        let scan = PathScan.scan(s, from: start, mayChange: isFile || start == 0 || s[start - 1] != UInt8(ascii: "/"))
        let end = scan.end
        let encoded = scan.encoded
        let mayChange = scan.mayChange
        let pathStart = output.count
        if end == start, !isFile {
            output.append(UInt8(ascii: "/"))
            return (pathStart..<output.count, end)
        }
        if !mayChange, encoded == 0 {
            // The serialisation is the input from the slash the path start state consumed.
            output.append(slice((start - 1)..<end))
            return (pathStart..<output.count, end)
        }

        // Every segment writes a "/" in place of the separator before it, plus one for
        // the first, and rolling back a dot segment never writes more than it removed.
        let isPlain = encoded == 0
        let path = output.write(capacity: end - start + 2 * encoded + 1) { out in
            var position = start
            var segmentCount = 0
            while true {
                let segmentStart = out.count
                out.append(UInt8(ascii: "/"))
                let contentStart = position
                while position < end, !Self.isSlash(s[position]) { position += 1 }
                if isPlain {
                    out.append(verbatim: slice(contentStart..<position))
                } else {
                    out.append(slice(contentStart..<position), encodingIn: .path)
                }
                let endsWithSlash = position < end
                let length = out.count - segmentStart - 1

                if Self.isDoubleDotSegment(out, at: segmentStart + 1, length: length) {
                    out.count = segmentStart
                    Self.shortenPath(&out, &segmentCount, isFile: isFile)
                    if !endsWithSlash {
                        out.append(UInt8(ascii: "/"))
                        segmentCount += 1
                    }
                } else if Self.isSingleDotSegment(out, at: segmentStart + 1, length: length) {
                    out.count = segmentStart
                    if !endsWithSlash {
                        out.append(UInt8(ascii: "/"))
                        segmentCount += 1
                    }
                } else {
                    if isFile, segmentCount == 0, length == 2,
                       Self.isWindowsDriveLetter(out[segmentStart + 1], out[segmentStart + 2])
                    {
                        out[segmentStart + 2] = UInt8(ascii: ":")
                    }
                    segmentCount += 1
                }

                guard endsWithSlash else { break }
                position += 1
            }
        }
        return (path, end)
    }

    /// The standard's "shorten a URL's path", applied to the segments written so far.
    private static func shortenPath(_ out: inout ByteWriter, _ segmentCount: inout Int, isFile: Bool) {
        guard segmentCount > 0 else { return }
        // A file URL's lone drive letter ("/C:") is never removed.
        if isFile, segmentCount == 1, out.count == 3, isASCIIAlpha(out[1]), out[2] == UInt8(ascii: ":") {
            return
        }
        var cut = out.count - 1
        while out[cut] != UInt8(ascii: "/") { cut -= 1 }
        out.count = cut
        segmentCount -= 1
    }

    /// "." or "%2e", case-insensitively.
    private static func isSingleDotSegment(_ out: ByteWriter, at offset: Int, length: Int) -> Bool {
        switch length {
        case 1: out[offset] == UInt8(ascii: ".")
        case 3: isEncodedDot(out, at: offset)
        default: false
        }
    }

    /// "..", ".%2e", "%2e." or "%2e%2e", case-insensitively.
    private static func isDoubleDotSegment(_ out: ByteWriter, at offset: Int, length: Int) -> Bool {
        let dot = UInt8(ascii: ".")
        switch length {
        case 2: return out[offset] == dot && out[offset + 1] == dot
        case 4:
            return (out[offset] == dot && isEncodedDot(out, at: offset + 1))
                || (isEncodedDot(out, at: offset) && out[offset + 3] == dot)
        case 6: return isEncodedDot(out, at: offset) && isEncodedDot(out, at: offset + 3)
        default: return false
        }
    }

    private static func isEncodedDot(_ out: ByteWriter, at offset: Int) -> Bool {
        out[offset] == UInt8(ascii: "%") && out[offset + 1] == UInt8(ascii: "2") && out[offset + 2] | 0x20 == 0x65
    }

    // MARK: - Helpers

    private func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: input[range])
    }

    private func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        var index = range.lowerBound
        while index < range.upperBound {
            if input[index] == byte { return index }
            index += 1
        }
        return nil
    }

    @inline(__always)
    static func isSlash(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\")
    }

    @inline(__always)
    static func isASCIIAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

    /// An ASCII letter followed by ":" or "|".
    private static func isWindowsDriveLetter(_ first: UInt8, _ second: UInt8) -> Bool {
        isASCIIAlpha(first) && (second == UInt8(ascii: ":") || second == UInt8(ascii: "|"))
    }

    // MARK: - Error text

    /// Quotes input text for an error reason, cut short so a huge URL cannot make a huge message.
    static func quoted(_ bytes: UnsafeBufferPointer<UInt8>, quote: String = "'") -> String {
        // Four bytes per character is enough for the 80 characters the text is cut to.
        quoted(String(decoding: bytes.prefix(320), as: UTF8.self) + (bytes.count > 320 ? "…" : ""), quote: quote)
    }

    /// Quotes text for an error reason, cut to 80 characters.
    static func quoted(_ text: String, quote: String = "'") -> String {
        let shown = text.count > 80 ? text.prefix(80) + "…" : text[...]
        return quote + shown + quote
    }
}

/// Where each serialised component of a parsed URL is in the parser's output
/// bytes (`WebURLParser.parse(_:isValidUTF8:into:)`).
struct URLSpans {
    let scheme: WebURLParser.SchemeKind
    let username: Range<Int>
    let password: Range<Int>
    let host: Range<Int>
    /// Nil when absent or the scheme's default.
    let port: Int?
    let path: Range<Int>
    /// Nil when absent, or when deferred.
    let query: Range<Int>?
    let fragment: Range<Int>?
    /// The query as written, when the parser was asked to defer it: bytes of
    /// its input, valid as long as that is.
    var deferredQuery: UnsafeBufferPointer<UInt8>? = nil
}
