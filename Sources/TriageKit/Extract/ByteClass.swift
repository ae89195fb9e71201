/// Byte classes for the extractor's scans over UTF-8 input.
///
/// The sets are bit masks over ASCII so that a test costs a shift and a mask;
/// `ASCIISetTests` rebuilds each from its members to keep the constants honest.
struct ASCIISet: Sendable, Equatable {
    /// Bits for bytes 0–63.
    let lo: UInt64
    /// Bits for bytes 64–127.
    let hi: UInt64

    init(lo: UInt64, hi: UInt64) {
        self.lo = lo
        self.hi = hi
    }

    /// Builds a set from its members (used by tests; the hot path uses the literal masks).
    init(members: String) {
        var lo: UInt64 = 0
        var hi: UInt64 = 0
        for byte in members.utf8 where byte < 128 {
            if byte < 64 { lo |= 1 << UInt64(byte) } else { hi |= 1 << UInt64(byte - 64) }
        }
        self.init(lo: lo, hi: hi)
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        if byte < 64 { return (lo >> UInt64(byte)) & 1 != 0 }
        if byte < 128 { return (hi >> UInt64(byte &- 64)) & 1 != 0 }
        return false
    }
}

// MARK: - The sets

extension ASCIISet {
    /// `:` `.` `[` `(` `{`: the only bytes where a URL can be recognised.
    static let triggers = ASCIISet(lo: 0x0400_4100_0000_0000, hi: 0x0800_0000_0800_0000)
    /// Bytes a URL body scan must look at: controls, space, quotes, brackets, `<>`, backtick, `,;`, DEL.
    static let urlSpecial = ASCIISet(lo: 0x5800_1385_FFFF_FFFF, hi: 0xA800_0001_2800_0000)
    /// Letters, digits, `+ - .` (RFC 3986 scheme characters).
    static let schemeChar = ASCIISet(lo: 0x03FF_6800_0000_0000, hi: 0x07FF_FFFE_07FF_FFFE)
    /// Letters, digits, `- _ .`: what a host name written without a scheme is made of.
    static let hostChar = ASCIISet(lo: 0x03FF_6000_0000_0000, hi: 0x07FF_FFFE_87FF_FFFE)
    /// `. , ; : ! ? ' " *`: punctuation that ends a sentence rather than a URL.
    static let trailingPunctuation = ASCIISet(lo: 0x8C00_5486_0000_0000, hi: 0)
    /// `@ / \ % & # ? ~ $ +`: a host right after one of these is part of something else (an e-mail address, a path).
    static let notBeforeHost = ASCIISet(lo: 0x8000_8878_0000_0000, hi: 0x4000_0000_1000_0001)
}

// MARK: - Single bytes and byte strings

/// ASCII tests and comparisons on raw bytes, in a namespace so that they do not
/// collide with helpers elsewhere in the module.
enum ByteClass {
    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { isLetter(byte) ? byte | 0x20 : byte }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        if isDigit(byte) { return byte &- 0x30 }
        let lower = byte | 0x20
        if lower &- 0x61 < 6 { return lower &- 0x61 &+ 10 }
        return nil
    }

    /// True when `bytes` at `offset` equal `lowercaseASCII`, ignoring ASCII case.
    @inline(__always)
    static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercaseASCII: StaticString, at offset: Int) -> Bool {
        matches(bytes, UnsafeBufferPointer(start: lowercaseASCII.utf8Start, count: lowercaseASCII.utf8CodeUnitCount),
                at: offset)
    }

    /// True when `bytes` at `offset` equal `lowercaseASCII`, ignoring ASCII case.
    @inline(__always)
    static func matches(
        _ bytes: UnsafeBufferPointer<UInt8>, _ lowercaseASCII: UnsafeBufferPointer<UInt8>, at offset: Int
    ) -> Bool {
        let length = lowercaseASCII.count
        guard offset >= 0, offset + length <= bytes.count else { return false }
        for k in 0..<length where lowercased(bytes[offset + k]) != lowercaseASCII[k] {
            return false
        }
        return true
    }

    /// Calls `body` with each space-separated word of `list` until it returns true; false if none did.
    static func anyWord(of list: StaticString, where body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        let all = UnsafeBufferPointer(start: list.utf8Start, count: list.utf8CodeUnitCount)
        var start = 0
        while start < all.count {
            var end = start
            while end < all.count, all[end] != UInt8(ascii: " ") { end += 1 }
            if end > start, body(UnsafeBufferPointer(rebasing: all[start..<end])) { return true }
            start = end + 1
        }
        return false
    }

    /// The space-separated words of `list`, as strings (for messages).
    static func words(of list: StaticString) -> [String] {
        list.description.split(separator: " ").map(String.init)
    }
}
