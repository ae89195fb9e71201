import PostgresNIO

extension PostgresStore {
    /// Runs `body` on the pool the web app's requests, accounts and marks share, made on first
    /// use and closed with the store.
    ///
    /// The pool is a `RenewablePool`: a call with no answer within `sharedDeadline` fails
    /// (the page shows the store's error) and the next call gets a new pool. Without it, a pool
    /// wedged after the server cut a connection (as postgres-nio 1.33 was seen to do to
    /// workers) would hold every later request of the web server until it was restarted.
    func onSharedPool<T: Sendable>(_ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let pool = shared.withLock { pool in
            if let pool { return pool }
            let made = RenewablePool(store: self, deadline: sharedDeadline.withLock { $0 })
            pool = made
            return made
        }
        return try await pool.call(body)
    }
}
