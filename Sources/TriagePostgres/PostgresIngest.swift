import Foundation
import Synchronization
import PostgresNIO
public import TriageKit
public import TriageStore

/// `urltriage ingest` into PostgreSQL: the records are read and split into rows exactly as
/// for SQLite (`IngestRecordSplitter`), streamed with `COPY` into staging tables while the
/// file is read, and moved into the store's tables by a handful of set-based statements.
///
/// The whole batch is one transaction: an ingest cut short leaves nothing, and running it
/// again stores it all. Ingests into one store take turns (an advisory lock), so that two
/// batches naming the same new item create it once and count it right.
extension PostgresStore {
    /// The advisory lock ingests take turns on.
    static let ingestLock: Int64 = 0x5572_5473

    /// Ingests a prepared report file (`StoreIngester.prepare`).
    ///
    /// Throws `InputError` when the file cannot be read as reports and `StoreError` when the
    /// store fails; either way nothing of the batch is stored.
    public func ingest(_ input: StoreIngester.Input, rules: RuleSet, options: IngestOptions) async throws -> IngestSummary {
        do {
            // In its turn on the store's connection (`turns`), as the snapshots of other calls.
            return try await turns.run {
            let size = SourceFingerprint.size(of: input.path) ?? 0
            var candidates: [(id: Int64, sha256: String, bytes: Int, lines: Int, path: String)] = []
            for try await (id, sha, bytes, lines, path) in try await connection.query("""
                SELECT id, sha256, bytes, lines, first_path FROM sources WHERE bytes < \(Int64(size))
                """, logger: logger).decode((Int64, String, Int64, Int64, String).self) {
                candidates.append((id, sha, Int(bytes), Int(lines), path))
            }
            let fingerprint = try SourceFingerprint.of(path: input.path, name: input.name, prefixLengths: candidates.map(\.bytes))
            let extends = candidates.filter { fingerprint.prefixes[$0.bytes] == $0.sha256 }.max { $0.bytes < $1.bytes }
            let run = PostgresIngestRun(store: self, input: input, rules: rules, options: options, fingerprint: fingerprint,
                                        extends: extends.map { ($0.id, $0.lines) })
            return try await connection.withTransaction(logger: logger) { _ in try await run.run() }
            }
        } catch let error as PostgresTransactionError {
            if let input = error.closureError as? InputError { throw input }
            throw failure(error, doing: "ingest of \(input.name)")
        } catch let error as InputError {
            throw error
        } catch {
            throw failure(error, doing: "ingest of \(input.name)")
        }
    }
}

/// One ingest, inside its transaction.
final class PostgresIngestRun: Sendable {
    let store: PostgresStore
    let input: StoreIngester.Input
    let rules: RuleSet
    let options: IngestOptions
    let fingerprint: SourceFingerprint
    let extends: (id: Int64, lines: Int)?

    init(store: PostgresStore, input: StoreIngester.Input, rules: RuleSet, options: IngestOptions,
         fingerprint: SourceFingerprint, extends: (id: Int64, lines: Int)?) {
        self.store = store
        self.input = input
        self.rules = rules
        self.options = options
        self.fingerprint = fingerprint
        self.extends = extends
    }

    var connection: PostgresConnection { store.connection }
    var logger: Logger { store.logger }

