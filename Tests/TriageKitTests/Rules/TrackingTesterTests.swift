import Testing
@testable import TriageKit

@Suite struct TrackingTesterTests {
    static let web = """
        platform: web
        hosts: ['*']
        fold_hosts: [www]
        """

    @Test func shippedTrackingExamplesPassAndCoverEveryPattern() {
        let report = RuleTester(rules: TestSupport.shippedRules).run()
        for failure in report.failures where failure.location.file.hasSuffix("tracking.yaml") {
            Issue.record("\(failure)")
        }
        #expect(report.trackingPatterns == TestSupport.shippedRules.tracking.patterns.count)
        #expect(report.trackingPatterns >= 90)
        #expect(report.trackingExamples > 0)
    }

    /// The issue's case: one article from two newsletters is one item.
    @Test func newsletterTrackersFoldToOneItem() throws {
        let classifier = Classifier(rules: TestSupport.shippedRules)
        let keys = try [
            "https://news.example.co.uk/story?id=77&ref=x",
            "https://news.example.co.uk/story?id=77&cmpid=nl&mc=3",
            "https://news.example.co.uk/story?fb_source=other&id=77&_openstat=x&wtrid=1",
            "https://news.example.co.uk/story?id=77",
        ].map { try classifier.classify(WebURL.parse($0)).key }
        #expect(Set(keys).count == 1)
        // What says which story it is stays.
        let other = try classifier.classify(WebURL.parse("https://news.example.co.uk/story?id=78&ref=x")).key
        #expect(other != keys[0])
    }

    @Test func aPatternNoExampleShowsFailsOnItsLine() throws {
        let tracking = """
            global:
              - utm_*
              - zzclid
            examples:
              - url: 'https://a.example/p?utm_source=x'
                canonical: 'https://a.example/p'
            """
        let rules = try RuleSet.load(from: TestSupport.rulesDirectory(platforms: ["web.yaml": Self.web], tracking: tracking))
        let report = RuleTester(rules: rules).run()
        #expect(report.failures.count == 1)
        #expect(report.failures.first?.location.line == 3)
        #expect(report.failures.first?.url == "zzclid")
        let cases = RuleTestCases(rules: rules, report: report)
        #expect(cases.cases.filter { $0.platform == "tracking" }.count == 3)
        #expect(cases.failedCount == 1)
    }

    @Test func aWrongCanonicalFailsOnTheExamplesLine() throws {
        let tracking = """
            global: [utm_*]
            examples:
              - url: 'https://a.example/p?utm_source=x&keep=1'
                canonical: 'https://a.example/p'
            """
        let rules = try RuleSet.load(from: TestSupport.rulesDirectory(platforms: ["web.yaml": Self.web], tracking: tracking))
        let report = RuleTester(rules: rules).run()
        #expect(report.failures.count == 1)
        #expect(report.failures.first?.location.line == 3)
        #expect(report.failures.first?.actual == "canonical https://a.example/p?keep=1")
    }

    @Test func aPatternThatIsNotAParameterNameIsRefused() throws {
        let tracking = "global: ['utm source']\n"
        #expect(throws: RuleError.self) {
            try RuleSet.load(from: TestSupport.rulesDirectory(platforms: ["web.yaml": Self.web], tracking: tracking))
        }
    }
}

@Suite struct TrackingLintTests {
    @Test func lintNamesTheLineOfAPatternThatIsNoParameterName() throws {
        let tracking = """
            global:
              - utm_*
              - 'utm source'
            examples:
              - url: 'https://a.example/p?utm_source=x'
                canonical: 'https://a.example/p'
            """
        let root = try TestSupport.rulesDirectory(platforms: ["web.yaml": TrackingTesterTests.web + "\ncontent: []\n"], tracking: tracking)
        let report = try RuleLinter().lint(path: root)
        let finding = report.findings.first { $0.location.file.hasSuffix("tracking.yaml") }
        #expect(finding?.kind == .badValue)
        #expect(finding?.location.line == 3)
    }

    @Test func lintAcceptsTheShippedTrackingFile() throws {
        let report = try RuleLinter().lint(path: TestSupport.rulesDirectory)
        #expect(!report.findings.contains { $0.location.file.hasSuffix("tracking.yaml") })
    }
}
