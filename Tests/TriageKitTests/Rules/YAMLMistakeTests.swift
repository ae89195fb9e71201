import Foundation
import Testing
@testable import TriageKit

/// YAML mistakes are reported on the line of the mistake, not where libyaml
/// gave up, by both the loader and the linter.
@Suite struct YAMLMistakeTests {
    static let lines = [
        "platform: demo",                                   // 1
        "hosts: [demo.example]",                            // 2
        "content:",                                         // 3
        "  - type: post",                                   // 4
        "    path: '^/p/(?<id>\\d+)$'",                     // 5
        "    examples: [{url: 'https://demo.example/p/1'}]", // 6
        "    counter_examples: ['https://demo.example/x']", // 7
        "liveness:",                                        // 8
        "  removed: [{status: [404]}]",                     // 9
        "escalation: {channel: 'Demo'}",                    // 10
    ]

    /// The file with line `number` replaced.
    static func with(_ number: Int, _ line: String) -> String {
        var lines = Self.lines
        lines[number - 1] = line
        return lines.joined(separator: "\n") + "\n"
    }

    func loaderLine(_ text: String) throws -> RuleError {
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": text])
        return try #require(throws: RuleError.self) { try RuleSet.load(from: directory) }
    }

    func lintLine(_ text: String) throws -> LintFinding {
        let report = try RuleLinter().lint(path: try TestSupport.rulesDirectory(platforms: ["demo.yaml": text]))
        #expect(report.errors.count == 1)
        return try #require(report.errors.first { $0.kind == .yamlSyntax })
    }

    @Test func theFileAsWrittenLoads() throws {
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": Self.lines.joined(separator: "\n")])
        #expect(throws: Never.self) { try RuleSet.load(from: directory) }
    }

    @Test func aQuoteLeftOpenIsReportedWhereItOpens() throws {
        let text = Self.with(5, "    path: '^/p/(?<id>\\d+)$")
        let error = try loaderLine(text)
        #expect(error.location.line == 5)
        #expect(error.location.column == 11)
        #expect(error.message.contains("the quote opened here is not closed on its line"))
        #expect(try lintLine(text).location.line == 5)
    }

    @Test func aQuoteLeftOpenInAListIsReportedWhereItOpens() throws {
        let text = Self.with(7, "    counter_examples: ['https://demo.example/x]")
        #expect(try loaderLine(text).location.line == 7)
        #expect(try lintLine(text).location.line == 7)
    }

    @Test func aBracketLeftOpenIsReportedWhereItOpens() throws {
        let text = Self.with(2, "hosts: [demo.example")
        let error = try loaderLine(text)
        #expect(error.location.line == 2)
        #expect(error.message.contains("not closed"))
        #expect(try lintLine(text).location.line == 2)
    }

    @Test func aBadIndentIsReportedOnItsOwnLine() throws {
        let text = Self.with(6, "   examples: [{url: 'https://demo.example/p/1'}]")
        #expect(try loaderLine(text).location.line == 6)
    }

    @Test func anApostropheInsideAPlainValueIsNotAQuote() {
        #expect(YAMLMistake.unclosedQuote(in: "name: Pupil's page\nchannel: 'It''s fine' # don't\n", before: 3) == nil)
        #expect(YAMLMistake.unclosedQuote(in: "a: 'x'\nb: \"y\\\" z\n", before: 3)?.line == 2)
    }
}
