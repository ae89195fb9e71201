/// Control characters and line separators in UTF-8 text: what must never
/// reach output raw, since a terminal acts on them (ESC and U+009B start
/// escape sequences) and readers of TSV, CSV and JSON Lines split lines on them.
///
/// Server-controlled text (a Location header, a status text, libcurl's words
/// about either) ends up in `reason` and `final_url`, so every writer passes
/// its fields through here.
public enum ControlCharacters {
    /// The length in bytes of the control character or line separator at
    /// `index`, or 0 when there is none: 1 for C0 and DEL, 2 for C1
    /// (U+0080–U+009F, U+0085 among them), 3 for U+2028 and U+2029.
    @inline(__always)
    static func length(at index: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        let byte = text[index]
        if byte < 0x20 || byte == 0x7F { return 1 }
        if byte == 0xC2, index + 1 < text.count, text[index + 1] >= 0x80, text[index + 1] <= 0x9F { return 2 }
        if byte == 0xE2, index + 2 < text.count, text[index + 1] == 0x80, text[index + 2] == 0xA8 || text[index + 2] == 0xA9 { return 3 }
        return 0
    }

    /// The code point of the control character of `length` bytes at `index`.
    @inline(__always)
    static func scalar(at index: Int, length: Int, in text: UnsafeBufferPointer<UInt8>) -> UInt32 {
        switch length {
        case 1: UInt32(text[index])
        case 2: UInt32(text[index + 1])
        default: 0x2000 | UInt32(text[index + 2] & 0x3F)
        }
    }

    /// Whether `text` may hold a control character or line separator, eight
    /// bytes at a time: a cheap "no" for nearly every field (plain ASCII
    /// without controls), which the exact scan then confirms.
    @inline(__always)
    static func mayHold(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        // A byte below 0x20 borrows into its top bit when 0x20 is taken away;
        // DEL carries into it when 1 is added; every other candidate starts
        // with a byte whose top bit is already set.
        var found: UInt64 = 0
        while offset + 8 <= text.count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            found |= ((word &- 0x2020_2020_2020_2020) & ~word) | word | (word &+ 0x0101_0101_0101_0101)
            offset += 8
        }
        while offset < text.count {
            let byte = base[offset]
            if byte < 0x20 || byte >= 0x7F { return true }
            offset += 1
        }
        return found & 0x8080_8080_8080_8080 != 0
    }

    /// Whether `text` holds a control character or line separator.
    static func contains(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard mayHold(text) else { return false }
        var index = 0
        while index < text.count {
            if length(at: index, in: text) > 0 { return true }
            index += 1
        }
        return false
    }

    /// `text` with tabs and line breaks as spaces and every other control
    /// character or line separator as a visible `\u009B`: inert on a terminal
    /// and on one line.
    public static func inert(_ text: String) -> String {
        text.withBytes { bytes in
            guard contains(bytes) else { return text }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            appendInert(bytes) { out.append($0) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Writes `text` through `emit` as `inert` describes.
    @inline(__always)
    static func appendInert(_ text: UnsafeBufferPointer<UInt8>, _ emit: (UInt8) -> Void) {
        var index = 0
        while index < text.count {
            let length = length(at: index, in: text)
            guard length > 0 else {
                emit(text[index])
                index += 1
                continue
            }
            let scalar = scalar(at: index, length: length, in: text)
            if scalar == 0x09 || scalar == 0x0A || scalar == 0x0D {
                emit(0x20)
            } else {
                appendEscape(scalar, emit)
            }
            index += length
        }
    }

    /// `\u` and four lower-case hex digits, as JSON writes them.
    @inline(__always)
    static func appendEscape(_ scalar: UInt32, _ emit: (UInt8) -> Void) {
        let hex: StaticString = "0123456789abcdef"
        emit(0x5C)
        emit(0x75)
        for shift in stride(from: 12, through: 0, by: -4) {
            emit(hex.utf8Start[Int((scalar >> UInt32(shift)) & 0xF)])
        }
    }
}
