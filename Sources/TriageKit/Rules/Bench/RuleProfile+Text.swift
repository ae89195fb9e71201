import Foundation

/// The profile as a table for the terminal, slowest rule first.
extension RuleProfile {
    /// The table of rules the corpus reached, then totals; `limit` keeps only the first rows.
    public func text(limit: Int? = nil) -> String {
        let reached = rows.filter { $0.attempts > 0 }
        let shown = limit.map { Array(reached.prefix($0)) } ?? reached
        let header = ["rule", "platform", "type", "attempts", "matches", "ns/attempt", "total ms", "share"]
        var table = [header]
        for row in shown {
            table.append([row.rule.description, row.platform, row.type, Self.grouped(row.attempts), Self.grouped(row.matches),
                          Self.fixed(row.nanosecondsPerAttempt, 1), Self.fixed(Double(row.nanoseconds) / 1e6, 3),
                          Self.fixed(row.share * 100, 1) + "%" + (row.limitHits > 0 ? "  \(row.limitHits) hit the match limit" : "")])
        }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        // Names read left to right; numbers line up on the right.
        var text = ""
        for line in table {
            var cells: [String] = []
            for (column, cell) in line.enumerated() {
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                cells.append(column < 3 || column == header.count - 1 ? cell + pad : pad + cell)
            }
            text += cells.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        if shown.count < reached.count { text += "… \(reached.count - shown.count) more rules\n" }
        if reached.count < rows.count {
            text += "\(rows.count - reached.count) of \(rows.count) rules were not tried on this corpus (--format json lists them)\n"
        }
        let attempts = rows.reduce(0) { $0 + $1.attempts }
        text += "\(Self.grouped(urls)) URLs from \(Self.grouped(lines)) lines (\(Self.grouped(rejected)) not classified: not http(s) or rejected); "
        text += "\(Self.grouped(decidedByRule)) decided by a content rule, \(Self.grouped(pages)) plain pages, \(Self.grouped(gaveUp)) gave up\n"
        text += "\(passes) pass\(passes == 1 ? "" : "es"): \(Self.fixed(Double(patternNanoseconds) / 1e6, 3)) ms in \(Self.grouped(attempts)) pattern attempts"
        text += ", \(Self.fixed(Double(wallNanoseconds) / 1e6, 3)) ms classifying in all"
        text += "; each attempt's time includes about \(clockOverheadNanoseconds) ns of clock reading\n"
        return text
    }

    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return result
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}

extension String {
    /// The string without the spaces at its end.
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
