/// The report's account of what the helpline does for each harm besides the
/// platform's usual route (policy.yaml `routes:`), so a manager reads the
/// procedure beside the figures.
public struct HarmRouteLine: Sendable, Equatable {
    /// `threats and risk to life`.
    public var harm: String
    public var route: HarmRoute

    public init(harm: String, route: HarmRoute) {
        self.harm = harm
        self.route = route
    }

    /// The lines for the categories in file order that have a route.
    public static func lines(categories: HarmCategories, routes: HarmRoutes) -> [HarmRouteLine] {
        categories.categories.compactMap { category in
            routes.byCategory[category.id].map { HarmRouteLine(harm: category.name, route: $0) }
        }
    }

    /// What to do, in one line of words.
    var words: String {
        var parts: [String] = []
        if route.first { parts.append("listed above everything else") }
        if let warning = route.warning { parts.append(warning) }
        if let act = route.actNow { parts.append(act) }
        if let platform = route.platform {
            parts.append(platform.replacingOccurrences(of: "{platform}", with: "the platform")
                .replacingOccurrences(of: "{channel}", with: "its escalation route"))
        }
        for destination in route.reportTo {
            parts.append("report to " + destination.name + (destination.url.map { " (\($0))" } ?? ""))
        }
        return parts.joined(separator: "; ")
    }
}

extension TakedownReport {
    /// `## What we do for each harm`: a Markdown list, empty when no route is known.
    func routesMarkdown() -> String {
        guard !routes.isEmpty else { return "" }
        var out = "## What we do for each harm\n\nBesides each platform's own route (policy.yaml `routes:`):\n\n"
        for line in routes {
            out += "- **\(Self.markdownText(line.harm))**: \(Self.markdownText(line.words))\n"
        }
        return out + "\n"
    }

    /// The same as an HTML section.
    func routesHTML() -> String {
        guard !routes.isEmpty else { return "" }
        var rows = ""
        for line in routes {
            rows += "<tr><th scope=\"row\">\(HTMLText.escape(line.harm))</th><td>\(HTMLText.escape(line.words))</td></tr>\n"
        }
        return """
            <section>
            <h2>What we do for each harm</h2>
            <p>Besides each platform’s own route, from <code>policy.yaml</code> (<code>routes:</code>):</p>
            <div class="scroll"><table>
            <thead><tr><th scope="col">harm</th><th scope="col">what we do</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table></div>
            </section>

            """
    }

    /// Text from the policy file made inert in Markdown: characters that would start markup escaped.
    static func markdownText(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_[]<>|#".contains(character) { out.append("\\") }
            out.append(character == "\n" || character == "\r" ? " " : character)
        }
        return out
    }
}
