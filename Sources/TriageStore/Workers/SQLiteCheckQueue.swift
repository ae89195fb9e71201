import Foundation
internal import GRDB
import Synchronization
public import TriageKit

/// The check queue on a SQLite store: any number of worker processes on one
/// machine sharing one store file.
///
/// A claim is one `BEGIN IMMEDIATE` transaction running `UPDATE … RETURNING`: SQLite's
/// single write lock does what `FOR UPDATE SKIP LOCKED` does on PostgreSQL, since no two
/// claims can read the same due items before either has leased them. A leased item's
/// `next_check_at` is its lease's end, so leased items are simply not due: a claim reads
/// `items_due` from its start with nothing to skip, and a dead worker's items fall due
/// again when its leases end.
public final class SQLiteCheckQueue: CheckQueue {
    let store: CaseStore
    let lifecycle: Lifecycle
    let rules: RuleSet?
    let by: String
    /// The store's recheck lock, held shared from a round's start to its end: workers run side by
    /// side, never beside a store-wide recheck (which does not look at leases).
    let roundLock = Mutex<RecheckLock?>(nil)

    public init(store: CaseStore, policy: RecheckPolicy, rules: RuleSet?, by: String) {
        self.store = store
        lifecycle = Lifecycle(policy: policy)
        self.rules = rules
        self.by = by
    }

