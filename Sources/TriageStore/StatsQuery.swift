internal import GRDB
public import TriageKit

/// Computes `StoreStats` from the store, in a handful of queries that each read
/// one index and never the wide item rows.
///
/// Counts per status and platform come from `items_status`; reports per platform from
/// `reports_platform` and report lines with `reports_more_urls`, each counted as ranges
/// of the index; escalation and removal times from the partial indexes `items_escalated`
/// and `items_removed`, which hold only escalated or removed items, one pass each, read
/// with SQLite's own calls (`TakedownPasses`: a million removals). Merged short links are
/// left out through their status (`merged`), which the indexes carry.
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
    public static func outOfOrder(future: String) -> String {
        """
        ((first_reported_at > \(future) OR first_escalated_at < first_reported_at - \(StoreTime.day)
            OR removed_at < first_reported_at - \(StoreTime.day) OR removed_at < first_escalated_at) IS TRUE)
        """
    }

    static func compute(_ db: Database, since: Int64?, now: Int64) throws -> StoreStats {
        var passes: TakedownPasses?
        return try compute(db, since: since, now: now, weeks: nil, passes: &passes)
    }

    /// The figures, and in `passes` what the passes over escalations and removals gave, with
    /// the report's tallies for `weeks` when given (`ReportQuery` reads them from there).
    static func compute(_ db: Database, since: Int64?, now: Int64, weeks: TakedownPasses.Weeks?,
                        passes: inout TakedownPasses?) throws -> StoreStats {
        let from = since ?? Int64.min
        // Reports dated past this are from the future (ingest has refused them since it checks).
        let future = now + StoreTime.day

        let (reportsByPlatform, reportLines) = try reportCounts(db, from: from, through: future)
        let (statuses, itemsByPlatform) = try itemCounts(db, since: since)

        // Escalations, removals and how long platforms took: one pass over each partial index.
        var pass = try TakedownPasses(db, from: from, now: now, weeks: weeks)

        let pastTarget = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM items WHERE (status = 'overdue' OR (status = 'escalated' AND response_due_at <= ?1))
                AND first_reported_at >= ?2 AND NOT \(Self.outOfOrder(future: "?3"))
            """, arguments: [now, from, future]) ?? 0
        var stats = assemble(since: since, now: now, reportsByPlatform: reportsByPlatform, reportLines: reportLines,
                             statuses: statuses, itemsByPlatform: itemsByPlatform, pastTarget: pastTarget, passes: &pass)
        // Takedowns by region (checker workers), read and judged as the PostgreSQL store does (`RegionalVerdicts`).
        stats.regions = try RegionalVerdicts.takedowns(db, from: from)
        passes = pass
        return stats
    }

    /// The figures from the counts and the passes, whichever store they came from.
    static func assemble(since: Int64?, now: Int64, reportsByPlatform: [String: Int], reportLines: Int,
                         statuses: [String: Int], itemsByPlatform: [String: Int], pastTarget: Int,
                         passes pass: inout TakedownPasses) -> StoreStats {
        let reports = reportsByPlatform.values.reduce(0, +)
        let items = itemsByPlatform.values.reduce(0, +)
        let platforms = Set(itemsByPlatform.keys).union(reportsByPlatform.keys).map { platform in
            StoreStats.PlatformShare(
                platform: platform, items: itemsByPlatform[platform] ?? 0, reports: reportsByPlatform[platform] ?? 0,
                itemShare: items > 0 ? Double(itemsByPlatform[platform] ?? 0) / Double(items) : 0,
                reportShare: reports > 0 ? Double(reportsByPlatform[platform] ?? 0) / Double(reports) : 0)
        }.sorted { ($0.reports, $0.items, $1.platform) > ($1.reports, $1.items, $0.platform) }
        let escalated = pass.escalated
        let outOfOrder = pass.outOfOrder
        let goneBefore = pass.goneBefore

        func share(_ count: Int, of total: Int) -> Double? { total > 0 ? Double(count) / Double(total) : nil }
        func within(_ seconds: [Int64], _ limit: Int64) -> Int { seconds.reduce(0) { $0 + ($1 <= limit ? 1 : 0) } }
        // Reorders the lists, which the counts `within` make do not mind.
        let fromReport = Durations(selectingFrom: &pass.sinceReport)
        let fromEscalation = Durations(selectingFrom: &pass.sinceEscalation)
        let (sinceReport, sinceEscalation) = (pass.sinceReport, pass.sinceEscalation)
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

    // MARK: - Counts

    /// Reports per platform dated within `from...through` (platforms with none left out), and
    /// how many of them are report lines (a line's first URL).
    ///
    /// Counted platform by platform, as ranges of `reports_platform` found by seeking from one
    /// platform to the next: a range count is SQLite stepping through index entries and no more,
    /// where one GROUP BY over the index that tests every entry's date and reads its `url_index`
    /// cost three times as much (0.24 s of CPU against 0.08 s on 1.3 M reports). Lines are the
    /// reports less those of a line's later URLs, which `reports_more_urls` holds alone.
    static func reportCounts(_ db: Database, from: Int64, through: Int64) throws -> (perPlatform: [String: Int], lines: Int) {
        var perPlatform: [String: Int] = [:]
        var lines = 0
        var platform = try String.fetchOne(db, sql: "SELECT min(platform) FROM reports INDEXED BY reports_platform")
        while let name = platform {
            let count = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM reports INDEXED BY reports_platform
                WHERE platform = ?1 AND reported_at >= ?2 AND reported_at <= ?3
                """, arguments: [name, from, through]) ?? 0
            if count > 0 {
                let laterURLs = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM reports INDEXED BY reports_more_urls
                    WHERE url_index <> 0 AND platform = ?1 AND reported_at >= ?2 AND reported_at <= ?3
                    """, arguments: [name, from, through]) ?? 0
                perPlatform[name] = count
                lines += count - laterURLs
            }
            platform = try String.fetchOne(db, sql: """
                SELECT min(platform) FROM reports INDEXED BY reports_platform WHERE platform > ?1
                """, arguments: [name])
        }
        return (perPlatform, lines)
    }

    /// Items per status and per platform, merged short links left out; with `since`, only those
    /// first reported from then on.
    ///
    /// Without a window, each (status, platform) pair of `items_status` is counted as a range
    /// of the index, the pairs found by seeking from one to the next, for the reason
    /// `reportCounts` gives (0.15 s of CPU for a GROUP BY over 1,000,000 items, 0.06 s this way).
    /// A window needs the items' rows, and GROUP BY reads them in the index's order.
    static func itemCounts(_ db: Database, since: Int64?) throws -> (statuses: [String: Int], platforms: [String: Int]) {
        let merged = ItemStatus.merged.rawValue
        var statuses: [String: Int] = [:]
        var platforms: [String: Int] = [:]
        if let since {
            for row in try Row.fetchAll(db, sql: """
                SELECT status, platform, count(*) FROM items INDEXED BY items_status
                WHERE status <> :merged AND first_reported_at >= :from GROUP BY status, platform
                """, arguments: ["from": since, "merged": merged]) {
                let count: Int = row[2]
                statuses[row[0], default: 0] += count
                platforms[row[1], default: 0] += count
            }
            return (statuses, platforms)
        }
        // Each step is a seek for the least key past the last (`min` reads one entry); a row-value
        // condition `(status, platform) > (?, ?)` would walk the whole last pair instead.
        var status = try String.fetchOne(db, sql: "SELECT min(status) FROM items INDEXED BY items_status")
        while let currentStatus = status {
            var platform = try String.fetchOne(db, sql: """
                SELECT min(platform) FROM items INDEXED BY items_status WHERE status = ?1
                """, arguments: [currentStatus])
            while currentStatus != merged, let currentPlatform = platform {
                let count = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM items INDEXED BY items_status WHERE status = ?1 AND platform = ?2
                    """, arguments: [currentStatus, currentPlatform]) ?? 0
                statuses[currentStatus, default: 0] += count
                platforms[currentPlatform, default: 0] += count
                platform = try String.fetchOne(db, sql: """
                    SELECT min(platform) FROM items INDEXED BY items_status WHERE status = ?1 AND platform > ?2
                    """, arguments: [currentStatus, currentPlatform])
            }
            status = try String.fetchOne(db, sql: """
                SELECT min(status) FROM items INDEXED BY items_status WHERE status > ?1
                """, arguments: [currentStatus])
        }
        return (statuses, platforms)
    }
}
