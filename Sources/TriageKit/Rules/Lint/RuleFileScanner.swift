import Foundation
internal import Yams

/// The first lint pass: walks one rule file's YAML and reports every fault
/// it can see without loading the file, and keeps going after each one.
///
/// The loader stops at the first fault, which suits the engine (a broken rule
/// file must not half-load) but not a rule author, who wants the whole list.
/// The key lists are the loader's own (`RuleLoader.platformKeys` …) and the
/// messages follow the loader's, so lint and load never disagree on names.
struct RuleFileScanner {
    /// A pattern the scan compiled, kept for the checks that run patterns.
    struct ScannedPattern {
        let pattern: Pattern
        /// Where the pattern's first character is written.
        let location: SourceLocation
        /// What the pattern is for, in words: "'path' of the 'video' rule".
        let what: String
        /// What a content pattern is matched against ("path", "value"), which it must match whole; nil for liveness patterns.
        let subject: String?
    }

    let file: String
    private(set) var findings: [LintFinding] = []
    private(set) var patterns: [ScannedPattern] = []
    private var reader: YAMLReader
    private var position = PatternPosition(text: "")
    /// Every name the platform's content patterns capture, for its `fold_case`;
    /// nil once a pattern did not compile (then any name could be one of its).
    private var platformCaptures: Set<String>? = []

    init(file: String) {
        self.file = file
        reader = YAMLReader(file: file)
    }

    // MARK: - Files

    /// Scans a platform file.
    mutating func scanPlatform() {
        guard let root = read() else { return }
        guard let map = mapping(root, what: "a platform rule file") else { return }
        checkKeys(map, RuleLoader.platformKeys, in: "a platform rule file")
        let name = string(map["platform"], what: "'platform'")
        if name?.isEmpty ?? true {
            fail(.badValue, map.location, "a platform rule file needs 'platform: NAME'")
        } else if let name, !name.utf8.allSatisfy(RuleLoader.isKeyByte) {
            fail(.badValue, map.keyLocation("platform"), "platform name '\(name)' may use only a-z, 0-9, '_' and '-'")
        }
        let what = "platform '\(name ?? "?")'"
        _ = string(map["name"], what: "'name' of \(what)")
        if strings(map["hosts"], what: "'hosts' of \(what)").isEmpty {
            fail(.badValue, map.location, "\(what) lists no 'hosts'")
        }
        _ = strings(map["fold_hosts"], what: "'fold_hosts' of \(what)")
        _ = strings(map["strip_params"], what: "'strip_params' of \(what)")
        let platformFold = strings(map["fold_case"], what: "'fold_case' of \(what)")
        if let content = map["content"] {
            var counterExamples = 0
            let rules = list(content, what: "'content'")
            for rule in rules { counterExamples += scanContent(rule) }
            if let captured = platformCaptures {
                for name in platformFold where !captured.contains(name) {
                    fail(.unknownCapture, map.keyLocation("fold_case"), FoldCaseCheck.message(name, captured: captured, of: what))
                }
            }
            if !rules.isEmpty && counterExamples == 0 {
                warn(.noCounterExamples, map.keyLocation("content"),
                        "\(what) has no counter-examples: add URLs its patterns must not match (counter_examples: […]) beside the rules most likely to over-match")
            }
        }
        if let liveness = map["liveness"] { scanLiveness(liveness) }
        if let escalation = map["escalation"] { scanEscalation(escalation) }
    }

    /// Scans `tracking.yaml`.
    mutating func scanTracking() {
        guard let root = read(), let map = mapping(root, what: "tracking.yaml") else { return }
        checkKeys(map, RuleLoader.trackingKeys, in: "tracking.yaml")
        _ = strings(map["global"], what: "'global' in tracking.yaml")
        // Patterns that are no parameter name, and examples without their
        // canonical URL, are what the loader refuses: say so where they are.
        let keys = map.mapping.keys.compactMap { $0.scalar?.string }
        guard keys.allSatisfy(RuleLoader.trackingKeys.contains) else { return }
        do {
            _ = try RuleLoader.loadTrackingRules(file)
        } catch {
            fail(.badValue, error.location, error.message)
        }
    }

