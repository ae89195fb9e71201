import Testing
@testable import TriageKit

/// Domain to ASCII as browsers do it (UTS #46), beyond the shared conformance data.
@Suite struct IDNATests {
    typealias IDNA = WebURLParser.IDNA

    static func host(_ url: String) -> String? { try? WebURL.parse(url).host }

    static func reason(_ url: String) -> String? {
        do {
            _ = try WebURL.parse(url)
            return nil
        } catch {
            return error.reason
        }
    }

    // MARK: - Symbols and emoji IDNA2008 refuses

    @Test(arguments: [
        ("https://☃.net/", "xn--n3h.net"),
        ("https://%E2%98%83.net/", "xn--n3h.net"),
        ("https://👍.example/", "xn--yp8h.example"),
        ("https://😀😀.example/", "xn--e28ha.example"),
        ("https://♥.net/", "xn--g6h.net"),
        ("https://ДЕТИ.рф/", "xn--d1acj3b.xn--p1ai"),
        ("https://paypal‧com.example/", "xn--paypalcom-lf0e.example"),
    ])
    func symbolsAndEmojiAreHostsAsInBrowsers(url: String, host: String) {
        #expect(Self.host(url) == host)
    }

    // MARK: - ASCII domains

    @Test func asciiDomainsAreOnlyLowerCasedXnLabelsIncluded() {
        // Not decoded or checked, as the URL Standard's shared tests expect.
        #expect(Self.host("http://a.b.c.XN--pokxncvks/") == "a.b.c.xn--pokxncvks")
        #expect(Self.host("http://xn--/") == "xn--")
        #expect(Self.host("http://XN--A.com/") == "xn--a.com")
        // In a domain with non-ASCII text every "xn--" label is decoded and checked.
        #expect(Self.reason("http://xn--a.ü/") == "host 'xn--a.ü' is not valid IDNA: U+0080 is not allowed in a label (in 'xn--a')")
        #expect(Self.host("http://xn--BCHER-kva.ü/") == "xn--bcher-kva.xn--tda")
    }

    // MARK: - Validity

    @Test func deviationsAreKeptNotMapped() {
        // Nontransitional: ß and ς are letters of their own, not "ss" and "σ".
        #expect(Self.host("http://faß.de/") == "xn--fa-hia.de")
        #expect(Self.host("http://ẞ.de/") == "xn--zca.de")
        #expect(Self.host("http://βόλος.com/") == "xn--nxasmm1c.com")
    }

