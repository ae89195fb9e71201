import Foundation

/// `rules lint` for `categories.yaml`: what the loader refuses (with its line), every
/// pattern probed for catastrophic backtracking, categories without examples or
/// counter-examples, and every example and counter-example run (`CategoryTester`).
enum CategoryLint {
    /// The findings for the categories file at `path`, and how many patterns were probed.
    static func lint(_ path: String, probe: BacktrackingProbe) -> (findings: [LintFinding], patterns: Int) {
        let categories: HarmCategories
        do {
            categories = try HarmCategories.load(from: path)
        } catch {
            return ([LintFinding(.error, .badValue, error.location, error.message)], 0)
        }
        var findings: [LintFinding] = []
        var patterns = 0
        func probed(_ pattern: CategoryPattern, _ what: String) {
            patterns += 1
            if let hit = probe.probe(pattern.pattern) {
                findings.append(LintFinding(.error, .backtracking, pattern.location,
                    "\(what) backtracks catastrophically: on the \(hit.input.utf8.count)-byte input \(hit.recipe) it gave up after \(hit.limit) steps, because '\(hit.piece)' can take the run in many ways; make each repeated piece match its text one way only"))
            }
        }
        for pattern in categories.negation { probed(pattern, "this 'negation' pattern") }
        for category in categories.categories {
            for pattern in category.patterns { probed(pattern, "this pattern of '\(category.id)'") }
            for pattern in category.overruledBy { probed(pattern, "this 'overruled_by' pattern of '\(category.id)'") }
            for pattern in category.alsoNeeds { probed(pattern, "this 'also_needs' pattern of '\(category.id)'") }
            guard category.id != categories.fallback.id else { continue }
            if category.examples.isEmpty {
                findings.append(LintFinding(.warning, .noExamples, category.location, "category '\(category.id)' has no examples: nothing tests its patterns"))
            }
            if category.counterExamples.isEmpty {
                findings.append(LintFinding(.warning, .noCounterExamples, category.location, "category '\(category.id)' has no counter-examples"))
            }
        }
        for failure in CategoryTester(categories: categories).run().failures {
            findings.append(LintFinding(.error, .exampleFails, failure.location,
                                        "\"\(failure.text)\": expected \(failure.expected), but \(failure.actual)"))
        }
        return (findings, patterns)
    }
}
