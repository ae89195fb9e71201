import Testing
@testable import TriageKit

/// Focused behaviour of `WebURL`'s parser and serialiser.
@Suite struct WebURLTests {
    // MARK: - Helpers

    /// The href `input` parses to, or the failure reason prefixed with "error: ".
    static func href(_ input: String) -> String {
        do throws(URLParseError) {
            return try WebURL.parse(input).href
        } catch {
            return "error: " + error.reason
        }
    }

    /// The failure reason for `input`, or nil when it parses.
    static func reason(_ input: String) -> String? {
        do throws(URLParseError) {
            _ = try WebURL.parse(input)
            return nil
        } catch {
            return error.reason
        }
    }

    /// Parses raw bytes through the `utf8:` entry point.
    static func parseBytes(_ bytes: [UInt8]) -> Result<WebURL, URLParseError> {
        bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(URLParseError) in try WebURL.parse(utf8: buffer) }
        }
    }

    // MARK: - Components

    @Test func componentsOfATypicalURL() throws {
        let input = "https://www.tiktok.com/@some.user/video/7234567890123456789?is_from_webapp=1&sender_device=pc"
        let url = try WebURL.parse(input)
        #expect(url.scheme == "https")
        #expect(url.username == "")
        #expect(url.password == "")
        #expect(url.host == "www.tiktok.com")
        #expect(url.port == nil)
        #expect(url.path == "/@some.user/video/7234567890123456789")
        #expect(url.query == "is_from_webapp=1&sender_device=pc")
        #expect(url.fragment == nil)
        #expect(url.href == input)
    }

    @Test func schemeAndHostAreLowerCasedButNotThePath() throws {
        let url = try WebURL.parse("HTTPS://WWW.Example.COM/Some/PATH?Q=A#F")
        #expect(url.href == "https://www.example.com/Some/PATH?Q=A#F")
    }

    @Test func emptyQueryAndFragmentDifferFromAbsentOnes() throws {
        let empty = try WebURL.parse("http://a/?#")
        #expect(empty.query == "")
        #expect(empty.fragment == "")
        #expect(empty.href == "http://a/?#")
        let absent = try WebURL.parse("http://a")
        #expect(absent.query == nil)
        #expect(absent.fragment == nil)
        #expect(absent.path == "/")
    }

    @Test(arguments: [
        ("http://a:80/", nil), ("https://a:443/", nil), ("ws://a:80/", nil), ("wss://a:443/", nil),
        ("ftp://a:21/", nil), ("https://a:80/", 80), ("http://a:0080/", nil), ("http://a:8080/", 8080),
        ("http://a:/", nil), ("http://a:0/", 0),
    ] as [(String, Int?)])
    func defaultPortsAreDropped(input: String, port: Int?) throws {
        #expect(try WebURL.parse(input).port == port)
    }

    @Test func portHelpers() throws {
        let explicit = try WebURL.parse("https://a:8443/")
        #expect(explicit.hostAndPort == "a:8443")
        #expect(explicit.effectivePort == 8443)
        let implicit = try WebURL.parse("https://a:443/")
        #expect(implicit.hostAndPort == "a")
        #expect(implicit.effectivePort == 443)
        #expect(try WebURL.parse("file:///x").effectivePort == nil)
        #expect(implicit.description == implicit.href)
        #expect(URLParseError(reason: "why").description == "why")
    }

    @Test func userinfoIsPercentEncoded() throws {
        let url = try WebURL.parse("http://us er:p@ss:w@rd@host/")
        #expect(url.username == "us%20er")
        #expect(url.password == "p%40ss%3Aw%40rd")
        #expect(url.host == "host")
        #expect(Self.href("http://:@host/") == "http://host/")
        #expect(Self.href("http://user:@host/") == "http://user@host/")
        #expect(Self.href("http://:pass@host/") == "http://:pass@host/")
    }

    @Test func backslashesAndMissingSlashesAreForgiven() {
        #expect(Self.href("http:\\\\a\\b\\c") == "http://a/b/c")
        #expect(Self.href("https:example.com") == "https://example.com/")
        #expect(Self.href("http:////a/b") == "http://a/b")
        #expect(Self.href("http:///path") == "http://path/")
    }

    // MARK: - Hosts

    @Test(arguments: [
        ("http://0x7f.1/", "127.0.0.1"), ("http://0177.0.0.1/", "127.0.0.1"), ("http://2130706433/", "127.0.0.1"),
        ("http://192.168.1/", "192.168.0.1"), ("http://0X7F.0.0.0X1/", "127.0.0.1"), ("http://1.2.3.4./", "1.2.3.4"),
        ("http://0x/", "0.0.0.0"), ("http://%30%78%37%66.1/", "127.0.0.1"),
    ])
    func ipv4Forms(input: String, host: String) throws {
        #expect(try WebURL.parse(input).host == host)
    }

    @Test func invalidIPv4AddressesFail() {
        #expect(Self.reason("http://1.2.3.256/") == "invalid IPv4 address '1.2.3.256'")
        #expect(Self.reason("http://4294967296/") == "invalid IPv4 address '4294967296'")
        #expect(Self.reason("http://1.2.3.4.5/") == "invalid IPv4 address '1.2.3.4.5'")
        #expect(Self.reason("http://09.1/") == "invalid IPv4 address '09.1'")
        #expect(Self.reason("http://foo.0x/") == "invalid IPv4 address 'foo.0x'")
        // A last label that is not a number keeps the host a domain.
        #expect(Self.href("http://1.2.3.com/") == "http://1.2.3.com/")
    }

    @Test(arguments: [
        ("http://[2001:DB8:0:0:0:0:0:1]/", "[2001:db8::1]"),
        ("http://[0:0:1:0:0:0:0:1]/", "[0:0:1::1]"),
        ("http://[1:0:0:2:0:0:3:4]/", "[1::2:0:0:3:4]"),
        ("http://[1:0:0:0:0:0:0:0]/", "[1::]"),
        ("http://[::]/", "[::]"),
        ("http://[1:2:3:4:5:6:7:8]/", "[1:2:3:4:5:6:7:8]"),
        ("http://[1:2:3:4:5:6:0:8]/", "[1:2:3:4:5:6:0:8]"),
        ("http://[::ffff:192.168.0.1]/", "[::ffff:c0a8:1]"),
        ("http://[::127.0.0.1]:8080/", "[::7f00:1]"),
    ])
    func ipv6Serialisation(input: String, host: String) throws {
        #expect(try WebURL.parse(input).host == host)
    }

    @Test(arguments: [
        "http://[::1/", "http://[1:2:3:4:5:6:7:8:9]/", "http://[1::2::3]/", "http://[::1.2.3]/",
        "http://[::1.2.3.256]/", "http://[g::1]/", "http://[::01.2.3.4]/", "http://[]/",
    ])
    func invalidIPv6AddressesFail(input: String) {
        #expect(Self.reason(input)?.hasPrefix("invalid IPv6 address") == true)
    }

    @Test func internationalisedDomainsBecomePunycode() throws {
        #expect(try WebURL.parse("http://BÜCHER.de").host == "xn--bcher-kva.de")
        #expect(try WebURL.parse("http://xn--bcher-kva.de/").host == "xn--bcher-kva.de")
        #expect(try WebURL.parse("http://ＥＸＡＭＰＬＥ。com/").host == "example.com")
        #expect(try WebURL.parse("http://%C3%BCber.de/").host == "xn--ber-goa.de")
        #expect(try WebURL.parse("http://faß.de/").host == "xn--fa-hia.de")
        #expect(try WebURL.parse("http://ẞ.de/").host == "xn--zca.de")
    }

    @Test func invisibleCharactersAreIgnoredLikeBrowsersDo() throws {
        #expect(try WebURL.parse("http://goo\u{AD}gle.com/").host == "google.com")
        #expect(try WebURL.parse("http://goo\u{206B}gle.com/").host == "google.com")
        #expect(try WebURL.parse("http://goo\u{180E}gle.com/").host == "google.com")
    }

    @Test func invalidDomainsFailWithReasons() {
        #expect(Self.reason("http://xn--zca=.ü/") == "host 'xn--zca=.ü' is not valid IDNA: label 'xn--zca=' is not valid Punycode")
        #expect(Self.reason("http://a‥b/") == "host 'a‥b' is not valid IDNA: U+2025 is not allowed in a domain")
        #expect(Self.reason("http://a<b/") == "host 'a<b' contains forbidden code point '<'")
        #expect(Self.reason("http://a%00b/") == "host 'a%00b' contains forbidden code point U+0000")
        #expect(Self.reason("http://a%2fb/") == "host 'a%2fb' contains forbidden code point '/'")
        #expect(Self.reason("http://%ff/") == "host '%ff' is not valid UTF-8 once percent-decoded")
        #expect(Self.reason("http://\u{AD}/") == "host '\u{AD}' is empty after IDNA mapping")
        // "<" with a combining long solidus overlay composes to "≮", which is allowed.
        #expect(Self.href("http://<\u{338}/") == "http://xn--gdh/")
    }

    // MARK: - Paths

    @Test(arguments: [
        ("http://a/b/c/./../../g", "/g"), ("http://a/b/%2e%2E/c", "/c"), ("http://a/b/.%2e", "/"),
        ("http://a/b/c/..", "/b/"), ("http://a/..", "/"), ("http://a/./", "/"), ("http://a/b/.", "/b/"),
        ("http://a/b/%2e/c", "/b/c"), ("http://a/b/..c/", "/b/..c/"), ("http://a\\b\\..\\c", "/c"),
        ("http://a/b//c", "/b//c"), ("http://a/%2E%2e%2e/", "/%2E%2e%2e/"),
    ])
    func dotSegments(input: String, path: String) throws {
        #expect(try WebURL.parse(input).path == path)
    }

    @Test func windowsDriveLettersOnlyInFileURLs() {
        #expect(Self.href("file:///C|/x/../../..") == "file:///C:/")
        #expect(Self.href("file://C:/x") == "file:///C:/x")
        #expect(Self.href("file:c:\\foo") == "file:///c:/foo")
        #expect(Self.href("http://a/C|/x") == "http://a/C|/x")
        #expect(Self.href("file://localhost/etc/hosts") == "file:///etc/hosts")
        #expect(Self.href("file://Server/share") == "file://server/share")
        #expect(Self.reason("file://a:1/") == "host 'a:1' contains forbidden code point ':'")
    }

    // MARK: - Percent-encoding

    @Test func eachComponentHasItsOwnEncodeSet() throws {
        let url = try WebURL.parse("http://h/ä b\"<>`{}^|?ä b\"<>'`{}#ä b\"<>`{}")
        #expect(url.path == "/%C3%A4%20b%22%3C%3E%60%7B%7D%5E|")
        #expect(url.query == "%C3%A4%20b%22%3C%3E%27`{}")
        #expect(url.fragment == "%C3%A4%20b%22%3C%3E%60{}")
    }

    @Test func existingEscapesAreKept() throws {
        let url = try WebURL.parse("http://h/%41%zz%?%41%#%41")
        #expect(url.href == "http://h/%41%zz%?%41%#%41")
    }

    // MARK: - Input clean-up

    @Test func tabsNewlinesAndOuterControlsAreRemoved() {
        #expect(Self.href("ht\ttp://exa\nmple.com/pa\r\nth?q\t=1#f\nr") == "http://example.com/path?q=1#fr")
        #expect(Self.href(" \u{1}\u{1F}http://a/b \u{0}\n") == "http://a/b")
        #expect(Self.href("http://a/ b ") == "http://a/%20b")
    }

    // MARK: - Failures

    @Test(arguments: [
        ("mailto:someone@example.com", "unsupported scheme 'mailto'"),
        ("JavaScript:alert(1)", "unsupported scheme 'javascript'"),
        ("data:text/html,hi", "unsupported scheme 'data'"),
        ("www.example.com/path", "missing scheme"),
        ("//example.com", "missing scheme"),
        ("", "missing scheme"),
        ("http://", "missing host"),
        ("http:///?x", "missing host"),
        ("http://user@/path", "missing host"),
        ("http://:80/", "missing host"),
        ("http://a:99999/", "port 99999 is out of range"),
        ("http://a:12ab/", "invalid port '12ab'"),
        ("http://a b/", "host 'a b' contains forbidden code point U+0020"),
    ])
    func failuresSayWhy(input: String, reason: String) {
        #expect(Self.reason(input) == reason)
    }

    // MARK: - Byte sets

    @Test func byteSetTableMatchesTheStandardsSets() {
        typealias ByteSet = WebURLParser.ByteSet
        func isIn(_ byte: UInt8, _ ascii: String) -> Bool { ascii.utf8.contains(byte) }
        for value in 0...255 {
            let byte = UInt8(value)
            let c0ControlSet = byte < 0x20 || byte > 0x7E
            let query = c0ControlSet || isIn(byte, " \"#<>")
            let path = query || isIn(byte, "?^`{}")
            let expected: [(ByteSet, Bool)] = [
                (.fragment, c0ControlSet || isIn(byte, " \"<>`")),
                (.query, query),
                (.specialQuery, query || isIn(byte, "'")),
                (.path, path),
                (.userinfo, path || isIn(byte, "/:;=@[\\]^|")),
                (.forbiddenDomain, byte < 0x80 && (byte <= 0x20 || byte == 0x7F || isIn(byte, "#%/:<>?@[\\]^|"))),
                (.pathAttention, path || isIn(byte, "/\\.%")),
            ]
            for (set, isMember) in expected {
                #expect(set.contains(byte) == isMember, "byte \(value), set bit \(set.bit)")
            }
        }
    }

    // MARK: - Robustness

    @Test func hundredKilobyteURLsParseInLinearTime() throws {
        let long = String(repeating: "abcdefghij", count: 10_000)
        let url = try WebURL.parse("https://example.com/\(long)?\(long)#\(long)")
        #expect(url.path.utf8.count == 100_001)
        #expect(url.query?.utf8.count == 100_000)

        let dots = try WebURL.parse("http://a/" + String(repeating: "b/../", count: 20_000) + "c")
        #expect(dots.path == "/c")
        let encoded = try WebURL.parse("http://a/" + String(repeating: "ü", count: 50_000))
        #expect(encoded.path.utf8.count == 1 + 6 * 50_000)
        let host = try WebURL.parse("http://" + String(repeating: "a.", count: 50_000) + "com/")
        #expect(host.host.utf8.count == 100_003)
        #expect(Self.reason("http://a:" + String(repeating: "9", count: 100_000))?.hasPrefix("port 999") == true)
    }

    @Test func invalidUTF8IsReadAsReplacementCharacters() throws {
        let bytes = Array("http://a/x".utf8) + [0xFF, 0xC3, 0x28] + Array("?q".utf8) + [0xE2, 0x82]
        let path = try Self.parseBytes(bytes).get()
        #expect(path.path == "/x%EF%BF%BD%EF%BF%BD(")
        #expect(path.query == "q%EF%BF%BD")
        let host = Self.parseBytes(Array("http://a".utf8) + [0xC0, 0xAF] + Array(".com/".utf8))
        #expect(throws: URLParseError.self) { try host.get() }
        let lone = Self.parseBytes([0x80])
        #expect(throws: URLParseError.self) { try lone.get() }
    }

    @Test func arbitraryBytesNeverTrap() {
        // A fixed-seed generator keeps any failure reproducible.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let prefixes = ["http://", "file://", "wss:\\\\", "ftp:/", "h", ""].map { Array($0.utf8) }
        let alphabet =
            Array("http:s/\\.?#@%[]:0x1fF-2eC|".utf8) + [0x00, 0x09, 0x20, 0x7F, 0x80, 0xC3, 0xA4, 0xE3, 0x80, 0x82, 0xFF]
        var parsed = 0
        for _ in 0..<20_000 {
            var bytes = prefixes[Int(next() % UInt64(prefixes.count))]
            for _ in 0..<Int(next() % 24) { bytes.append(alphabet[Int(next() % UInt64(alphabet.count))]) }
            if case .success(let url) = Self.parseBytes(bytes) {
                parsed += 1
                // A serialised URL parses back to itself.
                #expect(Self.href(url.href) == url.href)
            }
        }
        #expect(parsed > 0)
    }

    @Test func bothEntryPointsAgree() throws {
        for input in ["https://ü.example/ä?ö#ß", "http://a/\tb", " ftp://[::1]:21/x "] {
            let viaBytes = try Self.parseBytes(Array(input.utf8)).get()
            #expect(try WebURL.parse(input) == viaBytes)
        }
    }
}
