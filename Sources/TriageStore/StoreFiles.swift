import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's identity: the device and inode it lives on, whichever name reaches it
/// (`./s.sqlite`, an absolute path, a symlink, a hard link).
public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    /// The identity of the file at `path`, following symlinks; nil when there is no such file.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// The store's file and the files SQLite keeps beside it.
enum StoreFiles {
    /// The size of the file at `path` (following symlinks), nil when there is none.
    static func size(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// `path` with every symlink in it resolved: of the file itself, or of its directory when
    /// the file does not exist yet. SQLite names the WAL and shared-memory files after this
    /// resolved path, so they are found beside it.
    static func canonical(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let name = (path as NSString).lastPathComponent
        let directory = (path as NSString).deletingLastPathComponent
        if let resolved = realpath(directory.isEmpty ? "." : directory, nil) {
            defer { free(resolved) }
            return (String(cString: resolved) as NSString).appendingPathComponent(name)
        }
        return path
    }

    /// The names of the files SQLite keeps beside the store (resolved as `canonical`).
    static func companions(ofStore path: String) -> [String] {
        let base = canonical(path)
        return [base + "-wal", base + "-shm", base + "-journal"]
    }

    /// Refuses a store file that is empty while its write-ahead log holds data: the file was
    /// truncated or replaced. SQLite, opening it, would delete that log with whatever it held,
    /// so this is checked before any connection is made.
    static func refuseTruncated(_ path: String) throws(StoreError) {
        guard size(path) == 0 else { return }
        let wal = canonical(path) + "-wal"
        guard let walSize = size(wal), walSize > 0 else { return }
        throw StoreError(.damaged, path: path,
                         "the store file is empty, but its write-ahead log \(wal) still holds \(walSize) bytes: "
                         + "the store was truncated or replaced. Nothing was changed. Keep both files as they are, "
                         + "and restore the store from its latest `urltriage db backup`; opening it would throw the log away")
    }
}
