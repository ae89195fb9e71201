import Testing
@testable import TriageKit

@Suite struct URLExtractorTests {
    let extractor = URLExtractor(schemelessDomains: ["tiktok.com", "youtu.be", "instagram.com", "youtube.com", "x.com"])

    func texts(_ line: String) -> [String] {
        extractor.extract(line).map(\.text)
    }

    func candidates(_ bytes: [UInt8]) -> [Candidate] {
        bytes.withUnsafeBufferPointer { extractor.extract($0) }
    }

    // MARK: - Finding URLs in text

    @Test func helplineSampleLine() {
        let line = "Reported by Year 9 parent: https://www.tiktok.com/@some.user/video/7234567890123456789?is_from_webapp=1 (fake account of teacher)"
        #expect(extractor.extract(line) == [Candidate(
            text: "https://www.tiktok.com/@some.user/video/7234567890123456789?is_from_webapp=1", column: 28)])
    }

    @Test func everyURLInOrderWithColumns() {
        let found = extractor.extract("first https://a.example/1 then http://b.example/2 and https://c.example/3 end")
        #expect(found.map(\.text) == ["https://a.example/1", "http://b.example/2", "https://c.example/3"])
        #expect(found.map(\.column) == [7, 32, 55])
        #expect(found.allSatisfy { $0.notes.isEmpty && $0.rejection == nil })
    }

    @Test func lineWithoutURLsGivesNothing() {
        #expect(texts("").isEmpty)
        #expect(texts("Called the school at 3pm; e.g. the head (ext. 12). Note: see file report.pdf.").isEmpty)
        #expect(texts("Time: 12:30, ratio 3.5:1, re: follow-up").isEmpty)
    }

    @Test func bracketsAndQuotesAroundURLs() {
        #expect(texts("<https://x.com/a>") == ["https://x.com/a"])
        #expect(texts("\"https://x.com/b\"") == ["https://x.com/b"])
        #expect(texts("'https://x.com/c'") == ["https://x.com/c"])
        #expect(texts("“https://x.com/d” and ‘https://x.com/e’") == ["https://x.com/d", "https://x.com/e"])
        #expect(texts("«https://x.com/f»") == ["https://x.com/f"])
        #expect(texts("`https://x.com/g`") == ["https://x.com/g"])
    }

    @Test(arguments: [".", ",", ";", ":", "!", "?", "...", "!?", "\".", "'", ")."])
    func trailingPunctuationIsNotPartOfTheURL(_ tail: String) {
        #expect(texts("see https://x.com/a/b\(tail) next") == ["https://x.com/a/b"])
    }

    @Test func punctuationInsideAURLStays() {
        #expect(texts("https://x.com/a.b,c;d:e!f?g=1.") == ["https://x.com/a.b,c;d:e!f?g=1"])
        #expect(texts("https://x.com/O'Brien") == ["https://x.com/O'Brien"])
    }

    @Test func balancedParenthesesStayAndUnbalancedOnesGo() {
        #expect(texts("https://en.wikipedia.org/wiki/Foo_(bar)") == ["https://en.wikipedia.org/wiki/Foo_(bar)"])
        #expect(texts("(see https://x.com/a)") == ["https://x.com/a"])
        #expect(texts("(see https://en.wikipedia.org/wiki/Foo_(bar))") == ["https://en.wikipedia.org/wiki/Foo_(bar)"])
        #expect(texts("(https://en.wikipedia.org/wiki/Foo_(bar)).") == ["https://en.wikipedia.org/wiki/Foo_(bar)"])
        #expect(texts("https://x.com/a(b") == ["https://x.com/a(b"])
    }

    @Test func markdownLinksAndSquareBrackets() {
        #expect(texts("[the video](https://x.com/v/1) and [https://x.com/v/2]") == ["https://x.com/v/1", "https://x.com/v/2"])
        #expect(texts("[https://x.com/a](https://x.com/b)") == ["https://x.com/a", "https://x.com/b"])
        #expect(texts("http://[2001:db8::1]/a") == ["http://[2001:db8::1]/a"])
    }

    @Test func schemeInAnyCase() {
        #expect(texts("HTTPS://WWW.TIKTOK.COM/@A Http://x.com/b") == ["HTTPS://WWW.TIKTOK.COM/@A", "Http://x.com/b"])
    }

    @Test func urlsGluedToWordsOrToEachOther() {
        #expect(texts("link:https://x.com/a 1.https://x.com/b") == ["https://x.com/a", "https://x.com/b"])
        #expect(texts("https://x.com/a,https://x.com/b;http://x.com/c") == ["https://x.com/a", "https://x.com/b", "http://x.com/c"])
    }

    @Test func nonASCIIPathsStayAndUnicodePunctuationEnds() {
        #expect(texts("https://ja.wikipedia.org/wiki/日本。次") == ["https://ja.wikipedia.org/wiki/日本"])
        #expect(texts("https://x.com/a\u{00A0}next") == ["https://x.com/a"])
        #expect(texts("https://x.com/a…") == ["https://x.com/a"])
    }

    @Test func aSchemeWithoutAHostIsNoURL() {
        #expect(texts("type https:// then the address").isEmpty)
        #expect(texts("http: is the insecure one").isEmpty)
    }

    // MARK: - Hosts written without a scheme

    @Test func wwwAndKnownPlatformHostsGetAScheme() {
        let found = extractor.extract("www.example.org/page tiktok.com/@x/video/1 vm.tiktok.com/ZM123/ youtu.be/abc")
        #expect(found.map(\.text) == [
            "https://www.example.org/page", "https://tiktok.com/@x/video/1",
            "https://vm.tiktok.com/ZM123/", "https://youtu.be/abc",
        ])
        #expect(found.allSatisfy { $0.notes == ["scheme added"] })
        #expect(found.map(\.column) == [1, 22, 44, 65])
    }

    @Test func schemelessHostsAtTheEndOfASentence() {
        #expect(texts("Visit tiktok.com.") == ["https://tiktok.com"])
        #expect(texts("It was on www.instagram.com, then x.com!") == ["https://www.instagram.com", "https://x.com"])
        #expect(texts("(www.example.org/a)") == ["https://www.example.org/a"])
        #expect(texts("tiktok.com:443/@x") == ["https://tiktok.com:443/@x"])
        #expect(texts("youtube.com's policy") == ["https://youtube.com"])
    }

    @Test func emailAddressesAndFileNamesAreNotURLs() {
        #expect(texts("write to a@tiktok.com or first.last@www.example.org").isEmpty)
        #expect(texts("report.pdf, notes.docx, IMG_0001.JPG, example.com/page, e.g. i.e.").isEmpty)
        #expect(texts("notiktok.com/x tiktok.community/x").isEmpty)
        #expect(texts("/var/www.example.org/x").isEmpty)
        #expect(texts("www.example").isEmpty)
    }

    @Test func knownDomainsIgnoreCaseAndLeadingDots() {
        let custom = URLExtractor(schemelessDomains: [".Discord.GG", "t.me"])
        #expect(custom.extract("DISCORD.gg/abc t.me/chan").map(\.text) == ["https://DISCORD.gg/abc", "https://t.me/chan"])
        #expect(URLExtractor(schemelessDomains: []).extract("tiktok.com/@x").isEmpty)
    }

    // MARK: - Defanged URLs

    @Test(arguments: [
        ("hxxp://evil.example/a", "http://evil.example/a", ["refanged hxxp"]),
        ("hxxps://evil.example/a", "https://evil.example/a", ["refanged hxxps"]),
        ("hXXps://evil.example/a", "https://evil.example/a", ["refanged hXXps"]),
        ("https://evil[.]example/a", "https://evil.example/a", ["refanged [.]"]),
        ("https://evil(.)example/a", "https://evil.example/a", ["refanged (.)"]),
        ("https://evil{.}example/a", "https://evil.example/a", ["refanged {.}"]),
        ("https://evil[dot]example/a", "https://evil.example/a", ["refanged [dot]"]),
        ("https[:]//evil.example/a", "https://evil.example/a", ["refanged [:]"]),
        ("https[://]evil.example/a", "https://evil.example/a", ["refanged [://]"]),
        ("hxxps[://]evil[.]example[.]com/a", "https://evil.example.com/a", ["refanged hxxps", "refanged [://]", "refanged [.]"]),
        ("evil[.]example/a", "https://evil.example/a", ["refanged [.]", "scheme added"]),
        ("www[.]evil[.]org", "https://www.evil.org", ["refanged [.]", "scheme added"]),
        ("tiktok[.]com/@x", "https://tiktok.com/@x", ["refanged [.]", "scheme added"]),
    ])
    func defangedFormsAreRefanged(_ written: String, _ expected: String, _ notes: [String]) {
        let found = extractor.extract("reported: \(written) today")
        #expect(found == [Candidate(text: expected, column: 11, notes: notes)])
    }

    @Test func bracketsThatAreNotDefangingAreLeftAlone() {
        #expect(texts("see [x] or (y) or {z} or [1.2]").isEmpty)
        #expect(texts("version[.]2").isEmpty)
    }

    // MARK: - Schemes that are not checked

    @Test(arguments: [
        ("mailto:head@school.example", "mailto"),
        ("MAILTO:head@school.example", "mailto"),
        ("javascript:alert(1)", "javascript"),
        ("data:text/html,hello", "data"),
        ("data:,hello", "data"),
        ("ftp://files.example.org/a", "ftp"),
        ("file:///C:/Users/x.txt", "file"),
        ("tel:+441234567890", "tel"),
        ("sms:07700900123", "sms"),
        ("sftp://host.example/x", "sftp"),
        ("magnet:?xt=urn:btih:abc", "magnet"),
    ])
    func otherSchemesAreRejectedByName(_ written: String, _ scheme: String) {
        let found = extractor.extract("link \(written).")
        #expect(found.count == 1)
        #expect(found.first?.text == written)
        #expect(found.first?.column == 6)
        #expect(found.first?.rejection == "\(scheme): links are not checked (only http and https)")
    }

    @Test func wordsFollowedByAColonAreNotSchemes() {
        #expect(extractor.extract("Note: see below. Data: none. Tel: ask. mailto: nobody. javascript: off").isEmpty)
        #expect(extractor.extract("Time:12:30 ratio:3 C://x").isEmpty)
    }

    @Test func anEmailAddressInAMailtoLinkIsOneCandidate() {
        let found = extractor.extract("mailto:a@tiktok.com")
        #expect(found.map(\.rejection) == ["mailto: links are not checked (only http and https)"])
    }

    // MARK: - Limits and bad input

    @Test func aURLOverTheLimitIsRejectedWithItsLength() {
        let path = String(repeating: "a", count: 40_000)
        let found = extractor.extract("x https://x.com/\(path) y")
        #expect(found.count == 1)
        #expect(found[0].rejection == "URL is 40014 bytes long; the limit is 32768")
        #expect(found[0].column == 3)
        #expect(found[0].text.hasPrefix("https://x.com/aaa"))
        #expect(found[0].text.utf8.count < 300)
        let justUnder = extractor.extract("https://x.com/" + String(repeating: "b", count: 32_768 - 14))
        #expect(justUnder.first?.rejection == nil)
    }

    @Test func invalidUTF8AndNULBytesEndACandidate() {
        let line = Array("a https://x.com/ab".utf8) + [0xFF] + Array("cd https://y.com/e".utf8) + [0x00]
            + Array("f www.example.org/g".utf8) + [0xC3] + Array(" end".utf8)
        let found = candidates(line)
        #expect(found.map(\.text) == ["https://x.com/ab", "https://y.com/e", "https://www.example.org/g"])
        #expect(found.map(\.column) == [3, 23, 41])
    }

    @Test func truncatedAndOverlongUTF8DoNotCrash() {
        for bytes: [UInt8] in [[0xE6, 0x97], [0xF0, 0x9F, 0x98], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] {
            #expect(candidates(Array("https://x.com/".utf8) + bytes).map(\.text) == ["https://x.com/"])
        }
    }

    @Test func randomBytesNeverCrashAndColumnsStayInTheLine() {
        var generator = SplitMix(seed: 0x5EED)
        let alphabet = Array("hxtps:/.[](){}<>\"'@wW.comtiktok ".utf8) + [0x00, 0xFF, 0xC3, 0xA9, 0xE2, 0x80, 0x9C]
        for _ in 0..<2_000 {
            let length = Int(generator.next() % 120)
            let line = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            for candidate in candidates(line) {
                #expect(candidate.column >= 1 && candidate.column <= line.count)
            }
        }
    }

    // MARK: - Byte classes

    @Test func byteClassMasksMatchTheirMembers() {
        #expect(ASCIISet.triggers == ASCIISet(members: ":.[({"))
        let controls = String((0..<0x21).map { Character(UnicodeScalar(UInt8($0))) })
        #expect(ASCIISet.urlSpecial == ASCIISet(members: controls + "\"'(),;<>[]`{}\u{7F}"))
        let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        #expect(ASCIISet.schemeChar == ASCIISet(members: letters + "+-."))
        #expect(ASCIISet.hostChar == ASCIISet(members: letters + "-_."))
        #expect(ASCIISet.trailingPunctuation == ASCIISet(members: ".,;:!?'\"*"))
        #expect(ASCIISet.notBeforeHost == ASCIISet(members: "@/\\%&#?~$+"))
    }
}

/// A small deterministic generator, so that the random-input test is repeatable.
private struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
