/// The points each fact about an item adds to its priority score, from the
/// `priority:` section of `rules/policy.yaml`.
///
/// Every weight is a number of points; a score is the sum of its parts, each
/// rounded to a whole point, so the reasons shown on a row add up to its score.
public struct PriorityWeights: Sendable, Equatable {
    /// Points for the item's most serious harm category, by category id.
    public var category: [String: Double]
    /// Points for each report, up to `reportsMax`.
    public var perReport: Double
    public var reportsMax: Double
    /// Points for each distinct reporter (school or person) after the first, up to `reportersMax`.
    public var perExtraReporter: Double
    public var reportersMax: Double
    /// Points for the last verdict; only live and restricted items are escalated.
    public var live: Double
    public var restricted: Double
    /// Points per whole day since the first report, up to `ageMax`.
    public var perDay: Double
    public var ageMax: Double
    /// Points once an escalation's response target has passed, then per hour past it, up to `overdueMax` in all.
    public var onPassingTarget: Double
    public var perHourPastTarget: Double
    public var overdueMax: Double
    /// Points by content type (`live`, `video`, `profile` …); types not named get `contentTypeDefault`.
    public var contentType: [String: Double]
    public var contentTypeDefault: Double

    public init(category: [String: Double], perReport: Double, reportsMax: Double, perExtraReporter: Double,
                reportersMax: Double, live: Double, restricted: Double, perDay: Double, ageMax: Double,
                onPassingTarget: Double, perHourPastTarget: Double, overdueMax: Double,
                contentType: [String: Double], contentTypeDefault: Double) {
        self.category = category
        self.perReport = perReport
        self.reportsMax = reportsMax
        self.perExtraReporter = perExtraReporter
        self.reportersMax = reportersMax
        self.live = live
        self.restricted = restricted
        self.perDay = perDay
        self.ageMax = ageMax
        self.onPassingTarget = onPassingTarget
        self.perHourPastTarget = perHourPastTarget
        self.overdueMax = overdueMax
        self.contentType = contentType
        self.contentTypeDefault = contentTypeDefault
    }

    /// The weights used when a policy file has no `priority:` section; the same as the shipped file's.
    public static let standard = PriorityWeights(
        category: ["threat": 50, "child_sexual_image": 65, "sexual": 60, "impersonation": 30, "bullying": 25, "reputation": 15,
                   "misuse_of_name": 10, "other": 5],
        perReport: 1, reportsMax: 20, perExtraReporter: 3, reportersMax: 15,
        live: 10, restricted: 4,
        perDay: 1, ageMax: 30,
        onPassingTarget: 12, perHourPastTarget: 0.5, overdueMax: 60,
        contentType: ["live": 20, "story": 8, "video": 6, "reel": 6, "clip": 6, "shorts": 6, "spotlight": 6,
                      "photo": 5, "image": 5, "post": 4, "status": 4, "message": 4, "comment": 3, "group": 3,
                      "invite": 2, "channel": 2, "profile": 1, "user": 1],
        contentTypeDefault: 0)
}
