internal import CCurl

/// Drives libcurl's multi handle: waits for socket activity or a deadline
/// and lets libcurl act on it. Used only on the engine's thread.
protocol EventLoop: AnyObject {
    /// Waits up to `maxWait` nanoseconds for activity, then lets libcurl act
    /// on whatever happened. Completed transfers are read afterwards with
    /// `curl_multi_info_read`.
    func wait(maxWait: UInt64)
    /// A function another thread may call to end a `wait` early.
    var wakeup: Wakeup { get }
    /// Releases the loop's own resources (not the multi handle).
    func close()
}

/// Ends an event loop's wait from another thread.
struct Wakeup: Sendable {
    let signal: @Sendable () -> Void
}

/// Builds the event loop a run asked for.
enum EventLoops {
    static func make(_ kind: EventLoopKind, multi: UnsafeMutableRawPointer) -> any EventLoop {
        #if os(Linux)
        if kind == .socketAction, let loop = SocketActionLoop(multi: multi) { return loop }
        #endif
        return PollLoop(multi: multi)
    }
}

/// `curl_multi_poll` then `curl_multi_perform`: portable and simple; each
/// wake-up costs time in proportion to the transfers in flight.
final class PollLoop: EventLoop {
    private let multi: UnsafeMutableRawPointer
    let wakeup: Wakeup

    init(multi: UnsafeMutableRawPointer) {
        self.multi = multi
        let handle = MultiHandleReference(multi: multi)
        wakeup = Wakeup { handle.wake() }
    }

    func wait(maxWait: UInt64) {
        var ready: Int32 = 0
        // libcurl shortens the wait to its own next timeout.
        curl_multi_poll(multi, nil, 0, Int32(clamping: max(maxWait / 1_000_000, 0)), &ready)
        var running: Int32 = 0
        curl_multi_perform(multi, &running)
    }

    func close() {}
}

/// The multi handle, for `curl_multi_wakeup` from another thread.
///
/// `@unchecked Sendable`: libcurl documents `curl_multi_wakeup` as safe to
/// call from any thread, and the run clears its wake-up before the handle is freed.
struct MultiHandleReference: @unchecked Sendable {
    let multi: UnsafeMutableRawPointer
    func wake() { curl_multi_wakeup(multi) }
}
