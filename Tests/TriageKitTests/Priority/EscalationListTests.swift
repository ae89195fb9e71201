import Foundation
import Testing
@testable import TriageKit

@Suite struct EscalationListTests {
    let scorer = PriorityScorer(weights: .standard, categories: PrioritySupport.shippedCategories,
                                platformNames: ["tiktok": "TikTok"])

    func list(_ candidates: [EscalationCandidate], limit: Int? = nil) -> EscalationList {
        EscalationList.build(candidates: candidates, scorer: scorer, rules: TestSupport.shippedRules,
                             now: PrioritySupport.now, limit: limit, context: .init(notChecked: 2, awaitingResponse: 1))
    }

    @Test func onlyLiveAndRestrictedAreEscalatedAndUnknownIsApart() {
        let built = list([
            PrioritySupport.candidate(key: "live", verdict: .live),
            PrioritySupport.candidate(key: "restricted", verdict: .restricted),
            PrioritySupport.candidate(key: "removed", verdict: .removed),
            PrioritySupport.candidate(key: "unknown", verdict: .unknown),
            PrioritySupport.candidate(key: "error", verdict: .error),
            PrioritySupport.candidate(key: "unchecked", verdict: nil),
        ])
        #expect(built.platforms.map(\.platform) == ["tiktok"])
        #expect(built.platforms[0].rows.map(\.item.key) == ["live", "restricted"])
        #expect(Set(built.needsPerson.map(\.item.key)) == ["unknown", "error"])
    }

    @Test func mostUrgentFirstPerPlatformWithTheRouteFromTheRuleFile() throws {
        let built = list([
            PrioritySupport.candidate(key: "bullying", category: "bullying"),
            PrioritySupport.candidate(key: "sexual", category: "sexual"),
            PrioritySupport.candidate(key: "yt", platform: "youtube", category: "reputation"),
            PrioritySupport.candidate(key: "threat", category: "threat"),
        ])
        #expect(built.platforms.map(\.platform) == ["tiktok", "youtube"])
        // A risk to life goes above everything, whatever the sexual item scores.
        #expect(built.platforms[0].rows.map(\.item.key) == ["threat", "sexual", "bullying"])
        let route = try #require(built.platforms[0].route)
        #expect(route.responseHours == 48)
        #expect(built.platforms[0].name == "TikTok")
    }

    @Test func tiesGoToTheOlderReportThenTheKey() {
        var older = PrioritySupport.candidate(key: "b")
        older.firstReportedAt -= 60
        let built = list([PrioritySupport.candidate(key: "c"), older, PrioritySupport.candidate(key: "a")])
        #expect(built.platforms[0].rows.map(\.item.key) == ["b", "a", "c"])
    }

    @Test func aLimitKeepsTheMostUrgentAndCountsTheRest() {
        let built = list((0..<5).map { PrioritySupport.candidate(key: "k\($0)", reports: $0 + 1) }, limit: 2)
        #expect(built.platforms[0].rows.map(\.item.key) == ["k4", "k3"])
        #expect(built.platforms[0].omitted == 3)
        #expect(built.rendered(as: .text).contains("… and 3 more"))
    }

    @Test func everyFormatCarriesTheScoreAndReasons() throws {
        let built = list([PrioritySupport.candidate(key: "tiktok:video:1", category: "threat", reports: 2, reporters: 2),
                          PrioritySupport.candidate(key: "tiktok:video:2", verdict: .unknown)])
        let text = built.rendered(as: .text)
        #expect(text.contains("TikTok: 1 item to escalate, most urgent first"))
        #expect(text.contains("score 71  [ACT NOW] https://example.test/tiktok:video:1"))
        #expect(text.contains("why: threats and risk to life (reported as \"threat\") +50, 2 reports from 2 reporters +5"))
        #expect(text.contains("Needs a person: 1 item"))
        #expect(text.contains("2 not checked yet"))

        let csv = built.rendered(as: .csv)
        let lines = csv.split(separator: "\r\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("escalate,tiktok,1,71,https://example.test/tiktok:video:1,video,threat,"))
        #expect(lines[2].hasPrefix("needs_person,tiktok,1,"))

        let json = try JSONSerialization.jsonObject(with: Data(built.rendered(as: .json).utf8)) as? [String: Any]
        let platforms = try #require(json?["platforms"] as? [[String: Any]])
        let items = try #require(platforms.first?["items"] as? [[String: Any]])
        #expect(items.first?["score"] as? Int == 71)
        #expect((items.first?["reasons"] as? [[String: Any]])?.first?["points"] as? Int == 50)
        #expect((json?["needs_person"] as? [Any])?.count == 1)

        let markdown = built.rendered(as: .markdown)
        #expect(markdown.contains("## TikTok (1)"))
        #expect(markdown.contains("| 1 | 71 | <https://example.test/tiktok:video:1> |"))
    }

    @Test func jsonEscapesWhatReportersWrite() throws {
        let escaped = OutputSink()
        escaped.appendJSONString("a\"b\\c\nd\u{1}é")
        #expect(escaped.text == "\"a\\\"b\\\\c\\nd\\u0001é\"")
        var item = PrioritySupport.candidate(key: "k", verdict: .unknown)
        item.checkReason = "bot wall: \"Access denied\"\n\t(HTTP 403)"
        let built = list([item])
        let json = try JSONSerialization.jsonObject(with: Data(built.rendered(as: .json).utf8)) as? [String: Any]
        let person = try #require((json?["needs_person"] as? [[String: Any]])?.first)
        #expect(person["check_reason"] as? String == item.checkReason)
        #expect(person["last_escalated_at"] == nil)
    }

    @Test func csvKeepsReporterTextInert() {
        #expect(EscalationList.csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(EscalationList.csvField("a,b") == "\"a,b\"")
        #expect(EscalationList.csvField("plain") == "plain")
    }

    @Test func csvAndMarkdownEscapeWhatReportersWroteAsFieldsAndCellsDo() {
        var tricky = PrioritySupport.candidate(key: "-k|1", category: "bullying")
        tricky.category = CategoryDecision(category: "bullying", rank: 3, evidence: .reported("=a|b,\r\nc \"d\" e\u{301}"))
        var carriageReturn = PrioritySupport.candidate(key: "@k2")
        carriageReturn.category = CategoryDecision(category: "bullying", rank: 3, evidence: .reported("x\ry|z"))
        let built = list([tricky, carriageReturn, PrioritySupport.candidate(key: "=k3"), PrioritySupport.candidate(key: "k4|")])
        let csv = built.rendered(as: .csv)
        let markdown = built.rendered(as: .markdown)
        for row in built.platforms[0].rows {
            #expect(csv.contains("," + EscalationList.csvField(row.score.explanation) + ","))
            #expect(csv.contains("," + EscalationList.csvField(row.item.key) + ","))
            #expect(markdown.contains(" | " + EscalationList.cell(row.score.explanation) + " | "))
            #expect(markdown.contains(" | " + EscalationList.cell("<\(row.item.canonicalURL)>") + " | "))
        }
    }
}
