public import ArgumentParser
public import TriageKit

/// `urltriage rules bench [DIR] --corpus FILE`: what each content rule costs.
struct RulesBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Profile each content rule over a corpus: attempts, matches, ns per attempt, share of time.",
        discussion: """
            Classifies every URL of the corpus through the engine's own dispatch and times \
            each pattern attempt with a monotonic clock. Rules are listed slowest first; \
            rules the corpus never reaches come last. Exit status: 0 done, 2 the rules or \
            the corpus cannot be read.
            """
    )

    @Argument(help: "A rules directory or one platform file (default: the rules directory).")
    var path: String?

    @Option(help: "A file of reports (text, CSV or JSON Lines) whose URLs are classified.")
    var corpus: String

    @Option(help: "Output format: text or json.")
    var format: TextOrJSON = .text

    @Option(help: "Order: total (time over the corpus) or per-attempt.")
    var sort: RuleProfile.Order = .total

    @Option(help: "Classify the corpus this many times, for steadier figures.")
    var passes = 1

    @Option(help: "Show only this many rules (text format).")
    var top: Int?

    func validate() throws {
        guard passes >= 1 else { throw ValidationError("--passes must be at least 1") }
    }

    func run() throws {
        guard let location = path ?? RulesDirectory.locate(explicit: nil) else {
            CLIError.exit("no rules directory found: name one, or set \(RulesDirectory.environmentVariable)")
        }
        let rules: RuleSet
        do {
            rules = try RuleSet.load(from: location)
        } catch {
            CLIError.exit("\(error)")
        }
        let profiler = RuleProfiler(rules: rules)
        do {
            try profiler.load(corpus: corpus)
        } catch {
            CLIError.exit("\(error)")
        }
        let profile = profiler.run(passes: passes).sorted(by: sort)
        switch format {
        case .text: print(profile.text(limit: top), terminator: "")
        case .json: print(try JSONOutput.encode(profile))
        }
    }
}

extension RuleProfile.Order: ExpressibleByArgument {}
