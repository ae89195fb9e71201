/// Escaping for the text formats written byte by byte: JSON strings here, shared by
/// `RecordWriter` and the escalation list.
extension OutputSink {
    /// `text` as a JSON string literal (RFC 8259): quotes, backslashes and control
    /// characters escaped, and so are DEL, C1 controls and U+2028/U+2029, which
    /// JSON allows raw but terminals and JavaScript readers act on; everything
    /// else (UTF-8 included) copied as it is.
    func appendJSONString(_ text: UnsafeBufferPointer<UInt8>) {
        append(byte: 0x22)
        guard ControlCharacters.mayHold(text) || text.contains(where: { $0 == 0x22 || $0 == 0x5C }) else {
            append(bytes: text)
            append(byte: 0x22)
            return
        }
        var index = 0
        while index < text.count {
            let byte = text[index]
            let length = ControlCharacters.length(at: index, in: text)
            if length > 0 {
                switch byte {
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                default: ControlCharacters.appendEscape(ControlCharacters.scalar(at: index, length: length, in: text)) { append(byte: $0) }
                }
                index += length
                continue
            }
            switch byte {
            case 0x22: append("\\\"")
            case 0x5C: append("\\\\")
            default: append(byte: byte)
            }
            index += 1
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
