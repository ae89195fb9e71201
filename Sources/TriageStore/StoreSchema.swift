internal import GRDB

/// The store's tables, as a list of migrations applied in order.
///
/// A migration, once released, never changes: a store written by an older
/// urltriage is brought up to date by running the ones it lacks, inside
/// transactions, and its data is kept. Times are whole seconds since
/// 1970-01-01 UTC (`datetime(x, 'unixepoch')` shows them in `sqlite3`),
/// because stats do arithmetic on them over millions of rows.
enum StoreSchema {
    /// Written into the SQLite header, so that another program's database is
    /// never mistaken for a store (`PRAGMA application_id`; "UrTr").
    static let applicationID: Int32 = 0x5572_5472

    /// Every migration, oldest first.
    static let migrations: [(identifier: String, apply: @Sendable (Database) throws -> Void)] = [
        ("v1-cases", createCases),
        ("v2-lifecycle", addLifecycle),
        ("v3-reports-by-platform", indexReportsByPlatform),
        ("v4-open-items", indexOpenItems),
        ("v5-accounts", addAccounts),
        ("v6-report-lines", indexLaterURLs),
        ("v7-workers", addWorkers),
    ]

    /// The newest schema this build knows.
    static var latest: String { migrations.last?.identifier ?? "none" }

