internal import GRDB
public import TriageKit

/// Computes `StoreStats` from the store, in a handful of queries that each read
/// one index and never the wide item rows.
///
/// Counts per status and platform come from `items_status`; reports and report lines
/// per platform from `reports_platform`, grouped in its order; escalation and removal
/// times from the partial indexes `items_escalated` and `items_removed`, which hold
/// only escalated or removed items, one pass each, read with SQLite's own calls (a
/// million removals). Merged short links are left out through their status (`merged`),
/// which the indexes carry.
public enum StatsQuery {
    /// The figures at `now`; with `since`, only reports made and items first reported from then on.
    public static func compute(_ store: CaseStore, since: Int64? = nil, now: Int64 = StoreTime.now()) throws(StoreError) -> StoreStats {
        do {
            return try store.pool.read { db in try compute(db, since: since, now: now) }
        } catch {
            throw store.failure(error, doing: "stats")
        }
    }

    /// True for an item whose dates cannot all be right: first reported after `future` (now plus
    /// a day), escalated or removed more than a day before its first report, or removed before
    /// its first escalation (a mark back-dated past it, or a clock set back). Such items are left
    /// out of every figure that reads their times, and counted apart. The day of leeway is the
    /// one ingest allows reporters' clocks and time zones.
    ///
    /// Decided here from the columns the passes read anyway, not in SQL: an expression of four
    /// comparisons over the index's rows cost SQLite 0.15 s on 480,000 removals.
    @inline(__always)
    static func datesOutOfOrder(reported: Int64, escalated: Int64?, removed: Int64?, future: Int64) -> Bool {
        if reported > future { return true }
        let earliest = reported - StoreTime.day
        if let escalated, escalated < earliest { return true }
        guard let removed else { return false }
        if removed < earliest { return true }
        if let escalated, removed < escalated { return true }
        return false
    }

    /// `datesOutOfOrder` as an SQL condition, for the queries that read items' rows anyway;
    /// `future` names the parameter that holds now plus a day.
    static func outOfOrder(future: String) -> String {
        """
        ((first_reported_at > \(future) OR first_escalated_at < first_reported_at - \(StoreTime.day)
            OR removed_at < first_reported_at - \(StoreTime.day) OR removed_at < first_escalated_at) IS TRUE)
        """
    }

