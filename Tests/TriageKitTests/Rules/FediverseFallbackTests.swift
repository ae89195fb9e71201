import Testing
@testable import TriageKit

/// Mastodon and other fediverse servers on any host (issue 12): web.yaml gives
/// `HOST/@user/ID` and `HOST/@user` a key with the host in it on every host no
/// file names, and steals nothing from the platforms whose files name theirs.
@Suite struct FediverseFallbackTests {
    let classifier = Classifier(rules: TestSupport.shippedRules)

    func classify(_ text: String) throws -> Classification {
        try classifier.classify(WebURL.parse(text))
    }

    @Test(arguments: [
        ("https://kolektiva.social/@Someone/112345678901234567", "web:post:kolektiva.social/@someone/112345678901234567"),
        ("https://kolektiva.social/users/someone/statuses/112345678901234567",
         "web:post:kolektiva.social/@someone/112345678901234567"),
        ("https://pixelfed.example/@someone", "web:profile:pixelfed.example/@someone"),
        ("https://toot.example/@someone@other.example/media", "web:profile:toot.example/@someone@other.example"),
        // An internationalised server keys by its ASCII host, as a browser would resolve it.
        ("https://☃.net/@someone/123", "web:post:xn--n3h.net/@someone/123"),
        ("https://mastodon.social/@Someone/112345678901234567", "mastodon:post:mastodon.social/@someone/112345678901234567"),
    ])
    func fediverseShapesAreKeyedByHostOnAnyServer(url: String, key: String) throws {
        #expect(try classify(url).key == key)
    }

    @Test func sameUserOnTwoServersIsTwoItems() throws {
        #expect(try classify("https://a.example/@someone/1").key != classify("https://b.example/@someone/1").key)
    }

    @Test(arguments: [
        ("https://www.tiktok.com/@someone", "tiktok"),
        ("https://www.youtube.com/@someone", "youtube"),
        ("https://www.threads.net/@someone/post/C1a2b3c4d5", "threads"),
        ("https://vimeo.com/@someone", "vimeo"),
    ])
    func hostsWithAFileOfTheirOwnKeepTheirURLs(url: String, platform: String) throws {
        #expect(try classify(url).platform == platform)
    }

    @Test func aStoryOnAnUnnamedSiteIsAPageNotAPost() throws {
        // medium.com has no file: its /@user is a profile keyed by host, but a story is a plain page.
        #expect(try classify("https://medium.com/@someone").key == "web:profile:medium.com/@someone")
        #expect(try classify("https://medium.com/@someone/my-story-abc123def").type == "page")
    }
}
