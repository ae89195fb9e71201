import Foundation
internal import Yams

/// Reads `rules/policy.yaml`, with the file, line and column of every mistake.
///
/// ```yaml
/// recheck:
///   new: 0h
///   live: 24h
///   escalated: 24h
///   restricted: {first: 1h, max: 24h}
///   unknown: {first: 1h, max: 24h}
///   error: {first: 1h, max: 24h}
///   removed: {confirm_after: 24h}
/// response:
///   default_hours: 72
/// priority: {}        # the escalation list's weights (read by `escalate`)
/// ```
///
/// Every key may be left out; what is left out keeps its default.
extension RecheckPolicy {
    /// The policy file's name inside a rules directory.
    public static let fileName = "policy.yaml"

    static let topKeys = ["recheck", "response", "priority", "routes"]
    static let recheckKeys = ["new", "live", "escalated", "restricted", "unknown", "error", "removed"]
    static let backoffKeys = ["first", "max"]
    static let removedKeys = ["confirm_after"]
    static let responseKeys = ["default_hours"]

    /// `explicit` if given, else `policy.yaml` in the rules directory when there is one.
    public static func locate(explicit: String?, rulesDirectory: String?) -> String? {
        if let explicit { return explicit }
        guard let rulesDirectory else { return nil }
        let path = (rulesDirectory as NSString).appendingPathComponent(fileName)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Reads a policy file; keys it leaves out keep their defaults.
    public static func load(from path: String) throws(RuleError) -> RecheckPolicy {
        let (node, reader) = try RuleLoader.readYAML(path)
        let top = try reader.mapping(node, what: "policy.yaml")
        try top.checkKeys(topKeys, in: "policy.yaml")
        var policy = RecheckPolicy.defaults
        policy.file = path
        if let recheckNode = top["recheck"] {
            let recheck = try reader.mapping(recheckNode, what: "'recheck'")
            try recheck.checkKeys(recheckKeys, in: "'recheck'")
            if let value = recheck["new"] { policy.new = try duration(value, reader: reader, what: "'recheck: new'") }
            if let value = recheck["live"] { policy.live = try duration(value, reader: reader, what: "'recheck: live'") }
            if let value = recheck["escalated"] {
                policy.escalated = try positive(value, reader: reader, what: "'recheck: escalated'")
            }
            if let value = recheck["restricted"] { policy.restricted = try backoff(value, reader: reader, what: "'recheck: restricted'") }
            if let value = recheck["unknown"] { policy.unknown = try backoff(value, reader: reader, what: "'recheck: unknown'") }
            if let value = recheck["error"] { policy.error = try backoff(value, reader: reader, what: "'recheck: error'") }
            if let value = recheck["removed"] {
                let removed = try reader.mapping(value, what: "'recheck: removed'")
                try removed.checkKeys(removedKeys, in: "'recheck: removed'")
                if let confirm = removed["confirm_after"] {
                    policy.removedConfirmAfter = try positive(confirm, reader: reader, what: "'removed: confirm_after'")
                }
            }
        }
        if let responseNode = top["response"] {
            let response = try reader.mapping(responseNode, what: "'response'")
            try response.checkKeys(responseKeys, in: "'response'")
            if let value = response["default_hours"] {
                let text = try reader.string(value, what: "'response: default_hours'")
                guard let hours = Int(text), hours > 0, hours <= 24 * 365 else {
                    throw RuleError(reader.location(value), "'response: default_hours' must be a whole number of hours from 1 to 8760, not '\(text)'")
                }
                policy.defaultResponseHours = hours
            }
        }
        if let priority = top["priority"], priority.mapping == nil, priority.scalar?.string != "" {
            throw RuleError(reader.location(priority), "'priority' must be a mapping of weights (or {} for none)")
        }
        return policy
    }

    // MARK: - Values

    private static func backoff(_ node: Node, reader: YAMLReader, what: String) throws(RuleError) -> Backoff {
        let map = try reader.mapping(node, what: what)
        try map.checkKeys(backoffKeys, in: what)
        let first = try map["first"].map { value throws(RuleError) in try positive(value, reader: reader, what: "'first' in \(what)") }
            ?? StoreTime.hour
        let max = try map["max"].map { value throws(RuleError) in try positive(value, reader: reader, what: "'max' in \(what)") }
            ?? 24 * StoreTime.hour
        guard max >= first else {
            throw RuleError(map.keyLocation("max"), "'max' in \(what) is shorter than 'first'; the wait doubles from 'first' up to 'max'")
        }
        return Backoff(first: first, max: max)
    }

    private static func positive(_ node: Node, reader: YAMLReader, what: String) throws(RuleError) -> Int64 {
        let seconds = try duration(node, reader: reader, what: what)
        guard seconds > 0 else { throw RuleError(reader.location(node), "\(what) must be longer than 0") }
        return seconds
    }

    /// `30m`, `1h`, `24h`, `2d` (also `90s`, `1.5h`) in seconds.
    static func duration(_ node: Node, reader: YAMLReader, what: String) throws(RuleError) -> Int64 {
        let text = try reader.string(node, what: what)
        guard let seconds = parseDuration(text) else {
            throw RuleError(reader.location(node), "\(what) must be a duration such as 30m, 1h, 24h or 2d, not '\(text)'")
        }
        return seconds
    }

    /// A duration with a unit (`s`, `m`, `h`, `d`) in seconds; nil when malformed or over a year.
    public static func parseDuration(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces().lowercased()
        guard let unit = trimmed.last else { return nil }
        let scale: Double
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86_400
        default: return nil
        }
        guard let amount = Double(String(trimmed.dropLast()).trimmingSpaces()), amount >= 0, amount * scale <= 366 * 86_400 else {
            return nil
        }
        return Int64((amount * scale).rounded())
    }
}
