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
                    fromEscalation: try escalationToRemoval(db, from: from),
                    fromReport: try reportToRemoval(db, from: from),
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
    static func escalationToRemoval(_ db: Database, from: Int64) throws -> [RemovalBucket] {
        try buckets(db, seconds: "removed_at - first_escalated_at", sql: """
            FROM items NOT INDEXED
            WHERE first_escalated_at IS NOT NULL AND alias_of IS NULL AND first_reported_at >= ?
                AND status = 'removed' AND removed_at IS NOT NULL AND removed_at >= first_escalated_at
            """, from: from)
    }

    /// Removed items, by time from first report to removal: the rows behind `removed` and
    /// `hoursFromReportToRemoval`.
    static func reportToRemoval(_ db: Database, from: Int64) throws -> [RemovalBucket] {
        try buckets(db, seconds: "max(0, removed_at - first_reported_at)", sql: """
            FROM items NOT INDEXED
            WHERE removed_at IS NOT NULL AND status = 'removed' AND alias_of IS NULL AND first_reported_at >= ?
            """, from: from)
    }

    /// Counts rows into `RemovalBucket.bounds` inside SQLite, so a million removals are not
    /// carried into Swift one by one.
    ///
    /// NOT INDEXED: in a store that has run for a while most items are removed (and many
    /// escalated), and one pass over the table is cheaper than an index lookup per row;
    /// in a young store the table is small.
    private static func buckets(_ db: Database, seconds: String, sql: String, from: Int64) throws -> [RemovalBucket] {
        let cases = RemovalBucket.bounds.enumerated().map { "WHEN \(seconds) <= \($0.element) THEN \($0.offset)" }.joined(separator: " ")
        var counts = Array(repeating: 0, count: RemovalBucket.bounds.count + 1)
        for row in try Row.fetchAll(db, sql: """
            SELECT CASE \(cases) ELSE \(RemovalBucket.bounds.count) END, count(*) \(sql) GROUP BY 1
            """, arguments: [from]) {
            let index: Int = row[0]
            if counts.indices.contains(index) { counts[index] = row[1] }
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
        // A young store's trend starts with its first report, not with empty weeks (reports_time index).
        if let earliest = try Int64.fetchOne(db, sql: "SELECT min(reported_at) FROM reports") {
            first = max(first, WeekFigures.weekStart(earliest))
        }
        guard first <= last else { return [] }
        var figures = stride(from: first, through: last, by: Int(week)).map { WeekFigures(start: $0) }
        let end = last + week
        // Grouped by SQLite: a week's index is (time - first) / week, whole numbers. Each is one
        // pass over the table (see `buckets` for why not an index).
        func counts(_ column: String, index: String, extra: String) throws -> [(Int, Int)] {
            try Row.fetchAll(db, sql: """
                SELECT (\(column) - :first) / :week, count(*) FROM items \(index)
                WHERE \(column) >= :first AND \(column) < :end AND alias_of IS NULL AND first_reported_at >= :from\(extra)
                GROUP BY 1
                """, arguments: ["first": first, "week": week, "end": end, "from": from]).map { ($0[0], $0[1]) }
        }
        for (i, n) in try counts("first_reported_at", index: "", extra: "") where figures.indices.contains(i) {
            figures[i].newItems = n
        }
        for (i, n) in try counts("first_escalated_at", index: "NOT INDEXED", extra: "") where figures.indices.contains(i) {
            figures[i].escalated = n
        }
        for (i, n) in try counts("removed_at", index: "NOT INDEXED", extra: " AND status = 'removed'")
            where figures.indices.contains(i) {
            figures[i].removed = n
        }
        return figures
    }
}
