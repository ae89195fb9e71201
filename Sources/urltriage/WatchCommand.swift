import ArgumentParser
import Foundation
import TriageKit
import TriageStore

/// `urltriage watch --every 1h`: `recheck` on a loop, for a long-running service.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Recheck due items now and then every interval, until stopped.",
        discussion: """
            Runs a recheck, waits the interval, and runs again. SIGTERM (systemctl stop) or \
            Ctrl-C stops it cleanly: the checks in hand are recorded and the run is marked \
            stopped. A round that finds another recheck running is skipped. Exit status: 0 \
            stopped, 2 usage or store error.
            """
    )

    @Option(help: "Time between the start of one round and the next: 30m, 1h, 6h …")
    var every: String = "1h"

    @OptionGroup var store: StoreOption
    @OptionGroup var recheck: RecheckOptionGroup
    @OptionGroup var checker: CheckerOptionGroup
    @OptionGroup var workerOptions: WorkerOptionGroup
    @OptionGroup var actor: ActorOption
    @OptionGroup var rules: RulesOption

    func validate() throws {
        guard let seconds = RecheckPolicy.parseDuration(every), seconds >= 1 else {
            throw ValidationError("--every takes a duration such as 30m, 1h or 6h, not '\(every)'")
        }
    }

    func run() throws {
        let interval = Double(RecheckPolicy.parseDuration(every) ?? 3600)
        let ruleSet = try rules.load()
        let policy = try recheck.policy(rulesDirectory: rules.rules)
        let liveness = try checker.make(rules: ruleSet)
        let stop = StopSignal.onTerminationSignals()
        let options = recheck.options(by: actor.name)
        let worker = workerOptions.options(by: actor.name, limit: options.limit, policyFile: policy.file)
        // A worker shares the store through leases; a store-wide recheck is the store's own
        // (SQLite's under the recheck lock, a shared store's as a worker round: `storeWideRecheck`).
        let shared = store.openAny()
        let runRound: @Sendable () async throws -> RecheckSummary
        if let worker {
            let round = WorkerRound(queue: shared.checkQueue(policy: policy, rules: ruleSet, by: actor.name),
                                    checker: liveness, log: { Stderr.write("urltriage: worker \(worker.identity.name): \($0)\n") })
            runRound = { try await round.run(worker, stop: stop) }
        } else {
            let rechecker = shared.storeWideRecheck(checker: liveness, policy: policy, rules: ruleSet, by: actor.name,
                                                   log: { Stderr.write("urltriage: \($0)\n") })
            runRound = { try await rechecker.run(options, stop: stop) }
        }
        let who = worker.map { " as worker \($0.identity.name)" + ($0.identity.region.map { " in region \($0)" } ?? "") } ?? ""
        Stderr.write("urltriage: watching \(store.shown)\(who), a recheck every \(every); SIGTERM or Ctrl-C stops\n")
        while !stop.isRequested {
            let started = StoreTime.now()
            do {
                let summary = try waitFor(runRound)
                print(summary.text)
                // Under systemd or a pipe, standard output is block-buffered; a round's summary should show now.
                fflush(nil)
            } catch let error as StoreError where error.kind == .recheckRunning {
                Stderr.write("urltriage: round skipped: \(error)\n")
            } catch where worker != nil {
                // A worker rides out a store that fails for a while: the next round tries again.
                Stderr.write("urltriage: round failed, trying again next round: \(error)\n")
            } catch {
                CLIError.exit("\(error)")
            }
            let elapsed = Double(StoreTime.now() - started)
            if stop.sleep(seconds: max(0, interval - elapsed)) { break }
        }
        try? waitFor { await shared.closeConnections() }
        Stderr.write("urltriage: watch stopped by \(stop.stopReason ?? "request")\n")
    }
}
