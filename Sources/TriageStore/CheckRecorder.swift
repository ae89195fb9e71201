import Foundation
internal import GRDB
import TriageKit

/// Writes check results into the store: the check with its evidence, the item's
/// new state and next check, and the transition when its status changed, all in
/// the caller's transaction, so that a check is never half-written.
struct CheckRecorder {
    let lifecycle: Lifecycle
    /// For classifying where a short link led, when it has to become a new item.
    let rules: RuleSet?
    let runID: Int64?
    let by: String
    /// The worker that made the checks, and its region (nil for a store-wide recheck).
    var worker: String? = nil
    var region: String? = nil

    /// What recording a batch of results changed.
    struct Tally {
        var checked = 0
        var verdicts: [Verdict: Int] = [:]
        var transitions: [String: Int] = [:]
        var merged = 0
    }

    /// Records `results` on `db`; results for keys the store does not hold are skipped.
    func record(_ results: [CheckResult], db: Database) throws -> Tally {
        var tally = Tally()
        for result in results {
            guard var item = try ItemRecord.fetch(db, key: result.key) else { continue }
            let checkedAt = CheckStep.seconds(result)
            if let resolved = result.resolvedKey, resolved != item.key, item.status != .merged {
                item = try merge(shortLink: item, into: resolved, result: result, at: checkedAt, db: db)
                tally.merged += 1
            } else if let target = item.aliasOf, let resolvedItem = try ItemRecord.fetch(db, id: target) {
                // Checked through a short link merged earlier: the verdict is the target's.
                item = resolvedItem
            }
            let checkID = try insertCheck(result, itemID: item.id, at: checkedAt, db: db)
            let upVerdict = CheckStep.needsOtherRegions(result, region: region)
                ? try Self.upElsewhere(itemID: item.id, notIn: region ?? "", db: db) : nil
            let step = CheckStep.after(result, state: item.state, region: region, upElsewhere: upVerdict, lifecycle: lifecycle,
                                       at: checkedAt)
            try ItemRecord.apply(step, to: item, db: db, at: checkedAt, by: by, checkID: checkID, lastCheckedAt: checkedAt)
            tally.checked += 1
            tally.verdicts[result.verdict, default: 0] += 1
            if step.state.status != item.status {
                tally.transitions["\(item.status.rawValue) → \(step.state.status.rawValue)", default: 0] += 1
            }
        }
        return tally
    }

    /// The verdict (live or restricted) of the latest check in another region than `region`
    /// that found the item up, if there is one.
    static func upElsewhere(itemID: Int64, notIn region: String, db: Database) throws -> Verdict? {
        let latest = try db.cachedStatement(sql: """
            SELECT c.verdict FROM checks c
            WHERE c.item_id = ? AND c.region IS NOT NULL AND c.region <> ?
              AND c.id = (SELECT max(d.id) FROM checks d WHERE d.item_id = c.item_id AND d.region = c.region)
            """)
        return CheckStep.up(among: try String.fetchAll(latest, arguments: [itemID, region]).compactMap(Verdict.init(rawValue:)))
    }

    private func insertCheck(_ result: CheckResult, itemID: Int64, at checkedAt: Int64, db: Database) throws -> Int64 {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO checks (item_id, run_id, checked_at, url, verdict, http_status, final_url, redirects, reason,
                                elapsed_ms, resolved_key, worker, region)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try insert.execute(arguments: [itemID, runID, checkedAt, result.url, result.verdict.rawValue, result.httpStatus,
                                       result.finalURL, result.redirects, result.reason, result.elapsedMilliseconds,
                                       result.resolvedKey, worker, region])
        return db.lastInsertedRowID
    }

    // MARK: - Short links

    /// Folds a short link into the item it leads to (created if the store has never seen it):
    /// the target takes over its counts and reporters, and the short link is closed as merged.
    /// Returns the target.
    private func merge(shortLink short: ItemRecord, into key: String, result: CheckResult, at now: Int64,
                       db: Database) throws -> ItemRecord {
        if try ItemRecord.fetch(db, key: key) == nil {
            let (platform, type, canonical) = CheckStep.describe(key: key, finalURL: result.finalURL ?? result.url, rules: rules)
            try db.execute(sql: """
                INSERT INTO items (key, platform, type, canonical_url, category, first_reported_at, last_reported_at,
                                   status, status_since, next_check_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'new', ?, NULL)
                """, arguments: [key, platform, type, canonical, short.category, short.firstReportedAt,
                                 short.lastReportedAt, now])
        }
        guard let target = try ItemRecord.fetch(db, key: key) else { return short }
        try db.execute(sql: """
            INSERT OR IGNORE INTO item_reporters (item_id, who) SELECT ?, who FROM item_reporters WHERE item_id = ?
            """, arguments: [target.id, short.id])
        try db.execute(sql: """
            UPDATE items SET report_count = report_count + ?,
                reporter_count = (SELECT count(*) FROM item_reporters WHERE item_id = ?),
                first_reported_at = min(first_reported_at, ?), last_reported_at = max(last_reported_at, ?),
                category = coalesce(category, ?),
                first_escalated_at = coalesce(first_escalated_at, ?), last_escalated_at = coalesce(last_escalated_at, ?),
                escalation_count = escalation_count + ?,
                response_due_at = coalesce(response_due_at, ?),
                status = CASE WHEN status = 'new' AND ? IS NOT NULL THEN ? ELSE status END
            WHERE id = ?
            """, arguments: [short.reports, target.id, short.firstReportedAt, short.lastReportedAt, short.category,
                             short.firstEscalatedAt, short.firstEscalatedAt, short.escalations, short.responseDueAt,
                             short.firstEscalatedAt, short.status.rawValue, target.id])
        try db.execute(sql: "UPDATE items SET status = 'merged', status_since = ?, alias_of = ?, next_check_at = NULL WHERE id = ?",
                       arguments: [now, target.id, short.id])
        try db.execute(sql: """
            INSERT INTO transitions (item_id, from_status, to_status, at, why, by) VALUES (?, ?, 'merged', ?, ?, ?)
            """, arguments: [short.id, short.status.rawValue, now, CheckStep.mergedWhy(into: key), by])
        return try ItemRecord.fetch(db, id: target.id) ?? target
    }
}
