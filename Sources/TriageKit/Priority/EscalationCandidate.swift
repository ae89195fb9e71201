/// What the store knows about one item that may be escalated: the facts its
/// priority score is made of.
public struct EscalationCandidate: Sendable, Equatable {
    public var key: String
    public var platform: String
    public var type: String
    public var canonicalURL: String
    /// When the item was first and last reported, in store seconds.
    public var firstReportedAt: Int64
    public var lastReportedAt: Int64
    public var reportCount: Int
    /// Distinct reporters: the school or organisation, else the person.
    public var reporterCount: Int
    /// The last liveness verdict and when it was given; nil before the first check.
    public var verdict: Verdict?
    public var checkedAt: Int64?
    /// The last check's evidence in words, for the items that need a person.
    public var checkReason: String?
    public var escalationCount: Int
    public var lastEscalatedAt: Int64?
    /// When the platform's answer to the last escalation was due.
    public var responseDueAt: Int64?
    /// The item's most serious harm category and why.
    public var category: CategoryDecision
    /// Regions where the latest check found it removed while another region's found it up
    /// (a geo-block: still up, still to escalate). Empty unless workers check from several regions.
    public var blockedIn: [String] = []

    public init(key: String, platform: String, type: String, canonicalURL: String, firstReportedAt: Int64,
                lastReportedAt: Int64, reportCount: Int, reporterCount: Int, verdict: Verdict?, checkedAt: Int64?,
                checkReason: String? = nil, escalationCount: Int = 0, lastEscalatedAt: Int64? = nil,
                responseDueAt: Int64? = nil, category: CategoryDecision) {
        self.key = key
        self.platform = platform
        self.type = type
        self.canonicalURL = canonicalURL
        self.firstReportedAt = firstReportedAt
        self.lastReportedAt = lastReportedAt
        self.reportCount = reportCount
        self.reporterCount = reporterCount
        self.verdict = verdict
        self.checkedAt = checkedAt
        self.checkReason = checkReason
        self.escalationCount = escalationCount
        self.lastEscalatedAt = lastEscalatedAt
        self.responseDueAt = responseDueAt
        self.category = category
    }

    /// Whether a person must confirm before the item's link is opened (a sexual image of
    /// someone under 18): the web app withholds its "open" link until then.
    public var withholdOpenLink: Bool { category.withholdOpenLink }

    /// Whether an earlier escalation's response target has passed at `now`.
    public func isOverdue(at now: Int64) -> Bool {
        guard lastEscalatedAt != nil, let due = responseDueAt else { return false }
        return due <= now
    }
}
