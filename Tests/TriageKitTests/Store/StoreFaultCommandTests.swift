import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// The store's fault handling as the commands show it: exit statuses and messages.
@Suite("Store: faults at the command line", .serialized,
       .enabled(if: CrashHarness.binary != nil, "the urltriage binary is not built beside the tests"))
struct StoreFaultCommandTests {
    private func dayOne(in directory: String? = nil) throws -> String {
        let path = try (directory ?? TestSupport.temporaryDirectory()) + "/cases.sqlite"
        let ingest = try CrashHarness.run(["ingest", TestSupport.packageRoot + "/examples/reports.csv", "--db", path,
                                           "--rules", TestSupport.rulesDirectory, "--by", "sam"], killAfter: nil)
        #expect(ingest.status == 0, "\(ingest.output)")
        return path
    }

    /// `--rules` for the commands that read rule files.
    private static func rules(_ arguments: [String]) -> [String] {
        ["stats", "db"].contains(arguments[0]) ? [] : ["--rules", TestSupport.rulesDirectory]
    }

    @Test("db check names a missing table and exits 1; the other commands refuse the store")
    func missingTable() throws {
        let path = try dayOne()
        let store = try CaseStore(path: path)
        try store.execute("DROP TABLE checks")
        try store.close()
        let check = try CrashHarness.run(["db", "check", "--db", path], killAfter: nil)
        #expect(check.status == 1 && check.output.contains("checks") && check.output.contains("missing"), "\(check.output)")
        for arguments in [["stats"], ["report", "--markdown", "-"], ["mark", "tiktok:video:7309876543210987654", "removed"]] {
            let outcome = try CrashHarness.run(arguments + ["--db", path] + Self.rules(arguments), killAfter: nil)
            #expect(outcome.status == 2 && outcome.output.contains("checks"), "\(arguments): \(outcome.output)")
        }
    }

    @Test("db check on a truncated store whose WAL holds data refuses it and changes nothing")
    func truncatedStore() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory + "/cases.sqlite"
        try Data().write(to: URL(fileURLWithPath: path))
        try Data(repeating: 1, count: 4096).write(to: URL(fileURLWithPath: path + "-wal"))
        for arguments in [["db", "check"], ["stats"], ["ingest", TestSupport.packageRoot + "/examples/reports.csv"]] {
            let outcome = try CrashHarness.run(arguments + ["--db", path] + Self.rules(arguments), killAfter: nil)
            #expect(outcome.status == 2 && outcome.output.contains("-wal"), "\(arguments): \(outcome.output)")
            #expect(!outcome.output.contains(": ok"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path + "-wal")).count == 4096)
    }

    @Test("a rejected input file creates no store, and adds no batch to one that exists")
    func rejectedInput() throws {
        let directory = try TestSupport.temporaryDirectory()
        let binary = directory + "/photo.jpg"
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0, 1] + Array(repeating: 0, count: 4000))
            .write(to: URL(fileURLWithPath: binary))
        let noHeader = directory + "/no-url.csv"
        try "name,school\nkim,oakfield\n".write(toFile: noHeader, atomically: true, encoding: .utf8)
        let path = directory + "/new.sqlite"
        for file in [binary, noHeader, directory + "/missing.txt"] {
            let outcome = try CrashHarness.run(["ingest", file, "--db", path, "--rules", TestSupport.rulesDirectory], killAfter: nil)
            #expect(outcome.status == 2, "\(outcome.output)")
            #expect(!FileManager.default.fileExists(atPath: path), "\(file) created a store")
        }
        let existing = try dayOne(in: directory)
        for file in [binary, noHeader] {
            let outcome = try CrashHarness.run(["ingest", file, "--db", existing, "--rules", TestSupport.rulesDirectory], killAfter: nil)
            #expect(outcome.status == 2, "\(outcome.output)")
        }
        let store = try CaseStore(path: existing)
        #expect(try store.integer("SELECT count(*) FROM batches") == 1)
        #expect(try store.integer("SELECT count(*) FROM sources") == 1)
    }

    @Test("stats, report, escalate and db check read a store they may not write",
          .enabled(if: getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs setpriv to drop root"))
    func readOnlyStore() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = try dayOne(in: directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        // The directory stays writable (SQLite may make its -shm there); the store file is not.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for arguments in [["stats"], ["report", "--markdown", "-"], ["escalate"], ["db", "check"]] {
            let outcome = try CrashHarness.runUnprivileged(arguments + ["--db", path] + Self.rules(arguments))
            #expect(outcome.status == 0, "\(arguments): \(outcome.output)")
            #expect(!outcome.output.contains("readonly"), "\(arguments): \(outcome.output)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("a first ingest killed in its first moments never leaves a store that cannot be opened")
    func firstIngestKilledEarly() throws {
        let directory = try TestSupport.temporaryDirectory()
        let batch = TestSupport.packageRoot + "/examples/reports.csv"
        let timed = try CrashHarness.run(["ingest", batch, "--db", directory + "/timing.sqlite", "--rules", TestSupport.rulesDirectory],
                                         killAfter: nil)
        #expect(timed.status == 0)
        var generator = SystemRandomNumberGenerator()
        for attempt in 0..<30 {
            let path = directory + "/cases-\(attempt).sqlite"
            let delay = Double.random(in: 0...(timed.seconds * 1.2), using: &generator)
            _ = try CrashHarness.run(["ingest", batch, "--db", path, "--rules", TestSupport.rulesDirectory], killAfter: delay)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let again = try CrashHarness.run(["ingest", batch, "--db", path, "--rules", TestSupport.rulesDirectory], killAfter: nil)
            #expect(again.status == 0, "after a kill at \(delay) s: \(again.output)")
            let store = try CaseStore(path: path)
            #expect(try store.integer("SELECT count(*) FROM reports") == 6)
            #expect(try StoreMaintenance.check(store).isEmpty)
            try store.close()
        }
    }
}
