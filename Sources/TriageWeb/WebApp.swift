public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
import NIOPosix
import NIOSSL
import TriageKit
import TriagePostgres
import TriageStore

/// What every page works with, made once when the server starts.
final class WebServices: Sendable {
    let settings: WebSettings
    /// The case store, SQLite or PostgreSQL: every page asks it the same questions (`WebStore`).
    let store: any WebStore
    let inputs: PriorityInputs
    let accounts: any AccountStore
    let pages: Pages
    let throttle: LoginThrottle
    let recent: RecentAnswers
    let checks: CheckRuns
    /// Follows the store's version, so that a change is noticed before the next request (`RecentAnswers.watch`).
    private let watcher: Task<Void, Never>

    init(settings: WebSettings, store: any WebStore, changes: any StoreVersionProbe, inputs: PriorityInputs, pages: Pages) {
        self.settings = settings
        self.store = store
        let recent = RecentAnswers(changes: changes)
        self.recent = recent
        watcher = Task { await recent.watch() }
        self.inputs = inputs
        self.pages = pages
        throttle = LoginThrottle(firstWait: settings.loginFirstWait)
        accounts = store.accounts
        checks = CheckRuns(store: store, rules: inputs.rules, policy: inputs.recheckPolicy, liveness: settings.liveness)
    }

    deinit {
        watcher.cancel()
    }

    var rules: RuleSet { inputs.rules }

    /// The list as `escalate` builds it: candidates from the store, scored with the policy's
    /// weights; at most `limit` items per platform (nil: all). Kept until the store changes
    /// after `version` (`RecentAnswers`).
    func escalationList(platform: String?, limit: Int? = nil, version: Int64) async throws -> EscalationList {
        let store = store, inputs = inputs
        let known = platform.flatMap { name in inputs.rules.platforms.contains { $0.platform == name } ? name : nil }
        return try await recent.list("\(known ?? "")|\(limit ?? 0)", version: version) {
            let now = StoreTime.now()
            let found = try await store.listCandidates(platform: known, now: now, categories: inputs.categories)
            return try await offload {
                EscalationList.build(candidates: found.candidates, scorer: inputs.scorer, rules: inputs.rules, now: now,
                                     limit: limit, context: found.context)
            }
        }
    }
}

/// `urltriage serve`: the caseworker web app over the same engine and store the commands use.
public enum WebApp {
    /// A problem that stops the server from starting, said for the person starting it.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Opens the store (creating it when absent, as `ingest` does), loads the rules, and builds the server.
    public static func application(settings: WebSettings, logger: Logger? = nil) async throws -> some ApplicationProtocol {
        let services = try await services(settings: settings)
        var logger = logger ?? Logger(label: "urltriage.serve")
        if logger.logLevel > .info { logger.logLevel = .info }
        let configuration = ApplicationConfiguration(address: .hostname(settings.host, port: settings.port), serverName: nil)
        let server: HTTPServerBuilder
        if let certificate = settings.tlsCertificate, let key = settings.tlsKey {
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
                let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain,
                                                                   privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
                server = try .tls(.http1(), tlsConfiguration: tls)
            } catch {
                throw StartError(description: "cannot use --tls-cert \(certificate) and --tls-key \(key): \(error)")
            }
        } else {
            server = .http1()
        }
        return Application(router: router(services), server: server, configuration: configuration, logger: logger)
    }

    static func services(settings: WebSettings) async throws -> WebServices {
        guard let directory = RulesDirectory.locate(explicit: settings.rulesDirectory) else {
            throw StartError(description: "no rules directory found: pass --rules DIR or set \(RulesDirectory.environmentVariable)")
        }
        let inputs: PriorityInputs
        do {
            inputs = try PriorityInputs.load(rules: try RuleSet.load(from: directory), rulesDirectory: directory,
                                             policy: settings.policyPath)
        } catch {
            throw StartError(description: "\(error)")
        }
        do {
            // Bad --connect-to or --cacert: said now, not at the first check.
            _ = try LivenessChecker(rules: inputs.rules, options: settings.liveness)
        } catch {
            throw StartError(description: "\(error)")
        }
        let store: any WebStore
        let changes: any StoreVersionProbe
        do {
            if PostgresLocation.isURL(settings.storePath) {
                store = try await PostgresStore.open(try PostgresLocation(settings.storePath), create: true)
            } else {
                // Without mapping the file for reads: mapped pages count in the server's memory for as
                // long as it runs; the escalation list, the one big read, is kept (`RecentAnswers`).
                // A smaller page cache per connection for the same reason: each reader's fills and
                // stays full, and the system's file cache holds the store's pages anyway.
                store = try CaseStore(path: settings.storePath, create: true, mapsForReads: false,
                                      cacheKiB: settings.storeCacheKiB, readers: settings.storeReaders)
            }
            changes = try store.changeProbe()
        } catch {
            throw StartError(description: "\(error)")
        }
        let services = WebServices(settings: settings, store: store, changes: changes, inputs: inputs, pages: try await Pages.load())
        // The escalate page's list, made now rather than when the first person opens the page.
        Task { [services] in
            _ = try? await services.escalationList(platform: nil, limit: EscalateController.pageLimit,
                                                   version: try await services.recent.currentVersion())
        }
        return services
    }

    /// The routes, behind the middleware every page needs (in this order: headers, error
    /// pages, sign-in, form reading with its CSRF and role checks).
    static func router(_ services: WebServices) -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorPageMiddleware(pages: services.pages))
        AssetsController(pages: services.pages).addRoutes(to: router)
        router.add(middleware: SignInMiddleware(accounts: services.accounts, pages: services.pages))
        router.add(middleware: FormMiddleware(pages: services.pages, maxBytes: services.settings.maxUploadBytes))
        SignInController(services: services).addRoutes(to: router)
        BatchController(services: services).addRoutes(to: router)
        CasesController(services: services).addRoutes(to: router)
        ItemController(services: services).addRoutes(to: router)
        EscalateController(services: services).addRoutes(to: router)
        CheckController(services: services).addRoutes(to: router)
        ReportController(services: services).addRoutes(to: router)
        RulesController(services: services).addRoutes(to: router)
        UsersController(services: services).addRoutes(to: router)
        return router
    }
}

/// Runs synchronous store or engine work on NIO's thread pool, so that a long ingest or
/// report never holds a thread of the pool that serves requests.
func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(work)
}
