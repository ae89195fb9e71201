import Foundation
import Synchronization
import TriageKit
import TriageStore

/// The liveness checks the app runs: one at a time, in a task of its own (never on a
/// request's thread), as the store runs them (`WebStore.checkNow`): on SQLite under the
/// store's recheck lock, so a `recheck` or `watch` started from a terminal and the app never
/// check the same store at once; on PostgreSQL as one more worker sharing the due items.
actor CheckRuns {
    /// What a run has done so far, for the progress page.
    struct Progress: Sendable {
        var what: String
        var by: String
        var startedAt = Date()
        var total = 0
        var done = 0
        var tally: [Verdict: Int] = [:]
        var finishedAt: Date?
        var summary: String?
        var failure: String?

        var running: Bool { finishedAt == nil }
        var rate: Double {
            let elapsed = (finishedAt ?? Date()).timeIntervalSince(startedAt)
            return elapsed > 0 ? Double(done) / elapsed : 0
        }
    }

    /// Shared between the run's task and the pages that read its progress.
    final class Tracker: Sendable {
        let state: Mutex<Progress>
        init(_ progress: Progress) { state = Mutex(progress) }
        var snapshot: Progress { state.withLock { $0 } }
    }

    private let store: any WebStore
    private let rules: RuleSet
    private let policy: RecheckPolicy
    private let liveness: LivenessOptions
    private(set) var current: Tracker?
    private var task: Task<Void, Never>?

    init(store: any WebStore, rules: RuleSet, policy: RecheckPolicy, liveness: LivenessOptions) {
        self.store = store
        self.rules = rules
        self.policy = policy
        self.liveness = liveness
    }

    /// The run in progress or the last one, if any.
    var latest: Progress? { current?.snapshot }

    /// Starts checking `keys` (nil: everything due) for `by`; returns a reason when it cannot start.
    func start(keys: [String]?, by: String) async -> String? {
        if let current, current.snapshot.running {
            return "a check is already running (\(current.snapshot.what), started by \(current.snapshot.by)); "
                + "wait for it to finish"
        }
        let checker: LivenessChecker
        do {
            checker = try LivenessChecker(rules: rules, options: liveness)
        } catch {
            return "the checker cannot start: \(error)"
        }
        let total: Int
        if let keys {
            total = Set(keys).count
        } else {
            total = (try? await store.dueCount()) ?? 0
        }
        let what = keys.map { $0.count == 1 ? "1 item" : "\($0.count) items" } ?? "everything due"
        let tracker = Tracker(Progress(what: what, by: by, total: total))
        current = tracker
        let (store, policy, rules) = (store, policy, rules)
        let counting = CountingChecker(base: checker, tracker: tracker)
        task = Task.detached {
            do {
                let summary = try await store.checkNow(keys: keys, checker: counting, policy: policy, rules: rules, by: by)
                tracker.state.withLock {
                    $0.summary = summary.text
                    $0.total = max($0.total, $0.done)
                    $0.finishedAt = Date()
                }
            } catch let error as StoreError {
                tracker.state.withLock {
                    $0.failure = error.message
                    $0.finishedAt = Date()
                }
            } catch {
                tracker.state.withLock {
                    $0.failure = "\(error)"
                    $0.finishedAt = Date()
                }
            }
        }
        return nil
    }

    /// Waits for the run in progress (tests, and a clean shutdown).
    func wait() async {
        await task?.value
    }
}

/// The liveness checker with a count of what came back, for the progress page.
struct CountingChecker: LivenessChecking {
    let base: any LivenessChecking
    let tracker: CheckRuns.Tracker

    func check(_ requests: [CheckRequest]) -> AsyncStream<CheckResult> {
        let upstream = base.check(requests)
        let tracker = tracker
        return AsyncStream { continuation in
            let forwarding = Task {
                for await result in upstream {
                    tracker.state.withLock {
                        $0.done += 1
                        $0.tally[result.verdict, default: 0] += 1
                    }
                    continuation.yield(result)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in forwarding.cancel() }
        }
    }
}
