internal import GRDB
public import TriageKit

/// The items the escalation list is made from, read in one snapshot.
public struct EscalationCandidates: Sendable {
    public var candidates: [EscalationCandidate]
    public var context: EscalationList.Context
}

extension EscalationCandidates {
    /// Statuses of items that are up or undecided and not closed; `escalated` ones count
    /// only once their response target has passed (a recheck may not have marked them overdue yet).
    static let openStatuses = "('live', 'restricted', 'unknown', 'error', 'overdue', 'escalated')"

    /// The condition on `items` that selects the candidates, in SQL both stores read alike;
    /// `now` and `platform` name the parameters holding now and the platform (nil: every
    /// platform). The first line repeats `items_open`'s condition, which SQLite and PostgreSQL
    /// alike need to see to use that partial index.
    public static func condition(now: String, platform: String?) -> String {
        """
        \(StoreSchema.openItemsCondition)
            AND items.status IN \(openStatuses) AND (items.status <> 'escalated' OR items.response_due_at <= \(now))
            AND items.last_verdict IS NOT NULL AND items.last_verdict <> 'removed'\(platform.map { " AND items.platform = \($0)" } ?? "")
        """
    }

    /// The columns of the rows both stores read, one per report of each open item (`items`
    /// joined with its reports `r`), in the order `EscalationCandidatesBuilder.item` and
    /// `report` take them: the item's 14 columns, the last check's reason where a person must
    /// look, then the report's id, category and notes.
    public static let rowColumns = """
        items.id, items.key, items.platform, items.type, items.canonical_url, items.first_reported_at,
            items.last_reported_at, items.report_count, items.reporter_count, items.last_verdict,
            items.last_checked_at, items.escalation_count, items.last_escalated_at, items.response_due_at,
            CASE WHEN items.last_verdict IN ('unknown', 'error') THEN
                (SELECT reason FROM checks c WHERE c.item_id = items.id ORDER BY c.checked_at DESC, c.id DESC LIMIT 1)
            END,
            r.id, r.category, r.notes
        """

    /// The condition on `items` for escalated items still within their response target at `now`
    /// (a parameter's name), counted beside the list; from `items_open` as well.
    public static func awaitingCondition(now: String) -> String {
        "\(StoreSchema.openItemsCondition) AND status = 'escalated' AND response_due_at > \(now)"
    }
}

extension CaseStore {
    /// The items that may go on the escalation list at `now`: checked and not removed (live,
    /// restricted, unknown or error), either never escalated or past the platform's response
    /// target; each with the category its reports' words give it.
    ///
    /// The items come from the partial index `items_open`, which holds the open items alone
    /// with the columns the list shows, so the cost follows the number of open items, not the
    /// size of the store; their reports are read in the same pass.
    public func escalationCandidates(platform: String? = nil, now: Int64,
                                     categorizer: ItemCategorizer) throws(StoreError) -> EscalationCandidates {
        do {
            return try pool.read { db in
                try Self.readCandidates(db, platform: platform, now: now, categorizer: categorizer)
            }
        } catch {
            throw failure(error, doing: "reading the items to escalate")
        }
    }

    // MARK: - SQL

    /// Parameters: ?1 is now; ?2 the platform, when there is one.
    private static func openFilter(platform: String?) -> String {
        EscalationCandidates.condition(now: "?1", platform: platform == nil ? nil : "?2")
    }

    private static func readCandidates(_ db: Database, platform: String?, now: Int64,
                                       categorizer: ItemCategorizer) throws -> EscalationCandidates {
        let filter = openFilter(platform: platform)
        func bind(_ statement: RawStatement) {
            statement.bind(1, now)
            if let platform { statement.bind(2, platform) }
        }

        // Reports of short links merged into a candidate count after the candidate's own, in the
        // order of the merged items and then of their reports. Rare: read first, kept apart.
        var builder = EscalationCandidatesBuilder(categorizer: categorizer)
        let aliases = try RawStatement(db, """
            SELECT a.alias_of, r.category, r.notes FROM items a INDEXED BY items_status
            JOIN reports r INDEXED BY reports_item ON r.item_id = a.id
            WHERE a.status = 'merged' AND a.alias_of IN (SELECT id FROM items INDEXED BY items_open WHERE \(filter))
            """)
        bind(aliases)
        try aliases.forEachRow {
            builder.aliasReport(of: aliases.integer(0), category: aliases.text(1), notes: aliases.text(2))
        }

        // Each open item with its reports, in the order they came (reports_item keeps a report's
        // rowid order within its item): one row per report, the item's columns repeated, so the
        // category is decided as the rows go by, without holding every report's words.
        let rows = try RawStatement(db, """
            SELECT \(EscalationCandidates.rowColumns)
            FROM items INDEXED BY items_open LEFT JOIN reports r INDEXED BY reports_item ON r.item_id = items.id
            WHERE \(filter)
            """)
        bind(rows)
        var current: Int64?
        try rows.forEachRow {
            let id = rows.integer(0)
            if id != current {
                current = id
                builder.item(id: id, key: rows.text(1) ?? "", platform: rows.text(2) ?? "", type: rows.text(3) ?? "",
                             canonicalURL: rows.text(4) ?? "", firstReportedAt: rows.integer(5),
                             lastReportedAt: rows.integer(6), reportCount: Int(rows.integer(7)),
                             reporterCount: Int(rows.integer(8)), verdict: rows.text(9),
                             checkedAt: rows.optionalInteger(10), checkReason: rows.text(14),
                             escalationCount: Int(rows.integer(11)), lastEscalatedAt: rows.optionalInteger(12),
                             responseDueAt: rows.optionalInteger(13))
            }
            if rows.optionalInteger(15) != nil {
                builder.report(category: rows.bytes(16), notes: rows.bytes(17))
            }
        }
        let blocked = try RegionalVerdicts.blocked(db, itemIDs: builder.ids)

        var context = EscalationList.Context()
        let platformFilter = platform == nil ? "" : " AND platform = ?2"
        let notChecked = try RawStatement(db, "SELECT count(*) FROM items WHERE status = 'new'\(platformFilter)")
        if let platform { notChecked.bind(2, platform) }
        try notChecked.forEachRow { context.notChecked = Int(notChecked.integer(0)) }
        // From items_open too, whose condition the query must repeat to be allowed to use it.
        let awaiting = try RawStatement(db, """
            SELECT count(*) FROM items INDEXED BY items_open WHERE \(EscalationCandidates.awaitingCondition(now: "?1"))\(platformFilter)
            """)
        bind(awaiting)
        try awaiting.forEachRow { context.awaitingResponse = Int(awaiting.integer(0)) }
        return builder.finish(blocked: blocked, context: context)
    }
}
