import ArgumentParser
import TriageKit
import TriageStore

/// `urltriage db …`: looking after the store file.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Check the case store's integrity, or back it up while others write.",
        subcommands: [DBCheckCommand.self, DBBackupCommand.self]
    )
}

/// `urltriage db check`: the schema, SQLite's integrity check and the foreign-key check.
struct DBCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that the store has every table and index, and run SQLite's integrity and foreign-key checks.",
        discussion: "Exit status: 0 sound, 1 problems found (each printed), 2 the store cannot be opened."
    )

    @OptionGroup var store: StoreOption

    func run() throws {
        let caseStore = store.open(readOnly: true, verifiesSchema: false)
        let problems: [String]
        do {
            problems = try StoreMaintenance.check(caseStore)
        } catch {
            CLIError.exit("\(error)")
        }
        guard !problems.isEmpty else {
            print("\(caseStore.path): ok")
            return
        }
        for problem in problems { print("\(caseStore.path): \(problem)") }
        print("\(problems.count) problem\(problems.count == 1 ? "" : "s"); restore the latest `urltriage db backup`, "
              + "or recover what SQLite can with `sqlite3 \(caseStore.path) .recover`")
        throw ExitCode(1)
    }
}

/// `urltriage db backup FILE`: a consistent copy through SQLite's online backup API.
struct DBBackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store to FILE with SQLite's online backup API, while others go on writing.",
        discussion: "Exit status: 0 copied, 2 the store cannot be read or FILE cannot be written."
    )

    @Argument(help: "The backup file to write.")
    var file: String

    @Flag(help: "Overwrite FILE if it exists.")
    var replace = false

    @OptionGroup var store: StoreOption

    func run() throws {
        let caseStore = store.open(readOnly: true)
        do {
            let pages = try StoreMaintenance.backup(caseStore, to: file, replace: replace)
            print("\(caseStore.path) → \(file): \(pages) pages copied")
        } catch {
            CLIError.exit("\(error)")
        }
    }
}
