/// Hosts and example URLs that more than one platform lays claim to.
///
/// The engine sends each host to exactly one platform file (an exact name
/// beats a `*.domain` entry, a longer domain beats a shorter one), so two
/// claims on a host do not crash anything: one platform silently loses. An
/// example on such a host is the clearest sign, since its rule may never see
/// it; that is the cross-platform half of the yt-dlp overlap check (the
/// same-platform half is `RuleTester`'s).
struct HostOverlapCheck {
    let platforms: [PlatformRules]
    let index: RuleFileIndex

    /// Hosts listed by two platforms (an error: the rule set refuses to load)
    /// and exact hosts that another platform's `*.domain` entry also covers (a warning).
    func hostFindings() -> [LintFinding] {
        var findings: [LintFinding] = []
        for (position, later) in platforms.enumerated() {
            for earlier in platforms[..<position] {
                for host in later.hosts where earlier.hosts.contains(host) {
                    let place = index.hostEntry(host, of: later) ?? later.location
                    let other = index.hostEntry(host, of: earlier) ?? earlier.location
                    let what = host == "*" ? "the fallback host '*'" : "host '\(host)'"
                    findings.append(LintFinding(.error, .hostOverlap, place,
                        "\(what) is also claimed by '\(earlier.platform)' at \(other); a host belongs to one platform, so remove it from one of them"))
                }
            }
        }
        for platform in platforms {
            for other in platforms where other !== platform {
                for host in platform.hosts where host != "*" {
                    let name = host.hasPrefix("*.") ? String(host.dropFirst(2)) : host
                    guard let entry = Self.wildcardCovering(name, in: other) else { continue }
                    let place = index.hostEntry(host, of: platform) ?? platform.location
                    findings.append(LintFinding(.warning, .hostOverlap, place,
                        "host '\(host)' is also covered by '\(entry)' of '\(other.platform)' (\(index.hostEntry(entry, of: other) ?? other.location)); the more specific entry wins, so '\(platform.platform)' gets it: make sure that is meant"))
                }
            }
        }
        return findings
    }

    /// Examples on a host that another platform also claims: each is an error at the example.
    func exampleFindings() -> [LintFinding] {
        var findings: [LintFinding] = []
        for platform in platforms {
            for rule in platform.content {
                for example in rule.examples {
                    guard let url = try? WebURL.parse(example.url) else { continue }
                    for other in platforms where other !== platform {
                        guard let entry = Self.claim(of: url.host, by: other) else { continue }
                        let place = index.hostEntry(entry, of: other) ?? other.location
                        findings.append(LintFinding(.error, .exampleOverlap, example.location,
                            "example \(example.url) of the '\(rule.type)' rule of '\(platform.platform)' is on host '\(url.host)', which '\(other.platform)' also claims ('\(entry)' at \(place)); only one platform's rules ever see a host"))
                    }
                }
            }
        }
        return findings
    }

    // MARK: - Claims

    /// The `hosts` entry of `platform` that takes `host`, as `RuleSet.platformIndex` would; the fallback `*` is not a claim.
    static func claim(of host: String, by platform: PlatformRules) -> String? {
        if platform.hosts.contains(host) { return host }
        var rest = Substring(host)
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            if platform.hosts.contains("*." + rest) { return "*." + rest }
            if platform.hosts.contains(String(rest)), platform.fold(host: host) == rest { return String(rest) }
        }
        return nil
    }

    /// A `*.domain` entry of `platform` for a domain strictly above `name` (`*.d` covers `v.d`, not `d`).
    private static func wildcardCovering(_ name: String, in platform: PlatformRules) -> String? {
        var rest = Substring(name)
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            if platform.hosts.contains("*." + rest) { return "*." + rest }
        }
        return nil
    }
}
