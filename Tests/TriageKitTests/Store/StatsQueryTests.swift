import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// `StatsQuery` and `ReportQuery` read the store through indexes, in single passes and with
/// SQLite's own calls; these tests hold their figures to plain SQL over the same rows, the way
/// the first version computed them.
@Suite("Store: stats and report figures")
struct StatsQueryTests {
    /// 2026-09-21T12:00:00Z; the store's items are first reported over the 60 days from here.
    static let start: Int64 = 1_790_000_000
    static let now = start + 70 * StoreTime.day

    /// 2,400 items with every shape the figures distinguish: removed before and after escalation
    /// (some "before" their first report, some before their escalation: dates out of order, which
    /// the figures leave out), escalated and overdue,
    /// live and new, merged short links (some escalated or removed themselves), and a few removed
    /// items that still point at another item; 1–3 reports each, some on a later URL of a line.
    static let cases = """
        INSERT INTO sources (id, sha256, bytes, lines, format, first_path, first_seen_at)
            VALUES (1, 'aa', 10, 9600, 'csv', 'reports.csv', \(start));
        INSERT INTO batches (id, source_id, path, started_at, by) VALUES (1, 1, 'reports.csv', \(start), 'kim');
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2400),
        shaped AS (
            SELECT i, i % 10 AS kind, \(start) + (i * 7919) % (60 * 86400) AS reported,
                   CASE i % 7 WHEN 0 THEN 'youtube' WHEN 1 THEN 'x' WHEN 2 THEN 'instagram' ELSE 'tiktok' END AS platform
            FROM n),
        timed AS (
            SELECT *, CASE WHEN kind IN (4, 5, 9) OR (kind = 0 AND i % 3 = 0) OR (kind = 8 AND i % 20 = 8)
                           THEN reported + (i * 31) % 200000 END AS escalated
            FROM shaped)
        INSERT INTO items (id, key, platform, type, canonical_url, first_reported_at, last_reported_at, status, status_since,
                           first_escalated_at, response_due_at, removed_at, alias_of)
        SELECT i, 'k' || i, platform, 'video', 'https://example.com/' || i, reported, reported, CASE
                   WHEN i % 50 = 3 THEN 'removed'
                   WHEN kind IN (0, 1, 2, 3, 9) THEN 'removed'
                   WHEN kind = 4 THEN 'escalated'
                   WHEN kind = 5 THEN 'overdue'
                   WHEN kind = 6 THEN 'live'
                   WHEN kind = 7 THEN 'new'
                   ELSE 'merged' END,
               reported, escalated, escalated + 48 * 3600, CASE
                   WHEN kind = 9 AND i % 7 = 0 THEN escalated - 100
                   WHEN kind IN (0, 1, 2, 3, 9) OR i % 50 = 3 OR (kind = 8 AND i % 30 = 8)
                       THEN reported + (i * 97) % (40 * 86400) - 3600 * (i % 4 = 0) END,
               CASE WHEN kind = 8 OR i % 50 = 3 THEN i - 1 END
        FROM timed;
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2400), k(j) AS (VALUES (0), (1), (2))
        INSERT INTO reports (source_id, line, url_index, batch_id, item_id, platform, reported_at)
        SELECT 1, i * 4 + j, (i + j) % 4 = 0, 1, i, CASE WHEN i % 11 = 0 AND j = 1 THEN 'discord' ELSE items.platform END,
               items.first_reported_at + j * 3600
        FROM n JOIN k ON j <= i % 3 JOIN items ON items.id = n.i;
        """

    static func makeStore() throws -> CaseStore {
        let store = try StoreTestSupport.freshStore()
        try store.execute(cases)
        return store
    }

    /// Windows that take everything, part, and nothing.
    static let windows: [Int64?] = [nil, start + 20 * StoreTime.day, start + 59 * StoreTime.day, now]

