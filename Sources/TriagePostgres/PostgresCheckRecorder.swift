import PostgresNIO
import TriageKit
import TriageStore

/// Writes check results into a PostgreSQL store, in the caller's transaction: the check,
/// the item's new state and next check, the transition when its status changed, and a
/// short link folded into the item it leads to. Statement for statement what the SQLite
/// store's recorder writes, deciding through the same `CheckStep`, so the same results
/// leave the same statuses, transitions and checks on either store.
struct PostgresCheckRecorder {
    let lifecycle: Lifecycle
    let rules: RuleSet?
    let runID: Int64?
    let by: String
    let worker: String?
    let region: String?
    let logger: Logger

    /// The part of an item that recording reads.
    struct Item {
        var id: Int64
        var key: String
        var status: ItemStatus
        var state: ItemState
        var aliasOf: Int64?
        var category: String?
        var firstReportedAt: Int64
        var lastReportedAt: Int64
        var reports: Int64
        var escalations: Int64
        var firstEscalatedAt: Int64?
        var responseDueAt: Int64?
    }

    /// Records `results` on `connection` and says what that changed (nothing is lost here: the
    /// caller keeps only results under a held lease); results for keys the store does not hold are skipped.
    func record(_ results: [CheckResult], connection: PostgresConnection) async throws -> QueueRecording {
        var tally = QueueRecording()
        for result in results {
            guard var item = try await fetch(key: result.key, connection) else { continue }
            let checkedAt = CheckStep.seconds(result)
            if let resolved = result.resolvedKey, resolved != item.key, item.status != .merged {
                item = try await merge(shortLink: item, into: resolved, result: result, at: checkedAt, connection)
                tally.merged += 1
            } else if let target = item.aliasOf, let resolvedItem = try await fetch(id: target, connection) {
                // Checked through a short link merged earlier: the verdict is the target's.
                item = resolvedItem
            }
            let checkID = try await insertCheck(result, itemID: item.id, at: checkedAt, connection)
            var upVerdict: Verdict?
            if CheckStep.needsOtherRegions(result, region: region), let region {
                upVerdict = try await upElsewhere(itemID: item.id, notIn: region, connection)
            }
            let step = CheckStep.after(result, state: item.state, region: region, upElsewhere: upVerdict, lifecycle: lifecycle,
                                       at: checkedAt)
            try await apply(step, to: item, at: checkedAt, checkID: checkID, connection)
            tally.checked += 1
            tally.verdicts[result.verdict, default: 0] += 1
            if step.state.status != item.status {
                tally.transitions["\(item.status.rawValue) → \(step.state.status.rawValue)", default: 0] += 1
            }
        }
        return tally
    }

    // MARK: - Reading

    private static let columns = """
        id, key, status, last_verdict, check_streak, next_check_at, response_due_at, removed_at, first_escalated_at, alias_of,
        category, first_reported_at, last_reported_at, report_count, escalation_count
        """

    private func fetch(key: String, _ connection: PostgresConnection) async throws -> Item? {
        try await one(connection.query("SELECT \(unescaped: Self.columns) FROM items WHERE key = \(key)", logger: logger))
    }

    private func fetch(id: Int64, _ connection: PostgresConnection) async throws -> Item? {
        try await one(connection.query("SELECT \(unescaped: Self.columns) FROM items WHERE id = \(id)", logger: logger))
    }

    private func one(_ rows: PostgresRowSequence) async throws -> Item? {
        for try await (id, key, status, verdict, streak, next, responseDue, removed, firstEscalated, alias, category, firstReported,
                       lastReported, reports, escalations)
            in rows.decode((Int64, String, String, String?, Int64, Int64?, Int64?, Int64?, Int64?, Int64?, String?, Int64, Int64,
                            Int64, Int64).self) {
            let status = ItemStatus(rawValue: status) ?? .unknown
            let state = ItemState(status: status, lastVerdict: verdict.flatMap(Verdict.init(rawValue:)), checkStreak: Int(streak),
                                  nextCheckAt: next, responseDueAt: responseDue, removedAt: removed, firstEscalatedAt: firstEscalated)
            return Item(id: id, key: key, status: status, state: state, aliasOf: alias, category: category,
                        firstReportedAt: firstReported, lastReportedAt: lastReported, reports: reports, escalations: escalations,
                        firstEscalatedAt: firstEscalated, responseDueAt: responseDue)
        }
        return nil
    }

