import Foundation
import TriageKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps two rechecks off one store: an exclusive `flock` on a file beside it
/// (`STORE.recheck-lock`).
///
/// A lock the kernel holds for the process suits this better than a lease row in
/// the database: it is released the moment the process ends, however it ends
/// (SIGKILL, out of memory, power cut), so a killed recheck never blocks the next
/// one and there is no expiry to tune against slow networks. The file holds the
/// holder's pid, host and start time, for the message another run prints.
public final class RecheckLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        // Closing the descriptor releases the lock.
        close(descriptor)
    }

    /// Releases the lock now (it is also released when this object goes, or the process ends).
    public func release() {}

    /// The lock file beside a store.
    public static func path(forStore store: String) -> String {
        store + ".recheck-lock"
    }

    /// Takes the lock for the store at `storePath`, or throws `StoreError` (`.recheckRunning`)
    /// naming the run that holds it.
    public static func acquire(storePath: String, now: Int64) throws(StoreError) -> RecheckLock {
        let path = path(forStore: storePath)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError(.file, path: path, "cannot open the recheck lock file: \(String(cString: strerror(errno))); "
                             + "the directory of the store must be writable")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.read(descriptor)
            close(descriptor)
            throw StoreError(.recheckRunning, path: storePath,
                             "another recheck is running on this store (\(holder.isEmpty ? "holder unknown" : holder)); "
                             + "let it finish (rechecks from cron or a timer simply skip this turn), or stop it first")
        }
        let host = ProcessInfo.processInfo.hostName
        let text = "pid \(getpid()) on \(host), since \(StoreTime.iso(now))\n"
        ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return RecheckLock(path: path, descriptor: descriptor)
    }

    private static func read(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return "" }
        return String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
