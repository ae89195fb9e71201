import Foundation
internal import Yams

/// Reads rule files: `platforms/*.yaml` and `tracking.yaml` in a rules directory.
struct RuleLoader {
    static let platformKeys = ["platform", "name", "hosts", "fold_hosts", "strip_params", "fold_case",
                               "content", "liveness", "escalation"]
    static let contentKeys = ["type", "key_type", "hosts", "path", "query", "key", "canonical", "fold_case",
                              "examples", "counter_examples"]
    static let exampleKeys = ["url", "key", "canonical"]
    static let livenessKeys = ["removed", "restricted", "probe"]
    static let signatureKeys = ["status", "final_url", "body", "redirected"]
    static let probeKeys = ["url", "types", "status"]
    static let escalationKeys = ["channel", "url", "response_hours"]
    static let defaultFoldPrefixes = ["www", "m", "mobile"]
    /// The status codes HTTP defines. (LinkedIn's 999 is not one; the checker
    /// reports it as unknown without a signature.)
    static let httpStatuses = 100...599

    let globalTracking: ParamFilter

    // MARK: - Files

    static func readYAML(_ path: String) throws(RuleError) -> (Node, YAMLReader) {
        let reader = YAMLReader(file: path)
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RuleError(SourceLocation(file: path, line: 1), "cannot read rule file: \(error.localizedDescription)")
        }
        do {
            // Every value is read as text, so no implicit typing: the default
            // resolver runs a handful of regular expressions over every scalar.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw RuleError(SourceLocation(file: path, line: 1), "rule file is empty")
            }
            return (node, reader)
        } catch let error as RuleError {
            throw error
        } catch let error as YamlError {
            let (location, message) = YAMLMistake.locate(error, text: text, file: path)
            throw RuleError(location, message)
        } catch {
            throw RuleError(SourceLocation(file: path, line: 1), "not valid YAML: \(error)")
        }
    }

    /// The tracking filter of `tracking.yaml` (see `loadTrackingRules`).
    static func loadTracking(_ path: String) throws(RuleError) -> ParamFilter {
        try loadTrackingRules(path).filter
    }

    // MARK: - Platform files

    func loadPlatform(_ path: String) throws(RuleError) -> PlatformRules {
        let (node, reader) = try Self.readYAML(path)
        let map = try reader.mapping(node, what: "a platform rule file")
        try map.checkKeys(Self.platformKeys, in: "a platform rule file")
        guard let platform = try map.string("platform", in: "a platform rule file"), !platform.isEmpty else {
            throw RuleError(map.location, "a platform rule file needs 'platform: NAME'")
        }
        guard platform.utf8.allSatisfy({ Self.isKeyByte($0) }) else {
            throw RuleError(map.keyLocation("platform"), "platform name '\(platform)' may use only a-z, 0-9, '_' and '-'")
        }
        let hosts = try map.strings("hosts", in: "platform '\(platform)'").map { $0.lowercased() }
        if hosts.isEmpty { throw RuleError(map.location, "platform '\(platform)' lists no 'hosts'") }
        let foldPrefixes = map["fold_hosts"] == nil
            ? Self.defaultFoldPrefixes
            : try map.strings("fold_hosts", in: "platform '\(platform)'").map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
        let stripParams = globalTracking.merged(with: ParamFilter(try map.strings("strip_params", in: "platform '\(platform)'")))
        let platformFold = Set(try map.strings("fold_case", in: "platform '\(platform)'"))
        var content: [ContentRule] = []
        if let list = map["content"] {
            for item in try reader.list(list, what: "'content'") {
                content.append(try loadContent(item, reader: reader, platform: platform, platformFold: platformFold))
            }
        }
        return PlatformRules(
            platform: platform,
            displayName: try map.string("name", in: "platform '\(platform)'") ?? platform,
            hosts: hosts, foldPrefixes: foldPrefixes, stripParams: stripParams, content: content,
            escalation: try map["escalation"].map { node throws(RuleError) in try loadEscalation(node, reader: reader) },
            liveness: try map["liveness"].map { node throws(RuleError) in try loadLiveness(node, reader: reader) },
            location: map.location)
    }

    private func loadContent(_ node: Node, reader: YAMLReader, platform: String, platformFold: Set<String>) throws(RuleError) -> ContentRule {
        let map = try reader.mapping(node, what: "a content rule")
        try map.checkKeys(Self.contentKeys, in: "a content rule")
        guard let type = try map.string("type", in: "a content rule"), !type.isEmpty else {
            throw RuleError(map.location, "a content rule needs 'type' (video, profile, post …)")
        }
        let what = "the '\(type)' rule"
        // Types, key types and templates end up in TSV rows, which have no quoting.
        for (field, value) in [("type", type), ("key_type", try map.string("key_type", in: what) ?? type)]
        where value.utf8.contains(where: Self.isControl) {
            throw RuleError(map[field].map(map.reader.location) ?? map.location, "'\(field)' of \(what) contains a control character (a tab or line break?)")
        }
        let path = try map["path"].map { node throws(RuleError) in try compile(node, reader: reader, what: "'path' of \(what)") }
        var query: [QueryRequirement] = []
        if let queryNode = map["query"] {
            let queryMap = try reader.mapping(queryNode, what: "'query' of \(what)")
            for (name, value) in queryMap.mapping {
                let parameter = try reader.string(name, what: "a query parameter name")
                query.append(QueryRequirement(name: parameter, pattern: try compile(value, reader: reader, what: "query '\(parameter)' of \(what)")))
            }
        }
        var captureSet = Set(path?.groupNumbers.keys.map { $0 } ?? [])
        for requirement in query { captureSet.formUnion(requirement.pattern.groupNumbers.keys) }
        let captures = captureSet.sorted()
        guard captures.count <= CaptureRanges.limit else {
            throw RuleError(map.location, "\(what) captures \(captures.count) names; a rule may capture at most \(CaptureRanges.limit)")
        }
        let key = try template(map, "key", default: "{id}", captures: captures, what: what)
        let canonical = try template(map, "canonical", default: "{url}", captures: captures, what: what)
        let hosts = map["hosts"] == nil ? nil : Set(try map.strings("hosts", in: what).map { $0.lowercased() })
        return ContentRule(
            platform: platform, type: type, keyType: try map.string("key_type", in: what) ?? type, hosts: hosts, path: path, query: query, captureNames: captures, key: key, canonical: canonical,
            foldCase: platformFold.union(try map.strings("fold_case", in: what)).intersection(captureSet),
            examples: try examples(map["examples"], reader: reader, what: "'examples' of \(what)"),
            counterExamples: try examples(map["counter_examples"], reader: reader, what: "'counter_examples' of \(what)"),
            location: map.location)
    }

    /// C0 controls and DEL, which no name or template may hold.
    static func isControl(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F }

    private func template(_ map: YAMLMapping, _ name: String, default fallback: String, captures: [String], what: String) throws(RuleError) -> Template {
        let text = try map.string(name, in: what) ?? fallback
        if text.utf8.contains(where: Self.isControl) {
            throw RuleError(map[name].map(map.reader.location) ?? map.location, "'\(name)' of \(what) contains a control character (a tab or line break?)")
        }
        do {
            return try Template(text, captures: captures)
        } catch {
            throw RuleError(map[name].map(map.reader.location) ?? map.location, "'\(name)' of \(what): \(error.message)")
        }
    }

    private func examples(_ node: Node?, reader: YAMLReader, what: String) throws(RuleError) -> [RuleExample] {
        guard let node else { return [] }
        var result: [RuleExample] = []
        for item in try reader.list(node, what: what) {
            if let scalar = item.scalar {
                result.append(RuleExample(url: scalar.string, key: nil, canonical: nil, location: reader.location(item)))
                continue
            }
            let map = try reader.mapping(item, what: "each entry of \(what)")
            try map.checkKeys(Self.exampleKeys, in: "an example")
            guard let url = try map.string("url", in: "an example") else { throw RuleError(map.location, "an example needs 'url'") }
            result.append(RuleExample(url: url, key: try map.string("key", in: "an example"),
                                      canonical: try map.string("canonical", in: "an example"), location: map.location))
        }
        return result
    }

    // MARK: - Liveness and escalation

    private func loadLiveness(_ node: Node, reader: YAMLReader) throws(RuleError) -> LivenessRules {
        let map = try reader.mapping(node, what: "'liveness'")
        try map.checkKeys(Self.livenessKeys, in: "'liveness'")
        return LivenessRules(removed: try signatures(map["removed"], reader: reader, what: "removed"),
                             restricted: try signatures(map["restricted"], reader: reader, what: "restricted"),
                             probe: try map["probe"].map { node throws(RuleError) in try loadProbe(node, reader: reader) })
    }

    /// `probe: {url: 'https://…/oembed?url={url}', types: [video], status: {404: removed, 401: page}}`.
    private func loadProbe(_ node: Node, reader: YAMLReader) throws(RuleError) -> LivenessProbe {
        let map = try reader.mapping(node, what: "'probe'")
        try map.checkKeys(Self.probeKeys, in: "'probe'")
        guard let template = try map.string("url", in: "'probe'") else {
            throw RuleError(map.location, "'probe' needs 'url', a URL with {url} where the content's URL goes")
        }
        let lowered = template.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else {
            throw RuleError(map.keyLocation("url"), "the probe 'url' must start with https:// or http://")
        }
        guard template.contains("{url}") else {
            throw RuleError(map.keyLocation("url"), "the probe 'url' must contain {url}, where the content's URL goes")
        }
        let types = map["types"] == nil ? nil : Set(try map.strings("types", in: "'probe'"))
        guard let statusNode = map["status"] else {
            throw RuleError(map.location, "'probe' needs 'status', a mapping of HTTP status to verdict (e.g. {404: removed, 200: live})")
        }
        let statusMap = try reader.mapping(statusNode, what: "'status' of 'probe'")
        var answers: [Int: ProbeAnswer] = [:]
        for (name, value) in statusMap.mapping {
            let text = try reader.string(name, what: "a probe status")
            guard let code = Int(text), Self.httpStatuses.contains(code) else {
                throw RuleError(reader.location(name), "'\(text)' is not an HTTP status code (100–599)")
            }
            let verdict = try reader.string(value, what: "the meaning of probe status \(code)")
            guard let answer = ProbeAnswer(rawValue: verdict) else {
                let known = ProbeAnswer.allCases.map(\.rawValue).joined(separator: ", ")
                throw RuleError(reader.location(value), "probe status \(code) means '\(verdict)', which is none of: \(known)")
            }
            answers[code] = answer
        }
        return LivenessProbe(template: template, types: types, answers: answers, location: map.location)
    }

    private func signatures(_ node: Node?, reader: YAMLReader, what: String) throws(RuleError) -> [LivenessSignature] {
        guard let node else { return [] }
        var result: [LivenessSignature] = []
        for item in try reader.list(node, what: "'\(what)'") {
            let map = try reader.mapping(item, what: "a '\(what)' signature")
            try map.checkKeys(Self.signatureKeys, in: "a '\(what)' signature")
            var status: [Int] = []
            for text in try map.strings("status", in: "a signature") {
                guard let code = Int(text), Self.httpStatuses.contains(code) else {
                    throw RuleError(map.keyLocation("status"), "'\(text)' is not an HTTP status code (100–599)")
                }
                status.append(code)
            }
            let finalURL = try map["final_url"].map { node throws(RuleError) in try compile(node, reader: reader, what: "'final_url'") }
            let body = try map["body"].map { node throws(RuleError) in try compile(node, reader: reader, what: "'body'", options: [.caseless]) }
            var redirected: Bool?
            if let text = try map.string("redirected", in: "a signature") {
                guard text == "true" || text == "false" else {
                    throw RuleError(map.keyLocation("redirected"), "'redirected' must be true or false, not '\(text)'")
                }
                redirected = text == "true"
            }
            if status.isEmpty && finalURL == nil && body == nil {
                throw RuleError(map.location, "a '\(what)' signature needs at least one of: status, final_url, body")
            }
            result.append(LivenessSignature(status: status, finalURL: finalURL, body: body, redirected: redirected, location: map.location))
        }
        return result
    }

    private func loadEscalation(_ node: Node, reader: YAMLReader) throws(RuleError) -> EscalationRoute {
        let map = try reader.mapping(node, what: "'escalation'")
        try map.checkKeys(Self.escalationKeys, in: "'escalation'")
        guard let channel = try map.string("channel", in: "'escalation'") else {
            throw RuleError(map.location, "'escalation' needs 'channel'")
        }
        var hours: Int?
        if let text = try map.string("response_hours", in: "'escalation'") {
            guard let value = Int(text), value > 0 else { throw RuleError(map.keyLocation("response_hours"), "'response_hours' must be a whole number of hours") }
            hours = value
        }
        return EscalationRoute(channel: channel, url: try map.string("url", in: "'escalation'"), responseHours: hours)
    }

    // MARK: - Patterns

    private func compile(_ node: Node, reader: YAMLReader, what: String, options: Pattern.Options = []) throws(RuleError) -> Pattern {
        let source = try reader.string(node, what: what)
        do {
            return try Pattern(source, options: options)
        } catch {
            var location = reader.location(node)
            let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
            location.column += error.offset + (quoted ? 1 : 0)
            throw RuleError(location, "\(what) does not compile: \(error.message) (at offset \(error.offset) of '\(source)')")
        }
    }

    static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2D
    }
}
