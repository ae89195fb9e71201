import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TriageKit
@testable import TriageStore
@testable import TriageWeb

/// The escalate and cases pages are kept between requests (`RecentAnswers`, `SharedPage`):
/// what they show must follow every change to the store, whoever makes it, and each
/// person must get their own CSRF token and name in a page made for others.
@Suite("Web app: pages kept until the store changes")
struct WebKeptAnswersTests {
    static let tiktok = "tiktok:video:7301234567890123456"

    /// A store with the sample batch, its items live and checked, as a check leaves them.
    static func checkedHarness() async throws -> WebHarness {
        let harness = try await WebHarness()
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            _ = try await browser.post(client, "/batch", [("text", sampleBatch)])
        }
        try await harness.execute("UPDATE items SET status = 'live', last_verdict = 'live', last_checked_at = \(StoreTime.now())")
        return harness
    }

    @Test("A mark made through another connection to the store takes the item off the kept escalate page at once")
    func anotherConnectionForgetsTheList() async throws {
        let harness = try await Self.checkedHarness()
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            #expect(String(buffer: try await browser.get(client, "/escalate").body).contains(Self.tiktok))
            // Kept: asked again, the same list is served.
            #expect(String(buffer: try await browser.get(client, "/escalate").body).contains(Self.tiktok))
            let other = try CaseStore(path: harness.settings.storePath)
            let marker = ItemMarker(store: other, policy: harness.services.inputs.recheckPolicy, rules: harness.services.rules)
            _ = try marker.mark(Self.tiktok, .removed(at: nil), note: nil, by: "terminal", now: StoreTime.now())
            try other.close()
            let later = String(buffer: try await browser.get(client, "/escalate").body)
            #expect(!later.contains(Self.tiktok), "the kept page still lists an item removed through another connection")
            #expect(later.contains("instagram"))
        }
    }

    @Test("A mark made by another process (`urltriage mark`) takes the item off the kept escalate page and changes the counts",
          .enabled(if: Self.binary != nil, "the urltriage binary is not built beside the tests"))
    func anotherProcessForgetsTheList() async throws {
        let harness = try await Self.checkedHarness()
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            #expect(String(buffer: try await browser.get(client, "/escalate").body).contains(Self.tiktok))
            #expect(String(buffer: try await browser.get(client, "/cases?status=live").body).contains("2 items"))
            let status = try Self.run(["mark", Self.tiktok, "removed", "--db", harness.settings.storePath, "--by", "terminal",
                                       "--rules", WebHarness.packageRoot + "/rules"])
            #expect(status == 0)
            let later = String(buffer: try await browser.get(client, "/escalate").body)
            #expect(!later.contains(Self.tiktok), "the kept page still lists an item another process marked removed")
            let live = String(buffer: try await browser.get(client, "/cases?status=live").body)
            #expect(live.contains("1 items") && !live.contains(Self.tiktok))
        }
    }

    @Test("A mark made in the app takes the item off the kept pages, for every role")
    func theAppsOwnMarkForgetsTheList() async throws {
        let harness = try await Self.checkedHarness()
        try await harness.test { client in
            let cas = try await Browser.signIn(client, as: "cas")
            let vic = try await Browser.signIn(client, as: "vic")
            for browser in [cas, vic] {
                #expect(String(buffer: try await browser.get(client, "/escalate").body).contains(Self.tiktok))
            }
            _ = try await cas.post(client, "/item/mark", [("key", Self.tiktok), ("action", "false-report")])
            for browser in [cas, vic] {
                #expect(!String(buffer: try await browser.get(client, "/escalate").body).contains(Self.tiktok))
                #expect(String(buffer: try await browser.get(client, "/cases?status=false_report").body).contains(Self.tiktok))
            }
        }
    }

    @Test("A kept page carries the requesting session's own CSRF token and name, and its role's controls")
    func keptPagesArePersonal() async throws {
        let harness = try await Self.checkedHarness()
        try await harness.test { client in
            let cas = try await Browser.signIn(client, as: "cas")
            let cleo = try await Browser.signIn(client, as: "cleo")
            let casAgain = try await Browser.signIn(client, as: "cas")
            let vic = try await Browser.signIn(client, as: "vic")
            #expect(Set([cas.csrf, cleo.csrf, casAgain.csrf]).count == 3)
            for path in ["/escalate", "/cases", "/cases?platform=tiktok"] {
                for (browser, name) in [(cas, "cas"), (cleo, "cleo"), (casAgain, "cas"), (vic, "vic")] {
                    let page = String(buffer: try await browser.get(client, path).body)
                    let tokens = Set(Self.hiddenCSRFs(in: page))
                    #expect(tokens == [browser.csrf], "\(path) for \(name) carries \(tokens)")
                    #expect(page.contains("<span class=\"who\">\(name) · "))
                    #expect(!page.contains("\u{1}"))
                    // A viewer's page has no boxes to tick, even when a caseworker's was made first.
                    #expect(page.contains("type=\"checkbox\"") == (name != "vic"), "\(path) for \(name)")
                }
            }
            // The token from a kept page is accepted: cleo marks from the page made for cas.
            let page = String(buffer: try await cleo.get(client, "/escalate").body)
            let token = try #require(Browser.hiddenCSRF(in: page))
            let marked = try await cleo.post(client, "/escalate/mark", [("key", Self.tiktok), ("ref", "TT-1")], csrf: token)
            #expect(String(buffer: marked.body).contains("Marked 1 of 1 escalated"))
            // And another session's token is not.
            let refused = try await cleo.post(client, "/escalate/mark", [("key", Self.tiktok)], csrf: cas.csrf)
            #expect(refused.status == .forbidden)
        }
        #expect(try await harness.rows("SELECT by, reference FROM escalations") == [["cleo", "TT-1"]])
    }

    @Test("A name with markup is escaped where a kept page puts it")
    func keptPagesEscapeTheName() async throws {
        let harness = try await Self.checkedHarness()
        let hash = try await Passwords.hash(WebHarness.password, cost: 4)
        _ = try await harness.services.accounts.add(name: "<b>o'neil</b>&co", role: .caseworker, passwordHash: hash, by: "test",
                                                    now: StoreTime.now())
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "%3Cb%3Eo%27neil%3C%2Fb%3E%26co")
            for path in ["/escalate", "/cases"] {
                let page = String(buffer: try await browser.get(client, path).body)
                #expect(page.contains("&lt;b&gt;o&#39;neil&lt;/b&gt;&amp;co · caseworker"), "\(path)")
                #expect(!page.contains("<b>o'neil"))
            }
        }
    }

    @Test("The store's version changes with a commit by another connection and stays put otherwise",
          arguments: WebStoreKind.available)
    func storeVersion(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind)
        let changes = try harness.services.store.changeProbe()
        let first = try await changes.version()
        // On PostgreSQL any transaction on the server changes the version (other tests' too), so
        // only SQLite's can be held to staying put; a change must show on both.
        if kind == .sqlite {
            #expect(try await changes.version() == first)
            _ = try await harness.services.store.items(keys: ["nothing:here:1"])
            #expect(try await changes.version() == first, "a read is not a change")
        }
        try await harness.execute("UPDATE users SET created_by = 'someone else'")
        let second = try await changes.version()
        #expect(second != first)
        await changes.closeProbe()
    }

    static func hiddenCSRFs(in html: String) -> [String] {
        html.components(separatedBy: "name=\"csrf\" value=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    }

    /// The `urltriage` executable SwiftPM built beside the test bundle, if there is one.
    static let binary: String? = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("urltriage").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(binary))
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