    func run() async throws -> IngestSummary {
        var summary = IngestSummary(batchID: 0, file: input.name, sha256: fingerprint.sha256, shape: ReportFileShape(format: .text))
        try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresStore.ingestLock))", logger: logger)
        // Sorts and hashes of a million staged rows stay in memory.
        try await connection.query("SET LOCAL work_mem = '256MB'", logger: logger)
        guard let sourceID = try await openBatch(&summary) else { return summary }
        let identity = try await loadIdentity(source: sourceID)
        if let first = identity.ranges.first {
            let path = try await one("SELECT first_path FROM sources WHERE id = \(first.source)", as: String.self)
            summary.extends = .init(path: path ?? "an earlier file", lines: identity.ranges.last?.lastLine ?? 0)
        } else {
            summary.sameNameEarlier = try await one("""
                SELECT min(first_seen_at) FROM sources WHERE first_path = \(input.name) AND id <> \(sourceID)
                """, as: Int64?.self) ?? nil
        }
        // Whether every report of this batch is new: a file stored for the first time, extending none.
        let fresh = summary.resumed == nil && identity.ranges.isEmpty

        try await connection.script("""
            CREATE TEMP TABLE stage_reports (seq bigint, source_id bigint, line bigint, url_index bigint, key text,
                platform text, type text, canonical_url text, reported_at bigint, reporter text, organisation text,
                category text, notes text, who text) ON COMMIT DROP;
            CREATE TEMP TABLE stage_problems (source_id bigint, line bigint, position bigint, reason text) ON COMMIT DROP
            """)
        let staged = try await stage(identity: identity)
        summary.shape = staged.shape
        summary.batch = staged.splitter.normalizer.summary
        summary.blankLines = staged.splitter.blankLines

        let counts = try await store(batch: summary.batchID, fresh: fresh)
        summary.newReports = counts.newReports
        summary.knownReports = staged.reports - counts.newReports
        summary.newItems = counts.newItems
        summary.problems = counts.problems
        try await connection.query("""
            UPDATE batches SET finished_at = \(options.now), lines = \(Int64(summary.batch.lines)), urls = \(Int64(summary.batch.urls)),
                new_reports = new_reports + \(Int64(counts.newReports)), new_items = new_items + \(Int64(counts.newItems)),
                problems = problems + \(Int64(counts.problems))
            WHERE id = \(summary.batchID)
            """, logger: logger)
        try await connection.query("UPDATE sources SET format = \(summary.shape.format.rawValue) WHERE id = \(sourceID)", logger: logger)
        summary.transactions = 1
        return summary
    }

    // MARK: - Batch

    /// Finds or records the file and its batch; nil when the file was ingested completely before.
    private func openBatch(_ summary: inout IngestSummary) async throws -> Int64? {
        let sourceID: Int64
        if let source = try await one("SELECT id FROM sources WHERE sha256 = \(fingerprint.sha256)", as: Int64.self) {
            sourceID = source
            var batches: [(id: Int64, startedAt: Int64, by: String, finished: Int64?)] = []
            for try await row in try await connection.query("""
                SELECT id, started_at, by, finished_at FROM batches WHERE source_id = \(sourceID) ORDER BY id
                """, logger: logger).decode((Int64, Int64, String, Int64?).self) {
                batches.append(row)
            }
            if let done = batches.first(where: { $0.finished != nil }) {
                summary.batchID = done.id
                summary.alreadyIngested = .init(id: done.id, startedAt: done.startedAt, by: done.by)
                return nil
            }
            if let cut = batches.last {
                summary.batchID = cut.id
                summary.resumed = .init(id: cut.id, startedAt: cut.startedAt, by: cut.by)
                return sourceID
            }
        } else {
            let format = (options.format ?? .text).rawValue
            sourceID = try await one("""
                INSERT INTO sources (sha256, bytes, lines, format, first_path, first_seen_at, extends_source_id, extends_lines)
                VALUES (\(fingerprint.sha256), \(Int64(fingerprint.bytes)), \(Int64(fingerprint.lineBreaks)), \(format),
                        \(input.name), \(options.now), \(extends?.id), \(extends.map { Int64($0.lines) }))
                RETURNING id
                """, as: Int64.self) ?? 0
        }
        summary.batchID = try await one("""
            INSERT INTO batches (source_id, path, started_at, by) VALUES (\(sourceID), \(input.name), \(options.now), \(options.by))
            RETURNING id
            """, as: Int64.self) ?? 0
        return sourceID
    }

    /// Which stored file each line belongs to (as `ReportIdentity` does for SQLite).
    struct Identity: Sendable {
        struct Range: Sendable {
            var lastLine: Int
            var source: Int64
        }
        var ranges: [Range]
        var own: Int64

        @inline(__always)
        func source(forLine line: Int) -> Int64 {
            for range in ranges where line <= range.lastLine { return range.source }
            return own
        }
    }

    private func loadIdentity(source: Int64) async throws -> Identity {
        var ranges: [Identity.Range] = []
        var current = source
        var seen: Set<Int64> = [source]
        while true {
            var parent: (Int64?, Int64?) = (nil, nil)
            for try await row in try await connection.query("""
                SELECT extends_source_id, extends_lines FROM sources WHERE id = \(current)
                """, logger: logger).decode((Int64?, Int64?).self) {
                parent = row
            }
            guard let next = parent.0, let lines = parent.1, seen.insert(next).inserted else { break }
            ranges.insert(.init(lastLine: Int(lines), source: next), at: 0)
            current = next
        }
        return Identity(ranges: ranges, own: source)
    }

    // MARK: - Staging

    /// What the reading thread left: the rows it staged and the splitter's counts.
    final class Staged: @unchecked Sendable {
        var shape = ReportFileShape(format: .text)
        var splitter: IngestRecordSplitter
        var reports = 0
        var problems = CopyRows(capacity: 0)

        init(splitter: IngestRecordSplitter) {
            self.splitter = splitter
        }
    }

    /// Bytes handed to `COPY` at a time.
    static let chunkBytes = 1 << 20

    /// Reads the file on a thread of its own, splitting records into rows, while this task
    /// streams them into `stage_reports`; then copies the problems into `stage_problems`.
    private func stage(identity: Identity) async throws -> Staged {
        let staged = Staged(splitter: IngestRecordSplitter(rules: rules, options: options))
        let (chunks, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        // At most this many chunks wait for COPY, so a fast reader does not fill memory.
        let slots = DispatchSemaphore(value: 4)
        let stopped = Atomic<Bool>(false)
        let reader = input.reader
        let thread = Thread {
            let sink = CopySink(identity: identity) { chunk in
                while slots.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
                    if stopped.load(ordering: .relaxed) { throw CancellationError() }
                }
                continuation.yield(chunk)
            }
            do {
                staged.shape = try reader.read { record in try staged.splitter.split(record, into: sink) }
                try sink.flush()
                staged.reports = sink.reports
                staged.problems = sink.problems
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
        defer { stopped.store(true, ordering: .relaxed) }
        try await connection.copyFrom(table: "stage_reports", logger: logger) { writer in
            for try await chunk in chunks {
                try await writer.write(ByteBuffer(bytes: chunk))
                slots.signal()
            }
        }
        if !staged.problems.bytes.isEmpty {
            let problems = staged.problems.bytes
            try await connection.copyFrom(table: "stage_problems", logger: logger) { writer in
                var start = 0
                while start < problems.count {
                    let end = min(problems.count, start + Self.chunkBytes)
                    try await writer.write(ByteBuffer(bytes: problems[start..<end]))
                    start = end
                }
            }
        }
        return staged
    }

    // MARK: - Into the store

    /// Moves the staged rows into the store; returns what was new.
    private func store(batch: Int64, fresh: Bool) async throws -> (newReports: Int, newItems: Int, problems: Int) {
        let now = options.now
        try await connection.query("ANALYZE stage_reports", logger: logger)
        // Each key once, as its first report classified it; those the store lacks are new items.
        let lastID = try await one("SELECT coalesce(max(id), 0) FROM items", as: Int64.self) ?? 0
        try await connection.script("""
            CREATE TEMP TABLE stage_keys ON COMMIT DROP AS
                SELECT DISTINCT ON (key) key, platform, type, canonical_url, seq FROM stage_reports ORDER BY key, seq;
            DELETE FROM stage_keys k USING items i WHERE i.key = k.key;
            """)
        if !fresh {
            // Reports stored before (a resumed batch, a file's earlier lines) count nothing again.
            try await connection.query("""
                DELETE FROM stage_reports s USING reports r
                WHERE r.source_id = s.source_id AND r.line = s.line AND r.url_index = s.url_index
                """, logger: logger)
        }
        // Per key: the new reports' count, dates, distinct reporters and first category.
        try await connection.script("""
            CREATE TEMP TABLE stage_counts ON COMMIT DROP AS
                SELECT key, count(*) AS reports, min(reported_at) AS first, max(reported_at) AS last,
                    count(DISTINCT who) AS reporters,
                    min(seq) FILTER (WHERE category IS NOT NULL) AS category_seq,
                    (array_agg(category ORDER BY seq) FILTER (WHERE category IS NOT NULL))[1] AS category
                FROM stage_reports GROUP BY key
            """)
        let newItems = try await count("""
            INSERT INTO items (key, platform, type, canonical_url, category, first_reported_at, last_reported_at,
                               report_count, reporter_count, status, status_since, next_check_at)
            SELECT k.key, k.platform, k.type, k.canonical_url, c.category, coalesce(c.first, \(now)), coalesce(c.last, \(now)),
                   coalesce(c.reports, 0), coalesce(c.reporters, 0), 'new', \(now), \(now)
            FROM stage_keys k LEFT JOIN stage_counts c ON c.key = k.key
            ORDER BY k.seq
            """)
        // A fresh file's reports cannot be stored already, and ingests take turns: no conflict to
        // look for (ON CONFLICT costs a speculative insertion a row, 1.7 times the plain insert).
        let newReports = try await count("""
            INSERT INTO reports (source_id, line, url_index, batch_id, item_id, platform, reported_at, reporter,
                                 organisation, category, notes)
            SELECT s.source_id, s.line, s.url_index, \(batch), i.id, s.platform, s.reported_at, s.reporter,
                   s.organisation, s.category, s.notes
            FROM stage_reports s JOIN items i ON i.key = s.key
            ORDER BY s.seq\(fresh ? "" : " ON CONFLICT DO NOTHING")
            """)
        // Reporters go to the item counts move to (a merged short link's target); an item's
        // count of them moves by the pairs that are new. Items this batch made have no pairs yet,
        // so theirs go in without looking for a conflict (half the cost of the insert).
        try await connection.script("""
            CREATE TEMP TABLE stage_reporters ON COMMIT DROP AS
            WITH pairs AS (
                SELECT DISTINCT coalesce(i.alias_of, i.id) AS item_id, s.who FROM stage_reports s JOIN items i ON i.key = s.key
                WHERE s.who IS NOT NULL
            ), added_new AS (
                INSERT INTO item_reporters (item_id, who) SELECT item_id, who FROM pairs WHERE item_id > \(lastID)
                RETURNING item_id
            ), added_known AS (
                INSERT INTO item_reporters (item_id, who) SELECT item_id, who FROM pairs WHERE item_id <= \(lastID)
                ON CONFLICT DO NOTHING
                RETURNING item_id
            )
            SELECT item_id, count(*) AS added FROM (SELECT item_id FROM added_new UNION ALL SELECT item_id FROM added_known) a
            GROUP BY item_id;
            UPDATE items SET report_count = items.report_count + d.reports,
                reporter_count = items.reporter_count + coalesce(r.added, 0),
                first_reported_at = least(items.first_reported_at, d.first),
                last_reported_at = greatest(items.last_reported_at, d.last),
                category = coalesce(items.category, d.category)
            FROM (
                SELECT coalesce(i.alias_of, i.id) AS id, sum(c.reports) AS reports, min(c.first) AS first, max(c.last) AS last,
                    (array_agg(c.category ORDER BY c.category_seq) FILTER (WHERE c.category IS NOT NULL))[1] AS category
                FROM stage_counts c JOIN items i ON i.key = c.key
                WHERE i.id <= \(lastID)
                GROUP BY 1
            ) d LEFT JOIN stage_reporters r ON r.item_id = d.id
            WHERE items.id = d.id;
            """)
        let problems = try await count("""
            INSERT INTO ingest_problems (source_id, line, position, batch_id, reason)
            SELECT source_id, line, position, \(batch), reason FROM stage_problems
            ON CONFLICT DO NOTHING
            """)
        return (newReports, newItems, problems)
    }

    // MARK: - Queries

    /// The first column of the first row, if any.
    private func one<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type) async throws -> T? {
        for try await value in try await connection.query(query, logger: logger).decode(T.self) {
            return value
        }
        return nil
    }

    /// Runs an INSERT … SELECT and returns how many rows it inserted.
    private func count(_ sql: String) async throws -> Int {
        for try await count in try await connection.query(PostgresQuery(unsafeSQL: """
            WITH done AS (\(sql) RETURNING 1) SELECT count(*) FROM done
            """), logger: logger).decode(Int.self) {
            return count
        }
        return 0
    }
}

