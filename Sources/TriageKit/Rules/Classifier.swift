#if canImport(Glibc)
import Glibc
#endif

/// Classifies normalised URLs with a rule set. One per thread: it owns the
/// PCRE2 match state and the byte buffer it reuses for every URL.
public final class Classifier {
    public let rules: RuleSet
    private let scratch: MatchScratch
    /// Where keys and canonical URLs are assembled; only this classifier's
    /// thread touches it, and what it holds is valid until the next URL.
    @exclusivity(unchecked) private var buffer = ByteBuffer(capacity: 512)
    /// The folded host, normalised path and query of the URL being classified, one after another.
    @exclusivity(unchecked) private var partBytes = ByteBuffer(capacity: 512)
    /// The kept query parameters of that URL, as ranges of its query.
    @exclusivity(unchecked) private var parameters = ReusableList<ParameterRange>()
    private let hostRoutes = HostRouteCache()
    /// What the per-URL path reads of each of `rules.platforms`, as plain
    /// values (the rule set holds the platforms): reading a platform through
    /// its class reference, even an unowned one, counts the reference.
    private let platformViews: UnsafeMutableBufferPointer<PlatformView>

    private struct PlatformView {
        let rules: Unmanaged<PlatformRules>
        let routes: RuleRoutes
        let name: UnsafeBufferPointer<UInt8>
    }
    /// `scratch`'s PCRE2 state as plain pointers, for the same reason.
    private let matchData: OpaquePointer
    private let matchContext: OpaquePointer
    private let ovector: UnsafeMutablePointer<Int>
    /// `rules.globalTracking`, unretained (the rule set holds it).
    private let globalTracking: Unmanaged<ParamFilter>

    public init(rules: RuleSet, scratch: MatchScratch = MatchScratch()) {
        self.rules = rules
        self.scratch = scratch
        matchData = scratch.matchData
        matchContext = scratch.context
        ovector = scratch.ovector
        globalTracking = .passUnretained(rules.globalTracking)
        platformViews = .allocate(capacity: max(rules.platforms.count, 1))
        for (index, platform) in rules.platforms.enumerated() {
            (platformViews.baseAddress! + index).initialize(to: PlatformView(rules: .passUnretained(platform), routes: platform.routes,
                                                                               name: platform.name.bytes))
        }
    }

    deinit {
        buffer.deallocate()
        partBytes.deallocate()
        parameters.deallocate()
        platformViews.deallocate()
    }

    /// The platform, content type, key and canonical URL of `url`.
    public func classify(_ url: WebURL) throws(ClassificationError) -> Classification {
        let result = try classifyInPlace(url)
        return result.classification(in: buffer.bytes)
    }

    /// Classifies `url` and hands `body` the key and canonical URL as bytes,
    /// without making strings of them: the batch path, which only hashes the
    /// key and copies both to its output.
    public func classify<R>(_ url: WebURL, _ body: (ClassifiedBytes) -> R) throws(ClassificationError) -> R {
        let result = try classifyInPlace(url)
        return body(result.view(in: buffer.bytes))
    }

    /// Parses `text` straight into this classifier's own buffer, making no
    /// string: the batch path's parse, for `classify(parsed:_:)` right after.
    func parse(utf8 text: UnsafeBufferPointer<UInt8>) throws(URLParseError) -> URLSpans {
        partBytes.removeAll()
        return try WebURLParser.parse(text, isValidUTF8: false, deferringQuery: true, into: &partBytes)
    }

    /// Where the URL `parse(utf8:)` just parsed goes: its platform, its
    /// rules, and whether its host is a redirect wrapper's.
    func route(of spans: URLSpans) -> HostRoute {
        hostRoutes.route(for: partBytes[spans.host], find: findRoute)
    }

    /// Classifies the URL `parse(utf8:)` just parsed, as `classify(_:_:)` does a `WebURL`.
    func classify<R>(parsed spans: URLSpans, route: HostRoute, _ body: (ClassifiedBytes) -> R) throws(ClassificationError) -> R {
        let result = try classifyParsed(spans, route: route)
        return body(result.view(in: buffer.bytes))
    }

