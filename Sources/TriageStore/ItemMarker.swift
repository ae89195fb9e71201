internal import GRDB
public import TriageKit

/// What staff record about an item by hand.
public enum Mark: Sendable, Equatable {
    /// Sent to a platform (`to`: its short name; nil for the item's own platform), with the
    /// platform's case reference, at a time (nil: now).
    case escalated(to: String?, reference: String?, at: Int64?)
    /// The platform confirmed removal (or staff saw it gone), at a time (nil: now).
    case removed(at: Int64?)
    /// The report was unfounded: the item is closed and never checked again.
    case falseReport
    /// Bring a removed or closed item back: new again, checked at the next recheck.
    case reopen
    /// A note only; the status does not change.
    case note
}

/// What a mark did.
public struct MarkOutcome: Sendable, Equatable {
    /// The item after the mark.
    public var item: ItemRecord
    /// The status before the mark.
    public var previous: ItemStatus
    /// Set when the key named a merged short link and the mark went to its target.
    public var redirectedFrom: String?
    /// For an escalation: when the platform's response target passes.
    public var responseDueAt: Int64?

    public init(item: ItemRecord, previous: ItemStatus, redirectedFrom: String? = nil, responseDueAt: Int64? = nil) {
        self.item = item
        self.previous = previous
        self.redirectedFrom = redirectedFrom
        self.responseDueAt = responseDueAt
    }
}

/// Records staff marks on an SQLite store: each one changes the item and writes who did
/// what, when and why, in one transaction, as `MarkRules` decides.
public struct ItemMarker: Sendable {
    let store: CaseStore
    let decisions: MarkRules

    /// `rules` gives each platform's escalation route and response target, and turns a
    /// URL given instead of a key into its key.
    public init(store: CaseStore, policy: RecheckPolicy, rules: RuleSet?) {
        self.store = store
        decisions = MarkRules(policy: policy, rules: rules, location: store.path)
    }

    /// Applies `mark` to the item named by `keyOrURL` (a key such as `tiktok:video:123`, or any
    /// URL of the item), noting `note`, done by `by` at `now`.
    public func mark(_ keyOrURL: String, _ mark: Mark, note: String?, by: String, now: Int64) throws(StoreError) -> MarkOutcome {
        let key = decisions.resolveKey(keyOrURL)
        do {
            return try store.pool.write { db in
                guard let item = try ItemRecord.fetch(db, key: key) else {
                    throw decisions.unknownItem(keyOrURL, key: key)
                }
                return try self.mark(item, mark, note: note, by: by, now: now, db: db)
            }
        } catch {
            throw store.failure(error, doing: "mark")
        }
    }

    /// Applies `mark` to `item` (or, for a merged short link, to its target) inside the caller's transaction.
    func mark(_ found: ItemRecord, _ mark: Mark, note: String?, by: String, now: Int64, db: Database) throws -> MarkOutcome {
        var item = found
        var redirectedFrom: String?
        if let target = item.aliasOf, let resolved = try ItemRecord.fetch(db, id: target) {
            redirectedFrom = item.key
            item = resolved
        }
        var outcome = MarkOutcome(item: item, previous: item.status, redirectedFrom: redirectedFrom)
        let lastEscalatedAt = try Int64.fetchOne(db, sql: "SELECT last_escalated_at FROM items WHERE id = ?", arguments: [item.id])
        let plan = try decisions.plan(mark, item: item, lastEscalatedAt: lastEscalatedAt, note: note, now: now)
        var escalationID: Int64?
        if let escalation = plan.escalation {
            try db.execute(sql: """
                INSERT INTO escalations (item_id, platform, channel, escalated_at, reference, by, note, response_hours, response_due_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [item.id, escalation.platform, escalation.channel, escalation.at, escalation.reference, by, note,
                                 escalation.responseHours, escalation.responseDueAt])
            escalationID = db.lastInsertedRowID
            try db.execute(sql: """
                UPDATE items SET escalation_count = escalation_count + 1,
                    last_escalated_at = max(coalesce(last_escalated_at, ?), ?) WHERE id = ?
                """, arguments: [escalation.at, escalation.at, item.id])
            outcome.responseDueAt = escalation.responseDueAt
        }
        if let step = plan.step {
            try ItemRecord.apply(step, to: item, db: db, at: plan.at, by: by, escalationID: escalationID, note: note)
        }
        if let text = plan.noteText {
            try db.execute(sql: "INSERT INTO notes (item_id, at, by, text) VALUES (?, ?, ?, ?)", arguments: [item.id, plan.at, by, text])
        }
        outcome.item = try ItemRecord.fetch(db, id: item.id) ?? item
        return outcome
    }
}
