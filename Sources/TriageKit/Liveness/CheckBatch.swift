/// A batch as `check` reads it: the distinct items to check, and a result
/// for every input line it cannot check, so that nothing is dropped silently.
public struct CheckBatch: Sendable {
    /// The distinct items, in order of first appearance.
    public var items: [DedupeIndex.Item] = []
    /// Verdict `error`, with the reason `normalize` gives, for each URL found
    /// that cannot be checked (another scheme, too long, an invalid host …)
    /// and each line that could not be read (not UTF-8, too long), in input order.
    public var unchecked: [CheckResult] = []
    /// Lines without a URL and without a problem (blank, or words only): nothing to check, nothing lost.
    public var linesWithoutURLs = 0

    public init() {}

    /// Reads, normalises and dedupes a batch; throws `InputError` for a file that cannot be read at all.
    public static func read(_ reader: ReportReader, rules: RuleSet) throws -> CheckBatch {
        let normalizer = BatchNormalizer(rules: rules, keepsItems: true)
        var batch = CheckBatch()
        var errors: [(line: Int, reason: String)] = []
        try reader.read { record in
            errors.removeAll(keepingCapacity: true)
            let withoutURLs = normalizer.summary.linesWithoutURLs
            normalizer.process(line: record.line, text: record.text, problem: record.problem) { row in
                if let error = row.error { errors.append((row.line, error)) }
            }
            if normalizer.summary.linesWithoutURLs > withoutURLs && record.problem == nil {
                batch.linesWithoutURLs += 1
                return
            }
            for (line, reason) in errors {
                batch.unchecked.append(CheckResult(key: "", url: "", verdict: .error, reason: "line \(line): \(reason)",
                                                   elapsedMilliseconds: 0, attempts: 0))
            }
        }
        batch.items = normalizer.dedupe.items
        return batch
    }
}
