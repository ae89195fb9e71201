import Foundation
import Synchronization

/// Checks whether reported content is still up, many items at once, with
/// libcurl's multi interface driven from one thread of its own.
///
/// Results arrive as an async sequence in completion order. Ending the
/// iteration early (or cancelling the task that iterates) stops the run.
public final class LivenessChecker: LivenessChecking {
    public let rules: RuleSet
    public let options: LivenessOptions
    private let lastStatistics = Mutex(LivenessStatistics())

    /// A checker with these rules and options; options that cannot work are
    /// refused here with a `LivenessOptionsError`. (Untyped `throws`: Swift
    /// 6.3's optimiser crashes on a typed-throws call across modules in a
    /// release build.)
    public init(rules: RuleSet, options: LivenessOptions = LivenessOptions()) throws {
        try options.validate()
        self.rules = rules
        self.options = options
    }

    /// The counts of the last run that finished.
    public var statistics: LivenessStatistics { lastStatistics.withLock { $0 } }

    /// The libcurl version the checker runs on.
    public static var libcurlVersion: String { CurlLibrary.version }

    public func check(_ requests: [CheckRequest]) -> AsyncStream<CheckResult> {
        let (stream, continuation) = AsyncStream.makeStream(of: CheckResult.self)
        let control = RunControl()
        continuation.onTermination = { _ in control.cancel() }
        let rules = self.rules
        let options = self.options
        let checker = self
        let thread = Thread {
            let report: @Sendable (LivenessStatistics) -> Void = { counts in checker.lastStatistics.withLock { $0 = counts } }
            guard let run = CheckRun(rules: rules, options: options, continuation: continuation, control: control, report: report) else {
                for request in requests {
                    continuation.yield(CheckResult(key: request.key, url: request.url, verdict: .error,
                                                   reason: "libcurl could not be started", elapsedMilliseconds: 0, attempts: 0))
                }
                continuation.finish()
                return
            }
            run.run(requests)
        }
        thread.name = "urltriage.liveness"
        thread.start()
        return stream
    }
}
