import Foundation
internal import GRDB

/// What a person signed in to the web app may do.
public enum AccountRole: String, Sendable, CaseIterable, Codable {
    /// Manages accounts, and does everything a caseworker does.
    case admin
    /// Works cases: ingests, checks, marks, escalates.
    case caseworker
    /// Reads everything, changes nothing.
    case viewer

    /// Whether this role may change cases (ingest, mark, check, escalate).
    public var changesCases: Bool { self != .viewer }
}

/// One account of the web app.
public struct Account: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var role: AccountRole
    public var createdAt: Int64
    public var createdBy: String
    public var disabledAt: Int64?

    public init(id: Int64, name: String, role: AccountRole, createdAt: Int64, createdBy: String, disabledAt: Int64?) {
        self.id = id
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.disabledAt = disabledAt
    }

    init(row: Row) {
        id = row["id"]
        name = row["name"]
        role = AccountRole(rawValue: row["role"]) ?? .viewer
        createdAt = row["created_at"]
        createdBy = row["created_by"]
        disabledAt = row["disabled_at"]
    }
}

/// A signed-in browser as the store keeps it.
public struct AccountSession: Sendable, Equatable {
    public var account: Account
    /// The token every form of this session carries (CSRF).
    public var csrfToken: String
    public var expiresAt: Int64

    public init(account: Account, csrfToken: String, expiresAt: Int64) {
        self.account = account
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}

/// A change to accounts that cannot be made as asked.
public struct AccountError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Accounts and sessions of the web app, in the store (`v5-accounts`), whichever database
/// holds it: `SQLiteAccountStore` and TriagePostgres's `PostgresAccountStore` keep the same
/// rows. Passwords arrive already hashed: hashing (bcrypt) belongs to the web layer, which
/// also checks them. Each store hands out its own (`CaseStoreBackend.accounts`).
public protocol AccountStore: Sendable {
    /// Adds an account; throws `AccountError` when the name is taken or unusable.
    func add(name: String, role: AccountRole, passwordHash: String, by: String, now: Int64) async throws -> Account
    /// Every account, by name.
    func list() async throws -> [Account]
    /// The account named `name` (any case) and its password hash, if it exists (disabled or not).
    func credentials(name: String) async throws -> (account: Account, passwordHash: String)?
    /// Disables an account and signs it out everywhere.
    func disable(name: String, now: Int64) async throws
    /// Sets a new password hash (and enables a disabled account again); signs the account out everywhere.
    func setPassword(name: String, passwordHash: String, now: Int64) async throws
    /// Records a session for `accountID`, known by the SHA-256 of its cookie token; expired
    /// sessions go whenever someone signs in, so the table stays as small as the team.
    func openSession(tokenSHA256: String, accountID: Int64, csrfToken: String, address: String?,
                     now: Int64, expiresAt: Int64) async throws
    /// The live session with this token hash and its enabled account; nil when there is none,
    /// it expired, or the account was disabled.
    func session(tokenSHA256: String, now: Int64) async throws -> AccountSession?
    /// Ends a session (sign out).
    func closeSession(tokenSHA256: String) async throws
}

/// The messages both account stores give, said once.
public enum AccountMessages {
    public static func taken(_ name: String) -> AccountError {
        AccountError("an account named '\(name)' exists already; choose another name, or `urltriage user passwd \(name)`")
    }

    public static func unknown(_ name: String) -> AccountError {
        AccountError("no account named '\(name)'; `urltriage user list` shows them")
    }

    /// Names are what marks record as `by`: printable, no spaces at the ends, short.
    public static func checkName(_ name: String) throws(AccountError) {
        guard !name.isEmpty, name.count <= 64, name == name.trimmingCharacters(in: .whitespaces) else {
            throw AccountError("an account name has 1 to 64 characters and no spaces at either end")
        }
        guard name.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control }) else {
            throw AccountError("an account name cannot hold control characters")
        }
    }
}

/// The accounts of an SQLite store.
public struct SQLiteAccountStore: AccountStore {
    let store: CaseStore

