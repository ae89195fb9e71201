import Foundation
import PostgresNIO
public import TriageKit
public import TriageStore

/// The check queue on a PostgreSQL store: any number of worker processes on any number
/// of machines sharing one database.
///
/// A claim is one statement: the most overdue due items, locked `FOR UPDATE SKIP LOCKED`
/// (so concurrent claimers pass over each other's rows instead of waiting for them), leased
/// by the `UPDATE` that takes them. As on SQLite, a leased item's `next_check_at` is its
/// lease's end, so leased items are not due and a claim reads `items_due` from its start;
/// a dead worker's items fall due again when its leases end.
///
/// The calls run on a pool of the queue's own (`PostgresStore.makeClient`): the heartbeat
/// does not wait behind a recording, and a recording retried after a lost connection gets a
/// new one. Workers take no lock against a store-wide recheck, which PostgreSQL does not run.
public final class PostgresCheckQueue: CheckQueue {
    let store: PostgresStore
    let pool: RenewablePool
    /// The pool's current client (a new one after a call stalled: `RenewablePool`).
    var client: PostgresClient { pool.client }
    let lifecycle: Lifecycle
    let rules: RuleSet?
    let by: String
    var logger: Logger { store.logger }

    /// A queue on `store`, recording under `policy` (`rules` classify where short links lead).
    public init(store: PostgresStore, policy: RecheckPolicy, rules: RuleSet?, by: String) {
        self.store = store
        pool = RenewablePool(store: store, deadline: Self.callDeadline)
        lifecycle = Lifecycle(policy: policy)
        self.rules = rules
        self.by = by
    }

    /// How long one call may wait for the database before the pool is given up as stalled.
    /// Far above a claim (milliseconds) or the recording of a batch (under a second): a call
    /// this slow is waiting on a wedged pool, not working.
    static let callDeadline: Duration = .seconds(15)

