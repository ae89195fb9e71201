internal import GRDB
public import TriageKit

/// The items the escalation list is made from, read in one snapshot.
public struct EscalationCandidates: Sendable {
    public var candidates: [EscalationCandidate]
    public var context: EscalationList.Context
}

extension CaseStore {
    /// The items that may go on the escalation list at `now`: checked and not removed (live,
    /// restricted, unknown or error), either never escalated or past the platform's response
    /// target; each with the category its reports' words give it.
    ///
    /// The filtering is done by SQLite on the `items(status)` index, so the cost follows the
    /// number of open items, not the size of the store; only those are scored.
    public func escalationCandidates(platform: String? = nil, now: Int64,
                                     categorizer: ItemCategorizer) throws(StoreError) -> EscalationCandidates {
        let snapshot: Snapshot
        do {
            snapshot = try pool.read { db in try Self.readCandidates(db, platform: platform, now: now) }
        } catch {
            throw failure(error, doing: "reading the items to escalate")
        }
        let candidates = snapshot.items.map { raw in
            var item = raw.item
            item.category = categorizer.decide(reports: snapshot.words[raw.id] ?? [])
            return item
        }
        return EscalationCandidates(candidates: candidates, context: snapshot.context)
    }

    // MARK: - SQL


    /// Statuses of items that are up or undecided and not closed; `escalated` ones count
    /// only once their response target has passed (a recheck may not have marked them overdue yet).
    static let openStatuses = "('live', 'restricted', 'unknown', 'error', 'overdue', 'escalated')"

    private struct RawItem {
        var id: Int64
        var item: EscalationCandidate
    }

    private struct Snapshot {
        var items: [RawItem] = []
        var words: [Int64: [ItemCategorizer.ReportWords]] = [:]
        var context = EscalationList.Context()
    }

    private static func readCandidates(_ db: Database, platform: String?, now: Int64) throws -> Snapshot {
        var snapshot = Snapshot()
        let platformFilter = platform == nil ? "" : " AND items.platform = :platform"
        var arguments: StatementArguments = ["now": now]
        if let platform { arguments += ["platform": platform] }
        let filter = """
            items.status IN \(openStatuses) AND (items.status <> 'escalated' OR items.response_due_at <= :now)
                AND items.last_verdict IS NOT NULL AND items.last_verdict <> 'removed'\(platformFilter)
            """
        let placeholder = CategoryDecision(category: "", rank: Int.max, evidence: .fallback)
        // INDEXED BY: the open statuses are a few percent of a large store, and a scan of every
        // item is what the planner may otherwise choose for an IN list of six.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT id, key, platform, type, canonical_url, first_reported_at, last_reported_at, report_count,
                   reporter_count, last_verdict, last_checked_at, escalation_count, last_escalated_at, response_due_at,
                   CASE WHEN last_verdict IN ('unknown', 'error') THEN
                       (SELECT reason FROM checks c WHERE c.item_id = items.id ORDER BY c.checked_at DESC, c.id DESC LIMIT 1)
                   END
            FROM items INDEXED BY items_status WHERE \(filter)
            """, arguments: arguments)
        while let row = try rows.next() {
            let escalations: Int = row[11]
            let item = EscalationCandidate(
                key: row[1], platform: row[2], type: row[3], canonicalURL: row[4], firstReportedAt: row[5],
                lastReportedAt: row[6], reportCount: row[7], reporterCount: row[8],
                verdict: (row[9] as String?).flatMap(Verdict.init(rawValue:)), checkedAt: row[10], checkReason: row[14],
                escalationCount: escalations, lastEscalatedAt: escalations > 0 ? row[12] : nil,
                responseDueAt: escalations > 0 ? row[13] : nil, category: placeholder)
            snapshot.items.append(RawItem(id: row[0], item: item))
        }
        // The reports' own words, in the order they came, and those of short links merged into a candidate.
        let reports = try Row.fetchCursor(db, sql: """
            SELECT items.id, r.category, r.notes FROM items INDEXED BY items_status JOIN reports r ON r.item_id = items.id
            WHERE \(filter)
            UNION ALL
            SELECT a.alias_of, r.category, r.notes FROM items a INDEXED BY items_status JOIN reports r ON r.item_id = a.id
            WHERE a.status = 'merged' AND a.alias_of IN (SELECT id FROM items INDEXED BY items_status WHERE \(filter))
            """, arguments: arguments)
        while let row = try reports.next() {
            snapshot.words[row[0], default: []].append(.init(category: row[1], notes: row[2]))
        }
        snapshot.context.notChecked = try Int.fetchOne(db, sql: "SELECT count(*) FROM items WHERE status = 'new'\(platformFilter)",
                                                       arguments: arguments) ?? 0
        snapshot.context.awaitingResponse = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM items WHERE status = 'escalated' AND response_due_at > :now\(platformFilter)
            """, arguments: arguments) ?? 0
        return snapshot
    }
}
