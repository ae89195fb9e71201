/// Reads the URL fields out of one line of JSON Lines, validating the whole
/// line as strict JSON (RFC 8259) on the way, without Foundation.
///
/// Only the values of the URL fields are decoded; everything else is checked and skipped.
struct JSONLineParser {
    /// A syntax error: what was expected, and the 0-based offset in the line.
    struct SyntaxError: Error {
        var message: String
        var offset: Int
    }

    /// What one line held.
    enum Outcome: Equatable {
        /// Only whitespace.
        case blank
        /// An object with URL fields; their strings were appended to `text`. `problem` is set when
        /// some value was not a string.
        case found(problem: String?)
        /// Valid JSON, but not an object with a URL field: the reason.
        case noURL(String)
        /// Not valid JSON: the reason and the 1-based column.
        case invalid(String, column: Int)
    }

    /// Deep nesting is legal JSON but would exhaust the stack; no report needs it.
    static let maxDepth = 256

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0
    /// Set on a second pass over a line without a URL field, to name the keys it has.
    private var keys: [String]?

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: - Entry point

    /// Parses `line`, appending the strings of its `url`/`urls` fields (or, when it has neither,
    /// `reported_url`/`link`) to `text`, separated by newlines.
    static func parse(_ line: UnsafeBufferPointer<UInt8>, into text: inout [UInt8]) -> Outcome {
        var parser = JSONLineParser(line)
        parser.skipWhitespace()
        if parser.position == line.count { return .blank }
        do {
            guard parser.peek() == UInt8(ascii: "{") else {
                let kind = parser.kindName(parser.peek())
                try parser.skipValue()
                try parser.expectEnd()
                return .noURL("line holds \(kind), not a JSON object with a \"url\" field")
            }
            var fields = URLFields()
            try parser.parseTopObject(&fields, into: &text)
            try parser.expectEnd()
            if !fields.primaryPresent && fields.fallbackPresent { text = fields.fallback }
            guard fields.primaryPresent || fields.fallbackPresent else {
                return .noURL("no \"url\" or \"urls\" field (keys: \(keyList(line)))")
            }
            if text.isEmpty && fields.problems.isEmpty { return .found(problem: "the URL field is empty") }
            return .found(problem: fields.problems.isEmpty ? nil : fields.problems.joined(separator: "; "))
        } catch {
            return .invalid("not valid JSON: \(error.message) at column \(error.offset + 1)", column: error.offset + 1)
        }
    }

    /// The top-level keys of a line already known to be a valid object, for a message.
    private static func keyList(_ line: UnsafeBufferPointer<UInt8>) -> String {
        var parser = JSONLineParser(line)
        parser.keys = []
        parser.skipWhitespace()
        var fields = URLFields()
        var ignored: [UInt8] = []
        try? parser.parseTopObject(&fields, into: &ignored)
        let keys = parser.keys ?? []
        if keys.isEmpty { return "none" }
        let shown = keys.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ")
        return keys.count > 12 ? shown + ", …" : shown
    }

    // MARK: - The top-level object

    /// What the top-level object held besides the primary URL values, which go straight to the output.
    private struct URLFields {
        var primaryPresent = false
        var fallbackPresent = false
        var fallback: [UInt8] = []
        var problems: [String] = []
    }

