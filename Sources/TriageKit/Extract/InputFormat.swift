/// The kinds of report file the reader understands.
public enum InputFormat: String, Sendable, CaseIterable {
    /// One report per line; URLs anywhere in the line.
    case text
    /// A header row and a `url` column (or `link`, `urls`, `reported_url`); any delimiter.
    case csv
    /// One JSON object per line, with a `url` string or a `urls` array.
    case jsonl
}

// MARK: - Detection

extension InputFormat {
    /// Header names accepted for the URL column (CSV) or field (JSON Lines), in order of preference.
    public static let urlFieldNames = ["url", "urls", "reported_url", "link"]

    /// The format of a file, from its extension (`.csv` `.tsv` `.jsonl` `.ndjson` `.json`), or else
    /// from its first bytes: a `{` first means JSON Lines, a first line that is a header with a URL
    /// column means CSV, anything else is text.
    public static func detect(path: String, firstBytes: some Collection<UInt8>) -> InputFormat {
        let lowered = path.lowercased()
        for (suffix, format) in [(".csv", csv), (".tsv", csv), (".jsonl", jsonl), (".ndjson", jsonl), (".json", jsonl)]
        where lowered.hasSuffix(suffix) {
            return format
        }
        return sniff(Array(firstBytes.prefix(64 * 1024)))
    }

    private static func sniff(_ bytes: [UInt8]) -> InputFormat {
        var start = ReportReader.hasUTF8BOM(bytes) ? 3 : 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 || bytes[start] == 0x0A
            || bytes[start] == 0x0D {
            start += 1
        }
        guard start < bytes.count else { return .text }
        if bytes[start] == UInt8(ascii: "{") { return .jsonl }
        let lineEnd = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        let firstLine = Array(bytes[start..<lineEnd])
        let delimiter = CSVDialect.sniffDelimiter(firstLine: firstLine)
        let names = CSVDialect.headerNames(firstLine: firstLine, delimiter: delimiter)
        return names.contains(where: urlFieldNames.contains) ? .csv : .text
    }
}

// MARK: - CSV dialect

/// What the reader guesses about a CSV file from its header line.
enum CSVDialect {
    /// The delimiter used most outside quotes in the header line: comma, semicolon or tab.
    static func sniffDelimiter(firstLine: [UInt8]) -> UInt8 {
        // In order of preference when counts tie.
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09]
        var counts = [0, 0, 0]
        var quoted = false
        for byte in firstLine {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted, let index = candidates.firstIndex(of: byte) {
                counts[index] += 1
            }
        }
        var best = 0
        for index in 1..<candidates.count where counts[index] > counts[best] { best = index }
        return candidates[best]
    }

    /// The header line's fields, trimmed, unquoted and lowercased (a rough split for sniffing only).
    static func headerNames(firstLine: [UInt8], delimiter: UInt8) -> [String] {
        firstLine.split(separator: delimiter, omittingEmptySubsequences: false).map { field in
            normalizedHeader(String(decoding: field, as: UTF8.self))
        }
    }

    /// A header name as compared: trimmed of spaces and quotes, lowercased.
    static func normalizedHeader(_ name: String) -> String {
        let trimmed = name.unicodeScalars.drop { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "\r" || $0 == "\u{FEFF}" }
        let reversed = trimmed.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "\r" }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: reversed.reversed())
        return String(scalars).lowercased()
    }
}
