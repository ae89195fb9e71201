import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// `escalate --record` run twice at once: every listed item is recorded once.
@Suite("Store: recording escalations")
struct EscalationRecordTests {
    private typealias Fixture = EscalationStoreTests

    private func escalations(_ store: CaseStore) throws -> [String] {
        try store.rows("""
            SELECT i.key || ' ' || count(*) FROM escalations e JOIN items i ON i.id = e.item_id
            WHERE e.escalated_at = \(Fixture.listedAt) GROUP BY i.key ORDER BY i.key
            """).map { $0[0] ?? "" }
    }

    @Test("two lists made before either was recorded: the second records nothing twice")
    func secondListSkipsWhatTheFirstRecorded() async throws {
        let store = try await Fixture.makeStore()
        let first = try Fixture.list(store)
        let second = try Fixture.list(store)
        let listed = first.platforms.flatMap(\.rows).map(\.item.key).sorted()
        #expect(!listed.isEmpty)
        let recorder = EscalationRecorder(store: store, policy: .defaults, rules: TestSupport.shippedRules)
        let a = recorder.record(first, by: "kim", now: Fixture.listedAt)
        #expect(a.recorded == listed.count && a.failures.isEmpty && a.skipped.isEmpty)
        let b = recorder.record(second, by: "sam", now: Fixture.listedAt)
        #expect(b.recorded == 0 && b.failures.isEmpty, "\(b.failures)")
        #expect(b.skipped.sorted() == listed)
        #expect(try escalations(store) == listed.map { $0 + " 1" })
    }

    @Test("two recorders on their own connections at once: each item recorded once")
    func concurrentRecorders() async throws {
        let store = try await Fixture.makeStore()
        let path = store.path
        let listed = try Fixture.list(store).platforms.flatMap(\.rows).map(\.item.key).sorted()
        let outcomes = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for name in ["kim", "sam", "alex"] {
                group.addTask {
                    let own = try CaseStore(path: path)
                    let list = try Fixture.list(own)
                    let outcome = EscalationRecorder(store: own, policy: .defaults, rules: TestSupport.shippedRules)
                        .record(list, by: name, now: Fixture.listedAt)
                    return (outcome.recorded, outcome.failures.count)
                }
            }
            return try await group.reduce(into: [(Int, Int)]()) { $0.append($1) }
        }
        #expect(outcomes.map(\.0).reduce(0, +) == listed.count)
        #expect(outcomes.map(\.1).reduce(0, +) == 0)
        #expect(try escalations(store) == listed.map { $0 + " 1" })
    }
}
