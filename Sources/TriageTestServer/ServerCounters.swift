import Synchronization

/// What the server saw, per host: requests, methods, and how many requests
/// and connections were open at once, so tests can assert politeness from
/// the receiving end.
public final class ServerCounters: Sendable {
    /// The counts for one host name.
    public struct Host: Sendable, Equatable {
        public var requests = 0
        public var requestsByMethod: [String: Int] = [:]
        public var openRequests = 0
        public var maxOpenRequests = 0
        /// Connections whose first request named this host.
        public var openConnections = 0
        public var maxOpenConnections = 0
        public var connections = 0
        /// Body bytes written (the endless and drip bodies included).
        public var bodyBytesSent = 0
    }

    private let state = Mutex<[String: Host]>([:])
    private let paths = Mutex<[String: Int]>([:])

    public init() {}

    /// The counts for `host` so far.
    public func host(_ name: String) -> Host { state.withLock { $0[name] ?? Host() } }

    /// Every host's counts.
    public var all: [String: Host] { state.withLock { $0 } }

    /// Forgets everything, between benchmark runs.
    public func reset() {
        state.withLock { $0 = [:] }
        paths.withLock { $0 = [:] }
    }

    // MARK: - Recording

    /// Counts a request for `host` and `path`; returns how many came before it for that pair.
    func requestStarted(host: String, path: String, method: String) -> Int {
        state.withLock { hosts in
            var counts = hosts[host] ?? Host()
            counts.requests += 1
            counts.requestsByMethod[method, default: 0] += 1
            counts.openRequests += 1
            counts.maxOpenRequests = max(counts.maxOpenRequests, counts.openRequests)
            hosts[host] = counts
        }
        return paths.withLock { seen in
            let earlier = seen[host + path, default: 0]
            seen[host + path] = earlier + 1
            return earlier
        }
    }

    func requestEnded(host: String) {
        state.withLock { $0[host]?.openRequests -= 1 }
    }

    func connectionOpened(host: String) {
        state.withLock { hosts in
            var counts = hosts[host] ?? Host()
            counts.connections += 1
            counts.openConnections += 1
            counts.maxOpenConnections = max(counts.maxOpenConnections, counts.openConnections)
            hosts[host] = counts
        }
    }

    func connectionClosed(host: String) {
        state.withLock { $0[host]?.openConnections -= 1 }
    }

    func sent(bodyBytes: Int, host: String) {
        state.withLock { $0[host]?.bodyBytesSent += bodyBytes }
    }
}
