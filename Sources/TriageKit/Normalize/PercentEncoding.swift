// MARK: - Byte classes

extension WebURLParser {
    /// A class of bytes the parser tests for: a percent-encode set of the standard, or
    /// a set it stops or branches at, held as bit masks over ASCII.
    ///
    /// Every byte at or above 0x80 is in every percent-encode set: the standard's sets
    /// all contain the non-ASCII code points, and encoding each UTF-8 byte of one is
    /// the same as UTF-8 percent-encoding the code point.
    struct ByteClass {
        /// Members among bytes 0x00–0x3F; bit n stands for byte n.
        var low: UInt64
        /// Members among bytes 0x40–0x7F; bit n stands for byte 0x40 + n.
        var high: UInt64
        /// 1 when every byte from 0x80 up is a member, else 0.
        var nonASCII: UInt64 = 1

        /// Branch-free, because URL bytes hop between the two halves of ASCII (letters,
        /// then digits and punctuation) too often for a branch to predict well.
        @inline(__always)
        func contains(_ byte: UInt8) -> Bool {
            let word = byte < 0x40 ? low : high
            let member = (word &>> UInt64(byte & 0x3F)) & 1
            return member | (UInt64(byte &>> 7) & nonASCII) != 0
        }

        @inline(__always)
        private static func bit(_ byte: UInt8) -> UInt64 { 1 &<< UInt64(byte & 0x3F) }

        /// C0 controls and everything above U+007E.
        @inline(__always)
        static var c0Control: ByteClass { ByteClass(low: 0xFFFF_FFFF, high: bit(0x7F)) }

        /// C0 control set plus space, `"`, `<`, `>` and `` ` ``.
        @inline(__always)
        static var fragment: ByteClass {
            ByteClass(
                low: c0Control.low | bit(0x20) | bit(0x22) | bit(0x3C) | bit(0x3E),
                high: c0Control.high | bit(0x60))
        }

        /// C0 control set plus space, `"`, `#`, `<` and `>`.
        @inline(__always)
        static var query: ByteClass {
            ByteClass(
                low: c0Control.low | bit(0x20) | bit(0x22) | bit(0x23) | bit(0x3C) | bit(0x3E),
                high: c0Control.high)
        }

        /// Query set plus `'`, used for the queries of special URLs.
        @inline(__always)
        static var specialQuery: ByteClass { ByteClass(low: query.low | bit(0x27), high: query.high) }

        /// Query set plus `?`, `^`, `` ` ``, `{` and `}`.
        @inline(__always)
        static var path: ByteClass {
            ByteClass(
                low: query.low | bit(0x3F),
                high: query.high | bit(0x5E) | bit(0x60) | bit(0x7B) | bit(0x7D))
        }

        /// Path set plus `/`, `:`, `;`, `=`, `@`, `[` to `^`, and `|`.
        @inline(__always)
        static var userinfo: ByteClass {
            ByteClass(
                low: path.low | bit(0x2F) | bit(0x3A) | bit(0x3B) | bit(0x3D),
                high: path.high | bit(0x40) | bit(0x5B) | bit(0x5C) | bit(0x5D) | bit(0x5E) | bit(0x7C))
        }

        /// The forbidden domain code points that are ASCII: C0 controls, space, `#`, `%`,
        /// `/`, `:`, `<`, `>`, `?`, `@`, `[`, `\`, `]`, `^`, `|` and DEL.
        @inline(__always)
        static var forbiddenDomain: ByteClass {
            ByteClass(
                low: 0xFFFF_FFFF | bit(0x20) | bit(0x23) | bit(0x25) | bit(0x2F) | bit(0x3A) | bit(0x3C)
                    | bit(0x3E) | bit(0x3F),
                high: bit(0x40) | bit(0x5B) | bit(0x5C) | bit(0x5D) | bit(0x5E) | bit(0x7C) | bit(0x7F),
                nonASCII: 0)
        }

        /// The bytes that keep a host off the plain-ASCII fast path: forbidden or non-ASCII.
        @inline(__always)
        static var unusualInHost: ByteClass {
            ByteClass(low: forbiddenDomain.low, high: forbiddenDomain.high, nonASCII: 1)
        }

