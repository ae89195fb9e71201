import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// The escalation list over a real store in a temporary SQLite file, built through the
/// store's own ingest, recheck and mark, with a checker that answers from a table.
@Suite struct EscalationStoreTests {
    /// 2026-11-01T09:00:00Z: the reports' day.
    static let reportedDay: Int64 = 1_793_523_600
    /// The first recheck, a day later.
    static let checkedAt = reportedDay + 86_400
    /// The escalation of one item, an hour after the check.
    static let escalatedAt = checkedAt + 3_600
    /// The list: 84 h after that escalation, so 36 h past TikTok's 48 h target.
    static let listedAt = escalatedAt + 84 * 3_600

    static let reports = """
        reported_at,school,category,url,notes
        2026-11-01T09:00:00Z,Oakfield Academy,,https://www.tiktok.com/@someone/video/7300000000000000001,"comments say they are going to stab him"
        2026-11-01T10:00:00Z,Riverside Primary,bullying,https://www.tiktok.com/@someone/video/7300000000000000001,pupils named
        2026-11-01T11:00:00Z,Oakfield Academy,impersonation,https://www.tiktok.com/@fake.head/video/7300000000000000002,fake account
        2026-11-01T12:00:00Z,Hillside High,,https://www.tiktok.com/@fake.head,"fake account of the head"
        2026-11-01T13:00:00Z,Hillside High,reputation,https://www.instagram.com/p/AbCdEfGhIjK/,lies about a teacher
        2026-11-01T14:00:00Z,Hillside High,bullying,https://youtu.be/Ab3dEf9hIjK,fight filmed
        2026-11-01T15:00:00Z,Hillside High,bullying,https://www.tiktok.com/@x/video/7300000000000000003,mocking
        2026-11-01T16:00:00Z,Hillside High,bullying,https://www.tiktok.com/@y/video/7300000000000000004,mocking

        """

    /// Answers `removed` for YouTube, `unknown` for video …003, `live` for the rest.
    struct TableChecker: LivenessChecking {
        let at: Int64
        func check(_ requests: [CheckRequest]) -> AsyncStream<CheckResult> {
            let at = self.at
            return AsyncStream { continuation in
                for request in requests {
                    let verdict: Verdict = request.platform == "youtube" ? .removed
                        : request.key.hasSuffix("7300000000000000003") ? .unknown : .live
                    let reason = verdict == .unknown ? "rate-limited (HTTP 429) after 3 tries" : "HTTP 200"
                    continuation.yield(CheckResult(key: request.key, url: request.url, verdict: verdict, reason: reason,
                                                   elapsedMilliseconds: 5, checkedAt: Date(timeIntervalSince1970: TimeInterval(at))))
                }
                continuation.finish()
            }
        }
    }

    /// A store with the reports ingested, checked once, one item escalated long ago and one just now,
    /// and one more report ingested after the check (so never checked).
    static func makeStore() async throws -> CaseStore {
        let directory = try TestSupport.temporaryDirectory()
        let store = try CaseStore(path: directory + "/cases.sqlite", create: true)
        let rules = TestSupport.shippedRules
        try reports.write(toFile: directory + "/reports.csv", atomically: true, encoding: .utf8)
        _ = try StoreIngester(store: store, rules: rules).ingest(path: directory + "/reports.csv",
                                                                 options: IngestOptions(by: "test", now: reportedDay + 7 * 3_600))
        _ = try await Rechecker(store: store, checker: TableChecker(at: checkedAt), policy: .defaults, rules: rules)
            .run(RecheckOptions(by: "test"), now: checkedAt)
        let marker = ItemMarker(store: store, policy: .defaults, rules: rules)
        _ = try marker.mark("tiktok:video:7300000000000000002", .escalated(to: nil, reference: "TT-1", at: escalatedAt),
                            note: nil, by: "test", now: escalatedAt)
        _ = try marker.mark("tiktok:video:7300000000000000004", .escalated(to: nil, reference: "TT-2", at: listedAt - 3_600),
                            note: nil, by: "test", now: listedAt - 3_600)
        try "https://www.tiktok.com/@late/video/7300000000000000009\n".write(toFile: directory + "/late.txt", atomically: true, encoding: .utf8)
        _ = try StoreIngester(store: store, rules: rules).ingest(path: directory + "/late.txt", options: IngestOptions(by: "test", now: listedAt - 60))
        return store
    }

    static func list(_ store: CaseStore, platform: String? = nil) throws -> EscalationList {
        let categories = PrioritySupport.shippedCategories
        let found = try store.escalationCandidates(platform: platform, now: listedAt, categorizer: ItemCategorizer(categories: categories))
        let scorer = PriorityScorer(weights: .standard, categories: categories,
                                    platformNames: ["tiktok": "TikTok", "instagram": "Instagram"])
        return EscalationList.build(candidates: found.candidates, scorer: scorer, rules: TestSupport.shippedRules,
                                    now: listedAt, context: found.context)
    }