    /// Hands the buffer holding the last key and canonical URL to the caller
    /// in exchange for `other`, which becomes this classifier's: a batch that
    /// keeps rows waiting (see `PendingRows`) takes the bytes without copying
    /// them. The bytes stay where they are, now owned by the caller.
    func exchangeBuffer(_ other: inout ByteBuffer) {
        swap(&buffer, &other)
    }

    /// Classifies `url`, leaving its key and canonical URL in `buffer`.
    private func classifyInPlace(_ url: WebURL) throws(ClassificationError) -> BuiltClassification {
        partBytes.removeAll()
        func copy(_ text: String) -> Range<Int> {
            let start = partBytes.count
            partBytes.append(utf8Of: text)
            return start..<partBytes.count
        }
        let host = copy(url.host)
        let path = copy(url.path)
        let spans = URLSpans(scheme: WebURLParser.SchemeKind(name: url.scheme) ?? .https, username: 0..<0, password: 0..<0,
                             host: host, port: url.port, path: path, query: url.query.map(copy), fragment: url.fragment.map(copy))
        return try classifyParsed(spans, route: route(of: spans))
    }

    /// The platform, folding and candidate rules of a host not in the cache.
    private func findRoute(_ host: UnsafeBufferPointer<UInt8>) -> HostRoute {
        let wrappers = RedirectWrappers.hostRules(host)
        guard let index = rules.platformIndex(forHost: host) else { return .unknown(wrappers: wrappers) }
        let platform = rules.platforms[index]
        let fold = platform.foldOffset(host)
        return HostRoute(platform: Int32(index), foldOffset: Int32(fold),
                         candidates: platform.candidateIndexes(for: UnsafeBufferPointer(rebasing: host[fold...])), wrappers: wrappers)
    }

    /// Classifies the URL whose parts `spans` locates in `partBytes`.
    ///
    /// Works on bytes throughout: kept parameters are ranges of the query,
    /// and the key and canonical URL are assembled in `buffer`. The query's
    /// parameters are sorted out only when a rule or the plain-page key reads
    /// them: a TikTok video's key and canonical URL come from its path alone.
    private func classifyParsed(_ spans: URLSpans, route: HostRoute) throws(ClassificationError) -> BuiltClassification {
        buffer.removeAll()
        let platform: PlatformView? = route.platform < 0 ? nil : platformViews[Int(route.platform)]
        let hostRange = (spans.host.lowerBound + Int(route.foldOffset))..<spans.host.upperBound
        // An old `#!/` address: the route in the fragment is the real path and query.
        var pathRange = spans.path
        var queryRange = spans.query ?? 0..<0
        // The query still to be encoded, if the parser deferred it.
        var deferredQuery = spans.deferredQuery
        if let fragment = spans.fragment, let hashbang = Self.hashbangRoute(path: partBytes[spans.path], fragment: partBytes[fragment]) {
            // The route is fragment text: parsed as a path and query here (backslashes,
            // dot segments, escapes), or the canonical URL would not read back as itself.
            let route = Self.parsedHashbangRoute(partBytes[fragment.lowerBound.advanced(by: 1)..<fragment.upperBound], into: &partBytes)
            pathRange = route.path
            if hashbang.query != nil {
                queryRange = route.query ?? 0..<0
                deferredQuery = nil
            }
        }
        // Uniform percent-encoding in the path, written after the parts when it changes anything.
        let path = partBytes[pathRange]
        if let base = path.baseAddress, memchr(base, 0x25, path.count) != nil {
            // Copied out first: appending may move the buffer.
            let copy = Array(path)
            let start = partBytes.count
            copy.withUnsafeBufferPointer { URLCleaner.appendNormalizingPercentEncoding($0, to: &partBytes) }
            pathRange = start..<partBytes.count
        }
        // Room for the deferred query at its longest (every byte escaped), so
        // that encoding it later leaves the bytes `parts` points at where they are.
        if let deferredQuery { partBytes.reserve(3 * deferredQuery.count) }

        var parts = URLParts(scheme: spans.scheme, port: spans.port, host: partBytes[hostRange], path: partBytes[pathRange],
                             query: partBytes[queryRange], parameters: UnsafeBufferPointer(start: nil, count: 0))
        var parametersFound = false
        func findParameters() {
            if let deferredQuery {
                parts.query = partBytes[WebURLParser.appendEncodedQuery(deferredQuery, to: &partBytes)]
            }
            let filter = platform?.routes.stripParams ?? globalTracking
            filter._withUnsafeGuaranteedRef { URLCleaner.keptParameters(parts.query, filter: $0, into: &parameters) }
            parts.parameters = parameters.elements
            parametersFound = true
        }
        if let platform {
            let routes = platform.routes
            for index in route.candidates {
                let compiled = routes.compiled[Int(index)]
                if compiled.needsParameters && !parametersFound { findParameters() }
                let captures: CaptureRanges
                if compiled.hasQuery {
                    // Query requirements go through the rule itself: a few rules, and off the TikTok path.
                    switch match(routes.rules[Int(index)].takeUnretainedValue(), parts) {
                    case .failure(let error): throw error
                    case .success(nil): continue
                    case .success(let found?): captures = found
                    }
                } else {
                    guard let found = try matchPath(compiled, parts, rule: routes.rules[Int(index)]) else { continue }
                    captures = found
                }
                let key = build(compiled.keyCode, captures: captures, parts: parts)
                let canonical = build(compiled.canonicalCode, captures: captures, parts: parts)
                let origin = RuleOrigin(platform: platform.rules, rule: routes.rules[Int(index)],
                                        platformName: platform.name, typeName: compiled.typeName)
                return BuiltClassification(origin: origin, key: key, canonical: canonical)
            }
        }
        if !parametersFound { findParameters() }
        let keyStart = buffer.count
        parts.appendURL(scheme: spans.scheme == .http ? .https : spans.scheme, to: &buffer)
        let canonicalStart = buffer.count
        parts.appendURL(scheme: spans.scheme, to: &buffer)
        let origin = platform.map { RuleOrigin(platform: $0.rules, rule: nil, platformName: $0.name, typeName: NameBytes.page) } ?? .none
        return BuiltClassification(origin: origin, key: keyStart..<canonicalStart, canonical: canonicalStart..<buffer.count)
    }

