import Testing
@testable import TriageKit

@Suite struct PriorityScorerTests {
    let scorer = PriorityScorer(weights: .standard, categories: PrioritySupport.shippedCategories,
                                platformNames: ["tiktok": "TikTok"])

    @Test func everyPartOfTheScoreIsAReasonInWords() {
        var item = PrioritySupport.candidate(key: "a", category: "threat", reports: 12, reporters: 3, ageDays: 9)
        item.category = CategoryDecision(category: "threat", rank: 1, evidence: .notes(matched: "going to stab"))
        let score = scorer.score(item, now: PrioritySupport.now)
        #expect(score.reasons.map(\.description) == [
            "threats and risk to life (notes say \"going to stab\") +50",
            "12 reports from 3 reporters +18",
            "live when checked 3 h ago +10",
            "live for 9 days +9",
            "a video +6",
        ])
        #expect(score.total == 93)
    }

    @Test func hoursPastThePlatformsTargetCount() {
        // Escalated 84 h ago with a 48 h target: 36 h past it.
        let item = PrioritySupport.candidate(key: "a", escalatedHoursAgo: 84)
        let score = scorer.score(item, now: PrioritySupport.now)
        let overdue = score.reasons.first { $0.part == "overdue" }
        #expect(overdue?.description == "36 h past TikTok's 48 h target +30")
    }

    @Test func anEscalationWithinItsTargetAddsNothing() {
        let item = PrioritySupport.candidate(key: "a", escalatedHoursAgo: 10)
        #expect(!scorer.score(item, now: PrioritySupport.now).reasons.contains { $0.part == "overdue" })
    }

    @Test func partsStopAtTheirMaximum() {
        let item = PrioritySupport.candidate(key: "a", reports: 500, reporters: 40, ageDays: 400, escalatedHoursAgo: 2_000)
        let parts = Dictionary(uniqueKeysWithValues: scorer.score(item, now: PrioritySupport.now).reasons.map { ($0.part, $0.points) })
        #expect(parts["reports"] == 35)
        #expect(parts["age"] == 30)
        #expect(parts["overdue"] == 60)
    }

    @Test func aLiveStreamComesBeforeAProfile() {
        let stream = scorer.score(PrioritySupport.candidate(key: "a", type: "live"), now: PrioritySupport.now)
        let profile = scorer.score(PrioritySupport.candidate(key: "b", type: "profile"), now: PrioritySupport.now)
        #expect(stream.total > profile.total)
        #expect(stream.reasons.last?.description == "a live stream +20")
    }

    @Test func restrictedScoresBelowLive() {
        let live = scorer.score(PrioritySupport.candidate(key: "a", verdict: .live), now: PrioritySupport.now)
        let restricted = scorer.score(PrioritySupport.candidate(key: "a", verdict: .restricted), now: PrioritySupport.now)
        #expect(live.total - restricted.total == 6)
        #expect(restricted.reasons.contains { $0.description == "restricted when checked 3 h ago +4" })
    }

    @Test func zeroPointPartsAreNotShown() {
        let item = PrioritySupport.candidate(key: "a", type: "page", reports: 1, reporters: 1, ageDays: 0)
        let parts = scorer.score(item, now: PrioritySupport.now).reasons.map(\.part)
        #expect(parts == ["category", "reports", "verdict"])
    }

    @Test func theSameFactsAlwaysGiveTheSameScore() {
        let item = PrioritySupport.candidate(key: "a", category: "sexual", reports: 4, reporters: 2, ageDays: 3)
        #expect(scorer.score(item, now: PrioritySupport.now) == scorer.score(item, now: PrioritySupport.now))
    }

    @Test func pointsAndWrittenWordsAreThoseOfTheScore() {
        var escalatedTwice = PrioritySupport.candidate(key: "b", type: "live", reports: 30, reporters: 9, ageDays: 40,
                                                       escalatedHoursAgo: 200)
        escalatedTwice.escalationCount = 2
        var noReporter = PrioritySupport.candidate(key: "c", type: "some_new_type", reporters: 0, verdict: .restricted)
        noReporter.checkedAt = PrioritySupport.now - 30
        let items = [
            PrioritySupport.candidate(key: "a", category: "threat", reports: 12, reporters: 3, ageDays: 9),
            escalatedTwice, noReporter,
            PrioritySupport.candidate(key: "d", type: "invite", verdict: .unknown, ageDays: 1, escalatedHoursAgo: 2),
            PrioritySupport.candidate(key: "e", category: "other", verdict: .error, escalatedHoursAgo: 49),
            PrioritySupport.candidate(key: "f", category: "unknown-id", verdict: nil),
        ]
        for item in items {
            let score = scorer.score(item, now: PrioritySupport.now)
            let points = scorer.points(item, now: PrioritySupport.now)
            #expect(points.total == score.total)
            #expect(score.reasons.map(\.points) == ScorePart.allCases.map { points[$0] }.filter { $0 > 0 })
            var written = ByteBuffer()
            scorer.writeExplanation(points, of: item, now: PrioritySupport.now, into: &written)
            #expect(String(decoding: written.bytes, as: UTF8.self) == score.explanation)
            written.deallocate()
        }
    }
}
