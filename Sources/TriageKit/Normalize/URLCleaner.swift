/// A query parameter as written: its name, its raw value and the whole `name=value` text.
struct QueryParameter: Equatable {
    let name: Substring
    let value: Substring
    let text: Substring
}

/// The clean-ups applied to every URL after WHATWG parsing: percent-encoding
/// made uniform, tracking parameters dropped, the rest in a stable order.
enum URLCleaner {
    /// Decodes escapes of unreserved characters and upper-cases the rest
    /// (RFC 3986 §6.2.2), so `/%7Euser` and `/~user` are one path. `@` and
    /// `:` are decoded too: a path segment may hold them as they are and they
    /// delimit nothing there, so `/%40user` is `/@user` to every platform.
    static func normalizePercentEncoding(_ path: String) -> String {
        guard path.utf8.withContiguousStorageIfAvailable({ $0.contains(UInt8(ascii: "%")) }) ?? true else { return path }
        var bytes = ByteBuffer(capacity: path.utf8.count)
        defer { bytes.deallocate() }
        var path = path
        path.withUTF8 { appendNormalizingPercentEncoding($0, to: &bytes) }
        return String(decoding: bytes.bytes, as: UTF8.self)
    }

    /// The path and query of an old `#!/` address (`twitter.com/#!/user/status/1`),
    /// which scripts once turned into the real path; nil for other URLs.
    static func hashbang(_ url: WebURL) -> (path: String, query: String?)? {
        guard url.path == "/", let fragment = url.fragment, fragment.hasPrefix("!/") else { return nil }
        // The route is fragment text: parsed as a path and query, as the classifier does
        // (`Classifier.parsedHashbangRoute`).
        guard let route = try? WebURL.parse("http://h" + fragment.dropFirst()) else { return nil }
        return (route.path, fragment.contains("?") ? route.query : url.query)
    }

    /// The parameters of `query` that are not trackers, sorted by name (ties keep their order).
    static func keptParameters(_ query: String?, filter: ParamFilter) -> [QueryParameter] {
        guard var query, !query.isEmpty else { return [] }
        // The scan returns its result rather than appending to a captured
        // variable: a captured `var` is boxed and checked on every access.
        let ranges = query.withUTF8 { bytes -> [(name: Range<Int>, value: Range<Int>?, whole: Range<Int>)] in
            var found: [(name: Range<Int>, value: Range<Int>?, whole: Range<Int>)] = []
            var start = 0
            while start < bytes.count {
                var end = start
                var equals: Int?
                while end < bytes.count && bytes[end] != UInt8(ascii: "&") {
                    if equals == nil && bytes[end] == UInt8(ascii: "=") { equals = end }
                    end += 1
                }
                let nameEnd = equals ?? end
                if nameEnd > start && !filter.strips(bytes: UnsafeBufferPointer(rebasing: bytes[start..<nameEnd])) {
                    found.append((start..<nameEnd, equals.map { ($0 + 1)..<end }, start..<end))
                }
                start = end + 1
            }
            return found
        }
        guard !ranges.isEmpty else { return [] }
        let utf8 = query.utf8
        func slice(_ range: Range<Int>) -> Substring {
            let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            return query[lower..<utf8.index(lower, offsetBy: range.count)]
        }
        var kept = ranges.map { range in
            QueryParameter(name: slice(range.name), value: range.value.map(slice) ?? slice(range.whole.upperBound..<range.whole.upperBound),
                           text: slice(range.whole))
        }
        if kept.count > 1 { kept.sort { $0.name < $1.name } }
        return kept
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    static func upperHex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x41 + nibble - 10 }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
    }
}
