internal import GRDB
import TriageKit

/// Everything the store knows about one item, for the item page: its reports, checks,
/// status changes, escalations and notes, each oldest first.
public struct ItemHistory: Sendable {
    public struct Report: Sendable {
        public var reportedAt: Int64
        public var reporter: String?
        public var organisation: String?
        public var category: String?
        public var notes: String?
        public var batchID: Int64
        public var line: Int

        public init(reportedAt: Int64, reporter: String?, organisation: String?, category: String?, notes: String?, batchID: Int64,
                    line: Int) {
            self.reportedAt = reportedAt
            self.reporter = reporter
            self.organisation = organisation
            self.category = category
            self.notes = notes
            self.batchID = batchID
            self.line = line
        }
    }

    public struct Check: Sendable {
        public var checkedAt: Int64
        public var url: String
        public var verdict: String
        public var httpStatus: Int?
        public var finalURL: String?
        public var redirects: Int
        public var reason: String
        public var elapsedMilliseconds: Int
        /// The region of the worker that made it (nil for a store-wide recheck).
        public var region: String?

        public init(checkedAt: Int64, url: String, verdict: String, httpStatus: Int?, finalURL: String?, redirects: Int, reason: String,
                    elapsedMilliseconds: Int, region: String?) {
            self.checkedAt = checkedAt
            self.url = url
            self.verdict = verdict
            self.httpStatus = httpStatus
            self.finalURL = finalURL
            self.redirects = redirects
            self.reason = reason
            self.elapsedMilliseconds = elapsedMilliseconds
            self.region = region
        }
    }

    public struct Transition: Sendable {
        public var at: Int64
        public var from: String
        public var to: String
        public var why: String
        public var by: String

        public init(at: Int64, from: String, to: String, why: String, by: String) {
            self.at = at
            self.from = from
            self.to = to
            self.why = why
            self.by = by
        }
    }

    public struct Escalation: Sendable {
        public var escalatedAt: Int64
        public var platform: String
        public var channel: String?
        public var reference: String?
        public var by: String
        public var note: String?
        public var responseDueAt: Int64

        public init(escalatedAt: Int64, platform: String, channel: String?, reference: String?, by: String, note: String?,
                    responseDueAt: Int64) {
            self.escalatedAt = escalatedAt
            self.platform = platform
            self.channel = channel
            self.reference = reference
            self.by = by
            self.note = note
            self.responseDueAt = responseDueAt
        }
    }

    public struct Note: Sendable {
        public var at: Int64
        public var by: String
        public var text: String

        public init(at: Int64, by: String, text: String) {
            self.at = at
            self.by = by
            self.text = text
        }
    }

    public var item: ItemRecord
    public var reports: [Report]
    public var checks: [Check]
    public var transitions: [Transition]
    public var escalations: [Escalation]
    public var notes: [Note]
    /// Short links merged into this item (their keys).
    public var merged: [String]
    /// Regions it is blocked in: removed there by the latest check, up in another region.
    public var blockedIn: [String] = []

    public init(item: ItemRecord, reports: [Report], checks: [Check], transitions: [Transition], escalations: [Escalation],
                notes: [Note], merged: [String]) {
        self.item = item
        self.reports = reports
        self.checks = checks
        self.transitions = transitions
        self.escalations = escalations
        self.notes = notes
        self.merged = merged
    }
}

extension CaseStore {
    /// The item with this key and its whole history; nil when there is none.
    /// At most `limit` rows of each kind are read (the newest), so an item reported
    /// ten thousand times still shows quickly.
    public func history(key: String, limit: Int = 500) async throws -> ItemHistory? {
        do {
            return try await pool.read { db in
                guard let item = try ItemRecord.fetch(db, key: key) else { return nil }
                let id = item.id
                let reports = try Row.fetchAll(db, sql: """
                    SELECT reported_at, reporter, organisation, category, notes, batch_id, line FROM reports
                    WHERE item_id = ? ORDER BY id DESC LIMIT ?
                    """, arguments: [id, limit]).reversed().map { row in
                    ItemHistory.Report(reportedAt: row[0], reporter: row[1], organisation: row[2], category: row[3],
                                       notes: row[4], batchID: row[5], line: row[6])
                }
                let checks = try Row.fetchAll(db, sql: """
                    SELECT checked_at, url, verdict, http_status, final_url, redirects, reason, elapsed_ms, region FROM checks
                    WHERE item_id = ? ORDER BY checked_at DESC, id DESC LIMIT ?
                    """, arguments: [id, limit]).reversed().map { row in
                    ItemHistory.Check(checkedAt: row[0], url: row[1], verdict: row[2], httpStatus: row[3], finalURL: row[4],
                                      redirects: row[5], reason: row[6], elapsedMilliseconds: row[7], region: row[8])
                }
                let transitions = try Row.fetchAll(db, sql: """
                    SELECT at, from_status, to_status, why, by FROM transitions
                    WHERE item_id = ? ORDER BY at DESC, id DESC LIMIT ?
                    """, arguments: [id, limit]).reversed().map { row in
                    ItemHistory.Transition(at: row[0], from: row[1], to: row[2], why: row[3], by: row[4])
                }
                let escalations = try Row.fetchAll(db, sql: """
                    SELECT escalated_at, platform, channel, reference, by, note, response_due_at FROM escalations
                    WHERE item_id = ? ORDER BY escalated_at DESC, id DESC LIMIT ?
                    """, arguments: [id, limit]).reversed().map { row in
                    ItemHistory.Escalation(escalatedAt: row[0], platform: row[1], channel: row[2], reference: row[3],
                                           by: row[4], note: row[5], responseDueAt: row[6])
                }
                let notes = try Row.fetchAll(db, sql: """
                    SELECT at, by, text FROM notes WHERE item_id = ? ORDER BY at DESC, id DESC LIMIT ?
                    """, arguments: [id, limit]).reversed().map { row in
                    ItemHistory.Note(at: row[0], by: row[1], text: row[2])
                }
                let merged = try String.fetchAll(db, sql: "SELECT key FROM items WHERE alias_of = ? ORDER BY id LIMIT ?",
                                                 arguments: [id, limit])
                var history = ItemHistory(item: item, reports: Array(reports), checks: Array(checks), transitions: Array(transitions),
                                          escalations: Array(escalations), notes: Array(notes), merged: merged)
                history.blockedIn = try RegionalVerdicts.blocked(db, itemIDs: [id])[id] ?? []
                return history
            }
        } catch {
            throw failure(error, doing: "reading item \(key)")
        }
    }
}
