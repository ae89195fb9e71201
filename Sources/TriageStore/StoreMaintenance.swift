import Foundation
internal import GRDB
import TriageKit

/// `urltriage db check` and `urltriage db backup`: looking after the store file.
public enum StoreMaintenance {
    /// Runs SQLite's `PRAGMA integrity_check` and the foreign-key check; returns the problems
    /// found (empty when the store is sound).
    public static func check(_ store: CaseStore) throws(StoreError) -> [String] {
        do {
            return try store.pool.read { db in
                var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                    let table: String = row[0]
                    let rowID: Int64? = row[1]
                    let parent: String = row[2]
                    problems.append("\(table) row \(rowID.map(String.init) ?? "?") points at a missing \(parent) row")
                }
                return problems
            }
        } catch {
            throw store.failure(error, doing: "integrity check")
        }
    }

    /// Copies the store to `destination` with SQLite's online backup API, while other
    /// processes go on writing; the copy is one consistent moment of the store.
    ///
    /// The copy is written beside `destination` and renamed into place, so a backup cut
    /// short never leaves a half file under the name. An existing file is refused unless
    /// `replace` is set.
    public static func backup(_ store: CaseStore, to destination: String, replace: Bool = false) throws(StoreError) -> Int {
        let manager = FileManager.default
        if manager.fileExists(atPath: destination) && !replace {
            throw StoreError(.file, path: destination, "already exists; choose another name, or pass --replace to overwrite it")
        }
        if (destination as NSString).standardizingPath == (store.path as NSString).standardizingPath {
            throw StoreError(.file, path: destination, "is the store itself; name a new file for the backup")
        }
        let partial = destination + ".partial-\(getpid())"
        try? manager.removeItem(atPath: partial)
        do {
            let target = try DatabaseQueue(path: partial)
            // One step: the copy is read in a single read transaction, a consistent snapshot that
            // (in WAL mode) does not block writers; several steps would restart on every write.
            try store.pool.backup(to: target)
            let pages = try target.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
            try target.close()
            if replace { try? manager.removeItem(atPath: destination) }
            try manager.moveItem(atPath: partial, toPath: destination)
            return pages
        } catch {
            try? manager.removeItem(atPath: partial)
            if let error = error as? DatabaseError {
                throw StoreError(.database, path: destination, "backup failed: \(CaseStore.describe(error))")
            }
            throw StoreError(.file, path: destination, "backup failed: \(error.localizedDescription)")
        }
    }
}