        /// The bytes the path's first pass looks at twice: the path set, which holds "?"
        /// and "#", plus the separators and the bytes a dot segment starts with.
        @inline(__always)
        static var pathAttention: ByteClass {
            ByteClass(
                low: path.low | bit(0x2F) | bit(0x2E) | bit(0x25),
                high: path.high | bit(0x5C))
        }

        /// The bytes that end an authority, a host or a path segment of a special URL:
        /// `/`, `\`, `?` and `#`.
        @inline(__always)
        static var delimiter: ByteClass {
            ByteClass(low: bit(0x2F) | bit(0x3F) | bit(0x23), high: bit(0x5C), nonASCII: 0)
        }
    }
}

// MARK: - Output buffer

extension WebURLParser {
    /// Writes bytes into a new string's storage, which the caller sized exactly.
    ///
    /// Callers count the bytes to percent-encode first, so each component's string is
    /// allocated once at its final size and written in place; the debug-build
    /// assertions check that count.
    struct ByteWriter {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int
        var count = 0

        @inline(__always)
        init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
            // Strings are only made with a capacity of one or more, so there is an address.
            base = buffer.baseAddress!
            capacity = buffer.count
        }

        @inline(__always)
        mutating func append(_ byte: UInt8) {
            assert(count < capacity)
            base[count] = byte
            count &+= 1
        }

        /// Appends `bytes`, percent-encoding those in `set`.
        @inline(__always)
        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, encodingIn set: ByteClass) {
            // Locals, because a store through `base` could alias `self.count` as far as
            // the optimiser knows, which would force a reload on every byte.
            let base = self.base
            var count = self.count
            for byte in bytes {
                if set.contains(byte) {
                    assert(count + 3 <= capacity)
                    base[count] = UInt8(ascii: "%")
                    base[count &+ 1] = Self.hexDigit(byte &>> 4)
                    base[count &+ 2] = Self.hexDigit(byte & 0x0F)
                    count &+= 3
                } else {
                    assert(count < capacity)
                    base[count] = byte
                    count &+= 1
                }
            }
            self.count = count
        }

        /// Appends `bytes` as they are.
        @inline(__always)
        mutating func append(verbatim bytes: UnsafeBufferPointer<UInt8>) {
            assert(count + bytes.count <= capacity)
            let base = self.base
            var count = self.count
            for byte in bytes {
                base[count] = byte
                count &+= 1
            }
            self.count = count
        }

        /// The byte at `offset` among those written.
        @inline(__always)
        subscript(offset: Int) -> UInt8 {
            get { base[offset] }
            nonmutating set { base[offset] = newValue }
        }

        @inline(__always)
        private static func hexDigit(_ nibble: UInt8) -> UInt8 {
            nibble < 10 ? nibble &+ 0x30 : nibble &+ 0x37
        }
    }

    /// A string of exactly `capacity` bytes or fewer, written by `body`.
    @inline(__always)
    static func makeString(capacity: Int, _ body: (inout ByteWriter) -> Void) -> String {
        guard capacity > 0 else { return "" }
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var writer = ByteWriter(buffer)
            body(&writer)
            return writer.count
        }
    }

    /// `bytes` percent-encoded with `set`, as a string allocated at its final size.
    @inline(__always)
    static func percentEncoded(_ bytes: UnsafeBufferPointer<UInt8>, in set: ByteClass) -> String {
        var encoded = 0
        for byte in bytes { encoded &+= set.contains(byte) ? 1 : 0 }
        return percentEncoded(bytes, in: set, encodedCount: encoded)
    }

    /// `bytes` percent-encoded with `set`, given how many of them are in it.
    @inline(__always)
    static func percentEncoded(_ bytes: UnsafeBufferPointer<UInt8>, in set: ByteClass, encodedCount: Int) -> String {
        // Nothing to encode means plain ASCII, since every non-ASCII byte is in every set.
        if encodedCount == 0 { return String(decoding: bytes, as: UTF8.self) }
        return makeString(capacity: bytes.count + 2 * encodedCount) { $0.append(bytes, encodingIn: set) }
    }
}

// MARK: - Decoding

extension WebURLParser {
    /// Percent-decodes `bytes`; a "%" not followed by two hex digits is kept as it is,
    /// as the standard's percent-decode does.
    static func percentDecode(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high &<< 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// The value of an ASCII hex digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte &- 0x30
        case 0x41...0x46: byte &- 0x37
        case 0x61...0x66: byte &- 0x57
        default: nil
        }
    }
}