    /// A hashbang route (`/user/status/1?x=1`, from the fragment) parsed as
    /// the path and query of a URL, appended to `bytes`; its own fragment is dropped.
    static func parsedHashbangRoute(_ route: UnsafeBufferPointer<UInt8>, into bytes: inout ByteBuffer) -> (path: Range<Int>, query: Range<Int>?) {
        let text = Array("http://h".utf8) + Array(route)
        // Copied out first: appending may move the buffer. A special URL's path and query never fail to parse.
        let spans = text.withUnsafeBufferPointer { try? WebURLParser.parse($0, isValidUTF8: false, into: &bytes) }
        guard let spans else { return (bytes.count..<bytes.count, nil) }
        return (spans.path, spans.query)
    }

    /// Where the path and query of an old `#!/` address are in its fragment
    /// (`twitter.com/#!/user/status/1`); nil for other URLs. The same rule as
    /// `URLCleaner.hashbang`: the query is the route's, if it has one.
    static func hashbangRoute(path: UnsafeBufferPointer<UInt8>, fragment: UnsafeBufferPointer<UInt8>) -> (path: Range<Int>, query: Range<Int>?)? {
        guard path.count == 1, path[0] == UInt8(ascii: "/"), fragment.count >= 2,
              fragment[0] == UInt8(ascii: "!"), fragment[1] == UInt8(ascii: "/") else { return nil }
        guard let question = fragment[1...].firstIndex(of: UInt8(ascii: "?")) else { return (1..<fragment.count, nil) }
        return (1..<question, (question + 1)..<fragment.count)
    }

