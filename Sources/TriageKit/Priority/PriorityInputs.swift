import Foundation

/// The rule files the escalation list reads: platforms (routes, names, content types),
/// harm categories, and the policy's weights and response targets. `escalate` and the
/// web app's escalate page load them the same way, here.
public struct PriorityInputs: Sendable {
    public var rules: RuleSet
    public var categories: HarmCategories
    public var weights: PriorityWeights
    public var recheckPolicy: RecheckPolicy
    /// What to do for each harm besides the platform's route (policy.yaml `routes:`).
    public var routes: HarmRoutes

    public init(rules: RuleSet, categories: HarmCategories, weights: PriorityWeights, recheckPolicy: RecheckPolicy,
                routes: HarmRoutes? = nil) {
        self.rules = rules
        self.categories = categories
        self.weights = weights
        self.recheckPolicy = recheckPolicy
        self.routes = routes ?? HarmRoutesLoader.standard(for: categories)
    }

    /// Loads categories and the policy beside `rules`: `categories.yaml` from `rulesDirectory`
    /// (or ./rules), the policy from `policy` or the directory's `policy.yaml` (built-in
    /// defaults when there is none). Throws `RuleError` naming the file, line and problem.
    public static func load(rules: RuleSet, rulesDirectory: String?, policy explicitPolicy: String?) throws(RuleError) -> PriorityInputs {
        let categoriesPath = ((rulesDirectory ?? "rules") as NSString).appendingPathComponent(HarmCategories.fileName)
        let categories = try HarmCategories.load(from: categoriesPath)
        let types = Set(rules.platforms.flatMap { $0.content.map(\.type) })
        guard let policyPath = RecheckPolicy.locate(explicit: explicitPolicy, rulesDirectory: rulesDirectory) else {
            return PriorityInputs(rules: rules, categories: categories, weights: .standard, recheckPolicy: .defaults,
                                  routes: HarmRoutesLoader.standard(for: categories))
        }
        return PriorityInputs(
            rules: rules, categories: categories,
            weights: try PriorityPolicyLoader.load(from: policyPath, categories: categories, contentTypes: types),
            recheckPolicy: try RecheckPolicy.load(from: policyPath),
            routes: try HarmRoutesLoader.load(from: policyPath, categories: categories))
    }

    /// Each platform's display name by short name (`tiktok` → `TikTok`).
    public var platformNames: [String: String] {
        Dictionary(rules.platforms.map { ($0.platform, $0.displayName) }, uniquingKeysWith: { first, _ in first })
    }

    /// The scorer the list is made with.
    public var scorer: PriorityScorer {
        PriorityScorer(weights: weights, categories: categories, platformNames: platformNames, routes: routes)
    }
}
