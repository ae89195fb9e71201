internal import GRDB
import TriageKit

/// Writes reports, problems and items for one ingest, inside the transactions
/// its run opens and commits.
///
/// New items are created when their transaction ends, with their counts final,
/// under ids taken in advance (the run holds SQLite's write lock, so nobody else
/// can take them): a million-line batch then writes each new item once instead of
/// inserting it and updating it again. Known items get one update per transaction.
final class IngestWriter {
    private let db: Database
    private let identity: ReportIdentity
    private let batchID: Int64
    private let now: Int64
    private let statements: Statements

    /// Item ids by key, for keys seen in this run: `id` is the item reports point at, `countID`
    /// the one whose counts move (a merged short link's target).
    private var items: [String: (id: Int64, countID: Int64)] = [:]
    /// Items created in the open transaction, in id order from `firstCreatedID`, written when it ends.
    private var created: [NewItem] = []
    private var firstCreatedID: Int64 = 1
    /// Count changes to stored items in the open transaction.
    private var deltas: [Int64: Delta] = [:]
    /// The last id taken for a new item.
    private var lastID: Int64 = 0
    /// True while every item in the store was created by this run (a first import into a new
    /// store): a key this run has not seen is then new, and need not be looked up.
    private var onlyOurItems: Bool?

    private(set) var newReports = 0
    private(set) var knownReports = 0
    private(set) var newItems = 0
    private(set) var problems = 0

    /// How an item's counts move with the reports of one transaction.
    private struct Delta {
        var reports = 0
        var reporters = 0
        var first: Int64
        var last: Int64
        var category: String?

        mutating func add(reportedAt: Int64, category: String?) {
            reports += 1
            first = min(first, reportedAt)
            last = max(last, reportedAt)
            if self.category == nil { self.category = category }
        }
    }

    private struct NewItem {
        var classification: Classification
        var counts: Delta
    }

    /// `expectedItems` sizes the key table once, instead of growing it (and rehashing every
    /// key) a dozen times on a large batch.
    init(db: Database, identity: ReportIdentity, batchID: Int64, now: Int64, expectedItems: Int) throws {
        items.reserveCapacity(expectedItems)
        self.db = db
        self.identity = identity
        self.batchID = batchID
        self.now = now
        statements = try Statements(db)
    }

    // MARK: - Transactions

    /// Called after each BEGIN: new ids continue from the highest stored. When another
    /// connection wrote since our last commit (an ingest, a recheck merging a short link),
    /// short links are looked up afresh and every new key is looked up from then on.
    func beginTransaction() throws {
        let version = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        let othersWrote = dataVersion.map { $0 != version } ?? false
        dataVersion = version
        lastID = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM items") ?? 0
        firstCreatedID = lastID + 1
        if onlyOurItems == nil { onlyOurItems = lastID == 0 }
        if othersWrote {
            onlyOurItems = false
            for key in shortLinksKnown { items[key] = nil }
            shortLinksKnown.removeAll(keepingCapacity: true)
        }
    }

    /// `PRAGMA data_version` after our last commit: it changes only when another connection commits.
    private var dataVersion: Int64?

    /// Called before each COMMIT: creates the transaction's new items and moves the counts of known ones.
    ///
    /// Both go in id order: rows appended at the end of the table, and updates that walk it
    /// forward, touch each page once.
    func flush() throws {
        let insert = statements.insertItem
        for (offset, item) in created.enumerated() {
            let id = firstCreatedID + Int64(offset)
            // An item whose only report was already stored (the rules changed since) still gets sane times.
            let counted = item.counts.reports > 0
            insert.bind(1, id)
            insert.bind(2, item.classification.key)
            insert.bind(3, item.classification.platform)
            insert.bind(4, item.classification.type)
            insert.bind(5, item.classification.canonical)
            insert.bind(6, item.counts.category)
            insert.bind(7, counted ? item.counts.first : now)
            insert.bind(8, counted ? item.counts.last : now)
            insert.bind(9, item.counts.reports)
            insert.bind(10, item.counts.reporters)
            insert.bind(11, now)
            try insert.run()
        }
        created.removeAll(keepingCapacity: true)
        let update = statements.updateItem
        for id in deltas.keys.sorted() {
            guard let delta = deltas[id] else { continue }
            update.bind(1, delta.reports)
            update.bind(2, delta.reporters)
            update.bind(3, delta.first)
            update.bind(4, delta.last)
            update.bind(5, delta.category)
            update.bind(6, id)
            try update.run()
        }
        deltas.removeAll(keepingCapacity: true)
    }

    // MARK: - Rows

