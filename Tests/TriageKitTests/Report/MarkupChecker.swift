/// A small checker for XHTML-compatible markup: every element closed in order,
/// every attribute quoted, every `&` an entity, no stray `<`. Enough to hold the
/// report's HTML to being well-formed without an XML library.
struct MarkupChecker {
    /// An element as the checker saw it: its name, attributes and the text directly inside it.
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
    }

    /// What went wrong, and where (a byte offset).
    struct Problem: Error, CustomStringConvertible {
        var offset: Int
        var message: String
        var description: String { "at byte \(offset): \(message)" }
    }

    /// Every element, in document order, after checking the whole document.
    static func elements(of document: String) throws(Problem) -> [Element] {
        let bytes = Array(document.utf8)
        var index = 0
        var stack: [Int] = []
        var elements: [Element] = []
        var roots = 0

        func fail(_ message: String) -> Problem { Problem(offset: index, message: message) }
        func starts(_ text: String) -> Bool { bytes[index...].starts(with: Array(text.utf8)) }
        func isNameByte(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x3A || b == 0x5F
        }
        func name() throws(Problem) -> String {
            let start = index
            while index < bytes.count && isNameByte(bytes[index]) { index += 1 }
            guard index > start else { throw fail("a name was expected") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        func skipSpace() { while index < bytes.count && [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 } }
        func checkEntities(_ text: ArraySlice<UInt8>, at offset: Int) throws(Problem) {
            var i = text.startIndex
            while i < text.endIndex {
                if text[i] == UInt8(ascii: "<") { throw Problem(offset: offset, message: "a raw '<' in text or attribute") }
                if text[i] == UInt8(ascii: "&") {
                    guard let semicolon = text[i...].firstIndex(of: UInt8(ascii: ";")), semicolon - i <= 8 else {
                        throw Problem(offset: offset, message: "an '&' that starts no entity")
                    }
                    let entity = String(decoding: text[(i + 1)..<semicolon], as: UTF8.self)
                    let known = ["amp", "lt", "gt", "quot", "apos"].contains(entity)
                        || (entity.hasPrefix("#") && Int(entity.dropFirst()) != nil)
                    guard known else { throw Problem(offset: offset, message: "unknown entity '&\(entity);'") }
                    i = semicolon
                }
                i += 1
            }
        }

        while index < bytes.count {
            if starts("<!--") {
                guard let end = findEnd("-->", from: index, in: bytes) else { throw fail("an unclosed comment") }
                index = end
            } else if starts("<!DOCTYPE") {
                guard let end = bytes[index...].firstIndex(of: UInt8(ascii: ">")) else { throw fail("an unclosed DOCTYPE") }
                index = end + 1
            } else if starts("</") {
                index += 2
                let closing = try name()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw fail("'>' expected after </\(closing)") }
                index += 1
                guard let open = stack.popLast() else { throw fail("</\(closing)> closes nothing") }
                guard elements[open].name == closing else { throw fail("</\(closing)> closes <\(elements[open].name)>") }
            } else if bytes[index] == UInt8(ascii: "<") {
                index += 1
                let tag = try name()
                var attributes: [String: String] = [:]
                while true {
                    skipSpace()
                    guard index < bytes.count else { throw fail("<\(tag) is not closed") }
                    if bytes[index] == UInt8(ascii: ">") || starts("/>") { break }
                    let attribute = try name()
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "="), bytes[index + 1] == UInt8(ascii: "\"") else {
                        throw fail("attribute '\(attribute)' of <\(tag)> needs =\"value\"")
                    }
                    index += 2
                    guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "\"")) else { throw fail("an unclosed attribute value") }
                    try checkEntities(bytes[index..<close], at: index)
                    guard attributes[attribute] == nil else { throw fail("attribute '\(attribute)' twice on <\(tag)>") }
                    attributes[attribute] = String(decoding: bytes[index..<close], as: UTF8.self)
                    index = close + 1
                }
                if stack.isEmpty { roots += 1 }
                elements.append(Element(name: tag, attributes: attributes))
                if starts("/>") {
                    index += 2
                } else {
                    index += 1
                    stack.append(elements.count - 1)
                }
            } else {
                let start = index
                while index < bytes.count && bytes[index] != UInt8(ascii: "<") { index += 1 }
                try checkEntities(bytes[start..<index], at: start)
                if let open = stack.last {
                    elements[open].text += String(decoding: bytes[start..<index], as: UTF8.self)
                } else if bytes[start..<index].contains(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
                    throw Problem(offset: start, message: "text outside the root element")
                }
            }
        }
        if let open = stack.last { throw Problem(offset: bytes.count, message: "<\(elements[open].name)> is never closed") }
        guard roots == 1 else { throw Problem(offset: 0, message: "\(roots) root elements; one expected") }
        return elements
    }

    private static func findEnd(_ marker: String, from: Int, in bytes: [UInt8]) -> Int? {
        let pattern = Array(marker.utf8)
        var i = from
        while i + pattern.count <= bytes.count {
            if bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i + pattern.count }
            i += 1
        }
        return nil
    }
}
