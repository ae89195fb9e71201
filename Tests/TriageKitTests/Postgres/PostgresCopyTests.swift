import Foundation
import Testing
@testable import TriageKit
import TriagePostgres
@testable import TriageStore

/// `db copy`: a whole SQLite store with its history into PostgreSQL and back, checked by stats.
@Suite("PostgreSQL store: db copy", .enabled(if: PostgresTestSupport.enabled, PostgresTestSupport.skipMessage))
struct PostgresCopyTests {
    let noon = StoreTestSupport.noon
    let hour: Int64 = 3600

    /// An SQLite store with escalations, removals (one before any escalation), notes and a false report.
    func storeWithHistory() throws -> CaseStore {
        let store = try StoreTestSupport.freshStore()
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store, now: noon)
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.txt", into: store, now: noon + hour)
        let generated = try StoreTestSupport.file("generated.csv", PostgresIngestTests.generatedBatch(lines: 600))
        try StoreTestSupport.ingest(generated, into: store, now: noon + 2 * hour)
        let marker = ItemMarker(store: store, policy: .defaults, rules: TestSupport.shippedRules)
        let keys = try store.rows("SELECT key FROM items ORDER BY id LIMIT 40").map { $0[0]! }
        for (index, key) in keys.enumerated() {
            let at = noon + Int64(3 + index) * hour
            switch index % 4 {
            case 0:
                _ = try marker.mark(key, .escalated(to: nil, reference: "CASE-\(index)", at: nil), note: "sent", by: "sam", now: at)
                if index % 8 == 0 { _ = try marker.mark(key, .removed(at: nil), note: nil, by: "sam", now: at + 30 * hour) }
            case 1:
                _ = try marker.mark(key, .removed(at: nil), note: nil, by: "ana", now: at)
            case 2:
                _ = try marker.mark(key, .note, note: "called the school", by: "ana", now: at)
            default:
                _ = try marker.mark(key, .falseReport, note: "a joke", by: "ana", now: at)
            }
        }
        return store
    }

    @Test func aStoreWithItsHistoryGoesToPostgreSQLAndBackWithTheSameStats() async throws {
        let sqlite = try storeWithHistory()
        let postgres = try await PostgresStore.open(PostgresTestSupport.freshDatabase(), create: true)
        let now = noon + 200 * hour
        let there = try await StoreCopy.copy(from: sqlite, to: postgres, now: now)
        #expect(there.verified)
        #expect(there.sourceStats.escalated > 0 && there.sourceStats.removed > 0)
        #expect(there.tables.first { $0.name == "transitions" }?.rows ?? 0 > 0)

        let back = try StoreTestSupport.freshStore(name: "back.sqlite")
        let returned = try await StoreCopy.copy(from: postgres, to: back, now: now)
        #expect(returned.verified)
        #expect(returned.tables.map(\.rows) == there.tables.map(\.rows))
        #expect(try StoreMaintenance.check(back).isEmpty)
        // Every row came back as it was, ids included.
        for table in ["items", "reports", "transitions", "escalations", "notes", "item_reporters", "batches", "sources"] {
            #expect(try sqlite.rows("SELECT * FROM \(table) ORDER BY 1, 2") == back.rows("SELECT * FROM \(table) ORDER BY 1, 2"), "\(table)")
        }
        // New rows after the copy do not collide with the copied ids.
        let generated = try StoreTestSupport.file("more.csv", PostgresIngestTests.generatedBatch(lines: 50) + "2026-10-01T00:00:00Z,x,,,https://www.tiktok.com/@new/video/7399999999999999999,new\n")
        let input = try StoreIngester.prepare(path: generated, format: nil, allowBinary: false)
        let more = try await postgres.ingest(input, rules: TestSupport.shippedRules, options: IngestOptions(by: "t", now: noon + 300 * hour))
        #expect(more.newItems >= 1)
        await postgres.close()
    }

    @Test func aCopyIntoAStoreThatHoldsCasesIsRefused() async throws {
        let sqlite = try storeWithHistory()
        let postgres = try await PostgresStore.open(PostgresTestSupport.freshDatabase(), create: true)
        _ = try await StoreCopy.copy(from: sqlite, to: postgres)
        await #expect(throws: StoreError.self) { _ = try await StoreCopy.copy(from: sqlite, to: postgres) }
        await postgres.close()
    }
}
