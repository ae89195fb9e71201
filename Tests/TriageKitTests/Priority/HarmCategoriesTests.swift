import Testing
@testable import TriageKit

@Suite struct HarmCategoriesTests {
    /// Every example and counter-example in the shipped `rules/categories.yaml`;
    /// a failure names the file and line of the example.
    @Test func shippedCategoriesPassTheirExamples() {
        let report = CategoryTester(categories: PrioritySupport.shippedCategories).run()
        for failure in report.failures {
            Issue.record("\(failure)")
        }
        #expect(report.examples >= 20)
        #expect(report.counterExamples >= 10)
    }

    @Test func shippedCategoriesAreInTheAgreedOrder() {
        let ids = PrioritySupport.shippedCategories.categories.map(\.id)
        #expect(ids == ["threat", "child_sexual_image", "sexual", "impersonation", "bullying", "reputation", "misuse_of_name", "other"])
        #expect(PrioritySupport.shippedCategories.fallback.id == "other")
    }

    @Test func everyShippedCategoryButTheFallbackHasExamplesAndCounterExamples() {
        for category in PrioritySupport.shippedCategories.categories {
            #expect(!category.examples.isEmpty, "\(category.location): '\(category.id)' has no example")
            if category.id != "other" {
                #expect(!category.counterExamples.isEmpty, "\(category.location): '\(category.id)' has no counter-example")
            }
        }
    }

    /// A reporter who chose "bullying" and wrote of a threat has reported a threat: the category
    /// they named and every one their words name count, and the most serious decides.
    @Test func theReportersCategoryAndTheirWordsBothCount() {
        let scratch = MatchScratch()
        let categories = PrioritySupport.shippedCategories
        let decision = categories.decide(reported: "Bullying", notes: "fake account", scratch: scratch)
        #expect(decision.category == "impersonation")
        #expect(decision.categories == ["impersonation", "bullying"])
        #expect(decision.because == "notes say \"fake account\"; also bullying: reported as \"Bullying\"")
        let threat = categories.decide(reported: "bullying", notes: "she says she wants to die", scratch: scratch)
        #expect(threat.category == "threat")
        #expect(categories.decide(reported: "Bullying", notes: "see link", scratch: scratch).because == "reported as \"Bullying\"")
    }

    @Test func anAliasNamesItsCategory() {
        let categories = PrioritySupport.shippedCategories
        #expect(categories.category(named: "Fake account")?.id == "impersonation")
        #expect(categories.category(named: "self-harm")?.id == "threat")
        #expect(categories.category(named: "cyberflashing")?.id == "sexual")
        #expect(categories.category(named: "doxxing") == nil)
    }

    @Test func unknownReportedWordsAreReadByThePatterns() {
        let scratch = MatchScratch()
        let decision = PrioritySupport.shippedCategories.decide(reported: "online_harassment", notes: nil, scratch: scratch)
        #expect(decision.category == "bullying")
        #expect(decision.evidence == .reportedWords(category: "online_harassment", matched: "harassment"))
    }

    @Test func notesDecideWhenNoCategoryWasGiven() {
        let scratch = MatchScratch()
        let decision = PrioritySupport.shippedCategories.decide(reported: nil, notes: "Fake account of head teacher, using our logo", scratch: scratch)
        #expect(decision.category == "impersonation")
        #expect(decision.because == "notes say \"Fake account\"; also misuse_of_name: notes say \"our logo\"")
        let nothing = PrioritySupport.shippedCategories.decide(reported: nil, notes: "see link", scratch: scratch)
        #expect(nothing.category == "other")
        #expect(nothing.evidence == .fallback)
    }

    /// Issue 13: a category the file does not know was explained as "no category given".
    @Test func anUnknownReportedCategoryIsNamedAsUnknown() {
        let scratch = MatchScratch()
        let decision = PrioritySupport.shippedCategories.decide(reported: "<script>", notes: "see link", scratch: scratch)
        #expect(decision.category == "other")
        #expect(decision.evidence == .unknownReported("<script>"))
        #expect(decision.because == "reported as \"<script>\", a category categories.yaml does not list, and no words matched")
        let categorizer = ItemCategorizer(categories: PrioritySupport.shippedCategories)
        let item = categorizer.decide(reports: [.init(category: "<script>", notes: nil)])
        #expect(item.because == decision.because)
        // Beside a real finding it adds nothing.
        let both = categorizer.decide(reports: [.init(category: "<script>", notes: nil), .init(category: "bullying", notes: nil)])
        #expect(both.categories == ["bullying"])
    }

    @Test func anItemTakesTheMostSeriousCategoryOfItsReports() {
        let categorizer = ItemCategorizer(categories: PrioritySupport.shippedCategories)
        let decision = categorizer.decide(reports: [
            .init(category: "reputation", notes: nil),
            .init(category: nil, notes: "he says he is going to stab him"),
            .init(category: "bullying", notes: nil),
        ])
        #expect(decision.category == "threat")
        #expect(categorizer.decide(reports: []).category == "other")
    }

    @Test func aFailingExampleNamesItsLine() throws {
        let text = """
            fallback: other
            categories:
              - id: threat
                patterns: ['\\bkill\\b']
                examples: ['going to kill']
                counter_examples: ['kill time']
              - id: bullying
                patterns: ['\\bmock']
                examples: ['mocking him', 'they kill it']
              - id: other
            """
        let path = try Self.write(text)
        let report = CategoryTester(categories: try HarmCategories.load(from: path)).run()
        #expect(report.failures.count == 2)
        #expect(report.failures.contains { $0.location.line == 6 && $0.actual.contains("matched \"kill\"") })
        #expect(report.failures.contains { $0.location.line == 9 && $0.actual.contains("'threat'") && $0.actual.contains(":4:") })
    }

    @Test func anUnknownKeyIsAnErrorWithItsLineAndTheNearestKey() throws {
        let text = """
            fallback: other
            categories:
              - id: threat
                pattern: ['kill']
              - id: other
            """
        #expect {
            _ = try HarmCategories.load(from: try Self.write(text))
        } throws: { error in
            let error = error as? RuleError
            return error?.location.line == 4 && error?.message.contains("did you mean 'patterns'?") == true
        }
    }

    @Test func aPatternThatDoesNotCompileIsReportedWhereItBreaks() throws {
        let text = """
            fallback: other
            categories:
              - id: threat
                patterns: ['kill(']
              - id: other
            """
        #expect {
            _ = try HarmCategories.load(from: try Self.write(text))
        } throws: { error in
            let error = error as? RuleError
            return error?.location.line == 4 && error?.message.contains("does not compile") == true
        }
    }

    @Test func theFallbackMustExistAndHaveNoPatterns() throws {
        let missing = "fallback: nothing\ncategories:\n  - id: other\n"
        #expect(throws: RuleError.self) { _ = try HarmCategories.load(from: try Self.write(missing)) }
        let patterned = "fallback: other\ncategories:\n  - id: other\n    patterns: ['x']\n"
        #expect(throws: RuleError.self) { _ = try HarmCategories.load(from: try Self.write(patterned)) }
    }

    @Test func anAliasMayNameOneCategoryOnly() throws {
        let text = """
            fallback: other
            categories:
              - id: threat
                aliases: [violence]
              - id: bullying
                aliases: [Violence]
              - id: other
            """
        #expect(throws: RuleError.self) { _ = try HarmCategories.load(from: try Self.write(text)) }
    }

    static func write(_ text: String) throws -> String {
        let path = try TestSupport.temporaryDirectory() + "/categories.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
