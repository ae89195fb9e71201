import PostgresNIO
public import TriageStore

/// `urltriage db check` on PostgreSQL: what SQLite's check does, in PostgreSQL's terms.
///
/// - **The schema is whole**: every table, column and index the applied migrations made. The
///   expected shape is not written down twice: the same migrations are run into the session's
///   temporary schema, inside a transaction that is rolled back, and the two are compared (SQLite
///   builds its expected shape in an in-memory database the same way).
/// - **Integrity**: PostgreSQL keeps its pages checksummed (when the cluster was made so) and
///   has no `integrity_check`; what it can lose sight of is an index left invalid by a failed
///   build, a constraint added `NOT VALID`, and, with the `amcheck` extension installed, a
///   B-tree whose order or parent links are broken (`bt_index_check` on each of the store's
///   indexes). Without `amcheck` that last check is left out, and said so.
/// - **References**: the foreign keys PostgreSQL enforces need no check, but `reports` and
///   `item_reporters` have none on PostgreSQL (`PostgresSchema`); rows of theirs that point
///   at a missing item, source or batch are listed as SQLite's `foreign_key_check` lists them.
extension PostgresStore {
    public func integrityCheck() async throws -> StoreIntegrity {
        let advice = "restore the store from a backup (pg_dump, or `urltriage db copy` of it to an SQLite file), "
            + "or rebuild what is missing by hand; `REINDEX INDEX name` rebuilds an invalid or damaged index"
        do {
            var problems = try await schemaProblems()
            var notes: [String] = []
            // With a table missing, the checks below would fail on it rather than report.
            if problems.isEmpty {
                problems += try await invalidIndexesAndConstraints()
                problems += try await missingReferences()
                let (damaged, note) = try await indexProblems()
                problems += damaged
                notes += note.map { [$0] } ?? []
            }
            return StoreIntegrity(problems: problems, advice: advice, notes: notes)
        } catch {
            throw failure(error, doing: "integrity check")
        }
    }

    // MARK: - Schema

    /// A schema's tables with their columns, and its indexes.
    struct Shape {
        var tables: [String: Set<String>] = [:]
        var indexes: Set<String> = []
    }

    /// "missing table checks", "table items lacks column status", "missing index items_due".
    func schemaProblems() async throws -> [String] {
        var applied: Set<String> = []
        for try await identifier in try await connection.query("SELECT identifier FROM urltriage_migrations", logger: logger)
            .decode(String.self) {
            applied.insert(identifier)
        }
        let actual = try await shape(schema: "to_regnamespace(current_schema())")
        let expected = try await expectedShape(applied: applied)
        var problems: [String] = []
        for (table, columns) in expected.tables.sorted(by: { $0.key < $1.key }) {
            guard let present = actual.tables[table] else {
                problems.append("missing table \(table)")
                continue
            }
            let lacking = columns.subtracting(present).sorted()
            if !lacking.isEmpty {
                problems.append("table \(table) lacks column\(lacking.count == 1 ? "" : "s") \(lacking.joined(separator: ", "))")
            }
        }
        for index in expected.indexes.subtracting(actual.indexes).sorted() {
            problems.append("missing index \(index)")
        }
        return problems
    }

