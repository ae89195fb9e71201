import ArgumentParser
import Foundation
import TriageKit

/// `urltriage rules explain URL…`: every step from text to key, for rule authors.
struct RulesExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show every step from a URL (or a line of report text) to its key.",
        discussion: """
            For each URL found in each argument: what the extractor made of it, the \
            WHATWG-parsed URL, the platform file and host bucket chosen, each query \
            parameter kept or stripped (and by which list entry), each content rule tried \
            with its captures, the key and canonical URL, and the time taken. \
            Exit status: 0 explained, 2 the rules do not load.
            """
    )

    @Argument(help: "URLs, or lines of report text containing URLs.")
    var inputs: [String]

    @Option(help: "Output format: text or json.")
    var format: TextOrJSON = .text

    @OptionGroup var rules: RulesOption

    func run() throws {
        let explainer = RuleExplainer(rules: try rules.load())
        let traces = inputs.flatMap { explainer.explain($0) }
        switch format {
        case .text:
            print(traces.map(\.text).joined(separator: "\n"), terminator: "")
        case .json:
            print(try JSONOutput.encode(traces))
        }
    }
}

/// How `rules explain`, `rules lint` and `rules bench` print: for people, or for tools.
enum TextOrJSON: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// JSON as the rule tools print it: keys sorted, indented for people and diff tools.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
