import PostgresNIO

extension PostgresStore {
    /// Runs `body`'s queries in one read-only snapshot of the store (`REPEATABLE READ`), so
    /// that figures read in several queries agree with each other while ingest and checks
    /// write, as the SQLite store's reads do in one read transaction.
    /// Takes its turn on the store's connection first (`turns`): a second call's transaction
    /// must not start inside this one.
    func inSnapshot<T>(_ body: () async throws -> T) async throws -> T {
        try await turns.run { try await snapshot(body) }
    }

    private func snapshot<T>(_ body: () async throws -> T) async throws -> T {
        try await connection.query("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
        let value: T
        do {
            value = try await body()
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        try await connection.query("COMMIT", logger: logger)
        return value
    }
}
