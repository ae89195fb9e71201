// MARK: - Byte sets

extension WebURLParser {
    /// A set of bytes the parser tests for: a percent-encode set of the standard, or
    /// a set it branches at. Each set is one bit of a per-byte flag table, so a test
    /// is one load, whichever set it is.
    ///
    /// Every byte at or above 0x80 is in every percent-encode set: the standard's sets
    /// all contain the non-ASCII code points, and encoding each UTF-8 byte of one is
    /// the same as UTF-8 percent-encoding the code point.
    struct ByteSet {
        let bit: UInt8

        @inline(__always)
        func contains(_ byte: UInt8) -> Bool { Self.flags.utf8Start[Int(byte)] & bit != 0 }

        /// C0 controls, bytes above 0x7E, space, `"`, `<`, `>` and `` ` ``.
        @inline(__always) static var fragment: ByteSet { ByteSet(bit: 1 << 0) }
        /// C0 controls, bytes above 0x7E, space, `"`, `#`, `<` and `>`.
        @inline(__always) static var query: ByteSet { ByteSet(bit: 1 << 1) }
        /// The query set plus `'`, used for the queries of special URLs.
        @inline(__always) static var specialQuery: ByteSet { ByteSet(bit: 1 << 2) }
        /// The query set plus `?`, `^`, `` ` ``, `{` and `}`.
        @inline(__always) static var path: ByteSet { ByteSet(bit: 1 << 3) }
        /// The path set plus `/`, `:`, `;`, `=`, `@`, `[`, `\`, `]`, `^` and `|`.
        @inline(__always) static var userinfo: ByteSet { ByteSet(bit: 1 << 4) }
        /// The forbidden domain code points that are ASCII: C0 controls, space, `#`, `%`,
        /// `/`, `:`, `<`, `>`, `?`, `@`, `[`, `\`, `]`, `^`, `|` and DEL.
        @inline(__always) static var forbiddenDomain: ByteSet { ByteSet(bit: 1 << 5) }
        /// The bytes a path's first pass looks at twice: the path set (which holds `?`
        /// and `#`), the separators `/` and `\`, and `.` and `%`, which dot segments start with.
        @inline(__always) static var pathAttention: ByteSet { ByteSet(bit: 1 << 6) }

        /// The flags of byte 16 × row + column, bit n set when the byte is in set n above.
        ///
        /// A string literal because its bytes are constant data with a fixed address, which
        /// no Swift array has; `WebURLTests` rebuilds it from the definitions above.
        private static var flags: StaticString {
            """
            \u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\
            \u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\
            \u{7F}\u{00}\u{5F}\u{7E}\u{00}\u{60}\u{00}\u{04}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{40}\u{70}\
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{30}\u{10}\u{7F}\u{10}\u{7F}\u{78}\
            \u{30}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{30}\u{70}\u{30}\u{78}\u{00}\
            \u{59}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{58}\u{30}\u{58}\u{00}\u{7F}\
            \u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\
            \u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\
            \u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\
            \u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\
            \u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\
            \u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\
            \u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\
            \u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}\u{5F}
            """
        }
    }

    /// `/`, `\`, `?` and `#`: the bytes that end an authority, a host or a path segment.
    @inline(__always)
    static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "?")
            || byte == UInt8(ascii: "#")
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
        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, encodingIn set: ByteSet) {
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
            guard let source = bytes.baseAddress else { return }
            (base + count).initialize(from: source, count: bytes.count)
            count &+= bytes.count
        }

        /// Appends the UTF-8 of `text` as it is.
        @inline(__always)
        mutating func append(_ text: String) {
            var text = text
            text.withUTF8 { append(verbatim: $0) }
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
    static func percentEncoded(_ bytes: UnsafeBufferPointer<UInt8>, in set: ByteSet) -> String {
        var encoded = 0
        for byte in bytes { encoded &+= set.contains(byte) ? 1 : 0 }
        return percentEncoded(bytes, in: set, encodedCount: encoded)
    }

    /// `bytes` percent-encoded with `set`, given how many of them are in it.
    @inline(__always)
    static func percentEncoded(_ bytes: UnsafeBufferPointer<UInt8>, in set: ByteSet, encodedCount: Int) -> String {
        // Nothing to encode means plain ASCII, since every non-ASCII byte is in every set.
        if encodedCount == 0 { return String(decoding: bytes, as: UTF8.self) }
        return makeString(capacity: bytes.count + 2 * encodedCount) { $0.append(bytes, encodingIn: set) }
    }
}

extension WebURLParser {
    /// `bytes` percent-encoded with `set`, appended to `out`; returns where they are.
    @inline(__always)
    static func appendPercentEncoded(_ bytes: UnsafeBufferPointer<UInt8>, in set: ByteSet,
                                     to out: inout ByteBuffer) -> Range<Int> {
        var encoded = 0
        for byte in bytes { encoded &+= set.contains(byte) ? 1 : 0 }
        return appendPercentEncoded(bytes, in: set, encodedCount: encoded, to: &out)
    }

    /// The same, given how many of the bytes are in `set`.
    @inline(__always)
    static func appendPercentEncoded(_ bytes: UnsafeBufferPointer<UInt8>, in set: ByteSet, encodedCount: Int,
                                     to out: inout ByteBuffer) -> Range<Int> {
        if encodedCount == 0 {
            let start = out.count
            out.append(bytes)
            return start..<out.count
        }
        return out.write(capacity: bytes.count + 2 * encodedCount) { $0.append(bytes, encodingIn: set) }
    }
}

extension ByteBuffer {
    /// Lets `body` write at most `capacity` bytes at the end through a parser
    /// `ByteWriter` (which may also roll back); returns where they are.
    @inline(__always)
    mutating func write(capacity: Int, _ body: (inout WebURLParser.ByteWriter) -> Void) -> Range<Int> {
        reserve(capacity)
        let start = count
        var writer = WebURLParser.ByteWriter(UnsafeMutableBufferPointer(start: base + start, count: capacity))
        body(&writer)
        commit(writer.count)
        return start..<count
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
