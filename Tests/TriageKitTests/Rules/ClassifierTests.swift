import Testing
@testable import TriageKit

@Suite struct ClassifierTests {
    let classifier = Classifier(rules: TestSupport.shippedRules)

    func classify(_ text: String) throws -> Classification {
        try classifier.classify(WebURL.parse(text))
    }

    @Test func tiktokVideoKeyIgnoresTheUserNameAndTrackers() throws {
        let a = try classify("https://www.tiktok.com/@some.user/video/7234567890123456789?is_from_webapp=1&sender_device=pc")
        let b = try classify("https://M.TIKTOK.COM/@Renamed/video/7234567890123456789/?_r=1#comments")
        let c = try classify("https://www.tiktok.com/embed/v2/7234567890123456789")
        #expect(a.key == "tiktok:video:7234567890123456789")
        #expect(b.key == a.key)
        #expect(c.key == a.key)
        #expect(a.canonical == "https://www.tiktok.com/@some.user/video/7234567890123456789")
    }

    @Test func tiktokUserNamesFoldButShortCodesKeepCase() throws {
        #expect(try classify("https://www.tiktok.com/@Some.User").key == "tiktok:profile:some.user")
        #expect(try classify("https://vm.tiktok.com/ZMabcDEF1/").key == "tiktok:short:ZMabcDEF1")
    }

    @Test func unknownPathOnAPlatformIsAPage() throws {
        let result = try classify("https://www.tiktok.com/about?lang=en&b=2&a=1")
        #expect(result.platform == "tiktok")
        #expect(result.type == "page")
        #expect(result.key == "https://tiktok.com/about?a=1&b=2")
        #expect(result.rule == nil)
    }

    @Test func genericPagesKeepRealParametersSortedAndDropTrackers() throws {
        let a = try classify("http://www.Example.org/news/item?page=2&utm_source=mail&id=12&fbclid=abc#top")
        let b = try classify("https://example.org/news/item?id=12&page=2")
        #expect(a.platform == "web")
        #expect(a.canonical == "http://example.org/news/item?id=12&page=2")
        #expect(a.key == "https://example.org/news/item?id=12&page=2")
        #expect(b.key == a.key)
    }

    @Test func genericPagesKeepPortsAndDistinguishPaths() throws {
        #expect(try classify("https://example.org:8443/a").key == "https://example.org:8443/a")
        #expect(try classify("https://example.org:443/a").key == "https://example.org/a")
        #expect(try classify("https://example.org/a").key != classify("https://example.org/A").key)
    }

    @Test func aRuleThatHitsTheMatchLimitGivesAnErrorNotAHang() throws {
        let text = """
            platform: slow
            hosts: [slow.example]
            content:
              - type: post
                path: '^/(a+)+$'
                key: '{path}'
            """
        let rules = try RuleSet.load(from: TestSupport.rulesDirectory(platforms: ["slow.yaml": text]))
        let url = try WebURL.parse("https://slow.example/" + String(repeating: "a", count: 40) + "b")
        #expect(throws: ClassificationError.self) { try Classifier(rules: rules).classify(url) }
    }
}
