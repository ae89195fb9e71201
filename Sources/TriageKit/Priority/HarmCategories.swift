import Foundation
internal import Yams

/// The harm categories of `rules/categories.yaml`, most serious first, and the
/// decision of which one a report belongs to.
public struct HarmCategories: Sendable {
    /// The file's name inside a rules directory.
    public static let fileName = "categories.yaml"

    static let fileKeys = ["fallback", "negation", "categories"]
    static let categoryKeys = ["id", "name", "aliases", "patterns", "overruled_by", "also_needs", "narrows", "do_not_open",
                               "examples", "counter_examples"]

    /// Every category, most serious first.
    public let categories: [HarmCategory]
    /// The category for reports that name none and whose words match nothing.
    public let fallback: HarmCategory
    /// The file read, for messages.
    public let file: String
    /// Words just before a match that take it back in every category (`not a`, `no`), as written.
    public let negation: [CategoryPattern]
    /// Category index by id and by alias.
    private let byName: [String: Int]
    /// The patterns, ready to scan a text for every category at once.
    let scanner: CategoryScanner
    /// Each category's id and `do_not_open`, by rank: a decision reads them without copying the category.
    private let ids: [String]
    private let doNotOpen: [Bool]

    private init(categories: [HarmCategory], fallback: HarmCategory, file: String, negation: [CategoryPattern],
                 byName: [String: Int], scanner: CategoryScanner) {
        self.categories = categories
        self.fallback = fallback
        self.file = file
        self.negation = negation
        self.byName = byName
        self.scanner = scanner
        ids = categories.map(\.id)
        doNotOpen = categories.map(\.doNotOpen)
    }

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

    /// The category of one report: every category its reporter named and its words say,
    /// the most serious deciding; the fallback when there is none.
    public func decide(reported: String?, notes: String?, scratch: MatchScratch) -> CategoryDecision {
        let named = decide(reported: reported, scratch: scratch)
        let said = decide(notes: notes, scratch: scratch)
        switch (named, said) {
        case (let named?, let said?): return named.merging(said)
        case (let named?, nil): return named
        case (nil, let said?): return said
        case (nil, nil): return fallbackDecision(reported: reported)
        }
    }

    /// The fallback, saying which unknown category the reporter named, if any.
    public func fallbackDecision(reported: String?) -> CategoryDecision {
        guard let reported, !reported.isEmpty else { return fallbackDecision }
        return CategoryDecision(findings: [.init(category: fallback.id, rank: fallback.rank, evidence: .unknownReported(reported),
                                                 doNotOpen: fallback.doNotOpen)], overruled: [])
    }

    /// What the reporter's category words decide on their own, if anything: the category they
    /// name, else every category whose pattern matches them.
    public func decide(reported: String?, scratch: MatchScratch) -> CategoryDecision? {
        guard let reported, !reported.isEmpty else { return nil }
        if let known = category(named: reported) {
            return CategoryDecision(findings: [.init(category: known.id, rank: known.rank, evidence: .reported(reported), doNotOpen: known.doNotOpen)],
                                    overruled: [])
        }
        // Ingest stores `cyber bullying` as `cyber_bullying`; the patterns read words.
        return decide(text: reported.replacingOccurrences(of: "_", with: " "), scratch: scratch) { .reportedWords(category: reported, matched: $0) }
    }

    /// What a report's notes decide on their own, if anything: every category their words name.
    public func decide(notes: String?, scratch: MatchScratch) -> CategoryDecision? {
        guard let notes else { return nil }
        return decide(text: notes, scratch: scratch) { .notes(matched: $0) }
    }

    /// What `text`'s words decide, with `evidence` made of the words matched.
    func decide(text: String, scratch: MatchScratch, evidence: (String) -> CategoryDecision.Evidence) -> CategoryDecision? {
        var copy = text
        return copy.withUTF8 { decide(bytes: $0, scratch: scratch, evidence: evidence) }
    }

    /// The same over bytes that are valid UTF-8 (a Swift string's own).
    /// `plainly` scans the straightforward way (`CategoryScanner.scanPlainly`), for tests.
    /// `ascii`: the caller knows every byte is ASCII (so no letter caseless matching folds differently).
    func decide(bytes: UnsafeBufferPointer<UInt8>, scratch: MatchScratch, plainly: Bool = false, ascii: Bool = false,
                evidence: (String) -> CategoryDecision.Evidence) -> CategoryDecision? {
        if plainly {
            let (found, overruled) = scanner.scanPlainly(bytes, scratch: scratch)
            return found.withUnsafeBufferPointer { found in
                overruled.withUnsafeBufferPointer { decision(bytes, found: found, overruled: $0, evidence: evidence) }
            }
        }
        return scanner.scan(bytes, scratch: scratch, ascii: ascii) { decision(bytes, found: $0, overruled: $1, evidence: evidence) }
    }

