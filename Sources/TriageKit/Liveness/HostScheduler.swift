/// Decides which queued request starts next, politely: at most
/// `concurrency` in flight, at most `perHost` per host name, and at least
/// the host interval between two starts on one host. A host that answered
/// 429 or 503 waits as long as it asked (or a doubling wait), with half as
/// many requests in flight as before (at least one), and climbs back to
/// `perHost`, one more after each answer to a request sent since.
///
/// Requests wait here, not inside libcurl, so that time spent queued never
/// counts against a transfer's timeout (the pitfall of
/// `CURLMOPT_MAX_HOST_CONNECTIONS`, which queues inside libcurl after the
/// clock has started).
struct HostScheduler {
    struct Host {
        let name: String
        /// Jobs waiting to start, oldest first.
        var pending = FIFO()
        /// Jobs coming back for another attempt start before new ones.
        var retrying = FIFO()
        var inFlight = 0
        /// The earliest time the next request may start.
        var nextStart: UInt64 = 0
        /// The last wait after 429/503, in nanoseconds, doubled by the next
        /// one without a Retry-After; 0 once the host is back at `perHost`.
        var backoff: UInt64 = 0
        /// Requests allowed in flight: `perHost`, or fewer while climbing back after a 429/503.
        var window: Int
        /// When the last slow-down began: only answers to requests sent since widen the window.
        var slowedAt: UInt64 = 0
        /// Whether the host is in `ready` or `hostTimers` already.
        var scheduled = false
        /// Marked down and cooling: one request at a time (the probe), after the cool-down.
        var probeOnly = false
        /// Down for the run: its jobs go out at once, to be ended without a request.
        var draining = false

        var hasWork: Bool { !pending.isEmpty || !retrying.isEmpty }
    }

    let concurrency: Int
    let perHost: Int
    let interval: UInt64
    private(set) var hosts: [Host] = []
    private var hostIndex: [String: Int] = [:]
    /// Hosts that may start a request now, in turn.
    private var ready = FIFO()
    /// Hosts waiting for their interval or slow-down to pass.
    private var hostTimers = TimerHeap()
    /// Jobs waiting to be retried: (deadline, job); `retryHosts` says where they go.
    private var retryTimers = TimerHeap()
    private var retryHosts: [Int: Int] = [:]
    private(set) var inFlight = 0
    private(set) var peakInFlight = 0

    init(concurrency: Int, perHost: Int, interval: UInt64) {
        self.concurrency = concurrency
        self.perHost = perHost
        self.interval = interval
    }

    /// The host number for a host name, created on first use.
    mutating func host(named name: String) -> Int {
        if let index = hostIndex[name] { return index }
        hosts.append(Host(name: name, window: perHost))
        hostIndex[name] = hosts.count - 1
        return hosts.count - 1
    }

    func backoff(of host: Int) -> UInt64 { hosts[host].backoff }

    // MARK: - Queueing

    /// Queues a job behind the host's other waiting jobs.
    mutating func enqueue(job: Int, host: Int, now: UInt64) {
        hosts[host].pending.append(job)
        schedule(host, now: now)
    }

    /// Queues a job for another attempt at `deadline`, ahead of the host's new jobs.
    mutating func retry(job: Int, host: Int, at deadline: UInt64) {
        retryHosts[job] = host
        retryTimers.push(deadline, job)
    }

    /// The next job to start now, counted as in flight; nil when none may start yet.
    mutating func nextStart(now: UInt64) -> (job: Int, host: Int)? {
        while let job = retryTimers.popDue(now) {
            guard let host = retryHosts.removeValue(forKey: job) else { continue }
            hosts[host].retrying.append(job)
            schedule(host, now: now)
        }
        while let host = hostTimers.popDue(now) {
            hosts[host].scheduled = false
            schedule(host, now: now)
        }
        while inFlight < concurrency, let host = ready.popFirst() {
            hosts[host].scheduled = false
            guard hosts[host].hasWork, hosts[host].inFlight < limit(host) else { continue }
            guard hosts[host].nextStart <= now else {
                schedule(host, now: now)
                continue
            }
            let job = hosts[host].retrying.popFirst() ?? hosts[host].pending.popFirst()!
            hosts[host].inFlight += 1
            inFlight += 1
            peakInFlight = max(peakInFlight, inFlight)
            hosts[host].nextStart = hosts[host].draining ? now : now + interval
            schedule(host, now: now)
            return (job, host)
        }
        return nil
    }

    /// A request to `host` is no longer in flight.
    mutating func finished(host: Int, now: UInt64) {
        hosts[host].inFlight -= 1
        inFlight -= 1
        schedule(host, now: now)
    }

    /// The host answered 429 or 503: nothing more starts there for `wait`, and
    /// half as many at a time after (a multiplicative decrease; repeated
    /// 429s bring it down to one at a time).
    mutating func slowDown(host: Int, for wait: UInt64, now: UInt64) {
        hosts[host].backoff = wait
        hosts[host].window = max(1, hosts[host].window / 2)
        hosts[host].slowedAt = now
        hosts[host].nextStart = max(hosts[host].nextStart, now + wait)
    }

    /// The host answered a request that started at `startedAt`: if it was sent
    /// after the last slow-down began, one more request may be in flight, up to
    /// `perHost` (an additive increase, as TCP's congestion window climbs back).
    mutating func recovered(host: Int, startedAt: UInt64, now: UInt64) {
        guard hosts[host].window < perHost else { return }
        guard startedAt >= hosts[host].slowedAt else { return }
        hosts[host].window += 1
        if hosts[host].window >= perHost { hosts[host].backoff = 0 }
        schedule(host, now: now)
    }

    /// The host is marked down: nothing starts there before `until`, and then one request at a time.
    mutating func suspend(host: Int, until: UInt64) {
        hosts[host].probeOnly = true
        hosts[host].nextStart = max(hosts[host].nextStart, until)
    }

    /// The host answers again: its usual limits apply.
    mutating func resume(host: Int, now: UInt64) {
        hosts[host].probeOnly = false
        schedule(host, now: now)
    }

    /// The host is down for the run: every job for it is let out at once, so
    /// the run can end each without a request.
    mutating func drain(host: Int, now: UInt64) {
        hosts[host].probeOnly = false
        hosts[host].draining = true
        hosts[host].nextStart = 0
        schedule(host, now: now)
    }

    /// Nanoseconds from `now` until a waiting host or retry is due; nil when nothing waits on time.
    func nextDeadline(now: UInt64) -> UInt64? {
        let times = [hostTimers.next, retryTimers.next].compactMap { $0 }
        return times.min().map { $0 > now ? $0 - now : 0 }
    }

    // MARK: - Helpers

    private func limit(_ host: Int) -> Int {
        if hosts[host].draining { return Int.max }
        return hosts[host].probeOnly ? 1 : hosts[host].window
    }

    /// Puts a host with work and room in `ready`, or on a timer until its next start.
    private mutating func schedule(_ host: Int, now: UInt64) {
        guard !hosts[host].scheduled, hosts[host].hasWork, hosts[host].inFlight < limit(host) else { return }
        hosts[host].scheduled = true
        if hosts[host].nextStart <= now {
            ready.append(host)
        } else {
            hostTimers.push(hosts[host].nextStart, host)
        }
    }
}
