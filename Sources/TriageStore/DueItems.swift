import Foundation
internal import GRDB
public import TriageKit

/// The items due for a check at a moment, read a page at a time in the order
/// they fell due, from the `items_due` index alone (only scheduled items are in
/// it, with their status); what to check for a page is then read by id.
///
/// Pages are keyed on (next check, id), so each one starts where the last ended
/// with an index seek, however many pages came before.
public enum DueItems {
    /// One due item, as the index has it.
    struct Entry: Sendable {
        var id: Int64
        var next: Int64
        var status: String
    }

    /// The position after the last entry of a page, in the index's order (due time, status,
    /// id); `start` comes before every item.
    struct Cursor: Sendable {
        var next: Int64
        var status: String
        var id: Int64
        static let start = Cursor(next: Int64.min, status: "", id: 0)

        init(next: Int64, status: String, id: Int64) {
            self.next = next
            self.status = status
            self.id = id
        }

        init(after entry: Entry) {
            self.init(next: entry.next, status: entry.status, id: entry.id)
        }
    }

    /// Up to `count` items due at `now`, after `cursor`. The order is the index's own, so no
    /// page sorts anything, even when a million items fell due at the same second.
    static func page(_ db: Database, now: Int64, after cursor: Cursor, count: Int) throws -> [Entry] {
        let statement = try db.cachedStatement(sql: """
            SELECT id, next_check_at, status FROM items INDEXED BY items_due
            WHERE next_check_at <= ? AND (next_check_at, status, id) > (?, ?, ?)
            ORDER BY next_check_at, status, id LIMIT ?
            """)
        return try Row.fetchAll(statement, arguments: [now, cursor.next, cursor.status, cursor.id, count]).map { row in
            Entry(id: row[0], next: row[1], status: row[2])
        }
    }

    /// What to check for `entries`, in their order; read in id order, which walks the table forward.
    static func requests(_ db: Database, for entries: [Entry]) throws -> [CheckRequest] {
        let statement = try db.cachedStatement(sql: "SELECT key, canonical_url, platform, type FROM items WHERE id = ?")
        var byID: [Int64: CheckRequest] = [:]
        for id in entries.map(\.id).sorted() {
            if let row = try Row.fetchOne(statement, arguments: [id]) {
                byID[id] = CheckRequest(key: row[0], url: row[1], platform: row[2], type: row[3])
            }
        }
        return entries.compactMap { byID[$0.id] }
    }

    // MARK: - Preview

    /// What a recheck at a moment would take, without checking anything (`recheck --dry-run`).
    public struct Preview: Sendable, Equatable {
        /// Items due.
        public var count: Int
        /// Items due per current status.
        public var statuses: [String: Int]
        /// When the longest-waiting item fell due.
        public var oldestDueAt: Int64?
        /// Milliseconds to select the first page (what a recheck waits before its first check).
        public var firstPageMilliseconds: Double
        /// Milliseconds to select every due item, page by page.
        public var allMilliseconds: Double

        public init(count: Int, statuses: [String: Int], oldestDueAt: Int64?, firstPageMilliseconds: Double, allMilliseconds: Double) {
            self.count = count
            self.statuses = statuses
            self.oldestDueAt = oldestDueAt
            self.firstPageMilliseconds = firstPageMilliseconds
            self.allMilliseconds = allMilliseconds
        }

        /// A few lines for the terminal.
        public var text: String {
            var lines = ["\(count) item\(count == 1 ? "" : "s") due"
                + (oldestDueAt.map { ", the longest waiting since \(StoreTime.iso($0))" } ?? "")]
            let order = ItemStatus.allCases.map(\.rawValue)
            let shown = order.compactMap { name in statuses[name].map { "\(name) \($0)" } }
            if !shown.isEmpty { lines.append("  by status: " + shown.joined(separator: ", ")) }
            lines.append("  selected in \(Self.milliseconds(allMilliseconds)) ms (first page of \(RecheckOptions.defaultPageSize) "
                + "in \(Self.milliseconds(firstPageMilliseconds)) ms); nothing was checked")
            return lines.joined(separator: "\n")
        }

        static func milliseconds(_ value: Double) -> String {
            value < 10 ? String(format: "%.2f", value) : String(format: "%.0f", value)
        }

        /// A preview counted page by page as a store walks its due items (each store reads its
        /// pages in its own SQL; the counting and timing are the same).
        public struct Tally {
            private var preview = Preview(count: 0, statuses: [:], oldestDueAt: nil, firstPageMilliseconds: 0, allMilliseconds: 0)
            private let started = DispatchTime.now().uptimeNanoseconds

            public init() {}

            private var elapsedMilliseconds: Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6 }

            /// Counts one page, in walk order (`next`: an item's due time, `status`: its status);
            /// false for an empty page, which ends the walk.
            public mutating func add<Page: Collection>(_ page: Page, next: (Page.Element) -> Int64,
                                                       status: (Page.Element) -> String) -> Bool {
                if preview.count == 0 {
                    preview.firstPageMilliseconds = elapsedMilliseconds
                    preview.oldestDueAt = page.first.map(next)
                }
                preview.count += page.count
                for entry in page { preview.statuses[status(entry), default: 0] += 1 }
                return !page.isEmpty
            }

            /// The preview, timed to now.
            public func finished() -> Preview {
                var done = preview
                done.allMilliseconds = elapsedMilliseconds
                return done
            }
        }
    }

    /// Walks every item due at `now`, as a recheck would, and counts them.
    public static func preview(_ store: CaseStore, now: Int64 = StoreTime.now(),
                               pageSize: Int = RecheckOptions.defaultPageSize) throws(StoreError) -> Preview {
        do {
            return try store.pool.read { db in
                var tally = Preview.Tally()
                var cursor = Cursor.start
                while true {
                    let entries = try page(db, now: now, after: cursor, count: pageSize)
                    guard tally.add(entries, next: \.next, status: \.status), let last = entries.last else { break }
                    cursor = Cursor(after: last)
                }
                return tally.finished()
            }
        } catch {
            throw store.failure(error, doing: "selecting the due items")
        }
    }
}
