/// What a helpline does for a harm besides the platform's usual route, from the
/// `routes:` section of `rules/policy.yaml`: data, so a helpline elsewhere writes
/// its own police number and hotlines.
public struct HarmRoute: Sendable, Equatable {
    /// Somewhere else to report the item.
    public struct Destination: Sendable, Equatable, Hashable {
        /// Who, and when: `the Internet Watch Foundation (IWF)`.
        public var name: String
        public var url: String?
        public init(name: String, url: String? = nil) {
            self.name = name
            self.url = url
        }
    }

    /// The category id it is for.
    public var category: String
    /// Above every other item in every list, whatever it scores.
    public var first: Bool
    /// Said before anything else: `call the police now (999 in the UK)`.
    public var actNow: String?
    /// The platform step instead of the usual route; `{platform}` and `{channel}` are filled
    /// from the platform's rule file.
    public var platform: String?
    /// Where else to report it.
    public var reportTo: [Destination]
    /// Shown before the link: `do not open: …`.
    public var warning: String?

    public init(category: String, first: Bool = false, actNow: String? = nil, platform: String? = nil,
                reportTo: [Destination] = [], warning: String? = nil) {
        self.category = category
        self.first = first
        self.actNow = actNow
        self.platform = platform
        self.reportTo = reportTo
        self.warning = warning
    }
}

/// The routes of every category that has one.
public struct HarmRoutes: Sendable, Equatable {
    public var byCategory: [String: HarmRoute]

    public init(_ routes: [HarmRoute]) {
        byCategory = Dictionary(routes.map { ($0.category, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The routes used when a policy file has no `routes:` section; the same as the shipped file's.
    public static let standard = HarmRoutes([
        HarmRoute(category: "threat", first: true, actNow: "call the police now (999 in the UK)",
                  platform: "{platform}'s emergency route: {channel}, marked as an immediate risk to life"),
        HarmRoute(category: "child_sexual_image",
                  reportTo: [.init(name: "the Internet Watch Foundation (IWF)", url: "https://report.iwf.org.uk/"),
                             .init(name: "Report Remove (Childline and the IWF), when it is the young person's own image",
                                   url: "https://www.childline.org.uk/remove")],
                  warning: "do not open: a sexual image of someone under 18 is illegal to view, download or share; report the URL only"),
        HarmRoute(category: "sexual",
                  reportTo: [.init(name: "CEOP (National Crime Agency), when an adult is grooming or sexually exploiting a child",
                                   url: "https://www.ceop.police.uk/Safety-Centre/"),
                             .init(name: "the Revenge Porn Helpline, when it is an adult's intimate image",
                                   url: "https://revengepornhelpline.org.uk/")]),
    ])

    /// What to do for an item of `decision` on a platform: every found category's route, most
    /// serious first, with the platform's name and usual channel filled in.
    public func steps(for decision: CategoryDecision, platformName: String, route: EscalationRoute?) -> HarmRouteSteps {
        var steps = HarmRouteSteps()
        steps.withholdOpenLink = decision.withholdOpenLink
        for category in decision.categories {
            guard let harm = byCategory[category] else { continue }
            steps.first = steps.first || harm.first
            if let words = harm.actNow, !steps.actNow.contains(words) { steps.actNow.append(words) }
            if let template = harm.platform {
                let filled = template.replacingOccurrences(of: "{platform}", with: platformName)
                    .replacingOccurrences(of: "{channel}", with: route?.channel ?? "its own report form")
                if !steps.platform.contains(filled) { steps.platform.append(filled) }
            }
            for destination in harm.reportTo where !steps.reportTo.contains(destination) { steps.reportTo.append(destination) }
            if let warning = harm.warning, !steps.warnings.contains(warning) { steps.warnings.append(warning) }
        }
        if steps.withholdOpenLink && steps.warnings.isEmpty {
            steps.warnings.append("do not open: a person must confirm before anyone looks at it")
        }
        return steps
    }

    /// Whether an item of `decision` goes above every other in a list.
    public func isFirst(_ decision: CategoryDecision) -> Bool {
        decision.findings.contains { byCategory[$0.category]?.first == true }
    }
}

/// What to do for one item besides its platform's usual route: the routes of every
/// category found, merged.
public struct HarmRouteSteps: Sendable, Equatable {
    /// Above every other item in every list.
    public var first = false
    /// `call the police now (999 in the UK)`.
    public var actNow: [String] = []
    /// The platform step instead of the usual route: `TikTok's emergency route: …`.
    public var platform: [String] = []
    /// Where else to report it.
    public var reportTo: [HarmRoute.Destination] = []
    /// Shown before the link.
    public var warnings: [String] = []
    /// Whether the link must not be opened until a person confirms (the web app withholds it;
    /// Markdown shows it as text, not a link).
    public var withholdOpenLink = false

    public init() {}

    /// Whether there is nothing beyond the usual route.
    public var isEmpty: Bool {
        !first && actNow.isEmpty && platform.isEmpty && reportTo.isEmpty && warnings.isEmpty && !withholdOpenLink
    }

    /// The whole route in one line: `call the police now (999 in the UK); TikTok's emergency route: …; also report to …`.
    public var line: String {
        var parts = actNow + platform
        if !reportTo.isEmpty {
            parts.append("also report to " + reportTo.map { destination in
                destination.url.map { "\(destination.name) \($0)" } ?? destination.name
            }.joined(separator: " and "))
        }
        return (warnings + parts).joined(separator: "; ")
    }
}
