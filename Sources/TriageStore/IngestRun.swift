import Foundation
internal import GRDB
import TriageKit

/// A file ingested before, as a candidate for the beginning of this one.
struct EarlierFile: Sendable {
    var id: Int64
    var sha256: String
    var bytes: Int
    var lines: Int
    var path: String
}

/// One ingest on the writer connection: the batch record, the transactions, the counts.
final class IngestRun {
    let db: Database
    let options: IngestOptions
    let file: String
    let fingerprint: SourceFingerprint
    /// The earlier file this one begins with, if any.
    let extends: EarlierFile?
    /// Records into rows, as every store's ingest makes them.
    let splitter: IngestRecordSplitter
    var normalizer: BatchNormalizer { splitter.normalizer }
    var summary: IngestSummary
    var writer: IngestWriter?
    /// Reports and problems written in the open transaction.
    var rowsInTransaction = 0
    /// When the open transaction began, in monotonic nanoseconds.
    var transactionStarted: UInt64 = 0
    /// Records since the clock was last read.
    var recordsSinceClock = 0
    /// Counts already added to the batch row by earlier commits of this run.
    var committed = (reports: 0, items: 0, problems: 0)

    init(db: Database, rules: RuleSet, options: IngestOptions, file: String, fingerprint: SourceFingerprint,
         extends: EarlierFile?) {
        self.db = db
        self.options = options
        self.file = file
        self.fingerprint = fingerprint
        self.extends = extends
        splitter = IngestRecordSplitter(rules: rules, options: options)
        summary = IngestSummary(batchID: 0, file: file, sha256: fingerprint.sha256, shape: ReportFileShape(format: .text))
    }

    func run(_ reader: ReportFileReader) throws -> IngestSummary {
        // Foreign keys are not checked row by row here: the loop only writes item ids it has
        // just read or assigned in the same transaction, and items are never deleted. Checking
        // would cost three lookups per report; `urltriage db check` verifies them all. (Set
        // outside any transaction: SQLite ignores it inside one.)
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        // Fewer, larger checkpoints (every 64 MiB of WAL at 16 KiB pages): each writes a page
        // once however many commits changed it.
        try db.execute(sql: "PRAGMA wal_autocheckpoint = 4096")
        defer {
            try? db.execute(sql: "PRAGMA foreign_keys = ON")
            try? db.execute(sql: "PRAGMA wal_autocheckpoint = 1000")
        }
        // The file and its batch are recorded in the first transaction of reports, not one of
        // their own: a file rejected before its first commit (binary, no URL column) leaves no
        // batch behind; one cut short later leaves an unfinished batch that a rerun completes.
        try db.beginTransaction(.immediate)
        do {
            guard let sourceID = try openBatch(format: options.format ?? .text) else {
                try db.commit()
                return summary
            }
            // About one item per 200 bytes of a typical batch; capped, since it is only a hint.
            let expectedItems = min(fingerprint.bytes / 200, 4_000_000)
            let identity = try ReportIdentity.load(db, source: sourceID)
            if let first = identity.ranges.last {
                let path = try String.fetchOne(db, sql: "SELECT first_path FROM sources WHERE id = ?", arguments: [first.source])
                summary.extends = .init(path: path ?? "an earlier file", lines: first.lastLine)
            } else {
                // Same name, other bytes, not lines appended: an edited copy counts every report again.
                summary.sameNameEarlier = try Int64.fetchOne(db, sql: """
                    SELECT min(first_seen_at) FROM sources WHERE first_path = ? AND id <> ?
                    """, arguments: [file, sourceID])
            }
            // A file new to the store, not resumed and extending none: none of its reports can be stored yet.
            let fresh = summary.resumed == nil && identity.ranges.isEmpty
            let writer = try IngestWriter(db: db, identity: identity, batchID: summary.batchID, now: options.now,
                                          expectedItems: expectedItems, fresh: fresh)
            self.writer = writer
            try startTransaction()
            summary.shape = try reader.read { record in try self.ingest(record) }
            try endTransaction()
            try db.execute(sql: "UPDATE batches SET finished_at = ?, lines = ?, urls = ? WHERE id = ?",
                           arguments: [options.now, normalizer.summary.lines, normalizer.summary.urls, summary.batchID])
            try db.execute(sql: "UPDATE sources SET format = ? WHERE id = ?", arguments: [summary.shape.format.rawValue, sourceID])
            try db.commit()
            summary.transactions += 1
        } catch {
            try? db.rollback()
            throw error
        }
        guard let writer else { return summary }
        summary.batch = normalizer.summary
        summary.blankLines = splitter.blankLines
        summary.newReports = writer.newReports
        summary.knownReports = writer.knownReports
        summary.newItems = writer.newItems
        summary.problems = writer.problems
        return summary
    }

