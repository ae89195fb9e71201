internal import Yams

/// Reads the `routes:` section of `rules/policy.yaml`: per harm category, what to do
/// besides the platform's usual route.
public enum HarmRoutesLoader {
    static let routeKeys = ["first", "act_now", "platform", "report_to", "warning"]
    static let destinationKeys = ["name", "url"]

    /// The routes in `path`, checked against the harm categories. A file without a `routes:`
    /// section gives `HarmRoutes.standard`, less the categories the file does not have.
    public static func load(from path: String, categories: HarmCategories) throws(RuleError) -> HarmRoutes {
        let (node, reader) = try RuleLoader.readYAML(path)
        let file = try reader.mapping(node, what: "a policy file")
        guard let section = file["routes"] else { return standard(for: categories) }
        if section.scalar?.string == "" { return HarmRoutes([]) }
        let map = try reader.mapping(section, what: "'routes'")
        var routes: [HarmRoute] = []
        for (key, value) in map.mapping {
            let id = try reader.string(key, what: "a category in 'routes'")
            guard categories.category(id: id) != nil else {
                let nearest = YAMLMapping.nearest(to: id, in: categories.categories.map(\.id)).map { " (did you mean '\($0)'?)" } ?? ""
                throw RuleError(reader.location(key), "'routes' names '\(id)', which is not a category in \(categories.file)\(nearest)")
            }
            routes.append(try route(id, value, reader: reader))
        }
        return HarmRoutes(routes)
    }

    /// The standard routes of the categories `categories` has.
    public static func standard(for categories: HarmCategories) -> HarmRoutes {
        HarmRoutes(HarmRoutes.standard.byCategory.values.filter { categories.category(id: $0.category) != nil })
    }

    private static func route(_ id: String, _ node: Node, reader: YAMLReader) throws(RuleError) -> HarmRoute {
        let what = "'routes: \(id)'"
        let map = try reader.mapping(node, what: what)
        try map.checkKeys(routeKeys, in: what)
        var route = HarmRoute(category: id)
        if let first = try map.string("first", in: what) {
            guard first == "true" || first == "false" else {
                throw RuleError(map.keyLocation("first"), "'first' in \(what) must be true or false (not '\(first)')")
            }
            route.first = first == "true"
        }
        route.actNow = try text(map, "act_now", what)
        route.platform = try text(map, "platform", what)
        if let template = route.platform {
            for name in placeholders(template) where name != "platform" && name != "channel" {
                throw RuleError(map.keyLocation("platform"), "'platform' in \(what) names '{\(name)}'; it may use {platform} and {channel}")
            }
        }
        route.warning = try text(map, "warning", what)
        if let list = map["report_to"] {
            for item in try reader.list(list, what: "'report_to' in \(what)") {
                let entry = try reader.mapping(item, what: "each entry of 'report_to' in \(what)")
                try entry.checkKeys(destinationKeys, in: "an entry of 'report_to' in \(what)")
                guard let name = try entry.string("name", in: "'report_to' in \(what)"), !name.isEmpty else {
                    throw RuleError(entry.location, "each entry of 'report_to' in \(what) needs 'name'")
                }
                let url = try entry.string("url", in: "'report_to' in \(what)")
                if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                    throw RuleError(entry.keyLocation("url"), "'url' of '\(name)' in \(what) must start with https:// (not '\(url)')")
                }
                route.reportTo.append(.init(name: name, url: url))
            }
        }
        return route
    }

    private static func text(_ map: YAMLMapping, _ key: String, _ what: String) throws(RuleError) -> String? {
        guard let value = try map.string(key, in: what) else { return nil }
        guard !value.isEmpty, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw RuleError(map.keyLocation(key), "'\(key)' in \(what) must be words on one line")
        }
        return value
    }

    private static func placeholders(_ template: String) -> [String] {
        var names: [String] = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