    /// The decision for what a scan of `bytes` found, nil when nothing.
    private func decision(_ bytes: UnsafeBufferPointer<UInt8>, found: UnsafeBufferPointer<CategoryScanner.Found>,
                          overruled: UnsafeBufferPointer<CategoryScanner.Overruled>,
                          evidence: (String) -> CategoryDecision.Evidence) -> CategoryDecision? {
        guard !found.isEmpty else { return nil }
        func words(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        let findings = found.map { hit in
            let matched = hit.alongside.map { "\(words(hit.range)) … \(words($0))" } ?? words(hit.range)
            return CategoryDecision.Finding(category: ids[hit.category], rank: hit.category, evidence: evidence(matched),
                                            doNotOpen: doNotOpen[hit.category])
        }
        let overrules = overruled.isEmpty ? [] : overruled.map {
            CategoryDecision.Overruled(category: ids[$0.category], matched: words($0.range), by: words($0.by))
        }
        // One finding a category, in rank order, and nothing taken back in a category found: as the scan gives them.
        return CategoryDecision(ordered: findings, overruled: overrules)
    }

    /// The decision for a report whose words decide nothing, or an item without reports.
    public var fallbackDecision: CategoryDecision {
        CategoryDecision(findings: [.init(category: fallback.id, rank: fallback.rank, evidence: .fallback, doNotOpen: fallback.doNotOpen)], overruled: [])
    }

    /// The most serious category with a pattern that matches `text` and is not overruled, with the matched words.
    public func firstMatch(in text: String, scratch: MatchScratch) -> (category: HarmCategory, pattern: CategoryPattern, matched: String)? {
        var copy = text
        return copy.withUTF8 { bytes in
            guard let hit = scanner.scan(bytes, scratch: scratch).found.first else { return nil }
            return (categories[hit.category], scanner.entries[hit.entry].pattern, String(decoding: UnsafeBufferPointer(rebasing: bytes[hit.range]), as: UTF8.self))
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
        for category in categories {
            if let narrows = category.narrows, !categories.contains(where: { $0.id == narrows && $0.id != category.id }) {
                throw RuleError(category.location, "category '\(category.id)' narrows '\(narrows)', which is not another category here")
            }
        }
        var negation: [CategoryPattern] = []
        if let list = map["negation"] {
            for item in try reader.list(list, what: "'negation'") {
                negation.append(CategoryPattern(pattern: try compile(item, reader: reader, what: "a 'negation' pattern", context: true), location: reader.location(item)))
            }
        }
        guard let fallback = categories.first(where: { $0.id == fallbackID }) else {
            throw RuleError(map.keyLocation("fallback"), "'fallback' names '\(fallbackID)', which is not a category here (known: \(categories.map(\.id).joined(separator: ", ")))")
        }
        if let pattern = fallback.patterns.first {
            throw RuleError(pattern.location, "the fallback category '\(fallback.id)' takes what matches nothing, so it cannot have patterns")
        }
        return HarmCategories(categories: categories, fallback: fallback, file: path, negation: negation, byName: byName,
                              scanner: CategoryScanner(categories: categories, negation: negation.map(\.pattern)))
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
        func patterns(_ key: String, _ kind: String, context: Bool = false) throws(RuleError) -> [CategoryPattern] {
            var patterns: [CategoryPattern] = []
            if let list = map[key] {
                for item in try reader.list(list, what: "'\(key)' of \(what)") {
                    patterns.append(CategoryPattern(pattern: try compile(item, reader: reader, what: "\(kind) of \(what)", context: context),
                                                    location: reader.location(item)))
                }
            }
            return patterns
        }
        var doNotOpen = false
        if let node = map["do_not_open"] {
            let text = try reader.string(node, what: "'do_not_open' of \(what)")
            guard text == "true" || text == "false" else {
                throw RuleError(reader.location(node), "'do_not_open' of \(what) must be true or false (not '\(text)')")
            }
            doNotOpen = text == "true"
        }
        return HarmCategory(
            id: id, name: try map.string("name", in: what) ?? id, rank: rank, aliases: aliases,
            patterns: try patterns("patterns", "a pattern"),
            overruledBy: try patterns("overruled_by", "an 'overruled_by' pattern", context: true),
            alsoNeeds: try patterns("also_needs", "an 'also_needs' pattern"),
            narrows: try map.string("narrows", in: what), doNotOpen: doNotOpen,
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
    private static func compile(_ node: Node, reader: YAMLReader, what: String, context: Bool = false) throws(RuleError) -> Pattern {
        let source = try reader.string(node, what: what)
        do {
            // Compiled alone first, so an error's offset is inside the author's own text.
            let pattern = try Pattern(source, options: [.caseless, .utf])
            return context ? try CategoryScanner.contextPattern(source) : pattern
        } catch {
            var location = reader.location(node)
            let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
            location.column += error.offset + (quoted ? 1 : 0)
            throw RuleError(location, "\(what) does not compile: \(error.message) (at offset \(error.offset) of '\(source)')")
        }
    }
}
