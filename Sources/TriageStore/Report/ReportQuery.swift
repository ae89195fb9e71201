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
                let from = since ?? Int64.min
                let frame = try weekFrame(db, from: from, now: now, weeks: weeks)
                // The stats' passes over escalations and removals count the distributions and
                // weeks as well (`TakedownPasses`).
                var passes: TakedownPasses?
                let stats = try StatsQuery.compute(db, since: since, now: now,
                                                   weeks: frame ?? TakedownPasses.Weeks(first: 0, count: 0), passes: &passes)
                let newItems = try frame.map { try newItemsPerWeek(db, $0, from: from) } ?? []
                return assemble(stats: stats, tallies: passes?.report, frame: frame, newItems: newItems,
                                platformNames: platformNames)
            }
        } catch {
            throw store.failure(error, doing: "report")
        }
    }

    // MARK: - Assembly

    /// The report from the stats, the passes' tallies and the new items per week of `frame`,
    /// whichever store they came from.
    static func assemble(stats: StoreStats, tallies: TakedownPasses.ReportTallies?, frame: TakedownPasses.Weeks?,
                         newItems: [Int], platformNames: [String: String]) -> TakedownReport {
        let tallies = tallies ?? TakedownPasses.ReportTallies(weeks: TakedownPasses.Weeks(first: 0, count: 0))
        var figures: [WeekFigures] = []
        if let frame {
            figures = (0..<frame.count).map { index in
                var week = WeekFigures(start: frame.first + Int64(index) * TakedownPasses.Weeks.length)
                week.newItems = newItems[index]
                week.escalated = tallies.escalatedPerWeek[index]
                week.removed = tallies.removedPerWeek[index]
                return week
            }
        }
        return TakedownReport(
            stats: stats,
            fromEscalation: RemovalBucket.buckets(counts: tallies.fromEscalation),
            fromReport: RemovalBucket.buckets(counts: tallies.fromReport),
            weeks: figures,
            platformNames: platformNames)
    }

    // MARK: - Weeks

    /// The weeks of the trend: the last `count` up to the one holding `now`, none before `from`'s
    /// week or the week of the store's first report (`earliestReport`, nil when it has none);
    /// nil when that leaves none.
    static func weekFrame(from: Int64, now: Int64, weeks count: Int, earliestReport: Int64?) -> TakedownPasses.Weeks? {
        guard count > 0 else { return nil }
        let week = TakedownPasses.Weeks.length
        let last = WeekFigures.weekStart(now)
        var first = last - Int64(count - 1) * week
        if from != Int64.min { first = max(first, WeekFigures.weekStart(from)) }
        // A young store's trend starts with its first report, not with empty weeks.
        if let earliestReport { first = max(first, WeekFigures.weekStart(earliestReport)) }
        guard first <= last else { return nil }
        return TakedownPasses.Weeks(first: first, count: Int((last - first) / week) + 1)
    }

    /// `weekFrame` with the store's first report read from `db`: the earliest of each platform's
    /// first, one seek into reports_platform per platform, found by stepping from one platform to
    /// the next, instead of reading them all.
    static func weekFrame(_ db: Database, from: Int64, now: Int64, weeks count: Int) throws -> TakedownPasses.Weeks? {
        guard count > 0 else { return nil }
        let earliest = try Int64.fetchOne(db, sql: """
            WITH RECURSIVE platforms(name) AS (
                SELECT min(platform) FROM reports INDEXED BY reports_platform
                UNION ALL
                SELECT (SELECT min(platform) FROM reports INDEXED BY reports_platform WHERE platform > name)
                FROM platforms WHERE name IS NOT NULL)
            SELECT min((SELECT min(reported_at) FROM reports INDEXED BY reports_platform WHERE platform = name))
            FROM platforms WHERE name IS NOT NULL
            """)
        return weekFrame(from: from, now: now, weeks: count, earliestReport: earliest)
    }

    /// Items first reported per week of `frame` (merged short links left out; an item's first
    /// report counts in its week whatever its later dates, and a future one is past the last week),
    /// counted here as SQLite steps through the times: no index holds every item's first report,
    /// and counting in Swift spares SQLite a sort.
    static func newItemsPerWeek(_ db: Database, _ frame: TakedownPasses.Weeks, from: Int64) throws -> [Int] {
        var tally = Array(repeating: 0, count: frame.count)
        let rows = try RawStatement(db, """
            SELECT first_reported_at FROM items
            WHERE first_reported_at >= ?1 AND first_reported_at < ?2 AND alias_of IS NULL AND first_reported_at >= ?3
            """)
        rows.bind(1, frame.first)
        rows.bind(2, frame.first + Int64(frame.count) * TakedownPasses.Weeks.length)
        rows.bind(3, from)
        try rows.forEachRow {
            if let slot = frame.slot(rows.integer(0)) { tally[slot] += 1 }
        }
        return tally
    }
}
