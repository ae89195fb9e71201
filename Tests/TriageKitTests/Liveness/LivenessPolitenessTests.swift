import Foundation
import Testing
@testable import TriageKit

/// Retries, rate limits and per-host limits, seen from both ends.
@Suite(.timeLimit(.minutes(1)))
struct LivenessPolitenessTests {
    @Test func serverErrorsAreRetried() async throws {
        let result = try await LivenessHarness.check("http://flaky.example/twice")
        #expect(result.verdict == .live)
        #expect(result.attempts == 3)
    }

    @Test func persistentServerErrorIsUnknownAfterRetries() async throws {
        let result = try await LivenessHarness.check("http://error.example/") { $0.retries = 1 }
        #expect(result.verdict == .unknown)
        #expect(result.attempts == 2)
        #expect(result.reason.contains("server error after 2 attempts"))
    }

    @Test(arguments: ["/once", "/date", "/unavailable"])
    func retryAfterIsHonoured(path: String) async throws {
        let server = try await LivenessHarness.server()
        let (results, statistics) = try await LivenessHarness.check(
            ["http://ratelimit.example" + path], options: LivenessHarness.options(server))
        let result = try #require(results["http://ratelimit.example" + path])
        #expect(result.verdict == .live)
        #expect(result.attempts == 2)
        #expect(statistics.slowDowns == 1)
    }

    @Test func rateLimitedToTheEndIsUnknown() async throws {
        let result = try await LivenessHarness.check("http://ratelimit.example/always") { $0.retries = 1 }
        #expect(result.verdict == .unknown)
        #expect(result.httpStatus == 429)
    }

    @Test func retryAfterBeyondTheCapGivesUp() async throws {
        let result = try await LivenessHarness.check("http://ratelimit.example/far")
        #expect(result.verdict == .unknown)
        #expect(result.attempts == 1)
        #expect(result.reason.contains("3600 s, beyond the 60 s cap"))
    }

    @Test func perHostLimitIsNeverExceeded() async throws {
        let server = try await LivenessHarness.server()
        let urls = (0..<24).map { "http://limit.hold.example/item\($0)?ms=80" }
        let (results, statistics) = try await LivenessHarness.check(urls, options: LivenessHarness.options(server) {
            $0.perHost = 3
            $0.concurrency = 64
        })
        #expect(results.values.allSatisfy { $0.verdict == .live })
        let seen = server.counters.host("limit.hold.example")
        #expect(seen.requests == 24)
        #expect(seen.maxOpenRequests <= 3)
        #expect(seen.maxOpenConnections <= 3)
        // Connections are reused: far fewer than one per request.
        #expect(seen.connections <= 6)
        #expect(statistics.peakInFlight <= 3)
    }

    @Test func globalLimitIsNeverExceeded() async throws {
        let server = try await LivenessHarness.server()
        let urls = (0..<30).map { "http://g\($0 % 6).hold.example/item\($0)?ms=40" }
        let (results, statistics) = try await LivenessHarness.check(urls, options: LivenessHarness.options(server) {
            $0.perHost = 4
            $0.concurrency = 5
        })
        #expect(results.count == 30)
        #expect(statistics.peakInFlight <= 5)
        for host in 0..<6 { #expect(server.counters.host("g\(host).hold.example").maxOpenRequests <= 4) }
    }

    @Test func timeQueuedDoesNotCountAgainstTheTimeout() async throws {
        // Twelve answers of 200 ms one at a time take 2.4 s; each attempt may take only 2 s. (With
        // 100 ms and 0.8 s, one answer on a loaded machine once took longer than the timeout itself.)
        let server = try await LivenessHarness.server()
        let urls = (0..<12).map { "http://queue.hold.example/item\($0)?ms=200" }
        let (results, _) = try await LivenessHarness.check(urls, options: LivenessHarness.options(server) {
            $0.perHost = 1
            $0.timeout = .seconds(2)
            $0.retries = 0
        })
        #expect(results.count == 12)
        #expect(results.values.allSatisfy { $0.verdict == .live }, "\(results.values.filter { $0.verdict != .live }.map(\.reason))")
    }

    @Test func hostIntervalSpacesRequests() async throws {
        let server = try await LivenessHarness.server()
        let urls = (0..<4).map { "http://spaced.hold.example/item\($0)?ms=0" }
        let start = ContinuousClock.now
        let (results, _) = try await LivenessHarness.check(urls, options: LivenessHarness.options(server) {
            $0.hostInterval = .milliseconds(150)
        })
        #expect(results.count == 4)
        // Four starts at least 150 ms apart cannot finish sooner than 450 ms.
        #expect(ContinuousClock.now - start >= .milliseconds(450))
    }
}

/// Stopping early stops the run.
@Suite(.timeLimit(.minutes(1)))
struct LivenessCancellationTests {
    @Test func leavingTheLoopEarlyStopsTheChecks() async throws {
        let server = try await LivenessHarness.server()
        let urls = (0..<20).map { "http://cancel.hold.example/item\($0)?ms=300" }
        let requests = try urls.map(LivenessHarness.request)
        let checker = try LivenessChecker(rules: TestSupport.shippedRules, options: LivenessHarness.options(server) { $0.perHost = 1 })
        var seen = 0
        var atBreak = 0
        for await _ in checker.check(requests) {
            seen += 1
            atBreak = server.counters.host("cancel.hold.example").requests
            break
        }
        #expect(seen == 1)
        // Had the run gone on, three more answers of 300 ms one at a time would
        // have been asked for in 0.9 s; counted from the break, so that a slow
        // first result on a loaded machine does not count against it.
        try await Task.sleep(for: .milliseconds(900))
        #expect(server.counters.host("cancel.hold.example").requests <= atBreak + 1)
    }
}
