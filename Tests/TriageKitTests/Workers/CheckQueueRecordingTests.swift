import Foundation
import Testing
@testable import TriageKit
import TriagePostgres
@testable import TriageStore

/// The same verdicts recorded by workers on an SQLite store and on a PostgreSQL store leave
/// the same store: statuses, transitions with their reasons, checks with worker and region,
/// short links merged, geo-blocks kept open.
@Suite("Workers: recording on PostgreSQL as on SQLite", .enabled(if: PostgresTestSupport.enabled, PostgresTestSupport.skipMessage))
struct CheckQueueRecordingTests {
    static let noon = QueueHarness.noon
    static let video = "https://www.tiktok.com/@someone/video/7301234567890123456"
    static let newVideo = "https://www.tiktok.com/@other/video/7309999999999999999"

    /// What each page's check says in a round: round one from the uk, round two from de.
    static func verdict(_ url: String, round: Int) -> Verdict {
        let verdicts: [Verdict] = round == 1 ? [.live, .removed, .restricted, .error, .live, .unknown]
                                             : [.removed, .live, .removed, .live, .live, .removed]
        guard let page = url.split(separator: "/").last.flatMap({ Int($0) }) else { return .live }
        return verdicts[page % verdicts.count]
    }

    /// One round by `worker`: every due item claimed, and checked as `verdict` says, short links resolved.
    static func round(_ harness: QueueHarness, worker: String, region: String, round number: Int, at now: Int64) async throws {
        let queue = harness.queue()
        let round = try await queue.startRound(worker: WorkerIdentity(name: worker, region: region, host: "test", pid: 1),
                                               by: "tester", now: now)
        let claimed = try await queue.claim(worker: worker, region: region, count: 100, leaseSeconds: 300, now: now)
            .sorted { $0.request.key < $1.request.key }
        let results = claimed.map { item in
            let url = item.request.url
            if url.contains("vm.tiktok.com/ZMfirst") {
                return CheckQueueTests.result(item, .live, at: now + 5, resolvedKey: "tiktok:video:7301234567890123456", finalURL: video)
            }
            if url.contains("vm.tiktok.com/ZMsecond") {
                return CheckQueueTests.result(item, .live, at: now + 5, resolvedKey: "tiktok:video:7309999999999999999", finalURL: newVideo)
            }
            return CheckQueueTests.result(item, verdict(url, round: number), at: now + 5)
        }
        let recording = try await queue.record(results, worker: worker, region: region, round: round, now: now + 6)
        #expect(recording.lost.isEmpty)
        try await queue.finishRound(round, checked: recording.checked, changed: recording.transitions.values.reduce(0, +),
                                    outcome: "finished", now: now + 7)
    }

    /// The store's contents that recording writes, ids replaced by keys where they could differ, rows
    /// sorted here (the two databases order text by different collations).
    static func contents(_ harness: QueueHarness) async throws -> [String: [[String?]]] {
        let tables: [String: [[String?]]] = [
            "items": try await harness.rows("""
                SELECT i.key, i.status, i.status_since, i.last_verdict, i.check_streak, i.next_check_at, i.removed_at,
                       i.last_checked_at, i.report_count, i.reporter_count, i.first_reported_at, a.key, i.lease_worker, i.lease_until
                FROM items i LEFT JOIN items a ON a.id = i.alias_of ORDER BY i.key
                """),
            "transitions": try await harness.rows("""
                SELECT i.key, t.from_status, t.to_status, t.at, t.why, t.by, c.worker FROM transitions t JOIN items i ON i.id = t.item_id
                LEFT JOIN checks c ON c.id = t.check_id ORDER BY i.key, t.at, t.id
                """),
            "checks": try await harness.rows("""
                SELECT i.key, c.checked_at, c.url, c.verdict, c.http_status, c.final_url, c.reason, c.resolved_key, c.worker, c.region,
                       r.started_at, r.checked
                FROM checks c JOIN items i ON i.id = c.item_id JOIN recheck_runs r ON r.id = c.run_id ORDER BY i.key, c.checked_at
                """),
            "runs": try await harness.rows("SELECT started_at, finished_at, by, due, checked, changed, outcome FROM recheck_runs ORDER BY id"),
            "workers": try await harness.rows("SELECT name, region, started_at, last_seen_at FROM workers ORDER BY name"),
        ]
        return tables.mapValues { rows in rows.sorted { $0.map { $0 ?? "-" }.lexicographicallyPrecedes($1.map { $0 ?? "-" }) } }
    }

    @Test("two rounds from two regions leave the same store on SQLite and PostgreSQL")
    func sameStoreOnBoth() async throws {
        var stores: [[String: [[String?]]]] = []
        for kind in QueueStoreKind.allCases {
            let harness = try await QueueHarness.make(kind, pages: 12, extra: [
                Self.video, "https://vm.tiktok.com/ZMfirst1/", "https://vm.tiktok.com/ZMsecond2/",
            ])
            try await Self.round(harness, worker: "london", region: "uk", round: 1, at: Self.noon)
            // Two days on every scheduled item is due again, and a worker in another region takes them.
            try await harness.execute("UPDATE items SET next_check_at = \(Self.noon + 2 * StoreTime.day) WHERE next_check_at IS NOT NULL")
            try await Self.round(harness, worker: "berlin", region: "de", round: 2, at: Self.noon + 2 * StoreTime.day)
            stores.append(try await Self.contents(harness))
            await harness.close()
        }
        for table in stores[0].keys.sorted() {
            #expect(stores[0][table] == stores[1][table], "\(table)")
        }
        // The scenario did what it is for: merges, a geo-block, a removal and a return.
        let transitions = stores[0]["transitions"] ?? []
        #expect(transitions.contains { $0[2] == "merged" })
        let live = Set((stores[0]["items"] ?? []).filter { $0[1] == "live" }.map { $0[0] })
        #expect((stores[0]["checks"] ?? []).contains { $0[3] == "removed" && $0[9] == "de" && live.contains($0[0]) },
                "removed in de, up in the uk: kept live")
        #expect(transitions.contains { $0[1] == "removed" })
        #expect(stores[0]["items"]?.contains { $0[0] == "tiktok:video:7309999999999999999" } == true)
    }
}
