import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// The store commands as people and schedulers run them: exit statuses, signals, output.
@Suite("Store: commands", .serialized, .enabled(if: CrashHarness.binary != nil, "the urltriage binary is not built beside the tests"))
struct StoreCommandTests {
    private func dayOne() throws -> String {
        let path = try TestSupport.temporaryDirectory() + "/cases.sqlite"
        let ingest = try CrashHarness.run(["ingest", TestSupport.packageRoot + "/examples/reports.csv", "--db", path,
                                           "--rules", TestSupport.rulesDirectory, "--by", "sam"], killAfter: nil)
        #expect(ingest.status == 0, "\(ingest.output)")
        return path
    }

    @Test("watch stops cleanly on SIGTERM, recording nothing half-done")
    func watchStopsOnSigterm() throws {
        let path = try dayOne()
        // Nothing is due after this mark, so no round needs the network.
        let store = try CaseStore(path: path)
        try store.execute("UPDATE items SET next_check_at = NULL")
        try store.close()
        let outcome = try CrashHarness.run(["watch", "--every", "1h", "--db", path, "--rules", TestSupport.rulesDirectory],
                                           signal: SIGTERM) { output, elapsed in output.contains("recheck 1:") || elapsed > 60 }
        #expect(outcome.exited && outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("watch stopped by SIGTERM"), "\(outcome.output)")
        let after = try CaseStore(path: path)
        #expect(try after.rows("SELECT outcome FROM recheck_runs") == [["finished"]])
    }

    @Test("a recheck that finds another one running exits 75 (try again later) and changes nothing")
    func recheckWhileLocked() throws {
        let path = try dayOne()
        let lock = try RecheckLock.acquire(storePath: path, now: StoreTime.now())
        let outcome = try CrashHarness.run(["recheck", "--db", path, "--rules", TestSupport.rulesDirectory], killAfter: nil)
        withExtendedLifetime(lock) {}
        #expect(outcome.exited && outcome.status == 75, "\(outcome.output)")
        #expect(outcome.output.contains("another recheck is running"))
        let store = try CaseStore(path: path)
        #expect(try store.integer("SELECT count(*) FROM recheck_runs") == 0)
    }

    @Test("mark, stats and db check from the command line")
    func markAndStats() throws {
        let path = try dayOne()
        let common = ["--db", path, "--rules", TestSupport.rulesDirectory]
        let mark = try CrashHarness.run(["mark", "https://www.tiktok.com/@year9.roasts/video/7309876543210987654", "escalated",
                                         "--to", "tiktok", "--ref", "CASE-123", "--by", "sam"] + common, killAfter: nil)
        #expect(mark.status == 0, "\(mark.output)")
        #expect(mark.output.contains("tiktok:video:7309876543210987654: new → escalated; response due by"))
        let wrong = try CrashHarness.run(["mark", "tiktok:video:1", "removed"] + common, killAfter: nil)
        #expect(wrong.status == 2 && wrong.output.contains("no item"), "\(wrong.output)")
        let stats = try CrashHarness.run(["stats", "--format", "json", "--db", path], killAfter: nil)
        #expect(stats.status == 0, "\(stats.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as? [String: Any])
        #expect(json["escalated"] as? Int == 1 && json["reports"] as? Int == 6)
        #expect(json["since"] is NSNull && json["hoursFromEscalationToRemoval"] is NSNull, "absent figures are written as null")
        let check = try CrashHarness.run(["db", "check", "--db", path], killAfter: nil)
        #expect(check.status == 0 && check.output.contains(": ok"), "\(check.output)")
        let missing = try CrashHarness.run(["stats", "--db", path + ".none"], killAfter: nil)
        #expect(missing.status == 2 && missing.output.contains("urltriage ingest"), "\(missing.output)")
    }
}
