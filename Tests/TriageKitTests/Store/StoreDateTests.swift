import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// Dates that cannot be right: reports from the future, marks before the item's
/// own history. They are refused or recorded as problems, and never reach the figures.
@Suite("Store: dates that cannot be right")
struct StoreDateTests {
    private let noon = StoreTestSupport.noon

    @Test("a report dated more than a day after the ingest is a problem, and takes the ingest time")
    func futureReports() throws {
        let store = try StoreTestSupport.freshStore()
        let batch = try StoreTestSupport.file("day.csv", """
            reported_at,school,url
            9999-12-31T00:00:00Z,Oakfield,https://www.tiktok.com/@a/video/7300000000000000001
            2028-02-29,Oakfield,https://www.tiktok.com/@a/video/7300000000000000002
            2026-11-02T20:00:00Z,Oakfield,https://www.tiktok.com/@a/video/7300000000000000003

            """)
        let summary = try StoreTestSupport.ingest(batch, into: store)
        #expect(summary.newReports == 3 && summary.problems == 2)
        #expect(try store.rows("SELECT line, reported_at FROM reports ORDER BY line")
                == [["2", String(noon)], ["3", String(noon)], ["4", String(noon + 8 * 3600)]])
        let reasons = try store.rows("SELECT line, reason FROM ingest_problems ORDER BY line")
        #expect(reasons.map { $0[0] } == ["2", "3"])
        #expect(reasons.allSatisfy { ($0[1] ?? "").contains("in the future") && ($0[1] ?? "").contains("ingest time") }, "\(reasons)")
        let stats = try StatsQuery.compute(store, now: noon)
        #expect(stats.reports == 3)
    }

    @Test("a mark dated before the item's first report or its escalation is refused")
    func marksBeforeTheItemsHistory() throws {
        let store = try StoreTestSupport.freshStore()
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store)
        let key = try #require(try store.rows("SELECT key FROM items ORDER BY id LIMIT 1").first?[0] ?? nil)
        let first = try store.integer("SELECT first_reported_at FROM items WHERE key = '\(key)'")
        let marker = ItemMarker(store: store, policy: .defaults, rules: TestSupport.shippedRules)
        let later = noon + 3600
        for mark in [Mark.escalated(to: nil, reference: nil, at: 631_152_000), .removed(at: 631_152_000),
                     .escalated(to: nil, reference: nil, at: first - 2 * StoreTime.day)] {
            do {
                _ = try marker.mark(key, mark, note: nil, by: "kim", now: later)
                Issue.record("\(mark) was recorded")
            } catch {
                #expect(error.kind == .invalidMark && error.message.contains("before"), "\(error)")
            }
        }
        _ = try marker.mark(key, .escalated(to: nil, reference: nil, at: later - 60), note: nil, by: "kim", now: later)
        do {
            _ = try marker.mark(key, .removed(at: later - 120), note: nil, by: "kim", now: later)
            Issue.record("a removal before the escalation was recorded")
        } catch {
            #expect(error.kind == .invalidMark && error.message.contains("escalated"), "\(error)")
        }
        #expect(try store.integer("SELECT count(*) FROM escalations") == 1)
        #expect(try store.integer("SELECT count(*) FROM items WHERE removed_at IS NOT NULL") == 0)
    }

    @Test("items whose dates are out of order are left out of stats and the report, and counted apart")
    func outOfOrderItemsStayOutOfTheFigures() throws {
        let store = try StoreTestSupport.freshStore()
        let lines = (1...5).map { "https://www.tiktok.com/@a/video/730000000000000000\($0)" }
        try StoreTestSupport.ingest(try StoreTestSupport.file("b.txt", lines.joined(separator: "\n") + "\n"), into: store,
                                    now: noon - 10 * StoreTime.day)
        let escalated = noon - 9 * StoreTime.day
        // 1: escalated, removed 24 h later: the one sound takedown.
        // 2: removed "before" its escalation (a clock set back). 3: escalated in 1990.
        // 4: first reported in 9999. 5: removed 30 days before its first report.
        try store.execute("""
            UPDATE items SET status = 'removed', first_escalated_at = \(escalated), escalation_count = 1,
                removed_at = \(escalated + StoreTime.day) WHERE key LIKE '%0001';
            UPDATE items SET status = 'removed', first_escalated_at = \(escalated), escalation_count = 1,
                removed_at = \(escalated - 3600) WHERE key LIKE '%0002';
            UPDATE items SET status = 'removed', first_escalated_at = 631152000, escalation_count = 1,
                removed_at = \(escalated) WHERE key LIKE '%0003';
            UPDATE items SET status = 'removed', first_reported_at = 253402214400, removed_at = \(escalated) WHERE key LIKE '%0004';
            UPDATE items SET status = 'removed', removed_at = first_reported_at - 30 * 86400 WHERE key LIKE '%0005';
            """)
        let stats = try StatsQuery.compute(store, now: noon)
        #expect(stats.datesOutOfOrder == 4)
        #expect(stats.escalated == 1 && stats.removedAfterEscalation == 1 && stats.takedownRate == 1)
        #expect(stats.hoursFromEscalationToRemoval?.medianHours == 24)
        #expect(stats.removed == 1 && stats.hoursFromReportToRemoval?.medianHours == 48)
        #expect(stats.text.contains("4 items"), "\(stats.text)")
        let report = try ReportQuery.compute(store, now: noon, weeks: 4)
        #expect(report.fromEscalation.map(\.count).reduce(0, +) == 1)
        #expect(report.fromReport.map(\.count).reduce(0, +) == 1)
        #expect(report.weeks.map(\.removed).reduce(0, +) <= 1 && report.weeks.map(\.escalated).reduce(0, +) <= 1)
    }
}
