import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

@Suite struct TakedownReportTests {
    /// The escalation tests' store, with one escalated item removed 84 h after its escalation
    /// (the YouTube item was already found removed by the check, before anyone escalated it).
    static func makeStore() async throws -> CaseStore {
        let store = try await EscalationStoreTests.makeStore()
        _ = try ItemMarker(store: store, policy: .defaults, rules: TestSupport.shippedRules)
            .mark("tiktok:video:7300000000000000002", .removed(at: EscalationStoreTests.listedAt), note: nil, by: "test",
                  now: EscalationStoreTests.listedAt)
        return store
    }

    static let now = EscalationStoreTests.listedAt + 3_600

    /// `stats --format json` for the store at `now`, as the stats command encodes it.
    static func statsJSON(_ store: CaseStore) throws -> [String: Any] {
        let stats = try StatsQuery.compute(store, now: now)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(stats))
        return try #require(object as? [String: Any])
    }

    /// The value at a report path (`takedownRate`, `platforms.tiktok.items`, `statuses.live`,
    /// `hoursFromEscalationToRemoval.medianHours`) in the stats JSON; nil when absent.
    static func value(_ path: String, in json: [String: Any]) -> Double? {
        var parts = path.split(separator: ".").map(String.init)
        var current: Any? = json
        if parts.first == "platforms", parts.count == 3 {
            let platforms = json["platforms"] as? [[String: Any]]
            current = platforms?.first { $0["platform"] as? String == parts[1] }
            parts = [parts[2]]
        }
        for part in parts { current = (current as? [String: Any])?[part] }
        return (current as? NSNumber)?.doubleValue
    }

    @Test func theHTMLIsWellFormedAndSelfContained() async throws {
        let store = try await Self.makeStore()
        let html = try ReportQuery.compute(store, now: Self.now, platformNames: ["tiktok": "TikTok"]).html()
        let elements = try MarkupChecker.elements(of: html)
        #expect(elements.first?.name == "html")
        #expect(elements.contains { $0.name == "meta" && $0.attributes["name"] == "viewport" })
        #expect(elements.filter { $0.name == "svg" }.count == 4)
        #expect(!elements.contains { ["script", "link", "img", "iframe", "object"].contains($0.name) })
        let style = try #require(elements.first { $0.name == "style" }?.text)
        #expect(style.contains("@media print"))
        #expect(!style.contains("url(") && !style.contains("@import"))
        // The only address in the page is SVG's namespace name, which is never fetched.
        let addresses = html.components(separatedBy: "http").count - 1
        #expect(addresses == html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
    }

    @Test func everyFigureInTheHTMLIsTheOneStatsGives() async throws {
        let store = try await Self.makeStore()
        let report = try ReportQuery.compute(store, now: Self.now)
        let json = try Self.statsJSON(store)
        let figures = try MarkupChecker.elements(of: report.html()).filter { $0.attributes["data-stat"] != nil }
        #expect(figures.count >= 30)
        for figure in figures {
            let path = figure.attributes["data-stat"] ?? ""
            let expected = Self.value(path, in: json)
            guard let raw = figure.attributes["data-value"] else {
                #expect(expected == nil, "\(path) shows '–' but stats gives \(String(describing: expected))")
                continue
            }
            // Foundation's JSON reader may be off in the last bit of a long fraction, so equal means within 1e-12.
            let same = Double(raw).flatMap { page in expected.map { abs(page - $0) <= 1e-12 * max(1, abs($0)) } } ?? false
            #expect(same, "\(path): the page says \(raw), stats --format json says \(String(describing: expected))")
            // The words shown are that value, as written for people.
            let shown = Double(figure.text.filter { $0.isNumber || $0 == "." }) ?? .nan
            let value = Double(raw) ?? .nan
            switch figure.attributes["data-unit"] {
            case "share"?: #expect(abs(shown - value * 100) <= 0.05 + 1e-9, "\(path): shown '\(figure.text)' for \(raw)")
            case "hours"?: #expect(abs(shown - value) <= 0.05 + 1e-9, "\(path): shown '\(figure.text)' for \(raw)")
            default: #expect(shown == value, "\(path): shown '\(figure.text)' for \(raw)")
            }
        }
        let paths = Set(figures.compactMap { $0.attributes["data-stat"] })
        for required in ["reportLines", "reports", "items", "platforms.tiktok.itemShare", "takedownRate", "escalated",
                         "removedAfterEscalation", "hoursFromEscalationToRemoval.medianHours",
                         "hoursFromEscalationToRemoval.p90Hours", "removedWithin24hOfEscalation",
                         "removedWithin7dOfEscalation", "removedWithin24hOfReport", "removedWithin7dOfReport",
                         "pastResponseTarget", "statuses.live", "statuses.removed"] {
            #expect(paths.contains(required), "the page does not show \(required)")
        }
    }

    @Test func distributionsAddUpToTheStatsTheyBreakDown() async throws {
        let store = try await Self.makeStore()
        let report = try ReportQuery.compute(store, now: Self.now)
        let stats = report.stats
        #expect(report.fromEscalation.reduce(0) { $0 + $1.count } == stats.removedAfterEscalation)
        #expect(report.fromReport.reduce(0) { $0 + $1.count } == stats.removed)
        // The first buckets use the same bounds as the stats' shares.
        let withinDay = Double(report.fromEscalation[0].count) / Double(stats.escalated)
        #expect(withinDay == stats.removedWithin24hOfEscalation)
        #expect(report.fromEscalation.map(\.count) == [0, 0, 1, 0, 0, 0])
        #expect(stats.removed == 2)
        #expect(stats.goneBeforeEscalation == 1)
    }

    @Test func theTrendCountsEachItemInItsWeek() async throws {
        let store = try await Self.makeStore()
        let report = try ReportQuery.compute(store, now: Self.now)
        #expect(report.weeks.first?.start == WeekFigures.weekStart(EscalationStoreTests.reportedDay))
        #expect(report.weeks.reduce(0) { $0 + $1.newItems } == report.stats.items)
        #expect(report.weeks.reduce(0) { $0 + $1.escalated } == report.stats.escalated)
        #expect(report.weeks.reduce(0) { $0 + $1.removed } == report.stats.removed)
    }

    @Test func theMarkdownCarriesTheSameFigures() async throws {
        let store = try await Self.makeStore()
        let report = try ReportQuery.compute(store, now: Self.now, platformNames: ["tiktok": "TikTok"])
        let markdown = report.markdown()
        let stats = report.stats
        #expect(markdown.contains("Takedown success rate: **\(ReportNumbers.percent(stats.takedownRate))**"))
        #expect(markdown.contains("distinct items: **\(stats.items)**"))
        #expect(markdown.contains("| TikTok | \(report.tiktok?.items ?? -1) |"))
        #expect(markdown.contains("past the platform's response target: **\(stats.pastResponseTarget)**"))
    }

    @Test func weeksStartOnMonday() {
        // 2026-11-05 is a Thursday; its week starts on Monday 2026-11-02.
        #expect(StoreTime.iso(WeekFigures.weekStart(1_793_836_800 + 5_000)) == "2026-11-02T00:00:00Z")
        #expect(WeekFigures.weekStart(-1) == -3 * 86_400)
    }

    @Test func bucketsIncludeTheirUpperBound() {
        let buckets = RemovalBucket.buckets([0, 86_400, 86_401, 3 * 86_400, 40 * 86_400])
        #expect(buckets.map(\.count) == [2, 2, 0, 0, 0, 1])
    }

    @Test func textIsEscaped() {
        #expect(HTMLText.escape("<b>&\"'") == "&lt;b&gt;&amp;&quot;&#39;")
        let svg = SVGChart.bars([.init(label: "A&B <x>", value: 1, shown: "1")], title: "t")
        #expect((try? MarkupChecker.elements(of: svg)) != nil)
    }
}
