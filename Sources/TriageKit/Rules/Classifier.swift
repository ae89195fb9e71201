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
        let context = TemplateContext(url: url, host: host, path: path, parameters: parameters)

        if let platform {
            for index in platform.candidateRules(for: host) {
                let rule = platform.content[index]
                guard let captures = try match(rule, path: path, parameters: parameters) else { continue }
                let id = context.expand(rule.key, captures: captures, fold: rule.foldCase)
                return Classification(
                    platform: platform.platform, type: rule.type,
                    key: platform.platform + ":" + rule.keyType + ":" + id,
                    canonical: context.expand(rule.canonical, captures: captures, fold: rule.foldCase),
                    rule: rule.location)
            }
        }
        return Classification(platform: platform?.platform ?? "web", type: "page",
                              key: context.pageKey, canonical: context.normalizedURL)
    }

    /// The captures of `rule` if it matches the path and its query requirements.
    func match(_ rule: ContentRule, path: String, parameters: [QueryParameter]) throws(ClassificationError) -> Captures? {
        var captures = Captures()
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

    private func run(_ pattern: Pattern, groups: [(name: String, groups: [Int])], on subject: Substring, rule: ContentRule,
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
        for (name, numbers) in groups {
            var found: Range<Int>?
            for number in numbers where found == nil { found = scratch.range(of: number) }
            guard let range = found else { continue }
            let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            let end = utf8.index(start, offsetBy: range.count)
            captures.set(name, subject[start..<end])
        }
        return true
    }
}

/// Everything a template can refer to for one URL.
struct TemplateContext {
    let url: WebURL
    let host: Substring
    let path: String
    let parameters: [QueryParameter]

    /// The URL with its host folded, trackers stripped, parameters sorted and fragment and credentials dropped.
    var normalizedURL: String { build(scheme: url.scheme) }

    /// The key of a plain page: its normalised URL, with http and https taken as the same page.
    var pageKey: String { build(scheme: url.scheme == "http" ? "https" : url.scheme) }

    var queryString: String {
        parameters.isEmpty ? "" : "?" + parameters.map(\.text).joined(separator: "&")
    }

    private func build(scheme: String) -> String {
        var result = scheme + "://"
        result += host
        if let port = url.port { result += ":" + String(port) }
        result += path
        result += queryString
        return result
    }

    func expand(_ template: Template, captures: Captures, fold: Set<String>) -> String {
        var result = ""
        for segment in template.segments {
            switch segment {
            case .literal(let text): result += text
            case .capture(let name):
                guard let value = captures[name] else { continue }
                result += fold.contains(name) ? CaseFolding.fold(value) : String(value)
            case .builtin(.url): result += normalizedURL
            case .builtin(.host): result += host
            case .builtin(.path): result += path
            case .builtin(.query): result += queryString
            }
        }
        return result
    }
}

/// The named captures of one match. Rules capture two or three names, so a
/// short list searched in order beats a dictionary's hashing and allocation.
struct Captures {
    private(set) var pairs: [(name: String, value: Substring)] = []

    mutating func set(_ name: String, _ value: Substring) {
        if let index = pairs.firstIndex(where: { $0.name == name }) {
            pairs[index].value = value
        } else {
            pairs.append((name, value))
        }
    }

    subscript(name: String) -> Substring? {
        pairs.first { $0.name == name }?.value
    }

    var names: [String] { pairs.map(\.name) }
}
