import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// `db check` and `db backup`.
@Suite("Store: integrity check and backup")
struct StoreMaintenanceTests {
    @Test("a sound store passes the integrity check; a broken reference is named")
    func integrity() throws {
        let store = try StoreTestSupport.freshStore()
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store)
        #expect(try StoreMaintenance.check(store).isEmpty)
        try store.execute("PRAGMA foreign_keys = OFF; UPDATE reports SET item_id = 999 WHERE id = 1; PRAGMA foreign_keys = ON;")
        let problems = try StoreMaintenance.check(store)
        #expect(problems == ["reports row 1 points at a missing items row"])
    }

    @Test("a backup taken while another connection writes is a sound, consistent store")
    func backupWhileWriting() async throws {
        let store = try StoreTestSupport.freshStore()
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store)
        let writerPath = store.path
        // Another writer, on its own connection, adds batches while the backup runs.
        let writer = Task.detached {
            let other = try CaseStore(path: writerPath)
            for batch in 0..<40 {
                let lines = (0..<50).map { "https://www.tiktok.com/@w/video/7\(String(format: "%02d%03d", batch, $0))00000000000000" }
                let path = try StoreTestSupport.file("w\(batch).txt", lines.joined(separator: "\n") + "\n")
                try StoreTestSupport.ingest(path, into: other)
            }
        }
        let directory = try TestSupport.temporaryDirectory()
        var copies: [String] = []
        for index in 0..<3 {
            let destination = directory + "/backup-\(index).sqlite"
            #expect(try StoreMaintenance.backup(store, to: destination) > 0)
            copies.append(destination)
            try await Task.sleep(for: .milliseconds(50))
        }
        try await writer.value
        for copy in copies {
            let restored = try CaseStore(path: copy)
            #expect(try StoreMaintenance.check(restored).isEmpty)
            #expect(try StoreTestSupport.assertConsistent(restored).isEmpty)
            #expect(try restored.integer("SELECT count(*) FROM reports") >= 6)
            // Every batch in a copy has exactly the reports it counted: commits are atomic.
            #expect(try restored.integer("""
                SELECT count(*) FROM batches b WHERE (SELECT count(*) FROM reports r WHERE r.batch_id = b.id) <> b.new_reports
                """) == 0)
        }
        #expect(throws: StoreError.self) { try StoreMaintenance.backup(store, to: copies[0]) }
        #expect(try StoreMaintenance.backup(store, to: copies[0], replace: true) > 0)
        #expect(try CaseStore(path: copies[0]).integer("SELECT count(*) FROM reports") == 6 + 40 * 50)
    }
}
