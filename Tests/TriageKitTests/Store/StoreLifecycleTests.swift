import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// A case's life on a real SQLite file: ingest, check, escalate, recheck, remove, stats.
@Suite("Store: lifecycle on a real store")
struct StoreLifecycleTests {
    let hour = StoreTime.hour
    let noon = StoreTestSupport.noon
    let video = "tiktok:video:7301234567890123456"
    let profile = "instagram:profile:riverside_primary_uncut"

    private func dayOne() throws -> CaseStore {
        let store = try StoreTestSupport.freshStore()
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store)
        return store
    }

    private func recheck(_ store: CaseStore, _ checker: ScriptedChecker, at now: Int64, limit: Int? = nil) async throws -> RecheckSummary {
        try await Rechecker(store: store, checker: checker, policy: .defaults, rules: TestSupport.shippedRules)
            .run(RecheckOptions(by: "cron", limit: limit), now: now)
    }

    private func marker(_ store: CaseStore) -> ItemMarker {
        ItemMarker(store: store, policy: .defaults, rules: TestSupport.shippedRules)
    }

    @Test("a day: ingest, check, escalate, recheck past the target, removal, stats")
    func day() async throws {
        let store = try dayOne()
        #expect(try store.rows("SELECT key FROM items WHERE next_check_at <= \(noon)").count == 5)

        // First check: the profile is restricted, the rest live.
        let checker = ScriptedChecker(at: noon, verdicts: [profile: .restricted])
        let first = try await recheck(store, checker, at: noon)
        #expect(first.due == 5 && first.checked == 5)
        #expect(first.transitions == ["new → live": 4, "new → restricted": 1])
        #expect(try await recheck(store, checker, at: noon).due == 0, "nothing is due again at once")

        // Staff escalate the video to TikTok (response target 48 h in tiktok.yaml), naming it by a URL.
        let escalated = try marker(store).mark("https://m.tiktok.com/@fake.head.teacher/video/7301234567890123456",
                                               .escalated(to: nil, reference: "CASE-123", at: nil),
                                               note: "sent via the trusted-flagger form", by: "sam", now: noon + hour)
        #expect(escalated.previous == .live && escalated.item.status == .escalated)
        #expect(escalated.responseDueAt == noon + 49 * hour)
        let escalation = try store.rows("SELECT platform, channel, reference, by, response_hours FROM escalations")
        #expect(escalation == [["tiktok", "TikTok trusted-flagger / safety partner route", "CASE-123", "sam", "48"]])

        // The restricted profile is retried after an hour; the others wait a day.
        checker.set(time: noon + 2 * hour)
        let retry = try await recheck(store, checker, at: noon + 2 * hour)
        #expect(retry.due == 1 && retry.checked == 1)

        // A day later the video is still up; at its target (49 h) it becomes overdue.
        checker.set(time: noon + 25 * hour)
        _ = try await recheck(store, checker, at: noon + 25 * hour)
        #expect(try StoreTestSupport.items(store)[video]?.status == "escalated")
        checker.set(time: noon + 49 * hour)
        let late = try await recheck(store, checker, at: noon + 49 * hour)
        #expect(late.transitions["escalated → overdue"] == 1)
        let stats = try StatsQuery.compute(store, now: noon + 49 * hour)
        #expect(stats.pastResponseTarget == 1 && stats.escalated == 1 && stats.removedAfterEscalation == 0)

        // Re-escalated; then the platform acts and the next check finds it gone.
        _ = try marker(store).mark(video, .escalated(to: nil, reference: "CASE-123b", at: nil), note: nil, by: "sam", now: noon + 50 * hour)
        let gone = ScriptedChecker(at: noon + 60 * hour, verdicts: [video: .removed, profile: .restricted])
        try store.execute("UPDATE items SET next_check_at = \(noon + 60 * hour) WHERE key = '\(video)'")
        let removal = try await recheck(store, gone, at: noon + 60 * hour)
        #expect(removal.transitions["escalated → removed"] == 1)

        // One more check confirms it, and then it is left alone.
        let confirmAt = noon + 84 * hour
        gone.set(time: confirmAt)
        _ = try await recheck(store, gone, at: confirmAt)
        #expect(try store.rows("SELECT status, next_check_at, removed_at FROM items WHERE key = '\(video)'")
                == [["removed", nil, String(noon + 60 * hour)]])

        let figures = try StatsQuery.compute(store, now: confirmAt)
        #expect(figures.reports == 6 && figures.items == 5 && figures.escalated == 1)
        #expect(figures.removedAfterEscalation == 1 && figures.takedownRate == 1)
        #expect(figures.hoursFromEscalationToRemoval?.medianHours == 59)
        #expect(figures.removedWithin24hOfEscalation == 0 && figures.removedWithin3dOfEscalation == 1)
        #expect(figures.goneBeforeEscalation == 0 && figures.pastResponseTarget == 0)
        #expect(figures.platforms.first?.platform == "tiktok" && figures.platforms.first?.reports == 4)

        // Every status change is on record, with who, when and why.
        let history = try store.rows("""
            SELECT t.from_status, t.to_status, t.by FROM transitions t JOIN items i ON i.id = t.item_id
            WHERE i.key = '\(video)' ORDER BY t.id
            """)
        #expect(history == [["new", "live", "cron"], ["live", "escalated", "sam"], ["escalated", "overdue", "cron"],
                            ["overdue", "escalated", "sam"], ["escalated", "removed", "cron"]])
        let why = try store.rows("SELECT why FROM transitions WHERE to_status = 'removed'")
        #expect(why.first?.first??.contains("HTTP 404") == true)
        // The video was checked at noon, 25 h, 49 h, 60 h and 84 h: every check is kept.
        #expect(try store.integer("SELECT count(*) FROM checks c JOIN items i ON i.id = c.item_id WHERE i.key = '\(video)'") == 5)
        #expect(try StoreTestSupport.assertConsistent(store).isEmpty)
    }

    @Test("items gone before anyone escalated them are counted apart")
    func goneBeforeEscalation() async throws {
        let store = try dayOne()
        _ = try await recheck(store, ScriptedChecker(at: noon, verdicts: [profile: .removed]), at: noon)
        let stats = try StatsQuery.compute(store, now: noon)
        #expect(stats.removed == 1 && stats.goneBeforeEscalation == 1 && stats.escalated == 0 && stats.takedownRate == nil)
        #expect(stats.hoursFromReportToRemoval != nil)
        #expect(stats.statuses == ["live": 4, "removed": 1])
    }

    @Test("stats --since counts only reports made and items first reported from then on")
    func statsSince() throws {
        let store = try dayOne()  // reports of 2026-11-02 to 2026-11-04
        let later = try StoreTestSupport.file("later.csv", """
            reported_at,url
            2026-11-10T10:00:00Z,https://www.youtube.com/watch?v=Zz9yXw8VuT7
            2026-11-10T11:00:00Z,https://youtu.be/Ab3dEf9hIjK
            """)
        try StoreTestSupport.ingest(later, into: store, now: noon + 8 * 24 * hour)
        let all = try StatsQuery.compute(store, now: noon + 30 * 24 * hour)
        #expect(all.reports == 8 && all.items == 6)
        let since = try #require(ReportedTime.parse("2026-11-05"))
        let recent = try StatsQuery.compute(store, since: since, now: noon + 30 * 24 * hour)
        #expect(recent.since == "2026-11-05T00:00:00Z")
        #expect(recent.reports == 2, "both reports of the 10th")
        #expect(recent.items == 1, "only the new video was first reported then")
        #expect(recent.platforms == [StoreStats.PlatformShare(platform: "youtube", items: 1, reports: 2, itemShare: 1, reportShare: 1)])
    }

    @Test("manual marks: removed, false report, reopen and notes are recorded; marks that make no sense are refused")
    func marks() async throws {
        let store = try dayOne()
        let marker = marker(store)
        let removed = try marker.mark(profile, .removed(at: noon - hour), note: "platform confirmed by e-mail", by: "ana", now: noon)
        #expect(removed.item.status == .removed && removed.item.removedAt == noon - hour)
        #expect(throws: StoreError.self) {
            try marker.mark(profile, .escalated(to: nil, reference: nil, at: nil), note: nil, by: "ana", now: noon)
        }
        #expect(throws: StoreError.self) { try marker.mark(profile, .removed(at: nil), note: nil, by: "ana", now: noon) }
        let reopened = try marker.mark(profile, .reopen, note: "it is back under a new name", by: "ana", now: noon + hour)
        #expect(reopened.item.status == .new && reopened.item.nextCheckAt == noon + hour)
        let closed = try marker.mark("https://youtu.be/Ab3dEf9hIjK", .falseReport, note: nil, by: "ana", now: noon)
        #expect(closed.item.status == .falseReport && closed.item.nextCheckAt == nil)
        _ = try marker.mark("youtube:video:Ab3dEf9hIjK", .note, note: "school says it was a misunderstanding", by: "ana", now: noon)
        #expect(try store.rows("SELECT by, text FROM notes") == [["ana", "school says it was a misunderstanding"]])
        #expect(try store.rows("SELECT why FROM transitions WHERE to_status = 'removed'")
                == [["marked removed; note: platform confirmed by e-mail"]])
        #expect(throws: StoreError.self) {
            try marker.mark(video, .escalated(to: nil, reference: nil, at: noon + 48 * hour), note: nil, by: "ana", now: noon)
        }
        do {
            _ = try marker.mark("tiktok:video:1", .removed(at: nil), note: nil, by: "ana", now: noon)
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(error.kind == .unknownItem && error.message.contains("tiktok:video:1"))
        }
        // A false report is never due again.
        let due = try await recheck(store, ScriptedChecker(at: noon + 2 * hour, verdicts: [:]), at: noon + 2 * hour)
        #expect(due.due == 4)
    }

    @Test("only one recheck runs on a store at a time")
    func oneRecheckAtATime() async throws {
        let store = try dayOne()
        var lock: RecheckLock? = try RecheckLock.acquire(storePath: store.path, now: noon)
        #expect(lock != nil)
        do {
            _ = try await recheck(store, ScriptedChecker(at: noon, verdicts: [:]), at: noon)
            Issue.record("a second recheck ran while the lock was held")
        } catch let error as StoreError {
            #expect(error.kind == .recheckRunning && error.message.contains("pid \(getpid())"))
        }
        // Dropping the lock closes its descriptor, which releases it.
        lock = nil
        #expect(try await recheck(store, ScriptedChecker(at: noon, verdicts: [:]), at: noon).checked == 5)
    }

    @Test("a stop request ends a recheck cleanly between results; the rest stay due")
    func stop() async throws {
        let store = try dayOne()
        let stop = StopSignal()
        let checker = ScriptedChecker(at: noon) { request in
            if request.key.hasPrefix("instagram") { stop.request(reason: "SIGTERM") }
            return (.live, nil)
        }
        var options = RecheckOptions(by: "cron")
        options.pageSize = 2
        let summary = try await Rechecker(store: store, checker: checker, policy: .defaults, rules: nil)
            .run(options, stop: stop, now: noon)
        #expect(summary.stoppedBy == "SIGTERM" && summary.checked < 5)
        #expect(try store.rows("SELECT outcome FROM recheck_runs") == [["stopped by SIGTERM"]])
        #expect(try store.integer("SELECT count(*) FROM items WHERE next_check_at <= \(noon)") == Int64(5 - summary.checked))
    }

    @Test("a stop request does not wait for slow checks to finish")
    func stopWhileChecksHang() async throws {
        let store = try dayOne()
        let stop = StopSignal()
        let slow = ScriptedChecker(at: noon, pause: .seconds(120)) { _ in (.live, nil) }
        let rechecker = Rechecker(store: store, checker: slow, policy: .defaults, rules: nil)
        let started = ContinuousClock.now
        let run = Task { try await rechecker.run(RecheckOptions(by: "cron"), stop: stop, now: noon) }
        try await Task.sleep(for: .milliseconds(300))
        stop.request(reason: "SIGTERM")
        let summary = try await run.value
        #expect(summary.stoppedBy == "SIGTERM" && summary.checked == 0)
        // Waiting for the checks would take the first one's pause (120 s) and record it. The bound
        // is the pause, not less: in a loaded full run, tests that wait on child processes hold
        // the cooperative threads, and this run took 62 s to be scheduled, not to stop.
        #expect(ContinuousClock.now - started < .seconds(115), "the run ended without waiting for the checks")
        #expect(try store.rows("SELECT outcome FROM recheck_runs") == [["stopped by SIGTERM"]])
    }

    @Test("a short link that resolves to known content is merged into it, reports and all")
    func shortLinkMerge() async throws {
        let store = try StoreTestSupport.freshStore()
        let path = try StoreTestSupport.file("short.csv", """
            url,school
            https://vm.tiktok.com/ZMabc123/,Oakfield
            https://www.tiktok.com/@fake.head.teacher/video/7301234567890123456,Riverside
            """)
        try StoreTestSupport.ingest(path, into: store)
        let short = try #require(try store.rows("SELECT key FROM items WHERE type = 'short'").first?[0])
        let checker = ScriptedChecker(at: noon) { request in
            (.live, request.key == short ? "tiktok:video:7301234567890123456" : nil)
        }
        let summary = try await recheck(store, checker, at: noon)
        #expect(summary.merged == 1)
        let items = try StoreTestSupport.items(store)
        #expect(items[short]?.status == "merged")
        #expect(items[video]?.reports == 2 && items[video]?.reporters == 2)
        let stats = try StatsQuery.compute(store, now: noon)
        #expect(stats.items == 1 && stats.reports == 2)
        // Later reports of the short link count on the video.
        let later = try StoreTestSupport.file("later.txt", "again https://vm.tiktok.com/ZMabc123/\n")
        try StoreTestSupport.ingest(later, into: store)
        #expect(try StoreTestSupport.items(store)[video]?.reports == 3)
        // A mark on the short link goes to the video.
        let marked = try marker(store).mark(short, .escalated(to: nil, reference: nil, at: nil), note: nil, by: "sam", now: noon)
        #expect(marked.redirectedFrom == short && marked.item.key == video)
        #expect(try StoreTestSupport.assertConsistent(store).isEmpty)
    }

    @Test("due items are selected from the index alone, oldest first")
    func dueQueryPlan() throws {
        let store = try dayOne()
        let plan = try store.rows("""
            EXPLAIN QUERY PLAN SELECT id, next_check_at, status FROM items INDEXED BY items_due
            WHERE next_check_at <= 0 AND (next_check_at, status, id) > (0, '', 0) ORDER BY next_check_at, status, id LIMIT 10
            """)
        let detail = plan.compactMap { $0.last ?? nil }.joined(separator: " | ")
        #expect(detail.contains("USING COVERING INDEX items_due"), "\(detail)")
        #expect(!detail.contains("TEMP B-TREE"), "\(detail)")
        let preview = try DueItems.preview(store, now: noon)
        #expect(preview.count == 5 && preview.statuses == ["new": 5])
    }
}
