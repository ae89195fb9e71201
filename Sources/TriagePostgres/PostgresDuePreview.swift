import PostgresNIO
public import TriageStore

/// `recheck --dry-run` on PostgreSQL: the items due, walked a page at a time through `items_due`
/// in the order a recheck takes them (due time, status, id), as `DueItems.preview` walks them on
/// SQLite, in one read-only snapshot.
extension PostgresStore {
    public func duePreview(now: Int64) async throws -> DueItems.Preview {
        let pageSize = RecheckOptions.defaultPageSize
        do {
            return try await inSnapshot {
                var tally = DueItems.Preview.Tally()
                var cursor: (next: Int64, status: String, id: Int64) = (Int64.min, "", 0)
                while true {
                    var page: [(next: Int64, status: String, id: Int64)] = []
                    for try await row in try await connection.query("""
                        SELECT next_check_at, status, id FROM items
                        WHERE next_check_at <= \(now) AND (next_check_at, status, id) > (\(cursor.next), \(cursor.status), \(cursor.id))
                        ORDER BY next_check_at, status, id LIMIT \(Int64(pageSize))
                        """, logger: logger).decode((Int64, String, Int64).self) {
                        page.append(row)
                    }
                    guard tally.add(page, next: { $0.next }, status: { $0.status }), let last = page.last else { break }
                    cursor = last
                }
                return tally.finished()
            }
        } catch {
            throw failure(error, doing: "selecting the due items")
        }
    }
}
