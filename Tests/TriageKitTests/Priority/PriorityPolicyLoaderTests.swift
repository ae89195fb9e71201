import Testing
@testable import TriageKit

@Suite struct PriorityPolicyLoaderTests {
    /// The shipped section and the built-in standard weights are the same, so a policy file
    /// without a `priority:` section scores as the shipped one does.
    @Test func shippedWeightsAreTheStandardOnes() throws {
        let types = Set(TestSupport.shippedRules.platforms.flatMap { $0.content.map(\.type) })
        let weights = try PriorityPolicyLoader.load(from: TestSupport.rulesDirectory + "/policy.yaml",
                                                    categories: PrioritySupport.shippedCategories, contentTypes: types)
        #expect(weights == .standard)
    }

    @Test func anUnknownCategoryIsAnErrorWithItsLine() throws {
        let text = """
            recheck: {live: 24h}
            priority:
              category: {sexual: 60, threat: 50, impersonation: 30, bullying: 25, reputation: 15,
                         misuse_of_name: 10, other: 5, threats: 40}
            """
        #expect {
            _ = try PriorityPolicyLoader.load(from: try HarmCategoriesTests.write(text), categories: PrioritySupport.shippedCategories)
        } throws: { error in
            let error = error as? RuleError
            return error?.location.line == 4 && error?.message.contains("'threats'") == true
        }
    }

    @Test func aCategoryWithoutWeightIsAnError() throws {
        let text = "priority:\n  category: {sexual: 60}\n"
        #expect(throws: RuleError.self) {
            _ = try PriorityPolicyLoader.load(from: try HarmCategoriesTests.write(text), categories: PrioritySupport.shippedCategories)
        }
    }

    @Test func aMisspeltKeyNamesTheNearestOne() throws {
        let text = "priority:\n  reports: {each: 1, mx: 5}\n"
        #expect {
            _ = try PriorityPolicyLoader.load(from: try HarmCategoriesTests.write(text), categories: PrioritySupport.shippedCategories)
        } throws: { error in
            let error = error as? RuleError
            return error?.location.line == 2 && error?.message.contains("did you mean 'max'?") == true
        }
    }

    @Test func aContentTypeNoRuleUsesIsAnError() throws {
        let text = "priority:\n  content_type: {vidoe: 5}\n"
        #expect {
            _ = try PriorityPolicyLoader.load(from: try HarmCategoriesTests.write(text), categories: PrioritySupport.shippedCategories,
                                              contentTypes: ["video", "profile"])
        } throws: { error in
            (error as? RuleError)?.message.contains("did you mean 'video'?") == true
        }
    }

    @Test func weightsAreReadAndOthersKeepTheirStandardValue() throws {
        let text = "priority:\n  verdict: {live: 40}\n  age: {per_day: 2.5}\n"
        let weights = try PriorityPolicyLoader.load(from: try HarmCategoriesTests.write(text), categories: PrioritySupport.shippedCategories)
        #expect(weights.live == 40)
        #expect(weights.restricted == PriorityWeights.standard.restricted)
        #expect(weights.perDay == 2.5)
    }

    @Test func aNegativeWeightIsAnError() throws {
        let text = "priority:\n  verdict: {live: -4}\n"
        #expect(throws: RuleError.self) {
            _ = try PriorityPolicyLoader.load(from: try HarmCategoriesTests.write(text), categories: PrioritySupport.shippedCategories)
        }
    }
}
