/// A URL parsed and serialised by the WHATWG URL Standard's rules.
///
/// Only absolute URLs with a special scheme are accepted: http, https, ws, wss,
/// ftp and file. Every component is stored already serialised, so reading one
/// costs nothing and `href` is a concatenation.
public struct WebURL: Sendable, Hashable {
    /// The scheme in lower case, without the colon: "http", "https", "ws", "wss", "ftp" or "file".
    public var scheme: String
    /// The username, percent-encoded as the standard serialises it ("" when none).
    public var username: String
    /// The password, percent-encoded as the standard serialises it ("" when none).
    public var password: String
    /// The serialised host: an ASCII (punycode) domain, a dotted IPv4 address or a bracketed
    /// IPv6 address; "" for a file URL with an empty host.
    public var host: String
    /// The port, or nil when it is absent or equal to the scheme's default port.
    public var port: Int?
    /// The serialised path; it always starts with "/".
    public var path: String
    /// The query without its leading "?"; nil when absent, "" when present but empty.
    public var query: String?
    /// The fragment without its leading "#"; nil when absent, "" when present but empty.
    public var fragment: String?

    /// The URL whose components `spans` locates in `bytes`.
    init(_ spans: URLSpans, in bytes: ByteBuffer) {
        func text(_ range: Range<Int>) -> String { range.isEmpty ? "" : String(decoding: bytes[range], as: UTF8.self) }
        scheme = spans.scheme.name
        username = text(spans.username)
        password = text(spans.password)
        host = text(spans.host)
        port = spans.port
        path = text(spans.path)
        query = spans.query.map(text)
        fragment = spans.fragment.map(text)
    }

    // MARK: - Parsing

    /// Parses `input` as an absolute URL.
    ///
    /// - Throws: `URLParseError` when the standard's parser would fail, or when the
    ///   scheme is not one of the special schemes.
    public static func parse(_ input: String) throws(URLParseError) -> WebURL {
        var input = input
        return try input.withUTF8 { bytes in
            Result { () throws(URLParseError) -> WebURL in
                try WebURLParser.parse(bytes, isValidUTF8: true)
            }
        }.get()
    }

    /// Parses UTF-8 bytes as an absolute URL; the fast entry point.
    ///
    /// Bytes that are not valid UTF-8 are read as U+FFFD, as the standard's decoder does,
    /// so they end up percent-encoded in a path, query or fragment and make a host invalid.
    public static func parse(utf8 input: UnsafeBufferPointer<UInt8>) throws(URLParseError) -> WebURL {
        try WebURLParser.parse(input, isValidUTF8: false)
    }

    // MARK: - Serialisation

    /// The whole URL, serialised exactly as the standard's URL serializer does.
    ///
    /// Built in one allocation of the exact size, since output stages ask for it per URL.
    public var href: String {
        let portText = port.map { String($0) }
        let hasCredentials = !username.isEmpty || !password.isEmpty
        var length = scheme.utf8.count + 3 + host.utf8.count + path.utf8.count
        if hasCredentials { length += username.utf8.count + 1 }
        if !password.isEmpty { length += password.utf8.count + 1 }
        if let portText { length += portText.utf8.count + 1 }
        if let query { length += query.utf8.count + 1 }
        if let fragment { length += fragment.utf8.count + 1 }

        return WebURLParser.makeString(capacity: length) { out in
            out.append(scheme)
            out.append("://")
            if hasCredentials {
                out.append(username)
                if !password.isEmpty {
                    out.append(UInt8(ascii: ":"))
                    out.append(password)
                }
                out.append(UInt8(ascii: "@"))
            }
            out.append(host)
            if let portText {
                out.append(UInt8(ascii: ":"))
                out.append(portText)
            }
            out.append(path)
            if let query {
                out.append(UInt8(ascii: "?"))
                out.append(query)
            }
            if let fragment {
                out.append(UInt8(ascii: "#"))
                out.append(fragment)
            }
        }
    }

    // MARK: - Helpers

    /// The host followed by ":port" when the URL has a non-default port.
    public var hostAndPort: String {
        guard let port else { return host }
        return host + ":" + String(port)
    }

    /// The port a client would connect to: the explicit one, else the scheme's default.
    public var effectivePort: Int? { port ?? WebURL.defaultPort(forScheme: scheme) }

    /// The default port of a special scheme, or nil for "file" and any other scheme.
    public static func defaultPort(forScheme scheme: String) -> Int? {
        switch scheme {
        case "http", "ws": 80
        case "https", "wss": 443
        case "ftp": 21
        default: nil
        }
    }
}

extension WebURL: CustomStringConvertible {
    /// The serialised URL (`href`).
    public var description: String { href }
}

// MARK: - Errors

/// Why a URL could not be parsed, in words a person can act on.
public struct URLParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A person-readable reason, such as "invalid IPv4 address '1.2.3.256'".
    public var reason: String

    /// Makes an error with the given reason.
    public init(reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }
}
