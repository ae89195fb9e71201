public import ArgumentParser
import Foundation
import TriageKit
public import TriageStore
import TriageWeb

/// `urltriage user …`: the web app's accounts, from the machine that holds the store.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, list, disable, or set the password of the web app's accounts.",
        subcommands: [UserAddCommand.self, UserListCommand.self, UserDisableCommand.self, UserPasswdCommand.self]
    )
}

extension AccountRole: ExpressibleByArgument {}

/// Reads a password: from the terminal without echo, twice; or the first line of standard input.
enum PasswordInput {
    static func read(for name: String) throws -> String {
        let password: String
        if isatty(0) == 1 {
            guard let first = prompt("New password for \(name): "), let second = prompt("Again: ") else {
                throw CLIError.input("no password given")
            }
            guard first == second else { throw CLIError.input("the two passwords differ; nothing was changed") }
            password = first
        } else {
            guard let line = Swift.readLine(strippingNewline: true) else { throw CLIError.input("no password on standard input") }
            password = line
        }
        if let weakness = Passwords.weakness(password) { throw CLIError.input("\(weakness); nothing was changed") }
        return password
    }

    private static func prompt(_ text: String) -> String? {
        guard let pointer = getpass(text) else { return nil }
        return String(cString: pointer)
    }
}

struct UserAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an account (password from a prompt, or the first line of standard input).",
        discussion: "Roles: admin (manages accounts), caseworker (works cases), viewer (reads, changes nothing). Exit status: 0 added, 2 error."
    )

    @Argument(help: "The account's name, as marks will record it.")
    var name: String

    @Option(help: "admin, caseworker or viewer.")
    var role: AccountRole

    @OptionGroup var store: StoreOption
    @OptionGroup var actor: ActorOption

    func run() throws {
        let password = try PasswordInput.read(for: name)
        let (name, role, by) = (name, role, actor.name)
        do {
            let account = try waitFor(closing: store.openAny(create: true)) { store in
                try await store.accounts.add(name: name, role: role, passwordHash: try await Passwords.hash(password), by: by,
                                       now: StoreTime.now())
            }
            print("added \(account.name) (\(account.role.rawValue))")
        } catch let error as AccountError {
            CLIError.exit(error.message)
        }
    }
}

struct UserListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")

    @OptionGroup var store: StoreOption

    func run() throws {
        for account in try waitFor(closing: store.openAny(), { store in try await store.accounts.list() }) {
            let state = account.disabledAt.map { "disabled \(StoreTime.iso($0))" } ?? "active"
            print("\(account.name)\t\(account.role.rawValue)\t\(state)\tadded \(StoreTime.iso(account.createdAt)) by \(account.createdBy)")
        }
    }
}

struct UserDisableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Disable an account and sign it out everywhere (its marks keep its name).")

    @Argument var name: String
    @OptionGroup var store: StoreOption

    func run() throws {
        let name = name
        do {
            try waitFor(closing: store.openAny()) { store in try await store.accounts.disable(name: name, now: StoreTime.now()) }
            print("disabled \(name)")
        } catch let error as AccountError {
            CLIError.exit(error.message)
        }
    }
}

struct UserPasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd", abstract: "Set an account's password (and enable it again); signs it out everywhere.")

    @Argument var name: String
    @OptionGroup var store: StoreOption

    func run() throws {
        let password = try PasswordInput.read(for: name)
        let name = name
        do {
            try waitFor(closing: store.openAny()) { store in
                try await store.accounts.setPassword(name: name, passwordHash: try await Passwords.hash(password), now: StoreTime.now())
            }
            print("password set for \(name)")
        } catch let error as AccountError {
            CLIError.exit(error.message)
        }
    }
}
