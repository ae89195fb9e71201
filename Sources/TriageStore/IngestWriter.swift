internal import GRDB
import TriageKit

/// Writes reports, problems and items for one ingest, inside the transactions
/// its run opens and commits.
///
/// New items are created when their transaction ends, with their counts final,
/// under ids taken in advance (the run holds SQLite's write lock, so nobody else
/// can take them): a million-line batch then writes each new item once instead of
/// inserting it and updating it again. Known items get one update per transaction.
///
/// Rows known to be new are written `rowsPerInsert` to a statement: new items always,
/// reports when the file is new to the store (`fresh`: neither resumed nor extending
/// an earlier file, so no report of it can be stored yet), and the reporters of items
/// new in the open transaction (whose reporters are all in memory). One statement per
/// row cost SQLite about as much again as the rows themselves: binding, stepping, and
/// opening and closing a cursor on the table and each index for every row.
final class IngestWriter {
    private let db: Database
    private let identity: ReportIdentity
    private let batchID: Int64
    private let now: Int64
    private let statements: Statements
    /// True when no report of this file can be in the store yet: reports are then inserted
    /// in groups, without asking SQLite whether each was already there.
    private let fresh: Bool

    /// Rows a grouped insert writes at once: 64 reports are 704 parameters, a statement of
    /// a few kilobytes prepared once per run; more rows gain nothing measurable.
    static let rowsPerInsert = 64

    /// Reports waiting for a grouped insert (fresh files only), written when 64 are waiting
    /// and before each commit.
    private var pendingReports: [PendingReport] = []
    /// (item, reporter) rows known new, waiting for a grouped insert.
    private var pendingReporters: [(item: Int64, who: String)] = []

