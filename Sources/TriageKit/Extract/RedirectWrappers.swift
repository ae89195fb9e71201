/// Redirect wrappers that carry their target inside the URL (mail security
/// gateways, social networks' link shims, search redirects), and unwrapping
/// them offline.
///
/// Only wrappers whose target can be read without a request are here: a short
/// link such as `t.co` must be followed over the network and is left alone.
enum RedirectWrappers {
    /// How many wrappers deep the extractor follows before it stops.
    static let maxDepth = 5

    /// How a wrapper stores its target.
    enum Encoding: Sendable {
        /// A query parameter, percent-encoded.
        case query
        /// Proofpoint v2: a query parameter with `-XX` escapes and `_` for `/`.
        case proofpointV2
        /// Proofpoint v3: the URL in the path, between `__` and `__;`.
        case proofpointV3
    }

    /// One wrapper format. Lists are space-separated words in a `StaticString`, so that
    /// looking a rule over costs no reference counting.
    struct Rule: Sendable {
        /// Name used in notes: "unwrapped \(name)".
        var name: StaticString
        /// The label before the top-level domain, compared first because it rules out most hosts cheaply.
        var label: StaticString
        /// Hosts that match exactly (lowercase).
        var hosts: StaticString = ""
        /// A host suffix that matches (lowercase, with its leading dot).
        var hostSuffix: StaticString = ""
        /// Path prefixes (lowercase); empty means any path.
        var paths: StaticString = ""
        /// Query parameters that may hold the target, in order of preference.
        var parameters: StaticString = ""
        var encoding: Encoding = .query
    }

    static let rules: [Rule] = [
        Rule(name: "Outlook Safe Links", label: "outlook",
             hostSuffix: ".safelinks.protection.outlook.com", parameters: "url"),
        Rule(name: "Proofpoint URL Defense v1", label: "proofpoint",
             hosts: "urldefense.proofpoint.com", paths: "/v1/url", parameters: "u"),
        Rule(name: "Proofpoint URL Defense v2", label: "proofpoint",
             hosts: "urldefense.proofpoint.com", paths: "/v2/url", parameters: "u", encoding: .proofpointV2),
        Rule(name: "Proofpoint URL Defense v3", label: "urldefense",
             hosts: "urldefense.com", paths: "/v3/__", encoding: .proofpointV3),
        Rule(name: "Facebook link shim", label: "facebook",
             hosts: "l.facebook.com lm.facebook.com", paths: "/l.php", parameters: "u"),
        Rule(name: "Instagram link shim", label: "instagram",
             hosts: "l.instagram.com", parameters: "u"),
        Rule(name: "Messenger link shim", label: "messenger",
             hosts: "l.messenger.com", paths: "/l.php", parameters: "u"),
        Rule(name: "YouTube redirect", label: "youtube",
             hosts: "www.youtube.com youtube.com m.youtube.com", paths: "/redirect", parameters: "q"),
        Rule(name: "LinkedIn redirect", label: "linkedin",
             hosts: "www.linkedin.com linkedin.com", paths: "/redir/redirect /safety/go", parameters: "url"),
        Rule(name: "Slack redirect", label: "slack-redir",
             hosts: "slack-redir.net", paths: "/link", parameters: "url"),
        Rule(name: "Reddit outbound link", label: "reddit",
             hosts: "out.reddit.com", parameters: "url"),
        Rule(name: "Steam link filter", label: "steamcommunity",
             hosts: "steamcommunity.com", paths: "/linkfilter", parameters: "url u"),
        Rule(name: "VK away link", label: "vk",
             hosts: "vk.com m.vk.com away.vk.com", paths: "/away.php", parameters: "to"),
        Rule(name: "Trellix (FireEye) URL protection", label: "fireeye",
             hostSuffix: ".fireeye.com", paths: "/v1/url /url", parameters: "u"),
        Rule(name: "Barracuda Link Protection", label: "cudasvc",
             hosts: "linkprotect.cudasvc.com", paths: "/url", parameters: "a"),
        Rule(name: "Tumblr redirect", label: "umblr",
             hosts: "t.umblr.com", paths: "/redirect", parameters: "z"),
        // The cookie-consent interstitial a link lands on in the EU and UK;
        // `continue` is where the reporter was going.
        Rule(name: "YouTube consent page", label: "youtube",
             hosts: "consent.youtube.com", parameters: "continue"),
        Rule(name: "Google consent page", label: "google",
             hosts: "consent.google.com", parameters: "continue"),
        // Embed players copied out of a page's HTML: `href` is the post or
        // video itself. (like.php's href is only the page being liked.)
        Rule(name: "Facebook embed plugin", label: "facebook",
             hosts: "www.facebook.com facebook.com m.facebook.com web.facebook.com",
             paths: "/plugins/video.php /plugins/post.php /plugins/comment_embed.php", parameters: "href"),
        // The "you are leaving Facebook" warning shown for suspicious links.
        Rule(name: "Facebook link warning", label: "facebook",
             hosts: "www.facebook.com facebook.com m.facebook.com web.facebook.com", paths: "/flx/warn", parameters: "u"),
    ]

