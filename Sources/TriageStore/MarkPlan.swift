public import TriageKit

/// What a staff mark writes, decided from the item alone: the same decision on either store
/// (`ItemMarker` writes it to SQLite, TriagePostgres's `PostgresMarker` to PostgreSQL), so a
/// mark leaves the same item, transition, escalation and note rows on both.
public struct MarkPlan: Sendable, Equatable {
    /// The escalation row of an `escalated` mark.
    public struct Escalation: Sendable, Equatable {
        public var platform: String
        public var channel: String?
        public var at: Int64
        public var reference: String?
        public var responseHours: Int
        public var responseDueAt: Int64?
    }

    public var escalation: Escalation?
    /// The item's new state and the transition's reason; nil for a note, which changes no state.
    public var step: Lifecycle.Step?
    /// When it happened: the transition's time.
    public var at: Int64
    /// A note-only mark's text, for the notes table.
    public var noteText: String?
}

/// The decisions of a mark that do not depend on the database: which key, whether the mark
/// applies, when it happened, and the messages when it does not.
public struct MarkRules: Sendable {
    public let lifecycle: Lifecycle
    public let rules: RuleSet?
    /// The store as messages name it.
    public let location: String

    public init(policy: RecheckPolicy, rules: RuleSet?, location: String) {
        lifecycle = Lifecycle(policy: policy)
        self.rules = rules
        self.location = location
    }

    /// Decides what `mark` on `item` writes (`lastEscalatedAt`: the item's, for a removal's time check).
    public func plan(_ mark: Mark, item: ItemRecord, lastEscalatedAt: Int64?, note: String?, now: Int64) throws(StoreError) -> MarkPlan {
        let name = item.key
        switch mark {
        case .escalated(let to, let reference, let at):
            guard !item.status.isClosed && item.status != .removed else {
                throw invalid(name, "is \(item.status.rawValue); only an item that may still be up is escalated "
                              + "(if it is up again, `urltriage mark \(name) reopen` first)")
            }
            let when = try checkedTime(at, now: now, for: item, lastEscalatedAt: nil)
            let platform = to ?? item.platform
            let hours = lifecycle.policy.responseHours(for: platform, rules: rules)
            let step = lifecycle.afterEscalation(item.state, at: when, responseHours: hours, now: now)
            let channel = rules?.platforms.first { $0.platform == platform }?.escalation?.channel
            var why = step.why ?? "escalated"
            why += " to \(platform)" + (reference.map { " (\($0))" } ?? "")
            return MarkPlan(escalation: .init(platform: platform, channel: channel, at: when, reference: reference, responseHours: hours,
                                              responseDueAt: step.state.responseDueAt),
                            step: Lifecycle.Step(state: step.state, why: why), at: when)
        case .removed(let at):
            guard item.status != .removed else {
                throw invalid(name, "is already removed (since \(item.removedAt.map(StoreTime.iso) ?? "an earlier check"))")
            }
            guard !item.status.isClosed else { throw invalid(name, "is \(item.status.rawValue); reopen it first") }
            let when = try checkedTime(at, now: now, for: item, lastEscalatedAt: lastEscalatedAt)
            return MarkPlan(step: lifecycle.afterRemovalMark(item.state, at: when, now: now), at: when)
        case .falseReport:
            guard item.status != .falseReport else { throw invalid(name, "is already marked a false report") }
            return MarkPlan(step: lifecycle.afterFalseReport(item.state), at: now)
        case .reopen:
            guard item.status == .removed || item.status == .falseReport else {
                throw invalid(name, "is \(item.status.rawValue), not removed or a false report; nothing to reopen")
            }
            return MarkPlan(step: lifecycle.afterReopen(item.state, now: now), at: now)
        case .note:
            guard let note, !note.isEmpty else { throw invalid(name, "a note needs its text: --note 'what happened'") }
            return MarkPlan(at: now, noteText: note)
        }
    }

    /// The text of the transition a step writes, or nil when it writes none: only a change of
    /// status, a note or an escalation is one (as `ItemRecord.apply`).
    public static func transitionText(_ step: Lifecycle.Step, from status: ItemStatus, note: String?, escalated: Bool) -> String? {
        guard step.state.status != status || note != nil || escalated, let why = step.why ?? note else { return nil }
        var text = why
        if let note, step.why != nil { text += "; note: \(note)" }
        return text
    }

    // MARK: - Keys and times

    /// The key itself, or the key of a URL (any shape the item was or could be reported in).
    public func resolveKey(_ keyOrURL: String) -> String {
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

    /// The error for a key (or URL) the store holds no item of.
    public func unknownItem(_ given: String, key: String) -> StoreError {
        let shown = given == key ? "'\(given)'" : "'\(given)' (key \(key))"
        return StoreError(.unknownItem, path: location,
                          "no item \(shown) in this store; give an item's key as `ingest` and `normalize` print it "
                          + "(tiktok:video:7301234567890123456) or one of its URLs, and check --db")
    }

    private func invalid(_ key: String, _ message: String) -> StoreError {
        StoreError(.invalidMark, path: location, "\(key) \(message)")
    }

    /// The time of a mark: `at`, else now. A time in the future is a typing mistake; so is one
    /// before the item was first reported (beyond a day's leeway for reporters' clocks and time
    /// zones), or a removal before the item's latest escalation (`lastEscalatedAt`, given for a
    /// removal only): such times would give the figures a removal that took decades or less than nothing.
    private func checkedTime(_ at: Int64?, now: Int64, for item: ItemRecord, lastEscalatedAt: Int64?) throws(StoreError) -> Int64 {
        let when = at ?? now
        let given = at == nil ? "now (\(StoreTime.iso(now)))" : "--at \(StoreTime.iso(when))"
        if at != nil, when > now + 300 {
            throw StoreError(.invalidMark, path: location, "--at \(StoreTime.iso(when)) is in the future; give when it happened")
        }
        if when < item.firstReportedAt - StoreTime.day {
            throw StoreError(.invalidMark, path: location,
                             "\(given) is before \(item.key) was first reported (\(StoreTime.iso(item.firstReportedAt))); "
                             + "give when it happened")
        }
        if let escalated = lastEscalatedAt, when < escalated {
            throw StoreError(.invalidMark, path: location,
                             "\(given) is before \(item.key) was escalated (\(StoreTime.iso(escalated))); "
                             + "a removal comes after the escalation: give when it happened, with the time of day")
        }
        return when
    }
}
