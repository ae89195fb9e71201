public import TriageKit

/// `urltriage db copy`: a whole store, history included, into an empty store of either kind,
/// checked afterwards by comparing the two stores' stats.
public enum StoreCopy {
    /// Rows read and written at a time.
    public static let chunk = 20_000

    /// What a copy moved, and whether the stats of both stores then agree.
    public struct Outcome: Sendable {
        /// Rows per table, in copy order.
        public var tables: [(name: String, rows: Int)] = []
        public var sourceStats: StoreStats
        public var targetStats: StoreStats
        public var verified: Bool { sourceStats == targetStats }
    }

    /// Copies every table of `source` into `target`, which must hold nothing yet. Columns that
    /// only one store has (a newer schema's) are left to their defaults.
    public static func copy(from source: any StoreTables, to target: any StoreTables,
                            now: Int64 = StoreTime.now()) async throws -> Outcome {
        guard try await target.holdsNothing() else {
            throw StoreError(.file, path: target.location,
                             "the store to copy into already holds cases or accounts; copy into a new, empty store")
        }
        let sourceColumns = try await source.tableColumns()
        let targetColumns = try await target.tableColumns()
        var tables: [(name: String, rows: Int)] = []
        try await target.beginCopy()
        for (table, _) in StoreCopyPlan.tables {
            guard let from = sourceColumns[table], let into = targetColumns[table] else { continue }
            let columns = from.filter { into.contains($0) }
            var count = 0
            try await source.readRows(table, columns: columns, chunk: chunk) { rows in
                try await target.writeRows(table, columns: columns, rows)
                count += rows.count
            }
            tables.append((table, count))
        }
        try await target.finishCopy()
        let before = try await source.stats(since: nil, now: now)
        let after = try await target.stats(since: nil, now: now)
        return Outcome(tables: tables, sourceStats: before, targetStats: after)
    }
}