    /// Google's redirect lives on every country domain (`google.co.uk`, `www.google.de` …).
    static let google = Rule(name: "Google redirect", label: "google", paths: "/url", parameters: "q url")

    // MARK: - Unwrapping

    /// What one look at a URL found.
    enum Step {
        /// Not a known wrapper.
        case notWrapped
        /// The target, and the wrapper's name.
        case unwrapped([UInt8], name: StaticString)
        /// A wrapper whose target is not an http(s) URL: keep the wrapper; the note says why.
        case kept(note: String)
    }

    /// Unwraps repeatedly, up to `maxDepth` levels, without notes: the batch
    /// path's. `hostRules` is what `hostRules(_:)` said of the URL's parsed
    /// host: only those rules are tried on the outer URL.
    static func unwrapAll(_ url: UnsafeBufferPointer<UInt8>, hostRules: RuleSet) -> [UInt8]? {
        var notes: [String] = []
        return unwrapAll(url, notes: &notes, keepingNotes: false, outerRules: hostRules)
    }

    /// Unwraps repeatedly, up to `maxDepth` levels, without notes.
    static func unwrapAll(_ url: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var notes: [String] = []
        return unwrapAll(url, notes: &notes, keepingNotes: false)
    }

    /// Unwraps repeatedly, up to `maxDepth` levels, adding a note per level.
    /// Returns nil when `url` is not a wrapper at all.
    static func unwrapAll(_ url: UnsafeBufferPointer<UInt8>, notes: inout [String], keepingNotes: Bool = true,
                          outerRules: RuleSet = .all) -> [UInt8]? {
        var current: [UInt8]?
        var depth = 0
        while true {
            let step = current.map { bytes in bytes.withUnsafeBufferPointer { unwrapOnce($0) } } ?? unwrapOnce(url, among: outerRules)
            switch step {
            case .notWrapped:
                return current
            case .kept(let note):
                if keepingNotes { notes.append(note) }
                return current
            case .unwrapped(let inner, let name):
                if depth == maxDepth {
                    if keepingNotes { notes.append("stopped unwrapping after \(maxDepth) levels") }
                    return current
                }
                if keepingNotes { notes.append("unwrapped \(name)") }
                current = inner
                depth += 1
            }
        }
    }

    /// Looks at one URL and unwraps it once if it is a known wrapper (one of `among`).
    static func unwrapOnce(_ url: UnsafeBufferPointer<UInt8>, among candidates: RuleSet = .all) -> Step {
        guard var parts = WrapperURLParts(url), let rule = matchingRule(url, &parts, among: candidates) else { return .notWrapped }
        if rule.encoding == .proofpointV3 { return unwrapProofpointV3(url, parts, rule) }
        var target: [UInt8]?
        var firstValue: [UInt8]?
        _ = ByteClass.anyWord(of: rule.parameters) { parameter in
            guard let value = parts.queryValue(url, named: parameter) else { return false }
            let inner = rule.encoding == .proofpointV2
                ? WrapperDecoding.proofpointV2Decoded(url, value)
                : WrapperDecoding.percentDecoded(url, value)
            if isWebURL(inner) {
                target = inner
                return true
            }
            if firstValue == nil { firstValue = inner }
            return false
        }
        if let target { return .unwrapped(target, name: rule.name) }
        guard let firstValue else {
            let names = ByteClass.words(of: rule.parameters).map { "\($0)=" }.joined(separator: " or ")
            return .kept(note: "\(rule.name) has no \(names) parameter; kept the wrapper URL")
        }
        let shown = String(decoding: firstValue.prefix(60), as: UTF8.self)
        return .kept(note: "\(rule.name) holds \"\(shown)\", which is not an http(s) URL; kept the wrapper URL")
    }

    private static func unwrapProofpointV3(_ url: UnsafeBufferPointer<UInt8>, _ parts: WrapperURLParts, _ rule: Rule) -> Step {
        // The embedded URL may itself hold `?` and `#`, so search the whole text, not the path.
        let start = parts.path.lowerBound + "/v3/__".utf8.count
        var i = start
        var urlEnd: Int?
        while i + 3 <= url.count {
            if url[i] == UInt8(ascii: "_"), url[i + 1] == UInt8(ascii: "_"), url[i + 2] == UInt8(ascii: ";") {
                urlEnd = i
                break
            }
            i += 1
        }
        guard let urlEnd else {
            return .kept(note: "\(rule.name) has no \"__;\" after the embedded URL; kept the wrapper URL")
        }
        let replacedStart = urlEnd + 3
        var replacedEnd = replacedStart
        while replacedEnd < url.count, url[replacedEnd] != UInt8(ascii: "!") { replacedEnd += 1 }
        guard let inner = WrapperDecoding.proofpointV3Decoded(url, url: start..<urlEnd, replaced: replacedStart..<replacedEnd)
        else {
            return .kept(note: "\(rule.name) has characters after \"__;\" that are not base64; kept the wrapper URL")
        }
        if isWebURL(inner) { return .unwrapped(inner, name: rule.name) }
        let shown = String(decoding: inner.prefix(60), as: UTF8.self)
        return .kept(note: "\(rule.name) holds \"\(shown)\", which is not an http(s) URL; kept the wrapper URL")
    }

