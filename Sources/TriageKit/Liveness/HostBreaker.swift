#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Marks a host down for the run once it has failed attempt after attempt,
/// so that a host which accepts connections and never answers costs one
/// wave of timeouts and one probe, not four timeouts per item.
///
/// A host that failed `threshold` attempts in a row (timeouts, resets,
/// refused connections) cools down: nothing new starts there until the
/// cool-down has passed, and then exactly one request, the probe. Any
/// answer in the meantime (an HTTP status of any kind) brings the host back;
/// a failed probe marks it down for the rest of the run, and its remaining
/// items end as `error` without a request.
struct HostBreaker {
    enum State: Equatable {
        case up
        /// Failed `threshold` attempts in a row; waiting out the cool-down.
        case coolingDown
        /// The probe is in flight.
        case probing(job: Int)
        /// Down for the rest of the run.
        case down
    }

    /// What an attempt's end changed.
    enum Change: Equatable {
        case none, wentDown, cameBack, downForTheRun
    }

    struct Host {
        var state = State.up
        /// Attempts failed in a row.
        var streak = 0
        /// Wall-clock seconds when the first attempt of the streak started.
        var since = 0
    }

    /// Attempts failed in a row that mark a host down; 0 never does.
    let threshold: Int
    private var hosts: [Int: Host] = [:]

    init(threshold: Int) { self.threshold = threshold }

    func state(of host: Int) -> State { hosts[host]?.state ?? .up }

    /// Failures that say the host is not answering: the kind a breaker counts.
    static func counts(_ failure: TransferFailure) -> Bool {
        failure == .timeout || failure == .reset || failure == .connect
    }

    /// The probe is starting as `job`.
    mutating func probeStarted(host: Int, job: Int) {
        hosts[host, default: Host()].state = .probing(job: job)
    }

    /// Records the end of an attempt by `job` on `host`: `failed` when it
    /// failed in a way the breaker counts, else it was answered. `startedAt`
    /// is the attempt's start in wall-clock seconds.
    mutating func record(host: Int, job: Int, failed: Bool, startedAt: Int) -> Change {
        guard threshold > 0 else { return .none }
        var entry = hosts[host] ?? Host()
        defer { hosts[host] = entry }
        guard failed else {
            entry.streak = 0
            guard entry.state != .up, entry.state != .down else { return .none }
            entry.state = .up
            return .cameBack
        }
        if entry.streak == 0 { entry.since = startedAt }
        entry.streak += 1
        switch entry.state {
        case .up where entry.streak >= threshold:
            entry.state = .coolingDown
            return .wentDown
        case .probing(let probe) where probe == job:
            entry.state = .down
            return .downForTheRun
        default:
            return .none
        }
    }

    /// What the remaining items of a down host are told.
    func notice(host: Int) -> String {
        let entry = hosts[host] ?? Host()
        return "host not answering since \(Self.clock(entry.since)) (\(entry.streak) \(entry.streak == 1 ? "attempt" : "attempts"))"
    }

    /// `HH:MM:SS` in local time.
    static func clock(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        let pad = { (n: Int32) in n < 10 ? "0\(n)" : "\(n)" }
        return "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))"
    }
}
