import Dispatch

/// Runs blocking SQLite work (GRDB's synchronous reads and writes, an ingest) on a Dispatch
/// queue and waits for it without holding a thread of Swift's cooperative pool, which the
/// web app's requests share: the async calls of `CaseStoreBackend` and `WebStore` on an
/// SQLite store go through here.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}
