/// The byte-level decodings that redirect wrappers use for the URL they carry.
enum WrapperDecoding {
    // MARK: - Percent-encoding

    /// Decodes `%XX` escapes once; a `%` not followed by two hex digits stays as it is.
    static func percentDecoded(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8] {
        decoded(bytes, range, escape: UInt8(ascii: "%"), slash: nil)
    }

    /// Decodes `escape` + two hex digits once, and `slash` (if any) as `/`,
    /// into an array written in place: the output is never longer than the input.
    private static func decoded(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, escape: UInt8, slash: UInt8?) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: range.count) { output, written in
            var count = 0
            var i = range.lowerBound
            while i < range.upperBound {
                let byte = bytes[i]
                if byte == escape, i + 2 < range.upperBound,
                   let high = ByteClass.hexValue(bytes[i + 1]), let low = ByteClass.hexValue(bytes[i + 2]) {
                    output[count] = high << 4 | low
                    i += 3
                } else {
                    output[count] = byte == slash ? UInt8(ascii: "/") : byte
                    i += 1
                }
                count += 1
            }
            written = count
        }
    }

    // MARK: - Proofpoint URL Defense v2

    /// Decodes Proofpoint v2's `u=` value, where `-XX` is a hex escape and `_` stands for `/`.
    static func proofpointV2Decoded(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8] {
        decoded(bytes, range, escape: UInt8(ascii: "-"), slash: UInt8(ascii: "_"))
    }

    // MARK: - Proofpoint URL Defense v3

    /// Rebuilds the URL inside a Proofpoint v3 wrapper from its two parts.
    ///
    /// v3 writes the URL between `__` and `__;`, with some characters replaced by
    /// `*`; the replaced characters follow `;` (up to the next `!`) as base64url.
    /// A single `*` takes the next character; `**` plus one letter of the run
    /// alphabet takes a run of characters (`A` = 2, `B` = 3, …). The embedded text
    /// is percent-decoded before the characters are put back.
    static func proofpointV3Decoded(
        _ bytes: UnsafeBufferPointer<UInt8>, url: Range<Int>, replaced: Range<Int>
    ) -> [UInt8]? {
        guard let replacementBytes = base64Decoded(bytes, replaced) else { return nil }
        let characters = utf8Characters(replacementBytes)
        let embedded = percentDecoded(bytes, url)
        var output: [UInt8] = []
        output.reserveCapacity(embedded.count + replacementBytes.count)
        var next = 0
        var i = 0
        while i < embedded.count {
            guard embedded[i] == UInt8(ascii: "*"), next < characters.count else {
                output.append(embedded[i])
                i += 1
                continue
            }
            if i + 2 < embedded.count, embedded[i + 1] == UInt8(ascii: "*"),
               let run = runLength(embedded[i + 2]) {
                let end = min(next + run, characters.count)
                for character in characters[next..<end] { output.append(contentsOf: character) }
                next = end
                i += 3
            } else {
                output.append(contentsOf: characters[next])
                next += 1
                i += 1
            }
        }
        return output
    }

    /// The run length a v3 `**X` token stands for: the index of X in `A–Z a–z 0–9 - _`, plus 2.
    private static func runLength(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(byte - UInt8(ascii: "A")) + 2
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(byte - UInt8(ascii: "a")) + 28
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0")) + 54
        case UInt8(ascii: "-"): return 64
        case UInt8(ascii: "_"): return 65
        default: return nil
        }
    }

    /// Splits UTF-8 into one byte array per character; a bad byte stands alone.
    private static func utf8Characters(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.withUnsafeBufferPointer { buffer in
            var characters: [ArraySlice<UInt8>] = []
            var i = 0
            while i < buffer.count {
                let length = max(UTF8Scan.decode(buffer, at: i).length, 1)
                characters.append(bytes[i..<(i + length)])
                i += length
            }
            return characters
        }
    }

    // MARK: - Base64

    /// Decodes base64 in either the standard or the URL-safe alphabet, padding optional.
    static func base64Decoded(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(range.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for i in range {
            let byte = bytes[i]
            if byte == UInt8(ascii: "=") { break }
            guard let value = base64Value(byte) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

    private static func base64Value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): return 63
        default: return nil
        }
    }
}
