import Foundation
import Testing
@testable import TriageKit

/// Negation, quotation, several harms in one note, and the one-pass scan that picks the
/// patterns to run.
@Suite struct HarmWordsTests {
    let categories = PrioritySupport.shippedCategories

    func decide(_ notes: String) -> CategoryDecision {
        categories.decide(reported: nil, notes: notes, scratch: MatchScratch())
    }

    @Test func negationTakesAMatchBackAndSaysWhichWords() {
        let decision = decide("not a threat, just rude comments")
        #expect(decision.category == "bullying")
        #expect(decision.because == "notes say \"rude comments\"; not threat: \"threat\" overruled by \"not a\"")
        #expect(decide("no nudes, just a horrible page about a pupil").category == "bullying")
    }

    @Test func negationReachesOnlyTheWordsJustBefore() {
        // "not joking" is not "not stab"; "not just bullying" is bullying and more.
        #expect(decide("not joking, he said he will stab him").category == "threat")
        #expect(decide("not sure if serious but she says she wants to die").category == "threat")
        #expect(decide("not just bullying, they keep sending abuse").category == "bullying")
    }

    @Test func wordsReportedAsNameCallingAreBullyingNotAClaim() {
        let decision = decide("they called him a liar")
        #expect(decision.category == "bullying")
        #expect(decision.categories == ["bullying"])
        #expect(decision.because == "notes say \"called him a liar\"; not reputation: \"liar\" overruled by \"called him a\"")
        #expect(decide("spreading lies about a teacher").category == "reputation")
    }

    @Test func aNoteWithSeveralHarmsTakesTheMostSeriousAndListsThemAll() {
        let decision = decide("they keep mocking him and now say they will stab him after school")
        #expect(decision.category == "threat")
        #expect(decision.categories == ["threat", "bullying"])
        #expect(decision.because == "notes say \"will stab\"; also bullying: notes say \"mocking\"")
    }

    @Test func aSexualImageOfAChildNarrowsSexualAndMustNotBeOpened() {
        let child = decide("nudes of a year 9 girl going round on snap")
        #expect(child.categories == ["child_sexual_image"])
        #expect(child.because == "notes say \"nudes … year 9\"")
        #expect(child.withholdOpenLink)
        let adult = decide("deepfake image of a teacher undressed")
        #expect(adult.categories == ["sexual"])
        #expect(!adult.withholdOpenLink)
        // Asking for images is grooming until an image exists.
        let asking = decide("account asking kids for nudes in the comments")
        #expect(asking.category == "sexual")
        #expect(asking.overruled.map(\.category) == ["child_sexual_image"])
    }

    @Test func theIssuesExamplesAreFound() {
        let expected = [
            "pupil posted about wanting to end her life": "threat",
            "she posted that she wants to unalive herself": "threat",
            "video says they know where the teacher lives and will come for her": "threat",
            "deepfake image of a teacher undressed": "sexual",
            "a nudify app was used on the class photo": "child_sexual_image",
            "an adult messaging our pupils asking for pics": "sexual",
            "someone made a profile using Mrs Patel's name and photo": "impersonation",
            "hacked the PE teacher's account and is posting as him": "impersonation",
            "imposter profile of our SENCO": "impersonation",
            "rating page ranking girls in year 10 by looks": "bullying",
            "everyone is piling on a pupil with hate comments": "bullying",
            "the school is unsafe and the staff are lazy": "reputation",
            "review page calling our teachers incompetent": "reputation",
        ]
        for (note, category) in expected {
            #expect(decide(note).category == category, "\(note): \(decide(note).because)")
        }
    }

    @Test func anItemsReasonsListEveryCategoryOfEveryReport() {
        let categorizer = ItemCategorizer(categories: categories)
        let item = categorizer.decide(reports: [
            .init(category: "bullying", notes: nil),
            .init(category: nil, notes: "nudes of a year 10 girl"),
            .init(category: nil, notes: "says she wants to die"),
        ])
        #expect(item.category == "threat")
        #expect(item.categories == ["threat", "child_sexual_image", "bullying"])
        #expect(item.withholdOpenLink)
    }