    private mutating func parseTopObject(_ fields: inout URLFields, into text: inout [UInt8]) throws(SyntaxError) {
        position += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        var key: [UInt8] = []
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            key.removeAll(keepingCapacity: true)
            try parseString(into: &key, keep: true)
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after the key") }
            position += 1
            skipWhitespace()
            keys?.append(String(decoding: key, as: UTF8.self))
            if Self.isKey(key, "url") || Self.isKey(key, "urls") {
                fields.primaryPresent = true
                try parseURLValue(key, into: &text, problems: &fields.problems)
            } else if Self.isKey(key, "reported_url") || Self.isKey(key, "link") {
                fields.fallbackPresent = true
                try parseURLValue(key, into: &fields.fallback, problems: &fields.problems)
            } else {
                try skipValue()
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                position += 1
                return
            default:
                throw fail("expected ',' or '}' after a value")
            }
        }
    }

    private static func isKey(_ key: [UInt8], _ name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount && key.withUnsafeBufferPointer { ByteClass.matches($0, name, at: 0) }
    }

    /// A URL field's value: a string, or an array of strings; each is appended to `output`
    /// after a newline when `output` already holds one.
    private mutating func parseURLValue(
        _ key: [UInt8], into output: inout [UInt8], problems: inout [String]
    ) throws(SyntaxError) {
        let name = String(decoding: key, as: UTF8.self)
        switch peek() {
        case UInt8(ascii: "\""):
            if !output.isEmpty { output.append(0x0A) }
            try parseString(into: &output, keep: true)
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                position += 1
                return
            }
            var index = 0
            while true {
                if peek() == UInt8(ascii: "\"") {
                    if !output.isEmpty { output.append(0x0A) }
                    try parseString(into: &output, keep: true)
                } else {
                    problems.append("\"\(name)\"[\(index)] is \(kindName(peek())), not a string")
                    try skipValue()
                }
                index += 1
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                } else if peek() == UInt8(ascii: "]") {
                    position += 1
                    return
                } else {
                    throw fail("expected ',' or ']' in the array")
                }
            }
        default:
            problems.append("\"\(name)\" is \(kindName(peek())), not a string")
            try skipValue()
        }
    }

    // MARK: - Values

    private mutating func skipValue() throws(SyntaxError) {
        guard let byte = peek() else { throw fail("expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            try nested { (parser: inout JSONLineParser) throws(SyntaxError) in
                try parser.skipContainer(close: UInt8(ascii: "}"), keyed: true)
            }
        case UInt8(ascii: "["):
            try nested { (parser: inout JSONLineParser) throws(SyntaxError) in
                try parser.skipContainer(close: UInt8(ascii: "]"), keyed: false)
            }
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"):
            try literal("true")
        case UInt8(ascii: "f"):
            try literal("false")
        case UInt8(ascii: "n"):
            try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
        default:
            throw fail("unexpected character '\(Self.shown(byte))'")
        }
    }

    private mutating func nested(_ body: (inout JSONLineParser) throws(SyntaxError) -> Void) throws(SyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth) levels") }
        try body(&self)
        depth -= 1
    }

    private mutating func skipContainer(close: UInt8, keyed: Bool) throws(SyntaxError) {
        position += 1
        skipWhitespace()
        if peek() == close {
            position += 1
            return
        }
        while true {
            if keyed {
                guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                try skipString()
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after the key") }
                position += 1
                skipWhitespace()
            }
            try skipValue()
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()
            } else if peek() == close {
                position += 1
                return
            } else {
                throw fail(keyed ? "expected ',' or '}' after a value" : "expected ',' or ']' in the array")
            }
        }
    }

    /// A string starting at the opening quote; decoded into `output` when one is given.
    private mutating func parseString(into output: inout [UInt8], keep: Bool) throws(SyntaxError) {
        let opening = position
        position += 1
        scan: while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return
            case UInt8(ascii: "\\"):
                // A backslash ending the line leaves the string unclosed (a bare `break` would only leave the switch).
                guard position + 1 < bytes.count else { break scan }
                let escaped = bytes[position + 1]
                position += 2
                let decoded: UInt8
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded = escaped
                case UInt8(ascii: "b"): decoded = 0x08
                case UInt8(ascii: "f"): decoded = 0x0C
                case UInt8(ascii: "n"): decoded = 0x0A
                case UInt8(ascii: "r"): decoded = 0x0D
                case UInt8(ascii: "t"): decoded = 0x09
                case UInt8(ascii: "u"):
                    let scalar = try unicodeEscape()
                    if keep { Self.appendUTF8(scalar, to: &output) }
                    continue
                default:
                    position -= 2
                    throw fail("invalid escape '\\\(Self.shown(escaped))' in a string")
                }
                if keep { output.append(decoded) }
            case 0x00..<0x20:
                throw fail("control character in a string (write it as an escape)")
            default:
                if keep { output.append(byte) }
                position += 1
            }
        }
        position = opening
        throw fail("string is not closed")
    }

    /// A string whose value is only checked.
    private mutating func skipString() throws(SyntaxError) {
        var unused: [UInt8] = []
        try parseString(into: &unused, keep: false)
    }

    /// The scalar of a `\uXXXX` escape (the `\u` already read), joining surrogate pairs;
    /// a lone surrogate becomes U+FFFD.
    private mutating func unicodeEscape() throws(SyntaxError) -> UInt32 {
        let high = try hex4()
        guard high & 0xFC00 == 0xD800 else { return high & 0xF800 == 0xD800 ? 0xFFFD : high }
        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
        else { return 0xFFFD }
        let save = position
        position += 2
        let low = try hex4()
        guard low & 0xFC00 == 0xDC00 else {
            position = save
            return 0xFFFD
        }
        return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    }

    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count, let digit = ByteClass.hexValue(bytes[position]) else {
                throw fail("expected four hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func number() throws(SyntaxError) {
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), ByteClass.isDigit(first) else { throw fail("expected a digit") }
        position += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let digit = peek(), ByteClass.isDigit(digit) else { throw fail("expected a digit after '.'") }
            skipDigits()
        }
        if let e = peek(), e | 0x20 == UInt8(ascii: "e") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let digit = peek(), ByteClass.isDigit(digit) else { throw fail("expected a digit in the exponent") }
            skipDigits()
        }
    }

    private mutating func skipDigits() {
        while let byte = peek(), ByteClass.isDigit(byte) { position += 1 }
    }

    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in expected {
            guard peek() == byte else { throw fail("expected '\(word)'") }
            position += 1
        }
    }

    // MARK: - Helpers

    private mutating func expectEnd() throws(SyntaxError) {
        skipWhitespace()
        if position < bytes.count { throw fail("unexpected text after the JSON value") }
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private func fail(_ message: String) -> SyntaxError {
        SyntaxError(message: position < bytes.count ? message : "\(message), found the end of the line", offset: position)
    }

    private func kindName(_ byte: UInt8?) -> String {
        switch byte {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        default: return "a number"
        }
    }

    private static func shown(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
    }

    private static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        let value = UnicodeScalar(scalar) ?? "\u{FFFD}"
        output.append(contentsOf: String(Character(value)).utf8)
    }
}
