/// Sixteen-bytes-at-a-time searches for the bytes the extractor stops at.
///
/// A line is mostly letters, digits and spaces that need no attention; comparing
/// sixteen lanes at once and jumping to the first hit is what keeps a line
/// without URLs within the per-line budget.
enum ByteSearch {
    private typealias Lanes = SIMD16<UInt8>

    /// The offset of the first `:` `.` `[` `(` `{` at or after `start`, or `bytes.count`.
    @inline(__always)
    static func nextTrigger(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let n = bytes.count
        var i = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 16 <= n {
                let v = raw.loadUnaligned(fromByteOffset: i, as: Lanes.self)
                let hits = (v .== Lanes(repeating: UInt8(ascii: ":"))) .| (v .== Lanes(repeating: UInt8(ascii: ".")))
                    .| (v .== Lanes(repeating: UInt8(ascii: "["))) .| (v .== Lanes(repeating: UInt8(ascii: "(")))
                    .| (v .== Lanes(repeating: UInt8(ascii: "{")))
                if let lane = firstLane(hits) { return i + lane }
                i += 16
            }
        }
        while i < n, !ASCIISet.triggers.contains(bytes[i]) { i += 1 }
        return i
    }

    /// The offset of the first byte at or after `start` that a URL body scan must inspect
    /// (see `ASCIISet.urlSpecial`, plus every byte ≥ 0x80), or `bytes.count`.
    @inline(__always)
    static func nextURLSpecial(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let n = bytes.count
        var i = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 16 <= n {
                let v = raw.loadUnaligned(fromByteOffset: i, as: Lanes.self)
                // Controls, space, DEL and bytes ≥ 0x80 in one unsigned comparison.
                var hits = (v &- Lanes(repeating: 0x21)) .>= Lanes(repeating: 0x5E)
                hits = hits .| ((v | Lanes(repeating: 1)) .== Lanes(repeating: UInt8(ascii: ")")))
                hits = hits .| ((v | Lanes(repeating: 2)) .== Lanes(repeating: UInt8(ascii: ">")))
                hits = hits .| (v .== Lanes(repeating: UInt8(ascii: "["))) .| (v .== Lanes(repeating: UInt8(ascii: "]")))
                hits = hits .| (v .== Lanes(repeating: UInt8(ascii: "{"))) .| (v .== Lanes(repeating: UInt8(ascii: "}")))
                hits = hits .| (v .== Lanes(repeating: UInt8(ascii: ","))) .| (v .== Lanes(repeating: UInt8(ascii: ";")))
                hits = hits .| (v .== Lanes(repeating: UInt8(ascii: "\""))) .| (v .== Lanes(repeating: UInt8(ascii: "'")))
                hits = hits .| (v .== Lanes(repeating: UInt8(ascii: "`")))
                if let lane = firstLane(hits) { return i + lane }
                i += 16
            }
        }
        while i < n, bytes[i] < 0x80, !ASCIISet.urlSpecial.contains(bytes[i]) { i += 1 }
        return i
    }

    /// The index of the first true lane; `any(_:)` is avoided because it is not inlined.
    @inline(__always)
    private static func firstLane(_ mask: SIMDMask<SIMD16<Int8>>) -> Int? {
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        if words[0] != 0 { return words[0].trailingZeroBitCount >> 3 }
        if words[1] != 0 { return 8 + words[1].trailingZeroBitCount >> 3 }
        return nil
    }
}
