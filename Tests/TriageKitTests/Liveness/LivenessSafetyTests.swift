import Foundation
import Testing
@testable import TriageKit

/// The address policy and the scheme limits, end to end.
@Suite(.timeLimit(.minutes(1)))
struct LivenessSafetyTests {
    @Test func privateAddressIsRefusedByDefault() async throws {
        let server = try await LivenessHarness.server()
        let result = try await LivenessHarness.check("http://refused.bench.example/") { $0.allowPrivate = false }
        #expect(result.verdict == .error)
        #expect(result.reason.contains("127.0.0.1 is a loopback address"))
        #expect(result.reason.contains("--allow-private"))
        #expect(result.attempts == 1)
        // Refused before connecting: the server never heard of it.
        #expect(server.counters.host("refused.bench.example").requests == 0)
    }

    @Test func privateAddressIsAllowedWhenAsked() async throws {
        let result = try await LivenessHarness.check("http://allowed.bench.example/") { $0.allowPrivate = true }
        #expect(result.verdict == .live)
    }

    @Test(arguments: ["/ftp", "/file", "/gopher"])
    func redirectToAnotherSchemeIsRefused(path: String) async throws {
        let result = try await LivenessHarness.check("http://scheme.example" + path)
        #expect(result.verdict == .error)
        #expect(result.reason.contains("refused: only http and https are followed"))
    }

    @Test func noSuchHostIsAnErrorAndNotRetried() {
        // Without sending a DNS query off the machine: the policy and the wording.
        var outcome = TransferOutcome()
        outcome.failure = .dns
        outcome.failureMessage = "Could not resolve host: gone.invalid"
        let policy = RetryPolicy(options: LivenessOptions())
        #expect(policy.next(after: outcome, attempt: 1, slowDown: nil) == .finish)
        let input = JudgeInput(request: CheckRequest(key: "k", url: "https://gone.invalid/", platform: "web", type: "page"),
                               outcome: outcome, rules: nil, attempts: 1, preface: nil, resolvedKey: nil,
                               elapsedMilliseconds: 1, refusedWait: nil, options: LivenessOptions())
        let result = VerdictJudge().judge(input)
        #expect(result.verdict == .error)
        #expect(result.reason.hasPrefix("DNS: no such host"))
    }

    @Test(arguments: [
        ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("172.20.0.1", "private"), ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"), ("100.64.0.1", "carrier-grade NAT"), ("224.0.0.1", "multicast"),
        ("0.0.0.0", "this network"), ("255.255.255.255", "broadcast"),
    ])
    func refusedIPv4(address: String, kind: String) {
        let bytes = address.split(separator: ".").map { UInt8($0)! }
        #expect(AddressPolicy.refusal(bytes)?.contains(kind) == true)
    }

    @Test func publicIPv4IsAllowed() {
        #expect(AddressPolicy.refusal([93, 184, 215, 14]) == nil)
        #expect(AddressPolicy.refusal([100, 128, 0, 1]) == nil)
        #expect(AddressPolicy.refusal([172, 32, 0, 1]) == nil)
    }

    @Test func refusedIPv6() {
        var loopback = [UInt8](repeating: 0, count: 16)
        loopback[15] = 1
        #expect(AddressPolicy.refusal(loopback)?.contains("loopback") == true)
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 8, 8, 8, 8]
        #expect(AddressPolicy.refusal(mapped)?.contains("IPv4-mapped") == true)
        let linkLocal: [UInt8] = [0xFE, 0x80] + [UInt8](repeating: 0, count: 13) + [1]
        #expect(AddressPolicy.refusal(linkLocal)?.contains("link-local") == true)
        let uniqueLocal: [UInt8] = [0xFD, 0x12] + [UInt8](repeating: 0, count: 14)
        #expect(AddressPolicy.refusal(uniqueLocal)?.contains("private") == true)
        let multicast: [UInt8] = [0xFF, 0x02] + [UInt8](repeating: 0, count: 13) + [1]
        #expect(AddressPolicy.refusal(multicast)?.contains("multicast") == true)
        let nat64Private: [UInt8] = [0, 0x64, 0xFF, 0x9B] + [UInt8](repeating: 0, count: 8) + [10, 0, 0, 1]
        #expect(AddressPolicy.refusal(nat64Private)?.contains("NAT64") == true)
        let global: [UInt8] = [0x26, 0x06, 0x28, 0x00] + [UInt8](repeating: 0, count: 11) + [1]
        #expect(AddressPolicy.refusal(global) == nil)
        #expect(AddressPolicy.text(global) == "2606:2800::1")
    }

    @Test func optionsThatCannotWorkAreRefused() {
        var options = LivenessOptions()
        options.connectTo = ["example.com:443"]
        #expect(throws: LivenessOptionsError.self) { try options.validate() }
        options.connectTo = ["::127.0.0.1:8080", "www.tiktok.com:443:[::1]:8443"]
        #expect(throws: Never.self) { try options.validate() }
        options.proxy = "proxy.example:3128"
        #expect(throws: LivenessOptionsError.self) { try options.validate() }
    }
}
