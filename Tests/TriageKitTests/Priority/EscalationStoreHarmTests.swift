import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// Every report of an item counts towards its categories in the store's list, not
/// only the most serious one: a do-not-open warning must survive a more serious
/// harm reported after it.
@Suite struct EscalationStoreHarmTests {
    static let reportedDay: Int64 = 1_793_523_600

    @Test func aRiskToLifeAfterAChildImageKeepsTheWithheldLink() async throws {
        let directory = try TestSupport.temporaryDirectory()
        let store = try CaseStore(path: directory + "/cases.sqlite", create: true)
        let reports = """
            reported_at,school,category,url,notes
            2026-11-01T09:00:00Z,Oakfield Academy,,https://www.tiktok.com/@someone/video/7300000000000000009,someone shared nudes of a year 9 girl
            2026-11-01T10:00:00Z,Riverside Primary,,https://www.tiktok.com/@someone/video/7300000000000000009,comments say they are going to stab him

            """
        try reports.write(toFile: directory + "/reports.csv", atomically: true, encoding: .utf8)
        _ = try StoreIngester(store: store, rules: TestSupport.shippedRules)
            .ingest(path: directory + "/reports.csv", options: IngestOptions(by: "test", now: Self.reportedDay + 7 * 3_600))
        // Only checked items are listed.
        _ = try await Rechecker(store: store, checker: EscalationStoreTests.TableChecker(at: Self.reportedDay + 3_600 * 8),
                                policy: .defaults, rules: TestSupport.shippedRules)
            .run(RecheckOptions(by: "test"), now: Self.reportedDay + 3_600 * 8)
        let categorizer = ItemCategorizer(categories: PrioritySupport.shippedCategories)
        let candidate = try #require(try store.escalationCandidates(now: Self.reportedDay + 86_400, categorizer: categorizer)
            .candidates.first { $0.key == "tiktok:video:7300000000000000009" })
        #expect(candidate.category.category == "threat")
        #expect(candidate.category.categories == ["threat", "child_sexual_image"])
        #expect(candidate.category.withholdOpenLink)
        #expect(candidate.withholdOpenLink)
    }
}
