import Foundation
import Testing
@testable import TriageKit

@Suite struct RuleLinterTests {
    static var brokenRules: String { TestSupport.packageRoot + "/Tests/TriageKitTests/Fixtures/broken-rules" }

    /// What a finding is, without its wording: file name, line, kind, severity.
    struct Mark: Hashable, CustomStringConvertible {
        let file: String
        let line: Int
        let kind: LintFinding.Kind
        let severity: LintFinding.Severity
        var description: String { "\(file):\(line) \(severity.rawValue) \(kind.rawValue)" }

        init(_ file: String, _ line: Int, _ kind: LintFinding.Kind, _ severity: LintFinding.Severity = .error) {
            (self.file, self.line, self.kind, self.severity) = (file, line, kind, severity)
        }

        init(_ finding: LintFinding) {
            self.init((finding.location.file as NSString).lastPathComponent, finding.location.line, finding.kind, finding.severity)
        }
    }

    // MARK: - The planted faults

    /// Every planted fault, and nothing else (see Fixtures/broken-rules/README.md).
    @Test func findsExactlyThePlantedFaults() throws {
        let report = try RuleLinter().lint(path: Self.brokenRules)
        let expected: [Mark] = [
            Mark("backtrack.yaml", 6, .backtracking),
            Mark("badregex.yaml", 6, .badPattern),
            Mark("bare.yaml", 4, .noCounterExamples, .warning),
            Mark("bare.yaml", 5, .noExamples),
            Mark("bare.yaml", 6, .unanchored, .warning),
            Mark("clips.yaml", 10, .exampleOverlap),
            Mark("shadow.yaml", 10, .shadowed),
            Mark("typo.yaml", 4, .unknownKey),
            Mark("vidshare.yaml", 3, .hostOverlap),
            Mark("vidshare.yaml", 3, .hostOverlap, .warning),
            Mark("vidshare.yaml", 7, .exampleOverlap),
        ]
        #expect(report.findings.map(Mark.init).sorted { $0.description < $1.description } == expected.sorted { $0.description < $1.description })
        #expect(report.errors.count == 8)
        #expect(report.warnings.count == 3)
        #expect(!report.passed)
    }

    @Test func aBadRegexPointsInsideThePattern() throws {
        let report = try RuleLinter().lint(path: Self.brokenRules)
        let finding = try #require(report.errors.first { $0.kind == .badPattern })
        // `    path: '^/p/(?<id>\d+$'`: the pattern starts at column 12 and PCRE2 gives up at its end, offset 14.
        #expect(finding.location.column == 26)
        #expect(finding.message.contains("missing closing parenthesis"))
    }

    @Test func anUnknownKeyNamesTheNearestKnownOne() throws {
        let report = try RuleLinter().lint(path: Self.brokenRules)
        let finding = try #require(report.errors.first { $0.kind == .unknownKey })
        #expect(finding.message.contains("did you mean 'strip_params'?"))
        #expect(finding.location.column == 1)
    }

    @Test func theBacktrackingFindingShowsTheInput() throws {
        let report = try RuleLinter().lint(path: Self.brokenRules)
        let finding = try #require(report.errors.first { $0.kind == .backtracking })
        #expect(finding.message.contains("'/tag/' + 'a' × "))
        #expect(finding.message.contains("(?:a+)"))
    }

    @Test func theShadowFindingNamesTheWinner() throws {
        let report = try RuleLinter().lint(path: Self.brokenRules)
        let finding = try #require(report.errors.first { $0.kind == .shadowed })
        #expect(finding.message.contains("the earlier 'profile' rule at"))
        #expect(finding.message.contains("/about, /about/"))
    }

    @Test func lintingOneFileReportsOnlyThatFileButSeesItsNeighbours() throws {
        let report = try RuleLinter().lint(path: Self.brokenRules + "/platforms/clips.yaml")
        #expect(report.findings.map(Mark.init) == [Mark("clips.yaml", 10, .exampleOverlap)])
        #expect(report.files.count == 1)
    }

