import Testing
@testable import TriageKit

/// The batch path (parse into the classifier's buffer, host routes from a
/// cache, the query encoded only when read) must classify every URL exactly
/// as the string path (`WebURL`, then `Classifier.classify`) does.
@Suite struct BatchPathAgreementTests {
    static let urls = [
        "https://www.youtube.com/watch?v=Ab3dEf9hIjK&feature=share&t=42",
        "https://www.youtube.com/watch?feature=share&v=Ab3dEf9hIjK&si=xyz",
        "https://example.org/page?q=it's&utm_source=news&b=2",
        "https://Example.org:443/a/./b/../c?z=1&utm_medium=x&a=2&a=1#frag",
        "http://example.org/?",
        "https://example.org/search?q=%7e%41&empty=&flag",
        "https://twitter.com/#!/someone/status/1790123456789012345?s=20",
        "https://x.com/#!/someone",
        "https://user:pw@www.tiktok.com/@a/video/7301234567890123456",
        "https://www.tiktok.com:8443/@a/video/7301234567890123456",
        "http://[2001:db8::1]/x?y=1",
        "http://0x7f.1/x",
        "https://my-school.example.co.uk/news?id=3&fbclid=abc",
        "HTTPS://WWW.INSTAGRAM.COM/p/DrzPpScolEc/?igsh=abc",
        "https://www.tiktok.com/%40someone/video/7301234567890123456",
        "https://xn--bcher-kva.example/a",
        "https://www.instagram.com/Some.User/",
        "https://www.tiktok.com/@SOME.User_1/live?lang=en",
        "https://www.facebook.com/permalink.php?story_fbid=pfbid0abc&id=100064",
        "https://www.facebook.com/profile.php?id=100064&sk=about",
        "https://m.facebook.com/watch/?v=1234567890&ref=sharing",
        "https://old.reddit.com/r/uknews/comments/1a2b3c/some_title/?utm_source=share",
        "https://www.a-very-long-host-name-that-goes-on-and-on.example.org/x?b=2&a=1",
        "https://WWW.Example.ORG./trailing-dot",
        "https://www.tiktok.com/@a/video/7301234567890123456?" + String(repeating: "share_item_id=1&", count: 60) + "x=1",
    ]

    @Test(arguments: urls)
    func batchAndStringPathsAgree(_ url: String) throws {
        let expected = try Classifier(rules: TestSupport.shippedRules).classify(WebURL.parse(url))
        let normalizer = BatchNormalizer(rules: TestSupport.shippedRules)
        var rows: [NormalizedRow] = []
        normalizer.process(line: 1, text: url) { rows.append($0) }
        #expect(rows.count == 1)
        #expect(rows.first?.classification == expected, "\(rows.first?.error ?? "")")
    }

    /// The host cache keeps 256 hosts; more than that, and again, must still route each one right.
    @Test func manyHostsRouteAsTheirRulesSay() throws {
        let classifier = Classifier(rules: TestSupport.shippedRules)
        let normalizer = BatchNormalizer(rules: TestSupport.shippedRules)
        for round in 0..<2 {
            for index in 0..<600 {
                let host = index % 3 == 0 ? "www.tiktok.com" : "site\(index).example.org"
                let url = "https://\(host)/@user\(index)/video/\(7_301_234_567_890_123_456 + index)?r=\(round)"
                let expected = try classifier.classify(WebURL.parse(url))
                var row: NormalizedRow?
                normalizer.process(line: index, text: url) { row = $0 }
                #expect(row?.classification == expected)
            }
        }
    }

    /// Wrappers are unwrapped on the batch path too: by host after parsing, and
    /// also when the wrapper's own URL does not parse (a port out of range here).
    @Test(arguments: [
        ("https://eur01.safelinks.protection.outlook.com:99999/?url=https%3A%2F%2Fyoutu.be%2FAb3dEf9hIjK", "youtube:video:Ab3dEf9hIjK"),
        ("https://www.google.co.uk/url?q=https://www.tiktok.com/@a/video/7301234567890123456&sa=D", "tiktok:video:7301234567890123456"),
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fl.instagram.com%2F%3Fu%3Dhttps%253A%252F%252Fyoutu.be%252FAb3dEf9hIjK&h=x",
         "youtube:video:Ab3dEf9hIjK"),
        ("https://www.youtube.com/redirect?q=https%3A%2F%2Fexample.org%2Fx&event=video_description", "https://example.org/x"),
    ])
    func wrappersAreUnwrapped(_ wrapped: String, _ key: String) {
        let normalizer = BatchNormalizer(rules: TestSupport.shippedRules)
        var rows: [NormalizedRow] = []
        normalizer.process(line: 1, text: "see \(wrapped) please") { rows.append($0) }
        #expect(rows.map { $0.classification?.key } == [key], "\(rows.first?.error ?? "")")
    }
}
