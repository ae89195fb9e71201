internal import CPCRE2
import Synchronization

/// A PCRE2 pattern compiled once, JIT-compiled where the platform allows on
/// its first match, and shared between threads.
///
/// PCRE2 documents compiled code (including its JIT code) as safe to use from
/// several threads at once; all per-match state lives in `MatchScratch`.
/// JIT compilation is the one write to the compiled code after it is made, so
/// it happens once, under a lock, before any match of the pattern runs; the
/// literal filter is read off the pattern in the same step. A `rules explain`
/// of one URL then prepares the few patterns it tries instead of every
/// pattern of every platform (a fifth of its start-up).
public final class Pattern: @unchecked Sendable {
    /// Options a rule file can ask for.
    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Match letters regardless of case.
        public static let caseless = Options(rawValue: PCRE2_CASELESS)
        /// Treat pattern and subjects as UTF-8 (the subject must be valid UTF-8).
        public static let utf = Options(rawValue: PCRE2_UTF)
    }

    /// The pattern text as the rule author wrote it.
    public let source: String
    /// Named capture groups and their group numbers. A name may stand for
    /// several groups (one per alternative): the first that took part wins.
    public let groupNumbers: [String: [Int]]
    /// How many capture groups the pattern has (not counting group 0).
    public let captureCount: Int
    /// Whether PCRE2 JIT-compiled the pattern (it does so now if it has not yet).
    public var isJITCompiled: Bool {
        let mode = matchMode()
        return mode == Self.jitFastPath || mode == Self.jitThroughMatch
    }
    /// The compiled code. Match it only after `matchMode()` (or `isJITCompiled`) has
    /// returned: before that, another thread may be JIT-compiling it.
    let code: OpaquePointer
    let options: Options
    /// How a match runs: 0 until the first match has JIT-compiled the pattern (or found it
    /// cannot be), then one of the modes below; written once under `jitLock`.
    private let mode = Atomic<UInt8>(0)
    private let jitLock = Mutex<Void>(())
    /// Text every match contains (see `LiteralFilter`), read off the pattern with the JIT
    /// step; written once under `jitLock` before `mode` is set, only read after.
    private(set) nonisolated(unsafe) var literalFilter = LiteralFilter.none
    /// JIT-compiled and not in UTF mode: `pcre2_jit_match` may be called directly.
    static let jitFastPath: UInt8 = 1
    /// JIT-compiled in UTF mode: `pcre2_match` checks the subject, then runs the JIT code.
    static let jitThroughMatch: UInt8 = 2
    /// No JIT (the platform or the pattern does not allow it): the interpreter.
    static let interpreter: UInt8 = 3

    /// Compiles `source`; the error names the offset inside the pattern.
    public init(_ source: String, options: Options = []) throws(PatternError) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let compiled: OpaquePointer? = source.withCString { cString in
            cString.withMemoryRebound(to: UInt8.self, capacity: source.utf8.count) {
                pcre2_compile_8($0, source.utf8.count, options.rawValue | PCRE2_DUPNAMES, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw PatternError(pattern: source, offset: errorOffset, message: Self.message(for: errorCode))
        }
        self.code = compiled
        self.source = source
        self.options = options
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.captureCount = Int(count)
        self.groupNumbers = Self.readNameTable(compiled)
    }

    deinit {
        pcre2_code_free_8(code)
        literalFilter.deallocate()
    }

    /// How this pattern's matches run, JIT-compiling it first if no match has yet.
    @inline(__always)
    func matchMode() -> UInt8 {
        let current = mode.load(ordering: .acquiring)
        return current != 0 ? current : compileJIT()
    }

    @inline(never)
    private func compileJIT() -> UInt8 {
        jitLock.withLock { _ in
            let current = mode.load(ordering: .acquiring)
            if current != 0 { return current }
            // JIT is an accelerator, not a requirement: without it the
            // interpreter still honours the same match limits.
            let compiled = pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE) == 0
            let filter = LiteralFilter(pattern: self)
            literalFilter.deallocate()
            literalFilter = filter
            let chosen = !compiled ? Self.interpreter : options.contains(.utf) ? Self.jitThroughMatch : Self.jitFastPath
            mode.store(chosen, ordering: .releasing)
            return chosen
        }
    }

    /// Runs the pattern over `subject`; on a match the capture ranges are in `scratch`.
    ///
    /// Throws when the match or depth limit is hit, so that a pathological
    /// rule costs one URL an error instead of hanging the batch.
    public func matches(_ subject: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) throws(MatchLimitError) -> Bool {
        switch match(subject, scratch: scratch) {
        case .match: return true
        case .noMatch: return false
        case .gaveUp(let error): throw error
        }
    }

    /// What one match attempt gave.
    enum Outcome {
        case match
        case noMatch
        case gaveUp(MatchLimitError)
    }

    /// The same as `matches`, without throwing: the classifier's loop calls it
    /// once per rule tried, and a plain result keeps that loop cheap.
    func match(_ subject: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> Outcome {
        let rc = bare.match(subject, matchData: scratch.matchData, context: scratch.context)
        if rc >= 0 { return .match }
        if rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL { return .noMatch }
        switch rc {
        case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT, PCRE2_ERROR_JIT_STACKLIMIT:
            return .gaveUp(MatchLimitError(pattern: source, message: Self.message(for: rc)))
        default:
            return .gaveUp(MatchLimitError(pattern: source, message: "PCRE2 match failed: \(Self.message(for: rc))"))
        }
    }

    /// The compiled code without the object around it, for the classifier's hot loop.
    var bare: BarePattern { BarePattern(code: code, owner: Unmanaged.passUnretained(self)) }

    /// Convenience for tests and tools: matches a Swift string.
    public func matches(_ subject: String, scratch: MatchScratch) throws(MatchLimitError) -> Bool {
        let bytes = Array(subject.utf8)
        let outcome: Result<Bool, MatchLimitError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(MatchLimitError) -> Bool in try matches(buffer, scratch: scratch) }
        }
        return try outcome.get()
    }

    // MARK: - Helpers

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }

    /// Reads PCRE2's name table: entries of a 2-byte group number then a NUL-terminated name.
    private static func readNameTable(_ code: OpaquePointer) -> [String: [Int]] {
        var nameCount: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>?
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &nameCount)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard let table, nameCount > 0 else { return [:] }
        var names: [String: [Int]] = [:]
        for entry in 0..<Int(nameCount) {
            let start = table + entry * Int(entrySize)
            let number = Int(start[0]) << 8 | Int(start[1])
            var length = 0
            while length < Int(entrySize) - 2, start[2 + length] != 0 { length += 1 }
            names[String(decoding: UnsafeBufferPointer(start: start + 2, count: length), as: UTF8.self), default: []].append(number)
        }
        return names
    }
}

