public import TriageStore
import PostgresNIO

/// The web app's accounts and sessions on a PostgreSQL store: the rows `SQLiteAccountStore`
/// keeps, with the same checks and messages. Names compare without regard to case, as the
/// SQLite column's `COLLATE NOCASE` (`users_name` is unique on `lower(name)`).
public struct PostgresAccountStore: AccountStore {
    let store: PostgresStore
    var logger: Logger { store.logger }

    public init(store: PostgresStore) {
        self.store = store
    }

    private static let accountColumns = "id, name, role, created_at, created_by, disabled_at"

    /// Runs `body` on the store's shared pool (under its deadline), turning what fails into
    /// the store's error for `doing`; an `AccountError` passes through as it is.
    private func run<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws -> T {
        do {
            return try await store.onSharedPool(body)
        } catch let error as AccountError {
            throw error
        } catch let error as PostgresTransactionError {
            if let account = error.closureError as? AccountError { throw account }
            throw store.failure(error, doing: doing)
        } catch {
            throw store.failure(error, doing: doing)
        }
    }

    private static func accounts(_ rows: PostgresRowSequence) async throws -> [Account] {
        var accounts: [Account] = []
        for try await (id, name, role, created, by, disabled) in rows.decode((Int64, String, String, Int64, String, Int64?).self) {
            accounts.append(Account(id: id, name: name, role: AccountRole(rawValue: role) ?? .viewer, createdAt: created,
                                    createdBy: by, disabledAt: disabled))
        }
        return accounts
    }

    private func accountID(_ name: String, _ connection: PostgresConnection) async throws -> Int64 {
        for try await id in try await connection.query("SELECT id FROM users WHERE lower(name) = lower(\(name))",
                                                       logger: logger).decode(Int64.self) {
            return id
        }
        throw AccountMessages.unknown(name)
    }

    public func add(name: String, role: AccountRole, passwordHash: String, by: String, now: Int64) async throws -> Account {
        try AccountMessages.checkName(name)
        return try await run("adding account \(name)") { client in
            try await client.withTransaction(logger: logger) { connection in
                // The unique index would refuse it too; asked first for the same message as SQLite's.
                for try await _ in try await connection.query("SELECT 1 FROM users WHERE lower(name) = lower(\(name))",
                                                              logger: logger) {
                    throw AccountMessages.taken(name)
                }
                let rows = try await connection.query("""
                    INSERT INTO users (name, role, password_hash, created_at, created_by, password_changed_at)
                    VALUES (\(name), \(role.rawValue), \(passwordHash), \(now), \(by), \(now))
                    RETURNING \(unescaped: Self.accountColumns)
                    """, logger: logger)
                guard let account = try await Self.accounts(rows).first else { throw AccountMessages.unknown(name) }
                return account
            }
        }
    }

    public func list() async throws -> [Account] {
        try await run("listing accounts") { client in
            try await Self.accounts(client.query("""
                SELECT \(unescaped: Self.accountColumns) FROM users ORDER BY lower(name), id
                """, logger: logger))
        }
    }

    public func credentials(name: String) async throws -> (account: Account, passwordHash: String)? {
        try await run("reading account \(name)") { client in
            let rows = try await client.query("""
                SELECT \(unescaped: Self.accountColumns), password_hash FROM users WHERE lower(name) = lower(\(name))
                """, logger: logger)
            for try await (id, name, role, created, by, disabled, hash)
                in rows.decode((Int64, String, String, Int64, String, Int64?, String).self) {
                return (Account(id: id, name: name, role: AccountRole(rawValue: role) ?? .viewer, createdAt: created, createdBy: by,
                                disabledAt: disabled), hash)
            }
            return nil
        }
    }

    public func disable(name: String, now: Int64) async throws {
        try await run("disabling account \(name)") { client in
            try await client.withTransaction(logger: logger) { connection in
                let id = try await accountID(name, connection)
                try await connection.query("UPDATE users SET disabled_at = coalesce(disabled_at, \(now)) WHERE id = \(id)", logger: logger)
                try await connection.query("DELETE FROM web_sessions WHERE user_id = \(id)", logger: logger)
            }
        }
    }

    public func setPassword(name: String, passwordHash: String, now: Int64) async throws {
        try await run("setting the password of \(name)") { client in
            try await client.withTransaction(logger: logger) { connection in
                let id = try await accountID(name, connection)
                try await connection.query("""
                    UPDATE users SET password_hash = \(passwordHash), password_changed_at = \(now), disabled_at = NULL WHERE id = \(id)
                    """, logger: logger)
                try await connection.query("DELETE FROM web_sessions WHERE user_id = \(id)", logger: logger)
            }
        }
    }

    public func openSession(tokenSHA256: String, accountID: Int64, csrfToken: String, address: String?,
                            now: Int64, expiresAt: Int64) async throws {
        try await run("opening a session") { client in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("DELETE FROM web_sessions WHERE expires_at <= \(now)", logger: logger)
                try await connection.query("""
                    INSERT INTO web_sessions (token_sha256, user_id, csrf_token, created_at, expires_at, address)
                    VALUES (\(tokenSHA256), \(accountID), \(csrfToken), \(now), \(expiresAt), \(address))
                    """, logger: logger)
            }
        }
    }

    public func session(tokenSHA256: String, now: Int64) async throws -> AccountSession? {
        try await run("reading a session") { client in
            let rows = try await client.query("""
                SELECT u.id, u.name, u.role, u.created_at, u.created_by, u.disabled_at, s.csrf_token, s.expires_at
                FROM web_sessions s JOIN users u ON u.id = s.user_id
                WHERE s.token_sha256 = \(tokenSHA256) AND s.expires_at > \(now) AND u.disabled_at IS NULL
                """, logger: logger)
            for try await (id, name, role, created, by, disabled, csrf, expires)
                in rows.decode((Int64, String, String, Int64, String, Int64?, String, Int64).self) {
                let account = Account(id: id, name: name, role: AccountRole(rawValue: role) ?? .viewer, createdAt: created,
                                      createdBy: by, disabledAt: disabled)
                return AccountSession(account: account, csrfToken: csrf, expiresAt: expires)
            }
            return nil
        }
    }

    public func closeSession(tokenSHA256: String) async throws {
        try await run("closing a session") { client in
            _ = try await client.query("DELETE FROM web_sessions WHERE token_sha256 = \(tokenSHA256)", logger: logger)
        }
    }
}
