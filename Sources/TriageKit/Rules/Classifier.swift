/// Classifies normalised URLs with a rule set. One per thread: it owns the
/// PCRE2 match state it reuses for every URL.
public final class Classifier {
    public let rules: RuleSet
    private let scratch: MatchScratch

    public init(rules: RuleSet, scratch: MatchScratch = MatchScratch()) {
        self.rules = rules
        self.scratch = scratch
    }

    /// The platform, content type, key and canonical URL of `url`.
    public func classify(_ url: WebURL) throws(ClassificationError) -> Classification {
        let platformIndex = rules.platformIndex(forHost: url.host)
        let platform = platformIndex.map { rules.platforms[$0] }
        let host = platform?.fold(host: url.host) ?? Substring(url.host)
        let (rawPath, rawQuery) = URLCleaner.hashbang(url) ?? (url.path, url.query)
        let path = URLCleaner.normalizePercentEncoding(rawPath)
        let parameters = URLCleaner.keptParameters(rawQuery, filter: platform?.stripParams ?? rules.globalTracking)
        let context = TemplateContext(scheme: url.scheme, port: url.port, host: host, path: path, parameters: parameters)

        if let platform {
            for index in platform.candidateRules(for: host) {
                let rule = platform.content[index]
                guard let captures = try match(rule, path: path, parameters: parameters) else { continue }
                return Classification(
                    platform: platform.platform, type: rule.type,
                    key: context.expand(rule.key, captures: captures, prefix: rule.keyPrefix),
                    canonical: context.expand(rule.canonical, captures: captures),
                    rule: rule.location)
            }
        }
        return Classification(platform: platform?.platform ?? "web", type: "page",
                              key: context.pageKey, canonical: context.normalizedURL)
    }

    /// The captures of `rule` if it matches the path and its query requirements.
    func match(_ rule: ContentRule, path: String, parameters: [QueryParameter]) throws(ClassificationError) -> Captures? {
        var captures = Captures(count: rule.captureNames.count)
        if let pattern = rule.path {
            guard try run(pattern, groups: rule.pathGroups, on: Substring(path), rule: rule, into: &captures) else { return nil }
        }
        for (index, requirement) in rule.query.enumerated() {
            guard let parameter = parameters.first(where: { $0.name == requirement.name }),
                  try run(requirement.pattern, groups: rule.queryGroups[index], on: parameter.value, rule: rule, into: &captures)
            else { return nil }
        }
        return captures
    }

    private func run(_ pattern: Pattern, groups: [(slot: Int, groups: [Int])], on subject: Substring, rule: ContentRule,
                     into captures: inout Captures) throws(ClassificationError) -> Bool {
        var text = subject
        let outcome: Result<Bool, MatchLimitError> = text.withUTF8 { buffer in
            Result { () throws(MatchLimitError) -> Bool in try pattern.matches(buffer, scratch: scratch) }
        }
        let matched: Bool
        do {
            matched = try outcome.get()
        } catch {
            throw ClassificationError(rule: rule.location, message: error.message)
        }
        guard matched else { return false }
        let utf8 = subject.utf8
        for (slot, numbers) in groups {
            var found: Range<Int>?
            for number in numbers where found == nil { found = scratch.range(of: number) }
            guard let range = found else { continue }
            let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            let end = utf8.index(start, offsetBy: range.count)
            captures[slot] = subject[start..<end]
        }
        return true
    }
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

    /// Builds a key or canonical URL: measures the pieces, then writes them
    /// into a string of exactly that size, so each result is one allocation.
    func expand(_ template: Template, captures: Captures, prefix: String = "") -> String {
        var pieces: [Substring] = []
        pieces.reserveCapacity(template.segments.count + 1)
        if !prefix.isEmpty { pieces.append(Substring(prefix)) }
        for segment in template.segments {
            switch segment {
            case .literal(let text): pieces.append(Substring(text))
            case .capture(let slot):
                if let value = captures[slot] { pieces.append(value) }
            case .foldedCapture(let slot):
                guard let value = captures[slot] else { continue }
                // User names are nearly always lower-case already.
                if value.utf8.contains(where: { ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x25 || $0 >= 0x80 }) {
                    pieces.append(Substring(CaseFolding.fold(value)))
                } else {
                    pieces.append(value)
                }
            case .builtin(.url): pieces.append(Substring(normalizedURL))
            case .builtin(.host): pieces.append(host)
            case .builtin(.path): pieces.append(Substring(path))
            case .builtin(.query):
                for (index, parameter) in parameters.enumerated() {
                    pieces.append(index == 0 ? "?" : "&")
                    pieces.append(parameter.text)
                }
            }
        }
        return String.joining(pieces)
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
                piece.withUTF8 { bytes in
                    guard let base = bytes.baseAddress else { return }
                    (buffer.baseAddress! + offset).update(from: base, count: bytes.count)
                    offset += bytes.count
                }
            }
            return offset
        }
    }
}

/// The captures of one match, by slot. Rules capture two or three names, so
/// four slots are kept inline and only larger rules allocate.
struct Captures {
    private var first: (Substring?, Substring?, Substring?, Substring?) = (nil, nil, nil, nil)
    private var rest: [Substring?]

    init(count: Int) {
        rest = count > 4 ? Array(repeating: nil, count: count - 4) : []
    }

    subscript(slot: Int) -> Substring? {
        get {
            switch slot {
            case 0: first.0
            case 1: first.1
            case 2: first.2
            case 3: first.3
            default: rest[slot - 4]
            }
        }
        set {
            switch slot {
            case 0: first.0 = newValue
            case 1: first.1 = newValue
            case 2: first.2 = newValue
            case 3: first.3 = newValue
            default: rest[slot - 4] = newValue
            }
        }
    }
}
