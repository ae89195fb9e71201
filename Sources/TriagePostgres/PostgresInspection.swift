import Foundation
import PostgresNIO
import TriageStore

/// Plain SQL on the store, for tests, as `CaseStore.rows` on SQLite: values come back as
/// text (`nil` for NULL), integers written out, so that one assertion reads both stores.
extension PostgresStore {
    /// The rows `sql` returns, each as its columns' text.
    func rows(_ sql: String) async throws(StoreError) -> [[String?]] {
        do {
            var rows: [[String?]] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
                rows.append(try row.map { cell in
                    switch cell.dataType {
                    case .int8, .int4, .int2: try cell.decode(Int64?.self).map(String.init)
                    case .numeric: try cell.decode(Decimal?.self).map { "\($0)" }
                    default: try cell.decode(String?.self)
                    }
                })
            }
            return rows
        } catch {
            throw failure(error, doing: "a query")
        }
    }
}