    /// Every pattern given strings to look for must contain one of them wherever it matches:
    /// otherwise the one-pass scan would skip a pattern that matches.
    @Test func theWordsEachPatternNeedsAreInEveryTextItMatches() throws {
        let notes = try String(contentsOfFile: CategoryNotesTests.file, encoding: .utf8)
            .split(separator: "\n").compactMap { $0.split(separator: "\t", maxSplits: 1).last.map(String.init) }
        let texts = notes + categories.categories.flatMap { ($0.examples + $0.counterExamples).map(\.text) }
        let scratch = MatchScratch()
        var checked = 0
        for category in categories.categories {
            for pattern in category.patterns {
                guard let strings = CategoryLiterals.required(pattern.pattern.source) else { continue }
                checked += 1
                for text in texts where try pattern.pattern.matches(text, scratch: scratch) {
                    let folded = Array(text.utf8).map(CategoryLiterals.fold)
                    #expect(strings.contains { needle in Self.contains(folded, needle) }, "\(pattern.location): \(text)")
                }
            }
        }
        // Nearly every pattern has words to look for; the rest run on every note.
        let all = categories.categories.reduce(0) { $0 + $1.patterns.count }
        #expect(checked * 10 >= all * 9, "\(checked) of \(all) patterns have words to look for")
    }

    /// The same for the whole strings the scan checks around the part it looks for: a pattern
    /// runs only where one of them is, so every text it matches must hold one, in its place.
    @Test func theWholeStringsEachPatternNeedsAreInEveryTextItMatches() throws {
        let notes = try String(contentsOfFile: CategoryNotesTests.file, encoding: .utf8)
            .split(separator: "\n").compactMap { $0.split(separator: "\t", maxSplits: 1).last.map(String.init) }
        let texts = notes + categories.categories.flatMap { ($0.examples + $0.counterExamples).map(\.text) }
        let scratch = MatchScratch()
        var checked = 0
        let patterns = categories.categories.flatMap { $0.patterns + $0.overruledBy } + categories.negation
        for pattern in patterns {
            guard let strings = CategoryLiterals.needed(pattern.pattern.source) else { continue }
            checked += 1
            for string in strings {
                // The part looked for is where the string says.
                #expect(Array(string.bytes[string.prefixStart...].prefix(string.prefix.count)) == string.prefix, "\(pattern.location)")
            }
            for text in texts where try pattern.pattern.matches(text, scratch: scratch) {
                let folded = Array(text.utf8).map(CategoryLiterals.fold)
                // With no word byte touching an edge the string must stand on as a word.
                #expect(strings.contains { Self.contains(folded, $0) }, "\(pattern.location): \(text)")
            }
        }
        #expect(checked * 10 >= patterns.count * 9)
    }

    /// A string the pattern has `\b` against, and whose byte there is a word byte, must stand as a
    /// word there; `\b` before a space or inside a string says nothing about its edges.
    @Test func aStringAgainstAWordBoundaryMustStandAsAWord() throws {
        func edges(_ source: String) -> [String: (Bool, Bool)] {
            var result: [String: (Bool, Bool)] = [:]
            for string in CategoryLiterals.needed(source) ?? [] {
                result[String(decoding: string.bytes, as: UTF8.self)] = (string.wordBefore, string.wordAfter)
            }
            return result
        }
        let kys = try #require(edges("\\bkys\\b")["kys"])
        #expect(kys == (true, true))
        let plain = try #require(edges("kys")["kys"])
        #expect(plain == (false, false))
        let before = try #require(edges("\\bunaliv\\w*")["unaliv"])
        #expect(before == (true, false))
        let space = try #require(edges("\\b kys\\b")[" kys"])
        #expect(space == (false, true))
        // Both edges of every string of an alternation, `\b` inside a phrase saying nothing.
        let phrase = edges("\\b(?:kill|stab) \\byou\\b")
        #expect(phrase.count == 2 && phrase.values.allSatisfy { $0 == (true, true) }, "\(phrase)")
        // Lookarounds around the boundary leave it where it is.
        let bully = edges("(?<!anti-)\\bbully\\b(?! free)")
        #expect(!bully.isEmpty && bully.values.allSatisfy { $0 == (true, true) }, "\(bully)")
    }

