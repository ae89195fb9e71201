import Synchronization

/// Lets the consumer of a check's results stop it from another thread.
final class RunControl: Sendable {
    private struct State {
        var cancelled = false
        var wakeup: Wakeup?
    }
    private let state = Mutex(State())

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Stops the run at its next turn, waking its event loop if it is waiting.
    func cancel() {
        state.withLock { state in
            state.cancelled = true
            state.wakeup?.signal()
        }
    }

    /// The run's wake-up while its event loop exists; nil once it is gone.
    func attach(_ wakeup: Wakeup?) {
        state.withLock { $0.wakeup = wakeup }
    }
}
