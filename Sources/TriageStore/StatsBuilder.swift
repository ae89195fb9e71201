public import TriageKit

/// `StoreStats` for a store that reads its own rows (the PostgreSQL store): it hands over the
/// counts and every escalated and removed item, and the figures are made here, by the same
/// code as the SQLite store's, so the two stores give the same stats for the same cases.
public struct StatsBuilder {
    private var passes: TakedownPasses
    private let since: Int64?
    /// The time the figures are for.
    public let now: Int64

    /// Figures at `now`; with `since`, only reports made and items first reported from then on.
    public init(since: Int64?, now: Int64) {
        self.init(since: since, now: now, weeks: nil)
    }

    /// As `init(since:now:)`, also counting what a report adds for `weeks` (`ReportBuilder`).
    init(since: Int64?, now: Int64, weeks: TakedownPasses.Weeks?) {
        self.since = since
        self.now = now
        passes = TakedownPasses(now: now, weeks: weeks)
    }

    /// What the report adds to the figures, when made for a report.
    var reportTallies: TakedownPasses.ReportTallies? { passes.report }

    /// The first time counted: `since`, or the beginning.
    public var from: Int64 { since ?? Int64.min }
    /// Reports dated past this are from the future and not counted.
    public var future: Int64 { now + StoreTime.day }

    /// An item first reported from `from` on with a first escalation (any status).
    /// `removed` and `merged`: its status is `removed` or `merged`; `unaliased`: it points at no other item.
    @inline(__always)
    public mutating func escalated(removed: Bool, merged: Bool, reportedAt: Int64, escalatedAt: Int64, removedAt: Int64?,
                                   unaliased: Bool) {
        passes.escalation(removed: removed, reportedAt: reportedAt, escalatedAt: escalatedAt, removedAt: removedAt,
                          merged: merged, unaliased: unaliased)
    }

    /// An item first reported from `from` on whose status is `removed`.
    @inline(__always)
    public mutating func removed(reportedAt: Int64, escalatedAt: Int64?, removedAt: Int64, unaliased: Bool) {
        passes.removal(removedAt: removedAt, reportedAt: reportedAt, escalatedAt: escalatedAt, unaliased: unaliased)
    }

    /// The figures. `reportsByPlatform`: reports dated from `from` through `future`, per platform
    /// (platforms with none left out); `reportLines`: those that are a line's first URL;
    /// `statuses` and `itemsByPlatform`: items not `merged` (first reported from `since` on);
    /// `pastResponseTarget`: as `StatsQuery` counts it.
    public mutating func stats(reportsByPlatform: [String: Int], reportLines: Int, statuses: [String: Int],
                               itemsByPlatform: [String: Int], pastResponseTarget: Int) -> StoreStats {
        StatsQuery.assemble(since: since, now: now, reportsByPlatform: reportsByPlatform, reportLines: reportLines,
                            statuses: statuses, itemsByPlatform: itemsByPlatform, pastTarget: pastResponseTarget,
                            passes: &passes)
    }
}
