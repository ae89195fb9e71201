/// The steps `Classifier.classify` takes before it tries content rules, done
/// with the classifier's own functions and named once, so that the explainer,
/// the linter and the profiler see exactly what the classifier sees.
///
/// When the classifier's internals change shape, this is the one file to adapt.
struct ClassifierSteps {
    /// The platform file the host dispatched to, if any.
    let platformIndex: Int?
    let platform: PlatformRules?
    /// The host after the platform's folding (`www.`, `m.` …).
    let host: Substring
    /// The path and query as parsed, or as rebuilt from an old `#!/` fragment.
    let rawPath: String
    let rawQuery: String?
    /// Whether the path and query came from a `#!/` fragment.
    let fromHashbang: Bool
    /// The path with percent-encoding made uniform: what path patterns see.
    let path: String
    /// Query parameters that are not trackers, sorted: what query patterns and templates see.
    let parameters: [QueryParameter]
    /// The tracker filter in force: the platform's, or the global one.
    let filter: ParamFilter

    init(_ url: WebURL, rules: RuleSet) {
        platformIndex = rules.platformIndex(forHost: url.host)
        platform = platformIndex.map { rules.platforms[$0] }
        host = platform?.fold(host: url.host) ?? Substring(url.host)
        let rebuilt = URLCleaner.hashbang(url)
        fromHashbang = rebuilt != nil
        (rawPath, rawQuery) = rebuilt ?? (url.path, url.query)
        path = URLCleaner.normalizePercentEncoding(rawPath)
        filter = platform?.stripParams ?? rules.globalTracking
        parameters = URLCleaner.keptParameters(rawQuery, filter: filter)
    }

    /// Indices of the content rules the classifier tries for this host, in order.
    var candidateRules: [Int] { platform?.candidateRules(for: host) ?? [] }

    /// Every parameter of the query, trackers included, in the classifier's order.
    var allParameters: [QueryParameter] { URLCleaner.keptParameters(rawQuery, filter: ParamFilter()) }

    /// What templates are expanded against.
    func templateContext(_ url: WebURL) -> TemplateContext {
        TemplateContext(scheme: url.scheme, port: url.port, host: host, path: path, parameters: parameters)
    }

    /// The key and canonical URL the classifier builds when `rule` matched with `captures`.
    func classification(_ url: WebURL, rule: ContentRule, captures: Captures, platform: PlatformRules) -> Classification {
        let context = templateContext(url)
        return Classification(platform: platform.platform, type: rule.type,
                              key: context.expand(rule.key, captures: captures, prefix: rule.keyPrefix),
                              canonical: context.expand(rule.canonical, captures: captures), rule: rule.location)
    }

    /// The classification of a URL no content rule matched: a plain page.
    func pageClassification(_ url: WebURL) -> Classification {
        let context = templateContext(url)
        return Classification(platform: platform?.platform ?? "web", type: "page",
                              key: context.pageKey, canonical: context.normalizedURL)
    }

    /// The named captures of a match, in the rule's capture order, skipping those that did not take part.
    static func namedCaptures(_ captures: Captures, of rule: ContentRule) -> [(name: String, value: String)] {
        rule.captureNames.indices.compactMap { slot in captures[slot].map { (rule.captureNames[slot], String($0)) } }
    }
}