    private struct PendingReport {
        var source: Int64
        var line: Int
        var urlIndex: Int
        var item: Int64
        var platform: String
        var reportedAt: Int64
        var fields: ReportFields
    }

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
        /// Who has reported it, each once: it is new in this transaction, so the store has none of them yet.
        var reporters: [String] = []
    }

    /// `expectedItems` sizes the key table once, instead of growing it (and rehashing every
    /// key) a dozen times on a large batch.
    init(db: Database, identity: ReportIdentity, batchID: Int64, now: Int64, expectedItems: Int, fresh: Bool) throws {
        items.reserveCapacity(expectedItems)
        self.fresh = fresh
        pendingReports.reserveCapacity(Self.rowsPerInsert)
        pendingReporters.reserveCapacity(Self.rowsPerInsert)
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
        try writePendingReports()
        try writePendingReporters()
        let group = Self.rowsPerInsert
        var offset = 0
        while offset < created.count {
            let rows = created.count - offset >= group ? group : 1
            let insert = rows == group ? statements.insertItems : statements.insertItem
            for row in 0..<rows {
                let item = created[offset + row]
                let base = Int32(row * 11)
                // An item whose only report was already stored (the rules changed since) still gets sane times.
                let counted = item.counts.reports > 0
                insert.bind(base + 1, firstCreatedID + Int64(offset + row))
                insert.bind(base + 2, item.classification.key)
                insert.bind(base + 3, item.classification.platform)
                insert.bind(base + 4, item.classification.type)
                insert.bind(base + 5, item.classification.canonical)
                insert.bind(base + 6, item.counts.category)
                insert.bind(base + 7, counted ? item.counts.first : now)
                insert.bind(base + 8, counted ? item.counts.last : now)
                insert.bind(base + 9, item.counts.reports)
                insert.bind(base + 10, item.counts.reporters)
                insert.bind(base + 11, now)
            }
            try insert.run()
            offset += rows
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
        if fresh {
            pendingReports.append(PendingReport(source: identity.own, line: line, urlIndex: urlIndex, item: item.id,
                                                platform: classification.platform, reportedAt: reportedAt, fields: fields))
            if pendingReports.count == Self.rowsPerInsert { try writePendingReports() }
            newReports += 1
            try count(reportedAt: reportedAt, fields: fields, item: item)
            return
        }
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
        try count(reportedAt: reportedAt, fields: fields, item: item)
    }

    /// Moves the counts of a new report's item, and records its reporter once.
    private func count(reportedAt: Int64, fields: ReportFields, item: (id: Int64, countID: Int64)) throws {
        if item.countID >= firstCreatedID {
            // New in this transaction: its reporters are all in `reporters`, so a new one needs no look-up.
            let offset = Int(item.countID - firstCreatedID)
            created[offset].counts.add(reportedAt: reportedAt, category: fields.category)
            if let who = fields.reportedBy, !created[offset].reporters.contains(who) {
                created[offset].reporters.append(who)
                created[offset].counts.reporters += 1
                pendingReporters.append((item.countID, who))
                if pendingReporters.count == Self.rowsPerInsert { try writePendingReporters() }
            }
            return
        }
        var addedReporter = false
        if let who = fields.reportedBy {
            let reporter = statements.insertReporter
            reporter.bind(1, item.countID)
            reporter.bind(2, who)
            addedReporter = try reporter.run() > 0
        }
        var delta = deltas[item.countID] ?? Delta(first: reportedAt, last: reportedAt)
        delta.add(reportedAt: reportedAt, category: fields.category)
        if addedReporter { delta.reporters += 1 }
        deltas[item.countID] = delta
    }

    /// Inserts the waiting reports: 64 to a statement, the rest one by one.
    private func writePendingReports() throws {
        let group = Self.rowsPerInsert
        var offset = 0
        while offset < pendingReports.count {
            let rows = pendingReports.count - offset >= group ? group : 1
            let insert = rows == group ? statements.insertReports : statements.insertNewReport
            for row in 0..<rows {
                let report = pendingReports[offset + row]
                let base = Int32(row * 11)
                insert.bind(base + 1, report.source)
                insert.bind(base + 2, report.line)
                insert.bind(base + 3, report.urlIndex)
                insert.bind(base + 4, batchID)
                insert.bind(base + 5, report.item)
                insert.bind(base + 6, report.platform)
                insert.bind(base + 7, report.reportedAt)
                insert.bind(base + 8, report.fields.reporter)
                insert.bind(base + 9, report.fields.organisation)
                insert.bind(base + 10, report.fields.category)
                insert.bind(base + 11, report.fields.notes)
            }
            try insert.run()
            offset += rows
        }
        pendingReports.removeAll(keepingCapacity: true)
    }

    /// Inserts the waiting reporters of items new in this transaction.
    private func writePendingReporters() throws {
        let group = Self.rowsPerInsert
        var offset = 0
        while offset < pendingReporters.count {
            let rows = pendingReporters.count - offset >= group ? group : 1
            let insert = rows == group ? statements.insertReporters : statements.insertNewReporter
            for row in 0..<rows {
                let base = Int32(row * 2)
                insert.bind(base + 1, pendingReporters[offset + row].item)
                insert.bind(base + 2, pendingReporters[offset + row].who)
            }
            try insert.run()
            offset += rows
        }
        pendingReporters.removeAll(keepingCapacity: true)
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
        /// `rowsPerInsert` items, reports or reporters known new at once, and one such row.
        let insertItems: RawStatement
        let insertReports: RawStatement
        let insertNewReport: RawStatement
        let insertReporters: RawStatement
        let insertNewReporter: RawStatement
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
            insertItem = try RawStatement(db, Self.insertItems(rows: 1))
            insertItems = try RawStatement(db, Self.insertItems(rows: IngestWriter.rowsPerInsert))
            insertNewReport = try RawStatement(db, Self.insertReports(rows: 1))
            insertReports = try RawStatement(db, Self.insertReports(rows: IngestWriter.rowsPerInsert))
            insertNewReporter = try RawStatement(db, Self.insertReporters(rows: 1))
            insertReporters = try RawStatement(db, Self.insertReporters(rows: IngestWriter.rowsPerInsert))
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

        /// Parameters of row r (0-based) are r × 11 + 1 … r × 11 + 11.
        static func insertItems(rows: Int) -> String {
            let values = (0..<rows).map { row in
                let p = (1...11).map { "?\(row * 11 + $0)" }
                return "(\(p[0...9].joined(separator: ", ")), 'new', \(p[10]), \(p[10]))"
            }
            return """
                INSERT INTO items (id, key, platform, type, canonical_url, category, first_reported_at, last_reported_at,
                                   report_count, reporter_count, status, status_since, next_check_at)
                VALUES \(values.joined(separator: ",\n"))
                """
        }

        /// Plain INSERT: these reports cannot be stored yet, and one that were would be a
        /// fault to stop at, not a duplicate to skip.
        static func insertReports(rows: Int) -> String {
            let values = (0..<rows).map { row in "(" + (1...11).map { "?\(row * 11 + $0)" }.joined(separator: ", ") + ")" }
            return """
                INSERT INTO reports (source_id, line, url_index, batch_id, item_id, platform, reported_at,
                                     reporter, organisation, category, notes)
                VALUES \(values.joined(separator: ",\n"))
                """
        }

        static func insertReporters(rows: Int) -> String {
            let values = (0..<rows).map { row in "(?\(row * 2 + 1), ?\(row * 2 + 2))" }
            return "INSERT INTO item_reporters (item_id, who) VALUES \(values.joined(separator: ", "))"
        }
    }
}