    /// A migrator that knows the migrations up to and including `last` (all when nil):
    /// tests use an older list to write stores as an older urltriage did.
    static func migrator(through last: String? = nil) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.identifier, migrate: migration.apply)
            if migration.identifier == last { break }
        }
        return migrator
    }

    // MARK: - v1: reports, items, checks, escalations, transitions

    private static func createCases(_ db: Database) throws {
        try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        try db.execute(sql: """
            -- A report file's content, once: re-ingesting it (under any name) adds nothing. A file
            -- that begins with an earlier one's bytes (lines appended) extends it: its first
            -- `extends_lines` lines are that file's reports, identified as they were then.
            CREATE TABLE sources (
                id INTEGER PRIMARY KEY,
                sha256 TEXT NOT NULL UNIQUE,
                bytes INTEGER NOT NULL,
                lines INTEGER NOT NULL,
                format TEXT NOT NULL,
                first_path TEXT NOT NULL,
                first_seen_at INTEGER NOT NULL,
                extends_source_id INTEGER REFERENCES sources(id),
                extends_lines INTEGER
            );
            CREATE INDEX sources_bytes ON sources(bytes);

            -- One run of `urltriage ingest`; finished_at is NULL while it runs or when it was cut short.
            CREATE TABLE batches (
                id INTEGER PRIMARY KEY,
                source_id INTEGER NOT NULL REFERENCES sources(id),
                path TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                finished_at INTEGER,
                by TEXT NOT NULL,
                lines INTEGER NOT NULL DEFAULT 0,
                urls INTEGER NOT NULL DEFAULT 0,
                new_reports INTEGER NOT NULL DEFAULT 0,
                new_items INTEGER NOT NULL DEFAULT 0,
                problems INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX batches_source ON batches(source_id);

            -- One piece of content, whatever shape its URLs were reported in.
            CREATE TABLE items (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                platform TEXT NOT NULL,
                type TEXT NOT NULL,
                canonical_url TEXT NOT NULL,
                category TEXT,
                first_reported_at INTEGER NOT NULL,
                last_reported_at INTEGER NOT NULL,
                report_count INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL DEFAULT 'new',
                status_since INTEGER NOT NULL,
                last_verdict TEXT,
                last_checked_at INTEGER,
                check_streak INTEGER NOT NULL DEFAULT 0,
                next_check_at INTEGER,
                first_escalated_at INTEGER,
                last_escalated_at INTEGER,
                escalation_count INTEGER NOT NULL DEFAULT 0,
                response_due_at INTEGER,
                removed_at INTEGER
            );
            -- What is due, oldest first, and in what status, from the index alone; only scheduled items are in it.
            CREATE INDEX items_due ON items(next_check_at, status) WHERE next_check_at IS NOT NULL;
            -- Lists by status, and counts per status and platform from the index alone.
            CREATE INDEX items_status ON items(status, platform);

            -- Append-only: one row per URL a report line named. (source_id, line, url_index)
            -- is the report's identity, so a file read twice, or resumed after a crash, adds nothing.
            -- `platform` is that of the URL as reported (the item's, but counted without it).
            CREATE TABLE reports (
                id INTEGER PRIMARY KEY,
                source_id INTEGER NOT NULL REFERENCES sources(id),
                line INTEGER NOT NULL,
                url_index INTEGER NOT NULL,
                batch_id INTEGER NOT NULL REFERENCES batches(id),
                item_id INTEGER NOT NULL REFERENCES items(id),
                platform TEXT NOT NULL,
                reported_at INTEGER NOT NULL,
                reporter TEXT,
                organisation TEXT,
                category TEXT,
                notes TEXT,
                UNIQUE (source_id, line, url_index)
            );
            CREATE INDEX reports_item ON reports(item_id);
            -- Reports in a period, and per platform, from the index alone.
            CREATE INDEX reports_time ON reports(reported_at, platform);

            -- Lines that gave no usable URL, and why, so nothing is dropped silently.
            CREATE TABLE ingest_problems (
                source_id INTEGER NOT NULL REFERENCES sources(id),
                line INTEGER NOT NULL,
                position INTEGER NOT NULL,
                batch_id INTEGER NOT NULL REFERENCES batches(id),
                reason TEXT NOT NULL,
                PRIMARY KEY (source_id, line, position)
            ) WITHOUT ROWID;

            -- Every liveness verdict with its evidence; never a response body.
            CREATE TABLE checks (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES items(id),
                checked_at INTEGER NOT NULL,
                url TEXT NOT NULL,
                verdict TEXT NOT NULL,
                http_status INTEGER,
                final_url TEXT,
                redirects INTEGER NOT NULL DEFAULT 0,
                reason TEXT NOT NULL,
                elapsed_ms INTEGER NOT NULL,
                resolved_key TEXT
            );
            CREATE INDEX checks_item ON checks(item_id, checked_at);

            -- Each time staff sent an item to a platform.
            CREATE TABLE escalations (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES items(id),
                platform TEXT NOT NULL,
                channel TEXT,
                escalated_at INTEGER NOT NULL,
                reference TEXT,
                by TEXT NOT NULL,
                note TEXT,
                response_hours INTEGER NOT NULL,
                response_due_at INTEGER NOT NULL
            );
            CREATE INDEX escalations_item ON escalations(item_id, escalated_at);

            -- Every change of an item's status: from, to, when, why, who.
            CREATE TABLE transitions (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES items(id),
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                at INTEGER NOT NULL,
                why TEXT NOT NULL,
                by TEXT NOT NULL,
                check_id INTEGER REFERENCES checks(id),
                escalation_id INTEGER REFERENCES escalations(id)
            );
            CREATE INDEX transitions_item ON transitions(item_id, at);
            """)
    }

    // MARK: - v2: distinct reporters, short-link merges, notes, recheck runs

    private static func addLifecycle(_ db: Database) throws {
        try db.execute(sql: """
            -- Who reported an item (the school or organisation, else the person), once each.
            CREATE TABLE item_reporters (
                item_id INTEGER NOT NULL REFERENCES items(id),
                who TEXT NOT NULL,
                PRIMARY KEY (item_id, who)
            ) WITHOUT ROWID;
            ALTER TABLE items ADD COLUMN reporter_count INTEGER NOT NULL DEFAULT 0;
            INSERT OR IGNORE INTO item_reporters (item_id, who)
                SELECT item_id, coalesce(nullif(organisation, ''), reporter) FROM reports
                WHERE coalesce(nullif(organisation, ''), nullif(reporter, '')) IS NOT NULL;
            UPDATE items SET reporter_count = (SELECT count(*) FROM item_reporters r WHERE r.item_id = items.id);

            -- A short link, once resolved, points at the item it redirects to; its counts roll up there.
            ALTER TABLE items ADD COLUMN alias_of INTEGER REFERENCES items(id);

            -- Staff notes that do not change an item's status.
            CREATE TABLE notes (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES items(id),
                at INTEGER NOT NULL,
                by TEXT NOT NULL,
                text TEXT NOT NULL
            );
            CREATE INDEX notes_item ON notes(item_id, at);

            -- Each run of `urltriage recheck` (or one round of `watch`).
            CREATE TABLE recheck_runs (
                id INTEGER PRIMARY KEY,
                started_at INTEGER NOT NULL,
                finished_at INTEGER,
                by TEXT NOT NULL,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                due INTEGER NOT NULL DEFAULT 0,
                checked INTEGER NOT NULL DEFAULT 0,
                changed INTEGER NOT NULL DEFAULT 0,
                outcome TEXT
            );
            ALTER TABLE checks ADD COLUMN run_id INTEGER REFERENCES recheck_runs(id);

            -- Stats read removals and escalations from these alone, without touching the items'
            -- rows; new items are in neither, so ingest does not pay for them.
            CREATE INDEX items_removed ON items(removed_at, first_reported_at, first_escalated_at, status, alias_of)
                WHERE removed_at IS NOT NULL;
            CREATE INDEX items_escalated ON items(first_escalated_at, removed_at, status, alias_of, first_reported_at)
                WHERE first_escalated_at IS NOT NULL;
            """)
    }

    // MARK: - v3: reports per platform in index order

    private static func indexReportsByPlatform(_ db: Database) throws {
        try db.execute(sql: """
            -- Stats count reports and report lines per platform over the whole store. Ordered by
            -- time first (reports_time), every report went through a sort to be grouped (0.35 s of
            -- 1.3 M reports) and each report's row was read for its url_index (0.27 s); here the
            -- groups come in index order, from the index alone. It replaces reports_time, so ingest
            -- still writes three index entries per report; a period is a range within each platform.
            DROP INDEX reports_time;
            CREATE INDEX reports_platform ON reports(platform, reported_at, url_index);
            """)
    }

    // MARK: - v4: the open items, apart and whole

    private static func indexOpenItems(_ db: Database) throws {
        try db.execute(sql: """
            -- The escalation list reads every open item: a few percent of a large store, spread over
            -- nearly every page of the table, so through items_status it sought and read the whole
            -- table (50,000 seeks, 0.1 s of 1,000,000 items). This partial index holds those items
            -- alone with every column the list shows, a few hundred pages read in order. In id order:
            -- the list reads each item's reports through reports_item, and seeks in ascending order
            -- land on pages just read (twice as fast as in status order); one platform's list scans
            -- it all, which is still a few milliseconds. Only open items pay for it: an ingest or
            -- check that changes one updates its entry here as well.
            CREATE INDEX items_open ON items(id, status, platform, last_verdict, response_due_at, key, type, canonical_url,
                first_reported_at, last_reported_at, report_count, reporter_count, last_checked_at, escalation_count,
                last_escalated_at)
                WHERE \(openItemsCondition);
            """)
    }

    // MARK: - v6: the reports of a line's later URLs, apart

    private static func indexLaterURLs(_ db: Database) throws {
        try db.execute(sql: """
            -- Stats count report lines (a line's first URL) per platform and period. Read from
            -- reports_platform, that meant reading every report's url_index (a third of the stats'
            -- time on 1.3 M reports); counted as ranges, lines are the reports less these, the
            -- reports of a line's second and later URLs: a few percent of reports, and the only
            -- ones ingest writes an entry here for. (url_index is in it so that SQLite can test
            -- the condition from the index alone.)
            CREATE INDEX reports_more_urls ON reports(platform, reported_at, url_index) WHERE url_index <> 0;
            """)
    }

    // MARK: - v7: checker workers, leases and regions

    private static func addWorkers(_ db: Database) throws {
        try db.execute(sql: """
            -- A worker's lease on an item: who holds it and until when (NULL when nobody does). While
            -- a lease holds, the item's next_check_at is its end, so that leased items drop out of
            -- items_due's range and a claim reads the index from its start with nothing to skip, and
            -- a killed worker's items fall due again the moment its leases end. No index of its own:
            -- ingest writes nothing more for it (two NULL columns).
            ALTER TABLE items ADD COLUMN lease_worker TEXT;
            ALTER TABLE items ADD COLUMN lease_until INTEGER;

            -- Which worker made a check, and from which region (NULL for a store-wide recheck).
            ALTER TABLE checks ADD COLUMN worker TEXT;
            ALTER TABLE checks ADD COLUMN region TEXT;
            -- `urltriage workers` counts each worker's checks of the last hour; only workers' checks are in it.
            CREATE INDEX checks_worker ON checks(worker, checked_at) WHERE worker IS NOT NULL;

            -- The workers seen: their region, process, and last heartbeat.
            CREATE TABLE workers (
                name TEXT PRIMARY KEY,
                region TEXT,
                host TEXT,
                pid INTEGER,
                started_at INTEGER NOT NULL,
                last_seen_at INTEGER NOT NULL
            );
            """)
    }

    /// Which items `items_open` holds: every status but the four that are not open.
    ///
    /// Written as comparisons, not as `status IN (…)`: SQLite evaluates a partial
    /// index's condition for every row an insert or update touches, and an `IN`
    /// list there cost ingest about 3 µs a statement (a third more time on a
    /// fresh store) against nothing measurable for these. A query may use the
    /// index only if its own conditions repeat these terms word for word.
    static let openItemsCondition = "status <> 'new' AND status <> 'removed' AND status <> 'false_report' AND status <> 'merged'"
}
