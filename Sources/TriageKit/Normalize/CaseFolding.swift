/// Lower-cases identifiers that platforms compare without regard to case
/// (user names), also when they arrive percent-encoded.
enum CaseFolding {
    /// `@Some.User` → `@some.user`; `%D0%A8` (Ш) → `%D1%88` (ш). Escapes of
    /// ASCII bytes (`%2F`) are kept as they are, since decoding them could
    /// change what the path means.
    static func fold(_ value: Substring) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 >= 0x80 }) else {
            return value.lowercased()
        }
        var result = ""
        var text: [UInt8] = []
        func flushText() {
            guard !text.isEmpty else { return }
            for byte in String(decoding: text, as: UTF8.self).lowercased().utf8 {
                if byte >= 0x80 {
                    result += "%"
                    result.unicodeScalars.append(Unicode.Scalar(hexDigit(byte >> 4)))
                    result.unicodeScalars.append(Unicode.Scalar(hexDigit(byte & 0xF)))
                } else {
                    result.unicodeScalars.append(Unicode.Scalar(byte))
                }
            }
            text.removeAll(keepingCapacity: true)
        }
        let bytes = Array(value.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                let decoded = high << 4 | low
                if decoded >= 0x80 {
                    text.append(decoded)
                } else {
                    flushText()
                    result += "%"
                    result.unicodeScalars.append(Unicode.Scalar(hexDigit(high)))
                    result.unicodeScalars.append(Unicode.Scalar(hexDigit(low)))
                }
                index += 3
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
        flushText()
        return result
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x41 + nibble - 10 }
}
