import Foundation
import Testing
@testable import TriageKit
import TriageTestServer

/// Short links resolved, re-classified and merged; the example batch end to end.
@Suite(.timeLimit(.minutes(1)))
struct LivenessShortLinkTests {
    @Test func shortLinksToOneVideoResolveToOneKey() async throws {
        let server = try await LivenessHarness.server()
        let urls = ["https://vm.tiktok.com/ZMsame1/", "https://vt.tiktok.com/ZMsame2/", "https://bit.ly/tt"]
        let (results, statistics) = try await LivenessHarness.check(urls, options: LivenessHarness.options(server))
        #expect(results[urls[0]]?.resolvedKey == "tiktok:video:7300000000000000001")
        #expect(results[urls[1]]?.resolvedKey == "tiktok:video:7300000000000000001")
        #expect(results[urls[2]]?.resolvedKey == "tiktok:video:7309876543210987654")
        #expect(results.values.allSatisfy { $0.verdict == .live })
        #expect(statistics.shortLinksResolved == 3)
    }

    @Test func shortLinkToALoginWallResolvesToNothing() async throws {
        let result = try await LivenessHarness.check("https://vm.tiktok.com/ZMlogin1/")
        #expect(result.resolvedKey == nil)
        #expect(result.verdict == .restricted)
    }

    /// `urltriage check examples/reports.txt` against the test server: one verdict per item.
    @Test func exampleBatchGetsTheExpectedVerdicts() async throws {
        let server = try await LivenessHarness.server()
        let normalizer = BatchNormalizer(rules: TestSupport.shippedRules, keepsItems: true)
        try ReportReader(path: TestSupport.packageRoot + "/examples/reports.txt").read { record in
            normalizer.process(line: record.line, text: record.text, problem: record.problem) { _ in }
        }
        let requests = normalizer.dedupe.items.map { CheckRequest(key: $0.key, url: $0.canonical, platform: $0.platform, type: $0.type) }
        let checker = try LivenessChecker(rules: TestSupport.shippedRules, options: LivenessHarness.options(server))
        var verdicts: [String: Verdict] = [:]
        var resolved: [String: String] = [:]
        for await result in checker.check(requests) {
            verdicts[result.key] = result.verdict
            resolved[result.key] = result.resolvedKey
        }
        let expected: [String: Verdict] = [
            "tiktok:video:7301234567890123456": .removed,
            "tiktok:profile:fake.head.teacher": .live,
            "tiktok:video:7309876543210987654": .live,
            "tiktok:short:ZMhT4bQ9x": .live,
            "tiktok:video:7311111111111111111": .restricted,
            "tiktok:live:year9.roasts": .live,
            "instagram:post:C1aBcD2eFgH": .removed,
            "instagram:profile:oakfield_academy_official": .restricted,
            "youtube:video:Ab3dEf9hIjK": .live,
            "x:status:1734567890123456789": .removed,
            "facebook:group_post:987654321098765": .restricted,
            "reddit:post:1a2b3c": .live,
            "discord:invite:AbCd123": .removed,
            "https://example-news.co.uk/education/oakfield?id=77&page=1": .live,
        ]
        #expect(verdicts == expected)
        #expect(resolved["tiktok:short:ZMhT4bQ9x"] == "tiktok:video:7309876543210987654")
    }
}
