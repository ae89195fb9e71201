import Foundation
@testable import TriageKit
import TriageTestServer

/// The loopback test server the liveness tests share, and helpers to check URLs against it.
enum LivenessHarness {
    /// Started once, on an ephemeral port, by the first test that needs it.
    private static let started = Task { try await TestServer.start() }

    static func server() async throws -> TestServer { try await started.value }

    /// Options for tests: the server for every host, short waits, the address policy lifted.
    static func options(_ server: TestServer, _ configure: (inout LivenessOptions) -> Void = { _ in }) -> LivenessOptions {
        var options = LivenessOptions()
        options.allowPrivate = true
        options.connectTo = [server.connectTo]
        options.caCertificate = server.certificate.certificateFile
        options.hostInterval = .zero
        options.retries = 2
        options.retryDelay = .milliseconds(50)
        options.retryDelayCap = .milliseconds(400)
        options.rateLimitDelay = .milliseconds(100)
        // Generous: a loaded two-core machine may be slow to answer.
        options.timeout = .seconds(15)
        options.connectTimeout = .seconds(10)
        configure(&options)
        return options
    }

    /// The request the pipeline would make for `url`: classified with the shipped rules.
    static func request(_ url: String) throws -> CheckRequest {
        let classification = try Classifier(rules: TestSupport.shippedRules).classify(try WebURL.parse(url))
        return CheckRequest(key: classification.key, url: classification.canonical, platform: classification.platform,
                            type: classification.type)
    }

    /// Checks `urls` and returns each result under the URL it was asked for, with the run's statistics.
    static func check(_ urls: [String], options: LivenessOptions) async throws -> ([String: CheckResult], LivenessStatistics) {
        let requests = try urls.map(request)
        let checker = try LivenessChecker(rules: TestSupport.shippedRules, options: options)
        var byURL: [String: CheckResult] = [:]
        for await result in checker.check(requests) {
            for (url, request) in zip(urls, requests) where request.key == result.key { byURL[url] = result }
        }
        return (byURL, checker.statistics)
    }

    /// Checks one URL.
    static func check(_ url: String, _ configure: (inout LivenessOptions) -> Void = { _ in }) async throws -> CheckResult {
        let server = try await server()
        let (results, _) = try await check([url], options: options(server, configure))
        guard let result = results[url] else { throw HarnessError("no result for \(url)") }
        return result
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
