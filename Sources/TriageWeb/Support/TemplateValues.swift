import Mustache

/// Mustache treats every present value as true in a section, "" and 0 among them; pages
/// test strings and counts (`{{#message}}`, `{{#total}}`), so these say empty and zero are false.
enum TemplateValues {
    struct Text: MustacheCustomRenderable {
        var value: String
        var renderText: String { value }
        var isNull: Bool { value.isEmpty }
    }

    struct Number: MustacheCustomRenderable {
        var value: Int
        var renderText: String { String(value) }
        var isNull: Bool { value == 0 }
    }

    static func prepare(_ value: Any) -> Any {
        switch value {
        case let text as String: return Text(value: text)
        case let number as Int: return Number(value: number)
        case let number as Int64: return Number(value: Int(number))
        case let dictionary as [String: Any]: return dictionary.mapValues(prepare)
        case let list as [[String: Any]]: return list.map { $0.mapValues(prepare) }
        case let list as [Any]: return list.map(prepare)
        default: return value
        }
    }
}
