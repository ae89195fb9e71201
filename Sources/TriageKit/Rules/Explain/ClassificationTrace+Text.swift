/// The trace as a person reads it at a terminal: one labelled line per step.
extension ClassificationTrace {
    /// The steps as aligned, labelled lines, ending with a newline.
    public var text: String {
        var lines: [(String, String)] = [("input", input)]
        if let extraction {
            var detail = "column \(extraction.column)"
            if !extraction.notes.isEmpty { detail += "; " + extraction.notes.joined(separator: ", ") }
            lines.append(("extracted", "\(extraction.text)  (\(detail))"))
            if let rejection = extraction.rejection { lines.append(("rejected", rejection)) }
        }
        if let parsed {
            let changed = parsed != (extraction?.text ?? input)
            lines.append(("parsed", parsed + (changed ? "  (WHATWG URL, normalised from the text above)" : "  (WHATWG URL)")))
        }
        if let dispatch { lines += Self.lines(dispatch) }
        if let path {
            var detail = path.raw == path.normalized ? "" : "  (from \(path.raw): escapes of unreserved characters decoded)"
            if path.fromHashbang { detail += "  (rebuilt from an old #!/ address)" }
            lines.append(("path", path.normalized + detail))
        }
        if let fragment { lines.append(("fragment", "#\(fragment)  dropped: a fragment does not change what the URL points at")) }
        if !parameters.isEmpty {
            let width = parameters.map { $0.name.count + $0.value.count + 1 }.max() ?? 0
            for (offset, parameter) in parameters.enumerated() {
                let text = "\(parameter.name)=\(parameter.value)"
                lines.append((offset == 0 ? "parameters" : "", text.padded(to: width) + "  " + Self.describe(parameter)))
            }
        }
        var text = Self.render(lines)
        let locationWidth = (attempts.map(\.rule.description) + skippedRules.map(\.rule.description)).map(\.count).max() ?? 0
        let typeWidth = (attempts.map(\.type) + skippedRules.map(\.type)).map(\.count).max() ?? 0
        if !attempts.isEmpty {
            text += Self.label("rules") + "tried in file order; the first match wins\n"
            for attempt in attempts {
                var line = "  \(attempt.rule.description.padded(to: locationWidth))  \(attempt.type.padded(to: typeWidth))  \(Self.word(attempt.outcome))"
                if !attempt.captures.isEmpty { line += "  " + attempt.captures.map { "\($0.name)=\($0.value)" }.joined(separator: " ") }
                if let reason = attempt.reason { line += "  (\(reason))" }
                if let nanoseconds = attempt.nanoseconds { line += "  " + Self.duration(nanoseconds) }
                text += line + "\n"
            }
        }
        if !skippedRules.isEmpty {
            text += Self.label("skipped") + "not tried for this host\n"
            for skipped in skippedRules {
                text += "  \(skipped.rule.description.padded(to: locationWidth))  \(skipped.type.padded(to: typeWidth))  \(skipped.reason)\n"
            }
        }
        var tail: [(String, String)] = []
        if let result {
            tail.append(("key", result.key))
            tail.append(("canonical", result.canonical))
            tail.append(("decided by", result.rule.map { "the '\(result.type)' rule at \($0)" }
                ?? "no content rule matched: a plain '\(result.type)' of \(result.platform), keyed by its normalised URL"))
        }
        if let problem { tail.append(("problem", problem)) }
        if let classifyNanoseconds { tail.append(("time", Self.duration(classifyNanoseconds) + " to classify (fastest of \(RuleExplainer.timingRuns) runs)")) }
        return text + Self.render(tail)
    }

    // MARK: - Pieces

    private static func lines(_ dispatch: Dispatch) -> [(String, String)] {
        var lines: [(String, String)] = []
        let file = dispatch.file.map { "  \($0.file)" } ?? ""
        lines.append(("platform", dispatch.platform + file))
        let entry = dispatch.hostEntry.map { " at \($0)" } ?? ""
        lines.append(("host", "\(dispatch.host): \(dispatch.reason)\(entry)"))
        if !dispatch.foldHosts.isEmpty {
            let source = dispatch.foldHostsEntry.map { "fold_hosts at \($0)" } ?? "default fold_hosts"
            let folding = dispatch.foldedLabels.isEmpty ? "\(dispatch.foldedHost), nothing to fold"
                : "\(dispatch.host) → \(dispatch.foldedHost), dropped \(dispatch.foldedLabels.map { "'\($0).'" }.joined(separator: " "))"
            lines.append(("folded", "\(folding)  (\(source): \(dispatch.foldHosts.joined(separator: ", ")))"))
        }
        lines.append(("bucket", dispatch.bucket))
        return lines
    }

    private static func describe(_ parameter: ParameterStep) -> String {
        let entry = parameter.entry.map { "'\($0)'" + (parameter.entryLocation.map { " at \($0)" } ?? "") } ?? ""
        switch parameter.fate {
        case .kept: return "kept"
        case .strippedGlobal: return "stripped: a tracker on every site, \(entry)"
        case .strippedPlatform: return "stripped: a tracker on this platform, \(entry)"
        }
    }

    private static func word(_ outcome: RuleAttempt.Outcome) -> String {
        switch outcome {
        case .matched: "MATCH"
        case .noMatch: "no match"
        case .gaveUp: "GAVE UP"
        case .notTried: "not tried"
        }
    }

    static func duration(_ nanoseconds: Int) -> String {
        nanoseconds < 10_000 ? "\(nanoseconds) ns" : "\(Double(nanoseconds / 100) / 10) µs"
    }

    private static let labelWidth = 12

    private static func label(_ text: String) -> String { text.padded(to: labelWidth) }

    private static func render(_ lines: [(String, String)]) -> String {
        lines.map { label($0.0) + $0.1 + "\n" }.joined()
    }
}

extension String {
    /// The string padded with spaces to at least `width` characters.
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