    /// The captures of `rule` if it matches the path and its query
    /// requirements; for tools and tests that work with strings.
    func match(_ rule: ContentRule, path: String, parameters: [QueryParameter]) throws(ClassificationError) -> Captures? {
        // The same bytes the batch path sees: the path, then the parameters joined by "&".
        var bytes = Array(path.utf8)
        var ranges: [ParameterRange] = []
        let queryStart = bytes.count
        for (index, parameter) in parameters.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: "&")) }
            let start = bytes.count - queryStart
            let valueStart = start + parameter.text.utf8.count - parameter.value.utf8.count
            bytes.append(contentsOf: parameter.text.utf8)
            let end = bytes.count - queryStart
            ranges.append(ParameterRange(name: start..<(start + parameter.name.utf8.count), value: valueStart..<end, whole: start..<end))
        }
        let found = bytes.withUnsafeBufferPointer { bytes in
            ranges.withUnsafeBufferPointer { ranges in
                match(rule, URLParts(scheme: .https, port: nil, host: UnsafeBufferPointer(rebasing: bytes[0..<0]),
                                     path: UnsafeBufferPointer(rebasing: bytes[..<queryStart]),
                                     query: UnsafeBufferPointer(rebasing: bytes[queryStart...]), parameters: ranges))
            }
        }
        return try found.get().map { Captures(ranges: $0, path: path, parameters: parameters) }
    }

    // MARK: - Matching on bytes

    /// Matches a rule without query requirements on the path: the common
    /// case, on plain values only. Nil when it does not match; an error
    /// (read from the rule itself) when PCRE2 gave up.
    @inline(__always)
    private func matchPath(_ compiled: CompiledRule, _ parts: URLParts,
                           rule: Unmanaged<ContentRule>) throws(ClassificationError) -> CaptureRanges? {
        var captures = CaptureRanges()
        guard let pattern = compiled.path else { return captures }
        guard pattern.admits(parts.path) else { return nil }
        let rc = pattern.match(parts.path, matchData: matchData, context: matchContext)
        if rc < 0 {
            if rc == BarePattern.noMatch { return nil }
            throw gaveUp(rule.takeUnretainedValue(), parts)
        }
        record(compiled.pathCaptures, source: 0, into: &captures)
        return captures
    }

    /// The error for a rule whose pattern ran into PCRE2's limits, with the
    /// message the rule's own pattern gives when run again.
    @inline(never)
    private func gaveUp(_ rule: ContentRule, _ parts: URLParts) -> ClassificationError {
        if case .failure(let error) = match(rule, parts) { return error }
        return ClassificationError(rule: rule.location, message: "PCRE2 gave up on this URL")
    }

    private func match(_ rule: ContentRule, _ parts: URLParts) -> Result<CaptureRanges?, ClassificationError> {
        var captures = CaptureRanges()
        unowned(unsafe) let scratch = scratch
        if rule.path != nil {
            unowned(unsafe) let pattern = rule.path.unsafelyUnwrapped
            switch pattern.match(parts.path, scratch: scratch) {
            case .noMatch: return .success(nil)
            case .gaveUp(let error): return .failure(ClassificationError(rule: rule.location, message: error.message))
            case .match: record(rule.pathCaptures, source: 0, into: &captures)
            }
        }
        if rule.query.isEmpty { return .success(captures) }
        for (index, requirement) in rule.query.enumerated() {
            guard let position = parts.parameter(named: requirement.name) else { return .success(nil) }
            switch requirement.pattern.match(parts.value(of: position), scratch: scratch) {
            case .noMatch: return .success(nil)
            case .gaveUp(let error): return .failure(ClassificationError(rule: rule.location, message: error.message))
            case .match: record(rule.queryCaptures[index], source: Int32(position + 1), into: &captures)
            }
        }
        return .success(captures)
    }

    /// Sets each slot from the first of its groups that took part in the last match.
    private func record(_ table: CaptureTable, source: Int32, into captures: inout CaptureRanges) {
        var done: UInt32 = 0
        for entry in table.entries where done & (1 << UInt32(entry.slot)) == 0 {
            guard let range = MatchScratch.range(of: Int(entry.group), in: ovector) else { continue }
            captures.set(Int(entry.slot), source: source, range: range)
            done |= 1 << UInt32(entry.slot)
        }
    }

    // MARK: - Building keys and canonical URLs

    /// Assembles a template at the end of the reusable buffer; returns where it is.
    private func build(_ code: TemplateCode, captures: CaptureRanges, parts: URLParts) -> Range<Int> {
        let templateStart = buffer.count
        for step in code.steps {
            switch step.kind {
            case .literal: buffer.append(code.literal(step))
            case .capture: parts.append(captures, slot: Int(step.slot), to: &buffer)
            case .foldedCapture:
                let start = buffer.count
                parts.append(captures, slot: Int(step.slot), to: &buffer)
                // User names are nearly always ASCII: folding them is lower-casing
                // them in place. Escapes and other scripts go to `CaseFolding`.
                let written = buffer[start..<buffer.count]
                if written.contains(where: { $0 == 0x25 || $0 >= 0x80 }) {
                    let folded = CaseFolding.fold(Substring(decoding: written, as: UTF8.self))
                    buffer.truncate(to: start)
                    append(folded)
                } else {
                    let target = buffer.base + start
                    for offset in 0..<written.count where target[offset] &- 0x41 < 26 { target[offset] |= 0x20 }
                }
            case .url: parts.appendURL(scheme: parts.scheme, to: &buffer)
            case .host: buffer.append(parts.host)
            case .path: buffer.append(parts.path)
            case .query: parts.appendQuery(to: &buffer)
            }
        }
        return templateStart..<buffer.count
    }

    private func append<S: StringProtocol>(_ text: S) { buffer.append(utf8Of: text) }
}

