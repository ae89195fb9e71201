import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import TriageKit
@testable import TriageStore
import TriageTestServer
@testable import TriageWeb

/// A store (SQLite in a temporary directory, or a PostgreSQL database) with four accounts (admin, caseworker, viewer), and
/// the app built over it with the shipped rules.
struct WebHarness {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let password = "correct horse battery"

    let directory: String
    let settings: WebSettings
    let services: WebServices

    /// On `kind`'s store: an SQLite file in the directory, or a new PostgreSQL database.
    init(on kind: WebStoreKind = .sqlite, configure: (inout WebSettings) -> Void = { _ in }) async throws {
        directory = NSTemporaryDirectory() + "urltriage-web-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var settings = WebSettings(storePath: try await kind.storeLocation(directory: directory))
        settings.rulesDirectory = Self.packageRoot + "/rules"
        settings.bcryptCost = 4
        // Under a full parallel test run a sign-in can take seconds; the throttle's wait must outlast it.
        settings.loginFirstWait = 600
        configure(&settings)
        self.settings = settings
        services = try await WebApp.services(settings: settings)
        let hash = try await Passwords.hash(Self.password, cost: 4)
        for (name, role) in [("ada", AccountRole.admin), ("cas", .caseworker), ("cleo", .caseworker), ("vic", .viewer)] {
            _ = try await services.accounts.add(name: name, role: role, passwordHash: hash, by: "test", now: StoreTime.now())
        }
    }

    var app: some ApplicationProtocol {
        Application(router: WebApp.router(services))
    }

    /// Runs `body` against the app's router (no sockets).
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await app.test(.router, body)
    }
}

/// A signed-in browser: its session cookie and the CSRF token its pages carry.
struct Browser: Sendable {
    var cookie: String
    var csrf: String

    static func signIn(_ client: some TestClientProtocol, as name: String, password: String = WebHarness.password) async throws -> Browser {
        let login = try await client.execute(uri: "/login", method: .get)
        let loginCookie = try #require(login.headers[.setCookie]).split(separator: ";")[0]
        let token = try #require(hiddenCSRF(in: String(buffer: login.body)))
        let body = "csrf=\(token)&name=\(name)&password=\(password.replacingOccurrences(of: " ", with: "+"))"
        let posted = try await client.execute(uri: "/login", method: .post,
                                              headers: [.cookie: String(loginCookie), .contentType: "application/x-www-form-urlencoded"],
                                              body: ByteBuffer(string: body))
        #expect(posted.status == .seeOther, "sign-in as \(name) failed: \(String(buffer: posted.body))")
        let session = try #require(posted.headers[.setCookie]).split(separator: ";")[0]
        let page = try await client.execute(uri: "/cases", method: .get, headers: [.cookie: String(session)])
        let csrf = try #require(hiddenCSRF(in: String(buffer: page.body)))
        return Browser(cookie: String(session), csrf: csrf)
    }

    static func hiddenCSRF(in html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
    }

    /// Posts a URL-encoded form; the CSRF token is added unless `csrf` says otherwise.
    func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)], csrf: String? = nil) async throws -> TestResponse {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let all = (csrf == "" ? [] : [("csrf", csrf ?? self.csrf)]) + fields
        let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return try await client.execute(uri: uri, method: .post,
                                        headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                        body: ByteBuffer(string: body))
    }

    /// Posts a multipart form with one file.
    func upload(_ client: some TestClientProtocol, _ uri: String, fields: [(String, String)], file: (name: String, bytes: [UInt8])) async throws -> TestResponse {
        let boundary = "----urltriage-test-boundary"
        var body: [UInt8] = []
        for (name, value) in [("csrf", csrf)] + fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += file.bytes
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return try await client.execute(uri: uri, method: .post,
                                        headers: [.cookie: cookie, .contentType: "multipart/form-data; boundary=\(boundary)"],
                                        body: ByteBuffer(bytes: body))
    }
}

extension String {
    init(buffer: ByteBuffer) {
        self = String(decoding: buffer.readableBytesView, as: UTF8.self)
    }
}

/// The loopback test server, started once for the check tests.
enum CheckServer {
    private static let started = Task { try await TestServer.start() }
    static func server() async throws -> TestServer { try await started.value }
}

/// Two days of reports: duplicates of one TikTok video, a second item, and a line without a URL.
let sampleBatch = """
    Reported by a parent: https://www.tiktok.com/@fake.head.teacher/video/7301234567890123456?is_from_webapp=1
    same video again https://m.tiktok.com/@Fake.Head.Teacher/video/7301234567890123456/?_r=1
    the school's instagram clone https://www.instagram.com/riverside_primary_uncut/
    no link on this line at all
    """
