/// Turns the facts about an item into its priority score and the reasons for
/// it. Pure: the same facts, weights and time always give the same score.
public struct PriorityScorer: Sendable {
    public let weights: PriorityWeights
    public let categories: HarmCategories
    /// Platform names as people write them (`tiktok` → `TikTok`), for the reasons.
    public let platformNames: [String: String]
    /// What to do for each harm besides the platform's usual route (policy.yaml `routes:`).
    public let routes: HarmRoutes

    /// Content types as phrases, worked out once for the types the weights name.
    private let phrases: [String: String]

    /// `routes` nil: the standard routes of the categories given.
    public init(weights: PriorityWeights, categories: HarmCategories, platformNames: [String: String] = [:],
                routes: HarmRoutes? = nil) {
        self.weights = weights
        self.categories = categories
        self.platformNames = platformNames
        self.routes = routes ?? HarmRoutesLoader.standard(for: categories)
        phrases = Dictionary(uniqueKeysWithValues: weights.contentType.keys.map { ($0, Self.contentWords($0)) })
    }

    /// The score of `item` at `now` (store seconds), with its reasons in words.
    public func score(_ item: EscalationCandidate, now: Int64) -> PriorityScore {
        let points = points(item, now: now)
        var words = ByteBuffer(capacity: 128)
        defer { words.deallocate() }
        var reasons: [PriorityScore.Reason] = []
        for part in ScorePart.allCases where points[part] > 0 {
            words.removeAll()
            write(part, of: item, now: now, into: &words)
            reasons.append(.init(part: part.name, words: String(decoding: words.bytes, as: UTF8.self), points: points[part]))
        }
        return PriorityScore(reasons: reasons)
    }

    /// The points of each part of `item`'s score at `now`, without words.
    public func points(_ item: EscalationCandidate, now: Int64) -> ScorePoints {
        var points = ScorePoints()
        // Each part is rounded to a whole point, so the reasons shown add up to the score.
        func whole(_ value: Double) -> Int { max(0, Int(value.rounded())) }

        points[.category] = whole(weights.category[item.category.category] ?? 0)

        let reportPoints = min(Double(item.reportCount) * weights.perReport, weights.reportsMax)
        let reporterPoints = min(Double(max(0, item.reporterCount - 1)) * weights.perExtraReporter, weights.reportersMax)
        points[.reports] = whole(reportPoints + reporterPoints)

        if let verdict = item.verdict, verdict == .live || verdict == .restricted {
            points[.verdict] = whole(verdict == .live ? weights.live : weights.restricted)
        }

        let days = Double(max(0, now - item.firstReportedAt) / 86_400)
        points[.age] = whole(min(days * weights.perDay, weights.ageMax))

        if item.isOverdue(at: now), item.lastEscalatedAt != nil, let due = item.responseDueAt {
            let past = now - due
            points[.overdue] = whole(min(weights.onPassingTarget + Double(past / 3600) * weights.perHourPastTarget, weights.overdueMax))
        }

        points[.contentType] = whole(weights.contentType[item.type] ?? weights.contentTypeDefault)
        return points
    }

    /// The words of one part of `item`'s score: `live when checked 3 h ago`. Only for a
    /// part with points, whose facts are then there (a verdict, an escalation).
    func write(_ part: ScorePart, of item: EscalationCandidate, now: Int64, into out: inout ByteBuffer) {
        switch part {
        case .category:
            out.append(utf8Of: categories.category(id: item.category.category)?.name ?? item.category.category)
            out.append(" (")
            out.append(utf8Of: item.category.because)
            out.append(")")
        case .reports:
            Self.writeReports(of: item, into: &out)
        case .verdict:
            guard let verdict = item.verdict else { return }
            out.append(utf8Of: verdict.rawValue)
            if let checked = item.checkedAt {
                out.append(" when checked ")
                DurationWords.ago(now - checked, into: &out)
            }
        case .age:
            let age = max(0, now - item.firstReportedAt)
            if let verdict = item.verdict, verdict == .live || verdict == .restricted {
                out.append(utf8Of: verdict.rawValue)
                out.append(" for ")
                DurationWords.span(age, into: &out)
            } else {
                out.append("first reported ")
                DurationWords.span(age, into: &out)
                out.append(" ago")
            }
        case .overdue:
            guard let escalated = item.lastEscalatedAt, let due = item.responseDueAt else { return }
            DurationWords.span(now - due, into: &out)
            out.append(" past ")
            out.append(utf8Of: platformNames[item.platform] ?? item.platform)
            out.append("'s ")
            out.append(decimal: Int(max(0, due - escalated) / 3600))
            out.append(" h target")
            if item.escalationCount > 1 {
                out.append(" (escalated ")
                out.append(decimal: item.escalationCount)
                out.append(" times)")
            }
        case .contentType:
            out.append(utf8Of: phrases[item.type] ?? Self.contentWords(item.type))
        }
    }

    /// The reasons in one line, `words +points` joined by commas: `PriorityScore.explanation`
    /// from the points alone.
    func writeExplanation(_ points: ScorePoints, of item: EscalationCandidate, now: Int64, into out: inout ByteBuffer) {
        var first = true
        for part in ScorePart.allCases where points[part] > 0 {
            if !first { out.append(", ") }
            first = false
            write(part, of: item, now: now, into: &out)
            out.append(" +")
            out.append(decimal: points[part])
        }
    }

    /// `2 reports from 1 reporter`.
    static func writeReports(of item: EscalationCandidate, into out: inout ByteBuffer) {
        DurationWords.count(item.reportCount, "report", into: &out)
        if item.reporterCount > 0 {
            out.append(" from ")
            DurationWords.count(item.reporterCount, "reporter", into: &out)
        }
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