/// The parts of a URL the classifier reads, as bytes lent for one classification.
struct URLParts {
    let scheme: WebURLParser.SchemeKind
    let port: Int?
    /// Folded (`www.`, `m.` … dropped).
    let host: UnsafeBufferPointer<UInt8>
    /// With uniform percent-encoding.
    let path: UnsafeBufferPointer<UInt8>
    var query: UnsafeBufferPointer<UInt8>
    /// The kept parameters, sorted by name, as ranges of `query`.
    var parameters: UnsafeBufferPointer<ParameterRange>

    /// The index of the first kept parameter called `name`.
    func parameter(named name: String) -> Int? {
        parameters.firstIndex { name.utf8.elementsEqual(UnsafeBufferPointer(rebasing: query[$0.name])) }
    }

    func value(of index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: query[parameters[index].value])
    }

    /// Appends a capture: source 0 is the path; source k the k-th kept parameter's value.
    func append(_ captures: CaptureRanges, slot: Int, to buffer: inout ByteBuffer) {
        guard let (source, range) = captures[slot] else { return }
        let subject = source == 0 ? path : value(of: Int(source) - 1)
        buffer.append(UnsafeBufferPointer(rebasing: subject[range]))
    }

    /// `?` and the kept parameters joined by `&`, or nothing.
    func appendQuery(to buffer: inout ByteBuffer) {
        for (index, parameter) in parameters.enumerated() {
            buffer.append(index == 0 ? UInt8(ascii: "?") : UInt8(ascii: "&"))
            buffer.append(UnsafeBufferPointer(rebasing: query[parameter.whole]))
        }
    }

    /// The URL with its host folded, trackers stripped, parameters sorted and
    /// fragment and credentials dropped, with `scheme` (the same text as
    /// `TemplateContext.normalizedURL`).
    func appendURL(scheme: WebURLParser.SchemeKind, to buffer: inout ByteBuffer) {
        buffer.append(scheme.staticName)
        buffer.append("://")
        buffer.append(host)
        if let port {
            buffer.append(UInt8(ascii: ":"))
            buffer.append(decimal: port)
        }
        buffer.append(path)
        appendQuery(to: &buffer)
    }
}

/// The captures of one match as byte ranges, by slot: plain integers, so
/// copying them costs nothing. A rule captures at most `CaptureRanges.limit` names.
struct CaptureRanges {
    static let limit = 8
    private var sources = SIMD8<Int32>(repeating: -1)
    private var starts = SIMD8<Int32>(repeating: 0)
    private var ends = SIMD8<Int32>(repeating: 0)

