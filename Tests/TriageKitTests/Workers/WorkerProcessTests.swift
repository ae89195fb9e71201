import Foundation
import Testing
import TriageTestServer
@testable import TriageKit
@testable import TriageStore

/// Checker workers as they run: several `urltriage recheck --worker` processes (the built
/// binary) on one store, against the bundled test server.
@Suite("Workers: processes sharing one store", .serialized,
       .enabled(if: CrashHarness.binary != nil, "the urltriage binary is not built beside the tests"))
struct WorkerProcessTests {
    /// A started worker process and where its output goes.
    struct Worker {
        var process: Process
        var output: String

        var text: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }

        func wait() -> Int32 {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    static func start(_ arguments: [String]) throws -> Worker {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashHarness.binary ?? "urltriage")
        process.arguments = arguments
        let output = try TestSupport.temporaryDirectory() + "/output.txt"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return Worker(process: process, output: output)
    }

    static func workerArguments(_ name: String, region: String? = nil, store: String, server: TestServer,
                                extra: [String] = []) -> [String] {
        ["recheck", "--worker", name] + (region.map { ["--region", $0] } ?? [])
            + ["--db", store, "--rules", TestSupport.rulesDirectory, "--allow-private", "--connect-to", server.connectTo,
               "--retries", "0"] + extra
    }

    /// A store holding `count` pages spread over the benchmark's 20 hosts, due a minute ago.
    static func store(pages count: Int, hosts: (Int) -> String = { "h\(String(format: "%02d", $0 % 20 + 1)).bench.example" })
        throws -> String {
        let directory = try TestSupport.temporaryDirectory()
        let batch = directory + "/pages.txt"
        try (0..<count).map { "http://\(hosts($0))/page/\($0)" }.joined(separator: "\n").appending("\n")
            .write(toFile: batch, atomically: true, encoding: .utf8)
        let path = directory + "/cases.sqlite"
        let store = try CaseStore(path: path, create: true)
        try StoreTestSupport.ingest(batch, into: store, now: StoreTime.now() - 60)
        try store.close()
        return path
    }

