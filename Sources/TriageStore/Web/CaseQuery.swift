import Foundation
internal import GRDB
public import TriageKit

/// Which items a list of cases shows, in what order, and which page of them.
public struct CaseFilter: Sendable, Equatable {
    public enum Order: String, Sendable, CaseIterable {
        /// Most recently first reported first: newest item first (an item is created at its
        /// first report, so its id is in that order; sorting by id needs no index of its own).
        case firstReported = "first-reported"
        /// Longest unchecked first (never checked before all).
        case lastChecked = "last-checked"
        /// Most reports first.
        case reports
    }

    public var platform: String?
    public var status: ItemStatus?
    /// The category as reporters gave it (the item's first given category), exactly.
    public var category: String?
    /// Items with a report from this reporter or organisation (exactly).
    public var reporter: String?
    /// First reported on or after, and before, these times.
    public var since: Int64?
    public var until: Int64?
    /// Words found in the canonical URL, the key, or a note (reporters' or staff's).
    public var text: String?
    /// Only these items (the web app's priority order lists the items the escalation list scores).
    public var onlyKeys: [String]?
    public var order: Order = .firstReported
    /// 1-based.
    public var page = 1
    public var pageSize = 50

    public init() {}
}

/// One page of cases and how many there are in all.
public struct CasePage: Sendable {
    public var items: [ItemRecord]
    /// Items matching the filter, on every page.
    public var total: Int
    public var page: Int
    public var pageSize: Int
    public var pages: Int { max(1, (total + pageSize - 1) / pageSize) }

    public init(items: [ItemRecord], total: Int, page: Int, pageSize: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.pageSize = pageSize
    }
}

extension CaseStore {
    /// The items `filter` selects, a page at a time, with the count over all pages.
    /// `knownTotal`: the count, when the caller has it from a moment ago (counting every
    /// matching item is most of the cost of a page over a large store).
    public func cases(_ filter: CaseFilter, knownTotal: Int? = nil) async throws -> CasePage {
        guard case .page(let page) = try await query(filter, keysOnly: false, knownTotal: knownTotal) else { fatalError("a page was asked for") }
        return page
    }

    /// The keys of every item `filter` selects, in no order (its order and page are ignored).
    public func caseKeys(_ filter: CaseFilter) async throws -> [String] {
        guard case .keys(let keys) = try await query(filter, keysOnly: true, knownTotal: nil) else { fatalError("keys were asked for") }
        return keys
    }

    /// The items with these keys, in the order given (keys with no item are left out).
    public func items(keys: [String]) async throws -> [ItemRecord] {
        do {
            return try await pool.read { db in try keys.compactMap { try ItemRecord.fetch(db, key: $0) } }
        } catch {
            throw failure(error, doing: "reading items")
        }
    }

    private enum CaseAnswer {
        case page(CasePage)
        case keys([String])
    }

    private func query(_ filter: CaseFilter, keysOnly: Bool, knownTotal: Int?) async throws -> CaseAnswer {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let platform = filter.platform {
            conditions.append("platform = ?")
            arguments.append(platform)
        }
        if let status = filter.status {
            conditions.append("status = ?")
            arguments.append(status.rawValue)
        } else {
            // Merged short links are folded into their targets: listed only when asked for.
            conditions.append("status <> 'merged'")
        }
        if let category = filter.category {
            conditions.append("category = ?")
            arguments.append(category)
        }
        if let reporter = filter.reporter {
            conditions.append("id IN (SELECT item_id FROM item_reporters WHERE who = ?)")
            arguments.append(reporter)
        }
        if let since = filter.since {
            conditions.append("first_reported_at >= ?")
            arguments.append(since)
        }
        if let until = filter.until {
            conditions.append("first_reported_at < ?")
            arguments.append(until)
        }
        if let text = filter.text, !text.isEmpty {
            // SQLite's LIKE ignores the case of ASCII letters only, where PostgreSQL's ILIKE folds
            // every letter: a search with a letter beyond ASCII ("ZOË" for "Zoë", "łódź" for
            // "ŁÓDŹ") compares both sides lowercased by Swift (GRDB's `swiftLowercaseString`), so
            // that both stores find the same cases; an ASCII search keeps the plain LIKE, which
            // is faster and finds the same.
            let folds = text.utf8.contains { $0 >= 0x80 }
            let searched = folds ? text.lowercased() : text
            let pattern = "%" + searched.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            func column(_ name: String) -> String { folds ? "swiftLowercaseString(\(name))" : name }
            conditions.append("""
                (\(column("canonical_url")) LIKE ? ESCAPE '\\' OR \(column("key")) LIKE ? ESCAPE '\\'
                 OR id IN (SELECT item_id FROM reports WHERE \(column("notes")) LIKE ? ESCAPE '\\')
                 OR id IN (SELECT item_id FROM notes WHERE \(column("text")) LIKE ? ESCAPE '\\'))
                """)
            arguments += [pattern, pattern, pattern, pattern]
        }
        if let keys = filter.onlyKeys {
            // One JSON array for any number of keys: SQLite's limit on parameters does not apply.
            let json = String(decoding: (try? JSONEncoder().encode(keys)) ?? Data("[]".utf8), as: UTF8.self)
            conditions.append("key IN (SELECT value FROM json_each(?))")
            arguments.append(json)
        }
        let condition = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let order = switch filter.order {
        case .firstReported: "id DESC"
        case .lastChecked: "last_checked_at IS NOT NULL, last_checked_at, id"
        case .reports: "report_count DESC, id"
        }
        if keysOnly {
            let sql = "SELECT key FROM items \(condition)"
            let keyArguments = StatementArguments(arguments)
            do {
                return .keys(try await pool.read { db in try String.fetchAll(db, sql: sql, arguments: keyArguments) })
            } catch {
                throw failure(error, doing: "listing cases")
            }
        }
        let size = max(1, min(filter.pageSize, 500))
        let page = max(1, filter.page)
        let sqlArguments = StatementArguments(arguments)
        let sqlCondition = condition
        do {
            return try await pool.read { db in
                let total = try knownTotal ?? Int.fetchOne(db, sql: "SELECT count(*) FROM items \(sqlCondition)", arguments: sqlArguments) ?? 0
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(ItemRecord.columns) FROM items \(sqlCondition) ORDER BY \(order) LIMIT \(size) OFFSET \((page - 1) * size)
                    """, arguments: sqlArguments)
                return .page(CasePage(items: rows.map(ItemRecord.init(row:)), total: total, page: page, pageSize: size))
            }
        } catch {
            throw failure(error, doing: "listing cases")
        }
    }
}
