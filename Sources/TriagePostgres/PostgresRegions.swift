import PostgresNIO
import TriageKit
import TriageStore

/// What checks from different regions say, on PostgreSQL: each region's latest check of an
/// item read here, judged by `RegionalVerdicts` as on the SQLite store.
extension PostgresStore {
    /// The regions workers check from.
    private func checkingRegions() async throws -> [String] {
        var regions: [String] = []
        for try await region in try await connection.query("""
            SELECT DISTINCT region FROM workers WHERE region IS NOT NULL
            """, logger: logger).decode(String.self) {
            regions.append(region)
        }
        return regions
    }

    /// For each of `itemIDs` blocked somewhere, the regions it is blocked in; nothing unless
    /// workers check from more than one region.
    func blockedRegions(itemIDs: [Int64]) async throws -> [Int64: [String]] {
        guard !itemIDs.isEmpty, try await checkingRegions().count > 1 else { return [:] }
        var latest: [Int64: [(region: String, verdict: String)]] = [:]
        for try await (item, region, verdict) in try await connection.query("""
            SELECT DISTINCT ON (item_id, region) item_id, region, verdict FROM checks
            WHERE region IS NOT NULL AND item_id = ANY(\(itemIDs)) ORDER BY item_id, region, id DESC
            """, logger: logger).decode((Int64, String, String).self) {
            latest[item, default: []].append((region, verdict))
        }
        var blocked: [Int64: [String]] = [:]
        for (item, verdicts) in latest {
            // By their bytes, as SQLite orders them.
            let regions = RegionalVerdicts.blockedIn(latest: verdicts.sorted { $0.region.utf8.lexicographicallyPrecedes($1.region.utf8) })
            if !regions.isEmpty { blocked[item] = regions }
        }
        return blocked
    }

    /// Takedowns per region of items first reported from `from` on; nil unless more than one region checks.
    func regionalTakedowns(from: Int64) async throws -> [RegionTakedowns]? {
        let regions = try await checkingRegions()
        guard regions.count > 1 else { return nil }
        var tally = RegionalVerdicts.TakedownTally(regions: regions)
        var item: Int64?
        var verdicts: [(region: String, verdict: String)] = []
        for try await (id, region, verdict) in try await connection.query("""
            SELECT DISTINCT ON (c.item_id, c.region) c.item_id, c.region, c.verdict FROM checks c JOIN items i ON i.id = c.item_id
            WHERE c.region IS NOT NULL AND i.first_reported_at >= \(from) ORDER BY c.item_id, c.region, c.id DESC
            """, logger: logger).decode((Int64, String, String).self) {
            if id != item, item != nil {
                tally.add(latest: verdicts)
                verdicts = []
            }
            item = id
            verdicts.append((region, verdict))
        }
        if item != nil { tally.add(latest: verdicts) }
        return tally.takedowns
    }
}
