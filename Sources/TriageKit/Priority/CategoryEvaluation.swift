/// How well the categories decide a set of notes whose category a person gave:
/// accuracy per category and the confusion between them, for the test set in
/// `Tests/TriageKitTests/Fixtures/categories/notes.tsv` and `urltriage rules categorize --expected`.
public struct CategoryEvaluation: Sendable {
    /// One note given a category other than the one expected.
    public struct Miss: Sendable {
        public var line: Int
        public var expected: String
        public var actual: String
        public var note: String
        public var because: String
    }

    /// The categories in the file's order, then any expected category the file does not know.
    public var order: [String]
    /// `confusion[expected][actual]`: how many notes expected as one were decided as the other.
    public var confusion: [String: [String: Int]]
    public var misses: [Miss]
    public var total: Int

    /// Reads `expected<TAB>note` lines (blank lines and `#` comments skipped) and decides each note.
    public init(tsv: String, categories: HarmCategories) {
        let scratch = MatchScratch()
        var confusion: [String: [String: Int]] = [:]
        var misses: [Miss] = []
        var order = categories.categories.map(\.id)
        var total = 0
        for (index, raw) in tsv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            guard !line.isEmpty, !line.hasPrefix("#"), let tab = line.firstIndex(of: "\t") else { continue }
            let expected = String(line[..<tab])
            let note = String(line[line.index(after: tab)...])
            let decision = categories.decide(reported: nil, notes: note, scratch: scratch)
            if !order.contains(expected) { order.append(expected) }
            confusion[expected, default: [:]][decision.category, default: 0] += 1
            total += 1
            if decision.category != expected {
                misses.append(Miss(line: index + 1, expected: expected, actual: decision.category, note: note, because: decision.because))
            }
        }
        self.order = order
        self.confusion = confusion
        self.misses = misses
        self.total = total
    }

    /// Notes expected as `category`.
    public func count(_ category: String) -> Int { confusion[category]?.values.reduce(0, +) ?? 0 }
    /// Notes expected as `category` and decided as it: recall, the accuracy on that category.
    public func correct(_ category: String) -> Int { confusion[category]?[category] ?? 0 }
    /// Notes decided as `category`, whatever was expected.
    public func decided(_ category: String) -> Int { confusion.values.reduce(0) { $0 + ($1[category] ?? 0) } }

    /// The share of notes expected as `category` that were decided as it; nil without any.
    public func recall(_ category: String) -> Double? {
        let all = count(category)
        return all == 0 ? nil : Double(correct(category)) / Double(all)
    }

    /// The share of notes decided as `category` that were expected as it; nil when none was.
    public func precision(_ category: String) -> Double? {
        let all = decided(category)
        return all == 0 ? nil : Double(correct(category)) / Double(all)
    }

    public var accuracy: Double {
        total == 0 ? 1 : Double(order.reduce(0) { $0 + correct($1) }) / Double(total)
    }

    /// Accuracy per category and the confusion matrix, as Markdown tables.
    public var markdown: String {
        func percent(_ value: Double?) -> String {
            guard let value else { return "–" }
            return String(Int((value * 1000).rounded()) / 10) + "." + String(Int((value * 1000).rounded()) % 10) + "%"
        }
        let shown = order.filter { count($0) > 0 || decided($0) > 0 }
        var text = "| category | notes | right | accuracy (recall) | precision |\n|---|---:|---:|---:|---:|\n"
        for category in shown {
            text += "| \(category) | \(count(category)) | \(correct(category)) | \(percent(recall(category))) | \(percent(precision(category))) |\n"
        }
        text += "| all | \(total) | \(shown.reduce(0) { $0 + correct($1) }) | \(percent(accuracy)) | |\n\n"
        text += "Confusion (rows: expected, columns: decided):\n\n| expected \\ decided | " + shown.joined(separator: " | ") + " |\n"
        text += "|---|" + shown.map { _ in "---:" }.joined(separator: "|") + "|\n"
        for expected in shown {
            text += "| \(expected) | " + shown.map { actual in
                let n = confusion[expected]?[actual] ?? 0
                return n == 0 ? "·" : String(n)
            }.joined(separator: " | ") + " |\n"
        }
        return text
    }
}
