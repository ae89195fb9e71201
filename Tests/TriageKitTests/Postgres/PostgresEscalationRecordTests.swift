import Foundation
import Testing
@testable import TriageKit
import TriagePostgres
@testable import TriageStore

/// `escalate --record` on PostgreSQL: the same list recorded on the same cases leaves the same
/// escalations, items and transitions as on SQLite; a second recording skips what the first
/// recorded; an item marked removed between the list and its recording fails alone, with the
/// same message.
@Suite("PostgreSQL store: escalate --record as on SQLite", .enabled(if: PostgresTestSupport.enabled, PostgresTestSupport.skipMessage))
struct PostgresEscalationRecordTests {
    static let listedAt = PostgresEscalateReportTests.checkedAt + 9 * 24 * PostgresEscalateReportTests.hour

    /// The list `urltriage escalate` makes at `now`.
    static func list(_ store: any CaseStoreBackend, now: Int64, limit: Int? = nil) async throws -> EscalationList {
        let inputs = try PriorityInputs.load(rules: TestSupport.shippedRules, rulesDirectory: TestSupport.rulesDirectory, policy: nil)
        let found = try await store.escalationCandidates(platform: nil, now: now,
                                                         categorizer: ItemCategorizer(categories: inputs.categories))
        return EscalationList.build(candidates: found.candidates, scorer: inputs.scorer, rules: inputs.rules, now: now,
                                    limit: limit, context: found.context)
    }

    static func record(_ list: EscalationList, on store: any CaseStoreBackend, now: Int64) async -> EscalationRecorder.Outcome {
        await store.recordEscalations(list, policy: .defaults, rules: TestSupport.shippedRules, by: "sam", now: now)
    }

    /// What recording writes, ids replaced by keys, rows sorted here.
    static func contents(_ store: any CaseStoreBackend) async throws -> [String: [[String?]]] {
        let harness = QueueHarness(kind: store is CaseStore ? .sqlite : .postgres, store: store)
        let tables: [String: [[String?]]] = [
            "items": try await harness.rows("""
                SELECT key, status, status_since, last_verdict, check_streak, next_check_at, response_due_at, removed_at,
                       first_escalated_at, last_escalated_at, escalation_count, last_checked_at FROM items
                """),
            "escalations": try await harness.rows("""
                SELECT i.key, e.platform, e.channel, e.escalated_at, e.reference, e.by, e.note, e.response_hours, e.response_due_at
                FROM escalations e JOIN items i ON i.id = e.item_id
                """),
            "transitions": try await harness.rows("""
                SELECT i.key, t.from_status, t.to_status, t.at, t.why, t.by, e.escalated_at, e.reference
                FROM transitions t JOIN items i ON i.id = t.item_id LEFT JOIN escalations e ON e.id = t.escalation_id
                """),
        ]
        return tables.mapValues { rows in rows.sorted { $0.map { $0 ?? "-" }.lexicographicallyPrecedes($1.map { $0 ?? "-" }) } }
    }

    @Test func recordingTheListLeavesTheSameStore() async throws {
        let (sqlite, postgres) = try await PostgresEscalateReportTests.bothStores()
        let stores: [any CaseStoreBackend] = [sqlite, postgres]
        let now = Self.listedAt
        var lists: [EscalationList] = []
        for store in stores { lists.append(try await Self.list(store, now: now)) }
        #expect(lists[0].platforms.flatMap(\.rows) == lists[1].platforms.flatMap(\.rows))
        let rows = lists[0].platforms.flatMap(\.rows)
        #expect(rows.count > 10, "the fixture lists enough to compare")
        #expect(rows.contains { $0.item.escalationCount > 0 }, "some listed items are overdue, escalated again")

        // Another run marks one listed item removed between the list and its recording.
        let gone = try #require(rows.first { $0.item.escalationCount == 0 }?.item.key)
        for store in stores {
            try await QueueHarness(kind: store is CaseStore ? .sqlite : .postgres, store: store)
                .execute("UPDATE items SET status = 'removed', removed_at = \(now - 60) WHERE key = '\(gone)'")
        }
        var outcomes: [EscalationRecorder.Outcome] = []
        for (store, list) in zip(stores, lists) { outcomes.append(await Self.record(list, on: store, now: now)) }
        for outcome in outcomes {
            #expect(outcome.recorded == rows.count - 1 && outcome.skipped.isEmpty)
            #expect(outcome.failures.map(\.key) == [gone])
        }
        #expect(outcomes[0].failures.map(\.error.message) == outcomes[1].failures.map(\.error.message))
        #expect(outcomes[0].failures.first?.error.kind == .invalidMark)
        let before = try await Self.contents(sqlite)
        let after = try await Self.contents(postgres)
        for table in before.keys.sorted() { #expect(before[table] == after[table], "\(table)") }
        #expect(after["transitions"]?.contains { $0[4]?.hasPrefix("escalated again to ") == true } == true)
        #expect(after["escalations"]?.filter { $0[3] == String(now) }.count == rows.count - 1)

        // The same list recorded again (a second run that listed before the first recorded): nothing twice.
        for (store, list) in zip(stores, lists) {
            let again = await Self.record(list, on: store, now: now + 5)
            #expect(again.recorded == 0 && again.skipped.count == rows.count - 1 && again.failures.map(\.key) == [gone])
        }
        #expect(try await Self.contents(sqlite) == Self.contents(postgres))
        await postgres.close()
    }

    @Test func recordingAListWithALimitAndNothingListed() async throws {
        let (sqlite, postgres) = try await PostgresEscalateReportTests.bothStores()
        let stores: [any CaseStoreBackend] = [sqlite, postgres]
        for store in stores {
            let list = try await Self.list(store, now: Self.listedAt, limit: 2)
            let outcome = await Self.record(list, on: store, now: Self.listedAt)
            #expect(outcome.recorded == list.platforms.flatMap(\.rows).count && outcome.failures.isEmpty)
            // Nothing is listed a second after: every listed item is escalated and not yet due an answer.
            let next = try await Self.list(store, now: Self.listedAt + 1, limit: 2)
            #expect(Set(next.platforms.flatMap(\.rows).map(\.item.key)).isDisjoint(with: list.platforms.flatMap(\.rows).map(\.item.key)))
        }
        #expect(try await Self.contents(sqlite) == Self.contents(postgres))
        await postgres.close()
    }
}
