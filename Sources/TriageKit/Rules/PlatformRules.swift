#if canImport(Glibc)
import Glibc
#endif

/// Everything one rule file says about one platform. A class for the same
/// reason as `ContentRule`: the hot loop passes it by reference.
public final class PlatformRules: Sendable {
    /// The platform's short name, the first part of its keys: `tiktok`.
    public let platform: String
    /// The platform's name as people write it: `TikTok`.
    public let displayName: String
    /// Host names as listed; `*.example.com` covers every subdomain, `*` makes this the fallback.
    public let hosts: [String]
    /// Leading labels that do not change the content (`www`, `m` …).
    public let foldPrefixes: [String]
    /// Tracking parameters: the global list plus the platform's own.
    public let stripParams: ParamFilter
    public let content: [ContentRule]
    public let escalation: EscalationRoute?
    public let liveness: LivenessRules?
    public let location: SourceLocation

    /// Content rules to try for each folded host named by some rule, in file order.
    let rulesByHost: ByteTable<[Int]>
    /// Content rules that apply to every host of the platform.
    let generalRules: [Int]
    /// `foldPrefixes` as bytes, for the per-URL host folding.
    let foldPrefixBytes: [[UInt8]]
    /// `platform` as bytes, for writing rows.
    let name: NameBytes
    /// The batch path's view of `content` and `rulesByHost`: the rules as
    /// unretained references and each host's candidate list as plain
    /// integers, so that picking the rules to try counts no references.
    let routes: RuleRoutes

    init(platform: String, displayName: String, hosts: [String], foldPrefixes: [String], stripParams: ParamFilter,
         content: [ContentRule], escalation: EscalationRoute?, liveness: LivenessRules?, location: SourceLocation) {
        self.platform = platform
        self.displayName = displayName
        self.hosts = hosts
        self.foldPrefixes = foldPrefixes
        self.stripParams = stripParams
        self.content = content
        self.escalation = escalation
        self.liveness = liveness
        self.location = location
        foldPrefixBytes = foldPrefixes.map { Array($0.utf8) }
        name = NameBytes(platform)
        generalRules = content.indices.filter { content[$0].hosts == nil }
        // Rule hosts are compared with folded hosts, so they are folded too:
        // `hosts: [www.youtu.be]` means youtu.be.
        var byHost = ByteTable<[Int]>()
        let foldBytes = foldPrefixBytes
        let folded = content.map { rule in rule.hosts.map { Set($0.map { String(Self.fold(host: $0, prefixes: foldBytes)) }) } }
        for host in Set(folded.compactMap { $0 }.flatMap { $0 }).sorted() {
            byHost.insert(host, content.indices.filter { folded[$0]?.contains(host) ?? true })
        }
        rulesByHost = byHost
        routes = RuleRoutes(content: content, rulesByHost: byHost, generalRules: generalRules, stripParams: stripParams)
    }

    deinit {
        name.deallocate()
        routes.deallocate()
    }

    /// The content rules that may match a URL on `foldedHost`, in file order.
    func candidateRules(for foldedHost: Substring) -> [Int] {
        rulesByHost.count == 0 ? generalRules : (rulesByHost.value(for: foldedHost) ?? generalRules)
    }

    /// The same list as indices in `routes`' memory, for the batch path.
    func candidateIndexes(for foldedHost: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<Int32> {
        routes.list(entry: rulesByHost.count == 0 ? nil : rulesByHost.index(for: foldedHost))
    }

    /// Drops leading labels such as `www.` and `m.` that do not change what a URL points at.
    /// A label is dropped only while a dot remains, so `m.com` stays whole.
    func fold(host: String) -> Substring {
        Self.fold(host: host, prefixes: foldPrefixBytes)
    }

    static func fold(host: String, prefixes: [[UInt8]]) -> Substring {
        var copy = host
        let offset = copy.withUTF8 { foldOffset($0, prefixes: prefixes) }
        return host[host.utf8.index(host.utf8.startIndex, offsetBy: offset)...]
    }

    /// Where the folded host starts within `host`'s bytes.
    func foldOffset(_ host: UnsafeBufferPointer<UInt8>) -> Int { Self.foldOffset(host, prefixes: foldPrefixBytes) }

    static func foldOffset(_ host: UnsafeBufferPointer<UInt8>, prefixes: [[UInt8]]) -> Int {
        var start = 0
        while let dot = host[start...].firstIndex(of: UInt8(ascii: ".")) {
            let length = dot - start
            let isPrefix = prefixes.contains { prefix in
                prefix.count == length && length > 0
                    && prefix.withUnsafeBufferPointer { memcmp($0.baseAddress!, host.baseAddress! + start, length) == 0 }
            }
            guard isPrefix, host[(dot + 1)...].contains(UInt8(ascii: ".")) else { break }
            start = dot + 1
        }
        return start
    }
}
