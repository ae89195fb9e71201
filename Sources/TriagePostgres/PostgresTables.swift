import Foundation
import PostgresNIO
public import TriageStore

/// `db copy` to and from PostgreSQL: tables read with ordered SELECTs, written with `COPY`,
/// the whole copy in one transaction (a copy cut short leaves the target empty).
extension PostgresStore: StoreTables {
    public func tableColumns() async throws -> [String: [String]] {
        var tables: [String: [String]] = [:]
        for try await (table, column) in try await connection.query("""
            SELECT table_name::text, column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
            """, logger: logger).decode((String, String).self) where StoreCopyPlan.tables.contains(where: { $0.name == table }) {
            tables[table, default: []].append(column)
        }
        return tables
    }

    public func holdsNothing() async throws -> Bool {
        for try await count in try await connection.query("""
            SELECT (SELECT count(*) FROM sources) + (SELECT count(*) FROM items) + (SELECT count(*) FROM users)
            """, logger: logger).decode(Int.self) {
            return count == 0
        }
        return true
    }

    public func readRows(_ table: String, columns: [String], chunk: Int,
                         _ each: ([[StoreValue]]) async throws -> Void) async throws {
        var integers: Set<String> = []
        for try await (column, type) in try await connection.query("""
            SELECT column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(table)
            """, logger: logger).decode((String, String).self) where type == "bigint" || type == "integer" {
            integers.insert(column)
        }
        let key = StoreCopyPlan.tables.first { $0.name == table }?.key ?? ["1"]
        // Everything as text, integers turned back: one decoding for every column.
        let select = columns.map { "\($0)::text" }.joined(separator: ", ")
        var rows: [[StoreValue]] = []
        let stream = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(select) FROM \(table) ORDER BY \(key.joined(separator: ", "))
            """), logger: logger)
        for try await row in stream {
            var values: [StoreValue] = []
            values.reserveCapacity(columns.count)
            for (index, cell) in row.enumerated() {
                guard let text = try cell.decode(String?.self) else {
                    values.append(.null)
                    continue
                }
                if integers.contains(columns[index]), let integer = Int64(text) {
                    values.append(.integer(integer))
                } else {
                    values.append(.text(text))
                }
            }
            rows.append(values)
            if rows.count >= chunk {
                try await each(rows)
                rows.removeAll(keepingCapacity: true)
            }
        }
        if !rows.isEmpty { try await each(rows) }
    }

    public func beginCopy() async throws {
        try await connection.script("BEGIN; SET CONSTRAINTS ALL DEFERRED")
    }

    public func writeRows(_ table: String, columns: [String], _ rows: [[StoreValue]]) async throws {
        var copy = CopyRows(capacity: 1 << 16)
        for row in rows {
            for value in row {
                switch value {
                case .integer(let integer): copy.field(integer)
                case .text(let text): copy.field(text)
                case .null: copy.field(nil as String?)
                }
            }
            copy.endRow()
        }
        let bytes = copy.bytes
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + PostgresIngestRun.chunkBytes)
                try await writer.write(ByteBuffer(bytes: bytes[start..<end]))
                start = end
            }
        }
    }

    /// Moves each id sequence past the highest copied id, so new rows do not collide, and commits.
    public func finishCopy() async throws {
        for (table, key) in StoreCopyPlan.tables where key == ["id"] {
            try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce(max(id), 0) + 1, false) FROM \(table)
                """), logger: logger)
        }
        try await connection.script("COMMIT")
    }
}
