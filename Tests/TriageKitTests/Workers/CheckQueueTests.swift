import Foundation
import Testing
@testable import TriageKit
import TriagePostgres
@testable import TriageStore

/// The check queue on its own, on both stores (PostgreSQL when `URLTRIAGE_TEST_PG` names a
/// server): claims, leases, and who may record what.
@Suite("Workers: the check queue on SQLite and PostgreSQL")
struct CheckQueueTests {
    static let noon = QueueHarness.noon

    static func worker(_ name: String, region: String? = nil) -> WorkerIdentity {
        WorkerIdentity(name: name, region: region, host: "test", pid: 1)
    }

    static func result(_ claimed: ClaimedCheck, _ verdict: Verdict, at time: Int64, resolvedKey: String? = nil,
                       finalURL: String? = nil) -> CheckResult {
        CheckResult(key: claimed.request.key, url: claimed.request.url, verdict: verdict, httpStatus: verdict == .removed ? 404 : 200,
                    finalURL: finalURL ?? claimed.request.url, reason: "scripted", elapsedMilliseconds: 1,
                    checkedAt: Date(timeIntervalSince1970: TimeInterval(time)), resolvedKey: resolvedKey)
    }

    @Test("PostgreSQL tests run here", .enabled(if: PostgresTestSupport.enabled, PostgresTestSupport.skipMessage))
    func postgresIsThere() async throws {
        let harness = try await QueueHarness.make(.postgres, pages: 1)
        #expect(try await harness.integer("SELECT count(*) FROM items") == 1)
        await harness.close()
    }

    @Test("claims hand out each due item once, and leased items are not due", arguments: QueueStoreKind.available)
    func claimsAreDisjoint(kind: QueueStoreKind) async throws {
        let harness = try await QueueHarness.make(kind, pages: 5)
        let queue = harness.queue()
        _ = try await queue.startRound(worker: Self.worker("a"), by: "tester", now: Self.noon)
        let first = try await queue.claim(worker: "a", region: nil, count: 3, leaseSeconds: 60, now: Self.noon)
        let second = try await queue.claim(worker: "b", region: nil, count: 3, leaseSeconds: 60, now: Self.noon)
        let third = try await queue.claim(worker: "c", region: nil, count: 3, leaseSeconds: 60, now: Self.noon)
        #expect(first.count == 3 && second.count == 2 && third.isEmpty)
        #expect(Set(first.map(\.request.key)).isDisjoint(with: second.map(\.request.key)))
        #expect(first.allSatisfy { $0.leaseUntil == Self.noon + 60 })
        #expect(try await harness.integer("SELECT count(*) FROM items WHERE next_check_at <= \(Self.noon)") == 0)
        #expect(try await harness.integer("SELECT count(*) FROM items WHERE lease_worker = 'a' AND lease_until = next_check_at") == 3)
        await harness.close()
    }

    @Test("claims take the most overdue items first", arguments: QueueStoreKind.available)
    func mostOverdueFirst(kind: QueueStoreKind) async throws {
        let harness = try await QueueHarness.make(kind, pages: 4)
        let ids = try await harness.rows("SELECT id FROM items ORDER BY id").compactMap { $0[0] }
        // The last item fell due an hour before the others.
        try await harness.execute("UPDATE items SET next_check_at = \(Self.noon - 3600) WHERE id = \(ids[3])")
        let claimed = try await harness.queue().claim(worker: "a", region: nil, count: 2, leaseSeconds: 60, now: Self.noon)
        let keys = try await harness.rows("SELECT key FROM items WHERE id IN (\(ids[3]), \(ids[0]))").compactMap { $0[0] }
        #expect(Set(claimed.map(\.request.key)) == Set(keys))
        await harness.close()
    }