    static func compute(_ db: Database, since: Int64?, now: Int64) throws -> StoreStats {
        let from = since ?? Int64.min
        let merged = ItemStatus.merged.rawValue
        // Reports dated past this are from the future (ingest has refused them since it checks).
        let future = now + StoreTime.day

        // Reports, the lines they came from, and reports per platform: one pass over the index,
        // grouped in its order.
        var reports = 0
        var reportLines = 0
        var reportsByPlatform: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT platform, count(*), sum(url_index = 0) FROM reports INDEXED BY reports_platform
            WHERE reported_at >= ? AND reported_at <= ? GROUP BY platform
            """, arguments: [from, future]) {
            let count: Int = row[1]
            reportsByPlatform[row[0]] = count
            reports += count
            reportLines += row[2] as Int
        }

        // Items per status and platform.
        var itemsByPlatform: [String: Int] = [:]
        var statuses: [String: Int] = [:]
        var items = 0
        // Without a window, from the index alone; with one, the items' rows are read too.
        let window = since == nil ? "" : " AND first_reported_at >= :from"
        for row in try Row.fetchAll(db, sql: """
            SELECT status, platform, count(*) FROM items INDEXED BY items_status
            WHERE status <> :merged\(window) GROUP BY status, platform
            """, arguments: ["from": from, "merged": merged]) {
            let count: Int = row[2]
            statuses[row[0], default: 0] += count
            itemsByPlatform[row[1], default: 0] += count
            items += count
        }

        let platforms = Set(itemsByPlatform.keys).union(reportsByPlatform.keys).map { platform in
            StoreStats.PlatformShare(
                platform: platform, items: itemsByPlatform[platform] ?? 0, reports: reportsByPlatform[platform] ?? 0,
                itemShare: items > 0 ? Double(itemsByPlatform[platform] ?? 0) / Double(items) : 0,
                reportShare: reports > 0 ? Double(reportsByPlatform[platform] ?? 0) / Double(reports) : 0)
        }.sorted { ($0.reports, $0.items, $1.platform) > ($1.reports, $1.items, $0.platform) }

        // Escalations, and how long platforms took to remove what was escalated: one pass, each
        // row flagged when it is a removal after escalation (status 'removed' is never 'merged').
        var escalated = 0
        var outOfOrder = 0
        var sinceEscalation: [Int64] = []
        let escalations = try RawStatement(db, """
            SELECT status = 'removed', first_reported_at, first_escalated_at, removed_at
            FROM items INDEXED BY items_escalated
            WHERE first_escalated_at IS NOT NULL AND status <> ?1 AND first_reported_at >= ?2
            """)
        escalations.bind(1, merged)
        escalations.bind(2, from)
        try escalations.forEachRow {
            let escalatedAt = escalations.integer(2)
            let removedAt = escalations.optionalInteger(3)
            if datesOutOfOrder(reported: escalations.integer(1), escalated: escalatedAt, removed: removedAt, future: future) {
                outOfOrder += 1
                return
            }
            escalated += 1
            // In order, a removal is never before the escalation.
            if escalations.integer(0) != 0, let removedAt { sinceEscalation.append(removedAt - escalatedAt) }
        }

        // Removals, escalated or not, flagged when nobody had escalated the item.
        var sinceReport: [Int64] = []
        var goneBefore = 0
        let removals = try RawStatement(db, """
            SELECT removed_at, first_reported_at, first_escalated_at FROM items INDEXED BY items_removed
            WHERE removed_at IS NOT NULL AND status = 'removed' AND first_reported_at >= ?1
            """)
        removals.bind(1, from)
        try removals.forEachRow {
            let removedAt = removals.integer(0)
            let reportedAt = removals.integer(1)
            let escalatedAt = removals.optionalInteger(2)
            if datesOutOfOrder(reported: reportedAt, escalated: escalatedAt, removed: removedAt, future: future) {
                // Counted already when it was escalated.
                if escalatedAt == nil { outOfOrder += 1 }
                return
            }
            sinceReport.append(max(0, removedAt - reportedAt))
            if escalatedAt == nil { goneBefore += 1 }
        }

        let pastTarget = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM items WHERE (status = 'overdue' OR (status = 'escalated' AND response_due_at <= ?1))
                AND first_reported_at >= ?2 AND NOT \(Self.outOfOrder(future: "?3"))
            """, arguments: [now, from, future]) ?? 0

        func share(_ count: Int, of total: Int) -> Double? { total > 0 ? Double(count) / Double(total) : nil }
        func within(_ seconds: [Int64], _ limit: Int64) -> Int { seconds.reduce(0) { $0 + ($1 <= limit ? 1 : 0) } }
        // Reorders the lists, which the counts `within` make do not mind.
        let fromReport = Durations(selectingFrom: &sinceReport)
        let fromEscalation = Durations(selectingFrom: &sinceEscalation)
        return StoreStats(
            generatedAt: StoreTime.iso(now), since: since.map(StoreTime.iso), reports: reports, reportLines: reportLines,
            items: items, platforms: platforms, statuses: statuses, escalated: escalated,
            removedAfterEscalation: sinceEscalation.count, removed: sinceReport.count, goneBeforeEscalation: goneBefore,
            hoursFromReportToRemoval: fromReport, hoursFromEscalationToRemoval: fromEscalation,
            removedWithin24hOfEscalation: share(within(sinceEscalation, StoreTime.day), of: escalated),
            removedWithin3dOfEscalation: share(within(sinceEscalation, 3 * StoreTime.day), of: escalated),
            removedWithin7dOfEscalation: share(within(sinceEscalation, 7 * StoreTime.day), of: escalated),
            removedWithin24hOfReport: share(within(sinceReport, StoreTime.day), of: items),
            removedWithin7dOfReport: share(within(sinceReport, 7 * StoreTime.day), of: items),
            pastResponseTarget: pastTarget, datesOutOfOrder: outOfOrder)
    }
}