    /// The verdicts of the latest checks in regions other than `region`, reduced as `CheckStep.up` does.
    private func upElsewhere(itemID: Int64, notIn region: String, _ connection: PostgresConnection) async throws -> Verdict? {
        var verdicts: [Verdict] = []
        for try await verdict in try await connection.query("""
            SELECT c.verdict FROM checks c
            WHERE c.item_id = \(itemID) AND c.region IS NOT NULL AND c.region <> \(region)
              AND c.id = (SELECT max(d.id) FROM checks d WHERE d.item_id = c.item_id AND d.region = c.region)
            """, logger: logger).decode(String.self) {
            if let verdict = Verdict(rawValue: verdict) { verdicts.append(verdict) }
        }
        return CheckStep.up(among: verdicts)
    }

    // MARK: - Writing

    private func insertCheck(_ result: CheckResult, itemID: Int64, at checkedAt: Int64, _ connection: PostgresConnection) async throws
        -> Int64 {
        let rows = try await connection.query("""
            INSERT INTO checks (item_id, run_id, checked_at, url, verdict, http_status, final_url, redirects, reason,
                                elapsed_ms, resolved_key, worker, region)
            VALUES (\(itemID), \(runID), \(checkedAt), \(result.url), \(result.verdict.rawValue), \(result.httpStatus.map(Int64.init)),
                    \(result.finalURL), \(Int64(result.redirects)), \(result.reason), \(Int64(result.elapsedMilliseconds)),
                    \(result.resolvedKey), \(worker), \(region))
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        throw StoreError(.database, path: "checks", "a check was not written")
    }

    /// The new state, and the transition when the status changed (as `ItemRecord.apply` for a check).
    private func apply(_ step: Lifecycle.Step, to item: Item, at now: Int64, checkID: Int64,
                       _ connection: PostgresConnection) async throws {
        let state = step.state
        try await PostgresItemState.write(state, item: item.id, at: now, checked: true, on: connection, logger: logger)
        guard state.status != item.status, let why = step.why else { return }
        try await connection.query("""
            INSERT INTO transitions (item_id, from_status, to_status, at, why, by, check_id)
            VALUES (\(item.id), \(item.status.rawValue), \(state.status.rawValue), \(now), \(why), \(by), \(checkID))
            """, logger: logger)
    }

    // MARK: - Short links

    /// Folds a short link into the item it leads to (created if the store has never seen it):
    /// the target takes over its counts and reporters, and the short link is closed as merged.
    /// Returns the target.
    private func merge(shortLink short: Item, into key: String, result: CheckResult, at now: Int64,
                       _ connection: PostgresConnection) async throws -> Item {
        if try await fetch(key: key, connection) == nil {
            let (platform, type, canonical) = CheckStep.describe(key: key, finalURL: result.finalURL ?? result.url, rules: rules)
            try await connection.query("""
                INSERT INTO items (key, platform, type, canonical_url, category, first_reported_at, last_reported_at,
                                   status, status_since, next_check_at)
                VALUES (\(key), \(platform), \(type), \(canonical), \(short.category), \(short.firstReportedAt),
                        \(short.lastReportedAt), 'new', \(now), NULL)
                """, logger: logger)
        }
        guard let target = try await fetch(key: key, connection) else { return short }
        try await connection.query("""
            INSERT INTO item_reporters (item_id, who) SELECT \(target.id), who FROM item_reporters WHERE item_id = \(short.id)
            ON CONFLICT DO NOTHING
            """, logger: logger)
        // A target still new takes the short link's status when the short link had been escalated.
        let escalatedStatus: String? = short.firstEscalatedAt != nil ? short.status.rawValue : nil
        try await connection.query("""
            UPDATE items SET report_count = report_count + \(short.reports),
                reporter_count = (SELECT count(*) FROM item_reporters WHERE item_id = \(target.id)),
                first_reported_at = least(first_reported_at, \(short.firstReportedAt)),
                last_reported_at = greatest(last_reported_at, \(short.lastReportedAt)),
                category = coalesce(category, \(short.category)),
                first_escalated_at = coalesce(first_escalated_at, \(short.firstEscalatedAt)),
                last_escalated_at = coalesce(last_escalated_at, \(short.firstEscalatedAt)),
                escalation_count = escalation_count + \(short.escalations),
                response_due_at = coalesce(response_due_at, \(short.responseDueAt)),
                status = CASE WHEN status = 'new' THEN coalesce(\(escalatedStatus), status) ELSE status END
            WHERE id = \(target.id)
            """, logger: logger)
        try await connection.query("""
            UPDATE items SET status = 'merged', status_since = \(now), alias_of = \(target.id), next_check_at = NULL
            WHERE id = \(short.id)
            """, logger: logger)
        try await connection.query("""
            INSERT INTO transitions (item_id, from_status, to_status, at, why, by)
            VALUES (\(short.id), \(short.status.rawValue), 'merged', \(now), \(CheckStep.mergedWhy(into: key)), \(by))
            """, logger: logger)
        return try await fetch(id: target.id, connection) ?? target
    }
}
