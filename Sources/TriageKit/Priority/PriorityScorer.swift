/// Turns the facts about an item into its priority score and the reasons for
/// it. Pure: the same facts, weights and time always give the same score.
public struct PriorityScorer: Sendable {
    public let weights: PriorityWeights
    public let categories: HarmCategories
    /// Platform names as people write them (`tiktok` → `TikTok`), for the reasons.
    public let platformNames: [String: String]

    /// Content types as phrases, worked out once for the types the weights name.
    private let phrases: [String: String]

    public init(weights: PriorityWeights, categories: HarmCategories, platformNames: [String: String] = [:]) {
        self.weights = weights
        self.categories = categories
        self.platformNames = platformNames
        phrases = Dictionary(uniqueKeysWithValues: weights.contentType.keys.map { ($0, Self.contentWords($0)) })
    }

    /// The score of `item` at `now` (store seconds).
    public func score(_ item: EscalationCandidate, now: Int64) -> PriorityScore {
        var reasons: [PriorityScore.Reason] = []
        func add(_ part: String, _ points: Double, _ words: String) {
            let whole = Int(points.rounded())
            if whole > 0 { reasons.append(.init(part: part, words: words, points: whole)) }
        }

        let category = categories.category(id: item.category.category)
        add("category", weights.category[item.category.category] ?? 0,
            "\(category?.name ?? item.category.category) (\(item.category.because))")

        let reportPoints = min(Double(item.reportCount) * weights.perReport, weights.reportsMax)
        let reporterPoints = min(Double(max(0, item.reporterCount - 1)) * weights.perExtraReporter, weights.reportersMax)
        var reportWords = DurationWords.count(item.reportCount, "report")
        if item.reporterCount > 0 { reportWords += " from " + DurationWords.count(item.reporterCount, "reporter") }
        add("reports", reportPoints + reporterPoints, reportWords)

        let state = item.verdict?.rawValue ?? "unchecked"
        if let verdict = item.verdict, verdict == .live || verdict == .restricted {
            let checked = item.checkedAt.map { " when checked " + DurationWords.ago(now - $0) } ?? ""
            add("verdict", verdict == .live ? weights.live : weights.restricted, "\(verdict.rawValue)\(checked)")
        }

        let age = max(0, now - item.firstReportedAt)
        let days = Double(age / 86_400)
        let ageWords = item.verdict == .live || item.verdict == .restricted
            ? "\(state) for \(DurationWords.span(age))"
            : "first reported \(DurationWords.span(age)) ago"
        add("age", min(days * weights.perDay, weights.ageMax), ageWords)

        if item.isOverdue(at: now), let escalated = item.lastEscalatedAt, let due = item.responseDueAt {
            let past = now - due
            let targetHours = max(0, due - escalated) / 3600
            let points = min(weights.onPassingTarget + Double(past / 3600) * weights.perHourPastTarget, weights.overdueMax)
            let name = platformNames[item.platform] ?? item.platform
            var words = "\(DurationWords.span(past)) past \(name)'s \(targetHours) h target"
            if item.escalationCount > 1 { words += " (escalated \(item.escalationCount) times)" }
            add("overdue", points, words)
        }

        let typePoints = weights.contentType[item.type] ?? weights.contentTypeDefault
        if typePoints.rounded() > 0 {
            add("content_type", typePoints, phrases[item.type] ?? Self.contentWords(item.type))
        }
        return PriorityScore(reasons: reasons)
    }

    /// A content type as a phrase: `a live stream`, `a video`, `an invite`.
    static func contentWords(_ type: String) -> String {
        switch type {
        case "live": return "a live stream"
        case "short": return "a short link"
        case "shorts": return "a YouTube Short"
        default:
            let article = type.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            return "\(article) \(String(type.map { $0 == "_" ? " " : $0 }))"
        }
    }
}
