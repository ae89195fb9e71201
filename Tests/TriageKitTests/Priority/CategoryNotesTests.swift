import Foundation
import Testing
@testable import TriageKit

/// The category test set: notes as staff, parents and pupils write them, each with the
/// category a caseworker gives it (`Fixtures/categories/notes.tsv`).
@Suite struct CategoryNotesTests {
    static let file = TestSupport.packageRoot + "/Tests/TriageKitTests/Fixtures/categories/notes.tsv"

    static let evaluation: CategoryEvaluation = {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        return CategoryEvaluation(tsv: text, categories: PrioritySupport.shippedCategories)
    }()

    @Test func theSetIsLargeAndCoversEveryCategory() {
        #expect(Self.evaluation.total >= 300)
        for category in PrioritySupport.shippedCategories.categories {
            #expect(Self.evaluation.count(category.id) >= 10, "\(category.id) has \(Self.evaluation.count(category.id)) notes")
        }
    }

    /// A missed risk to life is the worst error triage can make: every one is found.
    @Test func everyRiskToLifeIsFound() {
        for miss in Self.evaluation.misses where miss.expected == "threat" {
            Issue.record("\(Self.file):\(miss.line): \"\(miss.note)\" decided \(miss.actual) (\(miss.because))")
        }
        #expect(Self.evaluation.recall("threat") == 1)
    }

    /// Every sexual image of someone under 18 gets its hotline route and the do-not-open warning.
    @Test func everySexualImageOfAChildIsFound() {
        for miss in Self.evaluation.misses where miss.expected == "child_sexual_image" {
            Issue.record("\(Self.file):\(miss.line): \"\(miss.note)\" decided \(miss.actual) (\(miss.because))")
        }
        #expect(Self.evaluation.recall("child_sexual_image") == 1)
    }

    /// Accuracy per category, printed for the record; the whole set stays above 90%, and no
    /// category below 80%.
    @Test func accuracyPerCategory() {
        print(Self.evaluation.markdown)
        for miss in Self.evaluation.misses {
            print("  line \(miss.line): expected \(miss.expected), got \(miss.actual): \(miss.note)")
        }
        #expect(Self.evaluation.accuracy >= 0.9)
        for category in Self.evaluation.order where Self.evaluation.count(category) > 0 {
            #expect((Self.evaluation.recall(category) ?? 0) >= 0.8, "\(category): \(Self.evaluation.recall(category) ?? 0)")
        }
    }
}
