public import TriageKit

/// A case store, whichever database holds it: the SQLite file (`CaseStore`) or a PostgreSQL
/// database (`PostgresStore`, in TriagePostgres). Commands that work on both take this; the
/// command line decides which once (`StoreOption`).
public protocol CaseStoreBackend: AnyObject, Sendable {
    /// The store as the user named it, for messages (a URL without its password).
    var location: String { get }
    /// Migrations this open applied.
    var appliedMigrations: [String] { get }
    /// True when this open created the store.
    var created: Bool { get }
    /// Ingests a prepared report file (`StoreIngester.prepare`).
    func ingest(_ input: StoreIngester.Input, rules: RuleSet, options: IngestOptions) async throws -> IngestSummary
    /// The takedown figures at `now`; with `since`, only reports made and items first reported from then on.
    func stats(since: Int64?, now: Int64) async throws -> StoreStats
    /// The items that may go on the escalation list at `now`, of one platform or all, with their
    /// categories decided by `categorizer` (`EscalationList.build` makes the list from them).
    func escalationCandidates(platform: String?, now: Int64, categorizer: ItemCategorizer) async throws -> EscalationCandidates
    /// The takedown report's figures at `now`; with `since`, only reports and items from then on;
    /// the trend covers the last `weeks` weeks.
    func report(since: Int64?, now: Int64, weeks: Int, platformNames: [String: String]) async throws -> TakedownReport
    /// The recheck work shared by checker workers on this store, recorded under `policy` by `by`
    /// (`rules` classify where short links lead).
    func checkQueue(policy: RecheckPolicy, rules: RuleSet?, by: String) -> any CheckQueue
    /// Closes the store's connections.
    func closeConnections() async
    /// The web app's accounts and sessions (`urltriage user`, signing in).
    var accounts: any AccountStore { get }
    /// Applies a staff mark to the item `keyOrURL` names, as `urltriage mark` and the item page do (`MarkRules`).
    func mark(_ keyOrURL: String, _ mark: Mark, note: String?, by: String, now: Int64, policy: RecheckPolicy,
              rules: RuleSet?) async throws -> MarkOutcome

    // MARK: - escalate --record, a store-wide recheck, db check (CaseStore+Backend.swift on SQLite)

    /// Marks the rows of `list` escalated at `now` by `by`, all in one transaction; rows another run
    /// recorded since the list was made are skipped (`EscalationRecorder` on SQLite).
    func recordEscalations(_ list: EscalationList, policy: RecheckPolicy, rules: RuleSet?, by: String, now: Int64) async
        -> EscalationRecorder.Outcome
    /// What `recheck` and `watch` without `--worker` run, recording transitions by `by`: SQLite's
    /// `Rechecker` under the recheck lock; elsewhere a worker round as `recheck@HOST` (`QueueRechecker`).
    /// `log` hears what goes wrong while the recheck goes on (a failed write it retries).
    func storeWideRecheck(checker: any LivenessChecking, policy: RecheckPolicy, rules: RuleSet?, by: String,
                          log: @escaping @Sendable (String) -> Void) -> any StoreWideRecheck
    /// `db check`: what is missing from the schema and what the database's own checks find.
    func integrityCheck() async throws -> StoreIntegrity
    /// `recheck --dry-run`: what a recheck at `now` would take, read as a recheck reads it.
    func duePreview(now: Int64) async throws -> DueItems.Preview
}

extension CaseStore: CaseStoreBackend {
    public var location: String { path }

    public func ingest(_ input: StoreIngester.Input, rules: RuleSet, options: IngestOptions) async throws -> IngestSummary {
        try await offPool { try StoreIngester(store: self, rules: rules).ingest(input, options: options) }
    }

    public func stats(since: Int64?, now: Int64) async throws -> StoreStats {
        try StatsQuery.compute(self, since: since, now: now)
    }

    public func report(since: Int64?, now: Int64, weeks: Int, platformNames: [String: String]) async throws -> TakedownReport {
        try await offPool { try ReportQuery.compute(self, since: since, now: now, weeks: weeks, platformNames: platformNames) }
    }

    public func checkQueue(policy: RecheckPolicy, rules: RuleSet?, by: String) -> any CheckQueue {
        SQLiteCheckQueue(store: self, policy: policy, rules: rules, by: by)
    }

    public func closeConnections() async {
        try? close()
    }

    public var accounts: any AccountStore { SQLiteAccountStore(store: self) }

    public func mark(_ keyOrURL: String, _ mark: Mark, note: String?, by: String, now: Int64, policy: RecheckPolicy,
                     rules: RuleSet?) async throws -> MarkOutcome {
        let marker = ItemMarker(store: self, policy: policy, rules: rules)
        return try await offPool { try marker.mark(keyOrURL, mark, note: note, by: by, now: now) }
    }
}
