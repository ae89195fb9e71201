public import TriageKit

/// `TakedownReport` for a store that reads its own rows (the PostgreSQL store): the stats'
/// rows go to `stats` (a `StatsBuilder`, which counts the report's distributions and weeks
/// as it goes), the new items' first reports to `newItem`, and the report is assembled here
/// by the same code as the SQLite store's (`ReportQuery`).
public struct ReportBuilder {
    /// Takes the stats' counts and rows; made with the report's weeks.
    public var stats: StatsBuilder
    private let frame: TakedownPasses.Weeks?
    private var newItems: [Int]

    /// A report at `now`: with `since`, only reports and items from then on; the trend covers
    /// the last `weeks` weeks, none before the week of `earliestReport`, the store's first
    /// report (nil when it has none).
    public init(since: Int64?, now: Int64, weeks: Int, earliestReport: Int64?) {
        frame = ReportQuery.weekFrame(from: since ?? Int64.min, now: now, weeks: weeks, earliestReport: earliestReport)
        stats = StatsBuilder(since: since, now: now, weeks: frame ?? TakedownPasses.Weeks(first: 0, count: 0))
        newItems = Array(repeating: 0, count: frame?.count ?? 0)
    }

    /// The first reports that count as new items of the trend: items first reported in
    /// `from..<before`, and from `stats.from` on, merged short links left out; nil when the
    /// report shows no weeks.
    public var newItemWindow: (from: Int64, before: Int64)? {
        frame.map { ($0.first, $0.first + Int64($0.count) * TakedownPasses.Weeks.length) }
    }

    /// One item of `newItemWindow`.
    public mutating func newItem(firstReportedAt: Int64) {
        if let slot = frame?.slot(firstReportedAt) { newItems[slot] += 1 }
    }

    /// The report, from the figures `stats` made.
    public func report(_ figures: StoreStats, platformNames: [String: String]) -> TakedownReport {
        ReportQuery.assemble(stats: figures, tallies: stats.reportTallies, frame: frame, newItems: newItems,
                             platformNames: platformNames)
    }
}
