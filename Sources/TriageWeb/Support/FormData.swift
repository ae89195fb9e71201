import Foundation

/// The fields of a submitted form (URL-encoded or multipart) or of a query string.
struct FormData: Sendable {
    /// An uploaded file: its name as the browser gave it, and its bytes.
    struct File: Sendable {
        var filename: String
        var bytes: [UInt8]
    }

    private(set) var fields: [String: [String]] = [:]
    private(set) var files: [String: File] = [:]

    init() {}

    /// The first value of `name`, trimmed; nil when absent or blank.
    subscript(_ name: String) -> String? {
        guard let value = fields[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// The first value of `name` as given (a pasted batch keeps its spacing).
    func raw(_ name: String) -> String? { fields[name]?.first }

    /// Every value of `name` (checkboxes of a selection).
    func all(_ name: String) -> [String] { fields[name] ?? [] }

    mutating func add(_ name: String, _ value: String) {
        fields[name, default: []].append(value)
    }

    // MARK: - Parsing

    /// `a=1&b=two+words`: as browsers send forms and query strings.
    static func urlEncoded(_ text: Substring) -> FormData {
        var form = FormData()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            form.add(name, value)
        }
        return form
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The parts of a `multipart/form-data` body; nil when it is not well formed.
    static func multipart(_ body: [UInt8], boundary: String) -> FormData? {
        let delimiter = Array(("--" + boundary).utf8)
        var form = FormData()
        var positions: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            positions.append(found)
            index = found + delimiter.count
        }
        guard positions.count >= 2 else { return nil }
        for (start, end) in zip(positions, positions.dropFirst()) {
            var partStart = start + delimiter.count
            // Each part begins after the delimiter's line break and ends before the next one's.
            guard partStart + 2 <= end, body[partStart] == 13, body[partStart + 1] == 10 else { continue }
            partStart += 2
            let partEnd = end >= 2 && body[end - 2] == 13 && body[end - 1] == 10 ? end - 2 : end
            guard let headerEnd = find([13, 10, 13, 10], in: body, from: partStart), headerEnd <= partEnd else { return nil }
            let headers = String(decoding: body[partStart..<headerEnd], as: UTF8.self)
            let content = Array(body[(headerEnd + 4)..<max(headerEnd + 4, partEnd)])
            guard let disposition = headers.split(separator: "\r\n").first(where: {
                $0.lowercased().hasPrefix("content-disposition:")
            }) else { continue }
            guard let name = parameter("name", in: disposition) else { continue }
            if let filename = parameter("filename", in: disposition) {
                if !filename.isEmpty || !content.isEmpty { form.files[name] = File(filename: filename, bytes: content) }
            } else {
                form.add(name, String(decoding: content, as: UTF8.self))
            }
        }
        return form
    }

    /// `name="value"` in a Content-Disposition line.
    private static func parameter(_ key: String, in line: Substring) -> String? {
        for piece in line.split(separator: ";") {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(key + "=") else { continue }
            var value = trimmed.dropFirst(key.count + 1)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return String(value)
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    /// The boundary of a `multipart/form-data; boundary=…` content type.
    static func boundary(ofContentType type: String) -> String? {
        guard type.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for piece in type.split(separator: ";") {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased().hasPrefix("boundary=") {
                var value = trimmed.dropFirst("boundary=".count)
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
                return value.isEmpty ? nil : String(value)
            }
        }
        return nil
    }
}
