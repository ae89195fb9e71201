public import TriageKit

/// What the web app asks of a case store beyond the commands' calls (`CaseStoreBackend`):
/// the cases list, an item's history, a batch's outcome, how much is due, and whether the
/// store changed. The SQLite store (`CaseStore`) and TriagePostgres's `PostgresStore` answer
/// alike, so that `urltriage serve` shows the same pages over either; no page knows which
/// one it has.
public protocol WebStore: CaseStoreBackend {
    /// The items `filter` selects, a page at a time, with the count over all pages (`knownTotal`:
    /// the count, when the caller has it from a moment ago).
    func cases(_ filter: CaseFilter, knownTotal: Int?) async throws -> CasePage
    /// The keys of every item `filter` selects, in no order (its order and page are ignored).
    func caseKeys(_ filter: CaseFilter) async throws -> [String]
    /// The items with these keys, in the order given (keys with no item are left out).
    func items(keys: [String]) async throws -> [ItemRecord]
    /// The item with this key and its history, at most `limit` rows of each kind (the newest); nil when there is none.
    func history(key: String, limit: Int) async throws -> ItemHistory?
    /// The items and rejected lines of batch `batchID`; at most `limit` of each are listed.
    func batchOutcome(_ batchID: Int64, limit: Int) async throws -> BatchOutcome
    /// How many items a recheck at `now` would take.
    func dueCount(now: Int64) async throws -> Int
    /// Something that tells cheaply whether anything was committed to the store since it last
    /// asked, by any process (the web app keeps costly answers until it does).
    func changeProbe() throws -> any StoreVersionProbe
    /// The escalation list's candidates (`escalationCandidates`, categories decided by `categories`),
    /// read without holding a thread of the pool the app's requests run on: SQLite reads them
    /// synchronously, on a queue of their own.
    func listCandidates(platform: String?, now: Int64, categories: HarmCategories) async throws -> EscalationCandidates
    /// The Check page's run: checks `keys` now, due or not (nil: everything due), with `checker`,
    /// and records the results as `by`, as a recheck or a worker's round does on this store.
    func checkNow(keys: [String]?, checker: any LivenessChecking, policy: RecheckPolicy, rules: RuleSet,
                  by: String) async throws -> RecheckSummary
}

/// A store's version: equal values mean nothing was committed in between; a change may be
/// reported when nothing changed (a page is then made again), never the other way round.
public protocol StoreVersionProbe: Sendable {
    func version() async throws -> Int64
    /// Ends the probe's own connection, if it has one.
    func closeProbe() async
}

extension WebStore {
    public func cases(_ filter: CaseFilter) async throws -> CasePage {
        try await cases(filter, knownTotal: nil)
    }

    public func history(key: String) async throws -> ItemHistory? {
        try await history(key: key, limit: 500)
    }

    public func batchOutcome(_ batchID: Int64) async throws -> BatchOutcome {
        try await batchOutcome(batchID, limit: 1000)
    }

    public func dueCount() async throws -> Int {
        try await dueCount(now: StoreTime.now())
    }
}

extension CaseStore: WebStore {
    public func dueCount(now: Int64) async throws -> Int {
        try await Rechecker.dueCount(self, now: now)
    }

    public func changeProbe() throws -> any StoreVersionProbe {
        try StoreChanges(path: path)
    }

    public func listCandidates(platform: String?, now: Int64, categories: HarmCategories) async throws -> EscalationCandidates {
        try await offPool {
            try self.escalationCandidates(platform: platform, now: now, categorizer: ItemCategorizer(categories: categories))
        }
    }

    /// A recheck under the store's recheck lock, so that one started from a terminal and the app never check at once.
    public func checkNow(keys: [String]?, checker: any LivenessChecking, policy: RecheckPolicy, rules: RuleSet,
                         by: String) async throws -> RecheckSummary {
        let rechecker = Rechecker(store: self, checker: checker, policy: policy, rules: rules)
        if let keys { return try await rechecker.check(keys: keys, RecheckOptions(by: by)) }
        return try await rechecker.run(RecheckOptions(by: by))
    }
}

extension StoreChanges: StoreVersionProbe {
    public func closeProbe() async {
        try? close()
    }
}
