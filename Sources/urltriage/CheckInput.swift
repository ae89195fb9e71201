import Foundation
import TriageKit

/// Reading a batch for `check`: the distinct items to check, and a row for each line it cannot check.
enum CheckInput {
    /// Extracts, normalises and dedupes the batch; input errors end the command with status 2.
    static func batch(file: String, format: InputFormat?, allowBinary: Bool, rules: RuleSet) throws -> CheckBatch {
        do {
            return try CheckBatch.read(ReportReader(path: file, format: format, allowBinary: allowBinary), rules: rules)
        } catch {
            CLIError.exit("\(error)")
        }
    }

    /// Each transfer needs a descriptor; the soft limit is raised toward the hard one.
    static func raiseDescriptorLimit(toAtLeast wanted: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(wanted) else { return }
        limit.rlim_cur = min(limit.rlim_max, rlim_t(wanted))
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
