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
///
/// One catch with a lock on a descriptor: a child this process spawns (the web app's
/// tools, a test's subprocess, from any thread) holds a copy of every descriptor from
/// the spawn until its `exec` closes them, and a copy holds the lock too. A lock this
/// process has just released can so stay held for the few milliseconds a child takes
/// to reach `exec`, and a second recheck started at once in the same process would be
/// refused, naming this very process, though no recheck runs (it failed CI once). `acquire` therefore waits out that window,
/// and only that window: when this process holds no lock on the file and released
/// one within `spawnGrace`.
public final class RecheckLock: Sendable {
    /// The file that names the holder.
    public let path: String
    let descriptor: Mutex<Int32?>
    private let file: FileID

    /// How long after this process released a lock on a file a conflict is taken for a
    /// spawned child's copy of the released descriptor, which its `exec` closes.
    static let spawnGrace: Duration = .seconds(2)

    private init(path: String, descriptor: Int32, file: FileID) {
        self.path = path
        self.descriptor = Mutex(descriptor)
        self.file = file
    }

    deinit {
        release()
    }

    /// Releases the lock now (it is also released when this object goes, or the process ends).
    public func release() {
        descriptor.withLock { held in
            guard let open = held else { return }
            held = nil
            // Closing the descriptor releases the lock; under the table's lock, so that an
            // `acquire` sees the release and its record together or neither.
            Self.heldHere.withLock { table in
                close(open)
                table.released(file)
            }
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
        let file = FileID(descriptor)
        guard lock(descriptor, shared: shared, file: file) else {
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
        if shared { return RecheckLock(path: holderPath, descriptor: descriptor, file: file) }
        // Who holds it, for the message others print; the lock works without it (a store in a
        // directory this user may not write).
        let text = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName), since \(StoreTime.iso(now))\n"
        let info = open(holderPath, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        if info >= 0 {
            ftruncate(info, 0)
            _ = text.withCString { pwrite(info, $0, strlen($0), 0) }
            if info != descriptor { close(info) }
        }
        return RecheckLock(path: holderPath, descriptor: descriptor, file: file)
    }

    /// Takes the `flock`, and counts it as held here; false when another holder has it.
    ///
    /// A conflict while this process holds no lock on the file, within `spawnGrace` of
    /// releasing one, is retried until the grace ends: the holder is then most likely a
    /// spawned child's copy of the released descriptor (see the type's comment).
    private static func lock(_ descriptor: Int32, shared: Bool, file: FileID) -> Bool {
        enum Attempt { case taken, refused, retry(until: ContinuousClock.Instant) }
        let operation = (shared ? LOCK_SH : LOCK_EX) | LOCK_NB
        while true {
            // Under the table's lock, so that the try and the look at the table see the
            // same releases.
            let attempt: Attempt = heldHere.withLock { table in
                if flock(descriptor, operation) == 0 {
                    table.acquired(file)
                    return .taken
                }
                return table.graceEnd(file, now: .now).map { .retry(until: $0) } ?? .refused
            }
            switch attempt {
            case .taken: return true
            case .refused: return false
            case .retry(let end):
                guard ContinuousClock.now < end else { return false }
                usleep(5_000)
            }
        }
    }

    /// The locks this process holds, and when it last released one, per file.
    private static let heldHere = Mutex(HeldLocks())

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

/// A file by device and inode: what `flock` locks, whatever the name it was opened by.
struct FileID: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64

    init(_ descriptor: Int32) {
        var status = stat()
        if fstat(descriptor, &status) == 0 {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        } else {
            (device, inode) = (0, 0)
        }
    }
}

/// Per file, the recheck locks this process holds and when it last released one.
struct HeldLocks: Sendable {
    private var files: [FileID: (held: Int, releasedAt: ContinuousClock.Instant?)] = [:]

    mutating func acquired(_ file: FileID) {
        files[file, default: (0, nil)].held += 1
    }

    mutating func released(_ file: FileID) {
        let now = ContinuousClock.now
        let record = files[file, default: (1, nil)]
        files[file] = (max(0, record.held - 1), now)
        // Files whose grace has ended are forgotten, so a long-lived web app's table stays small.
        files = files.filter { $0.value.held > 0 || ($0.value.releasedAt.map { $0 + RecheckLock.spawnGrace > now } ?? false) }
    }

    /// Until when a conflict on `file` is worth retrying: the end of the spawn grace after
    /// this process's last release, if it holds none now; nil for a conflict to report now.
    func graceEnd(_ file: FileID, now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard let record = files[file], record.held == 0, let released = record.releasedAt else { return nil }
        let end = released + RecheckLock.spawnGrace
        return end > now ? end : nil
    }
}
