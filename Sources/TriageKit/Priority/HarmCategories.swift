import Foundation
internal import Yams

/// The harm categories of `rules/categories.yaml`, most serious first, and the
/// decision of which one a report belongs to.
public struct HarmCategories: Sendable {
    /// The file's name inside a rules directory.
    public static let fileName = "categories.yaml"

    static let fileKeys = ["fallback", "categories"]
    static let categoryKeys = ["id", "name", "aliases", "patterns", "examples", "counter_examples"]

    /// Every category, most serious first.
    public let categories: [HarmCategory]
    /// The category for reports that name none and whose words match nothing.
    public let fallback: HarmCategory
    /// The file read, for messages.
    public let file: String
    /// Category index by id and by alias.
    private let byName: [String: Int]

    /// The category with this id or alias (cleaned as ingest cleans categories), if any.
    public func category(named name: String) -> HarmCategory? {
        guard let cleaned = ReportFields.cleanCategory(name), let index = byName[cleaned] else { return nil }
        return categories[index]
    }

    /// The category with exactly this id.
    public func category(id: String) -> HarmCategory? {
        // An id is always its own category's alias, and no alias names two categories.
        guard let index = byName[id], categories[index].id == id else { return nil }
        return categories[index]
    }

    // MARK: - Deciding

    /// The category of one report: the one its reporter named; else the first
    /// category (most serious) whose pattern matches the reporter's category
    /// words, then its notes; else the fallback.
    public func decide(reported: String?, notes: String?, scratch: MatchScratch) -> CategoryDecision {
        decide(reported: reported, scratch: scratch) ?? decide(notes: notes, scratch: scratch) ?? fallbackDecision
    }

    /// What the reporter's category words decide on their own, if anything: the category they
    /// name, else the first whose pattern matches them.
    public func decide(reported: String?, scratch: MatchScratch) -> CategoryDecision? {
        guard let reported, !reported.isEmpty else { return nil }
        if let known = category(named: reported) {
            return CategoryDecision(category: known.id, rank: known.rank, evidence: .reported(reported))
        }
        // Ingest stores `cyber bullying` as `cyber_bullying`; the patterns read words.
        let words = reported.replacingOccurrences(of: "_", with: " ")
        guard let found = firstMatch(in: words, scratch: scratch) else { return nil }
        return CategoryDecision(category: found.category.id, rank: found.category.rank,
                                evidence: .reportedWords(category: reported, matched: found.matched))
    }

    /// What a report's notes decide on their own, if anything: the first category whose pattern matches them.
    public func decide(notes: String?, scratch: MatchScratch) -> CategoryDecision? {
        guard let notes, let found = firstMatch(in: notes, scratch: scratch) else { return nil }
        return CategoryDecision(category: found.category.id, rank: found.category.rank, evidence: .notes(matched: found.matched))
    }

    /// The decision for a report whose words decide nothing, or an item without reports.
    public var fallbackDecision: CategoryDecision {
        CategoryDecision(category: fallback.id, rank: fallback.rank, evidence: .fallback)
    }

