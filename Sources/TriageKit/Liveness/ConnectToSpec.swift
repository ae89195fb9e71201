/// Checks `--connect-to` entries, which libcurl takes as they are.
enum ConnectToSpec {
    /// `HOST:PORT:ADDR:PORT`, each part possibly empty; IPv6 addresses in brackets.
    static func validate(_ entry: String) throws(LivenessOptionsError) {
        let parts = split(entry)
        guard parts.count == 4 else {
            throw LivenessOptionsError("--connect-to '\(entry)': expected HOST:PORT:ADDR:PORT (an empty HOST or PORT matches any), e.g. ::127.0.0.1:8080")
        }
        for port in [parts[1], parts[3]] where !port.isEmpty {
            guard let number = Int(port), (1...65535).contains(number) else {
                throw LivenessOptionsError("--connect-to '\(entry)': '\(port)' is not a port number")
            }
        }
    }

    /// Splits on colons outside `[…]`.
    static func split(_ entry: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var inBrackets = false
        for character in entry {
            switch character {
            case "[": inBrackets = true; current.append(character)
            case "]": inBrackets = false; current.append(character)
            case ":" where !inBrackets: parts.append(current); current = ""
            default: current.append(character)
            }
        }
        parts.append(current)
        return parts
    }
}
