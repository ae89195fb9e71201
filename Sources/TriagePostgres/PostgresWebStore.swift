import Foundation
import PostgresNIO
import Synchronization
public import TriageKit
public import TriageStore

/// The web app's reads on PostgreSQL: the cases list, an item's history, a batch's outcome,
/// what is due and whether the store changed, each the query the SQLite store runs (`CaseQuery`,
/// `ItemHistory`, `BatchOutcome`) in PostgreSQL's words, giving the same answers. They run on
/// the shared pool, so the app's requests do not wait for each other.
extension PostgresStore: WebStore {
    public func cases(_ filter: CaseFilter, knownTotal: Int? = nil) async throws -> CasePage {
        let (condition, binds) = try Self.condition(filter)
        let order = switch filter.order {
        case .firstReported: "id DESC"
        case .lastChecked: "last_checked_at IS NOT NULL, last_checked_at, id"
        case .reports: "report_count DESC, id"
        }
        let size = max(1, min(filter.pageSize, 500))
        let page = max(1, filter.page)
        let logger = logger
        do {
            return try await inReadSnapshot { connection in
                var total = knownTotal ?? 0
                if knownTotal == nil {
                    for try await count in try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM items \(condition)",
                                                                                    binds: binds), logger: logger).decode(Int64.self) {
                        total = Int(count)
                    }
                }
                let items = try await PostgresItems.decode(connection.query(PostgresQuery(unsafeSQL: """
                    SELECT \(PostgresItems.columns) FROM items \(condition) ORDER BY \(order) LIMIT \(size) OFFSET \((page - 1) * size)
                    """, binds: binds), logger: logger))
                return CasePage(items: items, total: total, page: page, pageSize: size)
            }
        } catch {
            throw failure(error, doing: "listing cases")
        }
    }

    public func caseKeys(_ filter: CaseFilter) async throws -> [String] {
        let (condition, binds) = try Self.condition(filter)
        let logger = logger
        do {
            return try await onSharedPool { client in
                var keys: [String] = []
                for try await key in try await client.query(PostgresQuery(unsafeSQL: "SELECT key FROM items \(condition)", binds: binds),
                                                            logger: logger).decode(String.self) {
                    keys.append(key)
                }
                return keys
            }
        } catch {
            throw failure(error, doing: "listing cases")
        }
    }

    public func items(keys: [String]) async throws -> [ItemRecord] {
        guard !keys.isEmpty else { return [] }
        let logger = logger
        do {
            let found = try await onSharedPool { client in
                try await PostgresItems.decode(client.query("""
                    SELECT \(unescaped: PostgresItems.columns) FROM items WHERE key = ANY(\(keys))
                    """, logger: logger))
            }
            let byKey = Dictionary(found.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            return keys.compactMap { byKey[$0] }
        } catch {
            throw failure(error, doing: "reading items")
        }
    }

    /// The WHERE clause of `filter` and its parameters, as `CaseStore`'s; LIKE becomes ILIKE,
    /// which folds every letter as the SQLite store's search does (in a UTF-8 database whose
    /// character type knows them: `C.UTF-8` or a language's, not plain `C`).
    static func condition(_ filter: CaseFilter) throws -> (String, PostgresBindings) {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func parameter<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value) throws -> String {
            try binds.append(value)
            return "$\(binds.count)"
        }
        if let platform = filter.platform {
            conditions.append("platform = \(try parameter(platform))")
        }
        if let status = filter.status {
            conditions.append("status = \(try parameter(status.rawValue))")
        } else {
            conditions.append("status <> 'merged'")
        }
        if let category = filter.category {
            conditions.append("category = \(try parameter(category))")
        }
        if let reporter = filter.reporter {
            conditions.append("id IN (SELECT item_id FROM item_reporters WHERE who = \(try parameter(reporter)))")
        }
        if let since = filter.since {
            conditions.append("first_reported_at >= \(try parameter(since))")
        }
        if let until = filter.until {
            conditions.append("first_reported_at < \(try parameter(until))")
        }
        if let text = filter.text, !text.isEmpty {
            let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            let p = try parameter(pattern)
            conditions.append("""
                (canonical_url ILIKE \(p) ESCAPE '\\' OR key ILIKE \(p) ESCAPE '\\'
                 OR id IN (SELECT item_id FROM reports WHERE notes ILIKE \(p) ESCAPE '\\')
                 OR id IN (SELECT item_id FROM notes WHERE text ILIKE \(p) ESCAPE '\\'))
                """)
        }
        if let keys = filter.onlyKeys {
            conditions.append("key = ANY(\(try parameter(keys)))")
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), binds)
    }

    // MARK: - An item's history

    public func history(key: String, limit: Int = 500) async throws -> ItemHistory? {
        let logger = logger, limit = Int64(limit)
        do {
            return try await inReadSnapshot { connection -> ItemHistory? in
                guard let item = try await PostgresItems.fetch(key: key, connection, logger: logger) else { return nil }
                let id = item.id
                var reports: [ItemHistory.Report] = []
                for try await (at, reporter, organisation, category, notes, batch, line) in try await connection.query("""
                    SELECT reported_at, reporter, organisation, category, notes, batch_id, line FROM reports
                    WHERE item_id = \(id) ORDER BY id DESC LIMIT \(limit)
                    """, logger: logger).decode((Int64, String?, String?, String?, String?, Int64, Int64).self) {
                    reports.append(.init(reportedAt: at, reporter: reporter, organisation: organisation, category: category, notes: notes,
                                         batchID: batch, line: Int(line)))
                }
                var checks: [ItemHistory.Check] = []
                for try await (at, url, verdict, http, finalURL, redirects, reason, elapsed, region) in try await connection.query("""
                    SELECT checked_at, url, verdict, http_status, final_url, redirects, reason, elapsed_ms, region FROM checks
                    WHERE item_id = \(id) ORDER BY checked_at DESC, id DESC LIMIT \(limit)
                    """, logger: logger).decode((Int64, String, String, Int64?, String?, Int64, String, Int64, String?).self) {
                    checks.append(.init(checkedAt: at, url: url, verdict: verdict, httpStatus: http.map(Int.init), finalURL: finalURL,
                                        redirects: Int(redirects), reason: reason, elapsedMilliseconds: Int(elapsed), region: region))
                }
                var transitions: [ItemHistory.Transition] = []
                for try await (at, from, to, why, by) in try await connection.query("""
                    SELECT at, from_status, to_status, why, by FROM transitions
                    WHERE item_id = \(id) ORDER BY at DESC, id DESC LIMIT \(limit)
                    """, logger: logger).decode((Int64, String, String, String, String).self) {
                    transitions.append(.init(at: at, from: from, to: to, why: why, by: by))
                }
                var escalations: [ItemHistory.Escalation] = []
                for try await (at, platform, channel, reference, by, note, due) in try await connection.query("""
                    SELECT escalated_at, platform, channel, reference, by, note, response_due_at FROM escalations
                    WHERE item_id = \(id) ORDER BY escalated_at DESC, id DESC LIMIT \(limit)
                    """, logger: logger).decode((Int64, String, String?, String?, String, String?, Int64).self) {
                    escalations.append(.init(escalatedAt: at, platform: platform, channel: channel, reference: reference, by: by,
                                             note: note, responseDueAt: due))
                }
                var notes: [ItemHistory.Note] = []
                for try await (at, by, text) in try await connection.query("""
                    SELECT at, by, text FROM notes WHERE item_id = \(id) ORDER BY at DESC, id DESC LIMIT \(limit)
                    """, logger: logger).decode((Int64, String, String).self) {
                    notes.append(.init(at: at, by: by, text: text))
                }
                var merged: [String] = []
                for try await key in try await connection.query("""
                    SELECT key FROM items WHERE alias_of = \(id) ORDER BY id LIMIT \(limit)
                    """, logger: logger).decode(String.self) {
                    merged.append(key)
                }
                var history = ItemHistory(item: item, reports: reports.reversed(), checks: checks.reversed(),
                                          transitions: transitions.reversed(), escalations: escalations.reversed(),
                                          notes: notes.reversed(), merged: merged)
                history.blockedIn = try await Self.blockedIn(itemID: id, connection, logger: logger)
                return history
            }
        } catch {
            throw failure(error, doing: "reading item \(key)")
        }
    }

    /// The regions `itemID` is blocked in, from each region's latest check (`RegionalVerdicts.blocked`).
    private static func blockedIn(itemID: Int64, _ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var regions = 0
        for try await count in try await connection.query("""
            SELECT count(DISTINCT region) FROM workers WHERE region IS NOT NULL
            """, logger: logger).decode(Int64.self) {
            regions = Int(count)
        }
        guard regions > 1 else { return [] }
        var latest: [(region: String, verdict: String)] = []
        for try await (region, verdict) in try await connection.query("""
            SELECT DISTINCT ON (region) region, verdict FROM checks WHERE item_id = \(itemID) AND region IS NOT NULL
            ORDER BY region, id DESC
            """, logger: logger).decode((String, String).self) {
            latest.append((region, verdict))
        }
        return RegionalVerdicts.blockedIn(latest: latest)
    }

    // MARK: - A batch

    public func batchOutcome(_ batchID: Int64, limit: Int = 1000) async throws -> BatchOutcome {
        let logger = logger
        do {
            return try await inReadSnapshot { connection in
                var outcome = BatchOutcome(batchID: batchID, newItems: [], knownItems: [], duplicatesFolded: 0, rejected: [],
                                           omittedItems: 0, omittedRejected: 0)
                for try await (key, url, status, inBatch, inAll, isNew) in try await connection.query("""
                    SELECT i.key, i.canonical_url, i.status, count(*), i.report_count,
                           NOT EXISTS (SELECT 1 FROM reports e WHERE e.item_id = i.id AND e.batch_id < \(batchID))
                    FROM reports r JOIN items i ON i.id = r.item_id
                    WHERE r.batch_id = \(batchID)
                    GROUP BY i.id ORDER BY min(r.line), i.id
                    """, logger: logger).decode((String, String, String, Int64, Int64, Bool).self) {
                    let entry = BatchOutcome.Entry(key: key, canonicalURL: url, status: ItemStatus(rawValue: status) ?? .unknown,
                                                   reportsInBatch: Int(inBatch), reportsInAll: Int(inAll))
                    outcome.record(entry, isNew: isNew, limit: limit)
                }
                var problems: [BatchOutcome.Rejected] = []
                for try await (line, reason) in try await connection.query("""
                    SELECT line, reason FROM ingest_problems WHERE batch_id = \(batchID) ORDER BY line, position LIMIT \(Int64(limit + 1))
                    """, logger: logger).decode((Int64, String).self) {
                    problems.append(.init(line: Int(line), reason: reason))
                }
                outcome.rejected = Array(problems.prefix(limit))
                if problems.count > limit {
                    for try await count in try await connection.query("""
                        SELECT count(*) FROM ingest_problems WHERE batch_id = \(batchID)
                        """, logger: logger).decode(Int64.self) {
                        outcome.omittedRejected = Int(count) - limit
                    }
                }
                return outcome
            }
        } catch {
            throw failure(error, doing: "reading batch \(batchID)")
        }
    }

    // MARK: - What is due, and changes

    public func dueCount(now: Int64) async throws -> Int {
        let logger = logger
        do {
            return try await onSharedPool { client in
                for try await count in try await client.query("SELECT count(*) FROM items WHERE next_check_at <= \(now)",
                                                              logger: logger).decode(Int64.self) {
                    return Int(count)
                }
                return 0
            }
        } catch {
            throw failure(error, doing: "counting the items due")
        }
    }

    public func changeProbe() throws -> any StoreVersionProbe {
        PostgresChangeProbe(store: self)
    }

    public func listCandidates(platform: String?, now: Int64, categories: HarmCategories) async throws -> EscalationCandidates {
        try await escalationCandidates(platform: platform, now: now, categorizer: ItemCategorizer(categories: categories))
    }

    /// Runs `body` in one read-only snapshot on a connection of the shared pool, so that what
    /// it reads in several queries agrees (as one read transaction does on SQLite).
    func inReadSnapshot<T: Sendable>(_ body: @Sendable @escaping (PostgresConnection) async throws -> T) async throws -> T {
        let logger = logger
        return try await onSharedPool { client in
            try await client.withConnection { connection in
                try await connection.query("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
                let value: T
                do {
                    value = try await body(connection)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
                try await connection.query("COMMIT", logger: logger)
                return value
            }
        }
    }
}

/// Whether a PostgreSQL store changed, told from the server's current snapshot (the oldest
/// transaction still running, the next transaction id, and those in progress): any
/// transaction that writes takes an id, which moves the next id on when it starts and leaves
/// the list of those in progress when it ends, so each commit changes the snapshot.
/// Transactions of other databases on the server change it too, which only makes a kept page
/// be made again.
///
/// The web app needs a version that only grows (`RecentAnswers`), and a snapshot's text does
/// not order: the probe counts the times the text it reads differs from the one before.
final class PostgresChangeProbe: StoreVersionProbe {
    let store: PostgresStore
    private let seen = Mutex<(snapshot: String?, version: Int64)>((nil, 0))

    init(store: PostgresStore) {
        self.store = store
    }

    func version() async throws -> Int64 {
        let snapshot: String
        let logger = store.logger
        do {
            snapshot = try await store.onSharedPool { client in
                var text = ""
                for try await found in try await client.query("SELECT pg_current_snapshot()::text", logger: logger).decode(String.self) {
                    text = found
                }
                return text
            }
        } catch {
            throw store.failure(error, doing: "telling whether the store changed")
        }
        return seen.withLock { seen in
            if seen.snapshot != snapshot {
                seen.snapshot = snapshot
                seen.version += 1
            }
            return seen.version
        }
    }

    func closeProbe() async {}
}

extension PostgresStore {
    /// Everything due, as one worker's round under the name `web@HOST` (PostgreSQL runs no
    /// store-wide recheck: workers share the due items through the check queue, and the app
    /// is one more); chosen items, as a round of the same worker over them (`ChosenItemsRound`).
    public func checkNow(keys: [String]?, checker: any LivenessChecking, policy: RecheckPolicy, rules: RuleSet,
                         by: String) async throws -> RecheckSummary {
        let host = ProcessInfo.processInfo.hostName
        let identity = WorkerIdentity(name: "web@\(host)", region: nil, host: host, pid: Int(ProcessInfo.processInfo.processIdentifier))
        // A queue holds a pool of its own until the store closes: one for each person, kept, rather
        // than one more with every run. A server's policy and rules do not change while it runs.
        let queue = webQueues.withLock { queues in
            if let queue = queues[by] { return queue }
            let made = checkQueue(policy: policy, rules: rules, by: by)
            queues[by] = made
            return made
        }
        if let keys {
            let logger = logger
            return try await ChosenItemsRound.run(keys: keys, queue: queue, claim: { [self] keys, worker, round, until in
                try await onSharedPool { client in
                    try await Self.claim(keys, worker: worker, round: round, until: until, client: client, logger: logger)
                }
            }, checker: checker, identity: identity, by: by, policyFile: policy.file)
        }
        var options = WorkerOptions(identity: identity, by: by)
        options.policyFile = policy.file
        return try await WorkerRound(queue: queue, checker: checker).run(options)
    }

    /// Leases the named items to `worker` (as a claim does: the lease, and the item due when it
    /// ends), skipping those another worker holds and those a recheck never checks; the round's
    /// run counts them as its due items.
    private static func claim(_ keys: [String], worker: String, round: QueueRound, until: Int64, client: PostgresClient,
                              logger: Logger) async throws -> [ClaimedCheck] {
        let now = StoreTime.now()
        return try await client.withTransaction(logger: logger) { connection in
            var claimed: [ClaimedCheck] = []
            for try await (key, url, platform, type) in try await connection.query("""
                UPDATE items SET lease_worker = \(worker), lease_until = \(until), next_check_at = \(until)
                WHERE key = ANY(\(keys)) AND status <> 'merged' AND status <> 'false_report'
                  AND (lease_until IS NULL OR lease_until < \(now) OR lease_worker = \(worker))
                RETURNING key, canonical_url, platform, type
                """, logger: logger).decode((String, String, String, String).self) {
                claimed.append(ClaimedCheck(request: CheckRequest(key: key, url: url, platform: platform, type: type), leaseUntil: until))
            }
            try await connection.query("UPDATE recheck_runs SET due = \(Int64(claimed.count)) WHERE id = \(round.runID)", logger: logger)
            return claimed.sorted { $0.request.key < $1.request.key }
        }
    }
}
