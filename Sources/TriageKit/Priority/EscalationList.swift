/// What to send to each platform now, most urgent first, and the items a
/// person has to look at because no check could tell whether they are up.
public struct EscalationList: Sendable {
    /// One item in the list, with its score.
    public struct Row: Sendable, Equatable {
        public var item: EscalationCandidate
        public var score: PriorityScore
        /// The category's name as staff read it.
        public var categoryName: String
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

    /// Scores the candidates and arranges them: live and restricted items per platform, unknown and
    /// error apart, removed and unchecked ones left out; `limit` rows at most per platform (and apart).
    public static func build(candidates: [EscalationCandidate], scorer: PriorityScorer, rules: RuleSet?,
                             now: Int64, limit: Int? = nil, context: Context = Context()) -> EscalationList {
        var byPlatform: [String: [Row]] = [:]
        var apart: [Row] = []
        for item in candidates {
            let row = Row(item: item, score: scorer.score(item, now: now),
                          categoryName: scorer.categories.category(id: item.category.category)?.name ?? item.category.category)
            switch item.verdict {
            case .live?, .restricted?: byPlatform[item.platform, default: []].append(row)
            case .unknown?, .error?: apart.append(row)
            case .removed?, nil: continue
            }
        }
        let rulesByName = Dictionary((rules?.platforms ?? []).map { ($0.platform, $0) }, uniquingKeysWith: { first, _ in first })
        var platforms: [Platform] = byPlatform.map { platform, rows in
            let sorted = mostUrgentFirst(rows)
            let kept = limit.map { Array(sorted.prefix($0)) } ?? sorted
            let rules = rulesByName[platform]
            return Platform(platform: platform, name: rules?.displayName ?? platform, route: rules?.escalation,
                            rows: kept, omitted: sorted.count - kept.count)
        }
        platforms.sort { a, b in
            let top = (a.rows.first?.score.total ?? 0, b.rows.first?.score.total ?? 0)
            return top.0 != top.1 ? top.0 > top.1 : a.platform < b.platform
        }
        let sortedApart = mostUrgentFirst(apart)
        let keptApart = limit.map { Array(sortedApart.prefix($0)) } ?? sortedApart
        return EscalationList(generatedAt: now, platforms: platforms, needsPerson: keptApart,
                              needsPersonOmitted: sortedApart.count - keptApart.count, context: context)
    }

    /// Highest score first; on a tie the older report, then the key, so the order never wobbles.
    ///
    /// Sorts small keys and gathers the rows once, instead of moving whole rows about.
    static func mostUrgentFirst(_ rows: [Row]) -> [Row] {
        let keys = rows.indices.map { (score: rows[$0].score.total, first: rows[$0].item.firstReportedAt, index: $0) }
        let order = keys.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.first != b.first { return a.first < b.first }
            return rows[a.index].item.key < rows[b.index].item.key
        }
        return order.map { rows[$0.index] }
    }
}
