#if canImport(Glibc)
import Glibc
#endif

/// Decides which query parameters are tracking noise: exact names,
/// `prefix*` wildcards and other globs (`?` one character, `*` any run, as in
/// `?mc` or `wt_*mc`), compared without regard to case.
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
    /// The first bytes of the prefixes: most names start with none of them.
    private let prefixStarts: ByteSet256
    /// A bare `*`, which strips every parameter.
    private let hasEmptyPrefix: Bool
    /// Globs other than a plain prefix, lower-cased as written; few, and tried
    /// only when no name or prefix matched.
    public let globs: [String]
    private let globBytes: [[UInt8]]

    public init(_ patterns: [String] = []) {
        var names = Set<String>()
        var prefixes: [String] = []
        var globs: [String] = []
        var nameTable = ByteTable<Bool>()
        for pattern in patterns {
            let lowered = pattern.lowercased()
            if Self.isGlob(lowered) {
                if !globs.contains(lowered) { globs.append(lowered) }
            } else if lowered.hasSuffix("*") {
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
        prefixStarts = ByteSet256(prefixes.compactMap { $0.utf8.first })
        hasEmptyPrefix = prefixes.contains("")
        self.globs = globs
        globBytes = globs.map { Array($0.utf8) }
    }

    /// A pattern that is neither an exact name nor `prefix*`.
    ///
    /// Decided on bytes when the pattern is ASCII (every shipped one): the rules' start-up
    /// builds each platform's filter from the global list, and `String.contains` went through
    /// Foundation's search for every name (8% of loading the rules). Other text keeps the
    /// comparison by characters, where a `?` with a combining mark is not a `?`.
    static func isGlob(_ pattern: String) -> Bool {
        let bytes = pattern.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return pattern.contains("?") || pattern.dropLast().contains("*") }
        return bytes.contains(UInt8(ascii: "?")) || bytes.dropLast().contains(UInt8(ascii: "*"))
    }

    /// Whether `pattern` (as written in a rule file) strips a parameter `name`:
    /// the one definition `rules explain` and the linter share with the filter.
    public static func pattern(_ pattern: String, matches name: Substring) -> Bool {
        Array(pattern.lowercased().utf8).withUnsafeBufferPointer { glob in
            Array(name.lowercased().utf8).withUnsafeBufferPointer { globMatches(glob, $0) }
        }
    }

    /// The union of two filters (global trackers plus a platform's own).
    func merged(with other: ParamFilter) -> ParamFilter {
        ParamFilter(names.sorted() + prefixes.map { $0 + "*" } + globs
                    + other.names.sorted() + other.prefixes.map { $0 + "*" } + other.globs)
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
        if let first = name.first, let base = name.baseAddress, prefixStarts.contains(first) || hasEmptyPrefix {
            for prefix in prefixBytes where prefix.count <= name.count {
                if prefix.withUnsafeBufferPointer({ $0.isEmpty || memcmp($0.baseAddress!, base, $0.count) == 0 }) { return true }
            }
        }
        for glob in globBytes where glob.withUnsafeBufferPointer({ Self.globMatches($0, name) }) { return true }
        return false
    }

    /// Glob matching with `?` and `*`, iterative with one backtrack point (the
    /// last `*`), so it is linear for the short names it sees and cannot blow up.
    static func globMatches(_ glob: UnsafeBufferPointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let star = UInt8(ascii: "*"), any = UInt8(ascii: "?")
        var g = 0, n = 0
        var starAt = -1, resumeAt = 0
        while n < name.count {
            if g < glob.count, glob[g] == star {
                starAt = g; resumeAt = n; g += 1
            } else if g < glob.count, glob[g] == any || glob[g] == name[n] {
                g += 1; n += 1
            } else if starAt >= 0 {
                g = starAt + 1; resumeAt += 1; n = resumeAt
            } else {
                return false
            }
        }
        while g < glob.count, glob[g] == star { g += 1 }
        return g == glob.count
    }
}

/// A set of bytes as 256 bits: membership is a shift and a mask.
struct ByteSet256: Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for byte in bytes {
            let bit = UInt64(1) << UInt64(byte & 63)
            switch byte >> 6 {
            case 0: words.0 |= bit
            case 1: words.1 |= bit
            case 2: words.2 |= bit
            default: words.3 |= bit
            }
        }
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        let word = switch byte >> 6 {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        default: words.3
        }
        return word & (UInt64(1) << UInt64(byte & 63)) != 0
    }
}
