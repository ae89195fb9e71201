/// What to send to each platform now, most urgent first, and the items a
/// person has to look at because no check could tell whether they are up.
public struct EscalationList: Sendable {
    /// One item in the list, with its score.
    public struct Row: Sendable, Equatable {
        public var item: EscalationCandidate
        /// The score part by part; its words are written with the list, or made on asking for `score`.
        public var points: ScorePoints
        /// The category's name as staff read it.
        public var categoryName: String
        /// What to do besides the platform's usual route: police, hotlines, a warning.
        public var route: HarmRouteSteps
        /// Whether the link must not be opened until a person confirms.
        public var withholdOpenLink: Bool { route.withholdOpenLink || item.withholdOpenLink }
        /// The scorer and moment this row was scored with, shared by every row of its list.
        let scoring: Scoring

        /// The score with its reasons in words.
        public var score: PriorityScore { scoring.scorer.score(item, now: scoring.now) }

        public static func == (a: Row, b: Row) -> Bool {
            a.item == b.item && a.points == b.points && a.categoryName == b.categoryName && a.route == b.route && a.score == b.score
        }
    }

    /// What a list's rows were scored with.
    final class Scoring: Sendable {
        let scorer: PriorityScorer
        let now: Int64
        init(scorer: PriorityScorer, now: Int64) {
            self.scorer = scorer
            self.now = now
        }
    }

    /// One platform's items and where to send them.
    public struct Platform: Sendable {
        public var platform: String
        /// `TikTok`, from the platform's rule file.
        public var name: String
        /// The route from the rule file's `escalation:` section; nil when it has none.
        public var route: EscalationRoute?
        /// Most urgent first.
        public var rows: [Row]
        /// Rows left off by a limit.
        public var omitted: Int
    }

    /// When the list was made, in store seconds.
    public var generatedAt: Int64
    /// Platforms with something to escalate, the one with the most urgent item first.
    public var platforms: [Platform]
    /// Items whose last check said `unknown` or `error`: a person must look before anyone escalates them.
    public var needsPerson: [Row]
    public var needsPersonOmitted: Int
    /// What the list leaves out, so staff know it exists.
    public var context: Context

    /// Counts of items not in the list, and why.
    public struct Context: Sendable, Equatable {
        /// Items never checked: run `urltriage recheck` (or `check`) first.
        public var notChecked = 0
        /// Items escalated whose platform's response target has not passed yet.
        public var awaitingResponse = 0
        public init(notChecked: Int = 0, awaitingResponse: Int = 0) {
            self.notChecked = notChecked
            self.awaitingResponse = awaitingResponse
        }
    }

    /// Every row in the list, platform by platform, then the items needing a person.
    public var allRows: [Row] { platforms.flatMap(\.rows) + needsPerson }

    /// The rows whose harm puts them above every other (a risk to life), wherever they are listed.
    public var actNow: [Row] { allRows.filter(\.route.first) }

    /// Scores the candidates and arranges them: live and restricted items per platform, unknown and
    /// error apart, removed and unchecked ones left out; `limit` rows at most per platform (and apart).
    ///
    /// Every candidate is scored (points only) to be ordered; rows, with their copies of the
    /// items, are made only for what the list keeps.
    public static func build(candidates: [EscalationCandidate], scorer: PriorityScorer, rules: RuleSet?,
                             now: Int64, limit: Int? = nil, context: Context = Context()) -> EscalationList {
        let scoring = Scoring(scorer: scorer, now: now)
        var points: [ScorePoints] = []
        points.reserveCapacity(candidates.count)
        var first: [Bool] = []
        first.reserveCapacity(candidates.count)
        var byPlatform: [String: [Int]] = [:]
        var apart: [Int] = []
        for index in candidates.indices {
            points.append(scorer.points(candidates[index], now: now))
            first.append(scorer.routes.isFirst(candidates[index].category))
            switch candidates[index].verdict {
            case .live?, .restricted?: byPlatform[candidates[index].platform, default: []].append(index)
            case .unknown?, .error?: apart.append(index)
            case .removed?, nil: continue
            }
        }
        var names: [String: String] = [:]
        let rulesByName = Dictionary((rules?.platforms ?? []).map { ($0.platform, $0) }, uniquingKeysWith: { first, _ in first })
        func rows(_ indices: [Int]) -> (rows: [Row], omitted: Int) {
            let sorted = mostUrgentFirst(indices, candidates: candidates, points: points, first: first)
            let kept = limit.map { sorted.prefix($0) } ?? sorted[...]
            let rows = kept.map { index in
                let category = candidates[index].category.category
                let name = names[category] ?? {
                    let name = scorer.categories.category(id: category)?.name ?? category
                    names[category] = name
                    return name
                }()
                let platform = candidates[index].platform
                let rules = rulesByName[platform]
                let route = scorer.routes.steps(for: candidates[index].category,
                                                platformName: rules?.displayName ?? scorer.platformNames[platform] ?? platform,
                                                route: rules?.escalation)
                return Row(item: candidates[index], points: points[index], categoryName: name, route: route, scoring: scoring)
            }
            return (rows, sorted.count - kept.count)
        }
        var platforms: [Platform] = byPlatform.map { platform, indices in
            let (kept, omitted) = rows(indices)
            let rules = rulesByName[platform]
            return Platform(platform: platform, name: rules?.displayName ?? platform, route: rules?.escalation,
                            rows: kept, omitted: omitted)
        }
        // A platform with an item above every other comes first, whatever else scores.
        platforms.sort { a, b in
            let pinned = (a.rows.first?.route.first ?? false, b.rows.first?.route.first ?? false)
            if pinned.0 != pinned.1 { return pinned.0 }
            let top = (a.rows.first?.points.total ?? 0, b.rows.first?.points.total ?? 0)
            return top.0 != top.1 ? top.0 > top.1 : a.platform < b.platform
        }
        let (keptApart, omittedApart) = rows(apart)
        return EscalationList(generatedAt: now, platforms: platforms, needsPerson: keptApart,
                              needsPersonOmitted: omittedApart, context: context)
    }

    /// Items whose harm goes above every other (a risk to life) first, then the highest score;
    /// on a tie the older report, then the key, so the order never wobbles.
    ///
    /// Sorts small keys of the candidates' indices, so no item is moved or copied to be ordered.
    static func mostUrgentFirst(_ indices: [Int], candidates: [EscalationCandidate], points: [ScorePoints], first pinned: [Bool]) -> [Int] {
        let keys = indices.map { (pinned: pinned[$0], score: points[$0].total, first: candidates[$0].firstReportedAt, index: $0) }
        return keys.sorted { a, b in
            if a.pinned != b.pinned { return a.pinned }
            if a.score != b.score { return a.score > b.score }
            if a.first != b.first { return a.first < b.first }
            return candidates[a.index].key < candidates[b.index].key
        }.map(\.index)
    }
}
