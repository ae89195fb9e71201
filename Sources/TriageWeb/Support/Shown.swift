import Foundation
import TriageKit

/// Text from the store as a page shows it. Mustache escapes HTML; this also takes out
/// what must never reach a page raw: control characters, and the invisible direction
/// marks that can make one URL read as another.
enum Shown {
    static func text(_ value: String?) -> String {
        guard let value else { return "" }
        guard value.unicodeScalars.contains(where: isHidden) else { return value }
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            out.append(isHidden(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(out)
    }

    /// Keeps line breaks and tabs (notes, traces); replaces the rest.
    static func multiline(_ value: String?) -> String {
        guard let value else { return "" }
        return value.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in text(line.replacingOccurrences(of: "\t", with: "    ")) }.joined(separator: "\n")
    }

    /// `value` escaped for HTML as the templates escape it (`{{value}}`), for text put into
    /// a page after rendering (`SharedPage`).
    static func html(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "&")
                                             || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) else { return value }
        return HTMLText.escape(value)
    }

    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: true
        default: false
        }
    }

    /// `2026-11-03T10:00:00Z`, or a dash.
    static func time(_ seconds: Int64?) -> String {
        seconds.map(StoreTime.iso) ?? "—"
    }

    /// `2026-11-03`.
    static func date(_ seconds: Int64?) -> String {
        guard let seconds else { return "" }
        return String(StoreTime.iso(seconds).prefix(10))
    }
}
