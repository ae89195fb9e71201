internal import GRDB

extension StoreSchema {
    // MARK: - v5: the web app's accounts and sessions

    /// Accounts and sessions live in the store, beside the cases they give access to: a backup
    /// of the store keeps who may work it, and every mark's `by` names an account here.
    static func addAccounts(_ db: Database) throws {
        try db.execute(sql: """
            -- One person who signs in to `urltriage serve`. A disabled account is kept (marks name
            -- it) but cannot sign in, and its sessions are deleted when it is disabled.
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                role TEXT NOT NULL CHECK (role IN ('admin', 'caseworker', 'viewer')),
                password_hash TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                password_changed_at INTEGER NOT NULL,
                disabled_at INTEGER
            );

            -- A signed-in browser. The cookie carries a random token; only its SHA-256 is kept, so
            -- a copy of the store (a backup) holds nothing that signs anyone in.
            CREATE TABLE web_sessions (
                token_sha256 TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id),
                csrf_token TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                address TEXT
            ) WITHOUT ROWID;
            CREATE INDEX web_sessions_user ON web_sessions(user_id);
            CREATE INDEX web_sessions_expiry ON web_sessions(expires_at);
            """)
    }
}
