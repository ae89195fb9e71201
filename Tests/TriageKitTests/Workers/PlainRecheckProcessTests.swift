import Foundation
import Testing
@testable import TriagePostgres
import TriageTestServer
@testable import TriageKit
@testable import TriageStore

/// `urltriage recheck` and `watch` without `--worker` on both stores (the built binary, against
/// the bundled test server): the same items give the same summary and the same verdicts and
/// statuses; on PostgreSQL the round runs as the implicit worker `recheck@HOST`.
@Suite("Workers: a plain recheck and watch on SQLite and on PostgreSQL", .serialized,
       .enabled(if: CrashHarness.binary != nil, "the urltriage binary is not built beside the tests"))
struct PlainRecheckProcessTests {
    static let pages = 30

    /// A store of `pages` pages due a minute ago, on `kind`: its URL or path, and the store itself.
    static func store(_ kind: QueueStoreKind) async throws -> (location: String, store: any CaseStoreBackend) {
        switch kind {
        case .sqlite:
            let path = try WorkerProcessTests.store(pages: pages)
            return (path, try CaseStore(path: path))
        case .postgres:
            let (store, url) = try await PostgresWorkerProcessTests.store(pages: pages)
            return (url, store)
        }
    }

    static func arguments(_ command: String, store: String, server: TestServer) -> [String] {
        [command, "--db", store, "--rules", TestSupport.rulesDirectory, "--allow-private", "--connect-to", server.connectTo,
         "--retries", "0", "--by", "cron"]
    }

    static func rows(_ store: any CaseStoreBackend, _ sql: String) async throws -> [[String?]] {
        try await QueueHarness(kind: store is CaseStore ? .sqlite : .postgres, store: store).rows(sql)
    }

    /// What a recheck leaves that does not depend on the clock.
    static func contents(_ store: any CaseStoreBackend) async throws -> [[[String?]]] {
        [
            try await rows(store, "SELECT key, status, last_verdict, check_streak, lease_worker, lease_until FROM items ORDER BY key"),
            try await rows(store, """
                SELECT i.key, c.verdict, c.http_status, c.reason, c.region FROM checks c JOIN items i ON i.id = c.item_id ORDER BY i.key
                """),
            try await rows(store, """
                SELECT i.key, t.from_status, t.to_status, t.why, t.by FROM transitions t JOIN items i ON i.id = t.item_id ORDER BY i.key
                """),
            try await rows(store, "SELECT by, due, checked, changed, outcome FROM recheck_runs ORDER BY id"),
        ]
    }

    @Test("recheck --dry-run counts the same, and a plain recheck gives the same summary and leaves the same verdicts and statuses, on both stores",
          .enabled(if: PostgresTestSupport.enabled, PostgresTestSupport.skipMessage))
    func sameRecheckOnBoth() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        var outputs: [String] = []
        var stores: [[[[String?]]]] = []
        for kind in QueueStoreKind.allCases {
            let (location, store) = try await Self.store(kind)
            let dry = try CrashHarness.run(Self.arguments("recheck", store: location, server: server) + ["--dry-run"], killAfter: nil)
            #expect(dry.status == 0, "\(kind): \(dry.output)")
            let lines = dry.output.split(separator: "\n")
            #expect(lines.first?.hasPrefix("\(Self.pages) items due, the longest waiting since ") == true, "\(kind): \(dry.output)")
            #expect(lines.dropFirst().first == "  by status: new \(Self.pages)", "\(kind): \(dry.output)")
            #expect(lines.last?.hasSuffix("); nothing was checked") == true, "\(kind): \(dry.output)")
            let run = try CrashHarness.run(Self.arguments("recheck", store: location, server: server), killAfter: nil)
            #expect(run.status == 0, "\(kind): \(run.output)")
            outputs.append(run.output)
            stores.append(try await Self.contents(store))
            if kind == .postgres {
                let host = ProcessInfo.processInfo.hostName
                #expect(try await Self.rows(store, "SELECT name, region FROM workers") == [["recheck@\(host)", nil]])
                #expect(try await Self.rows(store, "SELECT DISTINCT worker FROM checks") == [["recheck@\(host)"]])
            }
            await store.closeConnections()
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].hasPrefix("recheck 1: \(Self.pages) items due, \(Self.pages) checked\n"), "\(outputs[0])")
        #expect(!outputs[1].contains("worker"), "a plain recheck's summary names no worker: \(outputs[1])")
        #expect(stores[0] == stores[1])
        #expect(stores[0][1].count == Self.pages && stores[0][2].count == Self.pages)
    }

    @Test("a plain watch on PostgreSQL rechecks a round, stops cleanly on SIGTERM, and a second recheck finds nothing due",
          .enabled(if: PostgresTestSupport.enabled, PostgresTestSupport.skipMessage))
    func plainWatchOnPostgres() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let (location, store) = try await Self.store(.postgres)
        let watcher = try WorkerProcessTests.start(Self.arguments("watch", store: location, server: server) + ["--every", "1h"])
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, try await QueueHarness(kind: .postgres, store: store)
            .integer("SELECT count(*) FROM recheck_runs WHERE outcome = 'finished'") == 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(watcher.process.processIdentifier, SIGTERM)
        #expect(watcher.wait() == 0, "\(watcher.text)")
        #expect(watcher.text.contains("recheck 1: \(Self.pages) items due, \(Self.pages) checked"), "\(watcher.text)")
        #expect(watcher.text.contains("watch stopped by SIGTERM"), "\(watcher.text)")
        let harness = QueueHarness(kind: .postgres, store: store)
        #expect(try await harness.integer("SELECT count(DISTINCT item_id) FROM checks") == Int64(Self.pages))
        #expect(try await harness.integer("SELECT count(*) FROM items WHERE lease_worker IS NOT NULL") == 0)
        let again = try CrashHarness.run(Self.arguments("recheck", store: location, server: server), killAfter: nil)
        #expect(again.status == 0 && again.output.hasPrefix("recheck 2: 0 items due, 0 checked"), "\(again.output)")
        await store.closeConnections()
    }
}
