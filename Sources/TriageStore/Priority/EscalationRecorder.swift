internal import GRDB
public import TriageKit

/// Records the items of an escalation list as escalated, through the store's own
/// escalation mark, so that the next list shows only what is new or overdue.
public struct EscalationRecorder: Sendable {
    let marker: ItemMarker

    public init(store: CaseStore, policy: RecheckPolicy, rules: RuleSet?) {
        marker = ItemMarker(store: store, policy: policy, rules: rules)
    }

    /// What recording did: how many items were marked, those another run had recorded since
    /// the list was made (skipped), and the ones that could not be, with why.
    public struct Outcome: Sendable {
        public var recorded = 0
        public var failures: [(key: String, error: StoreError)] = []
        /// Items escalated by someone else between the list and its recording: not recorded again.
        public var skipped: [String] = []

        public init(recorded: Int = 0, failures: [(key: String, error: StoreError)] = [], skipped: [String] = []) {
            self.recorded = recorded
            self.failures = failures
            self.skipped = skipped
        }
    }

    /// Marks every row of every platform in `list` escalated to its platform at `now`; the
    /// items that need a person are not marked.
    ///
    /// All in one transaction that holds the store's write lock from its start, so that two
    /// `escalate --record` at once take turns: the second finds the items the first recorded
    /// (their escalation count moved on from the one its list shows) and skips them. One item
    /// failing (marked removed by someone else meanwhile) does not stop the others.
    public func record(_ list: EscalationList, by: String, now: Int64) -> Outcome {
        var outcome = Outcome()
        let store = marker.store
        do {
            try store.pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    outcome = Outcome()
                    for platform in list.platforms {
                        for row in platform.rows {
                            record(row, by: by, now: now, db: db, into: &outcome)
                        }
                    }
                    return .commit
                }
            }
        } catch {
            let failure = store.failure(error, doing: "recording the escalations")
            outcome = Outcome(failures: list.platforms.flatMap(\.rows).map { ($0.item.key, failure) })
        }
        return outcome
    }

    private func record(_ row: EscalationList.Row, by: String, now: Int64, db: Database, into outcome: inout Outcome) {
        let key = row.item.key
        do {
            try db.inSavepoint {
                guard let item = try ItemRecord.fetch(db, key: key) else {
                    throw StoreError(.unknownItem, path: marker.store.path, "no longer in the store")
                }
                let target = try item.aliasOf.flatMap { try ItemRecord.fetch(db, id: $0) } ?? item
                guard target.escalations == row.item.escalationCount else {
                    outcome.skipped.append(key)
                    return .commit
                }
                _ = try marker.mark(item, .escalated(to: nil, reference: nil, at: now),
                                    note: "listed by urltriage escalate with score \(row.points.total)", by: by, now: now, db: db)
                outcome.recorded += 1
                return .commit
            }
        } catch {
            outcome.failures.append((key, marker.store.failure(error, doing: "recording \(key)")))
        }
    }
}
