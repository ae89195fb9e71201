#if os(Linux)
internal import CCurl
import Glibc

/// libcurl's socket-action interface over epoll.
///
/// Why this is the default: libcurl tells us which sockets it wants watched
/// and we tell it which socket became ready, so one wake-up costs time in
/// proportion to the events, not to the transfers in flight. With
/// `curl_multi_poll` every wake-up walks every transfer, which shows once
/// thousands are in flight (see BENCHMARKS.md, "Liveness").
final class SocketActionLoop: EventLoop {
    private let multi: UnsafeMutableRawPointer
    private let epoll: Int32
    private let eventFD: Int32
    /// Sockets registered with epoll, to choose between add and modify.
    private var watched = Set<Int32>()
    /// When libcurl wants `CURL_SOCKET_TIMEOUT`, on the monotonic clock; nil for never.
    private var deadline: UInt64?
    let wakeup: Wakeup
    private var fds = [Int32](repeating: 0, count: 256)
    private var events = [UInt32](repeating: 0, count: 256)

    init?(multi: UnsafeMutableRawPointer) {
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { return nil }
        let eventFD = ccurl_eventfd()
        guard eventFD >= 0 else {
            Glibc.close(epoll)
            return nil
        }
        self.multi = multi
        self.epoll = epoll
        self.eventFD = eventFD
        wakeup = Wakeup { ccurl_eventfd_signal(eventFD) }
        _ = ccurl_epoll_control(epoll, EPOLL_CTL_ADD, eventFD, EPOLLIN.rawValue)
        let me = Unmanaged.passUnretained(self).toOpaque()
        ccurl_multi_setopt_socket_function(multi, Self.socketCallback)
        ccurl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
        ccurl_multi_setopt_timer_function(multi, Self.timerCallback)
        ccurl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)
    }

    /// Closes the descriptors; call after `curl_multi_cleanup`, which still
    /// reports its sockets' removal through the callbacks.
    func close() {
        Glibc.close(eventFD)
        Glibc.close(epoll)
    }

    func wait(maxWait: UInt64) {
        let now = MonotonicTime.now()
        var waitNanoseconds = maxWait
        if let deadline { waitNanoseconds = deadline > now ? min(maxWait, deadline - now) : 0 }
        // Round up, so a deadline 0.3 ms away does not spin.
        let timeout = Int32(clamping: (waitNanoseconds + 999_999) / 1_000_000)
        let count = ccurl_epoll_wait(epoll, &fds, &events, Int32(fds.count), timeout)
        var running: Int32 = 0
        if count > 0 {
            for index in 0..<Int(count) {
                let fd = fds[index]
                if fd == eventFD {
                    ccurl_eventfd_drain(eventFD)
                    continue
                }
                let event = events[index]
                var mask: Int32 = 0
                if event & EPOLLIN.rawValue != 0 { mask |= CURL_CSELECT_IN }
                if event & EPOLLOUT.rawValue != 0 { mask |= CURL_CSELECT_OUT }
                if event & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 { mask |= CURL_CSELECT_ERR }
                curl_multi_socket_action(multi, fd, mask, &running)
            }
        }
        if let deadline, deadline <= MonotonicTime.now() {
            self.deadline = nil
            curl_multi_socket_action(multi, ccurl_socket_timeout, 0, &running)
        }
    }

    // MARK: - Callbacks

    /// libcurl says which events it wants on a socket, or that it is done with it.
    private static let socketCallback: ccurl_socket_callback = { _, socket, what, userp, _ in
        guard let userp else { return 0 }
        let loop = Unmanaged<SocketActionLoop>.fromOpaque(userp).takeUnretainedValue()
        if what == CURL_POLL_REMOVE {
            if loop.watched.remove(socket) != nil { _ = ccurl_epoll_control(loop.epoll, EPOLL_CTL_DEL, socket, 0) }
            return 0
        }
        var events: UInt32 = 0
        if what == CURL_POLL_IN || what == CURL_POLL_INOUT { events |= EPOLLIN.rawValue }
        if what == CURL_POLL_OUT || what == CURL_POLL_INOUT { events |= EPOLLOUT.rawValue }
        let operation = loop.watched.contains(socket) ? EPOLL_CTL_MOD : EPOLL_CTL_ADD
        if ccurl_epoll_control(loop.epoll, operation, socket, events) == 0 {
            loop.watched.insert(socket)
        } else if operation == EPOLL_CTL_MOD {
            // The descriptor number was closed and reused behind our back; register it afresh.
            if ccurl_epoll_control(loop.epoll, EPOLL_CTL_ADD, socket, events) == 0 { loop.watched.insert(socket) }
        }
        return 0
    }

    /// libcurl says when it next needs `CURL_SOCKET_TIMEOUT`; -1 means no timer.
    private static let timerCallback: ccurl_timer_callback = { _, milliseconds, userp in
        guard let userp else { return 0 }
        let loop = Unmanaged<SocketActionLoop>.fromOpaque(userp).takeUnretainedValue()
        loop.deadline = milliseconds < 0 ? nil : MonotonicTime.now() + UInt64(milliseconds) * 1_000_000
        return 0
    }
}
#endif
