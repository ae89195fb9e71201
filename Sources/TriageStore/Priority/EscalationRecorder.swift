public import TriageKit

/// Records the items of an escalation list as escalated, through the store's own
/// escalation mark, so that the next list shows only what is new or overdue.
public struct EscalationRecorder: Sendable {
    let marker: ItemMarker

    public init(store: CaseStore, policy: RecheckPolicy, rules: RuleSet?) {
        marker = ItemMarker(store: store, policy: policy, rules: rules)
    }

    /// What recording did: how many items were marked, and the ones that could not be, with why.
    public struct Outcome: Sendable {
        public var recorded = 0
        public var failures: [(key: String, error: StoreError)] = []
        public var skipped: [String] = []
    }

    /// Marks every row of every platform in `list` escalated to its platform at `now`; the
    /// items that need a person are not marked. One item failing (marked removed by someone
    /// else meanwhile) does not stop the others.
    public func record(_ list: EscalationList, by: String, now: Int64) -> Outcome {
        var outcome = Outcome()
        for platform in list.platforms {
            for row in platform.rows {
                do {
                    _ = try marker.mark(row.item.key, .escalated(to: nil, reference: nil, at: now),
                                        note: "listed by urltriage escalate with score \(row.points.total)", by: by, now: now)
                    outcome.recorded += 1
                } catch {
                    outcome.failures.append((row.item.key, error))
                }
            }
        }
        return outcome
    }
}