    @Test("claimers at the same moment, each with its own connection, never share an item", arguments: QueueStoreKind.available)
    func concurrentClaimersAreDisjoint(kind: QueueStoreKind) async throws {
        let harness = try await QueueHarness.make(kind, pages: 300)
        let queues = (0..<6).map { _ in harness.queue() }
        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for (index, queue) in queues.enumerated() {
                group.addTask {
                    var keys: [String] = []
                    while true {
                        let claimed = try await queue.claim(worker: "w\(index)", region: nil, count: 7, leaseSeconds: 60, now: Self.noon)
                        if claimed.isEmpty { return keys }
                        keys += claimed.map(\.request.key)
                    }
                }
            }
            var all: [[String]] = []
            for try await keys in group { all.append(keys) }
            return all
        }
        let every = claims.flatMap { $0 }
        #expect(every.count == 300)
        #expect(Set(every).count == 300, "an item was handed to two claimers")
        #expect(claims.filter { !$0.isEmpty }.count > 1, "the claimers took turns, not all the work one")
        #expect(try await harness.integer("SELECT count(*) FROM items WHERE lease_worker IS NULL") == 0)
        await harness.close()
    }

    @Test("a dead worker's items are claimed again only after its lease ends", arguments: QueueStoreKind.available)
    func expiredLeasesAreClaimedAgain(kind: QueueStoreKind) async throws {
        let harness = try await QueueHarness.make(kind, pages: 4)
        let queue = harness.queue()
        let held = try await queue.claim(worker: "a", region: nil, count: 10, leaseSeconds: 30, now: Self.noon)
        #expect(held.count == 4)
        #expect(try await queue.claim(worker: "b", region: nil, count: 10, leaseSeconds: 30, now: Self.noon + 30).isEmpty)
        let taken = try await queue.claim(worker: "b", region: nil, count: 10, leaseSeconds: 30, now: Self.noon + 31)
        #expect(Set(taken.map(\.request.key)) == Set(held.map(\.request.key)))
        await harness.close()
    }

    @Test("a verdict is recorded only while the worker holds the lease; the rest come back lost",
          arguments: QueueStoreKind.available)
    func recordsOnlyUnderAHeldLease(kind: QueueStoreKind) async throws {
        let harness = try await QueueHarness.make(kind, pages: 3)
        let queue = harness.queue()
        let round = try await queue.startRound(worker: Self.worker("a", region: "uk"), by: "tester", now: Self.noon)
        let held = try await queue.claim(worker: "a", region: "uk", count: 10, leaseSeconds: 30, now: Self.noon)
        // a stalls past its lease; b takes the items.
        let taken = try await queue.claim(worker: "b", region: "de", count: 10, leaseSeconds: 30, now: Self.noon + 40)
        #expect(taken.count == 3)
        let late = try await queue.record(held.map { Self.result($0, .live, at: Self.noon + 41) }, worker: "a", region: "uk",
                                          round: round, now: Self.noon + 41)
        #expect(late.checked == 0 && late.lost.count == 3)
        #expect(try await harness.integer("SELECT count(*) FROM checks") == 0)
        let onTime = try await queue.record(taken.map { Self.result($0, .live, at: Self.noon + 42) }, worker: "b", region: "de",
                                            round: round, now: Self.noon + 42)
        #expect(onTime.checked == 3 && onTime.lost.isEmpty)
        #expect(try await harness.integer("SELECT count(*) FROM checks WHERE worker = 'b' AND region = 'de'") == 3)
        #expect(try await harness.integer("SELECT count(*) FROM items WHERE lease_worker IS NOT NULL OR lease_until IS NOT NULL") == 0)
        #expect(try await harness.integer("SELECT count(*) FROM items WHERE status = 'live' AND next_check_at > \(Self.noon + 42)") == 3)
        #expect(try await harness.integer("SELECT checked FROM recheck_runs WHERE id = \(round.runID)") == 3)
        // Recording twice is refused: the lease ended with the first.
        let again = try await queue.record(taken.map { Self.result($0, .removed, at: Self.noon + 43) }, worker: "b", region: "de",
                                           round: round, now: Self.noon + 43)
        #expect(again.checked == 0 && again.lost.count == 3)
        await harness.close()
    }

    @Test("an expired lease nobody took is lost all the same", arguments: QueueStoreKind.available)
    func expiredLeaseIsLost(kind: QueueStoreKind) async throws {
        let harness = try await QueueHarness.make(kind, pages: 1)
        let queue = harness.queue()
        let round = try await queue.startRound(worker: Self.worker("a"), by: "tester", now: Self.noon)
        let held = try await queue.claim(worker: "a", region: nil, count: 1, leaseSeconds: 10, now: Self.noon)
        let recording = try await queue.record(held.map { Self.result($0, .live, at: Self.noon + 11) }, worker: "a", region: nil,
                                               round: round, now: Self.noon + 11)
        #expect(recording.checked == 0 && recording.lost.count == 1)
        await harness.close()
    }

    @Test("heartbeats extend the leases in hand and name the ones lost; release makes items due at once",
          arguments: QueueStoreKind.available)
    func heartbeatAndRelease(kind: QueueStoreKind) async throws {
        let harness = try await QueueHarness.make(kind, pages: 2)
        let queue = harness.queue()
        let held = try await queue.claim(worker: "a", region: nil, count: 2, leaseSeconds: 30, now: Self.noon)
        let keys = held.map(\.request.key).sorted()
        #expect(try await queue.heartbeat(worker: "a", keys: keys, leaseSeconds: 30, now: Self.noon + 20).isEmpty)
        // Still held at noon + 40 thanks to the heartbeat: nobody else gets them.
        #expect(try await queue.claim(worker: "b", region: nil, count: 2, leaseSeconds: 30, now: Self.noon + 40).isEmpty)
        try await queue.release(keys: [keys[0]], worker: "a", now: Self.noon + 45)
        #expect(try await queue.heartbeat(worker: "a", keys: keys, leaseSeconds: 30, now: Self.noon + 46) == [keys[0]])
        let retaken = try await queue.claim(worker: "b", region: nil, count: 2, leaseSeconds: 30, now: Self.noon + 46)
        #expect(retaken.map(\.request.key) == [keys[0]])
        #expect(try await harness.integer("SELECT count(*) FROM items WHERE lease_worker = 'a'") == 1)
        // Another worker cannot release what it does not hold.
        try await queue.release(keys: [keys[1]], worker: "b", now: Self.noon + 47)
        #expect(try await harness.integer("SELECT count(*) FROM items WHERE lease_worker = 'a'") == 1)
        await harness.close()
    }

    @Test("workers are listed with their region, checks of the last hour and leases held", arguments: QueueStoreKind.available)
    func workersListing(kind: QueueStoreKind) async throws {
        let harness = try await QueueHarness.make(kind, pages: 3)
        let queue = harness.queue()
        let round = try await queue.startRound(worker: Self.worker("a", region: "uk"), by: "tester", now: Self.noon)
        _ = try await queue.startRound(worker: Self.worker("B"), by: "tester", now: Self.noon)
        let held = try await queue.claim(worker: "a", region: "uk", count: 2, leaseSeconds: 300, now: Self.noon)
        _ = try await queue.record([Self.result(held[0], .live, at: Self.noon + 1)], worker: "a", region: "uk",
                                   round: round, now: Self.noon + 1)
        let workers = try await queue.workers(now: Self.noon + 2)
        #expect(workers == [WorkerStatus(name: "B", region: nil, host: "test", pid: 1, startedAt: Self.noon, lastSeenAt: Self.noon,
                                         checkedLastHour: 0, leasesHeld: 0),
                            WorkerStatus(name: "a", region: "uk", host: "test", pid: 1, startedAt: Self.noon, lastSeenAt: Self.noon + 1,
                                         checkedLastHour: 1, leasesHeld: 1)])
        #expect(try await queue.workers(now: Self.noon + 2 + StoreTime.hour).last?.checkedLastHour == 0)
        let text = WorkerListing.text(Array(workers.suffix(1)), now: Self.noon + 2)
        #expect(text.hasPrefix("WORKER  REGION  HOST  PID  LAST SEEN"))
        #expect(text.contains("a       uk      test    1  2026-11-02T12:00:01Z (1 s ago)"))
        await harness.close()
    }
}
