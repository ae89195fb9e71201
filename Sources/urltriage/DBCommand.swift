import ArgumentParser
import TriageKit
import TriageStore

/// `urltriage db …`: looking after the store file.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Check the case store's integrity, back it up while others write, or copy it into another store.",
        subcommands: [DBCheckCommand.self, DBBackupCommand.self, DBCopyCommand.self]
    )
}

/// `urltriage db check`: the schema, then the database's integrity and reference checks (SQLite or PostgreSQL).
struct DBCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that the store has every table and index, and run the database's integrity and reference checks.",
        discussion: "Exit status: 0 sound, 1 problems found (each printed), 2 the store cannot be opened."
    )

    @OptionGroup var store: StoreOption

    func run() throws {
        let backend = store.openAny(readOnly: true, verifiesSchema: false)
        let found: StoreIntegrity
        do {
            found = try waitFor(closing: backend) { try await $0.integrityCheck() }
        } catch {
            CLIError.exit("\(error)")
        }
        let shown = backend.location
        guard !found.problems.isEmpty else {
            print("\(shown): ok" + (found.notes.isEmpty ? "" : " (" + found.notes.joined(separator: "; ") + ")"))
            return
        }
        for problem in found.problems { print("\(shown): \(problem)") }
        print("\(found.problems.count) problem\(found.problems.count == 1 ? "" : "s"); \(found.advice)")
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

/// `urltriage db copy --from STORE --to STORE`: a whole store into a new one, SQLite or PostgreSQL.
struct DBCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole store, history included, into a new store: SQLite to PostgreSQL or back.",
        discussion: """
            Each of --from and --to is an SQLite file or postgres://USER[:PASS]@HOST[:PORT]/DB. The \
            target must be new or empty; on PostgreSQL the copy is one transaction. Afterwards the \
            stats of both stores are compared. Exit status: 0 copied and the stats agree, 1 the \
            stats differ, 2 a store cannot be opened or written.
            """
    )

    @Option(help: ArgumentHelp("The store to copy.", valueName: "path-or-url"))
    var from: String

    @Option(help: ArgumentHelp("The new store to copy into (created if need be).", valueName: "path-or-url"))
    var to: String

    func run() throws {
        let source = StoreOption(path: from).openTables()
        let target = StoreOption(path: to).openTables(create: true)
        let outcome: StoreCopy.Outcome
        do {
            outcome = try waitFor {
                let result: Result<StoreCopy.Outcome, any Error>
                do {
                    result = .success(try await StoreCopy.copy(from: source, to: target))
                } catch {
                    result = .failure(error)
                }
                await source.closeConnections()
                await target.closeConnections()
                return try result.get()
            }
        } catch {
            CLIError.exit("\(error)")
        }
        for table in outcome.tables { print("\(table.name): \(table.rows) rows") }
        guard outcome.verified else {
            print("\(source.location) → \(target.location): copied, but the stats of the two stores differ")
            throw ExitCode(1)
        }
        print("\(source.location) → \(target.location): copied; stats identical (\(outcome.targetStats.items) items, "
              + "\(outcome.targetStats.reports) reports)")
    }
}
