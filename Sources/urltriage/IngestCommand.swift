import ArgumentParser
import TriageKit
import TriageStore

/// `urltriage ingest FILE…`: a day's reports into the case store.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Store a batch of reports: every URL a report, every piece of content an item.",
        discussion: """
            Reads text, CSV (columns url, reported_at, reporter or school, category, notes, \
            and their usual synonyms) or JSON Lines. Items are deduplicated against everything \
            stored before. Ingesting the same file again adds nothing; an ingest that was cut \
            short is finished by running it again. Exit status: 0 done, 2 usage, input or store error.
            """
    )

    @Argument(help: "Report files (text, CSV or JSON Lines); '-' for standard input.")
    var files: [String]

    @OptionGroup var store: StoreOption

    @Option(name: .customLong("input-format"), help: "Input format: text, csv or jsonl (default: from the file name, else sniffed).")
    var inputFormat: InputFormat?

    @Option(name: .customLong("reported-at"), help: "When reports without a time of their own were made (default: now).")
    var reportedAt: StoreDate?

    @Option(help: "The reporter for reports that name none.")
    var reporter: String?

    @Option(help: "The school or organisation for reports that name none.")
    var school: String?

    @Option(help: "The harm category for reports that give none.")
    var category: String?

    @Flag(help: "Read a file even if it looks binary.")
    var allowBinary = false

    @OptionGroup var actor: ActorOption

    @OptionGroup var rules: RulesOption

    func validate() throws {
        if let reportedAt, reportedAt.seconds > StoreTime.now() + StoreTime.day {
            throw ValidationError("--reported-at \(StoreTime.iso(reportedAt.seconds)) is in the future; give when the reports were made")
        }
    }

    func run() throws {
        let ruleSet = try rules.load()
        // The store is created (or opened) only once a file has passed its first reading: a
        // rejected file leaves no empty store behind.
        var caseStore: (any CaseStoreBackend)?
        for file in files {
            let input: StoreIngester.Input
            do {
                input = try StoreIngester.prepare(path: file, format: inputFormat, allowBinary: allowBinary)
            } catch {
                CLIError.exit("\(error)")
            }
            let current = caseStore ?? store.openAny(create: true, mapsForReads: false)
            caseStore = current
            var options = IngestOptions(by: actor.name, now: StoreTime.now())
            options.format = inputFormat
            options.allowBinary = allowBinary
            options.reportedAt = reportedAt?.seconds
            options.reporter = reporter
            options.organisation = school
            options.category = category
            do {
                let summary = try waitFor { [options] in try await current.ingest(input, rules: ruleSet, options: options) }
                print(summary.text)
            } catch {
                CLIError.exit("\(error)")
            }
        }
        if let caseStore { try? waitFor { await caseStore.closeConnections() } }
    }
}
