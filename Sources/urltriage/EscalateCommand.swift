public import ArgumentParser
import Foundation
public import TriageKit
import TriageStore

/// `urltriage escalate`: what to send to each platform now, most urgent first.
struct EscalateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalate",
        abstract: "List what to send to each platform now, most urgent first, with the score and its reasons.",
        discussion: """
            Lists live and restricted items that were never escalated or are past the platform's \
            response target, per platform, with the route from the platform's rule file. Items whose \
            last check was unknown or error are listed apart: a person must look first. The score's \
            weights are in policy.yaml (priority:), the harm categories in categories.yaml. \
            With --record, the listed items are marked escalated now, so the next list shows only \
            what is new or overdue. Exit status: 0 done, 1 some listed items could not be recorded, \
            2 usage, rule or store error.
            """
    )

    @Option(help: "Only this platform (its short name: tiktok, instagram …).")
    var platform: String?

    @Option(help: "Output format: text, csv, json or markdown.")
    var format: EscalationFormat = .text

    @Option(help: "At most this many items per platform (and in the list for a person).")
    var limit: Int?

    @Flag(help: "Mark the listed items escalated now (not those that need a person).")
    var record = false

    @Option(help: "The policy file with the score's weights (default: policy.yaml in the rules directory).")
    var policy: String?

    @Option(help: ArgumentHelp("Score as if it were this time (for reproducible lists).", visibility: .hidden))
    var now: StoreDate?

    @OptionGroup var store: StoreOption

    @OptionGroup var actor: ActorOption

    @OptionGroup var rules: RulesOption

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
    }

    func run() throws {
        let inputs = PriorityInputs.load(rules: rules, policy: policy)
        if let platform, !inputs.rules.platforms.contains(where: { $0.platform == platform }) {
            let known = inputs.rules.platforms.map(\.platform).sorted().joined(separator: ", ")
            CLIError.exit("no platform '\(platform)' in the rule files (known: \(known))")
        }
        // The list alone only reads (a store the user may only read can still be listed); recording writes.
        let backend = store.openAny(readOnly: !record)
        let moment = now?.seconds ?? StoreTime.now()
        let (platform, categories, scorer, limit) = (platform, inputs.categories, inputs.scorer, limit)
        let (record, by, recheckPolicy, ruleSet) = (record, actor.name, inputs.recheckPolicy, inputs.rules)
        let format = format
        let outcome: EscalationRecorder.Outcome?
        do {
            outcome = try waitFor(closing: backend) { store in
                let found = try await store.escalationCandidates(platform: platform, now: moment,
                                                                 categorizer: ItemCategorizer(categories: categories))
                let list = EscalationList.build(candidates: found.candidates, scorer: scorer, rules: ruleSet, now: moment,
                                                limit: limit, context: found.context)
                // Written before recording, as it was listed: recording changes what the next list shows.
                let output = OutputSink.standardOutput()
                list.write(as: format, to: output)
                output.flush()
                guard record else { return nil }
                return await store.recordEscalations(list, policy: recheckPolicy, rules: ruleSet, by: by, now: moment)
            }
        } catch {
            CLIError.exit("\(error)")
        }
        guard let outcome else { return }
        Stderr.write("urltriage: recorded \(outcome.recorded) item(s) as escalated at \(StoreTime.iso(moment))\n")
        if !outcome.skipped.isEmpty {
            Stderr.write("urltriage: \(outcome.skipped.count) listed item(s) not recorded again: another run recorded "
                         + "their escalation after this list was made (\(outcome.skipped.prefix(5).joined(separator: ", "))"
                         + "\(outcome.skipped.count > 5 ? " …" : ""))\n")
        }
        for failure in outcome.failures {
            Stderr.write("urltriage: \(failure.key) not recorded: \(failure.error.message)\n")
        }
        if !outcome.failures.isEmpty { throw ExitCode(1) }
    }
}

extension EscalationFormat: ExpressibleByArgument {}

extension PriorityInputs {
    /// Loads them all, or ends the command with the file, line and problem (exit status 2).
    static func load(rules option: RulesOption, policy explicitPolicy: String?) -> PriorityInputs {
        let ruleSet: RuleSet
        do {
            ruleSet = try option.load()
        } catch {
            CLIError.exit("\(error)")
        }
        do {
            return try PriorityInputs.load(rules: ruleSet, rulesDirectory: RulesDirectory.locate(explicit: option.rules),
                                           policy: explicitPolicy)
        } catch {
            CLIError.exit("\(error)")
        }
    }
}
