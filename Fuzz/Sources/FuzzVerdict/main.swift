// The verdict judge over arbitrary answers: a status, header lines (through
// the transfer's own header callback) and body bytes (through its write
// callback, with the body cap), judged against the project's liveness rules;
// and the retry policy's reading of the same answer. Properties: the reason
// never quotes the body, the body kept never exceeds the cap, and a wait the
// server asks for never goes past the cap.
import FuzzSupport
import Foundation
@testable import TriageKit

/// The project's rules directory: URLTRIAGE_RULES, else `rules/` of this checkout.
let rules: RuleSet = {
    let directory = ProcessInfo.processInfo.environment["URLTRIAGE_RULES"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules").path
    do {
        return try RuleSet.load(from: directory)
    } catch {
        fatalError("cannot load the rules in \(directory): \(error)")
    }
}()
/// The platforms with liveness signatures, and nil for a page without any.
let platforms: [PlatformRules?] = rules.platforms.filter { $0.liveness != nil } + [nil]
let options: LivenessOptions = {
    var options = LivenessOptions()
    options.maxBodyBytes = 4096
    return options
}()
// libFuzzer calls a target from one thread only, so per-thread state can be global.
nonisolated(unsafe) let settings = TransferSettings(options: options)
nonisolated(unsafe) let judge = VerdictJudge()
let failures: [TransferFailure] = [.dns, .refused, .connect, .timeout, .tls, .tooManyRedirects, .scheme, .reset, .proxy, .other(56)]
let now = 1_795_262_400

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVerdict(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    guard bytes.count >= 3 else { return 0 }
    let option = Int(bytes[0])
    let status = Int(bytes[1]) << 8 | Int(bytes[2])
    let (head, body) = split(UnsafeBufferPointer(rebasing: bytes[3...]), at: 0)

    guard let transfer = Transfer(settings: settings) else { fatalError("curl_easy_init failed") }
    var lineStart = head.startIndex
    for index in head.indices where head[index] == 0x0A || index == head.endIndex - 1 {
        let line = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: index + 1 - lineStart)
        _ = line.initialize(from: head[lineStart...index])
        line.withMemoryRebound(to: CChar.self) { chars in
            _ = Transfer.headerCallback(chars.baseAddress, 1, chars.count, transfer.opaque)
        }
        line.deallocate()
        lineStart = index + 1
    }
    // The body in two pieces, as libcurl hands it over in pieces.
    let half = body.count / 2
    for piece in [body[..<(body.startIndex + half)], body[(body.startIndex + half)...]] where !piece.isEmpty {
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: piece.count)
        _ = chunk.initialize(from: piece)
        let taken = chunk.withMemoryRebound(to: CChar.self) { chars in
            Transfer.writeCallback(chars.baseAddress, 1, chars.count, transfer.opaque)
        }
        chunk.deallocate()
        if taken != piece.count { break }
    }

    var outcome = transfer.outcome(code: .init(rawValue: 0), now: 0)
    require(outcome.body.count <= options.maxBodyBytes, "kept \(outcome.body.count) body bytes over the cap")
    outcome.status = status == 0 ? nil : status
    outcome.redirects = option >> 6
    outcome.finalURL = outcome.location
    if option & 0x20 != 0 {
        outcome.failure = failures[(option & 0x1F) % failures.count]
        outcome.failureMessage = "fuzzed failure"
    }

    let platform = platforms[(option & 0x1F) % platforms.count]
    let request = CheckRequest(key: "k", url: "https://example.com/x", platform: platform?.platform ?? "web", type: "page")
    let slowDown = RetryPolicy(options: options).slowDown(after: outcome, hostBackoff: 0, wallClock: now)
    if let slowDown {
        require(slowDown.wait <= options.retryAfterCap.nanoseconds, "slow-down of \(slowDown.wait) ns is beyond the cap")
    }
    _ = RetryPolicy(options: options).next(after: outcome, attempt: 1, slowDown: slowDown)
    let result = judge.judge(JudgeInput(
        request: request, outcome: outcome, rules: platform, attempts: 1, preface: nil, resolvedKey: nil,
        elapsedMilliseconds: 0, refusedWait: slowDown.flatMap { $0.beyondCap ? $0.askedSeconds : nil }, options: options))

    // Bodies are never written anywhere: the reason may quote the headers, not the body.
    // (Compared as bytes: Foundation's `contains` traps on a needle ending in NUL.)
    let kept = outcome.body
    if kept.count >= 32, !contains(Array(head), kept) {
        require(!contains(Array(result.reason.utf8), kept), "the reason \(quoted(result.reason)) quotes the body")
    }
    require(result.bodyBytes == outcome.body.count, "body of \(outcome.body.count) bytes reported as \(result.bodyBytes)")
    return 0
}
