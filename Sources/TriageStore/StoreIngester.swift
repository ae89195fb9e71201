import Foundation
internal import GRDB
public import TriageKit

/// Ingests a batch of reports into the store in one pass: every URL becomes a
/// report row pointing at its item, new items are created, and each item's
/// counts move with its reports.
///
/// Work is committed every `rowsPerTransaction` reports. A report's identity is
/// (file content, line, URL index), so a run cut short (even by SIGKILL) is
/// finished by running the same ingest again: what was committed is skipped,
/// and an item's counts only ever move in the transaction that stores the report.
public final class StoreIngester {
    private let store: CaseStore
    private let rules: RuleSet

    public init(store: CaseStore, rules: RuleSet) {
        self.store = store
        self.rules = rules
    }

    // MARK: - Entry point

    /// Ingests the report file at `path` (`-` is standard input).
    ///
    /// Throws `InputError` when the file cannot be read as reports and `StoreError` when the
    /// store fails; reports committed before a failure stay, and a rerun completes the batch.
    public func ingest(path: String, options: IngestOptions) throws -> IngestSummary {
        let name = path == "-" ? "standard input" : path
        var readPath = path
        if path == "-" {
            readPath = try SourceFingerprint.spoolStandardInput(into: NSTemporaryDirectory())
        }
        defer { if path == "-" { unlink(readPath) } }
        let fingerprint = try SourceFingerprint.of(path: readPath, name: name)
        let reader = ReportFileReader(path: readPath, name: name, format: options.format, allowBinary: options.allowBinary)
        do {
            return try store.pool.writeWithoutTransaction { db in
                try IngestRun(db: db, rules: rules, options: options, file: name, fingerprint: fingerprint).run(reader)
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw store.failure(error, doing: "ingest of \(name)")
        }
    }
}

// MARK: - One run

/// The state of one ingest on the writer connection.
private final class IngestRun {
    let db: Database
    let options: IngestOptions
    let file: String
    let fingerprint: SourceFingerprint
    let normalizer: BatchNormalizer
    var summary: IngestSummary

    var sourceID: Int64 = 0
    /// Item ids by key: `id` is the item reports point at, `countID` the one whose counts
    /// move (a merged short link's target).
    var items: [String: (id: Int64, countID: Int64)] = [:]
    /// Count changes per item, written when the transaction commits.
    var deltas: [Int64: ItemDelta] = [:]
    var rowsInTransaction = 0
    var rows: [NormalizedRow] = []

    struct ItemDelta {
        var reports = 0
        var reporters = 0
        var first: Int64
        var last: Int64
        var category: String?
    }

    init(db: Database, rules: RuleSet, options: IngestOptions, file: String, fingerprint: SourceFingerprint) {
        self.db = db
        self.options = options
        self.file = file
        self.fingerprint = fingerprint
        normalizer = BatchNormalizer(rules: rules)
        summary = IngestSummary(batchID: 0, file: file, sha256: fingerprint.sha256, shape: ReportFileShape(format: .text))
    }

    func run(_ reader: ReportFileReader) throws -> IngestSummary {
        guard try openBatch(format: options.format ?? .text) else { return summary }
        try db.beginTransaction(.immediate)
        do {
            summary.shape = try reader.read { record in try self.ingest(record) }
            try flushDeltas()
            try writeBatchCounts()
            try db.execute(sql: "UPDATE batches SET finished_at = ?, lines = ?, urls = ? WHERE id = ?",
                           arguments: [options.now, normalizer.summary.lines, normalizer.summary.urls, summary.batchID])
            try db.execute(sql: "UPDATE sources SET format = ? WHERE id = ?", arguments: [summary.shape.format.rawValue, sourceID])
            try db.commit()
            summary.transactions += 1
        } catch {
            try? db.rollback()
            throw error
        }
        summary.batch = normalizer.summary
        return summary
    }

    // MARK: - Batch

