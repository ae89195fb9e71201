import PostgresNIO

/// A pool of connections to the store, for work that runs calls side by side and must
/// outlive a lost connection: a checker worker records on one connection while its
/// heartbeat renews leases on another, and after a restart of the server the pool
/// connects again, so the worker's retries can succeed. The store's own connection serves
/// one call at a time and stays closed once lost.
extension PostgresStore {
    /// A running pool on the store's database, closed with the store.
    func makeClient(connections: Int = 4) -> PostgresClient {
        makeRunningClient(connections: connections).client
    }

    /// `makeClient`, with the task that runs the pool (cancelling it shuts the pool down).
    func makeRunningClient(connections: Int = 4) -> (client: PostgresClient, running: Task<Void, Never>) {
        var logger = Logger(label: "urltriage.postgres.pool")
        logger.logLevel = .critical
        let client = PostgresClient(configuration: Self.clientConfiguration(url, connections: connections), backgroundLogger: logger)
        let running = Task { await client.run() }
        clients.withLock { $0.append(running) }
        return (client, running)
    }

    static func clientConfiguration(_ location: PostgresLocation, connections: Int) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let directory = location.socketDirectory {
            configuration = .init(unixSocketPath: directory + "/.s.PGSQL.\(location.port)", username: location.user,
                                  password: location.password, database: location.database)
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch tlsSettings(location) {
            case nil: tls = .disable
            case let (settings, preferred)?: tls = preferred ? .prefer(settings) : .require(settings)
            }
            configuration = .init(host: location.host ?? "localhost", port: location.port, username: location.user,
                                  password: location.password, database: location.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = connections
        return configuration
    }
}
