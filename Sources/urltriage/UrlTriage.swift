import ArgumentParser
import Foundation
import TriageKit

/// The `urltriage` command: a thin front over TriageKit.
@main
struct UrlTriage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "urltriage",
        abstract: "Normalise, classify and dedupe reported URLs for an online-safety helpline.",
        version: TriageKit.version,
        subcommands: [NormalizeCommand.self, RulesCommand.self, IngestCommand.self, CheckCommand.self,
                      EscalateCommand.self, RecheckCommand.self, WatchCommand.self, MarkCommand.self,
                      StatsCommand.self, DBCommand.self, ReportCommand.self, WorkersCommand.self,
                      ServeCommand.self, UserCommand.self]
    )

    /// Runs the command with the exit statuses the README promises: 0 done,
    /// 1 failures found (a command throws `ExitCode(1)`), 2 usage or input
    /// error. ArgumentParser's own default for usage errors would be 64.
    static func main() {
        let parsed: any ParsableCommand
        do {
            parsed = try parseAsRoot()
        } catch {
            exitWithStatus(for: error)
        }
        do {
            var command = parsed
            try command.run()
        } catch {
            exitWithStatus(for: error)
        }
    }

    private static func exitWithStatus(for error: any Error) -> Never {
        // --help, --version and deliberate exit codes keep ArgumentParser's handling.
        if error is ExitCode || exitCode(for: error) == .success { exit(withError: error) }
        Stderr.write(fullMessage(for: error) + "\n")
        Foundation.exit(2)
    }
}

/// Options every command that reads rule files shares.
struct RulesOption: ParsableArguments {
    @Option(name: .long, help: "The rules directory (default: $URLTRIAGE_RULES, ./rules, or the one beside the program).")
    var rules: String?

    func load() throws -> RuleSet {
        guard let path = RulesDirectory.locate(explicit: rules) else {
            throw ValidationError("no rules directory found: pass --rules DIR or set \(RulesDirectory.environmentVariable)")
        }
        do {
            return try RuleSet.load(from: path)
        } catch {
            throw CLIError.input("\(error)")
        }
    }
}

/// A failure that ends the command with a message and an exit status.
enum CLIError: Error, CustomStringConvertible {
    /// Bad input or usage: exit status 2.
    case input(String)
    var description: String {
        switch self {
        case .input(let message): message
        }
    }
}

extension CLIError {
    /// Prints the message and exits with status 2, as the README promises.
    static func exit(_ message: String) -> Never {
        Stderr.write("urltriage: \(message)\n")
        UrlTriage.exit(withError: ExitCode(2))
    }
}