    /// Finds or records the file and its batch; returns false when the file was ingested completely before.
    private func openBatch(format: InputFormat) throws -> Bool {
        try db.inTransaction(.immediate) {
            if let source = try Row.fetchOne(db, sql: "SELECT id FROM sources WHERE sha256 = ?", arguments: [fingerprint.sha256]) {
                sourceID = source["id"]
                let batches = try Row.fetchAll(db, sql: """
                    SELECT id, started_at, by, finished_at FROM batches WHERE source_id = ? ORDER BY id
                    """, arguments: [sourceID])
                if let done = batches.first(where: { ($0["finished_at"] as Int64?) != nil }) {
                    summary.batchID = done["id"]
                    summary.alreadyIngested = .init(id: done["id"], startedAt: done["started_at"], by: done["by"])
                    return .commit
                }
                if let cut = batches.last {
                    summary.batchID = cut["id"]
                    summary.resumed = .init(id: cut["id"], startedAt: cut["started_at"], by: cut["by"])
                    return .commit
                }
            } else {
                try db.execute(sql: """
                    INSERT INTO sources (sha256, bytes, format, first_path, first_seen_at) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [fingerprint.sha256, fingerprint.bytes, format.rawValue, file, options.now])
                sourceID = db.lastInsertedRowID
            }
            try db.execute(sql: "INSERT INTO batches (source_id, path, started_at, by) VALUES (?, ?, ?, ?)",
                           arguments: [sourceID, file, options.now, options.by])
            summary.batchID = db.lastInsertedRowID
            return .commit
        }
        return summary.alreadyIngested == nil
    }

    // MARK: - Records

    private func ingest(_ record: IngestRecord) throws {
        if record.isBlank {
            summary.blankLines += 1
            normalizer.process(line: record.line, text: record.text, problem: nil) { _ in }
            return
        }
        rows.removeAll(keepingCapacity: true)
        normalizer.process(line: record.line, text: record.text, problem: record.problem) { rows.append($0) }
        var fields = record.fields
        fields.reportedAt = fields.reportedAt ?? options.reportedAt ?? options.now
        fields.reporter = fields.reporter ?? options.reporter
        fields.organisation = fields.organisation ?? options.organisation
        fields.category = fields.category ?? options.category
        var urlIndex = 0
        for (position, row) in rows.enumerated() {
            if let classification = row.classification {
                try storeReport(classification, line: record.line, urlIndex: urlIndex, fields: fields)
                urlIndex += 1
            } else {
                try storeProblem(line: record.line, position: position, reason: row.error ?? "no URL found")
            }
        }
        if let problem = record.fields.problem {
            try storeProblem(line: record.line, position: -1, reason: problem)
        }
        if rowsInTransaction >= options.rowsPerTransaction {
            try flushDeltas()
            try writeBatchCounts()
            try db.commit()
            summary.transactions += 1
            try db.beginTransaction(.immediate)
            rowsInTransaction = 0
        }
    }

    /// Counts already added to the batch row by earlier commits of this run.
    private var committed = (reports: 0, items: 0, problems: 0)

    /// Adds what the open transaction stored to the batch row's counts; increments, so that
    /// a resumed run adds to what the cut-short one recorded.
    private func writeBatchCounts() throws {
        let update = try db.cachedStatement(sql: """
            UPDATE batches SET new_reports = new_reports + ?, new_items = new_items + ?, problems = problems + ? WHERE id = ?
            """)
        try update.execute(arguments: [summary.newReports - committed.reports, summary.newItems - committed.items,
                                       summary.problems - committed.problems, summary.batchID])
        committed = (summary.newReports, summary.newItems, summary.problems)
    }

    private func storeReport(_ classification: Classification, line: Int, urlIndex: Int, fields: ReportFields) throws {
        let reportedAt = fields.reportedAt ?? options.now
        let item = try itemID(for: classification, reportedAt: reportedAt, category: fields.category)
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO reports
                (source_id, line, url_index, batch_id, item_id, reported_at, reporter, organisation, category, notes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try insert.execute(arguments: [sourceID, line, urlIndex, summary.batchID, item.id, reportedAt,
                                       fields.reporter, fields.organisation, fields.category, fields.notes])
        rowsInTransaction += 1
        guard db.changesCount > 0 else {
            summary.knownReports += 1
            return
        }
        summary.newReports += 1
        var delta = deltas[item.countID] ?? ItemDelta(first: reportedAt, last: reportedAt)
        delta.reports += 1
        delta.first = min(delta.first, reportedAt)
        delta.last = max(delta.last, reportedAt)
        delta.category = delta.category ?? fields.category
        if let who = fields.reportedBy {
            let reporter = try db.cachedStatement(sql: "INSERT OR IGNORE INTO item_reporters (item_id, who) VALUES (?, ?)")
            try reporter.execute(arguments: [item.countID, who])
            if db.changesCount > 0 { delta.reporters += 1 }
        }
        deltas[item.countID] = delta
    }

    /// The item for a key: from this run's table, else the store, else a new item.
    private func itemID(for classification: Classification, reportedAt: Int64, category: String?) throws -> (id: Int64, countID: Int64) {
        if let known = items[classification.key] { return known }
        let select = try db.cachedStatement(sql: "SELECT id, coalesce(alias_of, id) FROM items WHERE key = ?")
        let found: (id: Int64, countID: Int64)
        if let row = try Row.fetchOne(select, arguments: [classification.key]) {
            found = (row[0], row[1])
        } else {
            let insert = try db.cachedStatement(sql: """
                INSERT INTO items (key, platform, type, canonical_url, category, first_reported_at, last_reported_at,
                                   status, status_since, next_check_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'new', ?, ?)
                """)
            try insert.execute(arguments: [classification.key, classification.platform, classification.type,
                                           classification.canonical, category, reportedAt, reportedAt, options.now, options.now])
            let id = db.lastInsertedRowID
            found = (id, id)
            summary.newItems += 1
        }
        items[classification.key] = found
        return found
    }

    private func storeProblem(line: Int, position: Int, reason: String) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO ingest_problems (source_id, line, position, batch_id, reason) VALUES (?, ?, ?, ?, ?)
            """)
        try insert.execute(arguments: [sourceID, line, position, summary.batchID, reason])
        rowsInTransaction += 1
        if db.changesCount > 0 { summary.problems += 1 }
    }

    /// Writes the count changes of the open transaction, one update per item.
    private func flushDeltas() throws {
        let update = try db.cachedStatement(sql: """
            UPDATE items SET report_count = report_count + ?, reporter_count = reporter_count + ?,
                first_reported_at = min(first_reported_at, ?), last_reported_at = max(last_reported_at, ?),
                category = coalesce(category, ?)
            WHERE id = ?
            """)
        for (id, delta) in deltas {
            try update.execute(arguments: [delta.reports, delta.reporters, delta.first, delta.last, delta.category, id])
        }
        deltas.removeAll(keepingCapacity: true)
    }
}
