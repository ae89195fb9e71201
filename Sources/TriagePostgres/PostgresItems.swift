import PostgresNIO
public import TriageKit
public import TriageStore

/// Items read from PostgreSQL as the SQLite store reads them (`ItemRecord.columns`, in order).
enum PostgresItems {
    static let columns = ItemRecord.columns

    /// The items `rows` holds, each row `columns`.
    static func decode(_ rows: PostgresRowSequence) async throws -> [ItemRecord] {
        var items: [ItemRecord] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            func int(_ index: Int) throws -> Int64 { try cells[index].decode(Int64.self) }
            func optionalInt(_ index: Int) throws -> Int64? { try cells[index].decode(Int64?.self) }
            func text(_ index: Int) throws -> String? { try cells[index].decode(String?.self) }
            items.append(ItemRecord(
                id: try int(0), key: try text(1) ?? "", platform: try text(2) ?? "", type: try text(3) ?? "",
                canonicalURL: try text(4) ?? "", category: try text(5), status: ItemStatus(rawValue: try text(6) ?? "") ?? .unknown,
                lastVerdict: try text(7).flatMap(Verdict.init(rawValue:)), lastCheckedAt: try optionalInt(8),
                nextCheckAt: try optionalInt(9),
                firstReportedAt: try int(10), lastReportedAt: try int(11), reports: Int(try int(12)), reporters: Int(try int(13)),
                escalations: Int(try int(14)), firstEscalatedAt: try optionalInt(15), responseDueAt: try optionalInt(16),
                removedAt: try optionalInt(17), aliasOf: try optionalInt(18), checkStreak: Int(try int(19))))
        }
        return items
    }

    static func fetch(key: String, _ connection: PostgresConnection, logger: Logger, forUpdate: Bool = false) async throws -> ItemRecord? {
        try await decode(connection.query("""
            SELECT \(unescaped: columns) FROM items WHERE key = \(key)\(unescaped: forUpdate ? " FOR UPDATE" : "")
            """, logger: logger)).first
    }

    static func fetch(id: Int64, _ connection: PostgresConnection, logger: Logger, forUpdate: Bool = false) async throws -> ItemRecord? {
        try await decode(connection.query("""
            SELECT \(unescaped: columns) FROM items WHERE id = \(id)\(unescaped: forUpdate ? " FOR UPDATE" : "")
            """, logger: logger)).first
    }
}

/// `urltriage mark` and the item page's marks on PostgreSQL: what `MarkRules` decides, written
/// row for row as the SQLite store's `ItemMarker` writes it, in one transaction that holds
/// the item's row (two marks of one item at once take turns, as SQLite's writes do).
extension PostgresStore {
    public func mark(_ keyOrURL: String, _ mark: Mark, note: String?, by: String, now: Int64, policy: RecheckPolicy,
                     rules: RuleSet?) async throws -> MarkOutcome {
        let decisions = MarkRules(policy: policy, rules: rules, location: location)
        let key = decisions.resolveKey(keyOrURL)
        let logger = logger
        do {
            return try await onSharedPool { client in try await client.withTransaction(logger: logger) { connection in
                guard var item = try await PostgresItems.fetch(key: key, connection, logger: logger, forUpdate: true) else {
                    throw decisions.unknownItem(keyOrURL, key: key)
                }
                var redirectedFrom: String?
                if let target = item.aliasOf, let resolved = try await PostgresItems.fetch(id: target, connection, logger: logger,
                                                                                           forUpdate: true) {
                    redirectedFrom = item.key
                    item = resolved
                }
                var outcome = MarkOutcome(item: item, previous: item.status, redirectedFrom: redirectedFrom)
                var lastEscalatedAt: Int64?
                for try await value in try await connection.query("SELECT last_escalated_at FROM items WHERE id = \(item.id)",
                                                                  logger: logger).decode(Int64?.self) {
                    lastEscalatedAt = value
                }
                let plan = try decisions.plan(mark, item: item, lastEscalatedAt: lastEscalatedAt, note: note, now: now)
                var escalationID: Int64?
                if let escalation = plan.escalation {
                    for try await id in try await connection.query("""
                        INSERT INTO escalations (item_id, platform, channel, escalated_at, reference, by, note, response_hours,
                                                 response_due_at)
                        VALUES (\(item.id), \(escalation.platform), \(escalation.channel), \(escalation.at), \(escalation.reference), \(by),
                                \(note), \(Int64(escalation.responseHours)), \(escalation.responseDueAt))
                        RETURNING id
                        """, logger: logger).decode(Int64.self) {
                        escalationID = id
                    }
                    try await connection.query("""
                        UPDATE items SET escalation_count = escalation_count + 1,
                            last_escalated_at = greatest(coalesce(last_escalated_at, \(escalation.at)), \(escalation.at))
                        WHERE id = \(item.id)
                        """, logger: logger)
                    outcome.responseDueAt = escalation.responseDueAt
                }
                if let step = plan.step {
                    try await Self.apply(step, to: item, at: plan.at, by: by, escalationID: escalationID, note: note, connection,
                                         logger: logger)
                }
                if let text = plan.noteText {
                    try await connection.query("INSERT INTO notes (item_id, at, by, text) VALUES (\(item.id), \(plan.at), \(by), \(text))",
                                               logger: logger)
                }
                outcome.item = try await PostgresItems.fetch(id: item.id, connection, logger: logger) ?? item
                return outcome
            } }
        } catch {
            throw failure(error, doing: "mark")
        }
    }

    /// A mark's new state and its transition, as `ItemRecord.apply` writes them on SQLite.
    private static func apply(_ step: Lifecycle.Step, to item: ItemRecord, at now: Int64, by: String, escalationID: Int64?,
                              note: String?, _ connection: PostgresConnection, logger: Logger) async throws {
        let state = step.state
        try await PostgresItemState.write(state, item: item.id, at: now, on: connection, logger: logger)
        guard let text = MarkRules.transitionText(step, from: item.status, note: note, escalated: escalationID != nil) else { return }
        try await connection.query("""
            INSERT INTO transitions (item_id, from_status, to_status, at, why, by, escalation_id)
            VALUES (\(item.id), \(item.status.rawValue), \(state.status.rawValue), \(now), \(text), \(by), \(escalationID))
            """, logger: logger)
    }

    public var accounts: any AccountStore { PostgresAccountStore(store: self) }
}
