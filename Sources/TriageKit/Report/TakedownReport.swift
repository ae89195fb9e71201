/// What the manager's report shows: the store's takedown figures exactly as
/// `urltriage stats --format json` gives them, plus the distribution of times to
/// removal and the weekly trend, read in the same snapshot of the store.
public struct TakedownReport: Sendable, Equatable {
    /// The figures of `urltriage stats`; every headline number comes from here.
    public var stats: StoreStats
    /// Escalated items now removed, by how long removal took after the first escalation.
    public var fromEscalation: [RemovalBucket]
    /// Removed items, by how long removal took after the first report.
    public var fromReport: [RemovalBucket]
    /// The most recent weeks, oldest first.
    public var weeks: [WeekFigures]
    /// Platform names as people write them (`tiktok` → `TikTok`); short names otherwise.
    public var platformNames: [String: String]
    /// What the helpline does for each harm besides the platform's route; shown when not empty.
    public var routes: [HarmRouteLine] = []

    public init(stats: StoreStats, fromEscalation: [RemovalBucket], fromReport: [RemovalBucket], weeks: [WeekFigures],
                platformNames: [String: String] = [:]) {
        self.stats = stats
        self.fromEscalation = fromEscalation
        self.fromReport = fromReport
        self.weeks = weeks
        self.platformNames = platformNames
    }

    /// A platform's name for people.
    public func name(of platform: String) -> String { platformNames[platform] ?? platform }

    /// TikTok's share of items (the helpline's headline figure), when the store has any TikTok item.
    public var tiktok: StoreStats.PlatformShare? { stats.platforms.first { $0.platform == "tiktok" } }
}

/// How many removals took up to a bound (and more than the bound before it).
public struct RemovalBucket: Sendable, Equatable {
    /// `≤ 24 h`, `1–3 days` …, `> 30 days`.
    public var label: String
    /// The bucket's upper bound in seconds (inclusive), nil for the last.
    public var upTo: Int64?
    public var count: Int

    /// Upper bounds of the buckets: 24 h, 3, 7, 14 and 30 days. The first three are the
    /// bounds `stats` reports shares for (`removed_within_24h…`), with the same `≤`.
    public static let bounds: [Int64] = [86_400, 3 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400]
    static let labels = ["≤ 24 h", "1–3 days", "3–7 days", "7–14 days", "14–30 days", "> 30 days"]

    /// Counts `seconds` into the buckets.
    public static func buckets(_ seconds: [Int64]) -> [RemovalBucket] {
        var counts = Array(repeating: 0, count: bounds.count + 1)
        for value in seconds {
            counts[bounds.firstIndex { value <= $0 } ?? bounds.count] += 1
        }
        return buckets(counts: counts)
    }

    /// The buckets for counts already made, one per bound and one past the last.
    public static func buckets(counts: [Int]) -> [RemovalBucket] {
        counts.indices.map { index in
            RemovalBucket(label: labels[index], upTo: index < bounds.count ? bounds[index] : nil, count: counts[index])
        }
    }
}

/// One week's work: items first reported, first escalated and removed in it.
public struct WeekFigures: Sendable, Equatable {
    /// Monday 00:00 UTC that starts the week, in store seconds.
    public var start: Int64
    public var newItems: Int
    public var escalated: Int
    public var removed: Int

    public init(start: Int64, newItems: Int = 0, escalated: Int = 0, removed: Int = 0) {
        self.start = start
        self.newItems = newItems
        self.escalated = escalated
        self.removed = removed
    }

    static let week: Int64 = 7 * 86_400
    /// 1970-01-05, the first Monday of store time.
    static let firstMonday: Int64 = 4 * 86_400

    /// The Monday 00:00 UTC on or before `time`.
    public static func weekStart(_ time: Int64) -> Int64 {
        let offset = time - firstMonday
        let index = offset >= 0 ? offset / week : (offset - week + 1) / week
        return firstMonday + index * week
    }
}
