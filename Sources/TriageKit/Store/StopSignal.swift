import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A request to stop long work cleanly: set by SIGTERM or SIGINT (or by a test),
/// read by the work between steps.
///
/// `recheck` and `watch` finish the transaction in hand, record the run as
/// stopped and release their lock; a second signal ends the process at once
/// (SQLite rolls back whatever was not committed).
public final class StopSignal: Sendable {
    private let reason = Mutex<String?>(nil)
    private let wakeUp = DispatchSemaphore(value: 0)
    /// The signal sources must live as long as the handlers should run.
    private let sources = Mutex<[any DispatchSourceSignal]>([])

    public init() {}

    /// A stop signal set by SIGTERM and SIGINT, which no longer end the process by themselves.
    public static func onTerminationSignals() -> StopSignal {
        let stop = StopSignal()
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let name = number == SIGTERM ? "SIGTERM" : "SIGINT"
            stop.sources.withLock { sources in
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [stop] in
                    if stop.isRequested {
                        // Asked twice: the person (or systemd) does not want to wait.
                        _exit(128 + number)
                    }
                    stop.request(reason: name)
                }
                source.resume()
                sources.append(source)
            }
        }
        return stop
    }

    /// Asks the work to stop; `reason` is recorded (`SIGTERM`, `SIGINT` …).
    public func request(reason text: String) {
        let first = reason.withLock { current -> Bool in
            guard current == nil else { return false }
            current = text
            return true
        }
        guard first else { return }
        wakeUp.signal()
        action.withLock { $0 }?()
    }

    /// Sets what to run when a stop is asked for (at once if it already was), replacing the
    /// last one; nil clears it. Work that waits on something slow (checks on a slow network)
    /// stops waiting instead of finishing first.
    public func whenRequested(_ newAction: (@Sendable () -> Void)?) {
        action.withLock { $0 = newAction }
        if isRequested { newAction?() }
    }

    private let action = Mutex<(@Sendable () -> Void)?>(nil)

    /// True once a stop was asked for.
    public var isRequested: Bool { reason.withLock { $0 != nil } }

    /// Why the work was asked to stop, if it was.
    public var stopReason: String? { reason.withLock { $0 } }

    /// Waits `seconds`, or less when a stop is asked for; returns true when it was.
    public func sleep(seconds: Double) -> Bool {
        if isRequested { return true }
        if wakeUp.wait(timeout: .now() + seconds) == .success {
            // Leave the semaphore signalled for any other sleeper.
            wakeUp.signal()
        }
        return isRequested
    }
}
