import Testing
@testable import TriageKit

@Suite struct BacktrackingProbeTests {
    let probe = BacktrackingProbe()

    @Test(arguments: [
        "(a+)+$",
        "^/tag/(?<id>(?:a+)+)$",
        "^(a|a)*$",
        "^(\\w+\\s?)*$",
        "^/(?<x>\\d+)*\\d$",
        "^/(?:[\\w.-]+)+/video$",
        "^/(?<slug>[a-z0-9]+-?)*/$",
        "^(?:\\d|\\d\\d)+$",
        // Quadratic rather than exponential: caught by the long run.
        "^/(?<a>.*)/(?<b>.*)/(?<c>.*)x$",
        "\\s*\\s*\\s*done",
    ])
    func flagsCatastrophicPatterns(_ source: String) throws {
        let pattern = try Pattern(source)
        let finding = try #require(probe.probe(pattern), "\(source) was not flagged")
        // The input really does run into the limit.
        #expect(throws: MatchLimitError.self) {
            try pattern.matches(finding.input, scratch: MatchScratch(matchLimit: finding.limit, depthLimit: 10_000_000))
        }
    }

    @Test(arguments: [
        "^/@(?<user>[\\w.-]{1,64})/video/(?<id>\\d{6,25})/?$",
        "^/(?:channel/UC[\\w-]{22}|@(?:[\\w.-]|%[0-9A-F]{2}){3,90})/community/?$",
        "^/(?<id>[^/]+)/?$",
        "^/groups/(?<group>[\\w.-]+)/posts/(?<id>\\d+)/?$",
        "^(?<id>[\\w-]{11})$",
        "\"statusCode\":\\s*(?:10216|10222)\\b",
        "^https://(?:www\\.)?tiktok\\.com/login",
        "^/(?:embed|live|v|e|watch)/(?!videoseries/?$|live_stream/?$)(?<id>[\\w-]{11})/?$",
    ])
    func leavesOrdinaryRulesAlone(_ source: String) throws {
        #expect(probe.probe(try Pattern(source)) == nil)
    }

    @Test func caselessBodyPatternsAreProbedAsCompiled() throws {
        #expect(probe.probe(try Pattern("(?:video|clip)+\\s+unavailable", options: [.caseless])) == nil)
        #expect(probe.probe(try Pattern("^(A|a)+$", options: [.caseless])) != nil)
    }
}
