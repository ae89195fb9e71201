import Foundation
import Testing
@testable import TriageKit

@Suite struct RuleProfilerTests {
    /// Every example URL of the shipped rules.
    static let exampleURLs: [WebURL] = TestSupport.shippedRules.platforms.flatMap { platform in
        platform.content.flatMap { rule in (rule.examples + rule.counterExamples).compactMap { try? WebURL.parse($0.url) } }
    }

    /// The profiler classifies through the classifier's own dispatch: its
    /// matches add up to exactly what `Classifier.classify` decides.
    @Test func matchesAgreeWithTheClassifier() throws {
        let profiler = RuleProfiler(rules: TestSupport.shippedRules)
        profiler.add(Self.exampleURLs)
        let profile = profiler.run()
        let classifier = Classifier(rules: TestSupport.shippedRules)
        var decided: [String: Int] = [:]  // by rule location
        var pages = 0
        for url in Self.exampleURLs {
            let result = try classifier.classify(url)
            if let rule = result.rule { decided[rule.description, default: 0] += 1 } else { pages += 1 }
        }
        for row in profile.rows { #expect(row.matches == decided[row.rule.description] ?? 0, "\(row.rule)") }
        #expect(profile.decidedByRule == decided.values.reduce(0, +))
        #expect(profile.pages == pages)
        #expect(profile.gaveUp == 0)
    }

    @Test func rowsAreSortedSlowestFirstAndSharesAddUp() {
        let profiler = RuleProfiler(rules: TestSupport.shippedRules)
        profiler.add(Self.exampleURLs)
        let profile = profiler.run(passes: 3).sorted(by: .total)
        #expect(profile.passes == 3)
        #expect(zip(profile.rows, profile.rows.dropFirst()).allSatisfy { $0.nanoseconds >= $1.nanoseconds })
        let share = profile.rows.reduce(0) { $0 + $1.share }
        #expect(abs(share - 1) < 0.0001)
        #expect(profile.rows.allSatisfy { $0.matches <= $0.attempts })
        let perAttempt = profile.sorted(by: .perAttempt)
        #expect(zip(perAttempt.rows, perAttempt.rows.dropFirst()).allSatisfy { $0.nanosecondsPerAttempt >= $1.nanosecondsPerAttempt })
    }

    @Test func aCorpusFileIsReadLikeAReportBatch() throws {
        let directory = try TestSupport.temporaryDirectory()
        let corpus = directory + "/corpus.txt"
        try """
            please remove https://www.tiktok.com/@some.user/video/7234567890123456789 asap
            and vm.tiktok.com/ZMabc123X/ too

            mailto:someone@example.org
            """.write(toFile: corpus, atomically: true, encoding: .utf8)
        let profiler = RuleProfiler(rules: TestSupport.shippedRules)
        try profiler.load(corpus: corpus)
        let profile = profiler.run()
        #expect(profile.lines == 4)
        #expect(profile.urls == 2)
        #expect(profile.rejected == 1)
        #expect(profile.decidedByRule == 2)
        #expect(profile.text().contains("tiktok"))
    }
}
