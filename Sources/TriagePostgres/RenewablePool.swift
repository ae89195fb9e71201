import Synchronization
import PostgresNIO

/// A check queue's connection pool, given up and made again when a call has waited past a
/// deadline.
///
/// After the server cut one of its connections, postgres-nio 1.33's `PostgresClient` was seen
/// to keep an idle connection yet hand it to no waiting request, about one time in four: the
/// worker's heartbeat and recordings then waited for ever, and its stop with them. A call that
/// has not finished within `deadline` now fails (the worker keeps its results and tries again,
/// as after any failed write), and the next call gets a new pool. The old pool is shut down;
/// the call stuck in it is left to end with it.
final class RenewablePool: Sendable {
    private let store: PostgresStore
    private let current: Mutex<(client: PostgresClient, running: Task<Void, Never>)>
    let deadline: Duration

    init(store: PostgresStore, deadline: Duration) {
        self.store = store
        self.deadline = deadline
        current = Mutex(store.makeRunningClient())
    }

    /// The pool calls go to now.
    var client: PostgresClient { current.withLock { $0.client } }

    /// Runs `body` on the current pool, failing with `StalledPool` when it takes longer than the
    /// deadline, in which case the pool is replaced (unless another call replaced it already).
    func call<T: Sendable>(_ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = self.client
        let settled = Mutex(false)
        let settle: @Sendable () -> Bool = { settled.withLock { done in defer { done = true }; return !done } }
        let deadline = self.deadline
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let work = Task {
                do {
                    let value = try await body(client)
                    if settle() { continuation.resume(returning: value) }
                } catch {
                    if settle() { continuation.resume(throwing: error) }
                }
            }
            Task {
                try? await Task.sleep(for: deadline)
                guard settle() else { return }
                work.cancel()
                self.replace(client)
                continuation.resume(throwing: StalledPool(seconds: deadline.components.seconds))
            }
        }
    }

    /// Shuts `stalled` down and makes a new pool, if `stalled` is still the current one.
    private func replace(_ stalled: PostgresClient) {
        let old: Task<Void, Never>? = current.withLock { slot in
            guard slot.client === stalled else { return nil }
            let previous = slot.running
            slot = store.makeRunningClient()
            return previous
        }
        old?.cancel()
    }
}

/// A call to the store that had no answer within the pool's deadline.
struct StalledPool: Error, CustomStringConvertible {
    var seconds: Int64
    var description: String { "the database gave no answer within \(seconds) s; connecting again" }
}
