import Foundation
internal import GRDB
public import TriageKit

/// What the checks from different regions say about items: an item removed in one
/// region and up in another is blocked there (a geo-block), not taken down.
///
/// Derived from each region's latest check of an item when it is read, never stored:
/// the checks are the evidence, and a store whose checks carry no region (every
/// store-wide recheck, every single-region helpline) shows exactly what it showed before.
public enum RegionalVerdicts {
    /// The regions workers check from (the workers table: a handful of rows, read before any check).
    static func regions(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT region FROM workers WHERE region IS NOT NULL ORDER BY region")
    }

    /// For each of `itemIDs` blocked somewhere, the regions it is blocked in (sorted): where
    /// the latest check found it removed while another region's latest check found it up.
    static func blocked(_ db: Database, itemIDs: [Int64]) throws -> [Int64: [String]] {
        guard !itemIDs.isEmpty, try regions(db).count > 1 else { return [:] }
        let latest = try db.cachedStatement(sql: """
            SELECT region, verdict, max(id) FROM checks WHERE item_id = ? AND region IS NOT NULL GROUP BY region ORDER BY region
            """)
        var blocked: [Int64: [String]] = [:]
        for id in itemIDs {
            let verdicts = try Row.fetchAll(latest, arguments: [id]).map { (region: $0[0] as String, verdict: $0[1] as String) }
            let regions = blockedIn(latest: verdicts)
            if !regions.isEmpty { blocked[id] = regions }
        }
        return blocked
    }

    /// The regions an item is blocked in, from each region's latest verdict of it (sorted by
    /// region): those where it was found removed, when another region found it up.
    public static func blockedIn(latest verdicts: [(region: String, verdict: String)]) -> [String] {
        let removedIn = verdicts.filter { $0.verdict == Verdict.removed.rawValue }.map(\.region)
        let up = verdicts.contains { $0.verdict == Verdict.live.rawValue || $0.verdict == Verdict.restricted.rawValue }
        return up ? removedIn : []
    }

    /// The regions `itemID` is blocked in (empty when none).
    public static func blocked(_ store: CaseStore, itemID: Int64) throws(StoreError) -> [String] {
        do {
            return try store.pool.read { db in try blocked(db, itemIDs: [itemID])[itemID] ?? [] }
        } catch {
            throw store.failure(error, doing: "reading the regions' checks")
        }
    }

    /// How an item's status reads once its regions are known: "blocked in de" where it is up
    /// elsewhere and removed there (with the status it has with the platform, when escalated).
    public static func shown(status: String, blockedIn regions: [String]) -> String {
        guard !regions.isEmpty else { return status }
        let blocked = "blocked in " + regions.joined(separator: ", ")
        switch status {
        case ItemStatus.escalated.rawValue, ItemStatus.overdue.rawValue: return "\(status), \(blocked)"
        default: return blocked
        }
    }

    /// Takedowns per region, counting items first reported at or after `from`; nil unless more
    /// than one region checks.
    static func takedowns(_ db: Database, from: Int64) throws -> [RegionTakedowns]? {
        let regions = try regions(db)
        guard regions.count > 1 else { return nil }
        var tally = TakedownTally(regions: regions)
        // Each item's latest verdict per region, grouped by item (SQLite returns the verdict of the max(id) row).
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.item_id, c.region, c.verdict, max(c.id) FROM checks c JOIN items i ON i.id = c.item_id
            WHERE c.region IS NOT NULL AND i.first_reported_at >= ? GROUP BY c.item_id, c.region ORDER BY c.item_id
            """, arguments: [from])
        var index = 0
        while index < rows.count {
            let item: Int64 = rows[index][0]
            var verdicts: [(region: String, verdict: String)] = []
            while index < rows.count, rows[index][0] as Int64 == item {
                verdicts.append((rows[index][1], rows[index][2]))
                index += 1
            }
            tally.add(latest: verdicts)
        }
        return tally.takedowns
    }

    /// Takedowns per region, counted from each item's latest verdict in each region, whichever
    /// store read them (`StoreStats.regions`).
    public struct TakedownTally {
        private var counts: [String: RegionTakedowns]

        /// Counts for `regions` (the regions workers check from), each listed even with no item.
        public init(regions: [String]) {
            counts = Dictionary(regions.map { ($0, RegionTakedowns(region: $0, removed: 0, blocked: 0, up: 0)) },
                                uniquingKeysWith: { first, _ in first })
        }

        /// One item: its latest verdict in each region that checked it.
        public mutating func add(latest verdicts: [(region: String, verdict: String)]) {
            let up = verdicts.contains { $0.verdict == Verdict.live.rawValue || $0.verdict == Verdict.restricted.rawValue }
            for (region, verdict) in verdicts {
                if counts[region] == nil { counts[region] = RegionTakedowns(region: region, removed: 0, blocked: 0, up: 0) }
                if verdict == Verdict.removed.rawValue {
                    counts[region]?.removed += 1
                    if up { counts[region]?.blocked += 1 }
                } else if verdict == Verdict.live.rawValue || verdict == Verdict.restricted.rawValue {
                    counts[region]?.up += 1
                }
            }
        }

        /// The counts, by region.
        public var takedowns: [RegionTakedowns] { counts.values.sorted { $0.region < $1.region } }
    }
}
