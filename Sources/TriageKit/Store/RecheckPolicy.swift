/// When the store checks items again, and how long platforms have to act:
/// `rules/policy.yaml`.
///
/// Live and escalated items are checked every 24 hours (as the largest hotlines
/// send a notice every 24 hours until content goes); verdicts that cannot be
/// trusted yet (restricted, unknown, error) are retried sooner, backing off from
/// an hour to a day; a removal is confirmed by one more check a day later, and
/// the item is then left alone.
public struct RecheckPolicy: Sendable, Equatable {
    /// A wait that doubles after each check that gives the same verdict again.
    public struct Backoff: Sendable, Equatable {
        /// Seconds to wait after the first such verdict.
        public var first: Int64
        /// The longest wait, in seconds.
        public var max: Int64

        public init(first: Int64, max: Int64) {
            self.first = first
            self.max = max
        }

        /// The wait after the `streak`-th check in a row with this verdict (1-based).
        public func wait(streak: Int) -> Int64 {
            var wait = first
            var step = 1
            while step < streak && wait < max {
                wait *= 2
                step += 1
            }
            return Swift.min(wait, max)
        }
    }

    /// Seconds after ingest before a new item's first check (0: at once).
    public var new: Int64
    /// Seconds between checks of live content.
    public var live: Int64
    /// Seconds between checks of escalated (and overdue) content; a check also falls due
    /// when the platform's response target passes.
    public var escalated: Int64
    public var restricted: Backoff
    public var unknown: Backoff
    public var error: Backoff
    /// Seconds after a removal before the check that confirms it.
    public var removedConfirmAfter: Int64
    /// Hours a platform has to act when its rule file gives no `response_hours`.
    public var defaultResponseHours: Int
    /// The file the policy came from, or nil for the built-in defaults.
    public var file: String?

    /// The defaults, which the shipped `rules/policy.yaml` spells out.
    public static let defaults = RecheckPolicy(
        new: 0, live: 24 * StoreTime.hour, escalated: 24 * StoreTime.hour,
        restricted: Backoff(first: StoreTime.hour, max: 24 * StoreTime.hour),
        unknown: Backoff(first: StoreTime.hour, max: 24 * StoreTime.hour),
        error: Backoff(first: StoreTime.hour, max: 24 * StoreTime.hour),
        removedConfirmAfter: 24 * StoreTime.hour, defaultResponseHours: 72, file: nil)

    public init(new: Int64, live: Int64, escalated: Int64, restricted: Backoff, unknown: Backoff, error: Backoff,
                removedConfirmAfter: Int64, defaultResponseHours: Int, file: String?) {
        self.new = new
        self.live = live
        self.escalated = escalated
        self.restricted = restricted
        self.unknown = unknown
        self.error = error
        self.removedConfirmAfter = removedConfirmAfter
        self.defaultResponseHours = defaultResponseHours
        self.file = file
    }

    /// The backoff for a verdict that cannot be trusted yet, or nil for live and removed.
    public func backoff(for verdict: Verdict) -> Backoff? {
        switch verdict {
        case .restricted: restricted
        case .unknown: unknown
        case .error: error
        case .live, .removed: nil
        }
    }

    /// The hours a platform has to act: its rule file's `response_hours`, else the policy's default.
    public func responseHours(for platform: String, rules: RuleSet?) -> Int {
        rules?.platforms.first { $0.platform == platform }?.escalation?.responseHours ?? defaultResponseHours
    }
}
