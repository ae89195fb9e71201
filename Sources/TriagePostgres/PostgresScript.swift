import PostgresNIO

extension PostgresConnection {
    /// Runs statements separated by semicolons, one after another (postgres-nio sends each
    /// query as a prepared statement, which holds one). Only for this module's own SQL, whose
    /// statements hold no semicolon of their own.
    func script(_ sql: String) async throws {
        var logger = Logger(label: "urltriage.postgres")
        logger.logLevel = .critical
        for statement in sql.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
            try await query(PostgresQuery(unsafeSQL: String(statement)), logger: logger)
        }
    }
}
