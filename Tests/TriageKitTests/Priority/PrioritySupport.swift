@testable import TriageKit

/// Shared fixtures for the priority tests.
enum PrioritySupport {
    /// The shipped categories, loaded once.
    static let shippedCategories: HarmCategories = {
        do {
            return try HarmCategories.load(from: TestSupport.rulesDirectory + "/" + HarmCategories.fileName)
        } catch {
            fatalError("shipped categories do not load: \(error)")
        }
    }()

    static let day: Int64 = 86_400
    static let hour: Int64 = 3_600
    /// 2026-11-10T12:00:00Z, the "now" of the hand-built cases.
    static let now: Int64 = 1_794_312_000

    /// An item reported once, live, with the category as reported.
    static func candidate(key: String, platform: String = "tiktok", type: String = "video", category: String = "bullying",
                          reports: Int = 1, reporters: Int = 1, verdict: Verdict? = .live, ageDays: Int64 = 0,
                          escalatedHoursAgo: Int64? = nil, responseHours: Int64 = 48) -> EscalationCandidate {
        let rank = shippedCategories.category(id: category)?.rank ?? 99
        var item = EscalationCandidate(
            key: key, platform: platform, type: type, canonicalURL: "https://example.test/\(key)",
            firstReportedAt: now - ageDays * day, lastReportedAt: now - ageDays * day, reportCount: reports,
            reporterCount: reporters, verdict: verdict, checkedAt: verdict == nil ? nil : now - 3 * hour,
            category: CategoryDecision(category: category, rank: rank, evidence: .reported(category)))
        if let ago = escalatedHoursAgo {
            item.escalationCount = 1
            item.lastEscalatedAt = now - ago * hour
            item.responseDueAt = now - ago * hour + responseHours * hour
        }
        return item
    }
}
