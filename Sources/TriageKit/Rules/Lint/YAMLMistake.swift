internal import Yams

/// Where a YAML mistake in a rule file is, as its author would point at it.
///
/// libyaml reports where it gave up, which for the commonest slips is far
/// from the slip: a quote left open swallows the following lines and the
/// parser stops at the end of the file, or at the next quote, lines later;
/// a bracket left open is reported where the list should have ended. libyaml
/// also says where the construct it was reading began (its "context"), and a
/// rule file never continues a quoted value on the next line, so:
///
/// 1. a line before the one the parser gave up on that opens a quote and
///    does not close it is the mistake;
/// 2. else, when the parser was inside a quoted value or a `[…]`/`{…}`
///    list, the mistake is where that began;
/// 3. else it is where the parser stopped (a bad indent, a tab, a stray
///    `: ` are reported on their own line).
enum YAMLMistake {
    static func locate(_ error: YamlError, text: String, file: String) -> (SourceLocation, String) {
        let context: YamlError.Context?
        let problem: String
        let mark: Mark
        switch error {
        case .scanner(let c, let p, let m, _), .parser(let c, let p, let m, _), .composer(let c, let p, let m, _):
            (context, problem, mark) = (c, p, m)
        default:
            return (SourceLocation(file: file, line: 1), "not valid YAML: \(error)")
        }
        let gaveUp = "the YAML parser gave up at line \(mark.line), column \(mark.column): \(problem)"
        if let open = unclosedQuote(in: text, before: mark.line) {
            return (SourceLocation(file: file, line: open.line, column: open.column),
                    "not valid YAML: the quote opened here is not closed on its line (\(gaveUp))")
        }
        if let context, context.text.contains("quoted scalar") || context.text.contains("flow") {
            let what = context.text.replacingOccurrences(of: "while scanning ", with: "").replacingOccurrences(of: "while parsing ", with: "")
            return (SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                    "not valid YAML: the \(what) that starts here is not closed (\(gaveUp))")
        }
        var message = "not valid YAML: \(problem)"
        if let context { message += " (\(context.text) that starts at line \(context.mark.line))" }
        return (SourceLocation(file: file, line: mark.line, column: mark.column), message)
    }

    /// The first line up to `lastLine` where a value starts with a quote that
    /// the line does not close, and the quote's column (both from 1).
    static func unclosedQuote(in text: String, before lastLine: Int) -> (line: Int, column: Int)? {
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if number > lastLine { break }
            if let column = unclosedQuoteColumn(Array(line.utf8)) { return (number, column) }
        }
        return nil
    }

    /// Walks one line as YAML reads it: quotes open a value only where a value
    /// starts (after indentation, `- `, `: `, `[`, `{` or `,`); `''` is a
    /// quote inside single quotes and `\` escapes inside double quotes; `#`
    /// after a space starts a comment.
    private static func unclosedQuoteColumn(_ bytes: [UInt8]) -> Int? {
        var i = 0
        var valueStarts = true
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                i += 1
                continue
            case UInt8(ascii: "#") where i == 0 || bytes[i - 1] == UInt8(ascii: " "):
                return nil
            case UInt8(ascii: "'") where valueStarts, UInt8(ascii: "\"") where valueStarts:
                let quote = byte
                var j = i + 1
                var closed = false
                while j < bytes.count {
                    if quote == UInt8(ascii: "\""), bytes[j] == UInt8(ascii: "\\") { j += 2; continue }
                    if bytes[j] == quote {
                        if quote == UInt8(ascii: "'"), j + 1 < bytes.count, bytes[j + 1] == quote { j += 2; continue }
                        closed = true
                        break
                    }
                    j += 1
                }
                if !closed { return i + 1 }
                i = j + 1
                valueStarts = false
                continue
            case UInt8(ascii: "-"), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","):
                valueStarts = true
            case UInt8(ascii: ":") where i + 1 == bytes.count || bytes[i + 1] == UInt8(ascii: " "):
                valueStarts = true
            default:
                valueStarts = false
            }
            i += 1
        }
        return nil
    }
}
