/// Decides which query parameters are tracking noise: exact names and
/// `prefix*` wildcards, compared without regard to case.
///
/// A class, built once and then only read, so passing one to each URL's
/// clean-up costs one reference count instead of one per table inside.
public final class ParamFilter: Sendable {
    /// Exact names, lower-cased.
    public let names: Set<String>
    /// Wildcard prefixes, lower-cased, without the `*`.
    public let prefixes: [String]
    private let nameTable: ByteTable<Bool>
    private let prefixBytes: [[UInt8]]

    public init(_ patterns: [String] = []) {
        var names = Set<String>()
        var prefixes: [String] = []
        var nameTable = ByteTable<Bool>()
        for pattern in patterns {
            let lowered = pattern.lowercased()
            if lowered.hasSuffix("*") {
                let prefix = String(lowered.dropLast())
                if !prefixes.contains(prefix) { prefixes.append(prefix) }
            } else if names.insert(lowered).inserted {
                nameTable.insert(lowered, true)
            }
        }
        self.names = names
        self.prefixes = prefixes
        self.nameTable = nameTable
        prefixBytes = prefixes.map { Array($0.utf8) }
    }

    /// The union of two filters (global trackers plus a platform's own).
    func merged(with other: ParamFilter) -> ParamFilter {
        ParamFilter(names.sorted() + prefixes.map { $0 + "*" } + other.names.sorted() + other.prefixes.map { $0 + "*" })
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
