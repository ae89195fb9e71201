import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// The SQLite check queue on its own: claims, leases, and who may record what.
@Suite("Workers: the SQLite check queue")
struct SQLiteCheckQueueTests {
    static let noon = StoreTestSupport.noon

    /// A store with `count` generic pages ingested at noon (so due at noon), and a queue on it.
    static func queue(items count: Int) throws -> (CaseStore, SQLiteCheckQueue) {
        let store = try StoreTestSupport.freshStore()
        let batch = try StoreTestSupport.file("pages.txt", (0..<count).map { "https://site\($0).example.org/page/\($0)" }
            .joined(separator: "\n") + "\n")
        try StoreTestSupport.ingest(batch, into: store, now: noon)
        return (store, SQLiteCheckQueue(store: store, policy: .defaults, rules: TestSupport.shippedRules, by: "tester"))
    }

    static func worker(_ name: String, region: String? = nil) -> WorkerIdentity {
        WorkerIdentity(name: name, region: region, host: "test", pid: 1)
    }

    static func result(_ claimed: ClaimedCheck, _ verdict: Verdict, at time: Int64) -> CheckResult {
        CheckResult(key: claimed.request.key, url: claimed.request.url, verdict: verdict, httpStatus: verdict == .removed ? 404 : 200,
                    finalURL: claimed.request.url, reason: "scripted", elapsedMilliseconds: 1,
                    checkedAt: Date(timeIntervalSince1970: TimeInterval(time)), resolvedKey: nil)
    }

    @Test("claims hand out each due item once, and leased items are not due")
    func claimsAreDisjoint() async throws {
        let (store, queue) = try Self.queue(items: 5)
        _ = try await queue.startRound(worker: Self.worker("a"), by: "tester", now: Self.noon)
        let first = try await queue.claim(worker: "a", region: nil, count: 3, leaseSeconds: 60, now: Self.noon)
        let second = try await queue.claim(worker: "b", region: nil, count: 3, leaseSeconds: 60, now: Self.noon)
        let third = try await queue.claim(worker: "c", region: nil, count: 3, leaseSeconds: 60, now: Self.noon)
        #expect(first.count == 3 && second.count == 2 && third.isEmpty)
        #expect(Set(first.map(\.request.key)).isDisjoint(with: second.map(\.request.key)))
        #expect(first.allSatisfy { $0.leaseUntil == Self.noon + 60 })
        #expect(try DueItems.preview(store, now: Self.noon).count == 0)
        #expect(try store.integer("SELECT count(*) FROM items WHERE lease_worker = 'a' AND lease_until = next_check_at") == 3)
    }

    @Test("a dead worker's items are claimed again only after its lease ends")
    func expiredLeasesAreClaimedAgain() async throws {
        let (_, queue) = try Self.queue(items: 4)
        let held = try await queue.claim(worker: "a", region: nil, count: 10, leaseSeconds: 30, now: Self.noon)
        #expect(held.count == 4)
        #expect(try await queue.claim(worker: "b", region: nil, count: 10, leaseSeconds: 30, now: Self.noon + 30).isEmpty)
        let taken = try await queue.claim(worker: "b", region: nil, count: 10, leaseSeconds: 30, now: Self.noon + 31)
        #expect(Set(taken.map(\.request.key)) == Set(held.map(\.request.key)))
    }