    // MARK: - Matching

    /// The wrapper rules a URL on `host` (lower case, as the URL parser gives
    /// it) could match, judged by the host alone: the batch path parses every
    /// URL anyway and remembers this per host, so only URLs on a wrapper's host
    /// are looked at by `unwrapAll`, and only against those rules. A raw host
    /// that matches a rule is this host but for case, so no rule is missed.
    static func hostRules(_ host: UnsafeBufferPointer<UInt8>) -> RuleSet {
        let range = 0..<host.count
        if isGoogleHost(host, range) { return .google }
        var found = RuleSet.none
        for index in rules.indices where hostMatches(host, range, rules[index]) { found.insert(index) }
        return found
    }

    /// Some of the wrapper rules, by position in `rules`, plus Google's: what
    /// a host can be a wrapper for.
    struct RuleSet: Sendable, Equatable {
        fileprivate var bits: UInt32
        static var none: RuleSet { RuleSet(bits: 0) }
        static var all: RuleSet { RuleSet(bits: .max) }
        fileprivate static var google: RuleSet { RuleSet(bits: 1 << 31) }
        var isEmpty: Bool { bits == 0 }
        fileprivate func contains(_ index: Int) -> Bool { bits & (1 << UInt32(index)) != 0 }
        fileprivate var includesGoogle: Bool { bits & (1 << 31) != 0 }
        fileprivate mutating func insert(_ index: Int) { bits |= 1 << UInt32(index) }
    }

    private static func matchingRule(_ url: UnsafeBufferPointer<UInt8>, _ parts: inout WrapperURLParts,
                                     among candidates: RuleSet = .all) -> Rule? {
        let host = parts.host
        if candidates.includesGoogle, isGoogleHost(url, host) {
            parts.findPathAndQuery(url)
            return pathMatches(url, parts.path, google.paths) ? google : nil
        }
        if candidates != .all {
            for index in rules.indices where candidates.contains(index) && hostMatches(url, host, rules[index]) {
                parts.findPathAndQuery(url)
                if pathMatches(url, parts.path, rules[index].paths) { return rules[index] }
            }
            return nil
        }
        // The label before the last dot; hosts without a dot are never wrappers.
        var lastDot = host.upperBound
        repeat { lastDot -= 1 } while lastDot > host.lowerBound && url[lastDot] != UInt8(ascii: ".")
        guard lastDot > host.lowerBound else { return nil }
        var labelStart = lastDot
        while labelStart > host.lowerBound && url[labelStart - 1] != UInt8(ascii: ".") { labelStart -= 1 }
        let labelLength = lastDot - labelStart
        guard labelLength > 0, labelSignatures & labelSignature(url, labelStart, labelLength) != 0 else { return nil }
        // Indices rather than elements: copying each rule out of the array showed up in profiles.
        for index in rules.indices where rules[index].label.utf8CodeUnitCount == labelLength {
            guard ByteClass.matches(url, rules[index].label, at: labelStart), hostMatches(url, host, rules[index])
            else { continue }
            parts.findPathAndQuery(url)
            if pathMatches(url, parts.path, rules[index].paths) { return rules[index] }
        }
        return nil
    }

    /// One bit per rule label, from its length and first and last letters: a host whose label's bit
    /// is not set cannot match any rule, which settles most hosts without looking at the rules.
    private static let labelSignatures: UInt64 = rules.reduce(0) { signatures, rule in
        let label = UnsafeBufferPointer(start: rule.label.utf8Start, count: rule.label.utf8CodeUnitCount)
        return signatures | labelSignature(label, 0, label.count)
    }

