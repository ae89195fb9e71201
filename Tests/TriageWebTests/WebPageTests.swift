import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TriageKit
@testable import TriageStore
@testable import TriageWeb

@Suite("Web app: pages and actions")
struct WebPageTests {
    @Test("New batch: pasted text becomes items, duplicates fold, rejected lines are listed, and re-submitting adds nothing",
          arguments: WebStoreKind.available)
    func pasteBatch(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind)
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            #expect(try await browser.get(client, "/batch/new").status == .ok)
            let first = try await browser.post(client, "/batch", [("text", sampleBatch), ("reporter", "Oakfield Academy"),
                                                                    ("date", "2026-11-02"), ("category", "impersonation")])
            #expect(first.status == .ok)
            let html = String(buffer: first.body)
            #expect(html.contains("<dd id=\"new-count\">2</dd>"))
            #expect(html.contains("<dd id=\"folded-count\">1</dd>"))
            #expect(html.contains("<dd id=\"rejected-count\">1</dd>"))
            #expect(html.contains("<td>4</td>"), "the rejected line's number")
            #expect(html.contains("href=\"/item?key=tiktok:video:7301234567890123456\""))
            #expect(html.contains("2 URLs folded into one"))
            let again = try await browser.post(client, "/batch", [("text", sampleBatch), ("reporter", "Oakfield Academy"),
                                                                    ("date", "2026-11-02"), ("category", "impersonation")])
            #expect(String(buffer: again.body).contains("Nothing was added this time"))
            // A later batch naming a known item lists it as known, with its link.
            let later = try await browser.post(client, "/batch", [("text", "again https://www.instagram.com/riverside_primary_uncut/")])
            let laterHTML = String(buffer: later.body)
            #expect(laterHTML.contains("<dd id=\"known-count\">1</dd>") && laterHTML.contains("<dd id=\"new-count\">0</dd>"))
        }
        #expect(try await harness.integer("SELECT count(*) FROM reports") == 4)
        #expect(try await harness.integer("SELECT count(*) FROM items") == 2)
        #expect(try await harness.rows("SELECT DISTINCT by FROM batches") == [["cas"]])
        #expect(try await harness.rows("SELECT DISTINCT reporter FROM reports WHERE batch_id = 1") == [["Oakfield Academy"]])
    }

    @Test("New batch: an upload is read by its format; a bad date, a binary file and an oversize body change nothing")
    func uploadsAndBadInput() async throws {
        let harness = try await WebHarness { $0.maxUploadBytes = 64 * 1024 }
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            let csv = try String(contentsOfFile: WebHarness.packageRoot + "/examples/reports.csv", encoding: .utf8)
            let uploaded = try await browser.upload(client, "/batch", fields: [], file: ("reports.csv", Array(csv.utf8)))
            #expect(uploaded.status == .ok)
            #expect(String(buffer: uploaded.body).contains("csv"))
            let reports = try await harness.integer("SELECT count(*) FROM reports")
            #expect(reports > 0)

            let badDate = try await browser.post(client, "/batch", [("text", "https://www.tiktok.com/@x/video/7301234567890000009"),
                                                                      ("date", "yesterday-ish")])
            #expect(badDate.status == .unprocessableContent)
            #expect(String(buffer: badDate.body).contains("is not one this app reads"))
            let binary = try await browser.upload(client, "/batch", fields: [], file: ("photo.txt", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0x0D, 0, 1, 2, 3]))
            #expect(binary.status == .unprocessableContent)
            let big = String(repeating: "https://www.tiktok.com/@x/video/7301234567890000010\n", count: 2000)
            let oversize = try await browser.post(client, "/batch", [("text", big)])
            #expect(oversize.status == .contentTooLarge)
            #expect(String(buffer: oversize.body).contains("larger than the limit"))
            let empty = try await browser.post(client, "/batch", [("text", "   ")])
            #expect(empty.status == .unprocessableContent)
            #expect(try await harness.integer("SELECT count(*) FROM reports") == reports)
        }
    }

    @Test("Cases: filters, sorting, pagination with counts, and bulk marks", arguments: WebStoreKind.available)
    func cases(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind) { $0.pageSize = 2 }
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            let lines = (0..<5).map { "https://www.tiktok.com/@user\($0)/video/73012345678900001\($0)" } + ["https://www.instagram.com/p/CxYz123abc/"]
            _ = try await browser.post(client, "/batch", [("text", lines.joined(separator: "\n")), ("reporter", "Riverside")])
            let all = String(buffer: try await browser.get(client, "/cases").body)
            #expect(all.contains("6 items, showing 1–2 (page 1 of 3)"))
            #expect(all.contains("rel=\"next\""))
            let third = String(buffer: try await browser.get(client, "/cases?page=3").body)
            #expect(third.contains("showing 5–6 (page 3 of 3)") && !third.contains("rel=\"next\""))
            let instagram = String(buffer: try await browser.get(client, "/cases?platform=instagram").body)
            #expect(instagram.contains("1 items") && instagram.contains("instagram:"))
            let search = String(buffer: try await browser.get(client, "/cases?q=user3").body)
            #expect(search.contains("1 items") && search.contains("@user3"))
            #expect(String(buffer: try await browser.get(client, "/cases?reporter=Riverside").body).contains("6 items"))
            #expect(String(buffer: try await browser.get(client, "/cases?reporter=Nobody").body).contains("0 items"))
            #expect(String(buffer: try await browser.get(client, "/cases?since=2000-01-01&until=2000-01-02").body).contains("0 items"))
            let badDate = try await browser.get(client, "/cases?since=soon")
            #expect(badDate.status == .badRequest)
            #expect(try await browser.get(client, "/cases?sort=last-checked").status == .ok)

            let keys = ["tiktok:video:730123456789000010", "tiktok:video:730123456789000011"]
            let bulk = try await browser.post(client, "/cases/bulk", keys.map { ("key", $0) } + [("action", "false-report"), ("note", "duplicate account")])
            #expect(bulk.status == .ok)
            #expect(String(buffer: bulk.body).contains("Marked 2 of 2"))
            #expect(String(buffer: try await browser.get(client, "/cases?status=false_report").body).contains("2 items"))
            let none = try await browser.post(client, "/cases/bulk", [("action", "false-report")])
            #expect(none.status == .unprocessableContent)
        }
    }

    @Test("Item: key and URL as text with copy buttons, an open link that sends no referrer, history, and every mark",
          arguments: WebStoreKind.available)
    func itemPageAndMarks(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind)
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            _ = try await browser.post(client, "/batch", [("text", sampleBatch), ("reporter", "Oakfield")])
            let key = "tiktok:video:7301234567890123456"
            let page = String(buffer: try await browser.get(client, "/item?key=\(key)").body)
            #expect(page.contains("<code id=\"item-key\">\(key)</code>"))
            #expect(page.contains("class=\"copy\" data-copy=\"item-key\""))
            #expect(page.contains("rel=\"noopener noreferrer\""))
            #expect(page.contains("href=\"https://www.tiktok.com/@fake.head.teacher/video/7301234567890123456\""))
            #expect(page.contains("Oakfield"))

            let escalate = try await browser.post(client, "/item/mark", [("key", key), ("action", "escalated"), ("to", "tiktok"),
                                                                          ("ref", "TT-12345"), ("note", "sent by form")])
            #expect(escalate.status == .seeOther)
            let after = String(buffer: try await browser.get(client, try #require(escalate.headers[.location])).body)
            #expect(after.contains("Recorded: escalated.") && after.contains("ref TT-12345") && after.contains("by cas"))
            #expect(after.contains("id=\"item-status\">escalated<"))
            #expect(try await browser.post(client, "/item/mark", [("key", key), ("action", "removed")]).status == .seeOther)
            // A mark that does not apply says why and changes nothing.
            let twice = try await browser.post(client, "/item/mark", [("key", key), ("action", "removed")])
            #expect(twice.status == .conflict)
            #expect(String(buffer: twice.body).contains("already removed"))
            #expect(try await browser.post(client, "/item/mark", [("key", key), ("action", "reopen")]).status == .seeOther)
            #expect(try await browser.post(client, "/item/mark", [("key", key), ("action", "false-report")]).status == .seeOther)
            #expect(try await browser.post(client, "/item/mark", [("key", key), ("action", "note"), ("note", "called the school")]).status == .seeOther)
            let emptyNote = try await browser.post(client, "/item/mark", [("key", key), ("action", "note"), ("note", "  ")])
            #expect(emptyNote.status == .conflict)
            let badAt = try await browser.post(client, "/item/mark", [("key", "tiktok:video:7301234567890123456"), ("action", "removed"), ("at", "someday")])
            #expect(badAt.status == .unprocessableContent)
            let history = try #require(try await harness.services.store.history(key: key))
            #expect(history.transitions.map(\.to) == ["escalated", "removed", "new", "false_report"])
            #expect(history.transitions.allSatisfy { $0.by == "cas" })
            #expect(history.escalations.first?.reference == "TT-12345")
            #expect(history.notes.map(\.text) == ["called the school"])
            #expect(try await browser.get(client, "/item?key=nope:nope:1").status == .notFound)
        }
    }

    @Test("Escalate: the list per platform with reasons, CSV and Markdown downloads, and marking a selection",
          arguments: WebStoreKind.available)
    func escalate(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind)
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            _ = try await browser.post(client, "/batch", [("text", sampleBatch)])
            // As a check would leave them: live.
            try await harness.execute("UPDATE items SET status = 'live', last_verdict = 'live', last_checked_at = \(StoreTime.now())")
            let page = String(buffer: try await browser.get(client, "/escalate").body)
            #expect(page.contains("TikTok") && page.contains("Instagram"))
            #expect(page.contains("tiktok:video:7301234567890123456"))
            #expect(page.contains("Copy-ready text"))
            let csv = try await browser.get(client, "/escalate/download?format=csv")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(String(buffer: csv.body).contains("tiktok:video:7301234567890123456"))
            let markdown = try await browser.get(client, "/escalate/download?format=markdown&platform=instagram")
            #expect(!String(buffer: markdown.body).contains("tiktok:video"))
            let marked = try await browser.post(client, "/escalate/mark", [("key", "tiktok:video:7301234567890123456"), ("ref", "TT-9")])
            #expect(String(buffer: marked.body).contains("Marked 1 of 1 escalated"))
            let later = String(buffer: try await browser.get(client, "/escalate").body)
            #expect(!later.contains("tiktok:video:7301234567890123456"))
        }
        #expect(try await harness.rows("SELECT by, reference FROM escalations") == [["cas", "TT-9"]])
    }

    @Test("Report: the takedown report for a period, in the page and as downloads", arguments: WebStoreKind.available)
    func report(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind)
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "vic")
            let page = String(buffer: try await browser.get(client, "/report?since=2026-01-01&weeks=8").body)
            #expect(page.contains("Takedown report since 2026-01-01"))
            #expect(page.contains("id=\"report-text\""))
            let html = try await browser.get(client, "/report/download?since=2026-01-01&weeks=8")
            #expect(html.headers[.contentDisposition]?.contains("takedown-report-") == true)
            #expect(String(buffer: html.body).contains("<html"))
            let markdown = try await browser.get(client, "/report/download?format=markdown")
            #expect(markdown.headers[.contentType]?.hasPrefix("text/markdown") == true)
            #expect(try await browser.get(client, "/report?weeks=0").status == .unprocessableContent)
            #expect(try await browser.get(client, "/report?since=later").status == .unprocessableContent)
        }
    }

    @Test("Rules: explain pasted URLs, run rules test and rules lint")
    func rules() async throws {
        let harness = try await WebHarness()
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "vic")
            let explain = String(buffer: try await browser.get(client, "/rules?urls=https%3A%2F%2Fvm.tiktok.com%2FZMabc123%2F%0Ahttps%3A%2F%2Fwww.tiktok.com%2F%40a%2Fvideo%2F7301234567890123456").body)
            #expect(explain.contains("id=\"explain\""))
            #expect(explain.contains("tiktok:video:7301234567890123456"))
            let test = String(buffer: try await browser.get(client, "/rules?tool=test").body)
            #expect(test.contains("rules test: passed"))
            let lint = String(buffer: try await browser.get(client, "/rules?tool=lint").body)
            #expect(lint.contains("rules lint:"))
        }
    }

    @Test("Check: runs the liveness engine off the request, shows progress, and records results as recheck does",
          arguments: WebStoreKind.available)
    func check(_ kind: WebStoreKind) async throws {
        let server = try await CheckServer.server()
        let harness = try await WebHarness(on: kind) { settings in
            settings.liveness.allowPrivate = true
            settings.liveness.connectTo = [server.connectTo]
            settings.liveness.caCertificate = server.certificate.certificateFile
            settings.liveness.hostInterval = .zero
            settings.liveness.retries = 1
            settings.liveness.timeout = .seconds(15)
        }
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            _ = try await browser.post(client, "/batch", [("text", sampleBatch)])
            let before = String(buffer: try await browser.get(client, "/check").body)
            #expect(before.contains("<strong id=\"due-count\">2</strong>"))
            let started = try await browser.post(client, "/check", [])
            #expect(started.status == .seeOther && started.headers[.location] == "/check")
            // A second run while one goes on is refused, not queued.
            let second = try await browser.post(client, "/item/check", [("key", "tiktok:video:7301234567890123456")])
            #expect(second.status == .conflict || second.status == .seeOther)
            await harness.services.checks.wait()
            let status = String(buffer: try await browser.get(client, "/check/status.json").body)
            #expect(status.contains("\"running\":false"))
            let after = String(buffer: try await browser.get(client, "/check").body)
            #expect(after.contains("2 items due, 2 checked"))
            // One item, on its own, due or not.
            #expect(try await browser.post(client, "/item/check", [("key", "tiktok:video:7301234567890123456")]).status == .seeOther)
            await harness.services.checks.wait()
            #expect(String(buffer: try await browser.get(client, "/check").body).contains("1 item due, 1 checked"))
        }
        #expect(try await harness.integer("SELECT count(*) FROM items WHERE last_verdict IS NOT NULL") == 2)
        #expect(try await harness.integer("SELECT count(*) FROM checks") == 3)
        #expect(try await harness.integer("SELECT count(*) FROM checks WHERE item_id = (SELECT id FROM items WHERE key = 'tiktok:video:7301234567890123456')") == 2)
        #expect(try await harness.integer("SELECT count(*) FROM items WHERE lease_worker IS NOT NULL") == 0)
        #expect(try await harness.rows("SELECT DISTINCT by FROM recheck_runs") == [["cas"]])
    }

    @Test("Check: a run is refused while another process holds the store's recheck lock")
    func checkSharesTheRecheckLock() async throws {
        let harness = try await WebHarness()
        let lock = try RecheckLock.acquire(storePath: harness.settings.storePath, now: StoreTime.now())
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            _ = try await browser.post(client, "/check", [])
            await harness.services.checks.wait()
            let page = String(buffer: try await browser.get(client, "/check").body)
            #expect(page.contains("another recheck is running on this store"))
        }
        withExtendedLifetime(lock) {}
    }

    @Test("The style sheet and script are served by the app")
    func assets() async throws {
        let harness = try await WebHarness()
        try await harness.test { client in
            let css = try await client.execute(uri: "/static/app.css", method: .get)
            #expect(css.status == .ok && css.headers[.contentType]?.hasPrefix("text/css") == true)
            let js = try await client.execute(uri: "/static/app.js", method: .get)
            #expect(js.status == .ok && String(buffer: js.body).contains("clipboard"))
            #expect(try await client.execute(uri: "/static/../Package.swift", method: .get).status != .ok)
        }
    }

    @Test("Forms: multipart and URL-encoded bodies parse; a broken multipart body does not")
    func formParsing() {
        let form = FormData.urlEncoded("a=1&b=two+words&b=%3Cx%3E&c")
        #expect(form["a"] == "1" && form.all("b") == ["two words", "<x>"] && form["c"] == nil)
        let body = Array("--XY\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nline 1\r\nline 2\r\n--XY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nurl\r\n--XY--\r\n".utf8)
        let parsed = FormData.multipart(body, boundary: "XY")
        #expect(parsed?.raw("t") == "line 1\r\nline 2")
        #expect(parsed?.files["file"].map { String(decoding: $0.bytes, as: UTF8.self) } == "url")
        #expect(FormData.multipart(Array("garbage".utf8), boundary: "XY") == nil)
        #expect(FormData.boundary(ofContentType: "multipart/form-data; boundary=\"abc\"") == "abc")
        #expect(BatchController.safeFileName("../../etc/pass wd.csv") == "passwd.csv")
        #expect(BatchController.safeFileName("...") == "upload.txt")
    }
}