/// Rows as the reading thread makes them, in `COPY` text, handed over a chunk at a time.
final class CopySink: IngestRowSink {
    let identity: PostgresIngestRun.Identity
    let deliver: ([UInt8]) throws -> Void
    var rows = CopyRows(capacity: PostgresIngestRun.chunkBytes + 65_536)
    var problems = CopyRows(capacity: 4096)
    var reports = 0
    var seq: Int64 = 0

    init(identity: PostgresIngestRun.Identity, deliver: @escaping ([UInt8]) throws -> Void) {
        self.identity = identity
        self.deliver = deliver
    }

    func storeReport(_ classification: Classification, line: Int, urlIndex: Int, fields: ReportFields) throws {
        seq += 1
        reports += 1
        rows.field(seq)
        rows.field(identity.source(forLine: line))
        rows.field(line)
        rows.field(urlIndex)
        rows.field(classification.key)
        rows.field(classification.platform)
        rows.field(classification.type)
        rows.field(classification.canonical)
        rows.field(fields.reportedAt ?? 0)
        rows.field(fields.reporter)
        rows.field(fields.organisation)
        rows.field(fields.category)
        rows.field(fields.notes)
        rows.field(fields.reportedBy)
        rows.endRow()
        if rows.bytes.count >= PostgresIngestRun.chunkBytes { try flush() }
    }

    func storeProblem(line: Int, position: Int, reason: String) throws {
        problems.field(identity.source(forLine: line))
        problems.field(line)
        problems.field(position)
        problems.field(reason)
        problems.endRow()
    }

    func flush() throws {
        guard !rows.bytes.isEmpty else { return }
        let full = rows.bytes
        rows = CopyRows(capacity: PostgresIngestRun.chunkBytes + 65_536)
        try deliver(full)
    }
}
