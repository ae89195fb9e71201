import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// Opening a store that a fault left in a bad state: truncated, half-created,
/// missing tables, read-only. None of these may be silently rebuilt, and none
/// may stop the store from being used again once what is wrong is put right.
@Suite("Store: opening under faults")
struct StoreOpenFaultTests {
    /// A store with the example reports, closed cleanly.
    private func exampleStore() throws -> String {
        let store = try StoreTestSupport.freshStore()
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store)
        let path = store.path
        try store.close()
        return path
    }

    private func size(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }

    @Test("a zero-length store file with a non-empty WAL beside it is refused, and neither file is touched")
    func truncatedStoreWithWAL() throws {
        let store = try StoreTestSupport.freshStore()
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store)
        let path = store.path
        // The WAL as it stands while the store is open (closing would checkpoint and delete it).
        let wal = try Data(contentsOf: URL(fileURLWithPath: path + "-wal"))
        #expect(!wal.isEmpty)
        try store.close()
        try Data().write(to: URL(fileURLWithPath: path))
        try wal.write(to: URL(fileURLWithPath: path + "-wal"))
        for create in [false, true] {
            do {
                _ = try CaseStore(path: path, create: create)
                Issue.record("a truncated store with a WAL was opened (create: \(create))")
            } catch {
                #expect(error.kind == .damaged, "\(error)")
                #expect(error.message.contains("-wal") && error.message.contains("empty"), "\(error)")
            }
        }
        #expect(size(path) == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path + "-wal")) == wal, "the WAL is kept as it was")
    }

    @Test("an empty file is not made a store by a command that does not create one; ingest finishes it")
    func emptyFile() throws {
        let path = try TestSupport.temporaryDirectory() + "/cases.sqlite"
        try Data().write(to: URL(fileURLWithPath: path))
        do {
            _ = try CaseStore(path: path)
            Issue.record("an empty file was opened as a store")
        } catch {
            #expect(error.kind == .missing && error.message.contains("urltriage ingest"), "\(error)")
        }
        #expect(size(path) == 0, "nothing was written")
        let store = try CaseStore(path: path, create: true)
        #expect(store.appliedMigrations == StoreSchema.migrations.map(\.identifier))
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store)
        #expect(try StoreMaintenance.check(store).isEmpty)
    }

    @Test("a store whose creation was cut short after grdb_migrations is recognised and finished by ingest")
    func halfCreatedStore() throws {
        let path = try TestSupport.temporaryDirectory() + "/cases.sqlite"
        // What urltriage before this fix left when killed between GRDB's bookkeeping table and the first migration.
        try CaseStore.writeHalfCreatedStore(path: path)
        do {
            _ = try CaseStore(path: path)
            Issue.record("a half-created store was opened by a command that does not create one")
        } catch {
            #expect(error.kind == .missing && error.message.contains("cut short"), "\(error)")
        }
        let store = try CaseStore(path: path, create: true)
        #expect(store.appliedMigrations == StoreSchema.migrations.map(\.identifier))
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store)
        #expect(try StoreMaintenance.check(store).isEmpty)
        #expect(try store.integer("SELECT count(*) FROM reports") == 6)
    }

    @Test("the schema is created in one transaction: a failure part-way leaves no table at all")
    func schemaInOneTransaction() throws {
        let path = try TestSupport.temporaryDirectory() + "/cases.sqlite"
        struct Refused: Error {}
        var migrations = StoreSchema.migrations
        migrations.append(("v99-fails", { _ in throw Refused() }))
        #expect(throws: Refused.self) { try CaseStore.createForTest(path: path, migrations: migrations) }
        let tables = try CaseStore.tableNames(path: path)
        #expect(tables.isEmpty, "left behind: \(tables)")
        // And the file is still usable as a new store.
        let store = try CaseStore(path: path, create: true)
        #expect(try StoreMaintenance.check(store).isEmpty)
    }

    @Test("a store missing a table is refused with what is missing; db check names it")
    func missingTable() throws {
        for (table, drop) in [("reports", "DROP TABLE reports"), ("checks", "DROP TABLE checks"),
                              ("index items_open", "DROP INDEX items_open")] {
            let path = try exampleStore()
            let store = try CaseStore(path: path)
            try store.execute(drop)
            try store.close()
            do {
                _ = try CaseStore(path: path)
                Issue.record("a store without \(table) was opened")
            } catch {
                #expect(error.kind == .damaged && error.message.contains(table), "\(error)")
                #expect(error.message.contains("db backup"), "\(error)")
            }
            let inspected = try CaseStore(path: path, readOnly: true, verifiesSchema: false)
            let problems = try StoreMaintenance.check(inspected)
            #expect(problems.contains { $0.contains("missing") && $0.contains(table) }, "\(problems)")
        }
    }

    @Test("a read-only open writes nothing, and reads what the store holds")
    func readOnlyOpen() throws {
        let path = try exampleStore()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let store = try CaseStore(path: path, readOnly: true)
        let stats = try StatsQuery.compute(store, now: StoreTestSupport.noon)
        #expect(stats.reports == 6)
        #expect(throws: (any Error).self) { try store.execute("DELETE FROM reports") }
        try store.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}
