internal import GRDB
import TriageKit

/// The two passes that read escalated and removed items, one over each partial index
/// (`items_escalated`, `items_removed`), with everything `stats` and `report` take from them.
///
/// `stats` needs the times to removal and the counts; `report` needs the same plus their
/// distribution and the escalations and removals per week. Each figure keeps its own
/// selection of rows, decided here in Swift from the columns the index holds (status,
/// `alias_of`, the dates), so a report reads each index once instead of three times: on
/// 1,000,000 items that was 0.35 s of the report's 0.9 s.
struct TakedownPasses {
    /// The weeks a report's trend counts: `first` is the Monday its first week starts, `count` weeks.
    struct Weeks {
        var first: Int64
        var count: Int
        static let length = 7 * StoreTime.day

        /// The week `time` falls in, if it is one of these.
        @inline(__always)
        func slot(_ time: Int64) -> Int? {
            guard time >= first, time < first + Int64(count) * Self.length else { return nil }
            return Int((time - first) / Self.length)
        }
    }

    /// Counts the report adds to the stats' figures; nil members when only stats are wanted.
    struct ReportTallies {
        /// Escalated items now removed, by time from first escalation to removal (`RemovalBucket.bounds`).
        var fromEscalation = Array(repeating: 0, count: RemovalBucket.bounds.count + 1)
        /// Removed items, by time from first report to removal.
        var fromReport = Array(repeating: 0, count: RemovalBucket.bounds.count + 1)
        /// First escalations and removals per week of `weeks`.
        var escalatedPerWeek: [Int]
        var removedPerWeek: [Int]
        var weeks: Weeks

        init(weeks: Weeks) {
            self.weeks = weeks
            escalatedPerWeek = Array(repeating: 0, count: weeks.count)
            removedPerWeek = Array(repeating: 0, count: weeks.count)
        }

        @inline(__always)
        static func bucket(_ seconds: Int64) -> Int {
            RemovalBucket.bounds.firstIndex { seconds <= $0 } ?? RemovalBucket.bounds.count
        }
    }

    // Figures for `stats`.
    var escalated = 0
    var outOfOrder = 0
    var goneBefore = 0
    /// Seconds from first escalation to removal, of escalated items now removed.
    var sinceEscalation: [Int64] = []
    /// Seconds from first report to removal, of removed items.
    var sinceReport: [Int64] = []
    var report: ReportTallies?

    /// Now plus a day: dates past it are from the future.
    let future: Int64

    /// Reads both indexes for items first reported from `from` on, dates judged at `now`.
    init(_ db: Database, from: Int64, now: Int64, weeks: Weeks?) throws {
        self.init(now: now, weeks: weeks)
        try escalations(db, from: from)
        try removals(db, from: from)
    }

    /// Empty passes, for a store that reads its rows otherwise and hands each to `escalation`
    /// and `removal` (the PostgreSQL store).
    init(now: Int64, weeks: Weeks?) {
        report = weeks.map(ReportTallies.init)
        future = now + StoreTime.day
    }

    /// Every escalated item of the window. `stats` counts those that are not merged short links
    /// (status `merged`); the report those that point at no other item (`alias_of` NULL), as
    /// each has always done: the two agree on every item a store makes, and are kept apart so
    /// that neither figure changes.
    private mutating func escalations(_ db: Database, from: Int64) throws {
        let rows = try RawStatement(db, """
            SELECT status = 'removed', first_reported_at, first_escalated_at, removed_at, status = 'merged', alias_of IS NULL
            FROM items INDEXED BY items_escalated
            WHERE first_escalated_at IS NOT NULL AND first_reported_at >= ?1
            """)
        rows.bind(1, from)
        try rows.forEachRow {
            escalation(removed: rows.integer(0) != 0, reportedAt: rows.integer(1), escalatedAt: rows.integer(2),
                       removedAt: rows.optionalInteger(3), merged: rows.integer(4) != 0, unaliased: rows.integer(5) != 0)
        }
    }

    /// One escalated item of the window: `removed` when its status is `removed`, `merged` when it
    /// is `merged`, `unaliased` when it points at no other item (`alias_of` NULL).
    @inline(__always)
    mutating func escalation(removed: Bool, reportedAt: Int64, escalatedAt: Int64, removedAt: Int64?, merged: Bool,
                             unaliased: Bool) {
        // Out of order for every figure alike (see `StatsQuery.datesOutOfOrder`).
        if StatsQuery.datesOutOfOrder(reported: reportedAt, escalated: escalatedAt, removed: removedAt, future: future) {
            if !merged { outOfOrder += 1 }
            return
        }
        if !merged {
            escalated += 1
            // In order, a removal is never before the escalation.
            if removed, let removedAt { sinceEscalation.append(removedAt - escalatedAt) }
        }
        guard report != nil, unaliased else { return }
        if removed, let removedAt { report?.fromEscalation[ReportTallies.bucket(removedAt - escalatedAt)] += 1 }
        if let slot = report?.weeks.slot(escalatedAt) { report?.escalatedPerWeek[slot] += 1 }
    }

    /// Every removed item of the window (status `removed`, never `merged`), flagged when nobody
    /// had escalated it.
    private mutating func removals(_ db: Database, from: Int64) throws {
        let rows = try RawStatement(db, """
            SELECT removed_at, first_reported_at, first_escalated_at, alias_of IS NULL FROM items INDEXED BY items_removed
            WHERE removed_at IS NOT NULL AND status = 'removed' AND first_reported_at >= ?1
            """)
        rows.bind(1, from)
        try rows.forEachRow {
            removal(removedAt: rows.integer(0), reportedAt: rows.integer(1), escalatedAt: rows.optionalInteger(2),
                    unaliased: rows.integer(3) != 0)
        }
    }

    /// One removed item of the window (status `removed`).
    @inline(__always)
    mutating func removal(removedAt: Int64, reportedAt: Int64, escalatedAt: Int64?, unaliased: Bool) {
        if StatsQuery.datesOutOfOrder(reported: reportedAt, escalated: escalatedAt, removed: removedAt, future: future) {
            // Counted already when it was escalated.
            if escalatedAt == nil { outOfOrder += 1 }
            return
        }
        let seconds = max(0, removedAt - reportedAt)
        sinceReport.append(seconds)
        if escalatedAt == nil { goneBefore += 1 }
        guard report != nil, unaliased else { return }
        report?.fromReport[ReportTallies.bucket(seconds)] += 1
        if let slot = report?.weeks.slot(removedAt) { report?.removedPerWeek[slot] += 1 }
    }
}
