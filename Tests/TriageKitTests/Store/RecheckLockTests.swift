import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// The recheck lock holds the store file, not a name for it.
@Suite("Store: recheck lock")
struct RecheckLockTests {
    @Test("a symlink, a hard link or another spelling of the path does not get past the lock")
    func otherNamesAreRefused() throws {
        let store = try StoreTestSupport.freshStore()
        let directory = (store.path as NSString).deletingLastPathComponent
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.sqlite", withDestinationPath: store.path)
        try FileManager.default.linkItem(atPath: store.path, toPath: directory + "/hard.sqlite")
        let other = try TestSupport.temporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: other + "/dir", withDestinationPath: directory)
        let lock = try RecheckLock.acquire(storePath: store.path, now: StoreTestSupport.noon)
        for name in [directory + "/link.sqlite", directory + "/hard.sqlite", directory + "/./cases.sqlite",
                     other + "/dir/cases.sqlite"] {
            do {
                _ = try RecheckLock.acquire(storePath: name, now: StoreTestSupport.noon)
                Issue.record("a second lock was taken through \(name)")
            } catch {
                #expect(error.kind == .recheckRunning, "\(name): \(error)")
                if !name.hasSuffix("hard.sqlite") {
                    #expect(error.message.contains("pid \(getpid())"), "the holder is named: \(error.message)")
                }
            }
        }
        lock.release()
        // Released: any name takes it now.
        let again = try RecheckLock.acquire(storePath: directory + "/hard.sqlite", now: StoreTestSupport.noon)
        again.release()
    }

    @Test("two rechecks through a symlink and the real path: one runs, the other is refused, no item checked twice")
    func rechecksThroughTwoNames() async throws {
        let store = try StoreTestSupport.freshStore()
        let lines = (0..<40).map { "https://www.tiktok.com/@u/video/73000000000000\(String(format: "%05d", $0))" }
        try StoreTestSupport.ingest(try StoreTestSupport.file("b.txt", lines.joined(separator: "\n") + "\n"), into: store)
        let directory = (store.path as NSString).deletingLastPathComponent
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.sqlite", withDestinationPath: store.path)
        let viaLink = try CaseStore(path: directory + "/link.sqlite")
        let slow = ScriptedChecker(at: StoreTestSupport.noon + 60, pause: .milliseconds(20)) { _ in (.live, nil) }
        async let first = Rechecker(store: store, checker: slow, policy: .defaults, rules: nil)
            .run(RecheckOptions(by: "a"), now: StoreTestSupport.noon + 60)
        try await Task.sleep(for: .milliseconds(100))
        let second = ScriptedChecker(at: StoreTestSupport.noon + 60) { _ in (.live, nil) }
        do {
            _ = try await Rechecker(store: viaLink, checker: second, policy: .defaults, rules: nil)
                .run(RecheckOptions(by: "b"), now: StoreTestSupport.noon + 60)
            Issue.record("a second recheck ran through the symlink")
        } catch {
            #expect((error as? StoreError)?.kind == .recheckRunning, "\(error)")
        }
        #expect(try await first.checked == 40)
        #expect(try store.integer("SELECT count(*) FROM checks") == 40)
    }
}

/// A child spawned from any thread holds a copy of every descriptor until its `exec`, and a
/// copy of a lock's descriptor holds the lock: a recheck started right after another one in
/// the same process was once refused by such a copy ("another recheck is running", naming
/// this very process), in CI, with tests spawning processes beside it. `dup` makes the same
/// copy of the open file description a spawn does.
@Suite("Store: recheck lock and spawned children")
struct RecheckLockSpawnTests {
    private func copyOfDescriptor(_ lock: RecheckLock) throws -> Int32 {
        try #require(lock.descriptor.withLock { held in held.map { dup($0) } })
    }

    @Test("a lock released here and still held by a child's copy of its descriptor is taken once the copy closes")
    func aChildsCopyIsWaitedFor() throws {
        let store = try StoreTestSupport.freshStore()
        let first = try RecheckLock.acquire(storePath: store.path, now: StoreTestSupport.noon)
        let copy = try copyOfDescriptor(first)
        #expect(copy >= 0)
        first.release()
        // The child reaches exec a moment later, which closes its copy.
        let closer = Thread { usleep(150_000); close(copy) }
        closer.start()
        let second = try RecheckLock.acquire(storePath: store.path, now: StoreTestSupport.noon + 60)
        second.release()
    }

    @Test("a lock still held here is refused at once, and a copy that never closes is refused after the grace")
    func realConflictsAreStillRefused() throws {
        let store = try StoreTestSupport.freshStore()
        let held = try RecheckLock.acquire(storePath: store.path, now: StoreTestSupport.noon)
        #expect(throws: StoreError.self) { try RecheckLock.acquire(storePath: store.path, now: StoreTestSupport.noon) }
        let copy = try copyOfDescriptor(held)
        held.release()
        defer { close(copy) }
        do {
            _ = try RecheckLock.acquire(storePath: store.path, now: StoreTestSupport.noon)
            Issue.record("a lock was taken while a copy of the released descriptor still held it")
        } catch {
            #expect(error.kind == .recheckRunning, "\(error)")
        }
    }
}
