#if canImport(Glibc)
import Glibc
#endif

/// Sixteen-bytes-at-a-time searches for the bytes the extractor and the URL
/// parser stop at.
///
/// A line is mostly letters, digits and spaces that need no attention; comparing
/// sixteen lanes at once and jumping to the first hit is what keeps a line
/// without URLs within the per-line budget.
enum ByteSearch {
    typealias Lanes = SIMD16<UInt8>

    /// The offset of the first `:` `.` `[` `(` `{` at or after `start`, or `bytes.count`.
    @inline(__always)
    static func nextTrigger(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        first(in: bytes, from: start) { v in
            (v .== Lanes(repeating: UInt8(ascii: ":"))) .| (v .== Lanes(repeating: UInt8(ascii: ".")))
                .| (v .== Lanes(repeating: UInt8(ascii: "["))) .| (v .== Lanes(repeating: UInt8(ascii: "(")))
                .| (v .== Lanes(repeating: UInt8(ascii: "{")))
        }
    }

    /// The offset of the first `/` `\` `?` `#` `@` `:` `[` at or after `start`, or
    /// `bytes.count`: where a URL's authority ends, or where it turns out to
    /// have user info, a port or an IPv6 literal (which the parser reads byte by byte).
    @inline(__always)
    static func nextAuthorityStop(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        first(in: bytes, from: start) { v in
            (v .== Lanes(repeating: UInt8(ascii: "/"))) .| (v .== Lanes(repeating: UInt8(ascii: "\\")))
                .| (v .== Lanes(repeating: UInt8(ascii: "?"))) .| (v .== Lanes(repeating: UInt8(ascii: "#")))
                .| (v .== Lanes(repeating: UInt8(ascii: "@"))) .| (v .== Lanes(repeating: UInt8(ascii: ":")))
                .| (v .== Lanes(repeating: UInt8(ascii: "[")))
        }
    }

    /// The offset of the first byte at or after `start` that a URL body scan must inspect
    /// (see `ASCIISet.urlSpecial`, plus every byte ≥ 0x80), or `bytes.count`.
    @inline(__always)
    static func nextURLSpecial(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        first(in: bytes, from: start) { v in
            // Controls, space, DEL and bytes ≥ 0x80 in one unsigned comparison.
            var hits = (v &- Lanes(repeating: 0x21)) .>= Lanes(repeating: 0x5E)
            hits = hits .| ((v | Lanes(repeating: 1)) .== Lanes(repeating: UInt8(ascii: ")")))
            hits = hits .| ((v | Lanes(repeating: 2)) .== Lanes(repeating: UInt8(ascii: ">")))
            hits = hits .| (v .== Lanes(repeating: UInt8(ascii: "["))) .| (v .== Lanes(repeating: UInt8(ascii: "]")))
            hits = hits .| (v .== Lanes(repeating: UInt8(ascii: "{"))) .| (v .== Lanes(repeating: UInt8(ascii: "}")))
            hits = hits .| (v .== Lanes(repeating: UInt8(ascii: ","))) .| (v .== Lanes(repeating: UInt8(ascii: ";")))
            hits = hits .| (v .== Lanes(repeating: UInt8(ascii: "\""))) .| (v .== Lanes(repeating: UInt8(ascii: "'")))
            return hits .| (v .== Lanes(repeating: UInt8(ascii: "`")))
        }
    }

    /// The offset of the first `byte` in `bytes[from..<to]` (to the end when `to` is
    /// nil), or `to`: `memchr`, for the long runs (queries, wrapped URLs) where one
    /// byte is all that is looked for.
    @inline(__always)
    static func offset(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int? = nil) -> Int {
        let end = to ?? bytes.count
        guard from < end, let base = bytes.baseAddress, let found = memchr(base + from, Int32(byte), end - from) else { return end }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// The offset of the first byte at or after `start` for which `lanes` sets
    /// its lane, sixteen at a time, or `bytes.count`. The last few bytes are
    /// copied into a vector padded with `a`, which no search stops at: lines
    /// end in URLs, so that tail is searched once per URL.
    @inline(__always)
    private static func first(
        in bytes: UnsafeBufferPointer<UInt8>, from start: Int, lanes: (Lanes) -> SIMDMask<SIMD16<Int8>>
    ) -> Int {
        let n = bytes.count
        var i = start
        guard let base = bytes.baseAddress, i < n else { return n }
        let raw = UnsafeRawPointer(base)
        while i + 16 <= n {
            if let lane = firstLane(lanes(raw.loadUnaligned(fromByteOffset: i, as: Lanes.self))) { return i + lane }
            i += 16
        }
        guard i < n else { return n }
        var tail = Lanes(repeating: UInt8(ascii: "a"))
        withUnsafeMutableBytes(of: &tail) { $0.baseAddress!.copyMemory(from: raw + i, byteCount: n - i) }
        return firstLane(lanes(tail)).map { i + $0 } ?? n
    }

    /// The index of the first true lane; `any(_:)` is avoided because it is not inlined.
    @inline(__always)
    private static func firstLane(_ mask: SIMDMask<SIMD16<Int8>>) -> Int? {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        if words[0] != 0 { return words[0].trailingZeroBitCount >> 3 }
        if words[1] != 0 { return 8 + words[1].trailingZeroBitCount >> 3 }
        return nil
    }

    /// The index of the last true lane.
    @inline(__always)
    static func lastLane(_ mask: SIMDMask<SIMD16<Int8>>) -> Int? {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        if words[1] != 0 { return 15 - words[1].leadingZeroBitCount >> 3 }
        if words[0] != 0 { return 7 - words[0].leadingZeroBitCount >> 3 }
        return nil
    }

    /// Whether every lane is set; `all(_:)` is avoided for the same reason.
    @inline(__always)
    static func allLanes(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return words[0] & words[1] == UInt64.max
    }
}