    /// The shape the `applied` migrations make, built in the session's temporary schema and rolled back.
    private func expectedShape(applied: Set<String>) async throws -> Shape {
        try await connection.query("BEGIN", logger: logger)
        do {
            // Unqualified names now resolve to, and are created in, this session's temporary schema.
            try await connection.query("SET LOCAL search_path = pg_temp", logger: logger)
            for migration in PostgresSchema.migrations where applied.contains(migration.identifier) {
                try await connection.script(migration.sql)
            }
            let shape = try await shape(schema: "pg_my_temp_schema()")
            try await connection.query("ROLLBACK", logger: logger)
            return shape
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// The tables (but the migrations' own) and indexes of `schema`, an SQL expression for its oid.
    private func shape(schema: String) async throws -> Shape {
        var shape = Shape()
        for try await (table, column) in try await connection.query("""
            SELECT c.relname::text, a.attname::text FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.relnamespace = \(unescaped: schema) AND c.relkind = 'r' AND c.relname <> 'urltriage_migrations'
              AND a.attnum > 0 AND NOT a.attisdropped
            """, logger: logger).decode((String, String).self) {
            shape.tables[table, default: []].insert(column)
        }
        for try await index in try await connection.query("""
            SELECT i.relname::text FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE i.relnamespace = \(unescaped: schema) AND t.relname <> 'urltriage_migrations'
            """, logger: logger).decode(String.self) {
            shape.indexes.insert(index)
        }
        return shape
    }

    // MARK: - Integrity

    /// Indexes a failed build left invalid (not used, not kept up to date) and constraints never validated.
    private func invalidIndexesAndConstraints() async throws -> [String] {
        var problems: [String] = []
        for try await index in try await connection.query("""
            SELECT i.relname::text FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE i.relnamespace = to_regnamespace(current_schema()) AND NOT (x.indisvalid AND x.indisready) ORDER BY 1
            """, logger: logger).decode(String.self) {
            problems.append("index \(index) is invalid (a build of it failed); REINDEX INDEX \(index)")
        }
        for try await (table, constraint) in try await connection.query("""
            SELECT t.relname::text, c.conname::text FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE t.relnamespace = to_regnamespace(current_schema()) AND NOT c.convalidated ORDER BY 1, 2
            """, logger: logger).decode((String, String).self) {
            problems.append("table \(table): constraint \(constraint) was never validated")
        }
        return problems
    }

    /// Rows of the tables without foreign keys that point at a missing row, as SQLite's
    /// `foreign_key_check` names them ("reports row 12 points at a missing items row").
    private func missingReferences() async throws -> [String] {
        let references: [(table: String, column: String, parent: String, id: String)] = [
            ("reports", "item_id", "items", "id"), ("reports", "source_id", "sources", "id"), ("reports", "batch_id", "batches", "id"),
            ("item_reporters", "item_id", "items", "item_id"),
        ]
        var problems: [String] = []
        for reference in references {
            for try await id in try await connection.query("""
                SELECT r.\(unescaped: reference.id) FROM \(unescaped: reference.table) r
                WHERE NOT EXISTS (SELECT 1 FROM \(unescaped: reference.parent) p WHERE p.id = r.\(unescaped: reference.column))
                ORDER BY 1 LIMIT 100
                """, logger: logger).decode(Int64.self) {
                let row = reference.table == "item_reporters" ? "row of item \(id)" : "row \(id)"
                problems.append("\(reference.table) \(row) points at a missing \(reference.parent) row")
            }
        }
        return problems
    }

    /// `amcheck`'s `bt_index_check` on each of the store's B-tree indexes, when the extension is
    /// installed; otherwise no problems and a note saying what was left out.
    private func indexProblems() async throws -> (problems: [String], note: String?) {
        var installed = false
        for try await _ in try await connection.query("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'", logger: logger) {
            installed = true
        }
        guard installed else {
            return ([], "indexes not verified: the amcheck extension is not installed in this database "
                        + "(`CREATE EXTENSION amcheck`, as its owner, adds the check)")
        }
        var indexes: [String] = []
        for try await index in try await connection.query("""
            SELECT i.relname::text FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am a ON a.oid = i.relam
            WHERE i.relnamespace = to_regnamespace(current_schema()) AND a.amname = 'btree' AND x.indisvalid ORDER BY 1
            """, logger: logger).decode(String.self) {
            indexes.append(index)
        }
        var problems: [String] = []
        for index in indexes {
            do {
                try await connection.query("SELECT bt_index_check(\(index)::regclass)", logger: logger)
            } catch {
                problems.append("index \(index): \(Self.describe(error))")
            }
        }
        return (problems, nil)
    }
}
