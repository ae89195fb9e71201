import NIOCore
import PostgresNIO

/// Many rows of a few integers read as packed bytes rather than as rows.
///
/// `stats` and `report` read every escalated and removed item (810,000 rows on the benchmark's
/// million items): as rows, postgres-nio's per-row work (a message, a row of cells, an async
/// step, a decode per cell) cost the client 5 s where SQLite's pass takes 0.5 s. Here the server
/// packs each row's integers with `int8send` into one `bytea` per group of rows
/// (`string_agg`), and the client reads them back eight bytes at a time.
struct PackedRows {
    /// Rows per `bytea`: bounds one value's size (at 32 bytes a row, 8 MB) whatever the store's.
    static let groupShift = 18

    /// `SELECT` of `columns` (each an `int8` expression; NULL is not allowed, `coalesce` it)
    /// from `rest` (`FROM … WHERE …`), packed: each row is `columns.count` big-endian Int64s.
    static func sql(_ columns: [String], id: String = "id", _ rest: String) -> String {
        let packed = columns.map { "int8send(\($0))" }.joined(separator: " || ")
        return "SELECT string_agg(\(packed), ''::bytea) \(rest) GROUP BY \(id) >> \(groupShift)"
    }

    /// Calls `body` with each row's values (a reused array of `width` values).
    static func read(_ query: PostgresQuery, width: Int, on connection: PostgresConnection, logger: Logger,
                     _ body: ([Int64]) throws -> Void) async throws {
        var row = [Int64](repeating: 0, count: width)
        for try await chunk in try await connection.query(query, logger: logger).decode(ByteBuffer?.self) {
            guard var bytes = chunk else { continue }
            guard bytes.readableBytes % (8 * width) == 0 else {
                throw PostgresPackingError(bytes: bytes.readableBytes, width: width)
            }
            while bytes.readableBytes > 0 {
                for index in 0..<width { row[index] = bytes.readInteger(as: Int64.self)! }
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
