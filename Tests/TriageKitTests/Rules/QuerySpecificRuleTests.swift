import Testing
@testable import TriageKit

/// A rule that asks for a query parameter, written before a rule for the same
/// path without it: `/USER?clip=ID` is the clip, `/USER` the channel. A path
/// pattern cannot say "without clip=", so the order is what separates them,
/// and the tester accepts that order (and only that order).
@Suite struct QuerySpecificRuleTests {
    static func demo(clipFirst: Bool) -> String {
        let clip = """
              - type: clip
                path: '^/(?<user>\\w+)$'
                query: {clip: '^(?<id>c\\d+)$'}
                examples: [{url: 'https://demo.example/someone?clip=c12', key: 'demo:clip:c12'}]
            """
        let channel = """
              - type: channel
                path: '^/(?<user>\\w+)$'
                key: '{user}'
                examples: [{url: 'https://demo.example/someone', key: 'demo:channel:someone'}]
            """
        return """
            platform: demo
            hosts: [demo.example]
            content:
            \(clipFirst ? clip + "\n" + channel : channel + "\n" + clip)
            """
    }

    @Test func theNarrowerRuleFirstIsNotAnOverlap() throws {
        let rules = try RuleSet.load(from: TestSupport.rulesDirectory(platforms: ["demo.yaml": Self.demo(clipFirst: true)]))
        let report = RuleTester(rules: rules).run()
        #expect(report.failures.map(\.description) == [])
    }

    @Test func theNarrowerRuleAfterTheWiderOneStillFails() throws {
        let rules = try RuleSet.load(from: TestSupport.rulesDirectory(platforms: ["demo.yaml": Self.demo(clipFirst: false)]))
        let report = RuleTester(rules: rules).run()
        // The clip example is classified by the channel rule, which comes first.
        #expect(report.failures.contains { $0.actual.contains("matched by the 'channel' rule") })
        // And the channel example is not matched by the clip rule, so no overlap is claimed for it.
        #expect(!report.failures.contains { $0.url == "https://demo.example/someone" })
    }

    @Test func narrowingNeedsMoreParametersNotJustOthers() throws {
        let text = """
            platform: demo
            hosts: [demo.example]
            content:
              - type: a
                path: '^/x$'
                query: {a: '^(?<id>\\d+)$'}
                examples: [{url: 'https://demo.example/x?a=1&b=2', key: 'demo:a:1'}]
              - type: b
                path: '^/x$'
                query: {b: '^(?<id>\\d+)$'}
                examples: [{url: 'https://demo.example/x?b=2', key: 'demo:b:2'}]
            """
        let rules = try RuleSet.load(from: TestSupport.rulesDirectory(platforms: ["demo.yaml": text]))
        let report = RuleTester(rules: rules).run()
        #expect(report.failures.contains { $0.url == "https://demo.example/x?a=1&b=2" && $0.actual.contains("also matched by the 'b' rule") })
    }
}