@Suite("Web app: cases in priority order")
struct WebPriorityTests {
    @Test("Priority order lists the items the escalation list scores, highest first, within the other filters",
          arguments: WebStoreKind.available)
    func priorityOrder(_ kind: WebStoreKind) async throws {
        let harness = try await WebHarness(on: kind)
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            _ = try await browser.post(client, "/batch", [("text", sampleBatch + "\nhttps://www.youtube.com/watch?v=Ab3dEf9hIjK")])
            // Live and checked, as a check leaves them; the TikTok video reported twice scores highest.
            try await harness.execute("UPDATE items SET status = 'live', last_verdict = 'live', last_checked_at = \(StoreTime.now()) WHERE platform <> 'youtube'")
            let list = try await harness.services.escalationList(platform: nil, version: try await harness.services.recent.currentVersion())
            let expected = list.allRows.sorted { $0.points.total != $1.points.total ? $0.points.total > $1.points.total : $0.item.key < $1.item.key }
                .map(\.item.key)
            #expect(expected.count == 2)
            let page = String(buffer: try await browser.get(client, "/cases?sort=priority").body)
            #expect(page.contains("2 items"), "the never-checked YouTube item is not scored")
            let first = try #require(page.range(of: expected[0])), second = try #require(page.range(of: expected[1]))
            #expect(first.lowerBound < second.lowerBound)
            #expect(page.contains("<th>Score</th>"))
            let instagram = String(buffer: try await browser.get(client, "/cases?sort=priority&platform=instagram").body)
            #expect(instagram.contains("1 items") && !instagram.contains("tiktok:video"))
        }
    }
}

@Suite("Web app: large batches")
struct WebLargeBatchTests {
    @Test("A batch with more items than the page lists still counts them all")
    func countsBeyondTheList() async throws {
        let harness = try await WebHarness()
        try await harness.test { client in
            let browser = try await Browser.signIn(client, as: "cas")
            let text = (0..<1200).map { "https://www.tiktok.com/@many/video/7\(String(format: "%018d", $0))" }.joined(separator: "\n")
            let html = String(buffer: try await browser.post(client, "/batch", [("text", text)]).body)
            #expect(html.contains("<dd id=\"new-count\">1200</dd>"))
            #expect(html.contains("200 more items are not listed here"))
        }
    }
}
