internal import GRDB
public import TriageKit

/// Reads what `urltriage report` shows: the figures of `urltriage stats` (computed by
/// `StatsQuery`, the same code `stats` runs) and, in the same read snapshot, the
/// distribution of times to removal and the weekly trend.
///
/// The extra figures select exactly the rows the stats count (items that are not merged
/// short links, first reported within the window; removals that `stats` counts), so a
/// distribution always adds up to the matching stats figure.
public enum ReportQuery {
    /// The report's figures at `now`: with `since`, only reports and items from then on;
    /// the trend covers the last `weeks` weeks (or fewer, from `since`).
    public static func compute(_ store: CaseStore, since: Int64? = nil, now: Int64 = StoreTime.now(), weeks: Int = 26,
                               platformNames: [String: String] = [:]) throws(StoreError) -> TakedownReport {
        do {
            return try store.pool.read { db in
                let stats = try StatsQuery.compute(db, since: since, now: now)
                let from = since ?? Int64.min
                return TakedownReport(
                    stats: stats,
                    fromEscalation: try escalationToRemoval(db, from: from, now: now),
                    fromReport: try reportToRemoval(db, from: from, now: now),
                    weeks: try trend(db, from: from, now: now, weeks: weeks),
                    platformNames: platformNames)
            }
        } catch {
            throw store.failure(error, doing: "report")
        }
    }

    // MARK: - Times to removal

    /// Escalated items now removed, by time from first escalation to removal: the rows behind
    /// `removedAfterEscalation` and `hoursFromEscalationToRemoval`.
    static func escalationToRemoval(_ db: Database, from: Int64, now: Int64) throws -> [RemovalBucket] {
        try buckets(db, from: from, now: now, sql: """
            SELECT first_reported_at, first_escalated_at, removed_at FROM items INDEXED BY items_escalated
            WHERE first_escalated_at IS NOT NULL AND alias_of IS NULL AND first_reported_at >= ?1
                AND status = 'removed' AND removed_at IS NOT NULL
            """) { _, escalated, removed in removed - (escalated ?? removed) }
    }

    /// Removed items, by time from first report to removal: the rows behind `removed` and
    /// `hoursFromReportToRemoval`.
    static func reportToRemoval(_ db: Database, from: Int64, now: Int64) throws -> [RemovalBucket] {
        try buckets(db, from: from, now: now, sql: """
            SELECT first_reported_at, first_escalated_at, removed_at FROM items INDEXED BY items_removed
            WHERE removed_at IS NOT NULL AND status = 'removed' AND alias_of IS NULL AND first_reported_at >= ?1
            """) { reported, _, removed in max(0, removed - reported) }
    }

    /// Counts the seconds `seconds` gives for each row of `sql` (first reported, first escalated,
    /// removed) into `RemovalBucket.bounds` as SQLite steps through them, leaving out the items
    /// whose dates are out of order, as the stats do.
    ///
    /// The partial indexes hold every column these queries read, so a pass over one never
    /// touches an item's row; and counting here, not with GROUP BY, spares SQLite a sort of
    /// every removal (on a million removals, both the row lookups and the sort cost more than
    /// the pass).
    private static func buckets(_ db: Database, from: Int64, now: Int64, sql: String,
                                seconds: (Int64, Int64?, Int64) -> Int64) throws -> [RemovalBucket] {
        let bounds = RemovalBucket.bounds
        var counts = Array(repeating: 0, count: bounds.count + 1)
        let future = now + StoreTime.day
        let rows = try RawStatement(db, sql)
        rows.bind(1, from)
        try rows.forEachRow {
            let reported = rows.integer(0)
            let escalated = rows.optionalInteger(1)
            let removed = rows.integer(2)
            guard !StatsQuery.datesOutOfOrder(reported: reported, escalated: escalated, removed: removed, future: future) else { return }
            let value = seconds(reported, escalated, removed)
            counts[bounds.firstIndex { value <= $0 } ?? bounds.count] += 1
        }
        return RemovalBucket.buckets(counts: counts)
    }

    // MARK: - Weeks

    /// Items first reported, first escalated and removed per week (Monday to Sunday, UTC),
    /// for the last `count` weeks up to the one holding `now`, none before `from`'s week
    /// or the week of the store's first report.
    static func trend(_ db: Database, from: Int64, now: Int64, weeks count: Int) throws -> [WeekFigures] {
        guard count > 0 else { return [] }
        let week = 7 * StoreTime.day
        let last = WeekFigures.weekStart(now)
        var first = last - Int64(count - 1) * week
        if from != Int64.min { first = max(first, WeekFigures.weekStart(from)) }
        // A young store's trend starts with its first report, not with empty weeks. The first
        // report is the earliest of each platform's first: one seek into reports_platform per
        // platform, found by stepping from one platform to the next, instead of reading them all.
        if let earliest = try Int64.fetchOne(db, sql: """
            WITH RECURSIVE platforms(name) AS (
                SELECT min(platform) FROM reports INDEXED BY reports_platform
                UNION ALL
                SELECT (SELECT min(platform) FROM reports INDEXED BY reports_platform WHERE platform > name)
                FROM platforms WHERE name IS NOT NULL)
            SELECT min((SELECT min(reported_at) FROM reports INDEXED BY reports_platform WHERE platform = name))
            FROM platforms WHERE name IS NOT NULL
            """) {
            first = max(first, WeekFigures.weekStart(earliest))
        }
        guard first <= last else { return [] }
        var figures = stride(from: first, through: last, by: Int(week)).map { WeekFigures(start: $0) }
        let end = last + week
        // A week's index is (time - first) / week, whole numbers, counted here as SQLite steps
        // through the times (see `buckets` for why not GROUP BY). Escalations and removals come
        // from their partial indexes, as a range of their leading column; new items from the table.
        // Escalations and removals of items whose dates are out of order are left out, as in the
        // stats (decided from the columns read, see `StatsQuery.datesOutOfOrder`); an item's first
        // report is counted in its week (a future one is past the last week).
        let future = now + StoreTime.day
        func counts(_ column: String, index: String, extra: String, inOrder: Bool = true) throws -> [Int] {
            var tally = Array(repeating: 0, count: figures.count)
            let rows = try RawStatement(db, """
                SELECT (\(column) - ?1) / ?2, first_reported_at, first_escalated_at, removed_at FROM items \(index)
                WHERE \(column) >= ?1 AND \(column) < ?3 AND alias_of IS NULL AND first_reported_at >= ?4\(extra)
                """)
            rows.bind(1, first)
            rows.bind(2, week)
            rows.bind(3, end)
            rows.bind(4, from)
            try rows.forEachRow {
                if inOrder && StatsQuery.datesOutOfOrder(reported: rows.integer(1), escalated: rows.optionalInteger(2),
                                                         removed: rows.optionalInteger(3), future: future) { return }
                let slot = Int(rows.integer(0))
                if tally.indices.contains(slot) { tally[slot] += 1 }
            }
            return tally
        }
        let newItems = try counts("first_reported_at", index: "", extra: "", inOrder: false)
        let escalated = try counts("first_escalated_at", index: "INDEXED BY items_escalated", extra: "")
        let removed = try counts("removed_at", index: "INDEXED BY items_removed", extra: " AND status = 'removed'")
        for i in figures.indices {
            figures[i].newItems = newItems[i]
            figures[i].escalated = escalated[i]
            figures[i].removed = removed[i]
        }
        return figures
    }
}