    private mutating func read() -> Node? {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            fail(.unreadable, SourceLocation(file: file, line: 1), "cannot read rule file: \(error.localizedDescription)")
            return nil
        }
        guard text.contains(where: { !$0.isWhitespace }) else {
            fail(.badValue, SourceLocation(file: file, line: 1), "rule file is empty")
            return nil
        }
        position = PatternPosition(text: text)
        do {
            return try RuleLoader.readYAML(file).0
        } catch {
            fail(.yamlSyntax, error.location, error.message)
            return nil
        }
    }

    // MARK: - Content rules

    /// Scans one content rule; returns how many counter-examples it has.
    private mutating func scanContent(_ node: Node) -> Int {
        guard let map = mapping(node, what: "a content rule") else { return 0 }
        checkKeys(map, RuleLoader.contentKeys, in: "a content rule")
        let type = string(map["type"], what: "'type' of a content rule") ?? ""
        if type.isEmpty { fail(.badValue, map.location, "a content rule needs 'type' (video, profile, post …)") }
        if !type.isEmpty, let problem = ContentTypes.problem(type, field: "type") {
            fail(.unknownType, map["type"].map(reader.location) ?? map.location, problem)
        }
        let what = "the '\(type)' rule"
        if let keyType = string(map["key_type"], what: "'key_type' of \(what)"), let problem = ContentTypes.problem(keyType, field: "key_type") {
            fail(.unknownType, map["key_type"].map(reader.location) ?? map.location, problem)
        }
        _ = strings(map["hosts"], what: "'hosts' of \(what)")
        let ruleFold = strings(map["fold_case"], what: "'fold_case' of \(what)")
        var captures: Set<String>? = []
        if let path = map["path"] {
            let pattern = compile(path, what: "'path' of \(what)", subject: "path")
            captures = pattern.flatMap { captures?.union($0.groupNumbers.keys) }
        }
        if let query = map["query"], let queryMap = mapping(query, what: "'query' of \(what)") {
            for (name, value) in queryMap.mapping {
                let parameter = string(name, what: "a query parameter name") ?? "?"
                let pattern = compile(value, what: "query '\(parameter)' of \(what)", subject: "value of '\(parameter)'")
                captures = pattern.flatMap { captures?.union($0.groupNumbers.keys) }
            }
        }
        if let captures, captures.count > CaptureRanges.limit {
            fail(.badValue, map.location, "\(what) captures \(captures.count) names; a rule may capture at most \(CaptureRanges.limit)")
        }
        platformCaptures = captures.flatMap { platformCaptures?.union($0) }
        // Templates can only be checked when every pattern compiled, or every name would look unknown.
        if let captures {
            for name in ruleFold where !captures.contains(name) {
                fail(.unknownCapture, map.keyLocation("fold_case"), FoldCaseCheck.message(name, captured: captures, of: what))
            }
            template(map, "key", default: "{id}", captures: captures.sorted(), what: what)
            template(map, "canonical", default: "{url}", captures: captures.sorted(), what: what)
        }
        let examples = scanExamples(map["examples"], what: "'examples' of \(what)")
        let counterExamples = scanExamples(map["counter_examples"], what: "'counter_examples' of \(what)")
        if examples == 0 {
            fail(.noExamples, map.location,
                  "\(what) has no examples: add a URL it must match (examples: [{url: …, key: …}]), so that 'rules test' checks it")
        }
        return counterExamples
    }

    private mutating func template(_ map: YAMLMapping, _ name: String, default fallback: String, captures: [String], what: String) {
        let text = string(map[name], what: "'\(name)' of \(what)") ?? fallback
        do {
            _ = try Template(text, captures: captures)
        } catch {
            fail(.badTemplate, map[name].map(reader.location) ?? map.location, "'\(name)' of \(what): \(error.message)")
        }
    }

    /// Checks a list of examples; returns how many there are.
    private mutating func scanExamples(_ node: Node?, what: String) -> Int {
        guard let node else { return 0 }
        let items = list(node, what: what)
        for item in items where item.scalar == nil {
            guard let map = mapping(item, what: "each entry of \(what)") else { continue }
            checkKeys(map, RuleLoader.exampleKeys, in: "an example")
            if string(map["url"], what: "'url' of an example") == nil { fail(.badValue, map.location, "an example needs 'url'") }
            _ = string(map["key"], what: "'key' of an example")
            _ = string(map["canonical"], what: "'canonical' of an example")
        }
        return items.count
    }

    // MARK: - Liveness and escalation

    private mutating func scanLiveness(_ node: Node) {
        guard let map = mapping(node, what: "'liveness'") else { return }
        checkKeys(map, RuleLoader.livenessKeys, in: "'liveness'")
        for verdict in ["removed", "restricted"] {
            guard let signatures = map[verdict] else { continue }
            for item in list(signatures, what: "'\(verdict)'") {
                guard let signature = mapping(item, what: "a '\(verdict)' signature") else { continue }
                checkKeys(signature, RuleLoader.signatureKeys, in: "a '\(verdict)' signature")
                for text in strings(signature["status"], what: "'status' of a signature") where Int(text).map({ !RuleLoader.httpStatuses.contains($0) }) ?? true {
                    fail(.badValue, signature.keyLocation("status"), "'\(text)' is not an HTTP status code (100–599)")
                }
                if let redirected = string(signature["redirected"], what: "'redirected' of a signature"), redirected != "true", redirected != "false" {
                    fail(.badValue, signature.keyLocation("redirected"), "'redirected' must be true or false, not '\(redirected)'")
                }
                if let finalURL = signature["final_url"] { _ = compile(finalURL, what: "'final_url' of a '\(verdict)' signature", subject: nil) }
                if let body = signature["body"] { _ = compile(body, what: "'body' of a '\(verdict)' signature", options: [.caseless], subject: nil) }
                if signature["status"] == nil && signature["final_url"] == nil && signature["body"] == nil {
                    fail(.badValue, signature.location, "a '\(verdict)' signature needs at least one of: status, final_url, body")
                }
            }
        }
        if let probe = map["probe"] { scanProbe(probe) }
    }

    private mutating func scanProbe(_ node: Node) {
        guard let map = mapping(node, what: "'probe'") else { return }
        checkKeys(map, RuleLoader.probeKeys, in: "'probe'")
        if let template = string(map["url"], what: "'url' of 'probe'") {
            let lowered = template.lowercased()
            if !(lowered.hasPrefix("https://") || lowered.hasPrefix("http://")) {
                fail(.badValue, map.keyLocation("url"), "the probe 'url' must start with https:// or http://")
            } else if !template.contains("{url}") {
                fail(.badValue, map.keyLocation("url"), "the probe 'url' must contain {url}, where the content's URL goes")
            }
        } else if map["url"] == nil {
            fail(.badValue, map.location, "'probe' needs 'url', a URL with {url} where the content's URL goes")
        }
        _ = strings(map["types"], what: "'types' of 'probe'")
        guard let statusNode = map["status"] else {
            fail(.badValue, map.location, "'probe' needs 'status', a mapping of HTTP status to verdict (e.g. {404: removed, 200: live})")
            return
        }
        guard let status = mapping(statusNode, what: "'status' of 'probe'") else { return }
        for (name, value) in status.mapping {
            let text = string(name, what: "a probe status") ?? ""
            guard let code = Int(text), RuleLoader.httpStatuses.contains(code) else {
                fail(.badValue, reader.location(name), "'\(text)' is not an HTTP status code (100–599)")
                continue
            }
            if let verdict = string(value, what: "the meaning of probe status \(code)"), ProbeAnswer(rawValue: verdict) == nil {
                let known = ProbeAnswer.allCases.map(\.rawValue).joined(separator: ", ")
                fail(.badValue, reader.location(value), "probe status \(code) means '\(verdict)', which is none of: \(known)")
            }
        }
    }

    private mutating func scanEscalation(_ node: Node) {
        guard let map = mapping(node, what: "'escalation'") else { return }
        checkKeys(map, RuleLoader.escalationKeys, in: "'escalation'")
        if string(map["channel"], what: "'channel' of 'escalation'") == nil { fail(.badValue, map.location, "'escalation' needs 'channel'") }
        _ = string(map["url"], what: "'url' of 'escalation'")
        if let hours = string(map["response_hours"], what: "'response_hours' of 'escalation'"), (Int(hours) ?? 0) <= 0 {
            fail(.badValue, map.keyLocation("response_hours"), "'response_hours' must be a whole number of hours")
        }
    }

    // MARK: - Values

    private mutating func checkKeys(_ map: YAMLMapping, _ known: [String], in what: String) {
        for (key, _) in map.mapping {
            let name = key.scalar?.string ?? ""
            guard !known.contains(name) else { continue }
            var message = "unknown key '\(name)' in \(what)"
            if let nearest = YAMLMapping.nearest(to: name, in: known) { message += " (did you mean '\(nearest)'?)" }
            message += "; known keys: \(known.joined(separator: ", "))"
            fail(.unknownKey, reader.location(key), message)
        }
    }

    private mutating func mapping(_ node: Node, what: String) -> YAMLMapping? {
        do { return try reader.mapping(node, what: what) } catch {
            fail(.badValue, error.location, error.message)
            return nil
        }
    }

    private mutating func string(_ node: Node?, what: String) -> String? {
        guard let node else { return nil }
        do { return try reader.string(node, what: what) } catch {
            fail(.badValue, error.location, error.message)
            return nil
        }
    }

    private mutating func strings(_ node: Node?, what: String) -> [String] {
        guard let node else { return [] }
        do { return try reader.strings(node, what: what) } catch {
            fail(.badValue, error.location, error.message)
            return []
        }
    }

    private mutating func list(_ node: Node, what: String) -> [Node] {
        do { return try reader.list(node, what: what) } catch {
            fail(.badValue, error.location, error.message)
            return []
        }
    }

    /// Compiles a pattern as the loader does; a failure points at the column inside the pattern.
    private mutating func compile(_ node: Node, what: String, options: Pattern.Options = [], subject: String?) -> Pattern? {
        guard let source = string(node, what: what) else { return nil }
        do {
            let pattern = try Pattern(source, options: options)
            let location = position.location(of: 0, in: node, reader: reader)
            patterns.append(ScannedPattern(pattern: pattern, location: location, what: what, subject: subject))
            return pattern
        } catch {
            fail(.badPattern, position.location(of: error.offset, in: node, reader: reader),
                  "\(what) does not compile: \(error.message) (at offset \(error.offset) of '\(source)')")
            return nil
        }
    }

    private mutating func fail(_ kind: LintFinding.Kind, _ location: SourceLocation, _ message: String) {
        findings.append(LintFinding(.error, kind, location, message))
    }

    private mutating func warn(_ kind: LintFinding.Kind, _ location: SourceLocation, _ message: String) {
        findings.append(LintFinding(.warning, kind, location, message))
    }
}