    @Test("four workers on one store: every due item checked exactly once in the round")
    func fourWorkersCheckEachItemOnce() async throws {
        let server = try await TestServer.start(world: PlatformWorld(delay: .milliseconds(20)))
        defer { Task { await server.stop() } }
        let count = 300
        let path = try Self.store(pages: count)
        let workers = try (1...4).map { try Self.start(Self.workerArguments("w\($0)", store: path, server: server, extra: ["--batch", "15"])) }
        for worker in workers { #expect(worker.wait() == 0, "\(worker.text)") }

        let store = try CaseStore(path: path)
        #expect(try store.integer("SELECT count(*) FROM checks") == Int64(count))
        #expect(try store.integer("SELECT count(DISTINCT item_id) FROM checks") == Int64(count))
        #expect(try store.integer("SELECT count(*) FROM checks WHERE worker IS NULL OR region IS NOT NULL") == 0)
        #expect(try store.integer("SELECT count(*) FROM items WHERE lease_worker IS NOT NULL OR lease_until IS NOT NULL") == 0)
        #expect(try store.integer("SELECT count(*) FROM items WHERE next_check_at <= strftime('%s', 'now')") == 0)
        #expect(try store.integer("SELECT count(*) FROM workers") == 4)
        #expect(try store.integer("SELECT sum(checked) FROM recheck_runs") == Int64(count))
        #expect(try StoreCrashTests.halfWrittenChecks(store).isEmpty)
        let listing = try CrashHarness.run(["workers", "--db", path, "--format", "json"], killAfter: nil)
        let listed = try JSONDecoder().decode([WorkerStatus].self, from: Data(listing.output.utf8))
        #expect(listed.map(\.name) == ["w1", "w2", "w3", "w4"])
        #expect(listed.map(\.checkedLastHour).reduce(0, +) == count && listed.allSatisfy { $0.leasesHeld == 0 })
    }

    @Test("a worker killed mid-round loses only its leases: after they end, others check its items, each once")
    func killedWorkersItemsAreFinishedByOthers() async throws {
        let server = try await TestServer.start(world: PlatformWorld(delay: .milliseconds(150)))
        defer { Task { await server.stop() } }
        let count = 240
        let path = try Self.store(pages: count)
        let lease = 3
        let slow = ["--batch", "10", "--lease", String(lease), "--concurrency", "4", "--per-host", "1"]
        let doomed = try Self.start(Self.workerArguments("doomed", store: path, server: server, extra: slow))
        // The others start once the doomed worker has recorded its first batch: started together,
        // on a loaded machine they once took every batch but its first, and it finished its round
        // before it held a lease and a recorded check at once.
        let store = try CaseStore(path: path)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, doomed.process.isRunning,
              try store.integer("SELECT count(*) FROM checks WHERE worker = 'doomed'") == 0 { usleep(20_000) }
        let others = try (1...3).map { try Self.start(Self.workerArguments("w\($0)", store: path, server: server, extra: slow)) }

        // Kill it once it holds leases and has recorded something (so it is mid-round). It is
        // frozen (SIGSTOP) before the leases are counted: between a count and the kill it could
        // record its batch and release them (seen once in CI), and then it died holding none.
        while Date() < deadline, doomed.process.isRunning {
            kill(doomed.process.processIdentifier, SIGSTOP)
            if try store.integer("SELECT count(*) FROM items WHERE lease_worker = 'doomed'") > 0,
               try store.integer("SELECT count(*) FROM checks WHERE worker = 'doomed'") > 0 { break }
            kill(doomed.process.processIdentifier, SIGCONT)
            usleep(20_000)
        }
        try #require(doomed.process.isRunning, "the doomed worker finished before it could be killed: \(doomed.text)")
        kill(doomed.process.processIdentifier, SIGKILL)
        doomed.process.waitUntilExit()
        let killedAt = StoreTime.now()
        let held = try store.rows("SELECT key FROM items WHERE lease_worker = 'doomed'").compactMap { $0[0] }
        #expect(!held.isEmpty)
        for worker in others { #expect(worker.wait() == 0, "\(worker.text)") }

        // Whatever the others left (the dead worker's items, if its leases outlived their round) is
        // claimed once the leases end.
        while StoreTime.now() <= killedAt + Int64(lease) { usleep(100_000) }
        let late = try Self.start(Self.workerArguments("late", store: path, server: server, extra: ["--batch", "10"]))
        #expect(late.wait() == 0, "\(late.text)")

        #expect(try store.integer("SELECT count(*) FROM checks") == Int64(count))
        #expect(try store.integer("SELECT count(DISTINCT item_id) FROM checks") == Int64(count))
        #expect(try store.integer("SELECT count(*) FROM items WHERE lease_worker IS NOT NULL") == 0)
        let quoted = held.map { "'\($0)'" }.joined(separator: ", ")
        #expect(try store.integer("""
            SELECT count(*) FROM checks c JOIN items i ON i.id = c.item_id WHERE i.key IN (\(quoted)) AND c.worker <> 'doomed'
                AND c.checked_at >= \(killedAt)
            """) == Int64(held.count), "the items the dead worker held were checked by others, after it died")
        #expect(try StoreCrashTests.halfWrittenChecks(store).isEmpty)
    }

    @Test("removed in one region and up in another: shown as blocked in that region, kept open, counted by region")
    func twoRegionsGiveBlockedIn() async throws {
        let home = try await TestServer.start()
        let abroad = try await TestServer.start(world: PlatformWorld(removedHosts: ["geo.example"]))
        defer { Task { await home.stop(); await abroad.stop() } }
        let path = try Self.store(pages: 4) { $0 < 2 ? "geo.example" : "plain.example" }

        let uk = try Self.start(Self.workerArguments("london", region: "uk", store: path, server: home))
        #expect(uk.wait() == 0, "\(uk.text)")
        #expect(uk.text.contains("recheck 1 (worker london, region uk): 4 items due, 4 checked"))
        // A day on: every item is due again, and this time a worker in another region takes them.
        let store = try CaseStore(path: path)
        try await store.pool.write { db in try db.execute(sql: "UPDATE items SET next_check_at = strftime('%s', 'now') - 1") }
        let de = try Self.start(Self.workerArguments("berlin", region: "de", store: path, server: abroad))
        #expect(de.wait() == 0, "\(de.text)")

        #expect(try store.integer("SELECT count(*) FROM checks WHERE region = 'de' AND verdict = 'removed'") == 2)
        #expect(try store.integer("SELECT count(*) FROM items WHERE status = 'removed'") == 0, "a geo-block is not a takedown")
        #expect(try store.integer("SELECT count(*) FROM items WHERE key LIKE '%geo.example%' AND status = 'live'") == 2)
        let key = try #require(try store.rows("SELECT key FROM items WHERE key LIKE '%geo.example%' ORDER BY id LIMIT 1").first?[0] ?? nil)
        let history = try #require(try await store.history(key: key))
        #expect(history.blockedIn == ["de"])
        #expect(RegionalVerdicts.shown(status: history.item.status.rawValue, blockedIn: history.blockedIn) == "blocked in de")
        #expect(RegionalVerdicts.shown(status: "escalated", blockedIn: ["de"]) == "escalated, blocked in de")

        let stats = try CrashHarness.run(["stats", "--db", path], killAfter: nil)
        #expect(stats.output.contains("takedowns by region (each region's latest check of each item):"), "\(stats.output)")
        #expect(stats.output.contains("  de  removed 0, blocked in de 2 (up in another region), up 2"), "\(stats.output)")
        #expect(stats.output.contains("  uk  removed 0, blocked in uk 0 (up in another region), up 4"), "\(stats.output)")
        let json = try CrashHarness.run(["stats", "--db", path, "--format", "json"], killAfter: nil)
        let figures = try JSONDecoder().decode(StoreStats.self, from: Data(json.output.utf8))
        #expect(figures.regions == [RegionTakedowns(region: "de", removed: 2, blocked: 2, up: 2),
                                    RegionTakedowns(region: "uk", removed: 0, blocked: 0, up: 4)])
        let escalate = try CrashHarness.run(["escalate", "--db", path, "--rules", TestSupport.rulesDirectory], killAfter: nil)
        #expect(escalate.output.components(separatedBy: "live (blocked in de)").count == 3, "\(escalate.output)")
        let report = try CrashHarness.run(["report", "--db", path, "--markdown", "-"], killAfter: nil)
        #expect(report.output.contains("| de | 0 | 2 | 2 |"), "\(report.output)")
    }
}
