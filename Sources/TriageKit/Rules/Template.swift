/// A key or canonical-URL template such as `https://www.tiktok.com/@{user}/video/{id}`,
/// split once at load time into literal text and the captures it names.
public struct Template: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        /// A capture, by its slot in the rule's list of capture names.
        case capture(slot: Int)
        /// A capture whose case does not identify the content, lower-cased on expansion.
        case foldedCapture(slot: Int)
        case builtin(Builtin)
    }

    /// Values the engine supplies for every URL, besides a rule's captures.
    enum Builtin: String, Sendable, CaseIterable {
        /// The normalised URL: tracking parameters gone, the rest sorted, no fragment.
        case url
        /// The host after folding (`www.`, `m.` …).
        case host
        /// The normalised path.
        case path
        /// `?` and the kept parameters, or nothing.
        case query
    }

    let segments: [Segment]
    /// The text as written in the rule file.
    public let source: String

    /// Parses `{name}` references; `known` lists the names a rule's patterns
    /// capture, and a name's position there is its slot.
    init(_ source: String, captures known: [String]) throws(TemplateError) {
        var segments: [Segment] = []
        var literal = ""
        var rest = Substring(source)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw TemplateError(message: "'{' without a closing '}' in template '\(source)'")
            }
            let name = String(rest[rest.index(after: open)..<close])
            if !literal.isEmpty { segments.append(.literal(literal)); literal = "" }
            if let slot = known.firstIndex(of: name) {
                segments.append(.capture(slot: slot))
            } else if let builtin = Builtin(rawValue: name) {
                segments.append(.builtin(builtin))
            } else {
                let choices = (known.sorted() + Builtin.allCases.map(\.rawValue)).joined(separator: ", ")
                throw TemplateError(message: "template '\(source)' names '{\(name)}', which the pattern does not capture (captures and built-ins: \(choices))")
            }
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { segments.append(.literal(literal)) }
        self.segments = segments
        self.source = source
    }

    private init(segments: [Segment], source: String) {
        self.segments = segments
        self.source = source
    }

    /// The same template with the captures named in `fold` marked for lower-casing,
    /// decided once at load time instead of per URL.
    func folding(_ fold: Set<Int>) -> Template {
        Template(segments: segments.map { segment in
            if case .capture(let slot) = segment, fold.contains(slot) { return .foldedCapture(slot: slot) }
            return segment
        }, source: source)
    }
}

/// A template that refers to something no pattern captures.
struct TemplateError: Error {
    var message: String
}

/// A template compiled for the batch path: its steps as plain integers and
/// its literal text as bytes, both in memory the owning rule frees.
///
/// Walking `Template.segments` copies each segment out, and each literal's
/// string is retained and released on the way; across two templates a URL
/// that was a dozen reference counts. These steps are trivially copyable.
struct TemplateCode: @unchecked Sendable {
    enum Kind: UInt8 {
        case literal, capture, foldedCapture, url, host, path, query
    }

    struct Step {
        let kind: Kind
        /// The capture slot, for the capture kinds.
        let slot: Int32
        /// Where a literal's bytes are in `literals`.
        let start: Int32
        let count: Int32
    }

    let steps: UnsafeBufferPointer<Step>
    let literals: UnsafeBufferPointer<UInt8>

    /// Compiles `template`, with `prefix` as a literal in front (a key's `platform:type:`).
    init(_ template: Template, prefix: String = "") {
        var steps: [Step] = []
        var literals: [UInt8] = []
        func literal(_ text: String) {
            guard !text.isEmpty else { return }
            steps.append(Step(kind: .literal, slot: 0, start: Int32(literals.count), count: Int32(text.utf8.count)))
            literals.append(contentsOf: text.utf8)
        }
        literal(prefix)
        for segment in template.segments {
            switch segment {
            case .literal(let text): literal(text)
            case .capture(let slot): steps.append(Step(kind: .capture, slot: Int32(slot), start: 0, count: 0))
            case .foldedCapture(let slot): steps.append(Step(kind: .foldedCapture, slot: Int32(slot), start: 0, count: 0))
            case .builtin(let builtin):
                let kind: Kind = switch builtin {
                case .url: .url
                case .host: .host
                case .path: .path
                case .query: .query
                }
                steps.append(Step(kind: kind, slot: 0, start: 0, count: 0))
            }
        }
        self.steps = .owning(steps)
        self.literals = .owning(literals)
    }

    /// Whether the template writes the query (itself or inside the whole URL).
    var readsQuery: Bool { steps.contains { $0.kind == .query || $0.kind == .url } }

    func literal(_ step: Step) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: literals[Int(step.start)..<Int(step.start + step.count)])
    }

    func deallocate() {
        steps.freeOwned()
        literals.freeOwned()
    }
}
