import Testing
@testable import TriageKit

/// Oversized response headers are said as such and not retried (issue 13, gap 4).
@Suite(.timeLimit(.minutes(1)))
struct LivenessHeaderLimitTests {
    @Test(arguments: [("/many", "response headers over 300 KiB"), ("/line", "a response header line over 100 KiB")])
    func oversizedHeadersAreNamedAndNotRetried(path: String, words: String) async throws {
        let server = try await LivenessHarness.server()
        let host = String(path.dropFirst()) + ".bigheaders.example"
        let before = server.counters.host(host).requests
        let result = try await LivenessHarness.check("http://\(host)" + path)
        #expect(result.verdict == .error)
        #expect(result.reason.contains(words), "\(result.reason)")
        #expect(!result.reason.contains("reset") && !result.reason.lowercased().contains("memory"), "\(result.reason)")
        #expect(result.attempts == 1)
        #expect(server.counters.host(host).requests - before == 1)
    }
}
