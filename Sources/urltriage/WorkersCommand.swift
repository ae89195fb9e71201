import ArgumentParser
import Foundation
import TriageKit
import TriageStore

/// `urltriage workers`: the checker workers a store has seen.
struct WorkersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers",
        abstract: "List the checker workers seen: region, last heartbeat, checks in the last hour, leases held.",
        discussion: """
            Workers are `recheck --worker NAME` and `watch --worker NAME` processes. A worker \
            whose last heartbeat is older than its lease is gone (stopped or killed); its leases \
            have ended and other workers take its items. Exit status: 0 done, 2 usage or store error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @OptionGroup var store: StoreOption

    func run() throws {
        let caseStore = store.openAny(readOnly: true)
        let now = StoreTime.now()
        let queue = caseStore.checkQueue(policy: .defaults, rules: nil, by: "")
        let workers: [WorkerStatus]
        do {
            workers = try waitFor { try await caseStore.closing { try await queue.workers(now: now) } }
        } catch {
            CLIError.exit("\(error)")
        }
        switch format {
        case .text:
            print(WorkerListing.text(workers, now: now))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(workers), as: UTF8.self))
        }
    }
}
