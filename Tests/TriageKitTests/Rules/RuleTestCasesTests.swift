import Foundation
import Testing
@testable import TriageKit

@Suite struct RuleTestCasesTests {
    static let demo = """
        platform: demo
        hosts: [demo.example]
        content:
          - type: post
            path: '^/p/(?<id>\\d+)$'
            examples:
              - url: 'https://demo.example/p/12'
                key: 'demo:post:13'
                canonical: 'https://demo.example/p/13'
              - url: 'https://demo.example/p/14?a=<b>&c="d"'
            counter_examples: ['https://demo.example/p/99']
        """

    @Test func everyExampleIsOneCaseWithItsFailures() throws {
        let rules = try RuleSet.load(from: TestSupport.rulesDirectory(platforms: ["demo.yaml": Self.demo]))
        let report = RuleTester(rules: rules).run()
        let cases = RuleTestCases(rules: rules, report: report)
        #expect(cases.cases.count == 3)
        // The first example fails twice (key and canonical) but is one failed case.
        #expect(cases.failedCount == 2)
        #expect(cases.passedCount == 1)
        #expect(cases.cases[0].failures.count == 2)
        #expect(cases.cases[2].isCounterExample)
    }

    @Test func junitIsWellFormedXMLWithTheCounts() throws {
        let rules = try RuleSet.load(from: TestSupport.rulesDirectory(platforms: ["demo.yaml": Self.demo]))
        let cases = RuleTestCases(rules: rules, report: RuleTester(rules: rules).run())
        let xml = cases.junitXML
        #expect(xml.hasPrefix("<?xml"))
        #expect(xml.contains("<testsuites name=\"urltriage rules test\" tests=\"3\" failures=\"2\">"))
        #expect(xml.contains("<testsuite name=\"demo\" tests=\"3\" failures=\"2\""))
        #expect(xml.contains("a=&lt;b&gt;&amp;c=&quot;d&quot;"))
        #expect(xml.components(separatedBy: "<failure ").count - 1 == 3)
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 3)
    }

    @Test func theShippedRulesAllPass() {
        let rules = TestSupport.shippedRules
        let cases = RuleTestCases(rules: rules, report: RuleTester(rules: rules).run(only: "tiktok"), only: "tiktok")
        #expect(cases.failedCount == 0)
        #expect(cases.cases.allSatisfy { $0.platform == "tiktok" })
        #expect(cases.passedCount > 20)
    }
}
