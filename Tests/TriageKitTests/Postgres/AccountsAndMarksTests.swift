import Foundation
import Testing
@testable import TriageKit
@testable import TriagePostgres
@testable import TriageStore

/// Accounts, sessions and staff marks through the store-neutral calls (`CaseStoreBackend.accounts`
/// and `.mark`), on SQLite and on PostgreSQL: the same answers, messages and rows on both.
@Suite("Accounts and marks on both stores")
struct AccountsAndMarksTests {
    static let now = QueueHarness.noon + 3600

    @Test("Accounts: add, names without regard to case, list, disable and passwords sign out everywhere",
          arguments: QueueStoreKind.available)
    func accounts(_ kind: QueueStoreKind) async throws {
        let harness = try await QueueHarness.make(kind, pages: 1)
        defer { Task { await harness.close() } }
        let accounts = harness.store.accounts
        let now = Self.now
        let ada = try await accounts.add(name: "ada", role: .admin, passwordHash: "hash-a", by: "setup", now: now)
        #expect(ada.name == "ada" && ada.role == .admin && ada.createdBy == "setup" && ada.disabledAt == nil)
        _ = try await accounts.add(name: "Bob", role: .viewer, passwordHash: "hash-b", by: "ada", now: now)
        await #expect(throws: AccountMessages.taken("ADA")) {
            try await accounts.add(name: "ADA", role: .viewer, passwordHash: "x", by: "ada", now: now)
        }
        await #expect(throws: AccountError.self) {
            try await accounts.add(name: " padded", role: .viewer, passwordHash: "x", by: "ada", now: now)
        }
        #expect(try await accounts.list().map(\.name) == ["ada", "Bob"])
        let found = try #require(try await accounts.credentials(name: "bob"))
        #expect(found.account.name == "Bob" && found.passwordHash == "hash-b")
        #expect(try await accounts.credentials(name: "nobody") == nil)

        try await accounts.openSession(tokenSHA256: "t1", accountID: ada.id, csrfToken: "c1", address: "127.0.0.1",
                                       now: now, expiresAt: now + 60)
        try await accounts.openSession(tokenSHA256: "t2", accountID: found.account.id, csrfToken: "c2", address: nil,
                                       now: now, expiresAt: now + 60)
        let session = try #require(try await accounts.session(tokenSHA256: "t1", now: now + 1))
        #expect(session.account == ada && session.csrfToken == "c1" && session.expiresAt == now + 60)
        #expect(try await accounts.session(tokenSHA256: "t1", now: now + 60) == nil, "expired")
        // Signing in again clears expired sessions.
        try await accounts.openSession(tokenSHA256: "t3", accountID: ada.id, csrfToken: "c3", address: nil,
                                       now: now + 120, expiresAt: now + 600)
        #expect(try await harness.integer("SELECT count(*) FROM web_sessions") == 1)
        try await accounts.closeSession(tokenSHA256: "t3")
        #expect(try await accounts.session(tokenSHA256: "t3", now: now + 121) == nil)

        try await accounts.openSession(tokenSHA256: "t4", accountID: found.account.id, csrfToken: "c4", address: nil,
                                       now: now + 200, expiresAt: now + 600)
        try await accounts.disable(name: "BOB", now: now + 201)
        #expect(try await accounts.session(tokenSHA256: "t4", now: now + 202) == nil)
        #expect(try await accounts.list().first { $0.name == "Bob" }?.disabledAt == now + 201)
        try await accounts.setPassword(name: "Bob", passwordHash: "hash-b2", now: now + 300)
        #expect(try await accounts.credentials(name: "Bob")?.passwordHash == "hash-b2")
        #expect(try await accounts.list().first { $0.name == "Bob" }?.disabledAt == nil, "a new password enables the account")
        await #expect(throws: AccountMessages.unknown("carol")) { try await accounts.disable(name: "carol", now: now) }
        await #expect(throws: AccountMessages.unknown("carol")) {
            try await accounts.setPassword(name: "carol", passwordHash: "x", now: now)
        }
    }

    /// Every kind of mark, and marks that do not apply, on a store of `kind`; returns what they
    /// said and the rows they left, for comparing the stores.
    static func markEverything(_ kind: QueueStoreKind) async throws -> (said: [String], rows: [[String?]]) {
        let harness = try await QueueHarness.make(kind, pages: 3)
        defer { Task { await harness.close() } }
        let keys = try await harness.rows("SELECT key FROM items ORDER BY id").compactMap { $0.first ?? nil }
        try #require(keys.count == 3)
        let store = harness.store
        var said: [String] = []
        func mark(_ key: String, _ mark: Mark, note: String? = nil, at: Int64 = now) async {
            do {
                let outcome = try await store.mark(key, mark, note: note, by: "cas", now: at, policy: .defaults,
                                                   rules: TestSupport.shippedRules)
                said.append("\(outcome.item.key): \(outcome.previous.rawValue) → \(outcome.item.status.rawValue)"
                            + (outcome.responseDueAt.map { " due \($0)" } ?? ""))
            } catch let error as StoreError {
                said.append("refused: \(error.message)")
            } catch {
                said.append("failed: \(error)")
            }
        }
        await mark(keys[0], .escalated(to: nil, reference: "REF-1", at: nil), note: "sent")
        await mark(keys[0], .removed(at: now - 60))
        await mark(keys[0], .removed(at: nil), at: now + 10)
        await mark(keys[0], .reopen, at: now + 20)
        await mark(keys[1], .falseReport, note: "a joke")
        await mark(keys[1], .escalated(to: nil, reference: nil, at: nil))
        await mark(keys[2], .note, note: "called the school")
        await mark(keys[2], .note)
        await mark(keys[2], .removed(at: now + 86_400))
        await mark(keys[2], .removed(at: QueueHarness.noon - 3 * 86_400))
        await mark("nothing:here:1", .reopen)
        let rows = try await harness.rows("""
            SELECT 'item', key, status, status_since, escalation_count, last_escalated_at, first_escalated_at, response_due_at,
                   removed_at, next_check_at FROM items ORDER BY id
            """)
            + harness.rows("SELECT 'transition', item_id, from_status, to_status, at, why, by, escalation_id FROM transitions ORDER BY id")
            + harness.rows("""
                SELECT 'escalation', item_id, platform, channel, escalated_at, reference, by, note, response_hours, response_due_at
                FROM escalations ORDER BY id
                """)
            + harness.rows("SELECT 'note', item_id, at, by, text FROM notes ORDER BY id")
        return (said, rows)
    }

    @Test("Marks: each kind writes its item, transition, escalation and note rows; marks that do not apply change nothing",
          arguments: QueueStoreKind.available)
    func marks(_ kind: QueueStoreKind) async throws {
        let (said, rows) = try await Self.markEverything(kind)
        #expect(said.count == 11)
        #expect(said[0].contains(": new → escalated due "))
        #expect(said[1].contains("is before") && said[1].hasPrefix("refused"), "a removal before the escalation")
        #expect(said[2].hasSuffix("escalated → removed"))
        #expect(said[3].hasSuffix("removed → new"))
        #expect(said[4].hasSuffix("new → false_report"))
        #expect(said[5].hasPrefix("refused") && said[5].contains("is false_report"))
        #expect(said[6].hasSuffix("new → new"))
        #expect(said[7].hasPrefix("refused") && said[7].contains("a note needs its text"))
        #expect(said[8].hasPrefix("refused") && said[8].contains("in the future"))
        #expect(said[9].hasPrefix("refused") && said[9].contains("before") && said[9].contains("first reported"))
        #expect(said[10].hasPrefix("refused: no item 'nothing:here:1'"))
        let transitions = rows.filter { $0.first == "transition" }.map { [$0[2], $0[3], $0[6]] }
        #expect(transitions == [["new", "escalated", "cas"], ["escalated", "removed", "cas"], ["removed", "new", "cas"],
                                ["new", "false_report", "cas"]])
        #expect(rows.filter { $0.first == "transition" }.first?[5]?.contains("(REF-1); note: sent") == true)
        #expect(rows.filter { $0.first == "escalation" }.map { [$0[5], $0[6], $0[7]] } == [["REF-1", "cas", "sent"]])
        #expect(rows.filter { $0.first == "note" }.map { $0[4] } == ["called the school"])
    }

    @Test("Marks: PostgreSQL leaves the rows SQLite leaves, and says the same", .enabled(if: PostgresTestSupport.enabled))
    func marksAlike() async throws {
        let sqlite = try await Self.markEverything(.sqlite)
        let postgres = try await Self.markEverything(.postgres)
        #expect(postgres.said == sqlite.said)
        #expect(postgres.rows == sqlite.rows)
    }
}
