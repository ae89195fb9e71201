import ArgumentParser
import Foundation
import TriageKit

/// `urltriage rules …`: tools for rule authors.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Tools for rule authors: test, lint, explain and bench the rule files.",
        subcommands: [RulesTestCommand.self, RulesLintCommand.self, RulesExplainCommand.self, RulesBenchCommand.self,
                      RulesCategorizeCommand.self]
    )
}

/// `urltriage rules test [DIR|FILE]`: runs every example and counter-example.
struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every example and counter-example in the rule files and categories.yaml.",
        discussion: """
            The platform files' examples, then (unless --only names a platform) those of the harm \
            categories in categories.yaml; naming categories.yaml runs only those. The last line \
            is always 'N passed, M failed' (on standard error with --format junit, whose XML goes \
            to standard output). Exit status: 0 all pass, 1 an example failed, 2 a rule file does \
            not load.
            """
    )

    @Argument(help: "A rules directory, one platform file or categories.yaml (default: the rules directory).")
    var path: String?

    @Option(help: "Test only this platform's rules.")
    var only: String?

    @Option(help: "Output format: text, or junit (JUnit XML for CI systems).")
    var format: TestFormat = .text

    func run() throws {
        let location = path ?? RulesDirectory.locate(explicit: nil)
        guard let location else { CLIError.exit("no rules directory found: name one, or set \(RulesDirectory.environmentVariable)") }
        if (location as NSString).lastPathComponent == HarmCategories.fileName {
            let categories = Self.categoryReport(location)
            for failure in categories.failures { print("FAIL \(failure)") }
            print("\(categories.examples) category examples, \(categories.counterExamples) counter-examples")
            print("\(categories.examples + categories.counterExamples - categories.failures.count) passed, \(categories.failures.count) failed")
            if !categories.passed { throw ExitCode(1) }
            return
        }
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
        // The categories beside the platform files, when the whole directory is tested.
        let categoriesFile = (location as NSString).appendingPathComponent(HarmCategories.fileName)
        let categories = only == nil && FileManager.default.fileExists(atPath: categoriesFile) ? Self.categoryReport(categoriesFile) : nil
        let share = report.rules == 0 ? 100 : report.rulesWithExamples * 100 / report.rules
        let categoryLine = categories.map { ", \($0.examples) category examples, \($0.counterExamples) counter-examples" } ?? ""
        let categoryCases = categories.map { $0.examples + $0.counterExamples } ?? 0
        let categoryFailures = categories?.failures.count ?? 0
        let summary = """
            \(report.rulesWithExamples) of \(report.rules) content patterns have examples (\(share)%); \
            \(report.examples) examples, \(report.counterExamples) counter-examples\(categoryLine); \
            tracking.yaml: \(report.trackingPatterns) patterns, \(report.trackingExamples) examples
            \(cases.passedCount + categoryCases - categoryFailures) passed, \(cases.failedCount + categoryFailures) failed
            """
        switch format {
        case .text:
            for failure in report.failures { print("FAIL \(failure)") }
            for failure in categories?.failures ?? [] { print("FAIL \(failure)") }
            print(summary)
        case .junit:
            print(cases.junitXML, terminator: "")
            for failure in categories?.failures ?? [] { Stderr.write("FAIL \(failure)\n") }
            Stderr.write(summary + "\n")
        }
        if !report.passed || categoryFailures > 0 { throw ExitCode(1) }
    }
}

extension RulesTestCommand {
    /// Runs the examples of a categories file, or ends the command when it does not load (exit status 2).
    static func categoryReport(_ path: String) -> CategoryTester.Report {
        do {
            return CategoryTester(categories: try HarmCategories.load(from: path)).run()
        } catch {
            CLIError.exit("\(error)")
        }
    }
}

/// How `rules test` prints.
enum TestFormat: String, ExpressibleByArgument, CaseIterable {
    case text, junit
}
