import Foundation
import Synchronization
@testable import TriageKit
@testable import TriageStore

/// Stores, batches and checkers the store tests share.
enum StoreTestSupport {
    /// A fixed "now" so that every time in a test is known: 2026-11-02T12:00:00Z.
    static let noon: Int64 = 1_793_620_800

    /// A new, empty store in a fresh temporary directory.
    static func freshStore(name: String = "cases.sqlite") throws -> CaseStore {
        let directory = try TestSupport.temporaryDirectory()
        return try CaseStore(path: directory + "/" + name, create: true)
    }

    /// Writes `text` to a new file named `name` in a fresh temporary directory; returns its path.
    static func file(_ name: String, _ text: String) throws -> String {
        let path = try TestSupport.temporaryDirectory() + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Ingests `path` with the shipped rules at `now`.
    @discardableResult
    static func ingest(_ path: String, into store: CaseStore, now: Int64 = noon, by: String = "tester",
                       configure: (inout IngestOptions) -> Void = { _ in }) throws -> IngestSummary {
        var options = IngestOptions(by: by, now: now)
        configure(&options)
        return try StoreIngester(store: store, rules: TestSupport.shippedRules).ingest(path: path, options: options)
    }

    /// The items of a store by key: (status, report count, reporter count).
    static func items(_ store: CaseStore) throws -> [String: (status: String, reports: Int, reporters: Int)] {
        var items: [String: (String, Int, Int)] = [:]
        for row in try store.rows("SELECT key, status, report_count, reporter_count FROM items") {
            items[row[0]!] = (row[1]!, Int(row[2]!)!, Int(row[3]!)!)
        }
        return items
    }

    /// Checks the store's own bookkeeping: every item's counts match its reports (merged short
    /// links counted in their target), and SQLite finds nothing wrong.
    static func assertConsistent(_ store: CaseStore) throws -> [String] {
        var problems = try StoreMaintenance.check(store)
        let mismatched = try store.rows("""
            WITH counted AS (SELECT coalesce(a.alias_of, a.id) AS item, count(*) AS n
                             FROM reports r JOIN items a ON a.id = r.item_id GROUP BY 1)
            SELECT i.key, i.report_count, coalesce(c.n, 0) FROM items i LEFT JOIN counted c ON c.item = i.id
            WHERE i.alias_of IS NULL AND i.report_count <> coalesce(c.n, 0)
            """)
        problems += mismatched.map { "\($0[0]!): report_count \($0[1]!) but \($0[2]!) reports" }
        let reporters = try store.rows("""
            WITH counted AS (SELECT item_id, count(*) AS n FROM item_reporters GROUP BY item_id)
            SELECT i.key FROM items i LEFT JOIN counted c ON c.item_id = i.id WHERE i.reporter_count <> coalesce(c.n, 0)
            """)
        problems += reporters.map { "\($0[0]!): reporter_count does not match item_reporters" }
        return problems
    }
}

// MARK: - A checker that answers from a script

/// A liveness checker for tests: answers each request with the verdict `script` gives
/// for its key, at a given time, optionally after a pause per result.
final class ScriptedChecker: LivenessChecking {
    private let script: @Sendable (CheckRequest) -> (Verdict, String?)
    private let clock: Mutex<Int64>
    let pause: Duration?
    /// How many requests were handed over, in all.
    let requested = Mutex<[String]>([])

    /// `script` returns a verdict and, for a short link, the key it resolves to.
    init(at time: Int64, pause: Duration? = nil, script: @escaping @Sendable (CheckRequest) -> (Verdict, String?)) {
        self.script = script
        clock = Mutex(time)
        self.pause = pause
    }

    convenience init(at time: Int64, verdicts: [String: Verdict], otherwise: Verdict = .live) {
        self.init(at: time) { request in (verdicts[request.key] ?? otherwise, nil) }
    }

    /// Moves the checker's clock (the time its results carry).
    func set(time: Int64) { clock.withLock { $0 = time } }

    func check(_ requests: [CheckRequest]) -> AsyncStream<CheckResult> {
        let time = clock.withLock { $0 }
        requested.withLock { $0 += requests.map(\.key) }
        let (stream, continuation) = AsyncStream.makeStream(of: CheckResult.self)
        let script = self.script
        let pause = self.pause
        let task = Task {
            for request in requests {
                if let pause { try? await Task.sleep(for: pause) }
                if Task.isCancelled { break }
                let (verdict, resolved) = script(request)
                continuation.yield(CheckResult(
                    key: request.key, url: request.url, verdict: verdict, httpStatus: verdict == .removed ? 404 : 200,
                    finalURL: request.url, reason: "scripted \(verdict.rawValue)", elapsedMilliseconds: 1,
                    checkedAt: Date(timeIntervalSince1970: TimeInterval(time)), resolvedKey: resolved))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
