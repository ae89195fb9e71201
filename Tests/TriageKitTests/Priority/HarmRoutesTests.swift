import Foundation
import Testing
@testable import TriageKit

/// Routes that match the harm: risk to life above everything with the police first, a sexual
/// image of a child to the national hotline with its link withheld, all of it data.
@Suite struct HarmRoutesTests {
    let categories = PrioritySupport.shippedCategories

    func scorer(_ routes: HarmRoutes? = nil) -> PriorityScorer {
        PriorityScorer(weights: .standard, categories: categories, platformNames: ["tiktok": "TikTok"], routes: routes)
    }

    func candidate(_ key: String, platform: String = "tiktok", notes: String, reports: Int = 1, verdict: Verdict? = .live,
                   ageDays: Int64 = 0, escalatedHoursAgo: Int64? = nil) -> EscalationCandidate {
        var item = PrioritySupport.candidate(key: key, platform: platform, reports: reports, verdict: verdict, ageDays: ageDays,
                                             escalatedHoursAgo: escalatedHoursAgo)
        item.category = categories.decide(reported: nil, notes: notes, scratch: MatchScratch())
        return item
    }

    func list(_ candidates: [EscalationCandidate], routes: HarmRoutes? = nil) -> EscalationList {
        EscalationList.build(candidates: candidates, scorer: scorer(routes), rules: TestSupport.shippedRules, now: PrioritySupport.now)
    }

    @Test func theShippedRoutesAreTheStandardOnes() throws {
        let routes = try HarmRoutesLoader.load(from: TestSupport.rulesDirectory + "/policy.yaml", categories: categories)
        #expect(routes == HarmRoutesLoader.standard(for: categories))
        #expect(routes.byCategory["threat"]?.first == true)
    }

    @Test func aRiskToLifeGoesAboveEverythingWhateverElseScores() {
        let built = list([
            candidate("sexual", notes: "nudes of a teacher", reports: 40, ageDays: 20, escalatedHoursAgo: 300),
            candidate("yt", platform: "youtube", notes: "deepfake porn of a teacher", reports: 40, ageDays: 30),
            candidate("threat", notes: "she says she wants to die"),
            candidate("unknown", notes: "comments say kys", verdict: .unknown),
        ])
        #expect(built.platforms.map(\.platform) == ["tiktok", "youtube"])
        #expect(built.platforms[0].rows.map(\.item.key) == ["threat", "sexual"])
        #expect(built.platforms[0].rows[0].points.total < built.platforms[0].rows[1].points.total)
        #expect(built.actNow.map(\.item.key) == ["threat", "unknown"])

        let text = built.rendered(as: .text)
        #expect(text.hasPrefix("ACT NOW: 2 items, above everything else\n  https://example.test/threat\n"))
        #expect(text.contains("threats and risk to life: call the police now (999 in the UK); then TikTok's emergency route: TikTok trusted-flagger / safety partner route, marked as an immediate risk to life"))
        #expect(text.contains("1. score 67  [ACT NOW] https://example.test/threat"))
        let markdown = built.rendered(as: .markdown)
        #expect(markdown.contains("## Act now (2), above everything else\n\n- <https://example.test/threat>: threats and risk to life: call the police now (999 in the UK)"))
        let csv = built.rendered(as: .csv)
        #expect(csv.split(separator: "\r\n")[1].contains(",yes,\"call the police now (999 in the UK); then TikTok's emergency route"))
        let json = built.rendered(as: .json)
        #expect(json.contains("\"act_now\": [\"threat\", \"unknown\"]"))
        #expect(json.contains("\"first\": true"))
    }

    @Test func aSexualImageOfAChildGoesToTheHotlineAndItsLinkIsWithheld() throws {
        let item = candidate("csi", notes: "a nudify app was used on the class photo")
        #expect(item.withholdOpenLink)
        let built = list([item])
        let row = try #require(built.platforms.first?.rows.first)
        #expect(row.withholdOpenLink)
        #expect(row.route.reportTo.map(\.url) == ["https://report.iwf.org.uk/", "https://www.childline.org.uk/remove"])

        let text = built.rendered(as: .text)
        #expect(text.contains("[DO NOT OPEN] https://example.test/csi"))
        #expect(text.contains("WARNING: do not open: a sexual image of someone under 18"))
        #expect(text.contains("also report to: the Internet Watch Foundation (IWF) https://report.iwf.org.uk/"))
        #expect(text.contains("also report to: Report Remove (Childline and the IWF), when it is the young person's own image"))
        let markdown = built.rendered(as: .markdown)
        #expect(markdown.contains("**DO NOT OPEN** `https://example.test/csi`"))
        #expect(!markdown.contains("<https://example.test/csi>"))
        let json = try JSONSerialization.jsonObject(with: Data(built.rendered(as: .json).utf8)) as? [String: Any]
        let items = try #require((json?["platforms"] as? [[String: Any]])?.first?["items"] as? [[String: Any]])
        #expect(items.first?["withhold_open_link"] as? Bool == true)
        #expect(items.first?["categories"] as? [String] == ["child_sexual_image"])
        #expect((items.first?["report_to"] as? [[String: Any]])?.first?["url"] as? String == "https://report.iwf.org.uk/")
        let csv = built.rendered(as: .csv)
        let header = csv.split(separator: "\r\n")[0].split(separator: ",")
        let fields = csv.split(separator: "\r\n")[1]
        #expect(header.suffix(6) == ["act_now", "harm_route", "report_to", "warning", "withhold_open_link", "categories"])
        #expect(fields.hasSuffix(",yes,child_sexual_image"))
    }

