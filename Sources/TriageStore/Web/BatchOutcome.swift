internal import GRDB
public import TriageKit

/// What one batch became, item by item: what the web app shows after an ingest.
public struct BatchOutcome: Sendable {
    /// One item the batch named.
    public struct Entry: Sendable {
        public var key: String
        public var canonicalURL: String
        public var status: ItemStatus
        /// Reports (URLs) of this batch that landed on the item: more than one means duplicates folded.
        public var reportsInBatch: Int
        /// Reports of the item in all.
        public var reportsInAll: Int

        public init(key: String, canonicalURL: String, status: ItemStatus, reportsInBatch: Int, reportsInAll: Int) {
            self.key = key
            self.canonicalURL = canonicalURL
            self.status = status
            self.reportsInBatch = reportsInBatch
            self.reportsInAll = reportsInAll
        }
    }

    /// A line (or a URL on it) the batch could not use.
    public struct Rejected: Sendable {
        public var line: Int
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    public var batchID: Int64
    /// Items this batch reported first.
    public var newItems: [Entry]
    /// Items reported before this batch.
    public var knownItems: [Entry]
    /// How many of each there are, listed or not.
    public var newCount = 0
    public var knownCount = 0
    /// Reports of this batch beyond the first for their item: URLs folded into an item the batch had already named.
    public var duplicatesFolded: Int
    public var rejected: [Rejected]
    /// Rows left off the lists by the limit.
    public var omittedItems: Int
    public var omittedRejected: Int

    public init(batchID: Int64, newItems: [Entry], knownItems: [Entry], duplicatesFolded: Int, rejected: [Rejected],
                omittedItems: Int, omittedRejected: Int) {
        self.batchID = batchID
        self.newItems = newItems
        self.knownItems = knownItems
        self.duplicatesFolded = duplicatesFolded
        self.rejected = rejected
        self.omittedItems = omittedItems
        self.omittedRejected = omittedRejected
    }

    /// Counts one item the batch named and lists it while fewer than `limit` are listed.
    public mutating func record(_ entry: Entry, isNew: Bool, limit: Int) {
        duplicatesFolded += entry.reportsInBatch - 1
        if isNew { newCount += 1 } else { knownCount += 1 }
        if newItems.count + knownItems.count >= limit {
            omittedItems += 1
        } else if isNew {
            newItems.append(entry)
        } else {
            knownItems.append(entry)
        }
    }
}

extension CaseStore {
    /// The items and rejected lines of batch `batchID`; at most `limit` of each are listed.
    public func batchOutcome(_ batchID: Int64, limit: Int = 1000) async throws -> BatchOutcome {
        do {
            return try await pool.read { db in
                // An item is new to this batch when no report of an earlier batch names it.
                let rows = try Row.fetchAll(db, sql: """
                    SELECT i.key, i.canonical_url, i.status, count(*), i.report_count,
                           NOT EXISTS (SELECT 1 FROM reports e WHERE e.item_id = i.id AND e.batch_id < ?1)
                    FROM reports r JOIN items i ON i.id = r.item_id
                    WHERE r.batch_id = ?1
                    GROUP BY i.id ORDER BY min(r.line), i.id
                    """, arguments: [batchID])
                var outcome = BatchOutcome(batchID: batchID, newItems: [], knownItems: [], duplicatesFolded: 0, rejected: [],
                                           omittedItems: 0, omittedRejected: 0)
                for row in rows {
                    let entry = BatchOutcome.Entry(key: row[0], canonicalURL: row[1], status: ItemStatus(rawValue: row[2]) ?? .unknown,
                                                   reportsInBatch: row[3], reportsInAll: row[4])
                    outcome.record(entry, isNew: row[5], limit: limit)
                }
                let problems = try Row.fetchAll(db, sql: """
                    SELECT line, reason FROM ingest_problems WHERE batch_id = ? ORDER BY line, position LIMIT ?
                    """, arguments: [batchID, limit + 1])
                outcome.rejected = problems.prefix(limit).map { BatchOutcome.Rejected(line: $0[0], reason: $0[1]) }
                if problems.count > limit {
                    outcome.omittedRejected = (try Int.fetchOne(db, sql: "SELECT count(*) FROM ingest_problems WHERE batch_id = ?",
                                                                arguments: [batchID]) ?? 0) - limit
                }
                return outcome
            }
        } catch {
            throw failure(error, doing: "reading batch \(batchID)")
        }
    }
}
