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
    /// (RFC 3986 §6.2.2), so `/%7Euser` and `/~user` are one path.
    static func normalizePercentEncoding(_ path: String) -> String {
        guard path.utf8.contains(UInt8(ascii: "%")) else { return path }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        let input = Array(path.utf8)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.count,
               let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                let decoded = high << 4 | low
                if isUnreserved(decoded) {
                    bytes.append(decoded)
                } else {
                    bytes.append(byte)
                    bytes.append(upperHex(high))
                    bytes.append(upperHex(low))
                }
                index += 3
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The path and query of an old `#!/` address (`twitter.com/#!/user/status/1`),
    /// which scripts once turned into the real path; nil for other URLs.
    static func hashbang(_ url: WebURL) -> (path: String, query: String?)? {
        guard url.path == "/", let fragment = url.fragment, fragment.hasPrefix("!/") else { return nil }
        let route = fragment.dropFirst()
        guard let question = route.firstIndex(of: "?") else { return (String(route), url.query) }
        return (String(route[..<question]), String(route[route.index(after: question)...]))
    }

    /// The parameters of `query` that are not trackers, sorted by name (ties keep their order).
    static func keptParameters(_ query: String?, filter: ParamFilter) -> [QueryParameter] {
        guard let query, !query.isEmpty else { return [] }
        var kept: [QueryParameter] = []
        let utf8 = query.utf8
        var start = utf8.startIndex
        while start < utf8.endIndex {
            let end = utf8[start...].firstIndex(of: UInt8(ascii: "&")) ?? utf8.endIndex
            if start < end {
                let equals = utf8[start..<end].firstIndex(of: UInt8(ascii: "="))
                let name = query[start..<(equals ?? end)]
                if !name.isEmpty && !filter.strips(name) {
                    let value = equals.map { query[utf8.index(after: $0)..<end] } ?? query[end..<end]
                    kept.append(QueryParameter(name: name, value: value, text: query[start..<end]))
                }
            }
            start = end == utf8.endIndex ? end : utf8.index(after: end)
        }
        if kept.count > 1 { kept.sort { $0.name < $1.name } }
        return kept
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    private static func upperHex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x41 + nibble - 10 }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
    }
}
