internal import CCurl
import Foundation

/// One run of checks, on the engine's own thread: queues every item's
/// requests, starts them as the host scheduler allows, drives libcurl, and
/// turns what comes back into results.
///
/// Everything here belongs to that one thread; the only ways in from
/// elsewhere are `RunControl` (cancel) and the event loop's wake-up.
final class CheckRun {
    private let rules: RuleSet
    private let options: LivenessOptions
    private let continuation: AsyncStream<CheckResult>.Continuation
    private let control: RunControl
    private let multi: UnsafeMutableRawPointer
    private let loop: any EventLoop
    private let settings: TransferSettings
    private let policy: RetryPolicy
    private let classifier: Classifier
    private let judges = JudgePool()
    private let platformRules: [String: PlatformRules]
    private var scheduler: HostScheduler
    private var jobs: [CheckJob] = []
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    private var idle: [Transfer] = []
    /// Jobs whose result is out (or handed to a judge).
    private var settled = 0
    private var lane = 0
    private var statistics = LivenessStatistics()
    private var breaker: HostBreaker

    /// The longest the loop sleeps without a reason to wake, so a cancel is never missed for long.
    private static let idleWait: UInt64 = 500_000_000

    /// Told the run's counts just before the results end, so a consumer that
    /// reads them after the last result sees this run's.
    private let report: @Sendable (LivenessStatistics) -> Void

