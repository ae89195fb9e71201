import ArgumentParser
import TriageKit

/// `urltriage rules …`: tools for rule authors.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Tools for rule authors.",
        subcommands: [RulesTestCommand.self, RulesExplainCommand.self]
    )
}

/// `urltriage rules test [DIR|FILE]`: runs every example and counter-example.
struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every example and counter-example in the rule files.",
        discussion: "Exit status: 0 all pass, 1 an example failed, 2 a rule file does not load."
    )

    @Argument(help: "A rules directory or one platform file (default: the rules directory).")
    var path: String?

    @Option(help: "Test only this platform's rules.")
    var only: String?

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
        for failure in report.failures { print("FAIL \(failure)") }
        print("\(report.rules) rules, \(report.rulesWithExamples) with examples; \(report.examples) examples, \(report.counterExamples) counter-examples")
        print("\(report.examples + report.counterExamples - report.failures.count) passed, \(report.failures.count) failed")
        if !report.passed { throw ExitCode(1) }
    }
}
