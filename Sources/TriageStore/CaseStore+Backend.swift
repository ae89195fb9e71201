public import TriageKit

/// The SQLite store's side of `escalate --record`, a plain recheck and `db check`
/// (`CaseStoreBackend`): the code these commands always ran on SQLite.
extension CaseStore {
    public func recordEscalations(_ list: EscalationList, policy: RecheckPolicy, rules: RuleSet?, by: String, now: Int64) async
        -> EscalationRecorder.Outcome {
        EscalationRecorder(store: self, policy: policy, rules: rules).record(list, by: by, now: now)
    }

    public func storeWideRecheck(checker: any LivenessChecking, policy: RecheckPolicy, rules: RuleSet?, by: String,
                                 log: @escaping @Sendable (String) -> Void) -> any StoreWideRecheck {
        // The recheck's own options name who runs it (`RecheckOptions.by`); a failed write ends it with its error.
        Rechecker(store: self, checker: checker, policy: policy, rules: rules)
    }

    public func integrityCheck() async throws -> StoreIntegrity {
        StoreIntegrity(problems: try StoreMaintenance.check(self),
                       advice: "restore the latest `urltriage db backup`, or recover what SQLite can with `sqlite3 \(path) .recover`")
    }

    public func duePreview(now: Int64) async throws -> DueItems.Preview {
        try DueItems.preview(self, now: now)
    }
}