    func storeReport(_ classification: Classification, line: Int, urlIndex: Int, fields: ReportFields) throws {
        let reportedAt = fields.reportedAt ?? now
        let item = try itemID(for: classification)
        let insert = statements.insertReport
        insert.bind(1, identity.source(forLine: line))
        insert.bind(2, line)
        insert.bind(3, urlIndex)
        insert.bind(4, batchID)
        insert.bind(5, item.id)
        insert.bind(6, classification.platform)
        insert.bind(7, reportedAt)
        insert.bind(8, fields.reporter)
        insert.bind(9, fields.organisation)
        insert.bind(10, fields.category)
        insert.bind(11, fields.notes)
        guard try insert.run() > 0 else {
            knownReports += 1
            return
        }
        newReports += 1
        var addedReporter = false
        if let who = fields.reportedBy {
            let reporter = statements.insertReporter
            reporter.bind(1, item.countID)
            reporter.bind(2, who)
            addedReporter = try reporter.run() > 0
        }
        if item.countID >= firstCreatedID {
            let offset = Int(item.countID - firstCreatedID)
            created[offset].counts.add(reportedAt: reportedAt, category: fields.category)
            if addedReporter { created[offset].counts.reporters += 1 }
        } else {
            var delta = deltas[item.countID] ?? Delta(first: reportedAt, last: reportedAt)
            delta.add(reportedAt: reportedAt, category: fields.category)
            if addedReporter { delta.reporters += 1 }
            deltas[item.countID] = delta
        }
    }

    func storeProblem(line: Int, position: Int, reason: String) throws {
        let insert = statements.insertProblem
        insert.bind(1, identity.source(forLine: line))
        insert.bind(2, line)
        insert.bind(3, position)
        insert.bind(4, batchID)
        insert.bind(5, reason)
        if try insert.run() > 0 { problems += 1 }
    }

    /// The item for a key: from this run's table, else the store's, else a new one.
    private func itemID(for classification: Classification) throws -> (id: Int64, countID: Int64) {
        if let known = items[classification.key] { return known }
        let found: (id: Int64, countID: Int64)
        if onlyOurItems != true, let row = try lookUp(classification.key) {
            found = row
        } else {
            lastID += 1
            found = (lastID, lastID)
            created.append(NewItem(classification: classification, counts: Delta(first: .max, last: .min)))
            newItems += 1
        }
        items[classification.key] = found
        if classification.type == Self.shortLinkType { shortLinksKnown.append(classification.key) }
        return found
    }

    private func lookUp(_ key: String) throws -> (Int64, Int64)? {
        let select = statements.selectItem
        select.bind(1, key)
        return try select.firstRow()
    }

    /// The most of a report's notes the store keeps: 64 KiB of UTF-8, a long e-mail thread
    /// pasted whole. Ingest keeps the start of a longer note and records a problem for the line.
    static let maxNotesBytes = IngestRecordSplitter.maxNotesBytes

    /// The content type of links that only a redirect resolves (`vm.tiktok.com/…`).
    static let shortLinkType = "short"

    /// Short links in `items`: a recheck may merge one into its target between two of our
    /// transactions, so they are forgotten when another connection has written.
    private var shortLinksKnown: [String] = []

    // MARK: - Statements

    /// The statements run for every report, prepared once per run.
    private struct Statements {
        let insertReport: RawStatement
        let insertReporter: RawStatement
        let insertItem: RawStatement
        let selectItem: RawStatement
        let insertProblem: RawStatement
        let updateItem: RawStatement

        init(_ db: Database) throws {
            insertReport = try RawStatement(db, """
                INSERT OR IGNORE INTO reports (source_id, line, url_index, batch_id, item_id, platform, reported_at,
                                               reporter, organisation, category, notes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            insertReporter = try RawStatement(db, "INSERT OR IGNORE INTO item_reporters (item_id, who) VALUES (?, ?)")
            insertItem = try RawStatement(db, """
                INSERT INTO items (id, key, platform, type, canonical_url, category, first_reported_at, last_reported_at,
                                   report_count, reporter_count, status, status_since, next_check_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'new', ?11, ?11)
                """)
            selectItem = try RawStatement(db, "SELECT id, coalesce(alias_of, id) FROM items WHERE key = ?")
            insertProblem = try RawStatement(db, """
                INSERT OR IGNORE INTO ingest_problems (source_id, line, position, batch_id, reason) VALUES (?, ?, ?, ?, ?)
                """)
            updateItem = try RawStatement(db, """
                UPDATE items SET report_count = report_count + ?1, reporter_count = reporter_count + ?2,
                    first_reported_at = min(first_reported_at, ?3), last_reported_at = max(last_reported_at, ?4),
                    category = coalesce(category, ?5)
                WHERE id = ?6
                """)
        }
    }
}
