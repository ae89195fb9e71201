import Foundation
public import TriageStore

/// Where a PostgreSQL store is: `postgres://USER[:PASS]@HOST[:PORT]/DB[?sslmode=…]`.
///
/// Also `postgresql://`, as libpq reads it. A Unix socket is named by `?host=/directory` (the
/// directory holding `.s.PGSQL.PORT`), or a host percent-encoded from `/`. The password is kept
/// for connecting and never shown: `description` prints the URL without it.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String?
    /// A host name or address; nil when `socketDirectory` is used.
    public var host: String?
    public var port: Int
    public var socketDirectory: String?
    public var database: String
    public var sslMode: SSLMode

    /// libpq's `sslmode` values that mean something here.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, the certificate not verified (libpq's default).
        case prefer
        /// TLS or no connection, the certificate not verified (as libpq's `require`).
        case require
        /// TLS, the certificate chain verified but not the host name.
        case verifyCA = "verify-ca"
        /// TLS, the certificate and the host name verified.
        case verifyFull = "verify-full"
    }

    /// True when `text` names a PostgreSQL store rather than an SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads a `postgres://` URL; throws `StoreError` naming what is wrong (never the password).
    public init(_ text: String) throws(StoreError) {
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw StoreError(.file, path: Self.redact(text),
                             "not a PostgreSQL URL; write postgres://USER[:PASS]@HOST[:PORT]/DB[?sslmode=disable|prefer|require]")
        }
        let shown = Self.redact(text)
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw StoreError(.file, path: shown, "the URL names no user; write postgres://USER@HOST/DB")
        }
        self.user = user
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        port = components.port ?? 5432
        let path = components.percentEncodedPath.drop { $0 == "/" }
        guard let database = String(path).removingPercentEncoding, !database.isEmpty, !database.contains("/") else {
            throw StoreError(.file, path: shown, "the URL names no database; write postgres://USER@HOST/DB")
        }
        self.database = database
        var sslMode = SSLMode.prefer
        var socket: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                    throw StoreError(.file, path: shown, "sslmode=\(item.value ?? "") is not one of "
                                     + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                sslMode = mode
            case "host":
                socket = item.value
            default:
                throw StoreError(.file, path: shown, "the URL's parameter \(item.name) is not known here (only sslmode and host)")
            }
        }
        let host = components.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
        if host.hasPrefix("/") { socket = host }
        if let socket, socket.hasPrefix("/") {
            socketDirectory = socket
            self.host = nil
            self.sslMode = .disable
        } else {
            let name = socket ?? host
            guard !name.isEmpty else { throw StoreError(.file, path: shown, "the URL names no host; write postgres://USER@HOST/DB") }
            self.host = name
            socketDirectory = nil
            self.sslMode = sslMode
        }
    }

    /// The URL without its password, for every message.
    public var description: String {
        var text = "postgres://" + Self.encode(user)
        if password != nil { text += ":***" }
        text += "@"
        if let host { text += (host.contains(":") ? "[\(host)]" : host) + (port == 5432 ? "" : ":\(port)") }
        text += "/" + Self.encode(database)
        var query: [String] = []
        if let socketDirectory { query.append("host=\(socketDirectory)") }
        if socketDirectory == nil && sslMode != .prefer { query.append("sslmode=\(sslMode.rawValue)") }
        if port != 5432 && host == nil { text = text.replacingOccurrences(of: "@/", with: "@:\(port)/") }
        return query.isEmpty ? text : text + "?" + query.joined(separator: "&")
    }

    /// The same store with another database (the tests make one per test).
    public func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    /// `text` with any password replaced by `***`, for a message about a URL that did not parse.
    public static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/"))) ?? text
    }
}
