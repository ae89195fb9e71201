import Foundation
internal import Yams

/// Reads the `priority:` section of `rules/policy.yaml`; the rest of the file
/// (the recheck policy) belongs to its own reader and is not looked at here.
public enum PriorityPolicyLoader {
    static let sectionKeys = ["category", "reports", "reporters", "verdict", "age", "overdue", "content_type"]

    /// The weights in `path`, checked against the harm categories (every category needs a
    /// weight, and no weight may name an unknown one) and, when given, the content types
    /// the rule files use. A file without a `priority:` section gives `PriorityWeights.standard`.
    public static func load(from path: String, categories: HarmCategories, contentTypes: Set<String>? = nil) throws(RuleError) -> PriorityWeights {
        let (node, reader) = try RuleLoader.readYAML(path)
        let file = try reader.mapping(node, what: "a policy file")
        guard let section = file["priority"] else { return .standard }
        let map = try reader.mapping(section, what: "'priority'")
        try map.checkKeys(sectionKeys, in: "'priority'")
        var weights = PriorityWeights.standard

        if let node = map["category"] {
            let points = try numbers(node, reader: reader, what: "'priority: category'")
            for (id, (_, location)) in points where categories.category(id: id) == nil {
                throw RuleError(location, "'priority: category' gives points to '\(id)', which is not a category in \(categories.file) (known: \(categories.categories.map(\.id).joined(separator: ", ")))")
            }
            for category in categories.categories where points[category.id] == nil {
                throw RuleError(map.keyLocation("category"), "'priority: category' gives no points to '\(category.id)' (\(category.location)); add '\(category.id): N'")
            }
            weights.category = points.mapValues(\.value)
        } else {
            for category in categories.categories where weights.category[category.id] == nil {
                throw RuleError(map.location, "'priority' has no 'category' section, and the standard weights know no '\(category.id)' (\(category.location)); add 'category: {\(category.id): N, …}'")
            }
        }
        if let node = map["reports"] {
            let part = try fields(node, reader: reader, what: "'priority: reports'", keys: ["each", "max"])
            weights.perReport = part["each"] ?? weights.perReport
            weights.reportsMax = part["max"] ?? weights.reportsMax
        }
        if let node = map["reporters"] {
            let part = try fields(node, reader: reader, what: "'priority: reporters'", keys: ["each_after_first", "max"])
            weights.perExtraReporter = part["each_after_first"] ?? weights.perExtraReporter
            weights.reportersMax = part["max"] ?? weights.reportersMax
        }
        if let node = map["verdict"] {
            let part = try fields(node, reader: reader, what: "'priority: verdict' (only live and restricted items are escalated)", keys: ["live", "restricted"])
            weights.live = part["live"] ?? weights.live
            weights.restricted = part["restricted"] ?? weights.restricted
        }
        if let node = map["age"] {
            let part = try fields(node, reader: reader, what: "'priority: age'", keys: ["per_day", "max"])
            weights.perDay = part["per_day"] ?? weights.perDay
            weights.ageMax = part["max"] ?? weights.ageMax
        }
        if let node = map["overdue"] {
            let part = try fields(node, reader: reader, what: "'priority: overdue'", keys: ["on_passing_target", "per_hour", "max"])
            weights.onPassingTarget = part["on_passing_target"] ?? weights.onPassingTarget
            weights.perHourPastTarget = part["per_hour"] ?? weights.perHourPastTarget
            weights.overdueMax = part["max"] ?? weights.overdueMax
        }
        if let node = map["content_type"] {
            var points = try numbers(node, reader: reader, what: "'priority: content_type'")
            if let known = contentTypes {
                for (type, (_, location)) in points where type != "default" && !known.contains(type) {
                    let nearest = YAMLMapping.nearest(to: type, in: known.sorted()).map { " (did you mean '\($0)'?)" } ?? ""
                    throw RuleError(location, "'priority: content_type' gives points to '\(type)', a type no platform rule file uses\(nearest)")
                }
            }
            weights.contentTypeDefault = points.removeValue(forKey: "default")?.value ?? 0
            weights.contentType = points.mapValues(\.value)
        }
        return weights
    }

    // MARK: - Values

    /// A mapping of names to numbers, with the place of each, so a bad one is reported where it is.
    private static func numbers(_ node: Node, reader: YAMLReader, what: String) throws(RuleError) -> [String: (value: Double, location: SourceLocation)] {
        let map = try reader.mapping(node, what: what)
        var result: [String: (value: Double, location: SourceLocation)] = [:]
        for (key, value) in map.mapping {
            let name = try reader.string(key, what: "a name in \(what)")
            result[name] = (try number(value, reader: reader, what: "'\(name)' in \(what)"), reader.location(key))
        }
        return result
    }

    private static func fields(_ node: Node, reader: YAMLReader, what: String, keys: [String]) throws(RuleError) -> [String: Double] {
        let map = try reader.mapping(node, what: what)
        try map.checkKeys(keys, in: what)
        var result: [String: Double] = [:]
        for key in keys {
            guard let value = map[key] else { continue }
            result[key] = try number(value, reader: reader, what: "'\(key)' in \(what)")
        }
        return result
    }

    private static func number(_ node: Node, reader: YAMLReader, what: String) throws(RuleError) -> Double {
        let text = try reader.string(node, what: what)
        guard let value = Double(text), value.isFinite, value >= 0 else {
            throw RuleError(reader.location(node), "\(what) must be a number of points, 0 or more (not '\(text)')")
        }
        return value
    }
}
