import Foundation
import TriageKit
import TriageStore

/// Answers that cost a pass over the store (the escalation list, a count of matching cases)
/// and pages rendered from them, kept until the store changes and shared by the requests
/// that ask at once: fifty staff opening the escalate page make one list and one page, not fifty.
///
/// Each request first asks the store for its version (`WebStore.changeProbe`), which changes with
/// any commit by this server or by any other process (a `mark` or `recheck` from a terminal),
/// and everything made at an older version is forgotten. The version of one probe only
/// grows, so a request that asked a moment before a change may be answered from after it,
/// never the other way round: an answer is always made after its version was read.
///
/// The escalation list also follows the clock (scores grow with age and time past a
/// platform's target), so a list older than `listSeconds` is made again while the old
/// one is still served.
///
/// A list someone asked for in the last `keepMakingSeconds` is made again soon after the
/// store changes (`watch()` asks for the version every `watchSeconds`), not when the next
/// person opens the page: making it takes a pass over the open items (a third of a second
/// and more over a million items), which fifty people would otherwise wait for together.
actor RecentAnswers {
    private struct ListEntry {
        var task: Task<EscalationList, any Error>
        var madeAt: Double
        var refreshing = false
        var askedAt: Double
        var build: @Sendable () async throws -> EscalationList
    }

    /// At most this many pages and counts are kept (each kind); past it they are all forgotten.
    static let keptAnswers = 64

    let listSeconds: Double
    let keepMakingSeconds: Double = 600
    let watchSeconds: Double = 1
    private let changes: any StoreVersionProbe
    private var version: Int64 = .min
    private var lists: [String: ListEntry] = [:]
    private var counts: [String: Task<Int, any Error>] = [:]
    private var pages: [String: Task<SharedPage, any Error>] = [:]
    /// Lists forgotten at a change, to be made again (when asked for, and when each was last asked for).
    private var remake: [String: (Double, @Sendable () async throws -> EscalationList)] = [:]

    init(changes: any StoreVersionProbe, listSeconds: Double = 60) {
        self.changes = changes
        self.listSeconds = listSeconds
    }

    /// The store's version now (outside the actor: the probe waits for the database).
    nonisolated func currentVersion() async throws -> Int64 {
        try await changes.version()
    }

    /// Forgets what was made before the store reached `seen`; the lists asked for lately
    /// are remembered, to be made again once the store is quiet (`watch()`).
    private func catchUp(_ seen: Int64) {
        guard seen > version else { return }
        version = seen
        let now = Date().timeIntervalSince1970
        for (key, entry) in lists where now - entry.askedAt < keepMakingSeconds {
            remake[key] = (entry.askedAt, entry.build)
        }
        lists = [:]
        counts = [:]
        pages = [:]
    }

    /// Follows the store's version until the task is cancelled (`WebServices` ends it). Once
    /// a change is a watch old with no other since (an ingest commits a few times; a list made
    /// between its commits would be thrown away), the lists asked for lately are made again.
    func watch() async {
        var last = Int64.min
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(watchSeconds))
            guard let seen = try? await currentVersion() else { continue }
            catchUp(seen)
            if seen == last { remakeQuietLists() } else { last = seen }
        }
    }

    private func remakeQuietLists() {
        let now = Date().timeIntervalSince1970
        for (key, (askedAt, build)) in remake where lists[key] == nil {
            lists[key] = ListEntry(task: Task.detached { try await build() }, madeAt: now, askedAt: askedAt, build: build)
        }
        remake = [:]
    }

    func list(_ key: String, version seen: Int64, build: @escaping @Sendable () async throws -> EscalationList) async throws -> EscalationList {
        catchUp(seen)
        let now = Date().timeIntervalSince1970
        if var entry = lists[key] {
            entry.askedAt = now
            let old = now - entry.madeAt >= listSeconds && !entry.refreshing
            if old { entry.refreshing = true }
            lists[key] = entry
            if old {
                let madeAt = version
                Task { await self.refresh(key, madeAtVersion: madeAt, startedAt: now, build: build) }
            }
            do {
                return try await entry.task.value
            } catch {
                if lists[key]?.task == entry.task { lists[key] = nil }
                throw error
            }
        }
        let task = Task.detached { try await build() }
        lists[key] = ListEntry(task: task, madeAt: now, askedAt: now, build: build)
        do {
            return try await task.value
        } catch {
            if lists[key]?.task == task { lists[key] = nil }
            throw error
        }
    }

    /// Makes a list again because of its age; the old one is served until the new one is made.
    private func refresh(_ key: String, madeAtVersion: Int64, startedAt: Double,
                         build: @escaping @Sendable () async throws -> EscalationList) async {
        let task = Task.detached { try await build() }
        let made = await task.result
        // A change in the meantime has forgotten the old list and made the next one at the new version.
        guard madeAtVersion == version, let entry = lists[key] else { return }
        switch made {
        case .success: lists[key] = ListEntry(task: task, madeAt: startedAt, askedAt: entry.askedAt, build: build)
        case .failure: lists[key]?.refreshing = false
        }
    }

    func count(_ key: String, version seen: Int64, build: @escaping @Sendable () async throws -> Int) async throws -> Int {
        catchUp(seen)
        if let task = counts[key] { return try await task.value }
        if counts.count >= Self.keptAnswers { counts = [:] }
        let task = Task.detached { try await build() }
        counts[key] = task
        do {
            return try await task.value
        } catch {
            if counts[key] == task { counts[key] = nil }
            throw error
        }
    }

    /// A page as everyone with the same `key` sees it (the key names what it shows and for
    /// which role); each person's own values are filled in by `SharedPage.response(for:)`.
    func page(_ key: String, version seen: Int64, render: @escaping @Sendable () async throws -> SharedPage) async throws -> SharedPage {
        catchUp(seen)
        if let task = pages[key] { return try await task.value }
        if pages.count >= Self.keptAnswers { pages = [:] }
        let task = Task.detached { try await render() }
        pages[key] = task
        do {
            return try await task.value
        } catch {
            if pages[key] == task { pages[key] = nil }
            throw error
        }
    }
}
