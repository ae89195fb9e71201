/// What `urltriage db check` found on a store, of either kind.
public struct StoreIntegrity: Sendable, Equatable {
    /// Each problem in a sentence ("missing table checks"); empty when the store is sound.
    public var problems: [String]
    /// What to do when there are problems, in this kind of store's terms.
    public var advice: String
    /// Checks that could not run here and why (PostgreSQL without `amcheck`), said beside "ok".
    public var notes: [String]

    public init(problems: [String], advice: String, notes: [String] = []) {
        self.problems = problems
        self.advice = advice
        self.notes = notes
    }
}
