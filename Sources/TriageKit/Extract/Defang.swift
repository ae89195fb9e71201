/// Defanged URL notation: the bracketed dots and colons that analysts write so
/// that a link cannot be clicked, and the code that undoes it.
///
/// Only the common forms are read: `[.]` `(.)` `{.}` `[dot]` `(dot)` `{dot}`
/// `[:]` `[://]`, and the `hxxp`/`hxxps` schemes. Exotic spellings are left alone
/// so that ordinary text in brackets is not mistaken for a URL.
enum Defang {
    /// What a defanged sequence stands for.
    enum Kind: Sendable, Equatable {
        case dot
        case colon
        case colonSlashSlash
    }

    /// A defanged sequence found at a bracket.
    struct Match: Sendable, Equatable {
        var kind: Kind
        /// Bytes the sequence occupies in the line.
        var length: Int
    }

    // MARK: - Recognising

    /// The defanged sequence starting at `offset` (which holds `[`, `(` or `{`), if any.
    @inline(__always)
    static func match(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Match? {
        let open = bytes[offset]
        let close: UInt8
        switch open {
        case UInt8(ascii: "["): close = UInt8(ascii: "]")
        case UInt8(ascii: "("): close = UInt8(ascii: ")")
        case UInt8(ascii: "{"): close = UInt8(ascii: "}")
        default: return nil
        }
        let n = bytes.count
        guard offset + 2 < n else { return nil }
        let first = bytes[offset + 1]
        if first == UInt8(ascii: "."), bytes[offset + 2] == close {
            return Match(kind: .dot, length: 3)
        }
        if open == UInt8(ascii: "["), first == UInt8(ascii: ":") {
            if bytes[offset + 2] == close { return Match(kind: .colon, length: 3) }
            if offset + 4 < n, bytes[offset + 2] == UInt8(ascii: "/"), bytes[offset + 3] == UInt8(ascii: "/"),
               bytes[offset + 4] == close {
                return Match(kind: .colonSlashSlash, length: 5)
            }
            return nil
        }
        if offset + 4 < n, ByteClass.matches(bytes, "dot", at: offset + 1), bytes[offset + 4] == close {
            return Match(kind: .dot, length: 5)
        }
        return nil
    }

    /// The refanged form of a scheme such as `hxxps` or `hXXp`, if it is one.
    static func refangedScheme(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> StaticString? {
        switch range.count {
        case 4 where ByteClass.matches(bytes, "hxxp", at: range.lowerBound): return "http"
        case 5 where ByteClass.matches(bytes, "hxxps", at: range.lowerBound): return "https"
        default: return nil
        }
    }

    // MARK: - Refanging

    /// Appends `bytes[range]` to `output` with every defanged sequence replaced,
    /// and adds a note "refanged X" for each distinct form met.
    static func appendRefanged(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to output: inout [UInt8], notes: inout [String]
    ) {
        var runStart = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "[") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: "{"),
                  let found = match(bytes, at: i), i + found.length <= range.upperBound else {
                i += 1
                continue
            }
            // Copy the plain run before the sequence in one go; appending byte by byte costs more than the scan.
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
            switch found.kind {
            case .dot: output.append(UInt8(ascii: "."))
            case .colon: output.append(UInt8(ascii: ":"))
            case .colonSlashSlash: output.append(contentsOf: "://".utf8)
            }
            let note = "refanged " + String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i + found.length)]), as: UTF8.self)
            if !notes.contains(note) { notes.append(note) }
            i += found.length
            runStart = i
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<range.upperBound]))
    }
}
