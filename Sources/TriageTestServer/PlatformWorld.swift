import Foundation
public import NIOCore

/// Decides how the server answers, by Host header: imitations of the
/// platforms in `rules/`, hosts that misbehave in one particular way
/// (`*.example`), and a plain page after `delay` for every other host.
public struct PlatformWorld: Sendable {
    /// The pause before answering hosts the world does not imitate (the benchmark's fixed delay).
    public var delay: TimeAmount

    /// Hosts this server answers 404 for, every path: a platform that took the content down in
    /// one country only, when two servers stand for two regions (the worker tests').
    public var removedHosts: Set<String>

    public init(delay: TimeAmount = .zero, removedHosts: Set<String> = []) {
        self.delay = delay
        self.removedHosts = removedHosts
    }

    /// Host names the server's certificate covers.
    public static let certificateHosts: [String] = {
        var hosts = ImitatedPlatforms.hosts + MisbehavingHosts.hosts + ["localhost", "*.bench.example"]
        hosts += (1...20).map { String(format: "h%02d.bench.example", $0) }
        return hosts
    }()

    public func behaviour(for request: ImitatedRequest) -> Behaviour {
        if removedHosts.contains(request.host) { return .page(.notFound, "<title>not available</title>") }
        if let behaviour = ImitatedPlatforms.behaviour(for: request) { return behaviour }
        if let behaviour = MisbehavingHosts.behaviour(for: request) { return behaviour }
        var answer = Behaviour.page(.ok, "<html><title>\(request.host)</title><body>an ordinary page</body></html>")
        // `*.rl.bench.example`: a platform that rate-limits 3% of requests at random (the benchmark's).
        if request.host.hasSuffix(".rl.bench.example"), Int.random(in: 0..<100) < 3 {
            answer = .respond(.tooManyRequests, headers: [("retry-after", "1")])
        }
        return delay == .zero ? answer : .delayed(delay, answer)
    }
}