    @Test func mostUrgentFirstWithEveryReason() async throws {
        let store = try await Self.makeStore()
        let list = try Self.list(store)
        #expect(list.platforms.map(\.platform) == ["tiktok", "instagram"])
        let tiktok = list.platforms[0].rows
        // The threat goes above the overdue impersonation, whatever that scores.
        #expect(tiktok.map(\.item.key) == ["tiktok:video:7300000000000000001", "tiktok:video:7300000000000000002",
                                           "tiktok:profile:fake.head"])
        #expect(tiktok[0].route.first && tiktok[0].route.actNow == ["call the police now (999 in the UK)"])
        #expect(tiktok[1].score.reasons.map(\.description) == [
            "impersonation of staff or pupils (reported as \"impersonation\") +30",
            "1 report from 1 reporter +1",
            "live when checked 3 days ago +10",
            "live for 4 days +4",
            "36 h past TikTok's 48 h target +30",
            "a video +6",
        ])
        // Both reports count: the threat decides, the second report's bullying is listed beside it.
        #expect(tiktok[0].score.reasons.map(\.description) == [
            "threats and risk to life (notes say \"going to stab\"; also bullying: reported as \"bullying\") +50",
            "2 reports from 2 reporters +5",
            "live when checked 3 days ago +10",
            "live for 4 days +4",
            "a video +6",
        ])
        #expect(tiktok[2].item.category.because == "notes say \"fake account\"")
        #expect(list.platforms[0].route?.responseHours == 48)
        #expect(list.platforms[1].rows.map(\.item.category.category) == ["reputation"])
    }

    /// Adds a short link already merged into the item `target`, with one report of `category`.
    static func mergeShortLink(_ code: String, line: Int, category: String, into target: String, store: CaseStore) throws {
        try store.execute("""
            INSERT INTO items (key, platform, type, canonical_url, first_reported_at, last_reported_at, report_count,
                               status, status_since, alias_of)
                SELECT 'tiktok:short:\(code)', 'tiktok', 'short', 'https://vm.tiktok.com/\(code)/', first_reported_at,
                       last_reported_at, 1, 'merged', status_since, id
                FROM items WHERE key = '\(target)';
            INSERT INTO reports (source_id, line, url_index, batch_id, item_id, platform, reported_at, category)
                SELECT 1, \(line), 0, 1, id, 'tiktok', first_reported_at, '\(category)' FROM items WHERE key = 'tiktok:short:\(code)';
            """)
    }

    @Test func reportsOfMergedShortLinksCountAfterTheItemsOwn() async throws {
        let store = try await Self.makeStore()
        let profile = "tiktok:profile:fake.head"
        func category() throws -> [String]? {
            try store.escalationCandidates(now: Self.listedAt, categorizer: ItemCategorizer(categories: PrioritySupport.shippedCategories))
                .candidates.first { $0.key == profile }.map { [$0.category.category, $0.category.because] }
        }
        #expect(try category() == ["impersonation", "notes say \"fake account\""])
        // As serious as the item's own report, which came first and so stays the reason.
        try Self.mergeShortLink("ZMaaa", line: 1000, category: "impersonation", into: profile, store: store)
        #expect(try category() == ["impersonation", "notes say \"fake account\""])
        try Self.mergeShortLink("ZMbbb", line: 1001, category: "threat", into: profile, store: store)
        #expect(try category() == ["threat", "reported as \"threat\"; also impersonation: notes say \"fake account\""])
    }

    @Test func removedDropsOutUnknownNeedsAPersonAndTheRestIsCounted() async throws {
        let store = try await Self.makeStore()
        let list = try Self.list(store)
        #expect(!list.allRows.contains { $0.item.platform == "youtube" })
        #expect(list.needsPerson.map(\.item.key) == ["tiktok:video:7300000000000000003"])
        #expect(list.needsPerson.first?.item.checkReason?.contains("rate-limited (HTTP 429)") == true)
        #expect(list.context == EscalationList.Context(notChecked: 1, awaitingResponse: 1))
    }

    @Test func onePlatformOnly() async throws {
        let store = try await Self.makeStore()
        let list = try Self.list(store, platform: "instagram")
        #expect(list.platforms.map(\.platform) == ["instagram"])
        #expect(list.needsPerson.isEmpty)
    }

    @Test func recordingLeavesOnlyWhatIsNewOrOverdue() async throws {
        let store = try await Self.makeStore()
        let first = try Self.list(store)
        let outcome = EscalationRecorder(store: store, policy: .defaults, rules: TestSupport.shippedRules)
            .record(first, by: "test", now: Self.listedAt)
        #expect(outcome.recorded == 4)
        #expect(outcome.failures.isEmpty)
        let second = try Self.list(store)
        #expect(second.platforms.isEmpty)
        #expect(second.needsPerson.count == 1)
        #expect(second.context.awaitingResponse == 5)
    }
}
