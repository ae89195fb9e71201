public import TriageKit

/// What to recheck and how to write it down.
public struct RecheckOptions: Sendable {
    /// Who runs the recheck (cron, a person), for the run and its transitions.
    public var by: String
    /// At most this many items in this run (nil: every item due).
    public var limit: Int?
    /// Items handed to the checker at a time.
    public var pageSize = RecheckOptions.defaultPageSize
    public static let defaultPageSize = 1000
    /// Results written per transaction. Small enough that a killed run loses few checks
    /// (they are simply checked again), large enough that commits cost little.
    public var resultsPerTransaction = 200

    public init(by: String, limit: Int? = nil) {
        self.by = by
        self.limit = limit
    }
}

/// What one recheck did.
public struct RecheckSummary: Sendable, Equatable {
    public var runID: Int64
    /// Items due when the run started.
    public var due: Int
    /// Checks recorded.
    public var checked = 0
    /// Checks per verdict.
    public var verdicts: [Verdict: Int] = [:]
    /// Status changes, by "from → to".
    public var transitions: [String: Int] = [:]
    /// Short links that resolved to another item and were merged into it.
    public var merged = 0
    /// Why the run stopped early (`SIGTERM` …), if it did.
    public var stoppedBy: String?
    /// The policy file used, or nil for the built-in defaults.
    public var policyFile: String?
    /// The worker that ran this round, and its region (nil for a store-wide recheck).
    public var worker: String?
    public var region: String?
    /// Results a worker dropped because its lease on the item had ended (another worker has it).
    public var lost = 0

    /// A few lines for the terminal (or the journal, under a timer).
    public var text: String {
        let who = worker.map { " (worker \($0)" + (region.map { ", region \($0)" } ?? "") + ")" } ?? ""
        var lines = ["recheck \(runID)\(who): \(due) item\(due == 1 ? "" : "s") due, \(checked) checked"
                     + (stoppedBy.map { "; stopped early by \($0)" } ?? "")]
        if !verdicts.isEmpty {
            let shown = Verdict.allCases.compactMap { verdict in verdicts[verdict].map { "\($0) \(verdict.rawValue)" } }
            lines.append("  verdicts: " + shown.joined(separator: ", "))
        }
        if !transitions.isEmpty {
            let shown = transitions.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.value) \($0.key)" }
            lines.append("  changes: " + shown.joined(separator: ", "))
        }
        if lost > 0 { lines.append("  \(lost) result\(lost == 1 ? "" : "s") dropped: the lease had ended and the item is another worker's") }
        if merged > 0 { lines.append("  \(merged) short link\(merged == 1 ? "" : "s") merged into the items they lead to") }
        lines.append("  policy: \(policyFile ?? "built-in defaults")")
        return lines.joined(separator: "\n")
    }
}
