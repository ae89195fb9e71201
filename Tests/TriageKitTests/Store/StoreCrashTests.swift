import Foundation
import Testing
import TriageTestServer
@testable import TriageKit
@testable import TriageStore

/// SIGKILL at random moments of `urltriage ingest` and `urltriage recheck` (the
/// built binary, in a child process), then the same command again: no report
/// lost, none counted twice, no check half-written.
///
/// Kill times are random but the assertions do not depend on when the kill
/// lands, so a slow, loaded machine changes how far each run got, not the outcome.
@Suite("Store: crash safety", .serialized, .enabled(if: CrashHarness.binary != nil, "the urltriage binary is not built beside the tests"))
struct StoreCrashTests {
    @Test("ingest killed at random moments, then run again: every report once, counts exact")
    func killedIngest() throws {
        let directory = try TestSupport.temporaryDirectory()
        let batch = directory + "/day.csv"
        try CrashHarness.writeBatch(to: batch, lines: 25_000)
        func ingest(into path: String, killAfter: Double?) throws -> CrashHarness.Outcome {
            try CrashHarness.run(["ingest", batch, "--db", path, "--rules", TestSupport.rulesDirectory], killAfter: killAfter)
        }

        // A run that is never interrupted: what the store must hold in the end, and how long a run takes here.
        let referencePath = directory + "/reference.sqlite"
        let full = try ingest(into: referencePath, killAfter: nil)
        #expect(full.exited && full.status == 0, "\(full.output)")
        let reference = try CaseStore(path: referencePath)
        let expected = try reference.rows("SELECT key, report_count, reporter_count FROM items ORDER BY key")
        let expectedReports = try reference.integer("SELECT count(*) FROM reports")
        #expect(expectedReports == 25_000)

        let path = directory + "/cases.sqlite"
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<4 {
            let delay = Double.random(in: (0.1 * full.seconds)...(0.9 * full.seconds), using: &generator)
            let outcome = try ingest(into: path, killAfter: delay)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let store = try openedUnlessUnfinished(path) else {
                // Killed before the new store's creation committed: the file says so and
                // holds nothing, and the next ingest finishes the creation (checked below).
                #expect(!outcome.exited, "a run that finished left an unfinished store")
                continue
            }
            #expect(try StoreTestSupport.assertConsistent(store).isEmpty, "after a kill at \(delay) s")
            #expect(try store.integer("SELECT count(*) FROM reports") <= expectedReports)
            #expect(try store.integer("""
                SELECT count(*) FROM batches b WHERE (SELECT count(*) FROM reports r WHERE r.batch_id = b.id) <> b.new_reports
                """) == 0, "batch counts move in the transactions that store the reports")
            try store.close()
            if outcome.exited { break }
        }
        let final = try ingest(into: path, killAfter: nil)
        #expect(final.exited && final.status == 0, "\(final.output)")
        let store = try CaseStore(path: path)
        #expect(try store.integer("SELECT count(*) FROM reports") == expectedReports)
        #expect(try store.rows("SELECT key, report_count, reporter_count FROM items ORDER BY key") == expected)
        #expect(try store.integer("SELECT count(*) FROM batches") == 1, "a rerun finishes the batch it started")
        #expect(try store.integer("SELECT count(*) FROM batches WHERE finished_at IS NOT NULL") == 1)
        #expect(try StoreTestSupport.assertConsistent(store).isEmpty)
    }

    /// The store at `path`, or nil when its creation never committed (the store's error
    /// says `.missing`). Keep `#expect` out of this `catch`: with one there (in the loop or
    /// in this function), Swift 6.3.1's SIL passes (ClosureLifetimeFixup, StackNesting) ran
    /// for 40 minutes on this file and then crashed; the caller expects on the nil instead.
    private func openedUnlessUnfinished(_ path: String) throws -> CaseStore? {
        do {
            return try CaseStore(path: path)
        } catch where error.kind == .missing {
            return nil
        }
    }

    @Test("recheck killed at random moments, then run again: every check whole, every item checked")
    func killedRecheck() async throws {
        let server = try await TestServer.start(world: PlatformWorld(delay: .milliseconds(40)))
        defer { Task { await server.stop() } }
        let directory = try TestSupport.temporaryDirectory()
        let batch = directory + "/pages.txt"
        let count = 400
        try (0..<count).map { "http://site\($0).example.org/report/\($0)" }.joined(separator: "\n")
            .appending("\n").write(toFile: batch, atomically: true, encoding: .utf8)
        let path = directory + "/cases.sqlite"
        let referencePath = directory + "/reference.sqlite"
        for file in [path, referencePath] {
            let store = try CaseStore(path: file, create: true)
            try StoreTestSupport.ingest(batch, into: store, now: StoreTime.now() - 60)
            try store.close()
        }
        func recheck(_ file: String, killAfter: Double?) throws -> CrashHarness.Outcome {
            try CrashHarness.run(["recheck", "--db", file, "--rules", TestSupport.rulesDirectory, "--allow-private",
                                  "--connect-to", server.connectTo, "--concurrency", "4", "--per-host", "1", "--retries", "0"],
                                 killAfter: killAfter)
        }
        let full = try recheck(referencePath, killAfter: nil)
        #expect(full.exited && full.status == 0, "\(full.output)")

        var generator = SystemRandomNumberGenerator()
        for _ in 0..<4 {
            let delay = Double.random(in: (0.1 * full.seconds)...(0.9 * full.seconds), using: &generator)
            let outcome = try recheck(path, killAfter: delay)
            let store = try CaseStore(path: path)
            #expect(try Self.halfWrittenChecks(store).isEmpty, "after a kill at \(delay) s: \(outcome.output)")
            #expect(try StoreMaintenance.check(store).isEmpty)
            try store.close()
            if outcome.exited { break }
        }
        // The kernel released the killed runs' lock: the next run goes ahead and finishes.
        let final = try recheck(path, killAfter: nil)
        #expect(final.exited && final.status == 0, "\(final.output)")
        let done = try CaseStore(path: path)
        #expect(try Self.halfWrittenChecks(done).isEmpty)
        #expect(try done.integer("SELECT count(*) FROM items WHERE last_checked_at IS NULL") == 0)
        #expect(try done.integer("SELECT count(*) FROM items WHERE next_check_at <= strftime('%s', 'now')") == 0)
        #expect(try done.integer("SELECT count(DISTINCT item_id) FROM checks") == Int64(count))
    }

    /// Items whose record disagrees with their checks (a check without the item's update, or
    /// an update without its check), and runs whose tally disagrees with the checks they wrote.
    static func halfWrittenChecks(_ store: CaseStore) throws -> [String] {
        let runs = try store.rows("""
            SELECT 'run ' || r.id FROM recheck_runs r WHERE r.checked <> (SELECT count(*) FROM checks c WHERE c.run_id = r.id)
            """).map { $0[0] ?? "" }
        return try runs + store.rows("""
            SELECT i.key FROM items i
            LEFT JOIN (SELECT item_id, max(checked_at) AS last, count(*) AS n FROM checks GROUP BY item_id) c ON c.item_id = i.id
            WHERE (c.n IS NULL) <> (i.last_checked_at IS NULL)
               OR c.last <> i.last_checked_at
               OR i.last_verdict <> (SELECT verdict FROM checks k WHERE k.item_id = i.id ORDER BY k.id DESC LIMIT 1)
               OR (i.last_checked_at IS NOT NULL AND i.status = 'new')
            """).map { $0[0] ?? "" }
    }
}

// MARK: - Child processes

/// Runs the built `urltriage` and kills it.
enum CrashHarness {
    /// The `urltriage` executable SwiftPM built beside the test bundle, if there is one.
    static let binary: String? = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("urltriage").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    struct Outcome {
        /// True when the process ended by itself (it finished before the kill).
        var exited: Bool
        var status: Int32
        var output: String
        /// How long it ran.
        var seconds: Double
    }

    /// Runs `urltriage arguments`; with `killAfter`, sends SIGKILL after that many seconds.
    static func run(_ arguments: [String], killAfter: Double?) throws -> Outcome {
        try run(arguments, signal: SIGKILL) { _, elapsed in killAfter.map { elapsed >= $0 } ?? false }
    }

    /// Runs `script` with `/bin/sh -c`, `$0` being the urltriage binary and `$1`… `arguments`
    /// (for limits a shell sets before `exec`).
    static func runShell(_ script: String, arguments: [String]) throws -> Outcome {
        try run(arguments, executable: "/bin/sh", prefix: ["-c", script, binary ?? "urltriage"], signal: SIGKILL) { _, _ in false }
    }

    /// Runs `urltriage arguments` as a user who owns nothing here (`nobody`, through setpriv, when
    /// the tests run as root, whom file permissions do not stop).
    static func runUnprivileged(_ arguments: [String]) throws -> Outcome {
        guard getuid() == 0 else { return try run(arguments, killAfter: nil) }
        return try run(arguments, executable: "/usr/bin/setpriv",
                       prefix: ["--reuid=65534", "--regid=65534", "--clear-groups", binary ?? "urltriage"], signal: SIGKILL) { _, _ in false }
    }

    /// Runs `urltriage arguments` and sends `signal` once `when(output so far, seconds)` says so.
    static func run(_ arguments: [String], signal: Int32, when: (String, Double) -> Bool) throws -> Outcome {
        try run(arguments, executable: binary ?? "urltriage", prefix: [], signal: signal, when: when)
    }

    private static func run(_ arguments: [String], executable: String, prefix: [String], signal: Int32,
                            when: (String, Double) -> Bool) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = prefix + arguments
        let output = try TestSupport.temporaryDirectory() + "/output.txt"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        let started = Date()
        try process.run()
        while process.isRunning {
            let soFar = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if when(soFar, Date().timeIntervalSince(started)) {
                kill(process.processIdentifier, signal)
                break
            }
            usleep(5000)
        }
        process.waitUntilExit()
        try handle.close()
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return Outcome(exited: process.terminationReason == .exit, status: process.terminationStatus, output: text,
                       seconds: Date().timeIntervalSince(started))
    }

    /// A CSV batch of `lines` reports: TikTok videos reported again and again by a few schools.
    static func writeBatch(to path: String, lines: Int) throws {
        var text = "reported_at,school,category,url,notes\n"
        text.reserveCapacity(lines * 120)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for line in 0..<lines {
            let video = next() % UInt64(lines / 2)
            let school = next() % 40
            let hour = 8 + line % 10
            text += "2026-11-02T\(hour < 10 ? "0" : "")\(hour):00:00Z,School \(school),bullying,"
            text += "https://www.tiktok.com/@user\(video % 997)/video/7\(String(format: "%018d", video)),report \(line)\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