    /// Runs `body` under the pool's deadline, turning what fails into the store's error for `doing`.
    private func run<T: Sendable>(_ doing: String, _ body: @escaping @Sendable () async throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.call { _ in try await body() }
        } catch {
            throw store.failure(error, doing: doing)
        }
    }

    public func startRound(worker: WorkerIdentity, by: String, now: Int64) async throws -> QueueRound {
        try await run("starting a worker's round") { [self] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("""
                    INSERT INTO workers (name, region, host, pid, started_at, last_seen_at)
                    VALUES (\(worker.name), \(worker.region), \(worker.host), \(Int64(worker.pid)), \(now), \(now))
                    ON CONFLICT (name) DO UPDATE SET region = excluded.region, host = excluded.host, pid = excluded.pid,
                        started_at = CASE WHEN workers.host = excluded.host AND workers.pid = excluded.pid
                                          THEN workers.started_at ELSE excluded.started_at END,
                        last_seen_at = excluded.last_seen_at
                    """, logger: logger)
                let rows = try await connection.query("""
                    INSERT INTO recheck_runs (started_at, by, host, pid, due)
                    VALUES (\(now), \(by), \(worker.host), \(Int64(worker.pid)), (SELECT count(*) FROM items WHERE next_check_at <= \(now)))
                    RETURNING id, due
                    """, logger: logger)
                for try await (id, due) in rows.decode((Int64, Int64).self) {
                    return QueueRound(runID: id, due: Int(due))
                }
                throw StoreError(.database, path: store.location, "starting a worker's round wrote no recheck run")
            }
        }
    }

    public func finishRound(_ round: QueueRound, checked: Int, changed: Int, outcome: String, now: Int64) async throws {
        _ = try await run("finishing a worker's round") { [self] in
            try await client.query("""
                UPDATE recheck_runs SET finished_at = \(now), checked = \(Int64(checked)), changed = \(Int64(changed)),
                    outcome = \(outcome) WHERE id = \(round.runID)
                """, logger: logger)
        }
    }

    public func claim(worker: String, region: String?, count: Int, leaseSeconds: Int64, now: Int64) async throws -> [ClaimedCheck] {
        guard count > 0 else { return [] }
        let until = now + max(1, leaseSeconds)
        return try await run("claiming due items") { [self] in
            // The heartbeat rides along (a data-modifying WITH runs whether read or not). `lease_until < now`
            // repeats what next_check_at already says, for an item made due again while a worker held it.
            let rows = try await client.query("""
                WITH seen AS (UPDATE workers SET last_seen_at = \(now) WHERE name = \(worker)),
                due AS (SELECT id FROM items WHERE next_check_at <= \(now) AND (lease_until IS NULL OR lease_until < \(now))
                        ORDER BY next_check_at, status, id LIMIT \(Int64(count)) FOR UPDATE SKIP LOCKED)
                UPDATE items SET lease_worker = \(worker), lease_until = \(until), next_check_at = \(until)
                FROM due WHERE items.id = due.id
                RETURNING items.key, items.canonical_url, items.platform, items.type
                """, logger: logger)
            var claimed: [ClaimedCheck] = []
            for try await (key, url, platform, type) in rows.decode((String, String, String, String).self) {
                claimed.append(ClaimedCheck(request: CheckRequest(key: key, url: url, platform: platform, type: type), leaseUntil: until))
            }
            return claimed
        }
    }

    public func record(_ results: [CheckResult], worker: String, region: String?, round: QueueRound, now: Int64) async throws
        -> QueueRecording {
        let recorder = PostgresCheckRecorder(lifecycle: lifecycle, rules: rules, runID: round.runID, by: by, worker: worker,
                                             region: region, logger: logger)
        let keys = results.map(\.key)
        return try await run("recording checks") { [self] in
            try await client.withTransaction(logger: logger) { connection in
                // Locked, so that nothing moves the leases until this commits.
                var held: Set<String> = []
                for try await key in try await connection.query("""
                    SELECT key FROM items WHERE key = ANY(\(keys)) AND lease_worker = \(worker) AND lease_until >= \(now) FOR UPDATE
                    """, logger: logger).decode(String.self) {
                    held.insert(key)
                }
                let kept = results.filter { held.contains($0.key) }
                var recording = try await recorder.record(kept, connection: connection)
                recording.lost = results.filter { !held.contains($0.key) }
                try await connection.query("""
                    UPDATE items SET lease_worker = NULL, lease_until = NULL WHERE key = ANY(\(kept.map(\.key))) AND lease_worker = \(worker)
                    """, logger: logger)
                try await connection.query("""
                    UPDATE recheck_runs SET checked = checked + \(Int64(recording.checked)) WHERE id = \(round.runID)
                    """, logger: logger)
                try await connection.query("UPDATE workers SET last_seen_at = \(now) WHERE name = \(worker)", logger: logger)
                return recording
            }
        }
    }

    public func release(keys: [String], worker: String, now: Int64) async throws {
        guard !keys.isEmpty else { return }
        _ = try await run("releasing leases") { [self] in
            try await client.query("""
                UPDATE items SET lease_worker = NULL, lease_until = NULL, next_check_at = \(now)
                WHERE key = ANY(\(keys)) AND lease_worker = \(worker)
                """, logger: logger)
        }
    }

    public func heartbeat(worker: String, keys: [String], leaseSeconds: Int64, now: Int64) async throws -> [String] {
        let until = now + max(1, leaseSeconds)
        return try await run("a worker's heartbeat") { [self] in
            var extended: Set<String> = []
            let rows = try await client.query("""
                WITH seen AS (UPDATE workers SET last_seen_at = \(now) WHERE name = \(worker))
                UPDATE items SET lease_until = \(until), next_check_at = \(until)
                WHERE key = ANY(\(keys)) AND lease_worker = \(worker) AND lease_until >= \(now)
                RETURNING key
                """, logger: logger)
            for try await key in rows.decode(String.self) { extended.insert(key) }
            return keys.filter { !extended.contains($0) }
        }
    }

    public func workers(now: Int64) async throws -> [WorkerStatus] {
        try await run("listing the workers") { [self] in
            // One pass over the items for every worker's leases (no index holds them: ingest would pay for it).
            // Names sorted bytewise, as SQLite sorts them.
            let rows = try await client.query("""
                SELECT w.name, w.region, w.host, w.pid, w.started_at, w.last_seen_at,
                       (SELECT count(*) FROM checks c WHERE c.worker = w.name AND c.checked_at > \(now - StoreTime.hour)),
                       coalesce(l.held, 0)
                FROM workers w LEFT JOIN (
                    SELECT lease_worker, count(*) AS held FROM items
                    WHERE lease_worker IS NOT NULL AND lease_until >= \(now) GROUP BY lease_worker
                ) l ON l.lease_worker = w.name
                ORDER BY w.name COLLATE "C"
                """, logger: logger)
            var workers: [WorkerStatus] = []
            for try await (name, region, host, pid, started, seen, checked, held)
                in rows.decode((String, String?, String?, Int64?, Int64, Int64, Int64, Int64).self) {
                workers.append(WorkerStatus(name: name, region: region, host: host ?? "", pid: Int(pid ?? 0), startedAt: started,
                                            lastSeenAt: seen, checkedLastHour: Int(checked), leasesHeld: Int(held)))
            }
            return workers
        }
    }
}