    @Test func checkBidiRefusesMixedDirectionLabels() {
        #expect(Self.host("http://\u{05D0}1.com/") == "xn--1-zhc.com")
        #expect(Self.reason("http://a\u{05D0}.com/")
            == "host 'a\u{05D0}.com' is not valid IDNA: label 'a\u{05D0}' in a right-to-left domain mixes in right-to-left text")
        #expect(Self.reason("http://\u{05D0}.1com/")?.hasSuffix("label '1com' in a right-to-left domain begins with a character of no strong direction") == true)
        #expect(Self.reason("http://\u{0627}\u{0661}1.com/")?.hasSuffix("mixes European and Arabic digits") == true)
    }

    @Test func checkJoinersAllowsJoinersOnlyWhereTheyJoin() {
        // ZWJ after a virama (Sinhala), ZWNJ between joining letters (Persian).
        #expect(Self.host("http://\u{0DC1}\u{0DCA}\u{200D}\u{0DBB}\u{0DD3}.com/") == "xn--10cl1a0b660p.com")
        #expect(Self.host("http://\u{0646}\u{0627}\u{0645}\u{0647}\u{200C}\u{0627}\u{06CC}.com/") == "xn--mgba3gch31f060k.com")
        #expect(Self.reason("http://a\u{200D}b.com/")
            == "host 'a\u{200D}b.com' is not valid IDNA: U+200D in 'a\u{200D}b' is not in a context that allows it")
        #expect(Self.reason("http://a\u{200C}b.com/")?.hasSuffix("U+200C in 'a\u{200C}b' is not in a context that allows it") == true)
    }

    @Test func otherInvalidLabelsFailWithReasons() {
        #expect(Self.reason("http://\u{0301}a.com/") == "host '\u{0301}a.com' is not valid IDNA: label '\u{0301}a' begins with a combining mark")
        #expect(Self.reason("http://ü.xn--abc-.com/") == "host 'ü.xn--abc-.com' is not valid IDNA: label 'xn--abc-' decodes to no non-ASCII code point")
        // Decodes to "xn--ü": a label that decodes to another "xn--" label.
        let nested = "xn--" + String(decoding: IDNA.Punycode.encode(Array("xn--ü".unicodeScalars)), as: UTF8.self)
        #expect(Self.reason("http://ü.\(nested)/")?.hasSuffix("decodes to another \"xn--\" label") == true)
        // Not NFC: "u" and a combining diaeresis, encoded as they are.
        let decomposed = "xn--" + String(decoding: IDNA.Punycode.encode(["u", "\u{308}"]), as: UTF8.self)
        #expect(Self.reason("http://ü.\(decomposed)/")?.hasSuffix("decodes to text not in Normalization Form C") == true)
    }

    @Test func overlongLabelsOfNonASCIIDomainsAreRefused() {
        // DNS takes 63 bytes a label; 1,024 code points is far past any real host.
        let long = String(repeating: "\u{4E00}", count: IDNA.maxLabelLength)
        #expect(Self.host("http://\(long).com/")?.hasPrefix("xn--") == true)
        #expect(Self.reason("http://\(long)a.com/")?.hasSuffix("a label of 1025 code points is longer than 1024") == true)
        let ace = "xn--" + String(repeating: "a", count: IDNA.maxLabelLength)
        #expect(Self.reason("http://ü.\(ace)/")?.hasSuffix("a label of 1028 code points is longer than 1024") == true)
        // ASCII domains are only lower-cased, whatever their length.
        #expect(Self.host("http://\(ace)/") == ace)
    }

    @Test func mappingCanYieldForbiddenCodePoints() {
        // U+2A74 maps to "::=", U+FF0F (fullwidth solidus) to "/".
        #expect(Self.reason("http://a\u{2A74}b/") == "host 'a\u{2A74}b' contains forbidden code point ':'")
        #expect(Self.reason("http://a\u{FF0F}b/") == "host 'a\u{FF0F}b' contains forbidden code point '/'")
    }

    // MARK: - Punycode (RFC 3492, section 7.1 samples)

    @Test(arguments: [
        ("ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn"),
        ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
        ("bücher", "bcher-kva"),
        ("☃", "n3h"),
        ("-☃-", "---fsx"),
    ])
    func punycodeRoundTrips(text: String, code: String) {
        let scalars = Array(text.unicodeScalars)
        #expect(String(decoding: IDNA.Punycode.encode(scalars), as: UTF8.self) == code)
        #expect(IDNA.Punycode.decode(Array(code.utf8)) == scalars)
    }

    @Test(arguments: ["ls8h=", "99999999999999", "a-ü", "zz", "-"])
    func invalidPunycodeIsRefused(code: String) {
        // "zz" runs out mid-number; "-" has nothing after its delimiter, which is fine
        // but yields no code point, so only the other four are nil.
        let decoded = IDNA.Punycode.decode(Array(code.utf8))
        if code == "-" { #expect(decoded == []) } else { #expect(decoded == nil) }
    }

    // MARK: - Tables

    @Test func tablesAreUnpackedAndAgreeWithUnicode() {
        #expect(IDNA.unicodeVersion == "17.0.0")
        #expect(IDNA.tables.entry(0x2603).status == .valid)
        #expect(IDNA.tables.entry(0x00AD).status == .ignored)
        #expect(IDNA.tables.entry(0x00DF).status == .deviation)
        #expect(IDNA.tables.entry(0x2025).status == .disallowed)
        let fdfa = IDNA.tables.entry(0xFDFA)
        #expect(fdfa.status == .mapped)
        #expect(String(String.UnicodeScalarView(IDNA.tables.mapping(of: fdfa))) == "صلى الله عليه وسلم")
        #expect(IDNA.tables.entry(0x10FFFF).status == .disallowed)
        #expect(IDNA.tables.bidiClass(0x05D0) == .rightToLeft)
        #expect(IDNA.tables.bidiClass(0x0627) == .arabicLetter)
        #expect(IDNA.tables.bidiClass(0x0661) == .arabicNumber)
        #expect(IDNA.tables.bidiClass(0x0301) == .nonspacingMark)
        #expect(IDNA.tables.joiningType(0x0628) == .dual)
        #expect(IDNA.tables.joiningType(0x0627) == .right)
        #expect(IDNA.tables.joiningType(0x0301) == .transparent)
        #expect(IDNA.tables.joiningType(0x0041) == IDNA.JoiningType.none)
    }
}
