/// Slows down guessing: after a few failed sign-ins for one account, or from one address,
/// each further attempt must wait longer (doubling, up to 15 minutes). Kept in memory: a
/// restart forgets it, which costs a guesser a restart of the server they cannot cause.
actor LoginThrottle {
    struct Record {
        var failures = 0
        var lastFailure: Double = 0
    }

    /// Failures allowed before any wait.
    let freeAttempts: Int
    /// The longest wait, in seconds.
    let maximumWait: Double
    /// The first wait after the free attempts, in seconds; it doubles with each failure.
    let firstWait: Double
    private var records: [String: Record] = [:]

    init(freeAttempts: Int = 3, firstWait: Double = 2, maximumWait: Double = 900) {
        self.freeAttempts = freeAttempts
        self.firstWait = firstWait
        self.maximumWait = maximumWait
    }

    /// Seconds to wait before `keys` may try again (0: now).
    func wait(for keys: [String], now: Double) -> Int {
        let seconds = keys.compactMap { records[$0] }.map { record -> Double in
            guard record.failures >= freeAttempts else { return 0 }
            let wait = min(maximumWait, Double(1 << min(record.failures - freeAttempts, 20)) * firstWait)
            return max(0, record.lastFailure + wait - now)
        }.max() ?? 0
        return Int(seconds.rounded(.up))
    }

    func failed(_ keys: [String], now: Double) {
        for key in keys {
            records[key, default: Record()].failures += 1
            records[key, default: Record()].lastFailure = now
        }
        // A guesser rotating names must not grow this without bound.
        if records.count > 100_000 {
            records = records.filter { now - $0.value.lastFailure < maximumWait }
        }
    }

    func succeeded(_ keys: [String]) {
        for key in keys { records[key] = nil }
    }

    static func keys(name: String, address: String?) -> [String] {
        ["account:" + name.lowercased()] + (address.map { ["address:" + $0] } ?? [])
    }
}
