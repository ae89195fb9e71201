import NIOCore
import PostgresNIO

/// Many rows of a few integers read as packed bytes rather than as rows.
///
/// `stats` and `report` read every escalated and removed item (810,000 rows on the benchmark's
/// million items): as rows, postgres-nio's per-row work (a message, a row of cells, an async
/// step, a decode per cell) cost the client 5 s where SQLite's pass takes 0.5 s. Here the server
/// packs each row's integers with `int8send` into one `bytea` (`string_agg`), and the client
/// reads them back eight bytes at a time.
///
/// One value for all the rows, because that keeps the plan the rows alone would have (an
/// index-only scan of `items_escalated` or `items_removed`): cutting them into ranges of ids
/// scanned the table once a range, and `GROUP BY id >> 18` sorted every row (the planner cannot
/// know how few groups that makes). One value holds up to 1 GB: 33 million rows of four integers.
enum PackedRows {
    /// Calls `body` with each row's values (`columns.count` of them, in a reused array) of
    /// `source` (`FROM … WHERE …`, its parameters `binds`). Each column is an `int8` expression
    /// that is never NULL (`coalesce` it); the order of the rows is not kept.
    static func read(_ columns: [String], _ source: String, binds: [Int64], on connection: PostgresConnection, logger: Logger,
                     _ body: ([Int64]) throws -> Void) async throws {
        let packed = columns.map { "int8send(\($0))" }.joined(separator: " || ")
        var bindings = PostgresBindings()
        for value in binds { bindings.append(value) }
        var row = [Int64](repeating: 0, count: columns.count)
        let query = PostgresQuery(unsafeSQL: "SELECT string_agg(\(packed), ''::bytea) \(source)", binds: bindings)
        for try await chunk in try await connection.query(query, logger: logger).decode(ByteBuffer?.self) {
            guard var bytes = chunk else { continue }
            guard bytes.readableBytes % (8 * columns.count) == 0 else {
                throw PostgresPackingError(bytes: bytes.readableBytes, width: columns.count)
            }
            while bytes.readableBytes > 0 {
                for index in row.indices { row[index] = bytes.readInteger(as: Int64.self)! }
                try body(row)
            }
        }
    }
}

/// The server sent packed rows of another width than asked for: a bug in the query, not the data.
struct PostgresPackingError: Error, CustomStringConvertible {
    var bytes: Int
    var width: Int
    var description: String { "packed rows of \(bytes) bytes are not rows of \(width) integers" }
}
