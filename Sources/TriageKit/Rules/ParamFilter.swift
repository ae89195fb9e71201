/// Decides which query parameters are tracking noise: exact names and
/// `prefix*` wildcards, compared without regard to case.
public struct ParamFilter: Sendable, Equatable {
    private(set) var names: Set<String>
    private(set) var prefixes: [String]
    private(set) var prefixBytes: [[UInt8]] = []

    public init(_ patterns: [String] = []) {
        names = []
        prefixes = []
        add(patterns)
    }

    mutating func add(_ patterns: [String]) {
        for pattern in patterns {
            let lowered = pattern.lowercased()
            if lowered.hasSuffix("*") {
                prefixes.append(String(lowered.dropLast()))
                prefixBytes.append(Array(lowered.dropLast().utf8))
            } else {
                names.insert(lowered)
            }
        }
    }

    /// The union of two filters (global trackers plus a platform's own).
    func merged(with other: ParamFilter) -> ParamFilter {
        var result = self
        result.names.formUnion(other.names)
        for (prefix, bytes) in zip(other.prefixes, other.prefixBytes) where !result.prefixes.contains(prefix) {
            result.prefixes.append(prefix)
            result.prefixBytes.append(bytes)
        }
        return result
    }

    /// Whether a parameter called `name` (as written in the URL) is a tracker.
    public func strips(_ name: Substring) -> Bool {
        // Parameter names are almost always lower-case ASCII already; only
        // lower-case when needed so the common case does not allocate.
        let needsLowering = name.utf8.contains { $0 >= 0x41 && $0 <= 0x5A }
        let key = needsLowering ? name.lowercased() : String(name)
        if names.contains(key) { return true }
        for prefix in prefixBytes where key.utf8.starts(with: prefix) { return true }
        return false
    }
}
