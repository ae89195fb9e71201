import Foundation
import TriageKit

/// Reading a batch for `check`: the distinct items to check.
enum CheckInput {
    /// Extracts, normalises and dedupes the batch; input errors end the command with status 2.
    static func items(file: String, format: InputFormat?, allowBinary: Bool, rules: RuleSet) throws -> [DedupeIndex.Item] {
        let normalizer = BatchNormalizer(rules: rules, keepsItems: true)
        let reader = ReportReader(path: file, format: format, allowBinary: allowBinary)
        do {
            try reader.read { record in
                normalizer.process(line: record.line, text: record.text, problem: record.problem) { _ in }
            }
        } catch {
            CLIError.exit("\(error)")
        }
        return normalizer.dedupe.items
    }

    /// Each transfer needs a descriptor; the soft limit is raised toward the hard one.
    static func raiseDescriptorLimit(toAtLeast wanted: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(wanted) else { return }
        limit.rlim_cur = min(limit.rlim_max, rlim_t(wanted))
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
