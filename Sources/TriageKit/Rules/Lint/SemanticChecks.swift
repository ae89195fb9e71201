/// The second lint pass: checks on the platforms that loaded, which need the
/// rules as the engine holds them.
struct SemanticChecks {
    let platforms: [PlatformRules]
    let tracking: ParamFilter
    let trackingFile: String?

    func run() -> [LintFinding] {
        var findings: [LintFinding] = []
        var unique: [PlatformRules] = []
        for platform in platforms {
            if let first = unique.first(where: { $0.platform == platform.platform }) {
                findings.append(LintFinding(.error, .duplicatePlatform, platform.location,
                    "platform '\(platform.platform)' is also defined in \(first.location.file); give each platform one file"))
            } else {
                unique.append(platform)
            }
        }
        let hosts = HostOverlapCheck(platforms: unique, index: RuleFileIndex(trackingFile: trackingFile))
        findings += hosts.hostFindings()
        let overlaps = hosts.exampleFindings()
        findings += overlaps
        // Examples already explained by a finding of their own are not reported again as failures.
        var explained = Set(overlaps.map(\.location))
        for rules in ruleSets(unique) {
            let classifier = Classifier(rules: rules)
            for platform in rules.platforms {
                for shadow in ShadowCheck(platform: platform).shadows(classifier: classifier) {
                    findings.append(LintFinding(.error, .shadowed, shadow.rule.location,
                        "the '\(shadow.rule.type)' rule never decides: the earlier '\(shadow.winner.type)' rule at \(shadow.winner.location) wins over it, because \(shadow.method); move this rule above it, or narrow the earlier one"))
                    explained.formUnion(shadow.rule.examples.map(\.location))
                }
            }
            for failure in RuleTester(rules: rules).run().failures where !explained.contains(failure.location) {
                findings.append(LintFinding(.error, failure.isOverlap ? .exampleOverlap : .exampleFails, failure.location,
                    "\(failure.url): expected \(failure.expected); got \(failure.actual)"))
            }
        }
        return findings
    }

    /// The platforms as rule sets to test: one set holding as many as can be
    /// loaded together, and one set per platform whose hosts clash with it
    /// (already reported), so that its own examples still run.
    private func ruleSets(_ platforms: [PlatformRules]) -> [RuleSet] {
        var together: [PlatformRules] = []
        var alone: [PlatformRules] = []
        for platform in platforms {
            if (try? RuleSet(platforms: together + [platform], globalTracking: tracking)) != nil {
                together.append(platform)
            } else {
                alone.append(platform)
            }
        }
        return ([together] + alone.map { [$0] }).compactMap { try? RuleSet(platforms: $0, globalTracking: tracking) }
    }
}

extension RuleTester.Failure {
    /// Whether the failure is the tester's overlap check ("also matched by …"),
    /// which lint reports as overlap rather than as a failed example.
    var isOverlap: Bool { actual.hasPrefix("also matched by") }
}
