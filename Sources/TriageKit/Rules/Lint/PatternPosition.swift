internal import Yams

/// Maps a byte offset inside a pattern to the column in the rule file where
/// that byte is written, so that an error points into the pattern itself.
///
/// The scalar's text in the file differs from the pattern when it is quoted
/// (`''` stands for `'`; `\\` for `\`), so the columns are counted over the
/// raw line. A pattern that spans several lines keeps its first column.
struct PatternPosition {
    let lines: [Substring]

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The location of byte `offset` of the pattern held by `node`.
    func location(of offset: Int, in node: Node, reader: YAMLReader) -> SourceLocation {
        var location = reader.location(node)
        guard let scalar = node.scalar, location.line >= 1, location.line <= lines.count else { return location }
        let raw = Array(lines[location.line - 1].unicodeScalars)
        // Yams columns are 1-based and count characters.
        var column = location.column - 1
        switch scalar.style {
        case .singleQuoted, .doubleQuoted:
            column += 1
        case .plain:
            break
        default:
            return location
        }
        var decoded = 0
        while decoded < offset, column < raw.count {
            let character = raw[column]
            if scalar.style == .singleQuoted, character == "'" {
                guard column + 1 < raw.count, raw[column + 1] == "'" else { break }
                column += 2
                decoded += 1
            } else if scalar.style == .doubleQuoted, character == "\\" {
                column += 1 + Self.escapeLength(raw, at: column + 1)
                decoded += 1
            } else if scalar.style == .doubleQuoted, character == "\"" {
                break
            } else {
                column += 1
                decoded += UTF8.width(character)
            }
        }
        location.column = column + 1
        return location
    }

    /// How many characters follow the backslash of a double-quoted escape.
    private static func escapeLength(_ raw: [Unicode.Scalar], at index: Int) -> Int {
        guard index < raw.count else { return 0 }
        switch raw[index] {
        case "x": return 3
        case "u": return 5
        case "U": return 9
        default: return 1
        }
    }
}
