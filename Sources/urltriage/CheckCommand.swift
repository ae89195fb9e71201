public import ArgumentParser
import Foundation
public import TriageKit

/// `urltriage check [FILE|-]`: is the reported content still up?
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check whether each distinct reported item is still up: live, removed, restricted, unknown or error.",
        discussion: """
            Normalises and dedupes the batch, checks each distinct item once (short links are \
            resolved, and merge into the item they lead to), and prints one row per item with \
            the columns: key url verdict http_status final_url reason elapsed_ms. A progress line \
            goes to standard error when it is a terminal; a summary otherwise. By default the \
            checker never connects to loopback, private, link-local, CGNAT or multicast addresses, \
            nor asks a --proxy for them, and follows only http and https. A line that cannot be \
            checked gets a row with verdict error and the reason normalize gives. A host whose \
            attempts time out, reset or are refused --host-down-after times in a row is probed once \
            after --host-cooldown; if it still does not answer, its other items end as error. Exit status: 0 done; 1 when --fail-on names a verdict \
            that occurred; 2 usage or input error.
            """
    )

    @Argument(help: "A report file (text, CSV or JSON Lines); '-' or nothing for standard input.")
    var file: String = "-"

    @Option(help: "Output format: tsv, csv or jsonl.")
    var format: RowFormat = .tsv

    @Option(name: .customLong("input-format"), help: "Input format: text, csv or jsonl (default: from the file name, else sniffed).")
    var inputFormat: InputFormat?

    @Flag(help: "Read the input even if it looks like a binary file.")
    var allowBinary = false

    @Option(help: "Transfers in flight at once.")
    var concurrency = 64

    @Option(name: .customLong("per-host"), help: "Transfers in flight at once to one host.")
    var perHost = 4

    @Option(name: .customLong("host-interval"), help: "Milliseconds between two request starts on one host.")
    var hostInterval = 50

    @Option(name: .customLong("max-body"), help: "Body bytes read to match signatures, e.g. 262144, 256k, 1m; the transfer stops there.")
    var maxBody = ByteSize(bytes: 256 * 1024)

    @Option(help: "Seconds for one attempt at one URL, from the moment it leaves the queue.")
    var timeout: Double = 30

    @Option(name: .customLong("connect-timeout"), help: "Seconds to connect (DNS, TCP and TLS).")
    var connectTimeout: Double = 10

    @Option(help: "Further attempts after a timeout, a reset connection, a 5xx or a 429.")
    var retries = 3

    @Option(name: .customLong("host-down-after"), help: "Mark a host down for the run after this many attempts in a row time out, reset or are refused (0: never).")
    var hostDownAfter = 4

    @Option(name: .customLong("host-cooldown"), help: "Seconds a host marked down waits before one probe decides whether it is back.")
    var hostCooldown: Double = 5

    @Flag(name: .customLong("allow-private"), help: "Also connect to loopback, private, link-local, CGNAT and multicast addresses.")
    var allowPrivate = false

    @Option(help: "Trust the certificate authorities in this PEM file instead of the system's.")
    var cacert: String?

    @Option(help: "Send every request through this proxy (http://host:port, socks5h://host:port).")
    var proxy: String?

    @Option(name: .customLong("user-agent"), help: "The User-Agent header to send.")
    var userAgent: String?

    @Option(name: .customLong("connect-to"), help: "HOST:PORT:ADDR:PORT, as curl's --connect-to (an empty HOST or PORT matches any); repeatable.")
    var connectTo: [String] = []

    // A string checked in run(), so that a wrong verdict name exits with 2 like every usage error here.
    @Option(name: .customLong("fail-on"), help: "Exit with status 1 when any of these verdicts occur, e.g. removed,error.")
    var failOn: String?

    @Option(name: .customLong("event-loop"), help: .hidden)
    var eventLoop: EventLoopKind?

    @Flag(name: .shortAndLong, help: "Print neither progress nor summary.")
    var quiet = false

    @OptionGroup var rules: RulesOption

    func run() throws {
        let failVerdicts = failOn.map { text in
            guard let list = VerdictList(argument: text) else {
                CLIError.exit("--fail-on '\(text)': give verdicts separated by commas, from: \(VerdictList.allValueStrings.joined(separator: ", "))")
            }
            return list.verdicts
        }
        let ruleSet = try rules.load()
        let checker: LivenessChecker
        do {
            checker = try LivenessChecker(rules: ruleSet, options: options())
        } catch {
            CLIError.exit("\(error)")
        }
        let batch = try CheckInput.batch(file: file, format: inputFormat, allowBinary: allowBinary, rules: ruleSet)
        CheckInput.raiseDescriptorLimit(toAtLeast: concurrency * 2 + 64)
        let format = self.format
        let quiet = self.quiet
        let outcome = CheckSession.runBlocking {
            await CheckSession(batch: batch, format: format, quiet: quiet).run(with: checker)
        }
        if let failVerdicts, !outcome.verdictsSeen.isDisjoint(with: failVerdicts) {
            throw ExitCode(1)
        }
    }

    private func options() throws -> LivenessOptions {
        var options = LivenessOptions()
        options.concurrency = concurrency
        options.perHost = perHost
        options.hostInterval = .milliseconds(hostInterval)
        options.maxBodyBytes = maxBody.bytes
        options.timeout = .milliseconds(Int(timeout * 1000))
        options.connectTimeout = .milliseconds(Int(connectTimeout * 1000))
        options.retries = retries
        options.hostDownAfter = hostDownAfter
        options.hostCooldown = .milliseconds(Int(hostCooldown * 1000))
        options.allowPrivate = allowPrivate
        options.caCertificate = cacert
        options.proxy = proxy
        if let userAgent { options.userAgent = userAgent }
        options.connectTo = connectTo
        if let eventLoop { options.eventLoop = eventLoop }
        return options
    }
}

extension EventLoopKind: ExpressibleByArgument {}
