import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// `db backup` aimed at the store itself by another name, cut short, or out of space.
@Suite("Store: backup under faults")
struct StoreBackupFaultTests {
    @Test("--replace refuses the store under any name: ./, absolute, through a symlink, a hard link, its -wal and -shm")
    func replaceRefusesTheStoreItself() throws {
        let store = try StoreTestSupport.freshStore()
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store)
        let directory = (store.path as NSString).deletingLastPathComponent
        let name = (store.path as NSString).lastPathComponent
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.sqlite", withDestinationPath: store.path)
        try FileManager.default.linkItem(atPath: store.path, toPath: directory + "/hard.sqlite")
        let before = try Data(contentsOf: URL(fileURLWithPath: store.path))
        // Other spellings of the same path (not through the working directory: tests run in parallel).
        let parent = (directory as NSString).deletingLastPathComponent
        let spelled = parent + "/../" + (parent as NSString).lastPathComponent + "/" + (directory as NSString).lastPathComponent
        #expect(FileManager.default.fileExists(atPath: store.path + "-wal") && FileManager.default.fileExists(atPath: store.path + "-shm"))
        for target in [spelled + "/" + name, directory + "/./" + name, directory + "/link.sqlite", directory + "/hard.sqlite",
                       store.path + "-wal", spelled + "/./" + name + "-shm"] {
            do {
                _ = try StoreMaintenance.backup(store, to: target, replace: true)
                Issue.record("backup over \(target) was allowed")
            } catch {
                #expect(error.kind == .file && error.message.contains("store"), "\(target): \(error)")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == before)
        #expect(try StoreMaintenance.check(store).isEmpty)
        #expect(try store.integer("SELECT count(*) FROM reports") == 6)
    }

    @Test("a backup cut short leaves no FILE.partial-PID: the next backup clears what a killed one left")
    func stalePartialsAreCleared() throws {
        let store = try StoreTestSupport.freshStore()
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store)
        let directory = try TestSupport.temporaryDirectory()
        let destination = directory + "/backup.sqlite"
        // What a backup killed part-way left: its copy and its journal, under a pid that no longer runs.
        let dead = Int32(4_000_000)
        for leftover in [destination + ".partial-\(dead)", destination + ".partial-\(dead)-journal"] {
            try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: leftover))
        }
        // A partial of a backup still running (this process's parent is alive) is left alone.
        let live = destination + ".partial-\(getppid())"
        try Data(repeating: 7, count: 10).write(to: URL(fileURLWithPath: live))
        #expect(try StoreMaintenance.backup(store, to: destination) > 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(left == ["backup.sqlite", "backup.sqlite.partial-\(getppid())"])
    }

    @Test("a backup that runs out of space says so, and leaves nothing behind",
          .enabled(if: CrashHarness.binary != nil, "the urltriage binary is not built beside the tests"))
    func outOfSpace() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory + "/cases.sqlite"
        let batch = directory + "/day.csv"
        try CrashHarness.writeBatch(to: batch, lines: 4_000)
        let ingest = try CrashHarness.run(["ingest", batch, "--db", path, "--rules", TestSupport.rulesDirectory], killAfter: nil)
        #expect(ingest.status == 0, "\(ingest.output)")
        // A file size limit stands in for a full disk: writes past it fail as on a full disk (SIGXFSZ ignored).
        let outcome = try CrashHarness.runShell("trap '' XFSZ; ulimit -f 400; exec \"$0\" db backup \"$1\" --db \"$2\"",
                                                arguments: [directory + "/backup.sqlite", path])
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(!outcome.output.contains("not an error"), "\(outcome.output)")
        #expect(outcome.output.contains("no space") || outcome.output.contains("size limit"), "\(outcome.output)")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("backup") }
        #expect(left.isEmpty, "\(left)")
    }
}
