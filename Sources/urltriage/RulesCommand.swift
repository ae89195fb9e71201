import ArgumentParser
import TriageKit

/// `urltriage rules …`: tools for rule authors.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Tools for rule authors: test, lint, explain and bench the rule files.",
        subcommands: [RulesTestCommand.self, RulesLintCommand.self, RulesExplainCommand.self, RulesBenchCommand.self]
    )
}

/// `urltriage rules test [DIR|FILE]`: runs every example and counter-example.
struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every example and counter-example in the rule files.",
        discussion: """
            The last line is always 'N passed, M failed' (on standard error with --format junit, \
            whose XML goes to standard output). Exit status: 0 all pass, 1 an example failed, \
            2 a rule file does not load.
            """
    )

    @Argument(help: "A rules directory or one platform file (default: the rules directory).")
    var path: String?

    @Option(help: "Test only this platform's rules.")
    var only: String?

    @Option(help: "Output format: text, or junit (JUnit XML for CI systems).")
    var format: TestFormat = .text

    func run() throws {
        let location = path ?? RulesDirectory.locate(explicit: nil)
        guard let location else { CLIError.exit("no rules directory found: name one, or set \(RulesDirectory.environmentVariable)") }
        let rules: RuleSet
        do {
            rules = try RuleSet.load(from: location)
        } catch {
            CLIError.exit("\(error)")
        }
        if let only, !rules.platforms.contains(where: { $0.platform == only }) {
            CLIError.exit("no platform '\(only)' in \(location); platforms: \(rules.platforms.map(\.platform).joined(separator: ", "))")
        }
        let report = RuleTester(rules: rules).run(only: only)
        let cases = RuleTestCases(rules: rules, report: report, only: only)
        let share = report.rules == 0 ? 100 : report.rulesWithExamples * 100 / report.rules
        let summary = """
            \(report.rulesWithExamples) of \(report.rules) content patterns have examples (\(share)%); \
            \(report.examples) examples, \(report.counterExamples) counter-examples; \
            tracking.yaml: \(report.trackingPatterns) patterns, \(report.trackingExamples) examples
            \(cases.passedCount) passed, \(cases.failedCount) failed
            """
        switch format {
        case .text:
            for failure in report.failures { print("FAIL \(failure)") }
            print(summary)
        case .junit:
            print(cases.junitXML, terminator: "")
            Stderr.write(summary + "\n")
        }
        if !report.passed { throw ExitCode(1) }
    }
}

/// How `rules test` prints.
enum TestFormat: String, ExpressibleByArgument, CaseIterable {
    case text, junit
}
