/// The message for a `fold_case` entry that names no capture: the loader
/// keeps only the names its patterns capture, so a misspelt name (`usr` for
/// `user`) would leave the capture case-sensitive without a word.
enum FoldCaseCheck {
    static func message(_ name: String, captured: Set<String>, of what: String) -> String {
        var message = "'fold_case' of \(what) names '\(name)', which no pattern captures, so nothing is folded"
        if let nearest = YAMLMapping.nearest(to: name, in: captured.sorted()) { message += " (did you mean '\(nearest)'?)" }
        else if !captured.isEmpty { message += "; the captures are: \(captured.sorted().joined(separator: ", "))" }
        return message
    }
}