    @Test("stats are the figures plain SQL over every row gives, with and without a window")
    func statsMatchPlainSQL() throws {
        let store = try Self.makeStore()
        for since in Self.windows {
            let stats = try StatsQuery.compute(store, since: since, now: Self.now)
            let expected = try Self.reference(store, since: since, now: Self.now)
            #expect(stats == expected, "since \(String(describing: since))")
        }
        let whole = try StatsQuery.compute(store, now: Self.now)
        #expect(whole.reportLines < whole.reports && whole.goneBeforeEscalation > 0 && whole.pastResponseTarget > 0)
        #expect(whole.platforms.contains { $0.platform == "discord" && $0.items == 0 && $0.reports > 0 })
    }

    @Test("the report's distributions and weeks are the rows plain SQL selects")
    func reportMatchesPlainSQL() throws {
        let store = try Self.makeStore()
        for since in Self.windows { try Self.expectReportMatchesPlainSQL(store, since: since, weeks: 12) }
        #expect(try ReportQuery.compute(store, now: Self.now, weeks: 12).weeks.contains { $0.removed > 0 && $0.escalated > 0 })
    }

    /// Items that the counts, percentiles and weeks could get wrong at their edges: hundreds of
    /// removals with the very same duration (ties at the median and the 90th percentile, and on
    /// the bucket bounds 24 h and 3 days exactly), weeks in which nothing happened, items never
    /// checked, reopened items (escalated, then `new` again with no removal), an item back up after
    /// a removal (status `live`, `removed_at` kept), reports from the future, lines with many URLs.
    static let edges = """
        INSERT INTO sources (id, sha256, bytes, lines, format, first_path, first_seen_at)
            VALUES (1, 'bb', 10, 9600, 'csv', 'edges.csv', \(start));
        INSERT INTO batches (id, source_id, path, started_at, by) VALUES (1, 1, 'edges.csv', \(start), 'kim');
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200),
        shaped AS (
            -- Reported in weeks 0-1 and 5-6 only: weeks 2-4 are empty.
            SELECT i, i % 8 AS kind, \(start) + (i % 2) * 35 * 86400 + (i * 613) % (14 * 86400) AS reported,
                   CASE i % 3 WHEN 0 THEN 'tiktok' WHEN 1 THEN 'youtube' ELSE 'x' END AS platform
            FROM n)
        INSERT INTO items (id, key, platform, type, canonical_url, first_reported_at, last_reported_at, status, status_since,
                           first_escalated_at, response_due_at, removed_at, last_checked_at, alias_of)
        SELECT i, 'e' || i, platform, 'video', 'https://example.com/e' || i, reported, reported, CASE kind
                   WHEN 0 THEN 'removed' WHEN 1 THEN 'removed' WHEN 2 THEN 'removed'
                   WHEN 3 THEN 'new' WHEN 4 THEN 'new' WHEN 5 THEN 'live' WHEN 6 THEN 'escalated' ELSE 'removed' END,
               reported,
               CASE WHEN kind IN (0, 1, 4, 6) THEN reported + 7200 END,
               CASE WHEN kind IN (0, 1, 4, 6) THEN reported + 7200 + 48 * 3600 END,
               CASE kind
                   -- Ties: exactly 24 h after the escalation, exactly 3 days after the report.
                   WHEN 0 THEN reported + 7200 + 86400
                   WHEN 1 THEN reported + 3 * 86400
                   WHEN 2 THEN reported + 86400
                   WHEN 5 THEN reported + 4000
                   WHEN 7 THEN reported + 30 * 86400 + (i % 2)
               END,
               -- Never checked: the new items and a third of the rest.
               CASE WHEN kind IN (3, 4) OR i % 3 = 0 THEN NULL ELSE reported + 600 END,
               NULL
        FROM shaped;
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200), k(j) AS (VALUES (0), (1), (2), (3))
        INSERT INTO reports (source_id, line, url_index, batch_id, item_id, platform, reported_at)
        SELECT 1, i * 2 + (j > 1), j % 2 + (i % 5 = 0) * j, 1, i, items.platform,
               items.first_reported_at + j * 3600 + (i % 97 = 0) * 400 * 86400
        FROM n JOIN k ON j <= i % 4 JOIN items ON items.id = n.i;
        """