    /// Source 0 is the path; source k is the k-th kept query parameter.
    mutating func set(_ slot: Int, source: Int32, range: Range<Int>) {
        sources[slot] = source
        starts[slot] = Int32(range.lowerBound)
        ends[slot] = Int32(range.upperBound)
    }

    subscript(slot: Int) -> (source: Int32, range: Range<Int>)? {
        guard slot < Self.limit, sources[slot] >= 0 else { return nil }
        return (sources[slot], Int(starts[slot])..<Int(ends[slot]))
    }
}

/// The captures of one match as strings, for tools and tests.
struct Captures {
    private let values: [Substring?]

    init(ranges: CaptureRanges, path: String, parameters: [QueryParameter]) {
        values = (0..<CaptureRanges.limit).map { slot in
            guard let (source, range) = ranges[slot] else { return nil }
            let text = source == 0 ? Substring(path) : parameters[Int(source) - 1].value
            let utf8 = text.utf8
            let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            return text[start..<utf8.index(start, offsetBy: range.count)]
        }
    }

    subscript(slot: Int) -> Substring? { slot < values.count ? values[slot] : nil }
}

/// Everything a template can refer to for one URL.
struct TemplateContext {
    let scheme: String
    let port: Int?
    let host: Substring
    let path: String
    let parameters: [QueryParameter]

    /// The URL with its host folded, trackers stripped, parameters sorted and fragment and credentials dropped.
    var normalizedURL: String { build(scheme: scheme) }

    /// The key of a plain page: its normalised URL, with http and https taken as the same page.
    var pageKey: String { build(scheme: scheme == "http" ? "https" : scheme) }

    private func build(scheme: String) -> String {
        var pieces: [Substring] = [Substring(scheme), "://", host]
        if let port { pieces += [":", Substring(String(port))] }
        pieces.append(Substring(path))
        for (index, parameter) in parameters.enumerated() {
            pieces.append(index == 0 ? "?" : "&")
            pieces.append(parameter.text)
        }
        return String.joining(pieces)
    }

}

extension TemplateContext {
    /// Builds a template from string captures: the readable path for tools
    /// such as `rules explain`; the classifier builds the same on bytes.
    func expand(_ template: Template, captures: Captures, prefix: String = "") -> String {
        var result = prefix
        for segment in template.segments {
            switch segment {
            case .literal(let text): result += text
            case .capture(let slot): result += captures[slot] ?? ""
            case .foldedCapture(let slot): result += captures[slot].map(CaseFolding.fold) ?? ""
            case .builtin(.url): result += normalizedURL
            case .builtin(.host): result += host
            case .builtin(.path): result += path
            case .builtin(.query):
                for (index, parameter) in parameters.enumerated() {
                    result += index == 0 ? "?" : "&"
                    result += parameter.text
                }
            }
        }
        return result
    }
}

extension String {
    /// The pieces written one after another into a string allocated once.
    static func joining(_ pieces: [Substring]) -> String {
        var length = 0
        for piece in pieces { length += piece.utf8.count }
        return String(unsafeUninitializedCapacity: length) { buffer in
            var offset = 0
            for var piece in pieces {
                // Returned, not captured: a captured `var` is boxed and checked on every access.
                offset += piece.withUTF8 { bytes -> Int in
                    guard let base = bytes.baseAddress else { return 0 }
                    (buffer.baseAddress! + offset).update(from: base, count: bytes.count)
                    return bytes.count
                }
            }
            return offset
        }
    }
}


/// A classification whose key and canonical URL are ranges of the classifier's buffer.
private struct BuiltClassification {
    let origin: RuleOrigin
    let key: Range<Int>
    let canonical: Range<Int>

    func view(in buffer: UnsafeBufferPointer<UInt8>) -> ClassifiedBytes {
        ClassifiedBytes(origin: origin, key: UnsafeBufferPointer(rebasing: buffer[key]),
                        canonical: UnsafeBufferPointer(rebasing: buffer[canonical]))
    }

    func classification(in buffer: UnsafeBufferPointer<UInt8>) -> Classification {
        view(in: buffer).classification
    }
}
