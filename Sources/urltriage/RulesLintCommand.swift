import ArgumentParser
import TriageKit

/// `urltriage rules lint [DIR|FILE]`: every fault in the rule files at once.
struct RulesLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check rule files: YAML, keys, patterns, anchors, examples, overlap, shadowing and backtracking.",
        discussion: """
            Lists every finding with its file, line and column, errors apart from warnings. \
            A platform file is checked together with the other files of its folder, and only \
            its own findings are listed. Exit status: 0 no errors (warnings may be listed), \
            1 errors found, 2 the directory or file cannot be read.
            """
    )

    @Argument(help: "A rules directory or one platform file (default: the rules directory).")
    var path: String?

    @Option(help: "Output format: text or json.")
    var format: TextOrJSON = .text

    func run() throws {
        guard let location = path ?? RulesDirectory.locate(explicit: nil) else {
            CLIError.exit("no rules directory found: name one, or set \(RulesDirectory.environmentVariable)")
        }
        let report: LintReport
        do {
            report = try RuleLinter().lint(path: location)
        } catch {
            CLIError.exit("\(error)")
        }
        switch format {
        case .text: print(report.text, terminator: "")
        case .json: print(try JSONOutput.encode(report))
        }
        if !report.passed { throw ExitCode(1) }
    }
}
