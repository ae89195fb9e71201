/// Escaping for the text formats written byte by byte: JSON strings here, shared by
/// `RecordWriter` and the escalation list.
extension OutputSink {
    /// `text` as a JSON string literal (RFC 8259): quotes, backslashes and control
    /// characters escaped, everything else (UTF-8 included) copied as it is.
    func appendJSONString(_ text: UnsafeBufferPointer<UInt8>) {
        append(byte: 0x22)
        guard text.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
            append(bytes: text)
            append(byte: 0x22)
            return
        }
        for byte in text {
            switch byte {
            case 0x22: append("\\\"")
            case 0x5C: append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0..<0x20:
                let hex: StaticString = "0123456789abcdef"
                append("\\u00")
                append(byte: hex.utf8Start[Int(byte >> 4)])
                append(byte: hex.utf8Start[Int(byte & 0xF)])
            default: append(byte: byte)
            }
        }
        append(byte: 0x22)
    }

    func appendJSONString(_ text: String) { text.withBytes(appendJSONString) }
}

extension String {
    /// Runs `body` over the string's UTF-8 bytes (native strings are contiguous, so this copies nothing).
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}