    @Test func aHelplineElsewhereWritesItsOwnRoutes() throws {
        let text = """
            routes:
              threat:
                first: true
                act_now: 'ring 112 now'
                platform: '{platform} urgent: {channel}'
              bullying:
                report_to:
                  - {name: 'the national bullying line', url: 'https://bullying.example/report'}
            """
        let routes = try HarmRoutesLoader.load(from: try HarmCategoriesTests.write(text), categories: categories)
        let built = list([candidate("t", notes: "he will stab him"), candidate("b", notes: "a page mocking a boy")], routes: routes)
        let rendered = built.rendered(as: .text)
        #expect(rendered.contains("ring 112 now; then TikTok urgent: TikTok trusted-flagger / safety partner route"))
        #expect(!rendered.contains("999"))
        #expect(rendered.contains("also report to: the national bullying line https://bullying.example/report"))
        // Without the section: the standard routes; with it empty: none.
        let none = try HarmRoutesLoader.load(from: try HarmCategoriesTests.write("routes: ''\n"), categories: categories)
        #expect(none.byCategory.isEmpty)
        let standard = try HarmRoutesLoader.load(from: try HarmCategoriesTests.write("recheck: {live: 24h}\n"), categories: categories)
        #expect(standard == HarmRoutesLoader.standard(for: categories))
    }

    @Test func aBadRouteIsAnErrorWithItsLine() throws {
        let cases: [(String, Int, String)] = [
            ("routes:\n  threats:\n    first: true\n", 2, "did you mean 'threat'?"),
            ("routes:\n  threat:\n    frist: true\n", 3, "did you mean 'first'?"),
            ("routes:\n  threat:\n    first: maybe\n", 3, "true or false"),
            ("routes:\n  sexual:\n    report_to:\n      - {name: IWF, url: 'report.iwf.org.uk'}\n", 4, "https://"),
            ("routes:\n  threat:\n    platform: '{site} now'\n", 3, "{platform} and {channel}"),
        ]
        for (text, line, words) in cases {
            #expect {
                _ = try HarmRoutesLoader.load(from: try HarmCategoriesTests.write(text), categories: categories)
            } throws: { error in
                let error = error as? RuleError
                return error?.location.line == line && error?.message.contains(words) == true
            }
        }
    }

    @Test func theTakedownReportSaysWhatWeDoForEachHarm() {
        let stats = StoreStats(generatedAt: "2026-12-04T00:00:00Z", since: nil, reports: 0, reportLines: 0, items: 0, platforms: [],
                               statuses: [:], escalated: 0, removedAfterEscalation: 0, removed: 0, goneBeforeEscalation: 0,
                               hoursFromReportToRemoval: nil, hoursFromEscalationToRemoval: nil, removedWithin24hOfEscalation: nil,
                               removedWithin3dOfEscalation: nil, removedWithin7dOfEscalation: nil, removedWithin24hOfReport: nil,
                               removedWithin7dOfReport: nil, pastResponseTarget: 0)
        var report = TakedownReport(stats: stats, fromEscalation: [], fromReport: [], weeks: [])
        report.routes = HarmRouteLine.lines(categories: categories, routes: HarmRoutesLoader.standard(for: categories))
        let markdown = report.markdown()
        #expect(markdown.contains("## What we do for each harm"))
        #expect(markdown.contains("- **threats and risk to life**: listed above everything else; call the police now (999 in the UK)"))
        let html = report.html()
        #expect(html.contains("<h2>What we do for each harm</h2>"))
        #expect(html.contains("report to the Internet Watch Foundation (IWF) (https://report.iwf.org.uk/)"))
    }
}
