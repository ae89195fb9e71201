/// UTF-8 decoding and validation on raw bytes, without Foundation.
enum UTF8Scan {
    // MARK: - Decoding one scalar

    /// Decodes the scalar starting at `offset` (a byte ≥ 0x80), returning its
    /// value and length, or length 0 when the bytes there are not valid UTF-8.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (scalar: UInt32, length: Int) {
        let n = bytes.count
        let b0 = bytes[offset]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 < 0xC2 { return (0, 0) }
        if b0 < 0xE0 {
            guard offset + 1 < n, isContinuation(bytes[offset + 1]) else { return (0, 0) }
            return (UInt32(b0 & 0x1F) << 6 | UInt32(bytes[offset + 1] & 0x3F), 2)
        }
        if b0 < 0xF0 {
            guard offset + 2 < n else { return (0, 0) }
            let b1 = bytes[offset + 1], b2 = bytes[offset + 2]
            // E0 must not encode an overlong form; ED must not encode a surrogate.
            let lowest: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let highest: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= lowest, b1 <= highest, isContinuation(b2) else { return (0, 0) }
            return (UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F), 3)
        }
        if b0 < 0xF5 {
            guard offset + 3 < n else { return (0, 0) }
            let b1 = bytes[offset + 1], b2 = bytes[offset + 2], b3 = bytes[offset + 3]
            let lowest: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let highest: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= lowest, b1 <= highest, isContinuation(b2), isContinuation(b3) else { return (0, 0) }
            return (UInt32(b0 & 0x07) << 18 | UInt32(b1 & 0x3F) << 12 | UInt32(b2 & 0x3F) << 6 | UInt32(b3 & 0x3F), 4)
        }
        return (0, 0)
    }

    @inline(__always)
    static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// Non-ASCII scalars that end a URL in running text: spaces, typographic
    /// quotes, dashes, ellipsis, CJK punctuation and U+FFFD (a replaced bad byte).
    static func endsURL(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x85, 0xA0, 0xAB, 0xBB, 0x1680, 0x2000...0x200B, 0x2013, 0x2014, 0x2018...0x201F,
             0x2026, 0x2028, 0x2029, 0x202F, 0x2039, 0x203A, 0x205F, 0x3000...0x3002, 0x3008...0x3011,
             0xFEFF, 0xFF08, 0xFF09, 0xFF0C, 0xFF1A, 0xFF1B, 0xFFFD:
            return true
        default:
            return false
        }
    }

    // MARK: - Validation

    /// The offset of the first byte that is not part of valid UTF-8, or nil.
    ///
    /// ASCII is checked 32 and then 8 bytes at a time because report lines are mostly ASCII.
    static func firstInvalidOffset(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        while i < n {
            if i + 32 <= n {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
                if word & highBits == 0 {
                    i += 32
                    continue
                }
            }
            if i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & highBits == 0 {
                i += 8
                continue
            }
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let length = decode(bytes, at: i).length
            if length == 0 { return i }
            i += length
        }
        return nil
    }

    /// How many bytes are not part of valid UTF-8, not counting a sequence cut off by the end of `bytes`.
    static func invalidByteCount(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var invalid = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let length = decode(bytes, at: i).length
            if length > 0 {
                i += length
            } else if bytes.count - i < 4, isTruncatedSequence(bytes, at: i) {
                break
            } else {
                invalid += 1
                i += 1
            }
        }
        return invalid
    }

    /// True when the bytes from `offset` to the end are a valid start of a longer sequence.
    static func isTruncatedSequence(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        let lead = bytes[offset]
        let needed: Int
        switch lead {
        case 0xC2...0xDF: needed = 2
        case 0xE0...0xEF: needed = 3
        case 0xF0...0xF4: needed = 4
        default: return false
        }
        let available = bytes.count - offset
        guard available < needed else { return false }
        for k in 1..<available where !isContinuation(bytes[offset + k]) {
            return false
        }
        return true
    }
}
