import Foundation
import Testing
@testable import TriageKit
@testable import TriagePostgres
@testable import TriageStore

/// The stores a check queue test runs on: SQLite always, PostgreSQL when a test server is
/// configured (or in CI, where a missing one then fails the test).
enum QueueStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var available: [QueueStoreKind] { PostgresTestSupport.enabled ? allCases : [.sqlite] }

    var testDescription: String { rawValue }
}

/// A new store of one kind, with items ingested, and plain SQL on it for the assertions.
struct QueueHarness {
    let kind: QueueStoreKind
    let store: any CaseStoreBackend

    static let noon = StoreTestSupport.noon

    /// A store holding `count` generic pages ingested at noon (so due at noon), plus `extra` lines.
    static func make(_ kind: QueueStoreKind, pages count: Int, extra: [String] = []) async throws -> QueueHarness {
        let store: any CaseStoreBackend
        switch kind {
        case .sqlite: store = try StoreTestSupport.freshStore()
        case .postgres: store = try await PostgresStore.open(PostgresTestSupport.freshDatabase(), create: true)
        }
        let lines = (0..<count).map { "https://site\($0).example.org/page/\($0)" } + extra
        let batch = try StoreTestSupport.file("pages.txt", lines.joined(separator: "\n") + "\n")
        let input = try StoreIngester.prepare(path: batch, format: nil, allowBinary: false)
        _ = try await store.ingest(input, rules: TestSupport.shippedRules, options: IngestOptions(by: "tester", now: noon))
        return QueueHarness(kind: kind, store: store)
    }

    /// A queue on the store, as one worker process would make it.
    func queue() -> any CheckQueue {
        store.checkQueue(policy: .defaults, rules: TestSupport.shippedRules, by: "tester")
    }

    /// The rows `sql` returns, each column as text (nil for NULL), alike on both stores.
    func rows(_ sql: String) async throws -> [[String?]] {
        switch store {
        case let sqlite as CaseStore:
            return try sqlite.rows(sql)
        case let postgres as PostgresStore:
            return try await postgres.rows(sql)
        default:
            Issue.record("an unknown store")
            return []
        }
    }

    /// Runs statements that change the store (tests set clocks back).
    func execute(_ sql: String) async throws {
        switch store {
        case let sqlite as CaseStore: try sqlite.execute(sql)
        case let postgres as PostgresStore: try await postgres.execute(sql)
        default: Issue.record("an unknown store")
        }
    }

    /// The first column of the first row of `sql` as an integer (0 when there is none).
    func integer(_ sql: String) async throws -> Int64 {
        try await rows(sql).first?.first.flatMap { $0 }.flatMap { Int64($0) } ?? 0
    }

    func close() async {
        await store.closeConnections()
    }
}
