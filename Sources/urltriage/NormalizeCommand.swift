public import ArgumentParser
public import TriageKit
import Foundation

/// `urltriage normalize [FILE|-]`: the offline engine over a batch of reports.
struct NormalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Extract, normalise, classify and dedupe every URL in a batch of reports.",
        discussion: """
            Prints one row per URL found, and one row per line without a URL saying why, \
            with the columns: line key platform type canonical error. A summary goes to \
            standard error. Exit status: 0 done, 2 usage or input error.
            """
    )

    @Argument(help: "A report file (text, CSV or JSON Lines); '-' or nothing for standard input.")
    var file: String = "-"

    @Option(help: "Output format: tsv, csv or jsonl.")
    var format: RowFormat = .tsv

    @Option(name: .customLong("input-format"), help: "Input format: text, csv or jsonl (default: from the file name, else sniffed).")
    var inputFormat: InputFormat?

    @Flag(help: "Read the input even if it looks like a binary file.")
    var allowBinary = false

    @Flag(name: .shortAndLong, help: "Do not print the summary.")
    var quiet = false

    @Option(help: "Threads that normalise at once (default: the cores available); the output is the same for any number.")
    var threads: Int?

    @OptionGroup var rules: RulesOption

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let ruleSet = try rules.load()
        let reader = ReportReader(path: file, format: inputFormat, allowBinary: allowBinary)
        let sink = OutputSink.standardOutput()
        do {
            let summary = try NormalizeRun.run(
                reader, rules: ruleSet, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                format: format, output: sink, inputBytes: InputSize.of(file))
            if !quiet {
                Stderr.write(summary.text + "\n")
            }
        } catch {
            CLIError.exit("\(error)")
        }
    }
}

extension RowFormat: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}