    /// Runs `body` in one IMMEDIATE transaction: the write lock is taken at its start, so two
    /// workers never both read before either writes (no upgrade from reader to writer to fail).
    private func immediate<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await store.pool.writeWithoutTransaction { db in
                var value: T?
                try db.inTransaction(.immediate) {
                    value = try body(db)
                    return .commit
                }
                return value!
            }
        } catch {
            throw store.failure(error, doing: doing)
        }
    }

    public func startRound(worker: WorkerIdentity, by: String, now: Int64) async throws -> QueueRound {
        let lock = try RecheckLock.acquire(storePath: store.path, now: now, shared: true)
        roundLock.withLock { $0 = lock }
        return try await immediate("starting a worker's round") { db in
            try Self.register(worker, db: db, now: now)
            try db.execute(sql: "INSERT INTO recheck_runs (started_at, by, host, pid) VALUES (?, ?, ?, ?)",
                           arguments: [now, by, worker.host, worker.pid])
            let runID = db.lastInsertedRowID
            let due = try Int.fetchOne(db, sql: "SELECT count(*) FROM items WHERE next_check_at <= ?", arguments: [now]) ?? 0
            try db.execute(sql: "UPDATE recheck_runs SET due = ? WHERE id = ?", arguments: [due, runID])
            return QueueRound(runID: runID, due: due)
        }
    }

    /// Adds the worker, or says it is back: a new process under a known name starts afresh.
    static func register(_ worker: WorkerIdentity, db: Database, now: Int64) throws {
        try db.execute(sql: """
            INSERT INTO workers (name, region, host, pid, started_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET region = excluded.region, host = excluded.host, pid = excluded.pid,
                started_at = CASE WHEN workers.host = excluded.host AND workers.pid = excluded.pid
                                  THEN workers.started_at ELSE excluded.started_at END,
                last_seen_at = excluded.last_seen_at
            """, arguments: [worker.name, worker.region, worker.host, worker.pid, now, now])
    }

    public func finishRound(_ round: QueueRound, checked: Int, changed: Int, outcome: String, now: Int64) async throws {
        defer { roundLock.withLock { $0 = nil } }
        try await immediate("finishing a worker's round") { db in
            try db.execute(sql: "UPDATE recheck_runs SET finished_at = ?, checked = ?, changed = ?, outcome = ? WHERE id = ?",
                           arguments: [now, checked, changed, outcome, round.runID])
        }
    }

    public func claim(worker: String, region: String?, count: Int, leaseSeconds: Int64, now: Int64) async throws -> [ClaimedCheck] {
        guard count > 0 else { return [] }
        let until = now + max(1, leaseSeconds)
        return try await immediate("claiming due items") { db in
            // `lease_until < now` repeats what next_check_at already says, for an item a caseworker
            // made due again (escalated it) while a worker held it.
            let rows = try Row.fetchAll(db, sql: """
                UPDATE items SET lease_worker = ?, lease_until = ?, next_check_at = ?
                WHERE id IN (SELECT id FROM items INDEXED BY items_due
                             WHERE next_check_at <= ? AND (lease_until IS NULL OR lease_until < ?)
                             ORDER BY next_check_at, status, id LIMIT ?)
                RETURNING key, canonical_url, platform, type
                """, arguments: [worker, until, until, now, now, count])
            try db.execute(sql: "UPDATE workers SET last_seen_at = ? WHERE name = ?", arguments: [now, worker])
            return rows.map { row in
                ClaimedCheck(request: CheckRequest(key: row[0], url: row[1], platform: row[2], type: row[3]), leaseUntil: until)
            }
        }
    }

    public func record(_ results: [CheckResult], worker: String, region: String?, round: QueueRound, now: Int64) async throws
        -> QueueRecording {
        let recorder = CheckRecorder(lifecycle: lifecycle, rules: rules, runID: round.runID, by: by, worker: worker, region: region)
        return try await immediate("recording checks") { db in
            var recording = QueueRecording()
            let held = try db.cachedStatement(sql: "SELECT 1 FROM items WHERE key = ? AND lease_worker = ? AND lease_until >= ?")
            var kept: [CheckResult] = []
            for result in results {
                if try Bool.fetchOne(held, arguments: [result.key, worker, now]) == true {
                    kept.append(result)
                } else {
                    recording.lost.append(result)
                }
            }
            let tally = try recorder.record(kept, db: db)
            let end = try db.cachedStatement(sql: "UPDATE items SET lease_worker = NULL, lease_until = NULL WHERE key = ? AND lease_worker = ?")
            for result in kept { try end.execute(arguments: [result.key, worker]) }
            try db.execute(sql: "UPDATE recheck_runs SET checked = checked + ? WHERE id = ?", arguments: [tally.checked, round.runID])
            try db.execute(sql: "UPDATE workers SET last_seen_at = ? WHERE name = ?", arguments: [now, worker])
            recording.checked = tally.checked
            recording.verdicts = tally.verdicts
            recording.transitions = tally.transitions
            recording.merged = tally.merged
            return recording
        }
    }

    public func release(keys: [String], worker: String, now: Int64) async throws {
        guard !keys.isEmpty else { return }
        try await immediate("releasing leases") { db in
            let release = try db.cachedStatement(sql: """
                UPDATE items SET lease_worker = NULL, lease_until = NULL, next_check_at = ? WHERE key = ? AND lease_worker = ?
                """)
            for key in keys { try release.execute(arguments: [now, key, worker]) }
        }
    }

    public func heartbeat(worker: String, keys: [String], leaseSeconds: Int64, now: Int64) async throws -> [String] {
        let until = now + max(1, leaseSeconds)
        return try await immediate("a worker's heartbeat") { db in
            try db.execute(sql: "UPDATE workers SET last_seen_at = ? WHERE name = ?", arguments: [now, worker])
            let extend = try db.cachedStatement(sql: """
                UPDATE items SET lease_until = ?, next_check_at = ? WHERE key = ? AND lease_worker = ? AND lease_until >= ?
                """)
            var lost: [String] = []
            for key in keys {
                try extend.execute(arguments: [until, until, key, worker, now])
                if db.changesCount == 0 { lost.append(key) }
            }
            return lost
        }
    }

    public func workers(now: Int64) async throws -> [WorkerStatus] {
        do {
            return try await store.pool.read { db in
                // One pass over the items for every worker's leases (no index holds them: ingest would pay for it).
                var leases: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT lease_worker, count(*) FROM items WHERE lease_worker IS NOT NULL AND lease_until >= ? GROUP BY lease_worker
                    """, arguments: [now]) {
                    leases[row[0]] = row[1]
                }
                let checked = try db.cachedStatement(sql: """
                    SELECT count(*) FROM checks INDEXED BY checks_worker WHERE worker = ? AND checked_at > ?
                    """)
                return try Row.fetchAll(db, sql: "SELECT name, region, host, pid, started_at, last_seen_at FROM workers ORDER BY name")
                    .map { row in
                        let name: String = row[0]
                        return WorkerStatus(name: name, region: row[1], host: row[2] ?? "", pid: row[3] ?? 0, startedAt: row[4],
                                            lastSeenAt: row[5],
                                            checkedLastHour: try Int.fetchOne(checked, arguments: [name, now - StoreTime.hour]) ?? 0,
                                            leasesHeld: leases[name] ?? 0)
                    }
            }
        } catch {
            throw store.failure(error, doing: "listing the workers")
        }
    }
}
