import Foundation
internal import GRDB
public import TriageKit

extension Rechecker {
    /// Checks the items named by `keys` now, due or not, and records the results as a recheck
    /// does (a `recheck_runs` row, checks, transitions), under the same lock: the web app's
    /// "check now" for one item or a selection. Merged and false-report items are skipped,
    /// since a recheck never checks them either.
    public func check(keys: [String], _ options: RecheckOptions, stop: StopSignal? = nil,
                      now: Int64 = StoreTime.now()) async throws -> RecheckSummary {
        let lock = try RecheckLock.acquire(storePath: store.path, now: now)
        defer { withExtendedLifetime(lock) {} }
        var summary = RecheckSummary(runID: 0, due: 0, policyFile: lifecycle.policy.file)
        do {
            let (runID, requests) = try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO recheck_runs (started_at, by, host, pid) VALUES (?, ?, ?, ?)",
                               arguments: [now, options.by, ProcessInfo.processInfo.hostName, Int(getpid())])
                let runID = db.lastInsertedRowID
                let statement = try db.cachedStatement(sql: """
                    SELECT key, canonical_url, platform, type FROM items
                    WHERE key = ? AND status <> 'merged' AND status <> 'false_report'
                    """)
                var requests: [CheckRequest] = []
                for key in Set(keys).sorted() {
                    if let row = try Row.fetchOne(statement, arguments: [key]) {
                        requests.append(CheckRequest(key: row[0], url: row[1], platform: row[2], type: row[3]))
                    }
                }
                try db.execute(sql: "UPDATE recheck_runs SET due = ? WHERE id = ?", arguments: [requests.count, runID])
                return (runID, requests)
            }
            summary.runID = runID
            summary.due = requests.count
            let recorder = CheckRecorder(lifecycle: lifecycle, rules: rules, runID: runID, by: options.by)
            try await checkAndRecord(requests, recorder: recorder, stop: stop, options: options, into: &summary)
            summary.stoppedBy = stop?.stopReason
            let outcome = summary.stoppedBy.map { "stopped by \($0)" } ?? "finished"
            let (checked, changed) = (summary.checked, summary.transitions.values.reduce(0, +))
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE recheck_runs SET finished_at = ?, checked = ?, changed = ?, outcome = ? WHERE id = ?",
                               arguments: [StoreTime.now(), checked, changed, outcome, runID])
            }
        } catch {
            throw store.failure(error, doing: "check")
        }
        return summary
    }

    /// How many items a recheck at `now` would take (the page's "check everything due").
    public static func dueCount(_ store: CaseStore, now: Int64 = StoreTime.now()) async throws -> Int {
        try await store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM items WHERE next_check_at <= ?", arguments: [now]) ?? 0
        }
    }
}
