import Dispatch
import Foundation

/// Runs verdicts off the engine's thread: matching body signatures over up
/// to 256 KiB per page is the expensive part of a check, and the thread
/// that drives libcurl must not stall on it.
final class JudgePool: Sendable {
    private let lanes: [JudgeLane]
    private let group = DispatchGroup()

    init(lanes count: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)) {
        lanes = (0..<count).map { JudgeLane(label: "urltriage.judge.\($0)") }
    }

    /// Judges on lane `lane` (any number; taken modulo the lane count) and hands the result to `deliver`.
    func submit(_ input: JudgeInput, lane: Int, deliver: @escaping @Sendable (CheckResult) -> Void) {
        let chosen = lanes[lane % lanes.count]
        chosen.queue.async(group: group) {
            deliver(chosen.judge.judge(input))
        }
    }

    /// Blocks until every submitted verdict is delivered.
    func waitUntilIdle() { group.wait() }
}

/// A serial queue with its own judge.
///
/// `@unchecked Sendable`: `judge` (which owns PCRE2 match state) is used only
/// from `queue`, which is serial.
final class JudgeLane: @unchecked Sendable {
    let queue: DispatchQueue
    let judge = VerdictJudge()

    init(label: String) { queue = DispatchQueue(label: label) }
}
