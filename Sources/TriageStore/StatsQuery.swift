internal import GRDB
public import TriageKit

/// Computes `StoreStats` from the store, in a handful of indexed queries.
///
/// Counts per platform and status come from one grouped scan of the items;
/// removal times only read escalated or removed items, through partial indexes,
/// so the cost follows those and not the whole store.
public enum StatsQuery {
    /// The figures at `now`; with `since`, only reports and items from that time on.
    public static func compute(_ store: CaseStore, since: Int64? = nil, now: Int64 = StoreTime.now()) throws(StoreError) -> StoreStats {
        do {
            return try store.pool.read { db in try compute(db, since: since, now: now) }
        } catch {
            throw store.failure(error, doing: "stats")
        }
    }

    static func compute(_ db: Database, since: Int64?, now: Int64) throws -> StoreStats {
        let from = since ?? Int64.min
        // Reports and the lines they came from.
        let reportRow = try Row.fetchOne(db, sql: """
            SELECT count(*), coalesce(sum(url_index = 0), 0) FROM reports WHERE reported_at >= ?
            """, arguments: [from])
        let reports: Int = reportRow?[0] ?? 0
        let reportLines: Int = reportRow?[1] ?? 0

        // Items per platform and status.
        var itemsByPlatform: [String: Int] = [:]
        var statuses: [String: Int] = [:]
        var items = 0
        for row in try Row.fetchAll(db, sql: """
            SELECT platform, status, count(*) FROM items WHERE alias_of IS NULL AND first_reported_at >= ? GROUP BY platform, status
            """, arguments: [from]) {
            let count: Int = row[2]
            itemsByPlatform[row[0], default: 0] += count
            statuses[row[1], default: 0] += count
            items += count
        }
        var reportsByPlatform: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT i.platform, count(*) FROM reports r JOIN items i ON i.id = r.item_id WHERE r.reported_at >= ? GROUP BY i.platform
            """, arguments: [from]) {
            reportsByPlatform[row[0]] = row[1]
        }
        let platforms = Set(itemsByPlatform.keys).union(reportsByPlatform.keys).map { platform in
            StoreStats.PlatformShare(
                platform: platform, items: itemsByPlatform[platform] ?? 0, reports: reportsByPlatform[platform] ?? 0,
                itemShare: items > 0 ? Double(itemsByPlatform[platform] ?? 0) / Double(items) : 0,
                reportShare: reports > 0 ? Double(reportsByPlatform[platform] ?? 0) / Double(reports) : 0)
        }.sorted { ($0.reports, $0.items, $1.platform) > ($1.reports, $1.items, $0.platform) }

        // Escalations and removals.
        var escalated = 0
        var sinceEscalation: [Int64] = []
        var within = (day: 0, threeDays: 0, week: 0)
        for row in try Row.fetchAll(db, sql: """
            SELECT first_escalated_at, removed_at, status FROM items INDEXED BY items_escalated
            WHERE first_escalated_at IS NOT NULL AND alias_of IS NULL AND first_reported_at >= ?
            """, arguments: [from]) {
            escalated += 1
            let escalatedAt: Int64 = row[0]
            guard let removedAt: Int64 = row[1], (row[2] as String) == ItemStatus.removed.rawValue, removedAt >= escalatedAt else { continue }
            let took = removedAt - escalatedAt
            sinceEscalation.append(took)
            if took <= StoreTime.day { within.day += 1 }
            if took <= 3 * StoreTime.day { within.threeDays += 1 }
            if took <= 7 * StoreTime.day { within.week += 1 }
        }
        var sinceReport: [Int64] = []
        var goneBefore = 0
        var reportWithin = (day: 0, week: 0)
        for row in try Row.fetchAll(db, sql: """
            SELECT first_reported_at, removed_at, first_escalated_at FROM items INDEXED BY items_removed
            WHERE removed_at IS NOT NULL AND status = 'removed' AND alias_of IS NULL AND first_reported_at >= ?
            """, arguments: [from]) {
            let took = max(0, (row[1] as Int64) - (row[0] as Int64))
            sinceReport.append(took)
            if took <= StoreTime.day { reportWithin.day += 1 }
            if took <= 7 * StoreTime.day { reportWithin.week += 1 }
            if (row[2] as Int64?) == nil { goneBefore += 1 }
        }
        let pastTarget = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM items WHERE (status = 'overdue' OR (status = 'escalated' AND response_due_at <= ?))
                AND alias_of IS NULL AND first_reported_at >= ?
            """, arguments: [now, from]) ?? 0

        func share(_ count: Int, of total: Int) -> Double? { total > 0 ? Double(count) / Double(total) : nil }
        return StoreStats(
            generatedAt: StoreTime.iso(now), since: since.map(StoreTime.iso), reports: reports, reportLines: reportLines,
            items: items, platforms: platforms, statuses: statuses, escalated: escalated,
            removedAfterEscalation: sinceEscalation.count, removed: sinceReport.count, goneBeforeEscalation: goneBefore,
            hoursFromReportToRemoval: Durations(seconds: sinceReport),
            hoursFromEscalationToRemoval: Durations(seconds: sinceEscalation),
            removedWithin24hOfEscalation: share(within.day, of: escalated),
            removedWithin3dOfEscalation: share(within.threeDays, of: escalated),
            removedWithin7dOfEscalation: share(within.week, of: escalated),
            removedWithin24hOfReport: share(reportWithin.day, of: items),
            removedWithin7dOfReport: share(reportWithin.week, of: items),
            pastResponseTarget: pastTarget)
    }
}
