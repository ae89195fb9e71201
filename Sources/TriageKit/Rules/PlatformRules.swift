/// Everything one rule file says about one platform.
public struct PlatformRules: Sendable {
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
    let rulesByHost: [String: [Int]]
    /// Content rules that apply to every host of the platform.
    let generalRules: [Int]

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
        generalRules = content.indices.filter { content[$0].hosts == nil }
        var byHost: [String: [Int]] = [:]
        for host in Set(content.compactMap(\.hosts).flatMap { $0 }) {
            byHost[host] = content.indices.filter { content[$0].hosts?.contains(host) ?? true }
        }
        rulesByHost = byHost
    }

    /// The content rules that may match a URL on `foldedHost`, in file order.
    func candidateRules(for foldedHost: Substring) -> [Int] {
        rulesByHost.isEmpty ? generalRules : (rulesByHost[String(foldedHost)] ?? generalRules)
    }

    /// Drops leading labels such as `www.` and `m.` that do not change what a URL points at.
    func fold(host: String) -> Substring {
        var folded = Substring(host)
        var changed = true
        while changed {
            changed = false
            for prefix in foldPrefixes {
                let label = folded.utf8.firstIndex(of: UInt8(ascii: "."))
                guard let label, folded[..<label] == prefix,
                      folded[folded.index(after: label)...].contains(".") else { continue }
                folded = folded[folded.index(after: label)...]
                changed = true
            }
        }
        return folded
    }
}
