import ArgumentParser
import TriageKit
import TriageStore

/// `urltriage recheck`: checks what is due under the policy and records what changed.
struct RecheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recheck",
        abstract: "Check every stored item that is due, and record verdicts and status changes.",
        discussion: """
            Due items are those the policy (rules/policy.yaml) says to check again: new items at \
            once, live and escalated ones daily, doubtful verdicts sooner with backoff, removals \
            once more to confirm. Only one recheck runs on a store at a time. SIGTERM or Ctrl-C \
            stops it cleanly. Exit status: 0 done, 2 usage or store error, 75 another recheck \
            is running (try again later).
            """
    )

    @Flag(name: .customLong("dry-run"), help: "Only count what is due now, by status; check nothing.")
    var dryRun = false

    @OptionGroup var store: StoreOption
    @OptionGroup var recheck: RecheckOptionGroup
    @OptionGroup var checker: CheckerOptionGroup
    @OptionGroup var workerOptions: WorkerOptionGroup
    @OptionGroup var actor: ActorOption
    @OptionGroup var rules: RulesOption

    func run() throws {
        if workerOptions.worker != nil && !dryRun {
            try runWorker()
            return
        }
        if dryRun {
            do {
                let now = StoreTime.now()
                print(try waitFor(closing: store.openAny(readOnly: true)) { try await $0.duePreview(now: now) }.text)
            } catch {
                CLIError.exit("\(error)")
            }
            return
        }
        // On SQLite one recheck at a time under the recheck lock; on a shared store a worker
        // round under the name recheck@HOST (the store decides, `storeWideRecheck`).
        let backend = store.openAny()
        let ruleSet = try rules.load()
        let policy = try recheck.policy(rulesDirectory: rules.rules)
        let liveness = try checker.make(rules: ruleSet)
        let stop = StopSignal.onTerminationSignals()
        let rechecker = backend.storeWideRecheck(checker: liveness, policy: policy, rules: ruleSet, by: actor.name,
                                                   log: { Stderr.write("urltriage: \($0)\n") })
        let options = recheck.options(by: actor.name)
        try report { try waitFor { try await backend.closing { try await rechecker.run(options, stop: stop) } } }
    }

    /// One round as a checker worker, on either kind of store.
    private func runWorker() throws {
        let caseStore = store.openAny()
        let ruleSet = try rules.load()
        let policy = try recheck.policy(rulesDirectory: rules.rules)
        let liveness = try checker.make(rules: ruleSet)
        let stop = StopSignal.onTerminationSignals()
        guard let worker = workerOptions.options(by: actor.name, limit: recheck.limit, policyFile: policy.file) else { return }
        let round = WorkerRound(queue: caseStore.checkQueue(policy: policy, rules: ruleSet, by: actor.name), checker: liveness,
                                log: { Stderr.write("urltriage: worker \(worker.identity.name): \($0)\n") })
        try report { try waitFor { try await caseStore.closing { try await round.run(worker, stop: stop) } } }
    }

    /// Prints a round's summary, or ends the command as its failure says.
    private func report(_ round: () throws -> RecheckSummary) throws {
        do {
            print(try round().text)
        } catch let error as StoreError where error.kind == .recheckRunning {
            Stderr.write("urltriage: skipped: \(error)\n")
            throw ExitCode(75)
        } catch {
            CLIError.exit("\(error)")
        }
    }
}

/// Options shared by `recheck` and `watch` about what to check.
struct RecheckOptionGroup: ParsableArguments {
    @Option(help: "The policy file (default: policy.yaml in the rules directory, else built-in defaults).")
    var policy: String?

    @Option(help: "Check at most this many items in one run (the most overdue first).")
    var limit: Int?

    func options(by: String) -> RecheckOptions {
        RecheckOptions(by: by, limit: limit)
    }

    func policy(rulesDirectory: String?) throws -> RecheckPolicy {
        try loadPolicy(explicit: policy, rulesDirectory: rulesDirectory)
    }
}

/// The policy file named, or the rules directory's `policy.yaml`, or the built-in defaults.
func loadPolicy(explicit: String?, rulesDirectory explicitRules: String?) throws -> RecheckPolicy {
    let directory = RulesDirectory.locate(explicit: explicitRules)
    guard let path = RecheckPolicy.locate(explicit: explicit, rulesDirectory: directory) else { return .defaults }
    do {
        return try RecheckPolicy.load(from: path)
    } catch {
        throw CLIError.input("\(error)")
    }
}

/// How the liveness checker connects: a few of `check`'s options, for `recheck` and `watch`.
struct CheckerOptionGroup: ParsableArguments {
    @Option(help: "Transfers in flight at once.")
    var concurrency: Int?

    @Option(name: .customLong("per-host"), help: "Transfers in flight at once to one host.")
    var perHost: Int?

    @Option(help: "Seconds for one attempt at one URL.")
    var timeout: Int?

    @Option(help: "Further attempts after a timeout, a reset connection, a 5xx or a 429.")
    var retries: Int?

    @Flag(name: .customLong("allow-private"), help: "Also connect to loopback and private addresses (local test servers only).")
    var allowPrivate = false

    @Option(help: "Trust the certificate authorities in this PEM file instead of the system's.")
    var cacert: String?

    @Option(help: "Send every request through this proxy (http://host:port, socks5h://host:port).")
    var proxy: String?

    @Option(name: .customLong("connect-to"), help: "HOST:PORT:ADDR:PORT, as curl's --connect-to; repeatable.")
    var connectTo: [String] = []

    func make(rules: RuleSet) throws -> LivenessChecker {
        do {
            return try LivenessChecker(rules: rules, options: try livenessOptions())
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.input("\(error)")
        }
    }

    /// The options as given (`serve` hands them to the checks it runs).
    func livenessOptions() throws -> LivenessOptions {
        var options = LivenessOptions()
        if let concurrency { options.concurrency = concurrency }
        if let perHost { options.perHost = perHost }
        if let timeout { options.timeout = .seconds(timeout) }
        if let retries { options.retries = retries }
        options.allowPrivate = allowPrivate
        options.caCertificate = cacert
        options.proxy = proxy
        options.connectTo = connectTo
        return options
    }
}
