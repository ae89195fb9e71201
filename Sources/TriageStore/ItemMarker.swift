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
}

/// Records staff marks: each one changes the item and writes who did what, when
/// and why, in one transaction.
public struct ItemMarker: Sendable {
    let store: CaseStore
    let lifecycle: Lifecycle
    let rules: RuleSet?

    /// `rules` gives each platform's escalation route and response target, and turns a
    /// URL given instead of a key into its key.
    public init(store: CaseStore, policy: RecheckPolicy, rules: RuleSet?) {
        self.store = store
        lifecycle = Lifecycle(policy: policy)
        self.rules = rules
    }

    /// Applies `mark` to the item named by `keyOrURL` (a key such as `tiktok:video:123`, or any
    /// URL of the item), noting `note`, done by `by` at `now`.
    public func mark(_ keyOrURL: String, _ mark: Mark, note: String?, by: String, now: Int64) throws(StoreError) -> MarkOutcome {
        let key = resolveKey(keyOrURL)
        do {
            return try store.pool.write { db in
                guard let item = try ItemRecord.fetch(db, key: key) else {
                    throw StoreError(.unknownItem, path: store.path, unknownItemMessage(keyOrURL, key: key))
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
        try apply(mark, to: item, note: note, by: by, now: now, db: db, outcome: &outcome)
        outcome.item = try ItemRecord.fetch(db, id: item.id) ?? item
        return outcome
    }

    private func apply(_ mark: Mark, to item: ItemRecord, note: String?, by: String, now: Int64, db: Database,
                       outcome: inout MarkOutcome) throws {
        let name = item.key
        switch mark {
        case .escalated(let to, let reference, let at):
            guard !item.status.isClosed && item.status != .removed else {
                throw invalid(name, "is \(item.status.rawValue); only an item that may still be up is escalated "
                              + "(if it is up again, `urltriage mark \(name) reopen` first)")
            }
            let when = try checkedTime(at, now: now, for: item, db: db, removal: false)
            let platform = to ?? item.platform
            let hours = lifecycle.policy.responseHours(for: platform, rules: rules)
            let step = lifecycle.afterEscalation(item.state, at: when, responseHours: hours, now: now)
            let channel = rules?.platforms.first { $0.platform == platform }?.escalation?.channel
            try db.execute(sql: """
                INSERT INTO escalations (item_id, platform, channel, escalated_at, reference, by, note, response_hours, response_due_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [item.id, platform, channel, when, reference, by, note, hours, step.state.responseDueAt])
            let escalationID = db.lastInsertedRowID
            try db.execute(sql: """
                UPDATE items SET escalation_count = escalation_count + 1,
                    last_escalated_at = max(coalesce(last_escalated_at, ?), ?) WHERE id = ?
                """, arguments: [when, when, item.id])
            var why = step.why ?? "escalated"
            why += " to \(platform)" + (reference.map { " (\($0))" } ?? "")
            try ItemRecord.apply(Lifecycle.Step(state: step.state, why: why), to: item, db: db, at: when, by: by,
                                 escalationID: escalationID, note: note)
            outcome.responseDueAt = step.state.responseDueAt
        case .removed(let at):
            guard item.status != .removed else {
                throw invalid(name, "is already removed (since \(item.removedAt.map(StoreTime.iso) ?? "an earlier check"))")
            }
            guard !item.status.isClosed else { throw invalid(name, "is \(item.status.rawValue); reopen it first") }
            let when = try checkedTime(at, now: now, for: item, db: db, removal: true)
            try ItemRecord.apply(lifecycle.afterRemovalMark(item.state, at: when, now: now), to: item, db: db, at: when,
                                 by: by, note: note)
        case .falseReport:
            guard item.status != .falseReport else { throw invalid(name, "is already marked a false report") }
            try ItemRecord.apply(lifecycle.afterFalseReport(item.state), to: item, db: db, at: now, by: by, note: note)
        case .reopen:
            guard item.status == .removed || item.status == .falseReport else {
                throw invalid(name, "is \(item.status.rawValue), not removed or a false report; nothing to reopen")
            }
            try ItemRecord.apply(lifecycle.afterReopen(item.state, now: now), to: item, db: db, at: now, by: by, note: note)
        case .note:
            guard let note, !note.isEmpty else { throw invalid(name, "a note needs its text: --note 'what happened'") }
            try db.execute(sql: "INSERT INTO notes (item_id, at, by, text) VALUES (?, ?, ?, ?)",
                           arguments: [item.id, now, by, note])
        }
    }

    // MARK: - Keys and times

    /// The key itself, or the key of a URL (any shape the item was or could be reported in).
    func resolveKey(_ keyOrURL: String) -> String {
        guard let rules, keyOrURL.contains("/") || keyOrURL.contains("."), !Self.looksLikeKey(keyOrURL) else { return keyOrURL }
        var key: String?
        BatchNormalizer(rules: rules).process(line: 1, text: keyOrURL) { row in
            if key == nil { key = row.classification?.key }
        }
        return key ?? keyOrURL
    }

    /// `platform:type:id`: letters, digits, `_` and `-` before the first two colons.
    static func looksLikeKey(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty else { return false }
        return parts[0...1].allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D }
        }
    }

    private func unknownItemMessage(_ given: String, key: String) -> String {
        let shown = given == key ? "'\(given)'" : "'\(given)' (key \(key))"
        return "no item \(shown) in this store; give an item's key as `ingest` and `normalize` print it "
            + "(tiktok:video:7301234567890123456) or one of its URLs, and check --db"
    }

    private func invalid(_ key: String, _ message: String) -> StoreError {
        StoreError(.invalidMark, path: store.path, "\(key) \(message)")
    }

    /// The time of a mark: `at`, else now. A time in the future is a typing mistake; so is one
    /// before the item was first reported (beyond a day's leeway for reporters' clocks and time
    /// zones), or a removal before the item's latest escalation: such times would give the
    /// figures a removal that took decades or less than nothing.
    private func checkedTime(_ at: Int64?, now: Int64, for item: ItemRecord, db: Database, removal: Bool) throws -> Int64 {
        let when = at ?? now
        let given = at == nil ? "now (\(StoreTime.iso(now)))" : "--at \(StoreTime.iso(when))"
        if at != nil, when > now + 300 {
            throw StoreError(.invalidMark, path: store.path, "--at \(StoreTime.iso(when)) is in the future; give when it happened")
        }
        if when < item.firstReportedAt - StoreTime.day {
            throw StoreError(.invalidMark, path: store.path,
                             "\(given) is before \(item.key) was first reported (\(StoreTime.iso(item.firstReportedAt))); "
                             + "give when it happened")
        }
        if removal, let escalated = try Int64.fetchOne(db, sql: "SELECT last_escalated_at FROM items WHERE id = ?", arguments: [item.id]),
           when < escalated {
            throw StoreError(.invalidMark, path: store.path,
                             "\(given) is before \(item.key) was escalated (\(StoreTime.iso(escalated))); "
                             + "a removal comes after the escalation: give when it happened, with the time of day")
        }
        return when
    }
}
