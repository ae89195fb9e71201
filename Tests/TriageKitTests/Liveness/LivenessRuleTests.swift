import Foundation
import Testing
@testable import TriageKit

/// The liveness section of rule files: probes, signatures and their errors.
@Suite struct LivenessRuleTests {
    static func load(_ liveness: String) throws -> RuleSet {
        let yaml = """
            platform: demo
            hosts: [demo.example]
            liveness:
            \(liveness)
            """
        return try RuleSet.load(from: try TestSupport.rulesDirectory(platforms: ["demo.yaml": yaml]))
    }

    @Test func probeIsRead() throws {
        let rules = try Self.load("""
              probe:
                url: 'https://demo.example/oembed?url={url}'
                types: [video]
                status: {200: live, 404: removed, 401: page}
              removed: [{status: [404]}]
            """)
        let probe = try #require(rules.platforms[0].liveness?.probe)
        #expect(probe.answers == [200: .live, 404: .removed, 401: .page])
        #expect(probe.applies(to: "video"))
        #expect(!probe.applies(to: "profile"))
        #expect(probe.url(for: "https://demo.example/v/1?a=b") == "https://demo.example/oembed?url=https%3A%2F%2Fdemo.example%2Fv%2F1%3Fa%3Db")
    }

    @Test func shippedProbesLoad() {
        let probes = TestSupport.shippedRules.platforms.compactMap { $0.liveness?.probe }
        #expect(probes.count >= 4)
        #expect(probes.allSatisfy { $0.template.contains("{url}") })
    }

    @Test(arguments: [
        ("  probe: {url: 'https://d.example/o?u={url}', status: {404: gone}}", "none of: live"),
        ("  probe: {url: 'https://d.example/o', status: {404: removed}}", "must contain {url}"),
        ("  probe: {url: 'ftp://d.example/{url}', status: {404: removed}}", "must start with https://"),
        ("  probe: {url: 'https://d.example/{url}', statuses: {404: removed}}", "did you mean 'status'"),
        ("  probe: {url: 'https://d.example/{url}'}", "needs 'status'"),
        ("  probes: {}", "did you mean 'probe'"),
        ("  removed: [{}]", "needs at least one of"),
    ])
    func mistakesAreReported(liveness: String, message: String) {
        #expect {
            _ = try Self.load(liveness)
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains("demo.yaml:")
        }
    }
}
