internal import Yams

/// Reads a rule file's YAML with line numbers kept, so that every complaint
/// points at the line a rule author has to change.
struct YAMLReader {
    let file: String

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    func mapping(_ node: Node, what: String) throws(RuleError) -> YAMLMapping {
        guard let mapping = node.mapping else {
            throw RuleError(location(node), "\(what) must be a mapping of keys to values")
        }
        return YAMLMapping(mapping: mapping, reader: self, location: location(node))
    }

    func string(_ node: Node, what: String) throws(RuleError) -> String {
        guard let scalar = node.scalar else { throw RuleError(location(node), "\(what) must be a single value") }
        return scalar.string
    }

    /// A single string or a list of strings.
    func strings(_ node: Node, what: String) throws(RuleError) -> [String] {
        if let scalar = node.scalar { return [scalar.string] }
        guard let sequence = node.sequence else { throw RuleError(location(node), "\(what) must be a value or a list of values") }
        var values: [String] = []
        for item in sequence { values.append(try string(item, what: "each entry of \(what)")) }
        return values
    }

    func list(_ node: Node, what: String) throws(RuleError) -> [Node] {
        guard let sequence = node.sequence else { throw RuleError(location(node), "\(what) must be a list") }
        return Array(sequence)
    }
}

/// A YAML mapping whose keys are checked against the keys a rule file may use.
struct YAMLMapping {
    let mapping: Node.Mapping
    let reader: YAMLReader
    let location: SourceLocation
    /// The keys' text and the key and value nodes, in file order, read off the
    /// mapping once: looking a key up by walking `mapping` copied every pair and
    /// read each key's text again, a tenth of loading the rules.
    private let names: [String]
    private let keyNodes: [Node]
    private let valueNodes: [Node]

    init(mapping: Node.Mapping, reader: YAMLReader, location: SourceLocation) {
        self.mapping = mapping
        self.reader = reader
        self.location = location
        var names: [String] = []
        var keyNodes: [Node] = []
        var valueNodes: [Node] = []
        names.reserveCapacity(mapping.count)
        keyNodes.reserveCapacity(mapping.count)
        valueNodes.reserveCapacity(mapping.count)
        for (key, value) in mapping {
            names.append(key.scalar?.string ?? "")
            keyNodes.append(key)
            valueNodes.append(value)
        }
        self.names = names
        self.keyNodes = keyNodes
        self.valueNodes = valueNodes
    }

    /// Rejects keys nobody reads, naming the closest known key, because a
    /// silently ignored `strip_param` is a rule that quietly does nothing.
    func checkKeys(_ known: [String], in what: String) throws(RuleError) {
        for (index, name) in names.enumerated() {
            guard !known.contains(name) else { continue }
            let key = keyNodes[index]
            var message = "unknown key '\(name)' in \(what)"
            if let nearest = Self.nearest(to: name, in: known) { message += " (did you mean '\(nearest)'?)" }
            message += "; known keys: \(known.joined(separator: ", "))"
            throw RuleError(reader.location(key), message)
        }
    }

    subscript(key: String) -> Node? {
        // The first pair with that key, as before (a non-scalar key has the text "" here and
        // was never found by its text then either, except as ""; no rule key is "").
        guard !key.isEmpty, let index = names.firstIndex(of: key) else { return nil }
        return valueNodes[index]
    }

    func keyLocation(_ key: String) -> SourceLocation {
        guard !key.isEmpty, let index = names.firstIndex(of: key) else { return location }
        return reader.location(keyNodes[index])
    }

    func require(_ key: String, in what: String) throws(RuleError) -> Node {
        guard let value = self[key] else { throw RuleError(location, "\(what) needs '\(key)'") }
        return value
    }

    func string(_ key: String, in what: String) throws(RuleError) -> String? {
        guard let value = self[key] else { return nil }
        return try reader.string(value, what: "'\(key)' in \(what)")
    }

    func strings(_ key: String, in what: String) throws(RuleError) -> [String] {
        guard let value = self[key] else { return [] }
        return try reader.strings(value, what: "'\(key)' in \(what)")
    }

    static func nearest(to name: String, in known: [String]) -> String? {
        let scored = known.map { ($0, editDistance(name, $0)) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, name.count / 3) else { return nil }
        return best
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
