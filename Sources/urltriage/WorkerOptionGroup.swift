import ArgumentParser
import Foundation
import TriageKit
import TriageStore

/// `--worker NAME [--region LABEL]` for `recheck` and `watch`: take a share of the
/// recheck as one of several workers, with leases, instead of the whole store alone.
struct WorkerOptionGroup: ParsableArguments {
    @Option(help: "Run as the checker worker NAME, sharing due items with other workers through leases.")
    var worker: String?

    @Option(help: "The region this worker checks from (uk, de …), recorded on every check (needs --worker).")
    var region: String?

    @Option(help: "Seconds a claim holds without a heartbeat (needs --worker).")
    var lease: Int = 300

    @Option(help: "Items a worker claims at a time (needs --worker).")
    var batch: Int = 500

    func validate() throws {
        if let worker {
            guard !worker.isEmpty, worker.count <= 100, !worker.contains(where: \.isNewline) else {
                throw ValidationError("--worker takes a name of 1 to 100 characters on one line")
            }
        } else if region != nil {
            throw ValidationError("--region needs --worker: only a worker's checks record a region")
        }
        if let region, region.isEmpty || region.count > 100 || region.contains(where: \.isNewline) {
            throw ValidationError("--region takes a label of 1 to 100 characters on one line")
        }
        guard lease >= 2 else { throw ValidationError("--lease must be at least 2 seconds (got \(lease))") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1 (got \(batch))") }
    }

    /// The worker's options, or nil when this is a store-wide recheck.
    func options(by: String, limit: Int?, policyFile: String?) -> WorkerOptions? {
        guard let worker else { return nil }
        var options = WorkerOptions(identity: WorkerIdentity(name: worker, region: region, host: ProcessInfo.processInfo.hostName,
                                                             pid: Int(getpid())), by: by)
        options.leaseSeconds = Int64(lease)
        options.batch = batch
        options.limit = limit
        options.policyFile = policyFile
        return options
    }
}
