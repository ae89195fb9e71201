/// Classifies normalised URLs with a rule set. One per thread: it owns the
/// PCRE2 match state and the byte buffer it reuses for every URL.
public final class Classifier {
    public let rules: RuleSet
    private let scratch: MatchScratch
    /// Where keys and canonical URLs are assembled before becoming strings;
    /// only this classifier's thread touches it.
    @exclusivity(unchecked) private var buffer: [UInt8] = []

    public init(rules: RuleSet, scratch: MatchScratch = MatchScratch()) {
        self.rules = rules
        self.scratch = scratch
        buffer.reserveCapacity(512)
    }

    /// The platform, content type, key and canonical URL of `url`.
    public func classify(_ url: WebURL) throws(ClassificationError) -> Classification {
        let platformIndex = rules.platformIndex(forHost: url.host)
        let platform = platformIndex.map { rules.platforms[$0] }
        let host = platform?.fold(host: url.host) ?? Substring(url.host)
        let (rawPath, rawQuery) = URLCleaner.hashbang(url) ?? (url.path, url.query)
        var path = URLCleaner.normalizePercentEncoding(rawPath)
        let parameters = URLCleaner.keptParameters(rawQuery, filter: platform?.stripParams ?? rules.globalTracking)
        let context = TemplateContext(scheme: url.scheme, port: url.port, host: host, path: path, parameters: parameters)

        if let platform {
            let outcome = path.withUTF8 { pathBytes -> Result<Classification?, ClassificationError> in
                for index in platform.candidateRules(for: host) {
                    let rule = platform.content[index]
                    switch self.match(rule, pathBytes: pathBytes, parameters: parameters) {
                    case .failure(let error): return .failure(error)
                    case .success(nil): continue
                    case .success(let captures?):
                        let sources = CaptureSources(path: pathBytes, parameters: parameters)
                        return .success(Classification(
                            platform: platform.platform, type: rule.type,
                            key: self.build(rule.key, captures: captures, sources: sources, context: context, prefix: rule.keyPrefix),
                            canonical: self.build(rule.canonical, captures: captures, sources: sources, context: context),
                            rule: rule.location))
                    }
                }
                return .success(nil)
            }
            if let classification = try outcome.get() { return classification }
        }
        return Classification(platform: platform?.platform ?? "web", type: "page",
                              key: context.pageKey, canonical: context.normalizedURL)
    }

    /// The captures of `rule` if it matches the path and its query
    /// requirements; for tools and tests that work with strings.
    func match(_ rule: ContentRule, path: String, parameters: [QueryParameter]) throws(ClassificationError) -> Captures? {
        var bytes = path
        let ranges = try bytes.withUTF8 { match(rule, pathBytes: $0, parameters: parameters) }.get()
        return ranges.map { Captures(ranges: $0, path: path, parameters: parameters) }
    }

    // MARK: - Matching on bytes

    private func match(_ rule: ContentRule, pathBytes: UnsafeBufferPointer<UInt8>,
                       parameters: [QueryParameter]) -> Result<CaptureRanges?, ClassificationError> {
        var captures = CaptureRanges()
        if let pattern = rule.path {
            switch pattern.match(pathBytes, scratch: scratch) {
            case .noMatch: return .success(nil)
            case .gaveUp(let error): return .failure(ClassificationError(rule: rule.location, message: error.message))
            case .match: record(rule.pathGroups, source: 0, into: &captures)
            }
        }
        for (index, requirement) in rule.query.enumerated() {
            guard let position = parameters.firstIndex(where: { $0.name == requirement.name }) else { return .success(nil) }
            var value = parameters[position].value
            let outcome = value.withUTF8 { requirement.pattern.match($0, scratch: scratch) }
            switch outcome {
            case .noMatch: return .success(nil)
            case .gaveUp(let error): return .failure(ClassificationError(rule: rule.location, message: error.message))
            case .match: record(rule.queryGroups[index], source: Int32(position + 1), into: &captures)
            }
        }
        return .success(captures)
    }

    private func record(_ groups: [(slot: Int, groups: [Int])], source: Int32, into captures: inout CaptureRanges) {
        for (slot, numbers) in groups {
            for number in numbers {
                guard let range = scratch.range(of: number) else { continue }
                captures.set(slot, source: source, range: range)
                break
            }
        }
    }

    // MARK: - Building keys and canonical URLs

    /// Assembles a template in the reusable buffer and makes one string of it.
    private func build(_ template: Template, captures: CaptureRanges, sources: CaptureSources,
                       context: TemplateContext, prefix: String = "") -> String {
        buffer.removeAll(keepingCapacity: true)
        append(prefix)
        for segment in template.segments {
            switch segment {
            case .literal(let text): append(text)
            case .capture(let slot): sources.append(captures, slot: slot, to: &buffer)
            case .foldedCapture(let slot):
                let start = buffer.count
                sources.append(captures, slot: slot, to: &buffer)
                // User names are nearly always lower-case ASCII already.
                if buffer[start...].contains(where: { ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x25 || $0 >= 0x80 }) {
                    let folded = CaseFolding.fold(Substring(decoding: buffer[start...], as: UTF8.self))
                    buffer.removeSubrange(start...)
                    append(folded)
                }
            case .builtin(.url): append(context.normalizedURL)
            case .builtin(.host): append(context.host)
            case .builtin(.path): append(context.path)
            case .builtin(.query):
                for (index, parameter) in context.parameters.enumerated() {
                    buffer.append(index == 0 ? UInt8(ascii: "?") : UInt8(ascii: "&"))
                    append(parameter.text)
                }
            }
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    private func append<S: StringProtocol>(_ text: S) {
        if text.utf8.withContiguousStorageIfAvailable({ buffer.append(contentsOf: $0) }) == nil {
            buffer.append(contentsOf: text.utf8)
        }
    }
}

/// Where captures point: the path's bytes, or a kept query parameter's value.
struct CaptureSources {
    let path: UnsafeBufferPointer<UInt8>
    let parameters: [QueryParameter]

    func append(_ captures: CaptureRanges, slot: Int, to buffer: inout [UInt8]) {
        guard let (source, range) = captures[slot] else { return }
        if source == 0 {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: path[range]))
        } else {
            var value = parameters[Int(source) - 1].value
            value.withUTF8 { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
        }
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

