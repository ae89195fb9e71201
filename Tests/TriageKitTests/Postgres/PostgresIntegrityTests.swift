import Foundation
import Testing
@testable import TriageKit
@testable import TriagePostgres
@testable import TriageStore

/// `urltriage db check` on PostgreSQL: a whole store is ok; a missing table, column or index, a
/// report pointing at a missing item and an invalid index are each named; with `amcheck`
/// installed the indexes are verified too.
@Suite("PostgreSQL store: db check", .enabled(if: PostgresTestSupport.enabled, PostgresTestSupport.skipMessage))
struct PostgresIntegrityTests {
    /// A store holding the shipped CSV batch.
    static func store() async throws -> PostgresStore {
        let store = try await PostgresStore.open(PostgresTestSupport.freshDatabase(), create: true)
        let input = try StoreIngester.prepare(path: TestSupport.packageRoot + "/examples/reports.csv", format: nil, allowBinary: false)
        _ = try await store.ingest(input, rules: TestSupport.shippedRules, options: IngestOptions(by: "t", now: StoreTestSupport.noon))
        return store
    }

    @Test func aWholeStoreIsSound() async throws {
        let store = try await Self.store()
        let found = try await store.integrityCheck()
        #expect(found.problems.isEmpty, "\(found.problems)")
        #expect(found.notes.contains { $0.contains("amcheck extension is not installed") }, "\(found.notes)")
        // The expected shape was built in a transaction that was rolled back: nothing of it is left.
        #expect(try await store.rows("SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()") == [["0"]])
        #expect(try await store.integrityCheck() == found, "a second check on the same connection finds the same")
        await store.close()
    }

    @Test func whatIsMissingIsNamed() async throws {
        let store = try await Self.store()
        try await store.execute("""
            DROP INDEX items_due; ALTER TABLE checks DROP COLUMN region; DROP TABLE notes
            """)
        let found = try await store.integrityCheck()
        #expect(found.problems == ["table checks lacks column region", "missing table notes", "missing index items_due",
                                   "missing index notes_item", "missing index notes_pkey"])
        #expect(found.advice.contains("restore"))
        await store.close()
    }

    @Test func danglingReportsAndInvalidIndexesAreNamed() async throws {
        let store = try await Self.store()
        let report = try #require(try await store.rows("SELECT min(id) FROM reports").first?.first ?? nil)
        try await store.execute("""
            UPDATE reports SET item_id = 999999 WHERE id = \(report);
            UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'items_status'::regclass
            """)
        let found = try await store.integrityCheck()
        #expect(found.problems == ["index items_status is invalid (a build of it failed); REINDEX INDEX items_status",
                                   "reports row \(report) points at a missing items row"])
        await store.close()
    }

    @Test func withAmcheckTheIndexesAreVerified() async throws {
        let store = try await Self.store()
        try await store.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        let found = try await store.integrityCheck()
        #expect(found.problems.isEmpty && found.notes.isEmpty, "\(found)")
        await store.close()
    }

    @Test("urltriage db check on PostgreSQL: ok, or each problem and exit 1",
          .enabled(if: CrashHarness.binary != nil, "the urltriage binary is not built beside the tests"))
    func theCommand() async throws {
        let store = try await Self.store()
        let url = try PostgresWorkerProcessTests.url(of: store.url.database)
        let password = try #require(try PostgresLocation(url).password)
        let sound = try CrashHarness.run(["db", "check", "--db", url], killAfter: nil)
        #expect(sound.status == 0 && sound.output.contains(": ok (indexes not verified"), "\(sound.output)")
        try await store.execute("DROP INDEX items_open")
        let damaged = try CrashHarness.run(["db", "check", "--db", url], killAfter: nil)
        #expect(damaged.status == 1, "\(damaged.output)")
        #expect(damaged.output.contains(": missing index items_open\n1 problem; restore"), "\(damaged.output)")
        #expect(!sound.output.contains(password) && !damaged.output.contains(password))
        await store.close()
    }

    @Test("urltriage db backup on PostgreSQL points at pg_dump and db copy, writes nothing and shows no password",
          .enabled(if: CrashHarness.binary != nil, "the urltriage binary is not built beside the tests"))
    func backupIsPgDumpsJob() async throws {
        let store = try await Self.store()
        let url = try PostgresWorkerProcessTests.url(of: store.url.database)
        let password = try #require(try PostgresLocation(url).password)
        let file = try TestSupport.temporaryDirectory() + "/backup.sqlite"
        let refused = try CrashHarness.run(["db", "backup", file, "--db", url], killAfter: nil)
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains("`urltriage db backup` works on an SQLite store only"), "\(refused.output)")
        #expect(refused.output.contains("pg_dump") && refused.output.contains("urltriage db copy --from"), "\(refused.output)")
        #expect(!refused.output.contains(password))
        #expect(!FileManager.default.fileExists(atPath: file))
        await store.close()
    }
}
