import Foundation

/// How the liveness checker behaves: limits, politeness, timeouts and safety.
///
/// The defaults follow what mature link checkers settled on (lychee): a few
/// requests per host, a pause between them, doubling waits on 429/503, and
/// no retries for failures that will not heal (DNS, refused connections).
public struct LivenessOptions: Sendable {
    /// Transfers in flight at once, over all hosts.
    public var concurrency = 64
    /// Transfers in flight at once to one host name.
    public var perHost = 4
    /// The least time between two request starts on one host.
    public var hostInterval: Duration = .milliseconds(50)
    /// Body bytes read to match signatures; the transfer is stopped there.
    public var maxBodyBytes = 256 * 1024
    /// Time to set up a connection (DNS, TCP, TLS).
    public var connectTimeout: Duration = .seconds(10)
    /// Time for one whole attempt, from the moment it leaves the queue.
    public var timeout: Duration = .seconds(30)
    /// A transfer slower than `lowSpeedBytes` per second for `lowSpeedTime` is given up.
    public var lowSpeedBytes = 64
    public var lowSpeedTime: Duration = .seconds(10)
    /// Further attempts after a timeout, a reset connection, a 5xx or a 429.
    public var retries = 3
    /// The first wait before a retry; it doubles each time, with jitter.
    public var retryDelay: Duration = .seconds(1)
    /// The longest wait before one retry.
    public var retryDelayCap: Duration = .seconds(30)
    /// The first slow-down of a host that answered 429 or 503; it doubles while they go on.
    public var rateLimitDelay: Duration = .milliseconds(500)
    /// The longest slow-down of a host without a Retry-After.
    public var rateLimitDelayCap: Duration = .seconds(30)
    /// The longest Retry-After (or X-RateLimit-Reset) honoured; beyond it the check gives up as `unknown`.
    public var retryAfterCap: Duration = .seconds(60)
    /// Attempts failed in a row (timeouts, resets, refused connections) that mark a host down for the run; 0 never does.
    public var hostDownAfter = 4
    /// How long a host marked down waits before one probe decides whether it is back.
    public var hostCooldown: Duration = .seconds(5)
    /// Redirects followed before the check gives up (curl's CURLOPT_MAXREDIRS).
    public var maxRedirects = 10
    /// Connect to loopback, private, link-local, CGNAT and multicast addresses too (tests, local demos).
    public var allowPrivate = false
    /// A PEM file of certificate authorities to trust instead of the system's.
    public var caCertificate: String?
    /// Send every request through this proxy (`http://host:port`, `socks5h://…`). Environment proxies are ignored.
    public var proxy: String?
    /// The User-Agent header.
    public var userAgent = "urltriage/\(TriageKit.version) (liveness check for an online-safety helpline)"
    /// curl's `--connect-to` entries, `HOST:PORT:ADDR:PORT`; an empty HOST or PORT matches any.
    public var connectTo: [String] = []
    /// Which event loop drives libcurl.
    public var eventLoop: EventLoopKind = .standard

    public init() {}

    /// Checks the values a person can get wrong, with a message saying which and how.
    public func validate() throws(LivenessOptionsError) {
        guard concurrency >= 1 else { throw LivenessOptionsError("--concurrency must be at least 1 (got \(concurrency))") }
        guard perHost >= 1 else { throw LivenessOptionsError("--per-host must be at least 1 (got \(perHost))") }
        guard maxBodyBytes >= 0 else { throw LivenessOptionsError("--max-body must not be negative") }
        guard retries >= 0 && retries <= 10 else { throw LivenessOptionsError("--retries must be between 0 and 10 (got \(retries))") }
        guard timeout > .zero, connectTimeout > .zero else { throw LivenessOptionsError("timeouts must be longer than zero") }
        guard hostDownAfter >= 0 else { throw LivenessOptionsError("--host-down-after must not be negative (0 turns it off)") }
        guard hostCooldown >= .zero else { throw LivenessOptionsError("--host-cooldown must not be negative") }
        guard hostInterval >= .zero else { throw LivenessOptionsError("--host-interval must not be negative") }
        for entry in connectTo { try ConnectToSpec.validate(entry) }
        if let caCertificate, !FileManager.default.isReadableFile(atPath: caCertificate) {
            throw LivenessOptionsError("--cacert \(caCertificate): no such readable file")
        }
        if let proxy {
            let lowered = proxy.lowercased()
            let schemes = ["http://", "https://", "socks4://", "socks4a://", "socks5://", "socks5h://"]
            guard schemes.contains(where: { lowered.hasPrefix($0) }) else {
                throw LivenessOptionsError("--proxy \(proxy): give a URL such as http://proxy.example:3128 or socks5h://127.0.0.1:9050")
            }
        }
    }
}

/// Which event loop drives libcurl's multi interface.
public enum EventLoopKind: String, Sendable, CaseIterable {
    /// Socket-action with epoll on Linux: libcurl is told only about the
    /// sockets that have events, so the cost of a wake-up does not grow with
    /// the number of transfers in flight. Falls back to `poll` elsewhere.
    case socketAction = "epoll"
    /// `curl_multi_poll` + `curl_multi_perform`: simpler, but every wake-up
    /// walks every transfer.
    case poll

    /// socket-action where epoll exists.
    public static var standard: EventLoopKind {
        #if os(Linux)
        .socketAction
        #else
        .poll
        #endif
    }
}

/// A liveness option that cannot be used, with what to do instead.
public struct LivenessOptionsError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Duration {
    /// Whole nanoseconds, clamped at zero, for the engine's monotonic clock.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }

    /// Whole milliseconds, at least 1, as libcurl's timeouts take them.
    var curlMilliseconds: Int {
        max(1, Int(nanoseconds / 1_000_000))
    }
}
