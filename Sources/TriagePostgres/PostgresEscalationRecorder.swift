import PostgresNIO
public import TriageKit
public import TriageStore

/// `escalate --record` on PostgreSQL: the rows of an escalation list marked escalated, statement
/// for statement what SQLite's `EscalationRecorder` (through `ItemMarker`'s escalation mark)
/// writes, deciding through the same `Lifecycle`, so the same list leaves the same escalations,
/// items and transitions on either store.
///
/// One transaction. SQLite's recorder holds the store's write lock from its start, so two
/// recordings take turns; here a transaction-scoped advisory lock does that, and each item is
/// read `FOR UPDATE`, so that a worker recording a check on it waits (or is waited for) rather
/// than writing beside the escalation. Each row runs under a savepoint: one that fails (the item
/// was marked removed meanwhile) does not stop the others.
struct PostgresEscalationRecorder {
    let store: PostgresStore
    let lifecycle: Lifecycle
    let rules: RuleSet?
    var logger: Logger { store.logger }

    /// The advisory lock two `escalate --record` take turns under ("UrEs").
    static let recordingLock: Int64 = 0x5572_4573

    /// The part of an item an escalation reads.
    struct Item {
        var id: Int64
        var key: String
        var platform: String
        var state: ItemState
        var firstReportedAt: Int64
        var escalations: Int64
        var aliasOf: Int64?
    }

    func record(_ list: EscalationList, by: String, now: Int64) async -> EscalationRecorder.Outcome {
        do {
            return try await store.connection.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.recordingLock))", logger: logger)
                var outcome = EscalationRecorder.Outcome()
                for platform in list.platforms {
                    for row in platform.rows {
                        try await record(row, by: by, now: now, connection, into: &outcome)
                    }
                }
                return outcome
            }
        } catch {
            let failure = store.failure(error, doing: "recording the escalations")
            return EscalationRecorder.Outcome(failures: list.platforms.flatMap(\.rows).map { ($0.item.key, failure) })
        }
    }

    /// One row under a savepoint; throws only when the connection itself fails.
    private func record(_ row: EscalationList.Row, by: String, now: Int64, _ connection: PostgresConnection,
                        into outcome: inout EscalationRecorder.Outcome) async throws {
        let key = row.item.key
        try await connection.query("SAVEPOINT escalation_row", logger: logger)
        do {
            guard let item = try await fetch(key: key, connection) else {
                throw StoreError(.unknownItem, path: store.location, "no longer in the store")
            }
            // A merged short link is escalated as the item it leads to, as `ItemMarker` does.
            let target = try await item.aliasOf.asyncMap { try await fetch(id: $0, connection) } ?? item
            if target.escalations != Int64(row.item.escalationCount) {
                outcome.skipped.append(key)
            } else {
                try await escalate(target, note: "listed by urltriage escalate with score \(row.points.total)", by: by, now: now,
                                   connection)
                outcome.recorded += 1
            }
            try await connection.query("RELEASE SAVEPOINT escalation_row", logger: logger)
        } catch {
            try await connection.query("ROLLBACK TO SAVEPOINT escalation_row", logger: logger)
            outcome.failures.append((key, store.failure(error, doing: "recording \(key)")))
        }
    }

    /// `ItemMarker`'s escalation mark at `now`, to the item's own platform, without a reference.
    private func escalate(_ item: Item, note: String, by: String, now: Int64, _ connection: PostgresConnection) async throws {
        let name = item.key
        guard !item.state.status.isClosed && item.state.status != .removed else {
            throw StoreError(.invalidMark, path: store.location,
                             "\(name) is \(item.state.status.rawValue); only an item that may still be up is escalated "
                             + "(if it is up again, `urltriage mark \(name) reopen` first)")
        }
        if now < item.firstReportedAt - StoreTime.day {
            throw StoreError(.invalidMark, path: store.location,
                             "--at \(StoreTime.iso(now)) is before \(name) was first reported (\(StoreTime.iso(item.firstReportedAt))); "
                             + "give when it happened")
        }
        let platform = item.platform
        let hours = lifecycle.policy.responseHours(for: platform, rules: rules)
        let step = lifecycle.afterEscalation(item.state, at: now, responseHours: hours, now: now)
        let channel = rules?.platforms.first { $0.platform == platform }?.escalation?.channel
        var escalationID: Int64?
        for try await id in try await connection.query("""
            INSERT INTO escalations (item_id, platform, channel, escalated_at, reference, by, note, response_hours, response_due_at)
            VALUES (\(item.id), \(platform), \(channel), \(now), \(String?.none), \(by), \(note), \(Int64(hours)),
                    \(step.state.responseDueAt))
            RETURNING id
            """, logger: logger).decode(Int64.self) {
            escalationID = id
        }
        try await connection.query("""
            UPDATE items SET escalation_count = escalation_count + 1,
                last_escalated_at = greatest(coalesce(last_escalated_at, \(now)), \(now)) WHERE id = \(item.id)
            """, logger: logger)
        let state = step.state
        try await PostgresItemState.write(state, item: item.id, at: now, on: connection, logger: logger)
        // As `ItemRecord.apply`: the mark's why, then its note.
        let why = (step.why ?? "escalated") + " to \(platform)" + "; note: \(note)"
        try await connection.query("""
            INSERT INTO transitions (item_id, from_status, to_status, at, why, by, escalation_id)
            VALUES (\(item.id), \(item.state.status.rawValue), \(state.status.rawValue), \(now), \(why), \(by), \(escalationID))
            """, logger: logger)
    }

    // MARK: - Reading

    private static let columns = """
        id, key, platform, status, last_verdict, check_streak, next_check_at, response_due_at, removed_at, first_escalated_at,
        first_reported_at, escalation_count, alias_of
        """

    private func fetch(key: String, _ connection: PostgresConnection) async throws -> Item? {
        try await one(connection.query("SELECT \(unescaped: Self.columns) FROM items WHERE key = \(key) FOR UPDATE", logger: logger))
    }

    private func fetch(id: Int64, _ connection: PostgresConnection) async throws -> Item? {
        try await one(connection.query("SELECT \(unescaped: Self.columns) FROM items WHERE id = \(id) FOR UPDATE", logger: logger))
    }

    private func one(_ rows: PostgresRowSequence) async throws -> Item? {
        var found: Item?
        for try await (id, key, platform, status, verdict, streak, next, responseDue, removed, firstEscalated, firstReported,
                       escalations, alias)
            in rows.decode((Int64, String, String, String, String?, Int64, Int64?, Int64?, Int64?, Int64?, Int64, Int64, Int64?).self) {
            let state = ItemState(status: ItemStatus(rawValue: status) ?? .unknown, lastVerdict: verdict.flatMap(Verdict.init(rawValue:)),
                                  checkStreak: Int(streak), nextCheckAt: next, responseDueAt: responseDue, removedAt: removed,
                                  firstEscalatedAt: firstEscalated)
            found = Item(id: id, key: key, platform: platform, state: state, firstReportedAt: firstReported, escalations: escalations,
                         aliasOf: alias)
        }
        return found
    }
}

extension Optional {
    /// `map` for an async transform.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension PostgresStore {
    public func recordEscalations(_ list: EscalationList, policy: RecheckPolicy, rules: RuleSet?, by: String, now: Int64) async
        -> EscalationRecorder.Outcome {
        await PostgresEscalationRecorder(store: self, lifecycle: Lifecycle(policy: policy), rules: rules).record(list, by: by, now: now)
    }
}
