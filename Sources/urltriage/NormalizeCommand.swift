public import ArgumentParser
public import TriageKit

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

    @OptionGroup var rules: RulesOption

    func run() throws {
        let ruleSet = try rules.load()
        // Rows wait for 16 more URLs before their dedupe lookup, so the
        // lookups' cache misses overlap (see PendingRows).
        let normalizer = BatchNormalizer(rules: ruleSet, lookahead: 16, inputBytes: InputSize.of(file))
        let sink = OutputSink.standardOutput()
        let writer = RecordWriter(format: format, fields: NormalizedRow.fields, sink: sink)
        writer.writeHeader()
        let reader = ReportReader(path: file, format: inputFormat, allowBinary: allowBinary)
        do {
            try reader.read { record in
                normalizer.processRows(line: record.line, text: record.text, problem: record.problem) { row in
                    writer.write(row)
                }
            }
        } catch {
            normalizer.finish { writer.write($0) }
            sink.flush()
            CLIError.exit("\(error)")
        }
        normalizer.finish { writer.write($0) }
        sink.flush()
        if !quiet {
            Stderr.write(normalizer.summary.text + "\n")
        }
    }
}

extension RowFormat: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}
