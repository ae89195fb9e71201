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

    /// Whether this normalizer folds rows into items itself. A lane of
    /// `ParallelNormalizer` does not: it hands every key to `keyLog`, and
    /// the keys are folded in input order where the lanes' rows meet.
    let dedupes: Bool
    /// Where a lane's classified keys go (see `dedupes`).
    @exclusivity(unchecked) var keyLog: KeyLog?

    /// Rows waiting for their dedupe lookup; nil when rows go out at once.
    private let pendingRows: PendingRows?
    /// The same, unretained (`pendingRows` holds it): per-URL access then
    /// counts no reference.
    private let pending: Unmanaged<PendingRows>?
    /// The candidates of the current line and the texts of theirs that are not
    /// slices of it; both reused line after line.
    @exclusivity(unchecked) private var candidates = CandidateList()
    @exclusivity(unchecked) private var scratch = ByteBuffer(capacity: 1024)

    /// - Parameter lookahead: when above 0, each row waits until this many
    ///   more URLs have been classified, so that dedupe lookups overlap their
    ///   cache misses (see `PendingRows`); rows then reach `emit` in input
    ///   order but possibly during a later line, and `finish` hands over the
    ///   rest. At 0 every row is emitted while its line is processed.
    ///   - inputBytes: the size of the input, when known: the dedupe table is
    ///     made big enough for it at once instead of growing (and rehashing) as it fills.
    ///   - dedupes: false for a lane of `ParallelNormalizer` (see `keyLog`).
    public init(rules: RuleSet, keepsItems: Bool = false, lookahead: Int = 0, inputBytes: Int? = nil, dedupes: Bool = true) {
        self.rules = rules
        self.dedupes = dedupes
        extractor = URLExtractor(schemelessDomains: rules.schemelessDomains, keepsNotes: false, unwrapsWrappers: false)
        classifier = Classifier(rules: rules)
        dedupe = DedupeIndex(keepsItems: keepsItems, expectedItems: dedupes ? Self.expectedItems(inputBytes: inputBytes) : 16)
        pendingRows = lookahead > 0 && dedupes ? PendingRows(depth: lookahead) : nil
        pending = pendingRows.map { .passUnretained($0) }
    }

    deinit {
        scratch.deallocate()
        candidates.deallocate()
    }

    /// How many items to make room for: a report line runs to about 130 bytes,
    /// and about half of a helpline's lines are new items. Kept between 65,536
    /// (a small batch costs nothing more) and 4 M (a huge one grows from there).
    /// A wrong guess costs little: the table grows by remapping, not copying.
    static func expectedItems(inputBytes: Int?) -> Int {
        min(max((inputBytes ?? 0) / 256, 1 << 16), 1 << 22)
    }

    /// Emits the rows still waiting (with a lookahead); call after the last line.
    public func finish(emit: (RowView) -> Void) {
        while pendingRows?.count ?? 0 > 0 { emitOldest(emit) }
    }

    /// Processes one input line; `emit` gets one row per URL, or one row saying why there is none.
    public func process(line: Int, text: UnsafeBufferPointer<UInt8>, problem: String? = nil, emit: (NormalizedRow) -> Void) {
        processRows(line: line, text: text, problem: problem) { emit($0.row) }
    }

    /// The same, with each row's key and canonical URL lent as bytes: what
    /// `urltriage normalize` writes out, without a string per row.
    public func processRows(line: Int, text: UnsafeBufferPointer<UInt8>, problem: String? = nil, emit: (RowView) -> Void) {
        summary.lines += 1
        if problem != nil && text.isEmpty {
            candidates.removeAll()
        } else {
            extractor.extract(text, into: &candidates, scratch: &scratch)
        }
        guard !candidates.isEmpty else {
            summary.linesWithoutURLs += 1
            reject(line: line, problem ?? (Self.isBlank(text) ? "blank line" : "no URL found"), counted: false, emit: emit)
            return
        }
        summary.linesWithURLs += 1
        for index in 0..<candidates.count {
            summary.urls += 1
            if let rejection = candidates.rejection(index) {
                reject(line: line, rejection, emit: emit)
            } else {
                normalize(candidates[index].text(line: text, scratch: scratch), line: line, emit: emit)
            }
        }
    }

    /// A row without a classification: out at once, or behind the waiting rows.
    private func reject(line: Int, _ reason: String, counted: Bool = true, emit: (RowView) -> Void) {
        if counted { summary.rejectedURLs += 1 }
        guard let pending else { return emit(RowView(line: line, error: reason)) }
        pending._withUnsafeGuaranteedRef { $0.append(line: line, error: reason) }
        advance(emit)
    }

    /// A classified URL: looked up and out at once, or queued with its table memory prefetched.
    private func accept(line: Int, _ classified: ClassifiedBytes, emit: (RowView) -> Void) {
        guard dedupes else {
            keyLog?.append(classified)
            summary.count(classified, newItem: false)
            return emit(RowView(line: line, classified: classified))
        }
        guard let pending else {
            let isNew = dedupe.add(classified, line: line)
            summary.count(classified, newItem: isNew)
            return emit(RowView(line: line, classified: classified, isFirstOfItem: isNew))
        }
        let hash = DedupeIndex.hash(classified.key)
        dedupe.prefetchSlot(hash: hash)
        pending._withUnsafeGuaranteedRef { $0.append(line: line, classified, hash: hash, from: classifier) }
        advance(emit)
    }

    /// Halfway through the wait a row's slot has arrived, so the stored key it
    /// will be compared with can be asked for; a full queue lets its oldest row out.
    private func advance(_ emit: (RowView) -> Void) {
        guard let pending else { return }
        let (hash, isFull) = pending._withUnsafeGuaranteedRef { ($0.hash(back: $0.depth / 2), $0.isFull) }
        if let hash { dedupe.prefetchRecord(hash: hash) }
        if isFull { emitOldest(emit) }
    }

    private func emitOldest(_ emit: (RowView) -> Void) {
        pending?._withUnsafeGuaranteedRef { pending in
            pending.removeFirst { line, error, classified, hash in
                guard let classified else { return emit(RowView(line: line, error: error)) }
                let isNew = dedupe.add(classified, hash: hash, line: line)
                summary.count(classified, newItem: isNew)
                emit(RowView(line: line, classified: classified, isFirstOfItem: isNew))
            }
        }
    }

    /// Convenience for tests and small inputs.
    public func process(line: Int, text: String, emit: (NormalizedRow) -> Void) {
        var copy = text
        copy.withUTF8 { process(line: line, text: $0, emit: emit) }
    }

    private func normalize(_ text: UnsafeBufferPointer<UInt8>, line: Int, emit: (RowView) -> Void) {
        // Parsed into the classifier's own buffer: no string per URL. A URL on
        // a redirect wrapper's host is unwrapped, from the text as found, and
        // the URL it carries is classified instead.
        let inner: [UInt8]
        do {
            let url = try classifier.parse(utf8: text)
            let route = classifier.route(of: url)
            guard !route.wrappers.isEmpty, let unwrapped = RedirectWrappers.unwrapAll(text, hostRules: route.wrappers) else {
                return classify(url, route: route, text: text, line: line, emit: emit)
            }
            inner = unwrapped
        } catch {
            // A wrapper that does not parse may still carry a good URL.
            guard let unwrapped = RedirectWrappers.unwrapAll(text) else {
                return reject(line: line, "not a valid URL: \(error.reason) (\(Self.quote(text)))", emit: emit)
            }
            inner = unwrapped
        }
        // The parse lends bytes of its input until the row is out, so all of it happens in here.
        inner.withUnsafeBufferPointer { inner in
            do throws(URLParseError) {
                let url = try classifier.parse(utf8: inner)
                classify(url, route: classifier.route(of: url), text: inner, line: line, emit: emit)
            } catch {
                reject(line: line, "not a valid URL: \(error.reason) (\(Self.quote(inner)))", emit: emit)
            }
        }
    }

    /// Classifies a parsed URL (whose text was `text`) and passes its row on.
    private func classify(_ url: URLSpans, route: HostRoute, text: UnsafeBufferPointer<UInt8>, line: Int, emit: (RowView) -> Void) {
        guard url.scheme == .http || url.scheme == .https else {
            return reject(line: line, "\(url.scheme.name): URLs are not checked, only http and https (\(Self.quote(text)))", emit: emit)
        }
        guard !url.host.isEmpty else {
            return reject(line: line, "URL has no host (\(Self.quote(text)))", emit: emit)
        }
        do {
            try classifier.classify(parsed: url, route: route) { accept(line: line, $0, emit: emit) }
        } catch {
            reject(line: line, error.description, emit: emit)
        }
    }

    static func quote(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        quote(String(decoding: bytes, as: UTF8.self))
    }

    static func quote(_ text: String) -> String {
        text.utf8.count <= quoteLimit ? text : String(text.prefix(quoteLimit)) + "…"
    }

    static func isBlank(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        text.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0C || $0 == 0x0B }
    }
}
