import Foundation
internal import GRDB
import TriageKit

/// `urltriage db check` and `urltriage db backup`: looking after the store file.
public enum StoreMaintenance {
    /// Checks that the store's schema is whole (every table, column and index its migrations
    /// made), then runs SQLite's `PRAGMA integrity_check` and the foreign-key check; returns the
    /// problems found (empty when the store is sound). Open the store with `verifiesSchema: false`
    /// to list a damaged schema's problems here instead of being refused at the open.
    public static func check(_ store: CaseStore) throws(StoreError) -> [String] {
        do {
            return try store.pool.read { db in
                var problems = try StoreSchema.problems(db)
                problems += try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                // With a table missing, the foreign-key check would fail on it rather than report.
                guard problems.isEmpty else { return problems }
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
    /// The copy is written beside `destination` (`FILE.partial-PID`, without a journal) and
    /// renamed into place, so a backup cut short never leaves a half file under the name; the
    /// partial copies of backups that were killed are removed by the next backup to that name.
    /// An existing file is refused unless `replace` is set, and the store itself (under any
    /// name: another spelling, a symlink, a hard link) and its `-wal` and `-shm` files always are.
    public static func backup(_ store: CaseStore, to destination: String, replace: Bool = false) throws(StoreError) -> Int {
        try refuseStoreItself(store, destination)
        let manager = FileManager.default
        if manager.fileExists(atPath: destination) && !replace {
            throw StoreError(.file, path: destination, "already exists; choose another name, or pass --replace to overwrite it")
        }
        removeStalePartials(of: destination)
        let partial = destination + partialMark + String(getpid())
        try? manager.removeItem(atPath: partial)
        do {
            var configuration = Configuration()
            // The copy is renamed into place only when whole, so it needs no journal of its own,
            // and a killed backup leaves one file to clear, not two.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA journal_mode = OFF") }
            let target = try DatabaseQueue(path: partial, configuration: configuration)
            // One step: the copy is read in a single read transaction, a consistent snapshot that
            // (in WAL mode) does not block writers; several steps would restart on every write.
            do {
                try store.pool.backup(to: target)
            } catch {
                try? target.close()
                throw error
            }
            let pages = try target.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
            try target.close()
            // rename(2) replaces an existing file in one step: there is always a whole backup under the name.
            guard rename(partial, destination) == 0 else {
                throw StoreError(.file, path: destination, "cannot move the copy into place: \(String(cString: strerror(errno)))")
            }
            return pages
        } catch {
            try? manager.removeItem(atPath: partial)
            try? manager.removeItem(atPath: partial + "-journal")
            if let error = error as? StoreError { throw error }
            if let error = error as? DatabaseError {
                throw StoreError(.database, path: destination, "backup failed: \(describeWriteFailure(error, destination: destination))")
            }
            throw StoreError(.file, path: destination, "backup failed: \(error.localizedDescription)")
        }
    }

    /// What sits between a backup's name and the pid of the process writing it.
    static let partialMark = ".partial-"

    /// Refuses `destination` when it is the store, or SQLite's `-wal`, `-shm` or `-journal` file
    /// beside it, by name (after resolving symlinks) or by identity (device and inode).
    private static func refuseStoreItself(_ store: CaseStore, _ destination: String) throws(StoreError) {
        let storeFiles = [StoreFiles.canonical(store.path)] + StoreFiles.companions(ofStore: store.path)
        let target = StoreFiles.canonical(destination)
        let identities = Set(storeFiles.compactMap(FileIdentity.init(path:)))
        let named = storeFiles.contains(target)
        let same = FileIdentity(path: destination).map(identities.contains) ?? false
        guard named || same else { return }
        let which = storeFiles.dropFirst().first { $0 == target }.map { "the store's \(($0 as NSString).lastPathComponent) file" }
            ?? "the store itself"
        throw StoreError(.file, path: destination,
                         "is \(which) (under another name); writing a backup over it would destroy the store. Name a new file for the backup")
    }

    /// Removes `destination.partial-PID` files (and their journals) left by backups that were
    /// killed: those whose process is no longer running. A partial of a backup still running is kept.
    static func removeStalePartials(of destination: String) {
        let directory = (destination as NSString).deletingLastPathComponent
        let prefix = (destination as NSString).lastPathComponent + partialMark
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let pid = Int32(digits), rest.dropFirst(digits.count).isEmpty || rest.dropFirst(digits.count) == "-journal" else {
                continue
            }
            guard pid != getpid(), kill(pid, 0) == -1 && errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: directory.isEmpty ? name : (directory as NSString).appendingPathComponent(name))
        }
    }

    /// A failed write as words: SQLite's backup reports its error code, not a message (the
    /// message is "not an error"), so the code is turned into what happened.
    private static func describeWriteFailure(_ error: DatabaseError, destination: String) -> String {
        let directory = (destination as NSString).deletingLastPathComponent
        let place = directory.isEmpty ? "the current directory" : directory
        switch error.resultCode {
        case .SQLITE_FULL:
            return "no space left: the disk holding \(place) is full, or the copy reached a file size limit (ulimit -f); "
                + "free some space or back up somewhere else. Nothing was written under that name"
        case .SQLITE_IOERR:
            return "the copy could not be written (I/O error): the disk holding \(place) may be failing or full, or the copy "
                + "reached a file size limit (ulimit -f). Nothing was written under that name"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
            return "cannot write in \(place): \(error.message.flatMap { $0 == "not an error" ? nil : $0 } ?? "permission denied")"
        default:
            if let message = error.message, message != "not an error" { return message }
            return "SQLite error \(error.resultCode.rawValue) (\(error.extendedResultCode))"
        }
    }
}
