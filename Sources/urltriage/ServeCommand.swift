import ArgumentParser
import Foundation
import Hummingbird
import TriageKit
import TriageStore
import TriageWeb

/// `urltriage serve`: the caseworker web app.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the caseworker web app: the day's work in a browser, for a team.",
        discussion: """
            Every page needs a sign-in; add accounts with `urltriage user add`. Listens on \
            127.0.0.1:8080 unless --listen says otherwise, and warns when it listens elsewhere \
            without --tls-cert and --tls-key. The check page uses --allow-private, --connect-to, \
            --cacert and --proxy as `recheck` does. SIGTERM or Ctrl-C stops it. \
            Exit status: 0 stopped, 2 usage, rule or store error.
            """
    )

    @OptionGroup var store: StoreOption
    @OptionGroup var rules: RulesOption

    @Option(help: "Address and port to listen on.")
    var listen = "127.0.0.1:8080"

    @Option(name: .customLong("tls-cert"), help: "Certificate chain (PEM) to serve HTTPS with.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "Private key (PEM) of --tls-cert.")
    var tlsKey: String?

    @Option(help: "The policy file (default: policy.yaml in the rules directory, else built-in defaults).")
    var policy: String?

    @Option(name: .customLong("max-upload-mb"), help: "The largest paste or upload accepted, in MB.")
    var maxUploadMB = 16

    @Option(name: .customLong("session-hours"), help: "Hours a sign-in lasts.")
    var sessionHours = 12

    @OptionGroup var checker: CheckerOptionGroup

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("give --tls-cert and --tls-key together") }
        if maxUploadMB < 1 || maxUploadMB > 1024 { throw ValidationError("--max-upload-mb must be between 1 and 1024") }
        if sessionHours < 1 || sessionHours > 24 * 30 { throw ValidationError("--session-hours must be between 1 and 720") }
        guard Self.parseListen(listen) != nil else {
            throw ValidationError("--listen takes HOST:PORT, such as 127.0.0.1:8080 or [::1]:8080")
        }
    }

    static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    func run() throws {
        var settings = WebSettings(storePath: store.path)
        settings.rulesDirectory = rules.rules
        settings.policyPath = policy
        (settings.host, settings.port) = Self.parseListen(listen)!
        settings.tlsCertificate = tlsCert
        settings.tlsKey = tlsKey
        settings.maxUploadBytes = maxUploadMB * 1024 * 1024
        settings.sessionSeconds = Int64(sessionHours) * 3600
        settings.liveness = try checker.livenessOptions()
        if let warning = settings.exposureWarning { Stderr.write("urltriage: \(warning)\n") }
        let finalSettings = settings, shown = store.shown
        let scheme = finalSettings.usesTLS ? "https" : "http"
        do {
            try waitFor {
                let app = try await WebApp.application(settings: finalSettings)
                Stderr.write("urltriage: serving \(shown) at \(scheme)://\(listen)/ (Ctrl-C stops)\n")
                try await app.runService()
            }
        } catch let error as WebApp.StartError {
            CLIError.exit(error.description)
        }
    }
}
