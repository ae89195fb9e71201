import Foundation
import Synchronization
import TriageKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps two rechecks (or a recheck and the web app's "check now") off one store.
///
/// The lock is an exclusive `flock` on the store file itself, so it follows the file,
/// not a name for it: a symlink, a hard link or another spelling of the path reaches
/// the same lock. (SQLite's own locks on the file are POSIX record locks, which `flock`
/// neither takes nor blocks on Linux. On other systems, where the two may conflict, the
/// lock is taken on a file beside the store's resolved path, which symlinks share but
/// hard links do not.)
///
/// A lock the kernel holds for the process suits this better than a lease row in
/// the database: it is released the moment the process ends, however it ends
/// (SIGKILL, out of memory, power cut), so a killed recheck never blocks the next
/// one and there is no expiry to tune against slow networks. The holder's pid, host
/// and start time are written to `STORE.recheck-lock` beside the store's resolved
/// path, for the message another run prints.
public final class RecheckLock: Sendable {
    /// The file that names the holder.
    public let path: String
    private let descriptor: Mutex<Int32?>

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    deinit {
        release()
    }

    /// Releases the lock now (it is also released when this object goes, or the process ends).
    public func release() {
        descriptor.withLock { held in
            guard let open = held else { return }
            // Closing the descriptor releases the lock.
            close(open)
            held = nil
        }
    }

    /// The file beside a store that names the holder of its lock.
    public static func path(forStore store: String) -> String {
        StoreFiles.canonical(store) + ".recheck-lock"
    }

    /// Takes the lock for the store at `storePath`, or throws `StoreError` (`.recheckRunning`)
    /// naming the run that holds it.
    ///
    /// - Parameter shared: take it shared, as checker workers do: any number of workers hold it
    ///   together (their leases keep them off each other's items), and a store-wide recheck,
    ///   which takes it exclusive, waits for none of them and runs beside none of them.
    public static func acquire(storePath: String, now: Int64, shared: Bool = false) throws(StoreError) -> RecheckLock {
        let holderPath = path(forStore: storePath)
        #if os(Linux)
        let lockPath = storePath
        let flags = O_RDONLY | O_CLOEXEC
        #else
        let lockPath = holderPath
        let flags = O_RDWR | O_CREAT | O_CLOEXEC
        #endif
        let descriptor = open(lockPath, flags, 0o644)
        guard descriptor >= 0 else {
            throw StoreError(.file, path: lockPath, "cannot open it to take the recheck lock: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 else {
            close(descriptor)
            if shared {
                let holder = Self.holder(at: holderPath) ?? "holder unknown"
                throw StoreError(.recheckRunning, path: storePath,
                                 "a store-wide recheck is running on this store (\(holder)); workers wait for it to finish")
            }
            let holder = Self.holder(at: holderPath) ?? "holder unknown"
            throw StoreError(.recheckRunning, path: storePath,
                             "another recheck is running on this store (\(holder)); "
                             + "let it finish (rechecks from cron or a timer simply skip this turn), or stop it first")
        }
        // Workers holding it shared name nobody: the file names the last store-wide recheck.
        if shared { return RecheckLock(path: holderPath, descriptor: descriptor) }
        // Who holds it, for the message others print; the lock works without it (a store in a
        // directory this user may not write).
        let text = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName), since \(StoreTime.iso(now))\n"
        let info = open(holderPath, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        if info >= 0 {
            ftruncate(info, 0)
            _ = text.withCString { pwrite(info, $0, strlen($0), 0) }
            if info != descriptor { close(info) }
        }
        return RecheckLock(path: holderPath, descriptor: descriptor)
    }

    /// The holder named in the file at `path`, if it names one whose process still runs here.
    private static func holder(at path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), data.count < 1024 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("pid ") else { return nil }
        let pid = Int32(text.dropFirst(4).prefix { $0.isASCII && $0.isNumber }) ?? 0
        if pid > 0, text.contains(" on \(ProcessInfo.processInfo.hostName),"), kill(pid, 0) == -1 && errno == ESRCH { return nil }
        return text
    }
}