    @Test func aMissingDirectoryIsAnInputError() {
        #expect(throws: LintInputError.self) { try RuleLinter().lint(path: "/nonexistent/rules") }
    }

    // MARK: - The shipped rules

    @Test func theShippedRulesHaveNoErrors() throws {
        let report = try RuleLinter().lint(path: TestSupport.rulesDirectory)
        for error in report.errors { Issue.record("\(error)") }
        #expect(report.patterns > 100)
    }

    // MARK: - Checks one by one

    @Test func everyFaultInAFileIsReportedNotJustTheFirst() throws {
        let text = """
            platform: demo
            hosts: [demo.example]
            strip_param: [x]
            content:
              - type: post
                path: '^/p/(?<id>\\d+$'
                examples: ['https://demo.example/p/1']
              - typ: video
                path: '^/v/(?<id>\\d+)$'
                key: '{ident}'
            """
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": text])
        let report = try RuleLinter().lint(path: directory)
        let marks = Set(report.errors.map { "\($0.location.line) \($0.kind.rawValue)" })
        #expect(marks == ["3 unknown-key", "6 bad-pattern", "8 unknown-key", "8 bad-value", "8 no-examples", "10 bad-template"])
    }

    @Test func identicalPatternsAreShadowed() throws {
        let text = """
            platform: demo
            hosts: [demo.example]
            content:
              - type: post
                path: '^/p/(?<id>\\d+)$'
                examples: ['https://demo.example/p/1']
                counter_examples: ['https://demo.example/p/x']
              - type: story
                path: '^/p/(?<id>\\d+)$'
                query: {s: '^1$'}
                examples: ['https://demo.example/p/2?s=1']
            """
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": text])
        let report = try RuleLinter().lint(path: directory)
        #expect(report.errors.map(\.kind) == [.shadowed])
        #expect(report.errors.first?.location.line == 8)
        #expect(report.errors.first?.message.contains("same path pattern") == true)
    }

    @Test func aRuleLimitedToOtherHostsIsNotShadowed() throws {
        let text = """
            platform: demo
            hosts: [demo.example, s.demo.example]
            content:
              - type: short
                hosts: [s.demo.example]
                path: '^/(?<code>\\w+)$'
                key: '{code}'
                examples: ['https://s.demo.example/abc']
                counter_examples: ['https://s.demo.example/a/b']
              - type: profile
                path: '^/about$'
                key: 'about'
                examples: ['https://demo.example/about']
            """
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": text])
        let report = try RuleLinter().lint(path: directory)
        #expect(report.errors.isEmpty, "\(report.errors)")
    }

    @Test func samePlatformOverlapComesFromTheRuleTester() throws {
        let text = """
            platform: demo
            hosts: [demo.example]
            content:
              - type: post
                path: '^/p/(?<id>\\d+)$'
                examples: ['https://demo.example/p/12']
                counter_examples: ['https://demo.example/p/x']
              - type: user
                path: '^/(?<id>.+)$'
                examples: ['https://demo.example/zz']
            """
        let directory = try TestSupport.rulesDirectory(platforms: ["demo.yaml": text])
        let report = try RuleLinter().lint(path: directory)
        #expect(report.errors.map { "\($0.location.line) \($0.kind.rawValue)" } == ["6 example-overlap"])
    }

    @Test func reportEncodesErrorsAndWarningsApart() throws {
        let report = try RuleLinter().lint(path: Self.brokenRules)
        let encoder = JSONEncoder()
        let object = try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any]
        #expect((object?["errors"] as? [Any])?.count == 8)
        #expect((object?["warnings"] as? [Any])?.count == 3)
        let first = (object?["errors"] as? [[String: Any]])?.first
        #expect(first?["kind"] as? String == "backtracking")
        #expect((first?["location"] as? [String: Any])?["line"] as? Int == 6)
    }
}
