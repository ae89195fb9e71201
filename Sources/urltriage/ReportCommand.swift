import ArgumentParser
import Foundation
import TriageKit
import TriageStore

/// `urltriage report`: the takedown report for managers and the annual report.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the takedown report: a self-contained HTML page and/or a Markdown summary.",
        discussion: """
            Cases and items per platform, TikTok's share, the takedown success rate, time to \
            removal (median, 90th percentile, distribution), shares removed within 24 hours and \
            7 days, escalated items still up past their target, and the trend by week. Every \
            headline figure is the one `urltriage stats --format json` gives. The HTML needs \
            nothing from the network, prints on A4 and reads on a phone. \
            Exit status: 0 done, 2 usage or store error.
            """
    )

    @Option(help: "Write the HTML page here.")
    var html: String?

    @Option(help: "Write the Markdown summary here ('-' for standard output).")
    var markdown: String?

    @Option(help: "Count only reports made, and items first reported, on or after this date (2026-11-01).")
    var since: StoreDate?

    @Option(help: "Weeks shown in the trend.")
    var weeks = 26

    @Option(help: "The report's title.")
    var title = "Takedown report"

    @Option(help: ArgumentHelp("Report as if it were this time (for reproducible reports).", visibility: .hidden))
    var now: StoreDate?

    @OptionGroup var store: StoreOption

    @OptionGroup var rules: RulesOption

    func validate() throws {
        if html == nil && markdown == nil { throw ValidationError("name a file to write: --html FILE and/or --markdown FILE") }
        if weeks < 1 || weeks > 520 { throw ValidationError("--weeks must be between 1 and 520") }
    }

    func run() throws {
        // Platform names are a nicety: a report is still written without rule files.
        let names = (try? rules.load()).map { ruleSet in
            Dictionary(ruleSet.platforms.map { ($0.platform, $0.displayName) }, uniquingKeysWith: { first, _ in first })
        } ?? [:]
        let caseStore = store.openAny(readOnly: true)
        var report: TakedownReport
        do {
            let (since, now, weeks) = (since?.seconds, now?.seconds ?? StoreTime.now(), weeks)
            report = try waitFor(closing: caseStore) {
                try await $0.report(since: since, now: now, weeks: weeks, platformNames: names)
            }
        } catch {
            CLIError.exit("\(error)")
        }
        report.routes = Self.routeLines(rules: rules.rules)
        if let html { write(report.html(title: title), to: html) }
        if let markdown { write(report.markdown(title: title), to: markdown) }
    }

    /// What the helpline does for each harm (policy.yaml `routes:`); none when the files do not load.
    static func routeLines(rules: String?) -> [HarmRouteLine] {
        guard let directory = RulesDirectory.locate(explicit: rules),
              let categories = try? HarmCategories.load(from: (directory as NSString).appendingPathComponent(HarmCategories.fileName)) else { return [] }
        let policy = RecheckPolicy.locate(explicit: nil, rulesDirectory: directory)
        let routes = policy.flatMap { try? HarmRoutesLoader.load(from: $0, categories: categories) } ?? HarmRoutesLoader.standard(for: categories)
        return HarmRouteLine.lines(categories: categories, routes: routes)
    }

    private func write(_ text: String, to path: String) {
        if path == "-" {
            let output = OutputSink.standardOutput()
            output.write(text)
            output.flush()
            return
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            Stderr.write("urltriage: wrote \(path)\n")
        } catch {
            CLIError.exit("\(path): cannot write the report: \(error.localizedDescription)")
        }
    }
}
