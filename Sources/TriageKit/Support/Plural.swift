/// Counts in words for the summaries people read: "1 item", "2 items".
enum Plural {
    static func counted(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}
