internal import GRDB
public import TriageKit

/// An item as the command line shows it: what it is, where it stands, what happened to it.
public struct ItemRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var key: String
    public var platform: String
    public var type: String
    public var canonicalURL: String
    public var category: String?
    public var status: ItemStatus
    public var lastVerdict: Verdict?
    public var lastCheckedAt: Int64?
    public var nextCheckAt: Int64?
    public var firstReportedAt: Int64
    public var lastReportedAt: Int64
    public var reports: Int
    public var reporters: Int
    public var escalations: Int
    public var firstEscalatedAt: Int64?
    public var responseDueAt: Int64?
    public var removedAt: Int64?
    /// For a merged short link: the id of the item it resolved to.
    public var aliasOf: Int64?

    /// The part the lifecycle rules read and change.
    public var state: ItemState {
        ItemState(status: status, lastVerdict: lastVerdict, checkStreak: checkStreak, nextCheckAt: nextCheckAt,
                  responseDueAt: responseDueAt, removedAt: removedAt, firstEscalatedAt: firstEscalatedAt)
    }

    var checkStreak: Int

    /// An item read from a store other than SQLite (TriagePostgres), column for column as `columns`.
    public init(id: Int64, key: String, platform: String, type: String, canonicalURL: String, category: String?, status: ItemStatus,
                lastVerdict: Verdict?, lastCheckedAt: Int64?, nextCheckAt: Int64?, firstReportedAt: Int64, lastReportedAt: Int64,
                reports: Int, reporters: Int, escalations: Int, firstEscalatedAt: Int64?, responseDueAt: Int64?, removedAt: Int64?,
                aliasOf: Int64?, checkStreak: Int) {
        self.id = id
        self.key = key
        self.platform = platform
        self.type = type
        self.canonicalURL = canonicalURL
        self.category = category
        self.status = status
        self.lastVerdict = lastVerdict
        self.lastCheckedAt = lastCheckedAt
        self.nextCheckAt = nextCheckAt
        self.firstReportedAt = firstReportedAt
        self.lastReportedAt = lastReportedAt
        self.reports = reports
        self.reporters = reporters
        self.escalations = escalations
        self.firstEscalatedAt = firstEscalatedAt
        self.responseDueAt = responseDueAt
        self.removedAt = removedAt
        self.aliasOf = aliasOf
        self.checkStreak = checkStreak
    }

    /// The columns `init(row:)` reads, in order.
    public static let columns = """
        id, key, platform, type, canonical_url, category, status, last_verdict, last_checked_at, next_check_at,
        first_reported_at, last_reported_at, report_count, reporter_count, escalation_count, first_escalated_at,
        response_due_at, removed_at, alias_of, check_streak
        """

    init(row: Row) {
        id = row[0]
        key = row[1]
        platform = row[2]
        type = row[3]
        canonicalURL = row[4]
        category = row[5]
        status = ItemStatus(rawValue: row[6]) ?? .unknown
        lastVerdict = (row[7] as String?).flatMap(Verdict.init(rawValue:))
        lastCheckedAt = row[8]
        nextCheckAt = row[9]
        firstReportedAt = row[10]
        lastReportedAt = row[11]
        reports = row[12]
        reporters = row[13]
        escalations = row[14]
        firstEscalatedAt = row[15]
        responseDueAt = row[16]
        removedAt = row[17]
        aliasOf = row[18]
        checkStreak = row[19]
    }

    // MARK: - Reading

    static func fetch(_ db: Database, key: String) throws -> ItemRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM items WHERE key = ?"), arguments: [key]).map(ItemRecord.init(row:))
    }

    static func fetch(_ db: Database, id: Int64) throws -> ItemRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM items WHERE id = ?"), arguments: [id]).map(ItemRecord.init(row:))
    }

    // MARK: - Writing

    /// Writes a new lifecycle state, and the transition when the status changed; returns the transition's id.
    @discardableResult
    static func apply(_ step: Lifecycle.Step, to item: ItemRecord, db: Database, at now: Int64, by: String,
                      checkID: Int64? = nil, escalationID: Int64? = nil, lastCheckedAt: Int64? = nil,
                      note: String? = nil) throws -> Int64? {
        let state = step.state
        let update = try db.cachedStatement(sql: """
            UPDATE items SET status = ?, status_since = CASE WHEN status = ? THEN status_since ELSE ? END,
                last_verdict = ?, check_streak = ?, next_check_at = ?, response_due_at = ?, removed_at = ?,
                first_escalated_at = ?, last_checked_at = coalesce(?, last_checked_at)
            WHERE id = ?
            """)
        try update.execute(arguments: [state.status.rawValue, state.status.rawValue, now, state.lastVerdict?.rawValue,
                                       state.checkStreak, state.nextCheckAt, state.responseDueAt, state.removedAt,
                                       state.firstEscalatedAt, lastCheckedAt, item.id])
        guard let text = MarkRules.transitionText(step, from: item.status, note: note, escalated: escalationID != nil) else { return nil }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO transitions (item_id, from_status, to_status, at, why, by, check_id, escalation_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try insert.execute(arguments: [item.id, item.status.rawValue, state.status.rawValue, now, text, by, checkID, escalationID])
        return db.lastInsertedRowID
    }
}
