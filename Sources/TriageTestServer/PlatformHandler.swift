import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Answers HTTP requests as the `PlatformWorld` says, and tells the
/// counters what it sees.
final class PlatformHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let world: PlatformWorld
    private let counters: ServerCounters
    private var head: HTTPRequestHead?
    /// The host of the connection's first request, which the connection is counted against.
    private var connectionHost: String?
    /// The host of the request being answered, until its answer is on its way.
    private var openRequest: String?
    /// The largest body the endless answer sends before giving up by itself.
    private static let endlessLimit = 512 * 1024 * 1024
    private static let chunk = 16 * 1024

    init(world: PlatformWorld, counters: ServerCounters) {
        self.world = world
        self.counters = counters
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            let host = Self.hostName(head.headers.first(name: "host") ?? "")
            if connectionHost == nil {
                connectionHost = host
                counters.connectionOpened(host: host)
            }
            var request = ImitatedRequest(host: host, method: head.method.rawValue, uri: head.uri)
            request.earlier = counters.requestStarted(host: host, path: request.path, method: request.method)
            openRequest = host
            perform(world.behaviour(for: request), context: context, head: head)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        answered()
        if let connectionHost { counters.connectionClosed(host: connectionHost) }
        connectionHost = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: - Behaviours

    private func perform(_ behaviour: Behaviour, context: ChannelHandlerContext, head: HTTPRequestHead) {
        switch behaviour {
        case .respond(let status, let headers, let body):
            respond(status, headers: headers, body: body, context: context, head: head)
        case .delayed(let delay, let inner):
            context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
                guard context.channel.isActive else { return }
                self.perform(inner, context: context, head: head)
            }
        case .drip(let interval):
            writeStreamingHead(context: context, head: head)
            drip(context: context, interval: interval)
        case .endless:
            writeStreamingHead(context: context, head: head)
            pump(context: context, sent: 0)
        case .silent:
            break
        case .reset:
            answered()
            // SO_LINGER 0 makes close() send RST instead of FIN.
            let provider = context.channel as? any SocketOptionProvider
            if let provider {
                provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
        }
    }

    private func respond(_ status: HTTPResponseStatus, headers pairs: [(String, String)], body: String,
                         context: ChannelHandlerContext, head: HTTPRequestHead) {
        var headers = HTTPHeaders(pairs)
        let bytes = context.channel.allocator.buffer(string: body)
        headers.replaceOrAdd(name: "content-length", value: String(bytes.readableBytes))
        if !head.isKeepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
        // Counted as answered before the first byte leaves, so the server
        // never sees more requests open than the client has in flight.
        answered()
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if head.method != .HEAD && bytes.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(bytes))), promise: nil)
            if let connectionHost { counters.sent(bodyBytes: bytes.readableBytes, host: connectionHost) }
        }
        let keepAlive = head.isKeepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }

    private func writeStreamingHead(context: ChannelHandlerContext, head: HTTPRequestHead) {
        var headers = HTTPHeaders([("content-type", "text/html")])
        headers.add(name: "transfer-encoding", value: "chunked")
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
    }

    /// One byte per interval until the client gives up.
    private func drip(context: ChannelHandlerContext, interval: TimeAmount) {
        context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
            guard context.channel.isActive else { return }
            context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: "x")))), promise: nil)
            if let host = self.connectionHost { self.counters.sent(bodyBytes: 1, host: host) }
            self.drip(context: context, interval: interval)
        }
    }

    /// Chunk after chunk, each once the last is written, until the client closes.
    private func pump(context: ChannelHandlerContext, sent: Int) {
        guard context.channel.isActive, sent < Self.endlessLimit else { return }
        let buffer = context.channel.allocator.buffer(repeating: UInt8(ascii: "a"), count: Self.chunk)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer)))).assumeIsolated().whenComplete { result in
            guard case .success = result else { return }
            if let host = self.connectionHost { self.counters.sent(bodyBytes: Self.chunk, host: host) }
            // Through the event loop, so a socket that is always writable does not grow the stack.
            context.eventLoop.assumeIsolated().execute { self.pump(context: context, sent: sent + Self.chunk) }
        }
    }

    private func answered() {
        if let openRequest { counters.requestEnded(host: openRequest) }
        openRequest = nil
    }

    /// `Example.COM:8443` → `example.com`; `[::1]:80` → `::1`.
    static func hostName(_ header: String) -> String {
        let lowered = header.lowercased()
        if lowered.hasPrefix("["), let close = lowered.firstIndex(of: "]") {
            return String(lowered[lowered.index(after: lowered.startIndex)..<close])
        }
        return String(lowered.prefix { $0 != ":" })
    }
}
