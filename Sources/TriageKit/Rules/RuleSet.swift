import Foundation

/// All platform rules, indexed by host so that classifying a URL costs the
/// same however many rule files there are.
public struct RuleSet: Sendable {
    public let platforms: [PlatformRules]
    /// Tracking parameters stripped on every site, from `tracking.yaml`.
    public let globalTracking: ParamFilter
    /// `tracking.yaml` as written: its patterns and examples, for `rules test`.
    public let tracking: TrackingRules
    /// The rule files read, for messages.
    public let files: [String]

    let exactHosts: ByteTable<Int>
    let wildcardDomains: ByteTable<Int>
    /// The platform for hosts no rule file names (`hosts: ['*']`).
    let fallback: Int?

    /// Builds the index; two platforms that claim the same host are an error.
    public init(platforms: [PlatformRules], globalTracking: ParamFilter = ParamFilter(), tracking: TrackingRules? = nil,
                files: [String] = []) throws(RuleError) {
        self.platforms = platforms
        self.globalTracking = globalTracking
        self.tracking = tracking ?? TrackingRules(filter: globalTracking)
        self.files = files
        var exact: [String: Int] = [:]
        var wildcard: [String: Int] = [:]
        var fallback: Int?
        for (index, rules) in platforms.enumerated() {
            for host in rules.hosts {
                if host == "*" {
                    if let other = fallback {
                        throw RuleError(rules.location, "both '\(platforms[other].platform)' and '\(rules.platform)' claim the fallback host '*'")
                    }
                    fallback = index
                } else if host.hasPrefix("*.") {
                    let domain = String(host.dropFirst(2))
                    if let other = wildcard[domain], other != index {
                        throw RuleError(rules.location, "host '\(host)' is claimed by both '\(platforms[other].platform)' and '\(rules.platform)'")
                    }
                    wildcard[domain] = index
                } else {
                    if let other = exact[host], other != index {
                        throw RuleError(rules.location, "host '\(host)' is claimed by both '\(platforms[other].platform)' and '\(rules.platform)'")
                    }
                    exact[host] = index
                }
            }
        }
        var exactTable = ByteTable<Int>(minimumCapacity: exact.count)
        for (host, index) in exact.sorted(by: { $0.key < $1.key }) { exactTable.insert(host, index) }
        var wildcardTable = ByteTable<Int>(minimumCapacity: wildcard.count)
        for (domain, index) in wildcard.sorted(by: { $0.key < $1.key }) { wildcardTable.insert(domain, index) }
        exactHosts = exactTable
        wildcardDomains = wildcardTable
        self.fallback = fallback
    }

    /// Loads a rules directory (`platforms/*.yaml`, optional `tracking.yaml`),
    /// or a single platform file with the `tracking.yaml` of its rules directory.
    public static func load(from path: String) throws(RuleError) -> RuleSet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RuleError(SourceLocation(file: path, line: 1), "no such rules directory or file")
        }
        let root: String
        var files: [String]
        if isDirectory.boolValue {
            root = path
            let platformDirectory = (path as NSString).appendingPathComponent("platforms")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: platformDirectory)) ?? []
            files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                .map { (platformDirectory as NSString).appendingPathComponent($0) }
            if files.isEmpty {
                throw RuleError(SourceLocation(file: platformDirectory, line: 1), "no platform rule files (*.yaml) here")
            }
        } else {
            // rules/platforms/x.yaml → rules/ (through URL: NSString traps on "." here).
            root = URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent().path
            files = [path]
        }
        let trackingPath = (root as NSString).appendingPathComponent("tracking.yaml")
        let hasTracking = FileManager.default.fileExists(atPath: trackingPath)
        let trackingRules = hasTracking ? try RuleLoader.loadTrackingRules(trackingPath) : TrackingRules()
        let tracking = trackingRules.filter
        let loader = RuleLoader(globalTracking: tracking)
        var platforms: [PlatformRules] = []
        for file in files { platforms.append(try loader.loadPlatform(file)) }
        var seen: [String: String] = [:]
        for (rules, file) in zip(platforms, files) {
            if let other = seen[rules.platform] {
                throw RuleError(rules.location, "platform '\(rules.platform)' is also defined in \(other)")
            }
            seen[rules.platform] = file
        }
        return try RuleSet(platforms: platforms, globalTracking: tracking, tracking: trackingRules,
                           files: (hasTracking ? [trackingPath] : []) + files)
    }

    /// The platform for a host: exact name, then the name with `www.`/`m.` folded, then `*.domain` entries, then the fallback.
    public func platformIndex(forHost host: String) -> Int? {
        var host = host
        return host.withUTF8 { platformIndex(forHost: $0) }
    }

    func platformIndex(forHost host: UnsafeBufferPointer<UInt8>) -> Int? {
        if let index = exactHosts.value(for: host) { return index }
        var start = 0
        while let dot = host[start...].firstIndex(of: UInt8(ascii: ".")) {
            start = dot + 1
            let rest = UnsafeBufferPointer(rebasing: host[start...])
            if let index = wildcardDomains.value(for: rest) { return index }
            // `www.` or `m.` in front of a listed host.
            if let index = exactHosts.value(for: rest), platforms[index].foldOffset(host) == start { return index }
        }
        return fallback
    }

    /// Domains of known platforms, so the extractor can spot them written without `https://`.
    public var schemelessDomains: Set<String> {
        var domains = Set<String>()
        for rules in platforms {
            for host in rules.hosts where host != "*" {
                let bare = host.hasPrefix("*.") ? String(host.dropFirst(2)) : host
                domains.insert(String(rules.fold(host: bare)))
            }
        }
        return domains
    }
}