    @Test("stats and report agree with plain SQL on ties, empty weeks, unchecked, reopened and returned items")
    func edgesMatchPlainSQL() throws {
        let store = try StoreTestSupport.freshStore()
        try store.execute(Self.edges)
        for since in Self.windows + [Self.start + 35 * StoreTime.day] {
            let stats = try StatsQuery.compute(store, since: since, now: Self.now)
            #expect(stats == (try Self.reference(store, since: since, now: Self.now)), "since \(String(describing: since))")
            try Self.expectReportMatchesPlainSQL(store, since: since, weeks: 12)
        }
        let whole = try StatsQuery.compute(store, now: Self.now)
        #expect(whole.hoursFromEscalationToRemoval?.medianHours == 24 && whole.removedWithin24hOfEscalation ?? 0 > 0)
        #expect(whole.reportLines < whole.reports && whole.statuses["new"] ?? 0 > 0)
        let report = try ReportQuery.compute(store, now: Self.now, weeks: 12)
        #expect(report.weeks.contains { $0.newItems + $0.escalated + $0.removed == 0 })
    }

    @Test("a store written before reports_more_urls gains it on open, and its figures stay the plain-SQL ones")
    func storeFromBeforeTheLaterURLsIndex() throws {
        let path = try TestSupport.temporaryDirectory() + "/v5.sqlite"
        try CaseStore.writeOlderStore(path: path, through: "v5-accounts", fill: Self.edges)
        let store = try CaseStore(path: path)
        #expect(store.appliedMigrations == ["v6-report-lines", "v7-workers"])
        #expect(try store.integer("SELECT count(*) FROM reports INDEXED BY reports_more_urls WHERE url_index <> 0")
                == store.integer("SELECT count(*) FROM reports WHERE url_index <> 0"))
        for since in Self.windows {
            #expect(try StatsQuery.compute(store, since: since, now: Self.now) == Self.reference(store, since: since, now: Self.now))
        }
        #expect(try StoreMaintenance.check(store).isEmpty)
    }

    /// Holds a report's distributions and weeks to the rows plain SQL selects from `store`.
    static func expectReportMatchesPlainSQL(_ store: CaseStore, since: Int64?, weeks: Int) throws {
        let report = try ReportQuery.compute(store, since: since, now: Self.now, weeks: weeks)
        let condition = (since.map { " AND first_reported_at >= \($0)" } ?? "") + " AND " + Self.datesInOrder(now: Self.now)
        func seconds(_ sql: String) throws -> [Int64] { try store.rows(sql + condition).map { Int64($0[0]!)! } }
        let fromEscalation = try seconds("""
            SELECT removed_at - first_escalated_at FROM items WHERE status = 'removed' AND alias_of IS NULL
                AND removed_at >= first_escalated_at
            """)
        let fromReport = try seconds("""
            SELECT max(0, removed_at - first_reported_at) FROM items
            WHERE status = 'removed' AND alias_of IS NULL AND removed_at IS NOT NULL
            """)
        #expect(report.fromEscalation == RemovalBucket.buckets(fromEscalation), "since \(String(describing: since))")
        #expect(report.fromReport == RemovalBucket.buckets(fromReport), "since \(String(describing: since))")

        // Weeks: from the latest of `weeks` weeks back, the window's week and the first report's week.
        let earliest = try store.integer("SELECT min(reported_at) FROM reports")
        let first = [WeekFigures.weekStart(Self.now) - Int64(weeks - 1) * 7 * StoreTime.day, since.map(WeekFigures.weekStart),
                     WeekFigures.weekStart(earliest)].compactMap { $0 }.max()!
        #expect(report.weeks.first?.start == first && report.weeks.last?.start == WeekFigures.weekStart(Self.now))
        #expect(report.weeks.count == Int((WeekFigures.weekStart(Self.now) - first) / (7 * StoreTime.day)) + 1)
        let rows = try store.rows("SELECT first_reported_at, first_escalated_at, removed_at, status FROM items WHERE alias_of IS NULL"
                                  + condition)
        // New items count in their week whatever their later dates.
        let everyRow = try store.rows("SELECT first_reported_at FROM items WHERE alias_of IS NULL"
                                      + (since.map { " AND first_reported_at >= \($0)" } ?? ""))
        for week in report.weeks {
            func count(_ column: Int, removedOnly: Bool = false, in rows: [[String?]] = rows) -> Int {
                rows.filter { row in
                    guard let time = row[column].flatMap({ Int64($0) }) else { return false }
                    return time >= week.start && time < week.start + 7 * StoreTime.day && (!removedOnly || row[3] == "removed")
                }.count
            }
            #expect(week.newItems == count(0, in: everyRow) && week.escalated == count(1) && week.removed == count(2, removedOnly: true),
                    "week of \(week.start), since \(String(describing: since))")
        }
    }

    @Test("an empty store has empty weeks, buckets and no durations")
    func emptyStore() throws {
        let store = try StoreTestSupport.freshStore()
        let report = try ReportQuery.compute(store, now: Self.now, weeks: 4)
        #expect(report.weeks.count == 4 && report.weeks.allSatisfy { $0.newItems + $0.escalated + $0.removed == 0 })
        #expect(report.weeks.last?.start == WeekFigures.weekStart(Self.now))
        #expect(report.stats.reports == 0 && report.stats.hoursFromReportToRemoval == nil)
        #expect(report.fromReport.allSatisfy { $0.count == 0 })
    }

    @Test("stats read reports, escalations and removals from covering indexes, without a sort")
    func queryPlans() throws {
        let store = try Self.makeStore()
        func plan(_ sql: String) throws -> String {
            try store.rows("EXPLAIN QUERY PLAN " + sql).compactMap { $0.last ?? nil }.joined(separator: " | ")
        }
        let reports = try plan("""
            SELECT count(*) FROM reports INDEXED BY reports_platform WHERE platform = 'x' AND reported_at >= 0 AND reported_at <= 1
            """)
        #expect(reports.contains("COVERING INDEX reports_platform (platform=? AND reported_at>? AND reported_at<?)"), "\(reports)")
        let laterURLs = try plan("""
            SELECT count(*) FROM reports INDEXED BY reports_more_urls
            WHERE url_index <> 0 AND platform = 'x' AND reported_at >= 0 AND reported_at <= 1
            """)
        #expect(laterURLs.contains("COVERING INDEX reports_more_urls (platform=? AND reported_at>? AND reported_at<?)"), "\(laterURLs)")
        let nextPlatform = try plan("SELECT min(platform) FROM items INDEXED BY items_status WHERE status = 'new' AND platform > 'x'")
        #expect(nextPlatform.contains("COVERING INDEX items_status (status=? AND platform>?)"), "\(nextPlatform)")
        let removals = try plan("""
            SELECT max(0, removed_at - first_reported_at), first_escalated_at IS NULL FROM items INDEXED BY items_removed
            WHERE removed_at IS NOT NULL AND status = 'removed' AND first_reported_at >= 0
            """)
        #expect(removals.contains("COVERING INDEX items_removed"), "\(removals)")
        let removedPerWeek = try plan("""
            SELECT (removed_at - 1) / 2 FROM items INDEXED BY items_removed
            WHERE removed_at >= 1 AND removed_at < 3 AND alias_of IS NULL AND first_reported_at >= 0 AND status = 'removed'
            """)
        #expect(removedPerWeek.contains("COVERING INDEX items_removed (removed_at>? AND removed_at<?)"), "\(removedPerWeek)")
        let earliest = try plan("""
            WITH RECURSIVE platforms(name) AS (
                SELECT min(platform) FROM reports INDEXED BY reports_platform
                UNION ALL
                SELECT (SELECT min(platform) FROM reports INDEXED BY reports_platform WHERE platform > name)
                FROM platforms WHERE name IS NOT NULL)
            SELECT min((SELECT min(reported_at) FROM reports INDEXED BY reports_platform WHERE platform = name))
            FROM platforms WHERE name IS NOT NULL
            """)
        #expect(earliest.contains("(platform>?)") && earliest.contains("(platform=?)") && !earliest.contains("SCAN reports"),
                "\(earliest)")
    }

    @Test("durations by selection are the durations by sorting")
    func durationsBySelection() {
        var generator = SeededValues(seed: 7)
        var lists: [[Int64]] = [[5400], [3, 1], [1, 2, 3], Array(repeating: 42, count: 1000),
                                Array(0..<1000), Array((0..<1000).reversed()),
                                (0..<1001).map { Int64(abs(500 - $0)) }, (0..<999).map { Int64($0 % 3) }]
        for size in [2, 5, 9, 10, 11, 100, 257, 4096] {
            lists.append((0..<size).map { _ in Int64(generator.next() % 1_000_000) })
            lists.append((0..<size).map { _ in Int64(generator.next() % 4) - 2 })
        }
        for var list in lists {
            let sorted = Durations(seconds: list)
            #expect(Durations(selectingFrom: &list) == sorted, "\(list.count) values")
        }
        var none: [Int64] = []
        #expect(Durations(selectingFrom: &none) == nil)
    }

    @Test("selection finds every rank, whatever the order")
    func selectEveryRank() {
        var generator = SeededValues(seed: 11)
        for size in [1, 2, 3, 7, 64, 300] {
            let values = (0..<size).map { _ in Int64(generator.next() % 50) }
            let sorted = values.sorted()
            for rank in 0..<size {
                var copy = values
                let found = copy.withUnsafeMutableBufferPointer { buffer in
                    Durations.select(rank, in: buffer, from: 0)
                    return (buffer[rank], buffer[..<rank].allSatisfy { $0 <= buffer[rank] },
                            buffer[(rank + 1)...].allSatisfy { $0 >= buffer[rank] })
                }
                #expect(found == (sorted[rank], true, true), "rank \(rank) of \(size)")
            }
        }
    }

    // MARK: - Plain SQL

    /// The figures as the first `StatsQuery` computed them: every matching row's value read,
    /// sorted, counted, with no index named.
    static func reference(_ store: CaseStore, since: Int64?, now: Int64) throws -> StoreStats {
        let window = since.map { " AND first_reported_at >= \($0)" } ?? ""
        // Items whose dates cannot all be right stay out of every figure that reads their times.
        let items = window + " AND " + datesInOrder(now: now)
        let reported = (since.map { " AND reported_at >= \($0)" } ?? "") + " AND reported_at <= \(now + StoreTime.day)"
        func count(_ sql: String) throws -> Int { Int(try store.integer(sql)) }
        func seconds(_ sql: String) throws -> [Int64] { try store.rows(sql).map { Int64($0[0]!)! } }
        let reports = try count("SELECT count(*) FROM reports WHERE 1" + reported)
        let reportLines = try count("SELECT count(*) FROM reports WHERE url_index = 0" + reported)
        var statuses: [String: Int] = [:]
        var itemsByPlatform: [String: Int] = [:]
        for row in try store.rows("SELECT status, platform FROM items WHERE status <> 'merged'" + window) {
            statuses[row[0]!, default: 0] += 1
            itemsByPlatform[row[1]!, default: 0] += 1
        }
        let itemCount = itemsByPlatform.values.reduce(0, +)
        var reportsByPlatform: [String: Int] = [:]
        for row in try store.rows("SELECT platform FROM reports WHERE 1" + reported) { reportsByPlatform[row[0]!, default: 0] += 1 }
        let platforms = Set(itemsByPlatform.keys).union(reportsByPlatform.keys).map { platform in
            StoreStats.PlatformShare(
                platform: platform, items: itemsByPlatform[platform] ?? 0, reports: reportsByPlatform[platform] ?? 0,
                itemShare: itemCount > 0 ? Double(itemsByPlatform[platform] ?? 0) / Double(itemCount) : 0,
                reportShare: reports > 0 ? Double(reportsByPlatform[platform] ?? 0) / Double(reports) : 0)
        }.sorted { ($0.reports, $0.items, $1.platform) > ($1.reports, $1.items, $0.platform) }
        let escalated = try count("SELECT count(*) FROM items WHERE first_escalated_at IS NOT NULL AND status <> 'merged'" + items)
        let sinceEscalation = try seconds("""
            SELECT removed_at - first_escalated_at FROM items WHERE status = 'removed' AND removed_at >= first_escalated_at
            """ + items)
        let sinceReport = try seconds("""
            SELECT max(0, removed_at - first_reported_at) FROM items WHERE status = 'removed' AND removed_at IS NOT NULL
            """ + items)
        let goneBefore = try count("""
            SELECT count(*) FROM items WHERE status = 'removed' AND removed_at IS NOT NULL AND first_escalated_at IS NULL
            """ + items)
        let pastTarget = try count("""
            SELECT count(*) FROM items WHERE (status = 'overdue' OR (status = 'escalated' AND response_due_at <= \(now)))
            """ + items)
        let outOfOrder = try count("""
            SELECT count(*) FROM items WHERE status <> 'merged' AND NOT \(datesInOrder(now: now))
                AND (first_escalated_at IS NOT NULL OR (status = 'removed' AND removed_at IS NOT NULL))
            """ + window)
        func share(_ part: Int, of total: Int) -> Double? { total > 0 ? Double(part) / Double(total) : nil }
        func within(_ values: [Int64], _ limit: Int64) -> Int { values.filter { $0 <= limit }.count }
        return StoreStats(
            generatedAt: StoreTime.iso(now), since: since.map(StoreTime.iso), reports: reports, reportLines: reportLines,
            items: itemCount, platforms: platforms, statuses: statuses, escalated: escalated,
            removedAfterEscalation: sinceEscalation.count, removed: sinceReport.count, goneBeforeEscalation: goneBefore,
            hoursFromReportToRemoval: Durations(seconds: sinceReport),
            hoursFromEscalationToRemoval: Durations(seconds: sinceEscalation),
            removedWithin24hOfEscalation: share(within(sinceEscalation, StoreTime.day), of: escalated),
            removedWithin3dOfEscalation: share(within(sinceEscalation, 3 * StoreTime.day), of: escalated),
            removedWithin7dOfEscalation: share(within(sinceEscalation, 7 * StoreTime.day), of: escalated),
            removedWithin24hOfReport: share(within(sinceReport, StoreTime.day), of: itemCount),
            removedWithin7dOfReport: share(within(sinceReport, 7 * StoreTime.day), of: itemCount),
            pastResponseTarget: pastTarget, datesOutOfOrder: outOfOrder)
    }

    /// Dates that can all be right: not first reported more than a day after `now`, and neither
    /// escalated nor removed more than a day before the first report, nor removed before the escalation.
    static func datesInOrder(now: Int64) -> String {
        """
        NOT coalesce(first_reported_at > \(now + StoreTime.day) OR first_escalated_at < first_reported_at - 86400
                     OR removed_at < first_reported_at - 86400 OR removed_at < first_escalated_at, 0)
        """
    }
}

/// A small seeded generator, so that a failing list can be made again.
private struct SeededValues {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