    private static func labelSignature(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> UInt64 {
        let first = UInt64(ByteClass.lowercased(bytes[start]))
        let last = UInt64(ByteClass.lowercased(bytes[start + length - 1]))
        return 1 << ((UInt64(length) &* 7 &+ first &* 3 &+ last) & 63)
    }

    private static func hostMatches(_ url: UnsafeBufferPointer<UInt8>, _ host: Range<Int>, _ rule: Rule) -> Bool {
        let exact = ByteClass.anyWord(of: rule.hosts) { candidate in
            candidate.count == host.count && ByteClass.matches(url, candidate, at: host.lowerBound)
        }
        if exact { return true }
        let suffixLength = rule.hostSuffix.utf8CodeUnitCount
        return suffixLength > 0 && host.count > suffixLength
            && ByteClass.matches(url, rule.hostSuffix, at: host.upperBound - suffixLength)
    }

    private static func pathMatches(_ url: UnsafeBufferPointer<UInt8>, _ path: Range<Int>, _ prefixes: StaticString) -> Bool {
        if prefixes.utf8CodeUnitCount == 0 { return true }
        return ByteClass.anyWord(of: prefixes) { prefix in
            prefix.count <= path.count && ByteClass.matches(url, prefix, at: path.lowerBound)
        }
    }

    /// `google.TLD` or `www.google.TLD`, where TLD is a country or generic domain (`com`, `de`)
    /// or `co.`/`com.` plus a country (`co.uk`, `com.au`) — Google's own pattern, and no other.
    private static func isGoogleHost(_ url: UnsafeBufferPointer<UInt8>, _ host: Range<Int>) -> Bool {
        var start = host.lowerBound
        if ByteClass.matches(url, "www.", at: start) { start += 4 }
        guard ByteClass.matches(url, "google.", at: start) else { return false }
        var labels: [Range<Int>] = []
        var labelStart = start + 7
        for i in labelStart...host.upperBound where i == host.upperBound || url[i] == UInt8(ascii: ".") {
            labels.append(labelStart..<i)
            labelStart = i + 1
        }
        guard labels.allSatisfy({ label in label.allSatisfy { ByteClass.isLetter(url[$0]) } }) else { return false }
        switch labels.count {
        case 1:
            return (2...3).contains(labels[0].count)
        case 2:
            let second = labels[0]
            let isCo = (second.count == 2 && ByteClass.matches(url, "co", at: second.lowerBound))
                || (second.count == 3 && ByteClass.matches(url, "com", at: second.lowerBound))
            return isCo && labels[1].count == 2
        default:
            return false
        }
    }

    /// True when `bytes` starts with `http://` or `https://`, in any case.
    static func isWebURL(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            ByteClass.matches(buffer, "http://", at: 0) || ByteClass.matches(buffer, "https://", at: 0)
        }
    }
}

// MARK: - URL parts

/// The host, path and query of an http(s) URL, as byte ranges; just enough to recognise a wrapper.
/// The path and query are found only when the host is a wrapper's (`findPathAndQuery`).
struct WrapperURLParts {
    var host: Range<Int>
    var path: Range<Int>
    var query: Range<Int>?

    init?(_ url: UnsafeBufferPointer<UInt8>) {
        let authorityStart: Int
        if ByteClass.matches(url, "https://", at: 0) {
            authorityStart = 8
        } else if ByteClass.matches(url, "http://", at: 0) {
            authorityStart = 7
        } else {
            return nil
        }
        var i = authorityStart
        var hostStart = authorityStart
        var hostEnd: Int?
        while i < url.count {
            let byte = url[i]
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
                || byte == UInt8(ascii: "\\") {
                break
            }
            if byte == UInt8(ascii: "@") {
                hostStart = i + 1
                hostEnd = nil
            } else if byte == UInt8(ascii: ":"), hostEnd == nil {
                hostEnd = i
            }
            i += 1
        }
        host = hostStart..<max(hostStart, hostEnd ?? i)
        guard !host.isEmpty else { return nil }
        path = i..<i
    }

    /// Fills in `path` and `query`, which start where the authority ends.
    /// Wrapped URLs are long, so the `?` and `#` are found with `memchr`.
    mutating func findPathAndQuery(_ url: UnsafeBufferPointer<UInt8>) {
        let start = path.lowerBound
        let fragment = ByteSearch.offset(of: UInt8(ascii: "#"), in: url, from: start)
        let question = ByteSearch.offset(of: UInt8(ascii: "?"), in: url, from: start, to: fragment)
        path = start..<question
        query = question < fragment ? (question + 1)..<fragment : nil
    }

    /// The raw (still encoded) value of the first query parameter called `name`.
    func queryValue(_ url: UnsafeBufferPointer<UInt8>, named name: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard let query else { return nil }
        let nameLength = name.count
        var segmentStart = query.lowerBound
        while segmentStart <= query.upperBound {
            let segmentEnd = ByteSearch.offset(of: UInt8(ascii: "&"), in: url, from: segmentStart, to: query.upperBound)
            let equals = segmentStart + nameLength
            if equals < segmentEnd, url[equals] == UInt8(ascii: "="), ByteClass.matches(url, name, at: segmentStart) {
                return (equals + 1)..<segmentEnd
            }
            segmentStart = segmentEnd + 1
        }
        return nil
    }
}
