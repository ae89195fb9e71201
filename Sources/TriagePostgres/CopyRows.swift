/// Rows in PostgreSQL's `COPY … FROM STDIN` text format, appended to a byte array:
/// columns separated by tabs, rows ended by a newline, NULL as `\N`, and in text a
/// backslash, tab, newline or carriage return escaped with a backslash.
struct CopyRows {
    var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func field(_ value: Int64) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
        bytes.append(UInt8(ascii: "\t"))
    }

    @inline(__always)
    mutating func field(_ value: Int) { field(Int64(value)) }

    /// Text, escaped; nil is NULL. A NUL character, which PostgreSQL's text cannot hold, is left out.
    @inline(__always)
    mutating func field(_ value: String?) {
        guard var value else {
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N"), UInt8(ascii: "\t")])
            return
        }
        value.withUTF8 { text in
            var plain = true
            for byte in text where byte == 0x5C || byte < 0x20 {
                plain = false
                break
            }
            if plain {
                bytes.append(contentsOf: text)
                return
            }
            for byte in text {
                switch byte {
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
                case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
                case 0x00: break
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\t"))
    }

    /// Ends a row: the last field's tab becomes the newline.
    @inline(__always)
    mutating func endRow() {
        bytes[bytes.count - 1] = UInt8(ascii: "\n")
    }
}
