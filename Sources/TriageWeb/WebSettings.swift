public import TriageKit

/// How `urltriage serve` runs: where it listens, what it serves from, how it checks.
public struct WebSettings: Sendable {
    /// The case store: an SQLite file, or a postgres:// URL.
    public var storePath: String
    /// The rules directory (nil: `$URLTRIAGE_RULES`, ./rules, or the one beside the program).
    public var rulesDirectory: String?
    /// The policy file (nil: policy.yaml in the rules directory, else built-in defaults).
    public var policyPath: String?
    public var host = "127.0.0.1"
    public var port = 8080
    /// PEM files; both or neither.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// How the liveness checker connects, as `recheck`'s options set it.
    public var liveness = LivenessOptions()
    /// The largest paste or upload accepted, in bytes.
    public var maxUploadBytes = 16 * 1024 * 1024
    /// How long a sign-in lasts without signing in again.
    public var sessionSeconds: Int64 = 12 * 3600
    /// bcrypt's cost for passwords set through the app (tests lower it).
    public var bcryptCost: UInt8 = 12
    /// Seconds the first slowed-down sign-in waits after repeated failures (doubling after);
    /// tests raise it so a loaded machine's slow requests cannot outlast the wait.
    public var loginFirstWait: Double = 2
    /// Rows per page of the cases list.
    public var pageSize = 50
    /// SQLite's page cache for each of the store's connections, in KiB. Each fills up to it
    /// and stays full for as long as the server runs; pages past it come from the system's
    /// file cache, a copy away.
    public var storeCacheKiB = 8 * 1024
    /// Connections reading the store at once.
    public var storeReaders = 4

    public init(storePath: String) {
        self.storePath = storePath
    }

    /// Cookies carry `Secure` when the app itself speaks TLS.
    public var usesTLS: Bool { tlsCertificate != nil && tlsKey != nil }

    /// True when the address is reachable only from this machine.
    public var listensOnLoopback: Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }

    /// The warning `serve` prints when staff could reach the app over a network without TLS.
    public var exposureWarning: String? {
        guard !listensOnLoopback, !usesTLS else { return nil }
        return "warning: listening on \(host):\(port) without TLS: passwords, session cookies and case data cross the network "
            + "in clear text; give --tls-cert and --tls-key, or put a TLS proxy in front and listen on 127.0.0.1"
    }
}