    init?(rules: RuleSet, options: LivenessOptions, continuation: AsyncStream<CheckResult>.Continuation, control: RunControl,
          report: @escaping @Sendable (LivenessStatistics) -> Void) {
        guard CurlLibrary.ready, let multi = curl_multi_init() else { return nil }
        self.rules = rules
        self.options = options
        self.continuation = continuation
        self.control = control
        self.report = report
        self.multi = multi
        settings = TransferSettings(options: options)
        policy = RetryPolicy(options: options)
        classifier = Classifier(rules: rules)
        var byName: [String: PlatformRules] = [:]
        for platform in rules.platforms { byName[platform.platform] = platform }
        platformRules = byName
        scheduler = HostScheduler(concurrency: options.concurrency, perHost: options.perHost,
                                  interval: options.hostInterval.nanoseconds)
        breaker = HostBreaker(threshold: options.hostDownAfter)
        // Idle connections kept for reuse: enough for every transfer in flight to find one.
        ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(32, options.concurrency * 2))
        loop = EventLoops.make(options.eventLoop, multi: multi)
        control.attach(loop.wakeup)
    }

    // MARK: - The loop

    /// Checks every request, yielding each result as it is decided.
    func run(_ requests: [CheckRequest]) {
        let start = MonotonicTime.now()
        for request in requests { add(request, now: start) }
        while settled < jobs.count && !control.isCancelled {
            startTransfers()
            let now = MonotonicTime.now()
            let wait = min(scheduler.nextDeadline(now: now) ?? Self.idleWait, Self.idleWait)
            loop.wait(maxWait: wait)
            collectFinished()
        }
        shutDown()
        judges.waitUntilIdle()
        statistics.peakInFlight = scheduler.peakInFlight
        report(statistics)
        continuation.finish()
    }

    private func add(_ request: CheckRequest, now: UInt64) {
        let id = jobs.count
        guard let host = Self.hostName(of: request.url) else {
            jobs.append(CheckJob(request: request, isShort: false, phase: .page, url: request.url, host: -1))
            settle(id, CheckResult(key: request.key, url: request.url, verdict: .error,
                                   reason: "not a URL the checker can fetch (only http and https)", elapsedMilliseconds: 0, attempts: 0))
            return
        }
        let isShort = ShortLinks.isShort(request, host: host)
        var job = CheckJob(request: request, isShort: isShort, phase: .page, url: request.url, host: scheduler.host(named: host))
        if !isShort, let probe = platformRules[request.platform]?.liveness?.probe, probe.applies(to: request.type),
           let probeHost = Self.hostName(of: probe.url(for: request.url)) {
            job.phase = .probe(probe)
            job.url = probe.url(for: request.url)
            job.host = scheduler.host(named: probeHost)
        }
        jobs.append(job)
        scheduler.enqueue(job: id, host: job.host, now: now)
    }

    private func startTransfers() {
        let now = MonotonicTime.now()
        while let (id, host) = scheduler.nextStart(now: now) {
            if breaker.state(of: host) == .down {
                // Down for the run: the item ends without a request.
                scheduler.finished(host: host, now: now)
                statistics.itemsOnDownHosts += 1
                advance(id, outcome: hostDownOutcome(host), refusedWait: nil, now: now)
                continue
            }
            jobs[id].attempt += 1
            jobs[id].totalAttempts += 1
            if jobs[id].firstStart == nil { jobs[id].firstStart = now }
            if let reason = settings.proxyGuard?.refusal(url: jobs[id].url) {
                // Through a proxy the open-socket check sees only the proxy, so the target is checked here.
                scheduler.finished(host: host, now: now)
                var outcome = TransferOutcome()
                outcome.failure = .refused
                outcome.refusal = reason
                conclude(id, host: host, outcome: outcome, now: now)
                continue
            }
            guard let transfer = idle.popLast() ?? Transfer(settings: settings),
                  transfer.prepare(url: jobs[id].url, job: id, host: host) else {
                scheduler.finished(host: host, now: now)
                settle(id, result(for: id, verdict: .error, reason: "libcurl could not set up a transfer for this URL", outcome: nil))
                continue
            }
            transfer.startedAt = now
            if breaker.state(of: host) == .coolingDown {
                // The cool-down is over (the scheduler let this one out): this request is the probe.
                breaker.probeStarted(host: host, job: id)
            }
            active[transfer.handle] = transfer
            curl_multi_add_handle(multi, transfer.handle)
            statistics.requests += 1
            if jobs[id].attempt > 1 { statistics.retries += 1 }
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            // Read before removing the handle: the message does not outlive it.
            let code = message.pointee.data.result
            finish(easy, code: code)
        }
    }

    private func shutDown() {
        for (easy, _) in active { curl_multi_remove_handle(multi, easy) }
        active.removeAll()
        control.attach(nil)
        curl_multi_cleanup(multi)
        loop.close()
        idle.removeAll()
        if control.isCancelled {
            // Results not yet out are not coming; the consumer has gone.
            settled = jobs.count
        }
    }

    // MARK: - After a request

    private func finish(_ easy: UnsafeMutableRawPointer, code: CURLcode) {
        guard let transfer = active.removeValue(forKey: easy) else { return }
        curl_multi_remove_handle(multi, easy)
        let now = MonotonicTime.now()
        let outcome = transfer.outcome(code: code, now: now)
        let (id, host) = (transfer.job, transfer.host)
        idle.append(transfer)
        scheduler.finished(host: host, now: now)
        conclude(id, host: host, outcome: outcome, now: now)
    }

    /// Decides what follows an attempt's outcome: a slow-down, a retry, the next phase or the verdict.
    private func conclude(_ id: Int, host: Int, outcome: TransferOutcome, now: UInt64) {
        if heldByBreaker(id, host: host, outcome: outcome, now: now) { return }
        let slowDown = policy.slowDown(after: outcome, hostBackoff: scheduler.backoff(of: host))
        if let slowDown {
            scheduler.slowDown(host: host, for: slowDown.wait, now: now)
            statistics.slowDowns += 1
        } else if outcome.failure == nil, let status = outcome.status, status < 500 {
            scheduler.recovered(host: host, startedAt: now &- outcome.elapsedNanoseconds, now: now)
        }
        switch policy.next(after: outcome, attempt: jobs[id].attempt, slowDown: slowDown) {
        case .retry(let delay):
            scheduler.retry(job: id, host: host, at: now + delay)
        case .giveUp(let seconds):
            advance(id, outcome: outcome, refusedWait: seconds, now: now)
        case .finish:
            advance(id, outcome: outcome, refusedWait: nil, now: now)
        }
    }

    // MARK: - Hosts that do not answer

    /// Tells the breaker how the attempt ended; true when it takes the job:
    /// a failure on a host marked down waits for the probe's verdict, or ends
    /// at once when the host is down for the run.
    private func heldByBreaker(_ id: Int, host: Int, outcome: TransferOutcome, now: UInt64) -> Bool {
        // Anything but a timeout, a reset or a refused connection shows the host
        // answering (a TLS failure too): a probe always decides one way or the other.
        let failed = outcome.failure.map(HostBreaker.counts) ?? false
        let startedAt = Int(time(nil)) - Int(outcome.elapsedNanoseconds / 1_000_000_000)
        switch breaker.record(host: host, job: id, failed: failed, startedAt: startedAt) {
        case .wentDown:
            scheduler.suspend(host: host, until: now + options.hostCooldown.nanoseconds)
            statistics.hostsDown += 1
        case .cameBack:
            scheduler.resume(host: host, now: now)
        case .downForTheRun:
            scheduler.drain(host: host, now: now)
        case .none:
            break
        }
        guard failed else { return false }
        switch breaker.state(of: host) {
        case .up:
            return false
        case .down:
            advance(id, outcome: hostDownOutcome(host), refusedWait: nil, now: now)
            return true
        case .coolingDown, .probing:
            scheduler.retry(job: id, host: host, at: now)
            return true
        }
    }

    private func hostDownOutcome(_ host: Int) -> TransferOutcome {
        var outcome = TransferOutcome()
        outcome.failure = .hostDown
        outcome.failureMessage = breaker.notice(host: host)
        return outcome
    }

    /// Moves a job to its next phase, or to its verdict.
    private func advance(_ id: Int, outcome: TransferOutcome, refusedWait: Int?, now: UInt64) {
        switch jobs[id].phase {
        case .probe(let probe):
            if refusedWait == nil, let verdict = Self.decision(of: probe, outcome) {
                settle(id, probeResult(id, probe: probe, outcome: outcome, verdict: verdict, page: nil))
                return
            }
            jobs[id].notes.append(Self.probeNote(probe, outcome))
            requeue(id, phase: .page, url: jobs[id].request.url, now: now)
        case .page:
            if jobs[id].isShort, refusedWait == nil, let target = resolve(outcome) {
                jobs[id].resolved = target
                jobs[id].notes.append("short link resolved to \(target.key)")
                statistics.shortLinksResolved += 1
                if let probe = platformRules[target.platform]?.liveness?.probe, probe.applies(to: target.type) {
                    jobs[id].pageOutcome = outcome
                    requeue(id, phase: .targetProbe(probe), url: probe.url(for: target.canonical), now: now)
                    return
                }
            }
            judge(id, outcome: outcome, refusedWait: refusedWait, now: now)
        case .targetProbe(let probe):
            let page = jobs[id].pageOutcome ?? outcome
            if refusedWait == nil, let verdict = Self.decision(of: probe, outcome) {
                settle(id, probeResult(id, probe: probe, outcome: outcome, verdict: verdict, page: page))
                return
            }
            jobs[id].notes.append(Self.probeNote(probe, outcome))
            judge(id, outcome: page, refusedWait: nil, now: now)
        }
    }

    private func requeue(_ id: Int, phase: CheckJob.Phase, url: String, now: UInt64) {
        guard let host = Self.hostName(of: url) else {
            settle(id, result(for: id, verdict: .error, reason: "cannot fetch \(url)", outcome: nil))
            return
        }
        jobs[id].phase = phase
        jobs[id].url = url
        jobs[id].attempt = 0
        jobs[id].host = scheduler.host(named: host)
        scheduler.enqueue(job: id, host: jobs[id].host, now: now)
    }

    // MARK: - Results

    private func judge(_ id: Int, outcome: TransferOutcome, refusedWait: Int?, now: UInt64) {
        let job = jobs[id]
        let input = JudgeInput(request: job.request, outcome: outcome, rules: judgingRules(job, outcome),
                               attempts: job.totalAttempts, preface: job.notes.isEmpty ? nil : job.notes.joined(separator: "; "),
                               resolvedKey: job.resolved?.key, elapsedMilliseconds: elapsed(job, now: now),
                               refusedWait: refusedWait, options: options)
        settled += 1
        lane += 1
        judges.submit(input, lane: lane) { [continuation] result in continuation.yield(result) }
    }

    private func settle(_ id: Int, _ result: CheckResult) {
        settled += 1
        continuation.yield(result)
    }

    private func result(for id: Int, verdict: Verdict, reason: String, outcome: TransferOutcome?) -> CheckResult {
        let job = jobs[id]
        return CheckResult(key: job.request.key, url: job.request.url, verdict: verdict, httpStatus: outcome?.status,
                           finalURL: outcome?.finalURL, redirects: outcome?.redirects ?? 0, reason: reason,
                           elapsedMilliseconds: elapsed(job, now: MonotonicTime.now()), resolvedKey: job.resolved?.key,
                           attempts: job.totalAttempts)
    }

    /// A verdict the probe gave; for a short link the final URL stays the page's, where the link led.
    private func probeResult(_ id: Int, probe: LivenessProbe, outcome: TransferOutcome, verdict: Verdict, page: TransferOutcome?) -> CheckResult {
        let job = jobs[id]
        let status = outcome.status.map(String.init) ?? "?"
        var reason = "probe \(job.url.prefix { $0 != "?" }) answered \(status): \(verdict.rawValue) (\(probe.location.brief))"
        if !job.notes.isEmpty { reason = job.notes.joined(separator: "; ") + "; " + reason }
        return CheckResult(key: job.request.key, url: job.request.url, verdict: verdict, httpStatus: outcome.status,
                           finalURL: page?.finalURL ?? outcome.finalURL, redirects: page?.redirects ?? outcome.redirects,
                           reason: reason, elapsedMilliseconds: elapsed(job, now: MonotonicTime.now()),
                           resolvedKey: job.resolved?.key, attempts: job.totalAttempts)
    }

    private func elapsed(_ job: CheckJob, now: UInt64) -> Int {
        guard let first = job.firstStart, now > first else { return 0 }
        return Int((now - first) / 1_000_000)
    }

    // MARK: - Probes, short links, rules

    /// What a probe's answer decides, or nil when the page must decide.
    static func decision(of probe: LivenessProbe, _ outcome: TransferOutcome) -> Verdict? {
        guard outcome.failure == nil, let status = outcome.status, let answer = probe.answers[status] else { return nil }
        return Verdict(rawValue: answer.rawValue)
    }

    static func probeNote(_ probe: LivenessProbe, _ outcome: TransferOutcome) -> String {
        if outcome.failure != nil {
            return "probe failed (\(VerdictJudge.shorten(outcome.failureMessage, limit: 80))), the page decides"
        }
        guard let status = outcome.status else { return "probe gave no answer, the page decides" }
        if probe.answers[status] == .page { return "probe answered \(status): the page decides (\(probe.location.brief))" }
        return "probe answered \(status), which \(probe.location.brief) does not map, the page decides"
    }

    /// The content a short link led to, re-classified; nil when it led
    /// nowhere that names content (still a short link, a login or home page).
    private func resolve(_ outcome: TransferOutcome) -> Classification? {
        guard outcome.failure == nil, outcome.redirects > 0, let finalURL = outcome.finalURL,
              let url = try? WebURL.parse(finalURL), let host = Self.hostName(of: finalURL),
              !ShortLinks.hosts.contains(host),
              let classification = try? classifier.classify(url), classification.type != "short" else { return nil }
        guard classification.platform == "web" || classification.rule != nil else { return nil }
        return classification
    }

    /// Signatures of the platform where the request ended, if it has any; else the item's own.
    private func judgingRules(_ job: CheckJob, _ outcome: TransferOutcome) -> PlatformRules? {
        if let finalURL = outcome.finalURL, let host = Self.hostName(of: finalURL),
           let index = rules.platformIndex(forHost: host), rules.platforms[index].liveness != nil {
            return rules.platforms[index]
        }
        return platformRules[job.request.platform]
    }

    /// The lower-cased host of an http or https URL.
    static func hostName(of url: String) -> String? {
        guard let parsed = try? WebURL.parse(url), parsed.scheme == "http" || parsed.scheme == "https",
              !parsed.host.isEmpty else { return nil }
        return parsed.host
    }
}
