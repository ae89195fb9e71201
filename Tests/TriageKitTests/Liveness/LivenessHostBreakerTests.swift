import Foundation
import Testing
@testable import TriageKit

/// A host that accepts connections and never answers is marked down for the
/// run after a few failed attempts, instead of costing every item its own
/// timeouts (issue 13, gap 5).
@Suite(.timeLimit(.minutes(1)))
struct LivenessHostBreakerTests {
    @Test func deadHostCostsOneWaveAndOneProbe() async throws {
        let server = try await LivenessHarness.server()
        let urls = (0..<12).map { "http://one.dead.example/item\($0)" }
        let (results, statistics) = try await LivenessHarness.check(urls, options: LivenessHarness.options(server) {
            $0.timeout = .milliseconds(500)
            $0.retries = 3
            $0.perHost = 4
            $0.hostDownAfter = 4
            $0.hostCooldown = .milliseconds(200)
        })
        #expect(results.count == 12)
        let pattern = /host not answering since \d\d:\d\d:\d\d \(\d+ attempts\)/
        for url in urls {
            let result = try #require(results[url])
            #expect(result.verdict == .error)
            #expect(result.reason.contains(pattern), "\(url): \(result.reason)")
        }
        // Four attempts in the first wave, then the probe (and the few that left
        // while the first wave's failures were coming in): nothing more was sent.
        #expect(statistics.requests <= 9, "\(statistics)")
        #expect(server.counters.host("one.dead.example").requests <= 9)
        #expect(statistics.hostsDown == 1)
        // Without the breaker each of 12 items would wait out 4 timeouts of 0.5 s. The
        // request count above is the check: a bound on elapsed time failed under a full
        // parallel test run (6.4 s on a loaded machine, 1.8 s alone), and speed is measured
        // by Benchmarks/liveness/breaker.sh, not here.
    }

    @Test func hostThatAnswersTheProbeIsBackAndItsItemsAreChecked() async throws {
        let server = try await LivenessHarness.server()
        let urls = (0..<8).map { "http://wakes.example/x?item=\($0)" }
        let (results, statistics) = try await LivenessHarness.check(urls, options: LivenessHarness.options(server) {
            $0.timeout = .milliseconds(500)
            $0.retries = 2
            // One request at a time: with four in flight, under load a retry could be answered
            // (the host wakes at its fifth request) before the fourth timeout was counted, so
            // the streak broke and the host never went down (seen once in a loaded full run).
            $0.perHost = 1
            $0.hostDownAfter = 4
            $0.hostCooldown = .milliseconds(100)
        })
        #expect(statistics.hostsDown == 1)
        #expect(results.count == 8)
        #expect(results.values.allSatisfy { $0.verdict == .live }, "\(results.values.map(\.reason))")
    }

    @Test func turnedOffEachItemWaitsOutItsOwnTimeouts() async throws {
        let server = try await LivenessHarness.server()
        let urls = (0..<4).map { "http://two.dead.example/item\($0)" }
        let (results, statistics) = try await LivenessHarness.check(urls, options: LivenessHarness.options(server) {
            $0.timeout = .milliseconds(300)
            $0.retries = 1
            $0.hostDownAfter = 0
        })
        #expect(statistics.hostsDown == 0)
        #expect(results.count == 4)
        #expect(results.values.allSatisfy { $0.verdict == .error && $0.attempts == 2 && $0.reason.hasPrefix("timed out after 2 attempts") })
        #expect(statistics.requests == 8)
    }

    @Test func breakerCountsOnlyFailuresInARow() {
        var breaker = HostBreaker(threshold: 3)
        #expect(breaker.record(host: 0, job: 1, failed: true, startedAt: 0) == .none)
        #expect(breaker.record(host: 0, job: 2, failed: true, startedAt: 0) == .none)
        #expect(breaker.record(host: 0, job: 3, failed: false, startedAt: 0) == .none)
        #expect(breaker.record(host: 0, job: 4, failed: true, startedAt: 0) == .none)
        #expect(breaker.record(host: 0, job: 5, failed: true, startedAt: 0) == .none)
        #expect(breaker.record(host: 0, job: 6, failed: true, startedAt: 0) == .wentDown)
        #expect(breaker.state(of: 0) == .coolingDown)
        // Another host is not affected.
        #expect(breaker.state(of: 1) == .up)
        breaker.probeStarted(host: 0, job: 7)
        // A late failure of an older attempt is not the probe's verdict.
        #expect(breaker.record(host: 0, job: 5, failed: true, startedAt: 0) == .none)
        #expect(breaker.record(host: 0, job: 7, failed: true, startedAt: 0) == .downForTheRun)
        #expect(breaker.notice(host: 0).hasSuffix("(5 attempts)"))
        var back = HostBreaker(threshold: 1)
        #expect(back.record(host: 0, job: 1, failed: true, startedAt: 0) == .wentDown)
        back.probeStarted(host: 0, job: 2)
        #expect(back.record(host: 0, job: 2, failed: false, startedAt: 0) == .cameBack)
        #expect(back.state(of: 0) == .up)
        #expect(HostBreaker.counts(.timeout) && HostBreaker.counts(.reset) && HostBreaker.counts(.connect))
        #expect(!HostBreaker.counts(.tls) && !HostBreaker.counts(.dns) && !HostBreaker.counts(.refused))
    }
}
