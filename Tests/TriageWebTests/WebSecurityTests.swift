import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TriageKit
@testable import TriageStore
@testable import TriageWeb

@Suite("Web app: sign-in, CSRF, roles, escaping, headers")
struct WebSecurityTests {
    @Test("Without a session every page sends the browser to the sign-in page")
    func noSessionMeansLogin() async throws {
        let harness = try await WebHarness()
        try await harness.test { client in
            for path in ["/cases", "/batch/new", "/escalate", "/check", "/report", "/rules", "/item?key=x", "/escalate/download?format=csv"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .seeOther, "\(path)")
                #expect(response.headers[.location]?.hasPrefix("/login?next=") == true, "\(path)")
            }
            let login = try await client.execute(uri: "/login", method: .get)
            #expect(login.status == .ok)
            #expect(String(buffer: login.body).contains("<form method=\"post\" action=\"/login\""))
            // A forged cookie is no session.
            let forged = try await client.execute(uri: "/cases", method: .get, headers: [.cookie: "urltriage_session=0123abcd"])
            #expect(forged.status == .seeOther)
            // A post without a session changes nothing and says why.
            let post = try await client.execute(uri: "/item/mark", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: "key=x&action=note&note=hi"))
            #expect(post.status == .unauthorized)
        }
    }

    @Test("Session cookies are HttpOnly and SameSite=Strict; Secure only under TLS")
    func cookieAttributes() async throws {
        let harness = try await WebHarness()
        try await harness.test { client in
            let login = try await client.execute(uri: "/login", method: .get)
            let loginCookie = try #require(login.headers[.setCookie])
            #expect(loginCookie.contains("HttpOnly") && loginCookie.contains("SameSite=Strict") && !loginCookie.contains("Secure"))
            let token = try #require(Browser.hiddenCSRF(in: String(buffer: login.body)))
            let posted = try await client.execute(
                uri: "/login", method: .post,
                headers: [.cookie: String(loginCookie.split(separator: ";")[0]), .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(token)&name=cas&password=correct+horse+battery"))
            let session = try #require(posted.headers[.setCookie])
            #expect(session.hasPrefix("urltriage_session="))
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Path=/"))
        }
        var tls = WebSettings(storePath: "x")
        tls.tlsCertificate = "c.pem"
        tls.tlsKey = "k.pem"
        #expect(tls.usesTLS)
    }

    @Test("A wrong password fails, and repeated failures for one account are slowed down", arguments: WebStoreKind.available)
    func failedSignInsAreSlowed(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind)
        try await harness.test { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 {
                let login = try await client.execute(uri: "/login", method: .get)
                let cookie = String(try #require(login.headers[.setCookie]).split(separator: ";")[0])
                let token = try #require(Browser.hiddenCSRF(in: String(buffer: login.body)))
                let response = try await client.execute(
                    uri: "/login", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "csrf=\(token)&name=cas&password=wrong+password+here"))
                statuses.append(response.status)
            }
            #expect(statuses.prefix(3).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
            // Even the right password waits its turn now.
            let login = try await client.execute(uri: "/login", method: .get)
            let cookie = String(try #require(login.headers[.setCookie]).split(separator: ";")[0])
            let token = try #require(Browser.hiddenCSRF(in: String(buffer: login.body)))
            let right = try await client.execute(
                uri: "/login", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(token)&name=cas&password=correct+horse+battery"))
            #expect(right.status == .tooManyRequests)
        }
        let throttle = LoginThrottle()
        await throttle.failed(["a"], now: 0)
        #expect(await throttle.wait(for: ["a"], now: 0) == 0)
        for _ in 0..<3 { await throttle.failed(["a"], now: 0) }
        #expect(await throttle.wait(for: ["a"], now: 0) > 0)
        #expect(await throttle.wait(for: ["a"], now: 10_000) == 0)
    }

    @Test("A disabled account cannot sign in, and its sessions end", arguments: WebStoreKind.available)
    func disabledAccount(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind)
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cleo")
            try await harness.services.accounts.disable(name: "cleo", now: StoreTime.now())
            let page = try await browser.get(client, "/cases")
            #expect(page.status == .seeOther)
        }
    }

    @Test("A form without the CSRF token, or with a wrong one, is refused with 403 and changes nothing", arguments: WebStoreKind.available)
    func csrf(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind)
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            for token in ["", "0000", String(browser.csrf.reversed())] {
                let response = try await browser.post(client, "/batch", [("text", sampleBatch)], csrf: token)
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("security token"))
            }
            let logout = try await browser.post(client, "/logout", [], csrf: "")
            #expect(logout.status == .forbidden)
            // Sign-in itself needs the token from its own page.
            let noToken = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                   body: ByteBuffer(string: "name=cas&password=correct+horse+battery"))
            #expect(noToken.status == .forbidden)
        }
        #expect(try await harness.integer("SELECT count(*) FROM reports") == 0)
    }

    @Test("A viewer reads every page but cannot post anything", arguments: WebStoreKind.available)
    func viewerCannotPost(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind)
        try await harness.test { client in
            let caseworker = try await Browser.signIn(client, as: "cas")
            #expect(try await caseworker.post(client, "/batch", [("text", sampleBatch)]).status == .ok)
            let viewer = try await Browser.signIn(client, as: "vic")
            for path in ["/cases", "/escalate", "/check", "/report", "/rules", "/batch/new",
                         "/item?key=tiktok:video:7301234567890123456"] {
                #expect(try await viewer.get(client, path).status == .ok, "\(path)")
            }
            let item = String(buffer: try await viewer.get(client, "/item?key=tiktok:video:7301234567890123456").body)
            #expect(!item.contains("action=\"/item/mark\""))
            let attempts: [(String, [(String, String)])] = [
                ("/batch", [("text", "https://www.tiktok.com/@x/video/7301234567890000001")]),
                ("/item/mark", [("key", "tiktok:video:7301234567890123456"), ("action", "note"), ("note", "viewer note")]),
                ("/item/check", [("key", "tiktok:video:7301234567890123456")]),
                ("/cases/bulk", [("key", "tiktok:video:7301234567890123456"), ("action", "false-report")]),
                ("/escalate/mark", [("key", "tiktok:video:7301234567890123456")]),
                ("/check", []),
            ]
            for (path, fields) in attempts {
                #expect(try await viewer.post(client, path, fields).status == .forbidden, "\(path)")
            }
            // Signing out is not a change to cases.
            #expect(try await viewer.post(client, "/logout", []).status == .seeOther)
        }
        #expect(try await harness.integer("SELECT count(*) FROM notes") == 0)
        #expect(try await harness.integer("SELECT count(*) FROM reports") == 3)
    }

    @Test("Hostile notes, reporters and URLs come back escaped on every page")
    func hostileTextIsEscaped() async throws {
        let harness = try await WebHarness()
        let script = "<script>alert(1)</script>"
        let breaker = "\" onmouseover=\"alert(2)\" x=\"'><img src=x onerror=alert(3)>"
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            let csv = "url,reporter,notes\nhttps://www.tiktok.com/@x/video/7301234567890000002,\"\(breaker.replacingOccurrences(of: "\"", with: "\"\""))\",\"\(script)\u{202E}gpj.exe\"\n"
            let stored = try await browser.upload(client, "/batch", fields: [], file: ("hostile.csv", Array(csv.utf8)))
            #expect(stored.status == .ok)
            let key = "tiktok:video:7301234567890000002"
            #expect(try await browser.post(client, "/item/mark", [("key", key), ("action", "note"), ("note", script + breaker)]).status == .seeOther)
            for path in ["/item?key=\(key)", "/cases?q=script", "/escalate"] {
                let html = String(buffer: try await browser.get(client, path).body)
                #expect(!html.contains("<script>alert"), "\(path)")
                #expect(!html.contains("<img src=x"), "\(path)")
                #expect(!html.contains("\" onmouseover=\"alert"), "\(path)")
                #expect(!html.contains("\u{202E}"), "\(path)")
            }
            let item = String(buffer: try await browser.get(client, "/item?key=\(key)").body)
            #expect(item.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(item.contains("&quot; onmouseover=&quot;alert(2)&quot;"))
        }
    }

    @Test("Every response carries the security headers; the CSP allows no inline script")
    func securityHeaders() async throws {
        let harness = try await WebHarness()
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            for path in ["/login", "/cases", "/static/app.css", "/nowhere"] {
                let response = try await browser.get(client, path)
                let csp = try #require(response.headers[.contentSecurityPolicy], "\(path)")
                #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"))
                #expect(response.headers[.referrerPolicy] == "no-referrer")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
            #expect(try await browser.get(client, "/cases").headers[.cacheControl] == "no-store")
            let report = try await browser.get(client, "/report/view")
            let csp = try #require(report.headers[.contentSecurityPolicy])
            #expect(!csp.contains("script-src") && csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"))
            // Pages hold no inline script: the only script is the app's own file.
            for path in ["/cases", "/check", "/escalate"] {
                let html = String(buffer: try await browser.get(client, path).body)
                #expect(html.components(separatedBy: "<script").count == 2)
                #expect(html.contains("<script src=\"/static/app.js\" defer></script>"))
            }
        }
    }

    @Test("Concurrent marks of one item by two people both land in its history, each under its name", arguments: WebStoreKind.available)
    func concurrentMarks(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind)
        try await harness.test { client in
            let first = try await Browser.signIn(client, as: "cas")
            let second = try await Browser.signIn(client, as: "cleo")
            _ = try await first.post(client, "/batch", [("text", sampleBatch)])
            let key = "tiktok:video:7301234567890123456"
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for round in 0..<5 {
                    group.addTask { try await first.post(client, "/item/mark", [("key", key), ("action", "note"), ("note", "cas \(round)")]).status }
                    group.addTask { try await second.post(client, "/item/mark", [("key", key), ("action", "note"), ("note", "cleo \(round)")]).status }
                }
                group.addTask { try await first.post(client, "/item/mark", [("key", key), ("action", "false-report")]).status }
                for try await status in group { #expect(status == .seeOther) }
            }
            let history = try #require(try await harness.services.store.history(key: key))
            #expect(history.notes.filter { $0.by == "cas" }.count == 5)
            #expect(history.notes.filter { $0.by == "cleo" }.count == 5)
            #expect(history.transitions.contains { $0.to == "false_report" && $0.by == "cas" })
            let page = String(buffer: try await second.get(client, "/item?key=\(key)").body)
            #expect(page.contains("cleo 4") && page.contains("cas 4"))
        }
    }

    @Test("Sign-in sends back only to a path of this app")
    func openRedirectRefused() async throws {
        let harness = try await WebHarness()
        try await harness.test { client in
            let login = try await client.execute(uri: "/login?next=//evil.example/x", method: .get)
            let cookie = String(try #require(login.headers[.setCookie]).split(separator: ";")[0])
            let token = try #require(Browser.hiddenCSRF(in: String(buffer: login.body)))
            let posted = try await client.execute(
                uri: "/login", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(token)&name=cas&password=correct+horse+battery&next=%2F%2Fevil.example%2Fx"))
            #expect(posted.headers[.location] == "/cases")
        }
    }
}

@Suite("Web app: accounts page")
struct WebAccountsTests {
    @Test("Admins add, disable and reset accounts from the browser; nobody else can", arguments: WebStoreKind.available)
    func accounts(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind)
        try await harness.test { client in
            let admin = try await Browser.signIn(client, as: "ada")
            let caseworker = try await Browser.signIn(client, as: "cas")
            #expect(try await caseworker.get(client, "/users").status == .forbidden)
            #expect(try await caseworker.post(client, "/users", [("action", "add"), ("name", "eve"), ("role", "admin"),
                                                                 ("password", "long enough password")]).status == .forbidden)
            #expect(!String(buffer: try await caseworker.get(client, "/cases").body).contains("href=\"/users\""))
            #expect(String(buffer: try await admin.get(client, "/cases").body).contains("href=\"/users\""))

            let added = try await admin.post(client, "/users", [("action", "add"), ("name", "nia"), ("role", "viewer"),
                                                                 ("password", "long enough password")])
            #expect(String(buffer: added.body).contains("Added nia (viewer)."))
            let short = try await admin.post(client, "/users", [("action", "add"), ("name", "ola"), ("role", "viewer"), ("password", "short")])
            #expect(short.status == .unprocessableContent)
            let taken = try await admin.post(client, "/users", [("action", "add"), ("name", "NIA"), ("role", "viewer"),
                                                                 ("password", "long enough password")])
            #expect(String(buffer: taken.body).contains("exists already"))
            let nia = try await Browser.signIn(client, as: "nia", password: "long enough password")
            #expect(try await admin.post(client, "/users", [("action", "disable"), ("name", "nia")]).status == .ok)
            #expect(try await nia.get(client, "/cases").status == .seeOther)
            let selfDisable = try await admin.post(client, "/users", [("action", "disable"), ("name", "ada")])
            #expect(String(buffer: selfDisable.body).contains("cannot disable your own account"))
            #expect(try await admin.post(client, "/users", [("action", "password"), ("name", "nia"),
                                                            ("password", "another long password")]).status == .ok)
            _ = try await Browser.signIn(client, as: "nia", password: "another long password")
        }
        let accounts = try await harness.services.accounts.list()
        #expect(accounts.first { $0.name == "nia" }?.createdBy == "ada")
    }
}

