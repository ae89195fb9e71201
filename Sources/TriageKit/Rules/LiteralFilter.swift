#if canImport(Glibc)
import Glibc
#endif

/// Text that every match of a pattern must contain, read off the pattern
/// once, so that the classifier can pass over a rule without calling PCRE2
/// when the path lacks it: a TikTok photo URL is tried against the video rule
/// first, and `/video/` is not in it.
///
/// Only what the pattern's top level spells out letter by letter counts: the
/// literal run right after `^` (a prefix) and the longest other literal run (a
/// substring). Anything less plain (option settings, alternation at the top,
/// `\0` escapes, control characters) and the filter admits every subject, so
/// it can only ever skip rules PCRE2 would not match. Raw memory the owning
/// rule frees, so the hot loop reads it without counting references.
struct LiteralFilter: @unchecked Sendable {
    let prefix: UnsafeBufferPointer<UInt8>
    let required: UnsafeBufferPointer<UInt8>

    /// A filter that admits every subject. It owns no memory: a `Pattern` holds it until its
    /// first match, and a pattern that fails to compile throws from `init` without running
    /// `deinit`, so memory here would leak (the rules fuzzer found 2 bytes per bad pattern).
    static let none = LiteralFilter(empty: ())

    private init(empty: Void) {
        prefix = UnsafeBufferPointer(start: nil, count: 0)
        required = UnsafeBufferPointer(start: nil, count: 0)
    }

    init(pattern: Pattern) {
        let (prefix, required) = Self.literals(of: pattern.source, caseless: pattern.options.contains(.caseless))
        self.init(prefix: prefix, required: required)
    }

    private init(prefix: [UInt8], required: [UInt8]) {
        self.prefix = .owning(prefix)
        self.required = .owning(required)
    }

    func deallocate() {
        prefix.freeOwned()
        required.freeOwned()
    }

    /// False when `subject` cannot match the pattern; true when it might.
    @inline(__always)
    func admits(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        if !prefix.isEmpty {
            guard subject.count >= prefix.count, memcmp(subject.baseAddress!, prefix.baseAddress!, prefix.count) == 0 else { return false }
        }
        return required.isEmpty || Self.contains(subject, required)
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = haystack.baseAddress, haystack.count >= needle.count else { return false }
        // Where the needle can still start: up to `last` inclusive.
        let last = haystack.count - needle.count
        var start = ByteSearch.offset(of: needle[0], in: haystack, from: 0, to: last + 1)
        while start <= last {
            if memcmp(base + start, needle.baseAddress!, needle.count) == 0 { return true }
            start = ByteSearch.offset(of: needle[0], in: haystack, from: start + 1, to: last + 1)
        }
        return false
    }

    // MARK: - Reading the pattern

    /// The anchored prefix and the longest other literal run at the pattern's top level.
    static func literals(of source: String, caseless: Bool) -> (prefix: [UInt8], required: [UInt8]) {
        // `\0` starts an octal escape the sketch reads as NUL and then digits.
        guard !caseless, !containsNULEscape(source), let sketch = RegexSketch.parse(source), !sketch.setsOptions else { return ([], []) }
        let items: [RegexSketch]
        switch sketch {
        case .sequence(let sequence): items = sequence
        case .alternation: return ([], [])
        default: items = [sketch]
        }
        var runs: [[UInt8]] = []
        var current: [UInt8] = []
        var prefixRun: Int?
        var afterStartAnchor = false
        for (position, item) in items.enumerated() {
            if case .literal(let character) = item, character.isASCII, let byte = character.asciiValue, byte > 0x20, byte < 0x7F {
                if current.isEmpty && afterStartAnchor { prefixRun = runs.count }
                current.append(byte)
                continue
            }
            if !current.isEmpty { runs.append(current) }
            current = []
            afterStartAnchor = position == 0 && (item == .anchor("^") || item == .anchor("\\A"))
        }
        if !current.isEmpty { runs.append(current) }
        let prefix = prefixRun.map { runs[$0] } ?? []
        let others = runs.indices.filter { $0 != prefixRun }.map { runs[$0] }
        return (prefix, others.max { $0.count < $1.count } ?? [])
    }
}

extension LiteralFilter {
    /// Whether the pattern holds `\0`, compared on bytes for ASCII patterns (Foundation's search
    /// was a few percent of loading the rules) and by characters otherwise, as before.
    static func containsNULEscape(_ source: String) -> Bool {
        let bytes = source.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return source.contains("\\0") }
        var previous: UInt8 = 0
        for byte in bytes {
            if previous == UInt8(ascii: "\\") && byte == UInt8(ascii: "0") { return true }
            previous = byte
        }
        return false
    }
}

extension RegexSketch {
    /// Whether the pattern sets options anywhere (`(?i)`, `(?x:…)` …), which may change what its literals match.
    var setsOptions: Bool {
        switch self {
        case .options: true
        case .group(let inner, let kind): kind == .withOptions || inner.setsOptions
        case .sequence(let items): items.contains { $0.setsOptions }
        case .alternation(let branches): branches.contains { $0.setsOptions }
        case .repetition(let inner, _, _, _): inner.setsOptions
        case .literal, .atom, .anchor, .backreference: false
        }
    }
}
