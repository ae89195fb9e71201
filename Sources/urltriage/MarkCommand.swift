import ArgumentParser
import TriageKit
import TriageStore

/// `urltriage mark KEY STATE`: what staff did or found, recorded with who and when.
struct MarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark",
        abstract: "Record by hand that an item was escalated, removed, a false report, reopened, or a note.",
        discussion: """
            KEY is an item's key (tiktok:video:7301234567890123456) or any URL of it. \
            States: escalated (--to PLATFORM, --ref REFERENCE, --at DATE), removed (--at DATE), \
            false-report, reopen (a removed or false-report item back to new), note (--note only). \
            Each mark is stored with --by (default $USER) and the time. Exit status: 0 recorded, \
            2 usage error, unknown item, a mark that does not apply, or store error.
            """
    )

    /// The marks staff can record.
    enum State: String, ExpressibleByArgument, CaseIterable {
        case escalated, removed, falseReport = "false-report", reopen, note
    }

    @Argument(help: "The item's key, or one of its URLs.")
    var key: String

    @Argument(help: "escalated, removed, false-report, reopen or note.")
    var state: State

    @Option(help: "The platform it was escalated to (default: the item's own).")
    var to: String?

    @Option(help: "The platform's case or ticket reference.")
    var ref: String?

    @Option(help: "When it happened, if not now (2026-11-03T10:00:00Z, 2026-11-03 10:00 …).")
    var at: StoreDate?

    @Option(help: "A note to keep with the mark.")
    var note: String?

    @OptionGroup var store: StoreOption
    @OptionGroup var actor: ActorOption
    @OptionGroup var rules: RulesOption

    @Option(help: "The policy file, for the default response target (default: policy.yaml in the rules directory).")
    var policy: String?

    func validate() throws {
        if to != nil || ref != nil, state != .escalated {
            throw ValidationError("--to and --ref go with 'escalated' only")
        }
        if at != nil, state != .escalated && state != .removed {
            throw ValidationError("--at goes with 'escalated' and 'removed' only")
        }
        if state == .note && (note ?? "").isEmpty {
            throw ValidationError("'note' needs --note 'what happened'")
        }
    }

    func run() throws {
        let ruleSet = try rules.load()
        let recheckPolicy = try loadPolicy(explicit: policy, rulesDirectory: rules.rules)
        let mark: Mark = switch state {
        case .escalated: .escalated(to: to, reference: ref, at: at?.seconds)
        case .removed: .removed(at: at?.seconds)
        case .falseReport: .falseReport
        case .reopen: .reopen
        case .note: .note
        }
        do {
            let (key, note, by) = (key, note, actor.name)
            let outcome = try waitFor(closing: store.openAny()) { store in
                try await store.mark(key, mark, note: note, by: by, now: StoreTime.now(), policy: recheckPolicy, rules: ruleSet)
            }
            print(Self.describe(outcome, state: state))
        } catch {
            CLIError.exit("\(error)")
        }
    }

    static func describe(_ outcome: MarkOutcome, state: State) -> String {
        let item = outcome.item
        var line = item.key
        if let from = outcome.redirectedFrom { line += " (reached through the short link \(from))" }
        if state == .note {
            line += ": note recorded (\(item.status.rawValue))"
        } else {
            line += ": \(outcome.previous.rawValue) → \(item.status.rawValue)"
        }
        if let due = outcome.responseDueAt {
            line += "; response due by \(StoreTime.iso(due))"
        }
        if let next = item.nextCheckAt {
            line += "; next check \(StoreTime.iso(next))"
        }
        return line
    }
}
