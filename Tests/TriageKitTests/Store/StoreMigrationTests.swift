import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// Stores written by older (and newer, and other) programs.
@Suite("Store: schema versions")
struct StoreMigrationTests {
    /// A store as the first schema left it: two items, three reports, a check and an escalation.
    static let versionOneCases = """
        INSERT INTO sources (id, sha256, bytes, lines, format, first_path, first_seen_at) VALUES (1, 'aa', 10, 4, 'csv', 'old.csv', 1793600000);
        INSERT INTO batches (id, source_id, path, started_at, finished_at, by, lines, urls, new_reports, new_items)
            VALUES (1, 1, 'old.csv', 1793600000, 1793600001, 'kim', 3, 3, 3, 2);
        INSERT INTO items (id, key, platform, type, canonical_url, first_reported_at, last_reported_at, report_count, status,
                           status_since, last_verdict, last_checked_at, check_streak, next_check_at, first_escalated_at,
                           last_escalated_at, escalation_count, response_due_at)
            VALUES (1, 'tiktok:video:7301234567890123456', 'tiktok', 'video',
                    'https://www.tiktok.com/@x/video/7301234567890123456', 1793600000, 1793600100, 2, 'escalated',
                    1793603600, 'live', 1793603000, 1, 1793690000, 1793603600, 1793603600, 1, 1793776400),
                   (2, 'youtube:video:Ab3dEf9hIjK', 'youtube', 'video', 'https://www.youtube.com/watch?v=Ab3dEf9hIjK',
                    1793600050, 1793600050, 1, 'new', 1793600050, NULL, NULL, 0, 1793600050, NULL, NULL, 0, NULL);
        INSERT INTO reports (source_id, line, url_index, batch_id, item_id, platform, reported_at, reporter, organisation, category)
            VALUES (1, 2, 0, 1, 1, 'tiktok', 1793600000, 'Ms Khan', 'Oakfield', 'impersonation'),
                   (1, 3, 0, 1, 1, 'tiktok', 1793600100, NULL, 'Riverside', NULL),
                   (1, 4, 0, 1, 2, 'youtube', 1793600050, 'a parent', NULL, 'bullying');
        INSERT INTO checks (item_id, checked_at, url, verdict, http_status, reason, elapsed_ms)
            VALUES (1, 1793603000, 'https://www.tiktok.com/@x/video/7301234567890123456', 'live', 200, 'HTTP 200', 120);
        INSERT INTO escalations (item_id, platform, escalated_at, reference, by, response_hours, response_due_at)
            VALUES (1, 'tiktok', 1793603600, 'CASE-1', 'kim', 48, 1793776400);
        INSERT INTO transitions (item_id, from_status, to_status, at, why, by, escalation_id)
            VALUES (1, 'live', 'escalated', 1793603600, 'escalated to tiktok (CASE-1)', 'kim', 1);
        """

    @Test("a store written with the first schema is migrated in place, its cases kept")
    func migrateVersionOne() async throws {
        let path = try TestSupport.temporaryDirectory() + "/old.sqlite"
        try CaseStore.writeOlderStore(path: path, through: "v1-cases", fill: StoreMigrationTests.versionOneCases)
        let store = try CaseStore(path: path)
        #expect(store.appliedMigrations == ["v2-lifecycle", "v3-reports-by-platform", "v4-open-items", "v5-accounts", "v6-report-lines", "v7-workers"] && !store.created)
        #expect(try store.integer("SELECT count(*) FROM reports") == 3)
        #expect(try store.rows("SELECT key, status, report_count, reporter_count FROM items ORDER BY id")
                == [["tiktok:video:7301234567890123456", "escalated", "2", "2"], ["youtube:video:Ab3dEf9hIjK", "new", "1", "1"]])
        #expect(try store.rows("SELECT reference FROM escalations") == [["CASE-1"]])
        #expect(try StoreMaintenance.check(store).isEmpty)
        try store.close()

