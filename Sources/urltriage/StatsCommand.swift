import ArgumentParser
import Foundation
import TriageKit
import TriageStore

/// `urltriage stats`: the store's takedown figures.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Reports, items, platforms and takedown figures from the case store.",
        discussion: """
            Takedown success rate (removed / escalated), time from first report and from \
            escalation to removal (median and 90th percentile), shares removed within 24 hours, \
            3 and 7 days, items gone before anyone escalated them, and items past their \
            platform's response target. JSON field names are a stable contract. \
            Exit status: 0 done, 2 usage or store error.
            """
    )

    /// How the figures are printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "Count only reports made, and items first reported, on or after this date (2026-11-01).")
    var since: StoreDate?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @OptionGroup var store: StoreOption

    func run() throws {
        let caseStore = store.openAny(readOnly: true)
        let stats: StoreStats
        do {
            let since = since?.seconds
            stats = try waitFor(closing: caseStore) { try await $0.stats(since: since, now: StoreTime.now()) }
        } catch {
            CLIError.exit("\(error)")
        }
        switch format {
        case .text:
            print(stats.text)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(stats), as: UTF8.self))
        }
    }
}
