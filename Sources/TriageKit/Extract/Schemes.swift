/// Which `scheme:` prefixes the extractor recognises, and how sure it must be
/// before it calls a word followed by a colon a scheme.
enum Schemes {
    /// What a run of scheme characters before a colon turned out to be.
    enum Kind: Sendable {
        /// `http` or `https` in any case; `refanged` is the replacement for `hxxp`/`hxxps`.
        case web(refanged: StaticString?)
        /// A syntactically valid scheme other than http(s).
        case other
        /// Not a scheme (starts with a digit, say).
        case invalid

        var isWeb: Bool {
            if case .web = self { return true }
            return false
        }
    }

    static func classify(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Kind {
        guard !range.isEmpty, ByteClass.isLetter(bytes[range.lowerBound]) else { return .invalid }
        switch range.count {
        case 4 where ByteClass.matches(bytes, "http", at: range.lowerBound): return .web(refanged: nil)
        case 5 where ByteClass.matches(bytes, "https", at: range.lowerBound): return .web(refanged: nil)
        default: break
        }
        if let refanged = Defang.refangedScheme(bytes, range) { return .web(refanged: refanged) }
        return .other
    }

    // MARK: - Schemes that are rejected

    /// True when `scheme` (lowercased) followed by the text at `after` is clearly
    /// a link of that scheme, not a word ending a phrase ("Note: see").
    ///
    /// Any scheme followed by `//` counts; schemes without an authority count only
    /// when they are known and what follows has their shape.
    static func isOpaqueLink(schemeAt scheme: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>, after: Int) -> Bool {
        guard after < bytes.count else { return false }
        let next = bytes[after]
        guard next > 0x20, next != 0x7F, let shape = opaqueShape(bytes, scheme) else { return false }
        switch shape {
        case .anything:
            return true
        case .word:
            return ByteClass.isAlphanumeric(next)
        case .number:
            return ByteClass.isDigit(next) || next == UInt8(ascii: "+")
        case .query:
            return next == UInt8(ascii: "?")
        case .dataURL:
            // data:[mediatype][;base64],payload — a comma must come before the token ends.
            guard ByteClass.isLetter(next) || next == UInt8(ascii: ",") else { return false }
            var i = after
            while i < bytes.count, bytes[i] > 0x20, bytes[i] < 0x7F {
                if bytes[i] == UInt8(ascii: ",") { return true }
                i += 1
            }
            return false
        }
    }

    /// What must follow the colon for a known authority-less scheme to count as a link.
    private enum OpaqueShape {
        case anything, word, number, query, dataURL
    }

    private static let opaqueSchemes: [(name: StaticString, shape: OpaqueShape)] = [
        ("mailto", .anything), ("javascript", .anything), ("vbscript", .anything), ("intent", .anything),
        ("market", .anything), ("skype", .anything), ("whatsapp", .anything), ("sip", .anything),
        ("sips", .anything), ("facetime", .anything), ("view-source", .anything), ("webcal", .anything),
        ("tg", .anything), ("steam", .anything), ("ms-settings", .anything),
        ("about", .word), ("geo", .word), ("blob", .word), ("urn", .word), ("news", .word),
        ("tel", .number), ("sms", .number), ("callto", .number),
        ("magnet", .query), ("data", .dataURL),
    ]

    private static func opaqueShape(_ bytes: UnsafeBufferPointer<UInt8>, _ scheme: Range<Int>) -> OpaqueShape? {
        for entry in opaqueSchemes
        where entry.name.utf8CodeUnitCount == scheme.count && ByteClass.matches(bytes, entry.name, at: scheme.lowerBound) {
            return entry.shape
        }
        return nil
    }

    /// The person-readable reason a link of `scheme` is not checked.
    static func rejection(for scheme: String) -> String {
        "\(scheme): links are not checked (only http and https)"
    }
}