@Suite("Web app: the accounts migration")
struct WebAccountsMigrationTests {
    @Test("A store written before accounts existed gains the tables, its cases kept, and its sessions start empty")
    func olderStoreGainsAccounts() async throws {
        let directory = NSTemporaryDirectory() + "urltriage-web-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/old.sqlite"
        try CaseStore.writeOlderStore(path: path, through: "v4-open-items", fill: "SELECT 1")
        let store = try CaseStore(path: path)
        #expect(store.appliedMigrations == ["v5-accounts", "v6-report-lines", "v7-workers"])
        let accounts = SQLiteAccountStore(store: store)
        #expect(try await accounts.list().isEmpty)
        _ = try await accounts.add(name: "ada", role: .admin, passwordHash: "x", by: "test", now: 1)
        await #expect(throws: AccountError.self) { try await accounts.add(name: "Ada", role: .viewer, passwordHash: "y", by: "test", now: 2) }
        await #expect(throws: AccountError.self) { try await accounts.add(name: " padded", role: .viewer, passwordHash: "y", by: "test", now: 2) }
        await #expect(throws: AccountError.self) { try await accounts.add(name: "bell\u{07}", role: .viewer, passwordHash: "y", by: "test", now: 2) }
        // Only the token's digest is kept.
        try await accounts.openSession(tokenSHA256: Passwords.digest("secret-token"), accountID: 1, csrfToken: "c", address: nil,
                                       now: 10, expiresAt: 20)
        #expect(try store.integer("SELECT count(*) FROM web_sessions WHERE token_sha256 = 'secret-token'") == 0)
        #expect(try await accounts.session(tokenSHA256: Passwords.digest("secret-token"), now: 15)?.account.name == "ada")
        #expect(try await accounts.session(tokenSHA256: Passwords.digest("secret-token"), now: 20) == nil)
    }
}

@Suite("Web app: settings and shown text")
struct WebSettingsTests {
    @Test("Listening beyond loopback without TLS is warned about; loopback or TLS is not")
    func exposureWarning() {
        var settings = WebSettings(storePath: "s.sqlite")
        #expect(settings.exposureWarning == nil)
        settings.host = "0.0.0.0"
        #expect(settings.exposureWarning?.contains("without TLS") == true)
        settings.tlsCertificate = "cert.pem"
        settings.tlsKey = "key.pem"
        #expect(settings.exposureWarning == nil)
        settings = WebSettings(storePath: "s.sqlite")
        settings.host = "::1"
        #expect(settings.exposureWarning == nil)
    }

    @Test("Control characters and direction marks never reach a page raw")
    func shownText() {
        #expect(Shown.text("a\u{0}b\u{1B}[31mc\u{202E}d\u{7F}") == "a\u{FFFD}b\u{FFFD}[31mc\u{FFFD}d\u{FFFD}")
        #expect(Shown.multiline("one\ntwo\tthree\r") == "one\ntwo    three\u{FFFD}")
        #expect(Shown.text("plain ü 🙂") == "plain ü 🙂")
    }
}