    /// The most serious category with a pattern that matches `text`, with the matched words.
    public func firstMatch(in text: String, scratch: MatchScratch) -> (category: HarmCategory, pattern: CategoryPattern, matched: String)? {
        var copy = text
        return copy.withUTF8 { bytes in
            for category in categories {
                for pattern in category.patterns {
                    // A pattern that hits PCRE2's limits is treated as no match here;
                    // the examples test reports it with its line.
                    guard case .match = pattern.pattern.match(bytes, scratch: scratch), let range = scratch.range(of: 0) else { continue }
                    return (category, pattern, String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
                }
            }
            return nil
        }
    }

    // MARK: - Loading

    /// Reads a categories file; every problem names the file, line and column.
    public static func load(from path: String) throws(RuleError) -> HarmCategories {
        let (node, reader) = try RuleLoader.readYAML(path)
        let map = try reader.mapping(node, what: "a categories file")
        try map.checkKeys(fileKeys, in: "a categories file")
        let list = try reader.list(try map.require("categories", in: "a categories file"), what: "'categories'")
        guard !list.isEmpty else { throw RuleError(map.keyLocation("categories"), "'categories' lists no category") }
        var categories: [HarmCategory] = []
        var byName: [String: Int] = [:]
        for item in list {
            let category = try loadCategory(item, rank: categories.count, reader: reader)
            for name in category.aliases {
                if let other = byName[name], other != categories.count {
                    throw RuleError(category.location, "'\(name)' names both '\(categories[other].id)' and '\(category.id)'; a reporter's word may mean one category only")
                }
                byName[name] = categories.count
            }
            categories.append(category)
        }
        guard let fallbackID = try map.string("fallback", in: "a categories file") else {
            throw RuleError(map.location, "a categories file needs 'fallback: ID', the category for reports that match nothing")
        }
        guard let fallback = categories.first(where: { $0.id == fallbackID }) else {
            throw RuleError(map.keyLocation("fallback"), "'fallback' names '\(fallbackID)', which is not a category here (known: \(categories.map(\.id).joined(separator: ", ")))")
        }
        if let pattern = fallback.patterns.first {
            throw RuleError(pattern.location, "the fallback category '\(fallback.id)' takes what matches nothing, so it cannot have patterns")
        }
        return HarmCategories(categories: categories, fallback: fallback, file: path, byName: byName)
    }

    private static func loadCategory(_ node: Node, rank: Int, reader: YAMLReader) throws(RuleError) -> HarmCategory {
        let map = try reader.mapping(node, what: "a category")
        try map.checkKeys(categoryKeys, in: "a category")
        guard let id = try map.string("id", in: "a category"), !id.isEmpty else {
            throw RuleError(map.location, "a category needs 'id' (sexual, threat, impersonation …)")
        }
        guard id.utf8.allSatisfy({ RuleLoader.isKeyByte($0) }) else {
            throw RuleError(map.keyLocation("id"), "category id '\(id)' may use only a-z, 0-9, '_' and '-'")
        }
        let what = "category '\(id)'"
        var aliases = [id]
        for alias in try map.strings("aliases", in: what) {
            guard let cleaned = ReportFields.cleanCategory(alias) else {
                throw RuleError(map.keyLocation("aliases"), "an alias of \(what) is empty")
            }
            if !aliases.contains(cleaned) { aliases.append(cleaned) }
        }
        var patterns: [CategoryPattern] = []
        if let list = map["patterns"] {
            for item in try reader.list(list, what: "'patterns' of \(what)") {
                patterns.append(CategoryPattern(pattern: try compile(item, reader: reader, what: "a pattern of \(what)"), location: reader.location(item)))
            }
        }
        return HarmCategory(
            id: id, name: try map.string("name", in: what) ?? id, rank: rank, aliases: aliases, patterns: patterns,
            examples: try texts(map["examples"], reader: reader, what: "'examples' of \(what)"),
            counterExamples: try texts(map["counter_examples"], reader: reader, what: "'counter_examples' of \(what)"),
            location: map.location)
    }

    private static func texts(_ node: Node?, reader: YAMLReader, what: String) throws(RuleError) -> [CategoryExample] {
        guard let node else { return [] }
        var result: [CategoryExample] = []
        for item in try reader.list(node, what: what) {
            result.append(CategoryExample(text: try reader.string(item, what: "each entry of \(what)"), location: reader.location(item)))
        }
        return result
    }

    /// Compiles a pattern caseless and UTF-8 aware; a pattern that does not compile is
    /// reported at the column inside it where PCRE2 gave up.
    private static func compile(_ node: Node, reader: YAMLReader, what: String) throws(RuleError) -> Pattern {
        let source = try reader.string(node, what: what)
        do {
            return try Pattern(source, options: [.caseless, .utf])
        } catch {
            var location = reader.location(node)
            let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
            location.column += error.offset + (quoted ? 1 : 0)
            throw RuleError(location, "\(what) does not compile: \(error.message) (at offset \(error.offset) of '\(source)')")
        }
    }
}