        // The migrated store works like any other: ingest on top of it, recheck it, count it.
        let reopened = try CaseStore(path: path)
        #expect(reopened.appliedMigrations.isEmpty)
        let batch = try StoreTestSupport.file("new.txt", "https://youtu.be/Ab3dEf9hIjK again\n")
        let summary = try StoreTestSupport.ingest(batch, into: reopened, now: 1_793_700_000)
        #expect(summary.newReports == 1 && summary.newItems == 0)
        let checker = ScriptedChecker(at: 1_793_700_000, verdicts: [:])
        let rechecked = try await Rechecker(store: reopened, checker: checker, policy: .defaults, rules: nil)
            .run(RecheckOptions(by: "cron"), now: 1_793_700_000)
        #expect(rechecked.checked == 2)
        let stats = try StatsQuery.compute(reopened, now: 1_793_700_000)
        #expect(stats.reports == 4 && stats.items == 2 && stats.escalated == 1)
        #expect(try StoreTestSupport.assertConsistent(reopened).isEmpty)
    }

    @Test("a store written with the second schema gets reports_platform in place of reports_time, its figures kept")
    func migrateVersionTwo() throws {
        let path = try TestSupport.temporaryDirectory() + "/v2.sqlite"
        try CaseStore.writeOlderStore(path: path, through: "v2-lifecycle", fill: StoreMigrationTests.versionOneCases)
        let store = try CaseStore(path: path)
        #expect(store.appliedMigrations == ["v3-reports-by-platform", "v4-open-items", "v5-accounts", "v6-report-lines", "v7-workers"])
        let indexes = try store.rows("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reports' AND sql IS NOT NULL")
        #expect(Set(indexes.compactMap { $0[0] }) == ["reports_item", "reports_platform", "reports_more_urls"])
        #expect(try StoreMaintenance.check(store).isEmpty)
        let stats = try StatsQuery.compute(store, now: 1_793_700_000)
        #expect(stats.reports == 3 && stats.reportLines == 3)
        #expect(stats.platforms.map { [$0.platform: $0.reports] } == [["tiktok": 2], ["youtube": 1]])
        #expect(try StatsQuery.compute(store, since: 1_793_600_050, now: 1_793_700_000).platforms.map(\.reports) == [1, 1])
        let report = try ReportQuery.compute(store, now: 1_793_700_000, weeks: 4)
        #expect(report.weeks.map(\.start) == [WeekFigures.weekStart(1_793_600_000)])
        try store.close()
        #expect(try CaseStore(path: path).appliedMigrations.isEmpty)
    }

    /// `items_open` names the statuses it leaves out (comparisons cost ingest nothing, an `IN`
    /// list did); every status the store knows must still land on the right side of it.
    @Test("items_open holds the items of every open status and of no other")
    func openItemsIndexMatchesTheOpenStatuses() throws {
        let store = try CaseStore(path: try TestSupport.temporaryDirectory() + "/open.sqlite", create: true)
        for (index, status) in ItemStatus.allCases.enumerated() {
            try store.execute("""
                INSERT INTO items (id, key, platform, type, canonical_url, first_reported_at, last_reported_at, status, status_since)
                VALUES (\(index + 1), 'k\(index)', 'web', 'page', 'https://example.org/\(index)', 1, 1, '\(status.rawValue)', 1)
                """)
        }
        let indexed = Set(try store.rows("SELECT status FROM items INDEXED BY items_open WHERE \(StoreSchema.openItemsCondition)")
                            .map { $0[0] })
        let open: Set<String> = ["live", "restricted", "unknown", "error", "overdue", "escalated"]
        #expect(indexed == open)
        #expect(EscalationCandidates.openStatuses == "(" + ["live", "restricted", "unknown", "error", "overdue", "escalated"].map { "'\($0)'" }
                    .joined(separator: ", ") + ")")
    }

    @Test("a store written with the third schema gets items_open, holding the open items alone, and lists from it")
    func migrateVersionThree() throws {
        let path = try TestSupport.temporaryDirectory() + "/v3.sqlite"
        try CaseStore.writeOlderStore(path: path, through: "v3-reports-by-platform", fill: StoreMigrationTests.versionOneCases)
        let store = try CaseStore(path: path)
        #expect(store.appliedMigrations == ["v4-open-items", "v5-accounts", "v6-report-lines", "v7-workers"])
        #expect(try StoreMaintenance.check(store).isEmpty)
        // The escalated item is in it, the new one is not; an item that opens later joins it.
        #expect(try store.rows("SELECT id, key FROM items INDEXED BY items_open WHERE \(StoreSchema.openItemsCondition)")
                == [["1", "tiktok:video:7301234567890123456"]])
        try store.execute("UPDATE items SET status = 'live', last_verdict = 'live', last_checked_at = 1793700000 WHERE id = 2")
        #expect(try store.integer("SELECT count(*) FROM items INDEXED BY items_open WHERE \(StoreSchema.openItemsCondition)") == 2)

        // Before the escalation's response target, item 1 is waiting for the platform; after it, it is listed
        // again, with the category its first report gave, and the YouTube item with its own.
        let categorizer = ItemCategorizer(categories: PrioritySupport.shippedCategories)
        let waiting = try store.escalationCandidates(now: 1_793_776_399, categorizer: categorizer)
        #expect(waiting.candidates.map(\.key) == ["youtube:video:Ab3dEf9hIjK"])
        #expect(waiting.context == EscalationList.Context(notChecked: 0, awaitingResponse: 1))
        let due = try store.escalationCandidates(now: 1_793_776_400, categorizer: categorizer)
        #expect(due.candidates.map(\.key) == ["tiktok:video:7301234567890123456", "youtube:video:Ab3dEf9hIjK"])
        #expect(due.candidates.map(\.category.category) == ["impersonation", "bullying"])
        #expect(due.candidates[0].responseDueAt == 1_793_776_400 && due.candidates[0].reportCount == 2)
        #expect(due.context == EscalationList.Context(notChecked: 0, awaitingResponse: 0))
        #expect(try store.escalationCandidates(platform: "youtube", now: 1_793_776_400, categorizer: categorizer)
            .candidates.map(\.key) == ["youtube:video:Ab3dEf9hIjK"])
        try store.close()
        #expect(try CaseStore(path: path).appliedMigrations.isEmpty)
    }

    @Test("a store written by a newer urltriage is refused and left untouched")
    func newerStore() throws {
        let path = try TestSupport.temporaryDirectory() + "/new.sqlite"
        let store = try CaseStore(path: path, create: true)
        try store.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')")
        try store.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            _ = try CaseStore(path: path)
            Issue.record("a newer store was opened")
        } catch {
            #expect(error.kind == .newerSchema && error.message.contains("v9-future"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("another program's database, a text file and a missing file are refused with what to do")
    func notAStore() throws {
        let directory = try TestSupport.temporaryDirectory()
        let other = directory + "/other.sqlite"
        try CaseStore.writeForeignDatabase(path: other)
        do {
            _ = try CaseStore(path: other)
            Issue.record("a foreign database was opened")
        } catch {
            #expect(error.kind == .notAStore && error.message.contains("customers"))
        }
        let text = directory + "/notes.txt"
        try String(repeating: "not a database\n", count: 100).write(toFile: text, atomically: true, encoding: .utf8)
        #expect { try CaseStore(path: text) } throws: { ($0 as? StoreError)?.kind == .notAStore }
        #expect { try CaseStore(path: directory + "/none.sqlite") } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.kind == .missing && error.message.contains("urltriage ingest")
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/none.sqlite"))
    }
}
