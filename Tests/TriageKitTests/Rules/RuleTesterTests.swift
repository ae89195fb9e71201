import Testing
@testable import TriageKit

@Suite struct RuleTesterTests {
    /// Every example and counter-example in the shipped rules, including the
    /// overlap and round-trip checks; a failure names the rule file and line.
    @Test func shippedRulesPassTheirExamples() {
        let report = RuleTester(rules: TestSupport.shippedRules).run()
        for failure in report.failures {
            Issue.record("\(failure)")
        }
        #expect(report.examples > 0)
    }

    @Test func everyShippedContentRuleHasAnExample() {
        for platform in TestSupport.shippedRules.platforms {
            for rule in platform.content where rule.examples.isEmpty {
                Issue.record("\(rule.location): the '\(rule.type)' rule of '\(platform.platform)' has no example")
            }
        }
    }

    @Test func aBrokenExampleIsReportedWithItsLine() throws {
        let text = """
            platform: demo
            hosts: [demo.example]
            content:
              - type: post
                path: '^/p/(?<id>\\d+)$'
                examples:
                  - url: 'https://demo.example/p/12'
                    key: 'demo:post:13'
                counter_examples: ['https://demo.example/p/99']
            """
        let rules = try RuleSet.load(from: TestSupport.rulesDirectory(platforms: ["demo.yaml": text]))
        let report = RuleTester(rules: rules).run()
        #expect(report.failures.count == 2)
        let keyFailure = report.failures.first { $0.expected.hasPrefix("key") }
        #expect(keyFailure?.location.line == 7)
        #expect(keyFailure?.actual == "key demo:post:12")
        #expect(report.failures.contains { $0.location.line == 9 && $0.actual.contains("id=99") })
    }

    @Test func overlappingRulesAreReported() throws {
        let text = """
            platform: demo
            hosts: [demo.example]
            content:
              - type: post
                path: '^/p/(?<id>\\d+)$'
                examples: [{url: 'https://demo.example/p/12', key: 'demo:post:12'}]
              - type: anything
                path: '^/(?<id>.+)$'
                examples: [{url: 'https://demo.example/zz', key: 'demo:anything:zz'}]
            """
        let rules = try RuleSet.load(from: TestSupport.rulesDirectory(platforms: ["demo.yaml": text]))
        let report = RuleTester(rules: rules).run()
        #expect(report.failures.count == 1)
        #expect(report.failures.first?.actual.contains("also matched by the 'anything' rule") == true)
    }
}
