/// Extract, normalise, classify and dedupe, line by line: the offline engine
/// behind `urltriage normalize`. One per thread.
public final class BatchNormalizer {
    public let rules: RuleSet
    private let extractor: URLExtractor
    private let classifier: Classifier
    // One thread owns a normalizer (see above), so the per-access
    // exclusivity checks on these counters buy nothing on the hot path.
    @exclusivity(unchecked) public private(set) var dedupe: DedupeIndex
    @exclusivity(unchecked) public private(set) var summary = BatchSummary()
    /// How much of a rejected candidate to quote in its error.
    static let quoteLimit = 120

    public init(rules: RuleSet, keepsItems: Bool = false) {
        self.rules = rules
        extractor = URLExtractor(schemelessDomains: rules.schemelessDomains)
        classifier = Classifier(rules: rules)
        dedupe = DedupeIndex(keepsItems: keepsItems)
    }

    /// Processes one input line; `emit` gets one row per URL, or one row saying why there is none.
    public func process(line: Int, text: UnsafeBufferPointer<UInt8>, problem: String? = nil, emit: (NormalizedRow) -> Void) {
        summary.lines += 1
        let candidates = problem != nil && text.isEmpty ? [] : extractor.extract(text)
        guard !candidates.isEmpty else {
            summary.linesWithoutURLs += 1
            emit(NormalizedRow(line: line, error: problem ?? (Self.isBlank(text) ? "blank line" : "no URL found")))
            return
        }
        summary.linesWithURLs += 1
        for candidate in candidates {
            summary.urls += 1
            let row = normalize(candidate, line: line)
            if let classification = row.classification {
                summary.count(platform: classification.platform, newItem: row.isFirstOfItem)
            } else {
                summary.rejectedURLs += 1
            }
            emit(row)
        }
    }

    /// Convenience for tests and small inputs.
    public func process(line: Int, text: String, emit: (NormalizedRow) -> Void) {
        var copy = text
        copy.withUTF8 { process(line: line, text: $0, emit: emit) }
    }

    private func normalize(_ candidate: Candidate, line: Int) -> NormalizedRow {
        if let rejection = candidate.rejection {
            return NormalizedRow(line: line, error: rejection)
        }
        let url: WebURL
        do {
            url = try WebURL.parse(candidate.text)
        } catch {
            return NormalizedRow(line: line, error: "not a valid URL: \(error.reason) (\(Self.quote(candidate.text)))")
        }
        guard url.scheme == "http" || url.scheme == "https" else {
            return NormalizedRow(line: line, error: "\(url.scheme): URLs are not checked, only http and https (\(Self.quote(candidate.text)))")
        }
        guard !url.host.isEmpty else {
            return NormalizedRow(line: line, error: "URL has no host (\(Self.quote(candidate.text)))")
        }
        do {
            let classification = try classifier.classify(url)
            let isNew = dedupe.add(classification, line: line)
            return NormalizedRow(line: line, classification: classification, isFirstOfItem: isNew)
        } catch {
            return NormalizedRow(line: line, error: error.description)
        }
    }

    static func quote(_ text: String) -> String {
        text.utf8.count <= quoteLimit ? text : String(text.prefix(quoteLimit)) + "…"
    }

    static func isBlank(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        text.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0C || $0 == 0x0B }
    }
}
