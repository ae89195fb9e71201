public import TriageKit
public import TriageStore
import PostgresNIO

/// `urltriage report` on PostgreSQL: the stats' queries (`readStats`) into a `ReportBuilder`,
/// which counts the distributions and weeks as the rows go by, and the new items per week;
/// all in one snapshot, and the report made by the same code as the SQLite store's.
extension PostgresStore {
    /// The report's figures at `now` (see `ReportQuery.compute`).
    public func report(since: Int64? = nil, now: Int64 = StoreTime.now(), weeks: Int = 26,
                       platformNames: [String: String] = [:]) async throws(StoreError) -> TakedownReport {
        do {
            return try await inSnapshot {
                var builder = ReportBuilder(since: since, now: now, weeks: weeks,
                                            earliestReport: weeks > 0 ? try await earliestReport() : nil)
                let figures = try await readStats(into: &builder.stats)
                if let window = builder.newItemWindow {
                    try await PackedRows.read(["first_reported_at"], """
                        FROM items WHERE first_reported_at >= $1 AND first_reported_at < $2 AND alias_of IS NULL AND first_reported_at >= $3
                        """, binds: [window.from, window.before, builder.stats.from], on: connection, logger: logger) { row in
                        builder.newItem(firstReportedAt: row[0])
                    }
                }
                return builder.report(figures, platformNames: platformNames)
            }
        } catch {
            throw failure(error, doing: "report")
        }
    }

    /// The store's first report, nil when it has none: the earliest of each platform's first,
    /// one descent of reports_platform per platform, stepping from one platform to the next.
    private func earliestReport() async throws -> Int64? {
        var earliest: Int64?
        for try await first in try await connection.query("""
            WITH RECURSIVE platforms(name) AS (
                SELECT min(platform) FROM reports
                UNION ALL
                SELECT (SELECT min(platform) FROM reports WHERE platform > name) FROM platforms WHERE name IS NOT NULL)
            SELECT min((SELECT min(reported_at) FROM reports WHERE platform = name)) FROM platforms WHERE name IS NOT NULL
            """, logger: logger).decode(Int64?.self) {
            earliest = first
        }
        return earliest
    }
}