    public init(store: CaseStore) {
        self.store = store
    }

    private static let accountColumns = "id, name, role, created_at, created_by, disabled_at"

    // MARK: - Accounts

    /// Adds an account; throws `AccountError` when the name is taken or unusable.
    public func add(name: String, role: AccountRole, passwordHash: String, by: String, now: Int64) async throws -> Account {
        try AccountMessages.checkName(name)
        return try await store.pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE name = ?", arguments: [name]) == true {
                throw AccountMessages.taken(name)
            }
            try db.execute(sql: """
                INSERT INTO users (name, role, password_hash, created_at, created_by, password_changed_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [name, role.rawValue, passwordHash, now, by, now])
            return try Row.fetchOne(db, sql: "SELECT \(Self.accountColumns) FROM users WHERE id = ?",
                                    arguments: [db.lastInsertedRowID]).map(Account.init(row:))!
        }
    }

    /// Every account, by name.
    public func list() async throws -> [Account] {
        try await store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.accountColumns) FROM users ORDER BY name").map(Account.init(row:))
        }
    }

    /// The account named `name` and its password hash, if it exists (disabled or not).
    public func credentials(name: String) async throws -> (account: Account, passwordHash: String)? {
        try await store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.accountColumns), password_hash FROM users WHERE name = ?",
                             arguments: [name]).map { (Account(row: $0), $0["password_hash"]) }
        }
    }

    /// Disables an account and signs it out everywhere.
    public func disable(name: String, now: Int64) async throws {
        try await store.pool.write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE name = ?", arguments: [name]) else {
                throw AccountMessages.unknown(name)
            }
            try db.execute(sql: "UPDATE users SET disabled_at = coalesce(disabled_at, ?) WHERE id = ?", arguments: [now, id])
            try db.execute(sql: "DELETE FROM web_sessions WHERE user_id = ?", arguments: [id])
        }
    }

    /// Sets a new password hash (and enables a disabled account again); signs the account out everywhere.
    public func setPassword(name: String, passwordHash: String, now: Int64) async throws {
        try await store.pool.write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE name = ?", arguments: [name]) else {
                throw AccountMessages.unknown(name)
            }
            try db.execute(sql: "UPDATE users SET password_hash = ?, password_changed_at = ?, disabled_at = NULL WHERE id = ?",
                           arguments: [passwordHash, now, id])
            try db.execute(sql: "DELETE FROM web_sessions WHERE user_id = ?", arguments: [id])
        }
    }

    // MARK: - Sessions

    /// Records a session for `accountID`, known by the SHA-256 of its cookie token.
    public func openSession(tokenSHA256: String, accountID: Int64, csrfToken: String, address: String?,
                            now: Int64, expiresAt: Int64) async throws {
        try await store.pool.write { db in
            // Expired sessions go whenever someone signs in: the table stays as small as the team.
            try db.execute(sql: "DELETE FROM web_sessions WHERE expires_at <= ?", arguments: [now])
            try db.execute(sql: """
                INSERT INTO web_sessions (token_sha256, user_id, csrf_token, created_at, expires_at, address)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [tokenSHA256, accountID, csrfToken, now, expiresAt, address])
        }
    }

    /// The live session with this token hash and its enabled account; nil when there is none,
    /// it expired, or the account was disabled.
    public func session(tokenSHA256: String, now: Int64) async throws -> AccountSession? {
        try await store.pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT u.id, u.name, u.role, u.created_at, u.created_by, u.disabled_at, s.csrf_token, s.expires_at
                FROM web_sessions s JOIN users u ON u.id = s.user_id
                WHERE s.token_sha256 = ? AND s.expires_at > ? AND u.disabled_at IS NULL
                """, arguments: [tokenSHA256, now]).map { row in
                AccountSession(account: Account(row: row), csrfToken: row["csrf_token"], expiresAt: row["expires_at"])
            }
        }
    }

    /// Ends a session (sign out).
    public func closeSession(tokenSHA256: String) async throws {
        try await store.pool.write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE token_sha256 = ?", arguments: [tokenSHA256])
        }
    }
}