    // MARK: - Batch

    /// Finds or records the file and its batch, inside the open transaction, and returns the
    /// file's id in `sources`; nil when the file was ingested completely before.
    private func openBatch(format: InputFormat) throws -> Int64? {
        let sourceID: Int64
        if let source = try Int64.fetchOne(db, sql: "SELECT id FROM sources WHERE sha256 = ?", arguments: [fingerprint.sha256]) {
            sourceID = source
            let batches = try Row.fetchAll(db, sql: """
                SELECT id, started_at, by, finished_at FROM batches WHERE source_id = ? ORDER BY id
                """, arguments: [sourceID])
            if let done = batches.first(where: { ($0["finished_at"] as Int64?) != nil }) {
                summary.batchID = done["id"]
                summary.alreadyIngested = .init(id: done["id"], startedAt: done["started_at"], by: done["by"])
                return nil
            }
            if let cut = batches.last {
                summary.batchID = cut["id"]
                summary.resumed = .init(id: cut["id"], startedAt: cut["started_at"], by: cut["by"])
                return sourceID
            }
        } else {
            try db.execute(sql: """
                INSERT INTO sources (sha256, bytes, lines, format, first_path, first_seen_at, extends_source_id, extends_lines)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [fingerprint.sha256, fingerprint.bytes, fingerprint.lineBreaks, format.rawValue, file,
                                 options.now, extends?.id, extends?.lines])
            sourceID = db.lastInsertedRowID
        }
        try db.execute(sql: "INSERT INTO batches (source_id, path, started_at, by) VALUES (?, ?, ?, ?)",
                       arguments: [sourceID, file, options.now, options.by])
        summary.batchID = db.lastInsertedRowID
        return sourceID
    }

    // MARK: - Records

    private func ingest(_ record: IngestRecord) throws {
        guard let writer else { return }
        rowsInTransaction += try splitter.split(record, into: writer)
        if rowsInTransaction >= options.rowsPerTransaction || transactionIsOld() {
            try endTransaction()
            try db.commit()
            summary.transactions += 1
            try beginTransaction()
        }
    }

    // MARK: - Transactions

    private func beginTransaction() throws {
        try db.beginTransaction(.immediate)
        try startTransaction()
    }

    /// What each transaction starts with, once BEGIN has run.
    private func startTransaction() throws {
        try writer?.beginTransaction()
        rowsInTransaction = 0
        transactionStarted = DispatchTime.now().uptimeNanoseconds
    }

    /// Writes what the open transaction holds back (items, counts, the batch's tallies); the caller commits.
    private func endTransaction() throws {
        guard let writer else { return }
        try writer.flush()
        // Increments, so that a resumed run adds to what the cut-short one recorded.
        try db.execute(sql: """
            UPDATE batches SET new_reports = new_reports + ?, new_items = new_items + ?, problems = problems + ? WHERE id = ?
            """, arguments: [writer.newReports - committed.reports, writer.newItems - committed.items,
                             writer.problems - committed.problems, summary.batchID])
        committed = (writer.newReports, writer.newItems, writer.problems)
    }

    /// True when the open transaction has run past `secondsPerTransaction`; the clock is read
    /// every 256 records only.
    private func transactionIsOld() -> Bool {
        recordsSinceClock += 1
        guard recordsSinceClock >= 256, rowsInTransaction > 0 else { return false }
        recordsSinceClock = 0
        let elapsed = DispatchTime.now().uptimeNanoseconds - transactionStarted
        return Double(elapsed) / 1e9 >= options.secondsPerTransaction
    }
}
