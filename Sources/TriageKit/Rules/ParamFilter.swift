/// Decides which query parameters are tracking noise: exact names and
/// `prefix*` wildcards, compared without regard to case.
public struct ParamFilter: Sendable {
    /// Exact names, lower-cased.
    public private(set) var names: Set<String>
    /// Wildcard prefixes, lower-cased, without the `*`.
    public private(set) var prefixes: [String]
    private var nameTable = ByteTable<Bool>()
    private var prefixBytes: [[UInt8]] = []

    public init(_ patterns: [String] = []) {
        names = []
        prefixes = []
        add(patterns)
    }

    mutating func add(_ patterns: [String]) {
        for pattern in patterns {
            let lowered = pattern.lowercased()
            if lowered.hasSuffix("*") {
                let prefix = String(lowered.dropLast())
                guard !prefixes.contains(prefix) else { continue }
                prefixes.append(prefix)
                prefixBytes.append(Array(prefix.utf8))
            } else if names.insert(lowered).inserted {
                nameTable.insert(lowered, true)
            }
        }
    }

    /// The union of two filters (global trackers plus a platform's own).
    func merged(with other: ParamFilter) -> ParamFilter {
        var result = self
        result.add(Array(other.names) + other.prefixes.map { $0 + "*" })
        return result
    }

    /// Whether a parameter called `name` (as written in the URL) is a tracker.
    public func strips(_ name: Substring) -> Bool {
        var name = name
        return name.withUTF8 { strips(bytes: $0) }
    }

    func strips(bytes name: UnsafeBufferPointer<UInt8>) -> Bool {
        // Parameter names are almost always lower-case ASCII already; only
        // copy to lower-case when one is not.
        if name.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) {
            let lowered = name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            return lowered.withUnsafeBufferPointer { matches($0) }
        }
        return matches(name)
    }

    private func matches(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        if nameTable.value(for: name) != nil { return true }
        for prefix in prefixBytes where name.starts(with: prefix) { return true }
        return false
    }
}
