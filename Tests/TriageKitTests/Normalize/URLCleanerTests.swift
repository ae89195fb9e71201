import Testing
@testable import TriageKit

@Suite struct URLCleanerTests {
    @Test func caseFoldingKeepsASCIIEscapesAndFoldsEncodedLetters() {
        #expect(CaseFolding.fold("Some.User") == "some.user")
        #expect(CaseFolding.fold("%D0%A8kola") == "%D1%88kola")
        #expect(CaseFolding.fold("A%2FB") == "a%2Fb")
    }

    @Test func hashbangRoutesBecomeThePath() throws {
        let route = URLCleaner.hashbang(try WebURL.parse("https://twitter.com/#!/someone/status/1?s=20"))
        #expect(route?.path == "/someone/status/1")
        #expect(route?.query == "s=20")
        #expect(URLCleaner.hashbang(try WebURL.parse("https://example.org/page#!/x")) == nil)
        #expect(URLCleaner.hashbang(try WebURL.parse("https://example.org/#top")) == nil)
    }

    @Test func oldHashbangLinksDoNotMergeUnrelatedReports() throws {
        let classifier = Classifier(rules: TestSupport.shippedRules)
        let status = try classifier.classify(WebURL.parse("https://twitter.com/#!/someone/status/1790123456789012345"))
        let profile = try classifier.classify(WebURL.parse("https://twitter.com/#!/otherone"))
        #expect(status.key == "x:status:1790123456789012345")
        #expect(profile.key != status.key)
        #expect(profile.key != "https://twitter.com/")
    }
}
