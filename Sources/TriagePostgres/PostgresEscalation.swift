public import TriageKit
public import TriageStore
import PostgresNIO

/// `urltriage escalate` on PostgreSQL: the open items and their reports read in one snapshot
/// and handed, row by row, to `EscalationCandidatesBuilder`, which decides categories and
/// makes the candidates as it does for the SQLite store.
extension PostgresStore {
    /// The items that may go on the escalation list at `now` (see `CaseStore.escalationCandidates`).
    public func escalationCandidates(platform: String? = nil, now: Int64,
                                     categorizer: ItemCategorizer) async throws(StoreError) -> EscalationCandidates {
        do {
            return try await inSnapshot {
                try await readCandidates(platform: platform, now: now, categorizer: categorizer)
            }
        } catch {
            throw failure(error, doing: "reading the items to escalate")
        }
    }

    /// `$1` is now and `$2` the platform, when there is one.
    private func bindings(now: Int64?, platform: String?) throws -> PostgresBindings {
        var binds = PostgresBindings()
        if let now { binds.append(now) }
        if let platform { binds.append(platform) }
        return binds
    }

    private func readCandidates(platform: String?, now: Int64, categorizer: ItemCategorizer) async throws -> EscalationCandidates {
        let filter = EscalationCandidates.condition(now: "$1", platform: platform == nil ? nil : "$2")
        var builder = EscalationCandidatesBuilder(categorizer: categorizer)

        // Merged short links' reports, in the order the SQLite store reads them (its index on
        // status and platform, then the item's id); "C" orders platforms by their bytes, as SQLite does.
        for try await (target, category, notes) in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT a.alias_of, r.category, r.notes FROM items a JOIN reports r ON r.item_id = a.id
            WHERE a.status = 'merged' AND a.alias_of IN (SELECT id FROM items WHERE \(filter))
            ORDER BY a.platform COLLATE "C", a.id, r.id
            """, binds: try bindings(now: now, platform: platform)), logger: logger).decode((Int64, String?, String?).self) {
            builder.aliasReport(of: target, category: category, notes: notes)
        }

        // One row per report, the item's columns repeated, items and their reports in the order they came.
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(EscalationCandidates.rowColumns)
            FROM items LEFT JOIN reports r ON r.item_id = items.id
            WHERE \(filter)
            ORDER BY items.id, r.id
            """, binds: try bindings(now: now, platform: platform)), logger: logger)
        var current: Int64?
        for try await row in rows {
            let (id, key, itemPlatform, type, url, first, last, reports, reporters, verdict, checked, escalations,
                 escalated, due, reason, report, category, notes) = try row.decode(
                    (Int64, String, String, String, String, Int64, Int64, Int, Int, String?, Int64?, Int, Int64?, Int64?,
                     String?, Int64?, String?, String?).self)
            if id != current {
                current = id
                builder.item(id: id, key: key, platform: itemPlatform, type: type, canonicalURL: url, firstReportedAt: first,
                             lastReportedAt: last, reportCount: reports, reporterCount: reporters, verdict: verdict,
                             checkedAt: checked, checkReason: reason, escalationCount: escalations,
                             lastEscalatedAt: escalated, responseDueAt: due)
            }
            if report != nil {
                builder.report(category: category, notes: notes)
            }
        }
        let blocked = try await blockedRegions(itemIDs: builder.ids)

        var context = EscalationList.Context()
        for try await count in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT count(*) FROM items WHERE status = 'new'\(platform == nil ? "" : " AND platform = $1")
            """, binds: try bindings(now: nil, platform: platform)), logger: logger).decode(Int.self) {
            context.notChecked = count
        }
        for try await count in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT count(*) FROM items WHERE \(EscalationCandidates.awaitingCondition(now: "$1"))\(platform == nil ? "" : " AND platform = $2")
            """, binds: try bindings(now: now, platform: platform)), logger: logger).decode(Int.self) {
            context.awaitingResponse = count
        }
        return builder.finish(blocked: blocked, context: context)
    }
}