    @Test("a verdict is recorded only while the worker holds the lease; the rest come back lost")
    func recordsOnlyUnderAHeldLease() async throws {
        let (store, queue) = try Self.queue(items: 3)
        let round = try await queue.startRound(worker: Self.worker("a", region: "uk"), by: "tester", now: Self.noon)
        let held = try await queue.claim(worker: "a", region: "uk", count: 10, leaseSeconds: 30, now: Self.noon)
        // a stalls past its lease; b takes the items.
        let taken = try await queue.claim(worker: "b", region: "de", count: 10, leaseSeconds: 30, now: Self.noon + 40)
        #expect(taken.count == 3)
        let late = try await queue.record(held.map { Self.result($0, .live, at: Self.noon + 41) }, worker: "a", region: "uk",
                                          round: round, now: Self.noon + 41)
        #expect(late.checked == 0 && late.lost.count == 3)
        #expect(try store.integer("SELECT count(*) FROM checks") == 0)
        let onTime = try await queue.record(taken.map { Self.result($0, .live, at: Self.noon + 42) }, worker: "b", region: "de",
                                            round: round, now: Self.noon + 42)
        #expect(onTime.checked == 3 && onTime.lost.isEmpty)
        #expect(try store.integer("SELECT count(*) FROM checks WHERE worker = 'b' AND region = 'de'") == 3)
        #expect(try store.integer("SELECT count(*) FROM items WHERE lease_worker IS NOT NULL OR lease_until IS NOT NULL") == 0)
        #expect(try store.integer("SELECT count(*) FROM items WHERE status = 'live' AND next_check_at > \(Self.noon + 42)") == 3)
        // Recording twice is refused: the lease ended with the first.
        let again = try await queue.record(taken.map { Self.result($0, .removed, at: Self.noon + 43) }, worker: "b", region: "de",
                                           round: round, now: Self.noon + 43)
        #expect(again.checked == 0 && again.lost.count == 3)
    }

    @Test("an expired lease nobody took is lost all the same")
    func expiredLeaseIsLost() async throws {
        let (_, queue) = try Self.queue(items: 1)
        let round = try await queue.startRound(worker: Self.worker("a"), by: "tester", now: Self.noon)
        let held = try await queue.claim(worker: "a", region: nil, count: 1, leaseSeconds: 10, now: Self.noon)
        let recording = try await queue.record(held.map { Self.result($0, .live, at: Self.noon + 11) }, worker: "a", region: nil,
                                               round: round, now: Self.noon + 11)
        #expect(recording.checked == 0 && recording.lost.count == 1)
    }

    @Test("heartbeats extend the leases in hand and name the ones lost; release makes items due at once")
    func heartbeatAndRelease() async throws {
        let (store, queue) = try Self.queue(items: 2)
        let held = try await queue.claim(worker: "a", region: nil, count: 2, leaseSeconds: 30, now: Self.noon)
        let keys = held.map(\.request.key).sorted()
        #expect(try await queue.heartbeat(worker: "a", keys: keys, leaseSeconds: 30, now: Self.noon + 20).isEmpty)
        // Still held at noon + 40 thanks to the heartbeat: nobody else gets them.
        #expect(try await queue.claim(worker: "b", region: nil, count: 2, leaseSeconds: 30, now: Self.noon + 40).isEmpty)
        try await queue.release(keys: [keys[0]], worker: "a", now: Self.noon + 45)
        #expect(try await queue.heartbeat(worker: "a", keys: keys, leaseSeconds: 30, now: Self.noon + 46) == [keys[0]])
        let retaken = try await queue.claim(worker: "b", region: nil, count: 2, leaseSeconds: 30, now: Self.noon + 46)
        #expect(retaken.map(\.request.key) == [keys[0]])
        #expect(try store.integer("SELECT count(*) FROM items WHERE lease_worker = 'a'") == 1)
    }

    @Test("workers are listed with their region, checks of the last hour and leases held")
    func workersListing() async throws {
        let (_, queue) = try Self.queue(items: 3)
        let round = try await queue.startRound(worker: Self.worker("a", region: "uk"), by: "tester", now: Self.noon)
        let held = try await queue.claim(worker: "a", region: "uk", count: 2, leaseSeconds: 300, now: Self.noon)
        _ = try await queue.record([Self.result(held[0], .live, at: Self.noon + 1)], worker: "a", region: "uk",
                                   round: round, now: Self.noon + 1)
        let workers = try await queue.workers(now: Self.noon + 2)
        #expect(workers == [WorkerStatus(name: "a", region: "uk", host: "test", pid: 1, startedAt: Self.noon, lastSeenAt: Self.noon + 1,
                                         checkedLastHour: 1, leasesHeld: 1)])
        #expect(try await queue.workers(now: Self.noon + 2 + StoreTime.hour).first?.checkedLastHour == 0)
        let text = WorkerListing.text(workers, now: Self.noon + 2)
        #expect(text.hasPrefix("WORKER  REGION  HOST  PID  LAST SEEN"))
        #expect(text.contains("a       uk      test    1  2026-11-02T12:00:01Z (1 s ago)"))
    }
}
