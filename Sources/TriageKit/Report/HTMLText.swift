/// Escaping for text and attribute values in the report's HTML (and its inline SVG),
/// so that platform names and labels can never break the markup; the web app's kept pages
/// escape what they fill in with it too.
package enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` as entities.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A number for an SVG coordinate: at most one decimal, no exponent.
    static func coordinate(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : String(format1: value)
    }
}
