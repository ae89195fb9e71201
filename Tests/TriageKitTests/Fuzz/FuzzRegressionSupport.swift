import Foundation

/// What a thread hands back to the test waiting for it.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Runs `body` on a thread of its own and waits up to `seconds` for it: a
/// regression test for a hang then fails instead of hanging the suite (the
/// stuck thread is left to spin until the test process ends).
func finishes<T>(within seconds: Double, _ body: @escaping @Sendable () -> T) -> T? {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        box.value = body()
        done.signal()
    }
    guard done.wait(timeout: .now() + seconds) == .success else { return nil }
    return box.value
}
