public import TriageKit
public import TriageStore
import PostgresNIO

/// `urltriage stats` on PostgreSQL: the counts in a few grouped queries, the escalated and
/// removed items packed (`PackedRows`) into `StatsBuilder`, which makes the figures as the SQLite
/// store does.
extension PostgresStore {
    public func stats(since: Int64? = nil, now: Int64 = StoreTime.now()) async throws(StoreError) -> StoreStats {
        do {
            return try await inSnapshot {
                var builder = StatsBuilder(since: since, now: now)
                return try await readStats(into: &builder)
            }
        } catch {
            throw failure(error, doing: "stats")
        }
    }

    /// Reads the counts and rows the stats are made of into `builder`, and returns the figures
    /// (`report` reads them too, into a builder that also counts the report's tallies).
    func readStats(into builder: inout StatsBuilder) async throws -> StoreStats {
        let from = builder.from
        let future = builder.future
        var reportsByPlatform: [String: Int] = [:]
        var reportLines = 0
        for try await (platform, reports, later) in try await connection.query("""
            SELECT platform, count(*), count(*) FILTER (WHERE url_index <> 0) FROM reports
            WHERE reported_at >= \(from) AND reported_at <= \(future) GROUP BY platform
            """, logger: logger).decode((String, Int, Int).self) {
            reportsByPlatform[platform] = reports
            reportLines += reports - later
        }
        var statuses: [String: Int] = [:]
        var itemsByPlatform: [String: Int] = [:]
        for try await (status, platform, count) in try await connection.query("""
            SELECT status, platform, count(*) FROM items
            WHERE status <> 'merged' AND first_reported_at >= \(from) GROUP BY status, platform
            """, logger: logger).decode((String, String, Int).self) {
            statuses[status, default: 0] += count
            itemsByPlatform[platform, default: 0] += count
        }
        // Every escalated item, then every removed one: packed, not row by row (`PackedRows`).
        // Flags: 1 status removed, 2 status merged, 4 no alias, 8 a removal time.
        let escalatedFlags = "(CASE status WHEN 'removed' THEN 1 WHEN 'merged' THEN 2 ELSE 0 END"
            + " + CASE WHEN alias_of IS NULL THEN 4 ELSE 0 END + CASE WHEN removed_at IS NULL THEN 0 ELSE 8 END)::int8"
        try await PackedRows.read(["first_reported_at", "first_escalated_at", "coalesce(removed_at, 0)", escalatedFlags],
                                  "FROM items WHERE first_escalated_at IS NOT NULL AND first_reported_at >= $1",
                                  binds: [from], on: connection, logger: logger) { row in
            let flags = row[3]
            builder.escalated(removed: flags & 1 != 0, merged: flags & 2 != 0, reportedAt: row[0], escalatedAt: row[1],
                              removedAt: flags & 8 != 0 ? row[2] : nil, unaliased: flags & 4 != 0)
        }
        // Flags: 1 an escalation time, 4 no alias.
        let removedFlags = "(CASE WHEN first_escalated_at IS NULL THEN 0 ELSE 1 END + CASE WHEN alias_of IS NULL THEN 4 ELSE 0 END)::int8"
        try await PackedRows.read(["removed_at", "first_reported_at", "coalesce(first_escalated_at, 0)", removedFlags],
                                  "FROM items WHERE removed_at IS NOT NULL AND status = 'removed' AND first_reported_at >= $1",
                                  binds: [from], on: connection, logger: logger) { row in
            let flags = row[3]
            builder.removed(reportedAt: row[1], escalatedAt: flags & 1 != 0 ? row[2] : nil, removedAt: row[0],
                            unaliased: flags & 4 != 0)
        }
        var pastTarget = 0
        for try await count in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT count(*) FROM items WHERE (status = 'overdue' OR (status = 'escalated' AND response_due_at <= $1))
                AND first_reported_at >= $2 AND NOT \(StatsQuery.outOfOrder(future: "$3"))
            """, binds: try Self.binds(builder.now, from, future)), logger: logger).decode(Int.self) {
            pastTarget = count
        }
        var stats = builder.stats(reportsByPlatform: reportsByPlatform, reportLines: reportLines, statuses: statuses,
                                  itemsByPlatform: itemsByPlatform, pastResponseTarget: pastTarget)
        stats.regions = try await regionalTakedowns(from: from)
        return stats
    }

    static func binds(_ values: Int64...) throws -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }
}
