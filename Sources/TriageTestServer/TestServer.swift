import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A local HTTP and HTTPS server that imitates platforms by Host header,
/// for the liveness tests, the benchmark and the README's demo.
///
/// It listens on loopback only, on one port for both schemes; point the
/// checker at it with `--connect-to ::127.0.0.1:PORT` and trust its
/// certificate with `--cacert`.
public final class TestServer: Sendable {
    /// The port it listens on (an ephemeral one unless asked otherwise).
    public let port: Int
    /// The self-signed certificate; pass `certificate.certificateFile` as `--cacert`.
    public let certificate: SelfSignedCertificate
    /// What the server saw, per host.
    public let counters: ServerCounters
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    /// The `--connect-to` value that sends every host and port here.
    public var connectTo: String { "::127.0.0.1:\(port)" }

    private init(port: Int, certificate: SelfSignedCertificate, counters: ServerCounters,
                 group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.port = port
        self.certificate = certificate
        self.counters = counters
        self.group = group
        self.channel = channel
    }

    /// Starts a server on `127.0.0.1:port` (0: any free port).
    public static func start(port: Int = 0, world: PlatformWorld = PlatformWorld(), threads: Int = 1) async throws -> TestServer {
        let certificate = try SelfSignedCertificate.make(hosts: PlatformWorld.certificateHosts)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate.certificateFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificate.privateKeyFile, format: .pem)))
        let tls = try NIOSSLContext(configuration: configuration)
        // The key is in memory now; only the certificate must stay on disk, for --cacert.
        certificate.removePrivateKey()
        let counters = ServerCounters()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(TLSSniffer(tls: tls))
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(PlatformHandler(world: world, counters: counters))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
            guard let bound = channel.localAddress?.port else { throw TestServerError("the server has no local port") }
            return TestServer(port: bound, certificate: certificate, counters: counters, group: group, channel: channel)
        } catch {
            try? await group.shutdownGracefully()
            certificate.remove()
            throw error
        }
    }

    /// Stops listening, closes every connection and deletes the certificate.
    public func stop() async {
        try? await channel.close().get()
        try? await group.shutdownGracefully()
        certificate.remove()
    }
}
