import Foundation
import Testing
@testable import TriageKit
import TriageTestServer

/// The address policy through `--proxy`: private targets, by literal address,
/// by local resolution or by a local-only name, never reach the proxy, on the
/// first request or on any redirect (issue 13, gap 1).
@Suite(.timeLimit(.minutes(1)))
struct LivenessProxyGuardTests {
    private static let httpProxy = Task { try await TestProxy.start(.http) }
    private static let socksProxy = Task { try await TestProxy.start(.socks5) }

    /// Options that send everything through `proxy`, with the address policy on.
    static func options(_ proxy: TestProxy, remoteNames: Bool = true, allowPrivate: Bool = false) -> LivenessOptions {
        var options = LivenessOptions()
        options.proxy = proxy.url(remoteNames: remoteNames)
        options.allowPrivate = allowPrivate
        options.caCertificate = proxy.certificate.certificateFile
        options.hostInterval = .zero
        options.retries = 0
        options.timeout = .seconds(15)
        return options
    }

    static func redirect(_ target: String) -> String {
        "http://redirect.example/?to=" + target.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    /// Targets no proxy may be asked for, directly or by a redirect.
    static let privateTargets = [
        "http://127.0.0.1/", "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data/", "http://[fd00::1]/",
        "http://localhost:8080/", "http://2130706433/",
    ]
    static let privateRedirects = [
        redirect("http://127.0.0.1/admin"), redirect("//10.1.2.3/"), redirect("http://169.254.169.254/latest/meta-data/"),
        redirect("http://[fd00::1]/"), redirect("https://localhost/"), redirect("http://0x7f.1/"),
    ]
    /// Hosts that must not appear in any proxy's log.
    static let privateHosts = ["127.0.0.1", "10.1.2.3", "169.254.169.254", "[fd00::1]", "[fd00:0:0:0:0:0:0:1]", "fd00::1", "localhost"]

    static func neverAsked(_ proxy: TestProxy) -> Bool {
        proxy.targets.allSatisfy { target in !privateHosts.contains { target.hasPrefix($0 + ":") } }
    }

    @Test func httpProxyIsNeverAskedForAPrivateTarget() async throws {
        let proxy = try await Self.httpProxy.value
        let urls = ["http://live.example/"] + Self.privateTargets + Self.privateRedirects
        let (results, _) = try await LivenessHarness.check(urls, options: Self.options(proxy))
        #expect(results["http://live.example/"]?.verdict == .live, "\(String(describing: results["http://live.example/"]))")
        for url in Self.privateTargets + Self.privateRedirects {
            let result = try #require(results[url], "\(url)")
            #expect(result.verdict == .error, "\(url): \(result.reason)")
            #expect(result.reason.contains("not sent to the proxy"), "\(url): \(result.reason)")
        }
        #expect(proxy.targets.contains("live.example:80"))
        #expect(proxy.targets.contains("redirect.example:80"))
        #expect(Self.neverAsked(proxy), "\(proxy.targets)")
    }

    @Test func httpsTargetIsCheckedBeforeTheTunnelIsAsked() async throws {
        let proxy = try await Self.httpProxy.value
        let (results, _) = try await LivenessHarness.check(["https://10.1.2.3/", "https://status.example/200"], options: Self.options(proxy))
        #expect(results["https://10.1.2.3/"]?.reason.contains("not sent to the proxy") == true)
        // The test proxy refuses tunnels, but it was asked for the public one.
        #expect(proxy.targets.contains("status.example:443"))
        #expect(Self.neverAsked(proxy), "\(proxy.targets)")
    }

    @Test func socks5hProxyIsNeverAskedForAPrivateTargetOrALocalName() async throws {
        let proxy = try await Self.socksProxy.value
        let localNames = ["http://metadata.internal/computeMetadata/v1/", "http://printer.local/", "http://app.localhost/"]
        let redirects = Self.privateRedirects + [Self.redirect("http://metadata.google.internal/")]
        let urls = ["http://live.example/", "https://live.example/secure"] + Self.privateTargets + localNames + redirects
        let (results, _) = try await LivenessHarness.check(urls, options: Self.options(proxy))
        #expect(results["http://live.example/"]?.verdict == .live)
        #expect(results["https://live.example/secure"]?.verdict == .live, "\(String(describing: results["https://live.example/secure"]))")
        for url in Self.privateTargets + localNames + redirects {
            let result = try #require(results[url], "\(url)")
            #expect(result.verdict == .error, "\(url): \(result.reason)")
            #expect(result.reason.contains("not sent to the proxy"), "\(url): \(result.reason)")
        }
        #expect(Self.neverAsked(proxy), "\(proxy.targets)")
        #expect(!proxy.targets.contains { $0.contains("internal") || $0.contains(".local") }, "\(proxy.targets)")
    }

    @Test func socks5WithLocalResolutionRefusesANameThatResolvesToLoopback() async throws {
        // This machine's own name resolves to a loopback address in /etc/hosts on most systems.
        let name = ProcessInfo.processInfo.hostName.lowercased()
        let addresses = ProxyGuard.resolve(name)
        try #require(addresses.contains { AddressPolicy.refusal($0) != nil }, "\(name) does not resolve to a private address here")
        let proxy = try await Self.socksProxy.value
        let url = "http://\(name)/status"
        let (results, _) = try await LivenessHarness.check([url, "http://93.184.215.14/"], options: Self.options(proxy, remoteNames: false))
        let result = try #require(results[url])
        #expect(result.verdict == .error)
        #expect(result.reason.contains("\(name) resolves to"), "\(result.reason)")
        #expect(!proxy.targets.contains { $0.hasPrefix(name + ":") })
        #expect(proxy.targets.contains("93.184.215.14:80"))
        #expect(Self.neverAsked(proxy), "\(proxy.targets)")
    }

    @Test func allowPrivateLetsThemThrough() async throws {
        let proxy = try await Self.httpProxy.value
        let (results, _) = try await LivenessHarness.check(["http://10.9.8.7/"], options: Self.options(proxy, allowPrivate: true))
        #expect(results["http://10.9.8.7/"]?.verdict == .live)
        #expect(proxy.targets.contains("10.9.8.7:80"))
    }

    @Test(arguments: [
        ("/relative", nil), ("other/page", nil), ("https://93.184.215.14/", nil), ("ftp://10.0.0.1/", nil),
        ("//127.0.0.1/", "127.0.0.1 is a loopback"), ("\\\\10.0.0.1/", "10.0.0.1 is a private"),
        ("HTTP://[::1]/", "::1 is the IPv6 loopback"), ("http://169.254.169.254./", "169.254.169.254 is a link-local"),
        ("http://x.internal:81/", "x.internal names a local service"), ("http://[zz/", "cannot read"),
    ] as [(String, String?)])
    func redirectTargets(location: String, refusal: String?) {
        let reason = ProxyGuard().refusal(location: location)
        if let refusal {
            #expect(reason?.contains(refusal) == true, "\(location): \(String(describing: reason))")
        } else {
            #expect(reason == nil, "\(location): \(String(describing: reason))")
        }
    }
}