/// A compiled pattern as plain values: what the classifier's hot loop
/// copies around without counting references. Valid while its `Pattern` lives.
struct BarePattern {
    let code: OpaquePointer
    /// The pattern, for its match mode (one atomic load a match once JIT-compiled).
    let owner: Unmanaged<Pattern>

    /// PCRE2's return code for one match of the whole subject: above 0 on a
    /// match, `PCRE2_ERROR_NOMATCH` on none, another negative code when a limit was hit.
    @inline(__always)
    func match(_ subject: UnsafeBufferPointer<UInt8>, matchData: OpaquePointer, context: OpaquePointer) -> Int32 {
        let mode = owner._withUnsafeGuaranteedRef { $0.matchMode() }
        guard let base = subject.baseAddress else {
            // PCRE2 10.42 refuses a NULL subject even when it is empty.
            var empty: UInt8 = 0
            return pcre2_match_8(code, &empty, 0, 0, 0, matchData, context)
        }
        // The JIT entry skips pcre2_match's argument checks; safe when the
        // pattern is not in UTF mode, where no subject can be invalid.
        return mode == Pattern.jitFastPath
            ? pcre2_jit_match_8(code, base, subject.count, 0, 0, matchData, context)
            : pcre2_match_8(code, base, subject.count, 0, 0, matchData, context)
    }

    /// False when `subject` cannot match (it lacks text every match contains); true when it might.
    @inline(__always)
    func admits(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        owner._withUnsafeGuaranteedRef { pattern in
            _ = pattern.matchMode()
            return pattern.literalFilter.admits(subject)
        }
    }

    static var noMatch: Int32 { PCRE2_ERROR_NOMATCH }
}

/// Per-thread state for matching: PCRE2 match data, match context with
/// limits, and a JIT stack. Not shared between threads.
public final class MatchScratch {
    /// The default cap on backtracking steps: generous for URL rules (which
    /// take a few hundred), small enough that a runaway pattern fails in
    /// about a millisecond.
    public static let defaultMatchLimit: UInt32 = 100_000
    /// The default cap on nested backtracking depth (interpreter only).
    public static let defaultDepthLimit: UInt32 = 1_000

    let matchData: OpaquePointer
    let context: OpaquePointer
    /// The match data's offset pairs; PCRE2 keeps them at the same address for its life.
    let ovector: UnsafeMutablePointer<Int>
    /// How many offset pairs the match data holds.
    static let pairs = 64
    /// PCRE2's mark for a group that took no part in the match.
    static var unset: Int { cpcre2_unset() }
    let jitStack: OpaquePointer?

    public init(matchLimit: UInt32 = MatchScratch.defaultMatchLimit, depthLimit: UInt32 = MatchScratch.defaultDepthLimit) {
        // 64 pairs covers every capture group a URL rule uses; more are ignored.
        // Allocation failure of a few hundred bytes is not recoverable here.
        matchData = pcre2_match_data_create_8(UInt32(Self.pairs), nil)!
        ovector = pcre2_get_ovector_pointer_8(matchData)!
        context = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(context, matchLimit)
        pcre2_set_depth_limit_8(context, depthLimit)
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 512 * 1024, nil)
        if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }

    /// The byte range of capture `group` in the last successful match, or nil if it did not take part.
    public func range(of group: Int) -> Range<Int>? { Self.range(of: group, in: ovector) }

    /// The same, read from a match data's offset pairs (the classifier keeps the pointer).
    @inline(__always)
    static func range(of group: Int, in ovector: UnsafeMutablePointer<Int>) -> Range<Int>? {
        guard group < pairs else { return nil }
        let start = ovector[2 * group]
        let end = ovector[2 * group + 1]
        guard start != unset, end >= start else { return nil }
        return start..<end
    }
}

/// A pattern that does not compile, with the offset inside the pattern.
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var pattern: String
    /// 0-based byte offset inside the pattern where PCRE2 gave up.
    public var offset: Int
    public var message: String
    public var description: String { "\(message) at offset \(offset) in pattern '\(pattern)'" }
}

/// A match that ran into PCRE2's match, depth or JIT stack limit.
public struct MatchLimitError: Error, Sendable, Equatable, CustomStringConvertible {
    public var pattern: String
    public var message: String
    public var description: String { "pattern '\(pattern)' gave up: \(message)" }
}
