import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A proxy on loopback that writes down every target it is asked for, so
/// tests can assert from the proxy's side which targets never reached it.
///
/// It forwards nothing anywhere: after the proxy handshake it answers as the
/// test server's `PlatformWorld` would, by Host header. The HTTP forward
/// proxy takes absolute-form requests (`GET http://host/path`) and refuses
/// CONNECT tunnels after recording them; the SOCKS5 proxy accepts CONNECT for
/// an IPv4, IPv6 or domain target and then serves HTTP and HTTPS on the tunnel.
public final class TestProxy: Sendable {
    public enum Kind: Sendable {
        case http, socks5
    }

    public let kind: Kind
    public let port: Int
    /// Used for the HTTPS side of a SOCKS tunnel; pass as `--cacert`.
    public let certificate: SelfSignedCertificate
    private let log: ProxyLog
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    /// The targets asked for so far, in order, as `host:port` (IPv6 in brackets).
    public var targets: [String] { log.targets }

    /// The `--proxy` value for this proxy; `socks5h` when `remoteNames` (the proxy resolves names).
    public func url(remoteNames: Bool = true) -> String {
        switch kind {
        case .http: "http://127.0.0.1:\(port)"
        case .socks5: "\(remoteNames ? "socks5h" : "socks5")://127.0.0.1:\(port)"
        }
    }

    private init(kind: Kind, port: Int, certificate: SelfSignedCertificate, log: ProxyLog,
                 group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.kind = kind
        self.port = port
        self.certificate = certificate
        self.log = log
        self.group = group
        self.channel = channel
    }

    /// Starts a proxy of `kind` on an ephemeral loopback port.
    public static func start(_ kind: Kind, world: PlatformWorld = PlatformWorld()) async throws -> TestProxy {
        let certificate = try SelfSignedCertificate.make(hosts: PlatformWorld.certificateHosts)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate.certificateFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificate.privateKeyFile, format: .pem)))
        let tls = try NIOSSLContext(configuration: configuration)
        certificate.removePrivateKey()
        let log = ProxyLog()
        let counters = ServerCounters()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    switch kind {
                    case .http:
                        try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                        try pipeline.addHandler(ForwardProxyHandler(log: log))
                    case .socks5:
                        try pipeline.addHandler(SOCKS5Handler(log: log))
                        try pipeline.addHandler(TLSSniffer(tls: tls))
                        try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    }
                    try pipeline.addHandler(PlatformHandler(world: world, counters: counters))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
            guard let bound = channel.localAddress?.port else { throw TestServerError("the proxy has no local port") }
            return TestProxy(kind: kind, port: bound, certificate: certificate, log: log, group: group, channel: channel)
        } catch {
            try? await group.shutdownGracefully()
            certificate.remove()
            throw error
        }
    }

    public func stop() async {
        try? await channel.close().get()
        try? await group.shutdownGracefully()
        certificate.remove()
    }
}

/// The targets a proxy was asked for.
final class ProxyLog: Sendable {
    private let list = Mutex<[String]>([])
    var targets: [String] { list.withLock { $0 } }
    func record(_ target: String) { list.withLock { $0.append(target) } }
}

/// An HTTP forward proxy's front: records the target of each request,
/// turns `GET http://host/path` into `GET /path` for the platform handler,
/// and answers CONNECT with 403 (no tunnels here) after recording it.
final class ForwardProxyHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let log: ProxyLog
    private var swallowing = false

    init(log: ProxyLog) { self.log = log }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(var head):
            if head.method == .CONNECT {
                log.record(head.uri)
                swallowing = true
                return
            }
            if let schemeEnd = head.uri.range(of: "://") {
                let rest = head.uri[schemeEnd.upperBound...]
                let authority = rest.prefix { $0 != "/" && $0 != "?" }
                let scheme = head.uri[..<schemeEnd.lowerBound].lowercased()
                log.record(authority.contains(":") && !authority.hasSuffix("]") ? String(authority) : "\(authority):\(scheme == "https" ? 443 : 80)")
                head.uri = URLPath.of(head.uri)
            }
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .body(let body):
            if !swallowing { context.fireChannelRead(wrapInboundOut(.body(body))) }
        case .end(let trailers):
            guard swallowing else { return context.fireChannelRead(wrapInboundOut(.end(trailers))) }
            swallowing = false
            let headers = HTTPHeaders([("content-length", "0"), ("connection", "close")])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .forbidden, headers: headers))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}

/// The SOCKS5 handshake (RFC 1928, no authentication, CONNECT only): records
/// the target, says yes, and leaves the connection to the handlers behind it.
final class SOCKS5Handler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let log: ProxyLog
    private var buffered: ByteBuffer?
    private var greeted = false

    init(log: ProxyLog) { self.log = log }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if var buffered {
            buffered.writeBuffer(&incoming)
            self.buffered = buffered
        } else {
            buffered = incoming
        }
        guard var buffer = buffered else { return }
        if !greeted {
            guard let version: UInt8 = buffer.getInteger(at: buffer.readerIndex), version == 5 else { return context.close(promise: nil) }
            guard let count: UInt8 = buffer.getInteger(at: buffer.readerIndex + 1), buffer.readableBytes >= 2 + Int(count) else { return }
            buffer.moveReaderIndex(forwardBy: 2 + Int(count))
            greeted = true
            buffered = buffer
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: [5, 0])), promise: nil)
        }
        guard let request = buffer.getBytes(at: buffer.readerIndex, length: min(buffer.readableBytes, 5)), request.count == 5 else { return }
        guard request[0] == 5, request[1] == 1 else { return context.close(promise: nil) }
        let addressLength: Int
        switch request[3] {
        case 1: addressLength = 4
        case 4: addressLength = 16
        case 3: addressLength = 1 + Int(request[4])
        default: return context.close(promise: nil)
        }
        guard buffer.readableBytes >= 4 + addressLength + 2 else { return }
        buffer.moveReaderIndex(forwardBy: 4)
        let address = buffer.readBytes(length: addressLength) ?? []
        let port = Int(buffer.readInteger(as: UInt16.self) ?? 0)
        let host: String
        switch request[3] {
        case 1: host = address.map(String.init).joined(separator: ".")
        case 4: host = "[" + stride(from: 0, to: 16, by: 2).map { String(Int(address[$0]) << 8 | Int(address[$0 + 1]), radix: 16) }.joined(separator: ":") + "]"
        default: host = String(decoding: address.dropFirst(), as: UTF8.self)
        }
        log.record("\(host):\(port)")
        buffered = nil
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: [5, 0, 0, 1, 0, 0, 0, 0, 0, 0])), promise: nil)
        // Bytes sent behind the request belong to the tunnel.
        if buffer.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(buffer)) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