    @Test func aLongNoteAndBytesThatAreNotUTF8AreReadWhole() {
        let long = String(repeating: "the parent rang the office about it ", count: 1_800) + "and now she wants to die"
        #expect(long.utf8.count > 64_000)
        #expect(decide(long).category == "threat")
        let categorizer = ItemCategorizer(categories: categories)
        let bytes: [UInt8] = Array("\u{FF}".utf8) + [0xFF, 0xFE] + Array(" comments say kys".utf8)
        let decision = bytes.withUnsafeBufferPointer { categorizer.decide(category: nil, notes: $0) }
        #expect(decision.category == "threat")
    }

    @Test func aCategoryFileCanNameItsOwnNegationAndNeeds() throws {
        let text = """
            fallback: other
            negation: ['\\bnicht']
            categories:
              - id: threat
                patterns: ['\\bdrohung\\b']
                overruled_by: ['\\bkeine']
                examples: ['eine drohung']
                counter_examples: ['nicht drohung', 'keine drohung']
              - id: image
                narrows: threat
                do_not_open: true
                patterns: ['\\bbild\\b']
                also_needs: ['\\bkind\\b']
                examples: ['bild vom kind']
                counter_examples: ['ein bild']
              - id: other
            """
        let loaded = try HarmCategories.load(from: try HarmCategoriesTests.write(text))
        #expect(CategoryTester(categories: loaded).run().failures.isEmpty)
        let decision = loaded.decide(reported: nil, notes: "bild vom kind", scratch: MatchScratch())
        #expect(decision.withholdOpenLink)
    }

    @Test func aBadNarrowsOrDoNotOpenIsAnErrorWithItsLine() throws {
        let narrows = "fallback: other\ncategories:\n  - id: a\n    narrows: b\n  - id: other\n"
        #expect(throws: RuleError.self) { _ = try HarmCategories.load(from: try HarmCategoriesTests.write(narrows)) }
        let flag = "fallback: other\ncategories:\n  - id: a\n    do_not_open: yes please\n  - id: other\n"
        #expect {
            _ = try HarmCategories.load(from: try HarmCategoriesTests.write(flag))
        } throws: { error in
            (error as? RuleError)?.location.line == 4
        }
    }

    @Test func aReasonCarriesNoControlCharacterOfTheReporters() {
        let decision = categories.decide(reported: "bully\u{1B}[31ming\r\nx", notes: "kys\u{7}", scratch: MatchScratch())
        #expect(decision.category == "threat")
        #expect(!decision.because.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(decision.because.contains("reported as \"bully [31ming  x\""))
    }

    @Test func rulesLintChecksTheCategoriesFileLikeThePlatformFiles() throws {
        let shipped = try RuleLinter().lint(path: TestSupport.rulesDirectory)
        #expect(shipped.files.contains { $0.hasSuffix("/categories.yaml") })
        #expect(shipped.patterns > 200)
        let text = """
            fallback: other
            categories:
              - id: threat
                patterns: ['\\bkill\\b', '(a+)+$']
                examples: ['kill time', 'going to kill']
              - id: other
            """
        let path = try HarmCategoriesTests.write(text)
        let report = try RuleLinter().lint(path: path)
        #expect(report.files == [path])
        #expect(report.errors.contains { $0.kind == .backtracking && $0.location.line == 4 })
        #expect(report.warnings.contains { $0.kind == .noCounterExamples && $0.location.line == 3 })
        #expect(!report.errors.contains { $0.kind == .exampleFails })
        let broken = try HarmCategoriesTests.write(text.replacingOccurrences(of: "'kill time', ", with: "'kill time', 'mocking him', "))
        #expect(try RuleLinter().lint(path: broken).errors.contains { $0.kind == .exampleFails && $0.location.line == 5 })
    }

    /// Whether `haystack` holds `string` with its edges as `wordBefore` and `wordAfter` want them.
    private static func contains(_ haystack: [UInt8], _ string: CategoryLiterals.Needed) -> Bool {
        let needle = string.bytes
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<start + needle.count]) == needle {
            if string.wordBefore, start > 0, CategoryLiterals.isWordByte(haystack[start - 1]) { continue }
            if string.wordAfter, start + needle.count < haystack.count, CategoryLiterals.isWordByte(haystack[start + needle.count]) { continue }
            return true
        }
        return false
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<start + needle.count]) == needle { return true }
        return false
    }
}
