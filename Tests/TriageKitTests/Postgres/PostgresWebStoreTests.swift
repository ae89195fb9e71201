import Foundation
import Testing
@testable import TriageKit
@testable import TriagePostgres
@testable import TriageStore

/// The web app's reads (`WebStore`) on PostgreSQL against SQLite's over the same cases, and
/// `urltriage user` and `mark` run on a PostgreSQL store as commands.
@Suite("The web app's store calls and the account and mark commands on PostgreSQL",
       .enabled(if: PostgresTestSupport.enabled, PostgresTestSupport.skipMessage))
struct PostgresWebStoreTests {
    static let noon = StoreTestSupport.noon
    static let batch = """
        Reported by a parent: https://www.tiktok.com/@fake.head.teacher/video/7301234567890123456?is_from_webapp=1
        same video again https://m.tiktok.com/@Fake.Head.Teacher/video/7301234567890123456/?_r=1
        the school's instagram clone https://www.instagram.com/riverside_primary_uncut/
        no link on this line at all
        https://www.tiktok.com/@User2/video/7301234567890000002 note with 50% off_sale
        https://www.youtube.com/watch?v=Ab3dEf9hIjK
        """

    /// A store of `kind` holding the batch (twice, the second time a line more) and a few marks.
    static func store(_ kind: QueueStoreKind) async throws -> any WebStore {
        let store: any WebStore
        switch kind {
        case .sqlite: store = try StoreTestSupport.freshStore()
        case .postgres: store = try await PostgresStore.open(PostgresTestSupport.freshDatabase(), create: true)
        }
        for (name, text, at) in [("a.txt", batch, noon), ("b.txt", batch + "\nhttps://www.instagram.com/p/CxYz123abc/", noon + 3600)] {
            let input = try StoreIngester.prepare(path: try StoreTestSupport.file(name, text + "\n"), format: nil, allowBinary: false)
            var options = IngestOptions(by: "tester", now: at)
            options.reporter = "Oakfield"
            _ = try await store.ingest(input, rules: TestSupport.shippedRules, options: options)
        }
        let rules = TestSupport.shippedRules
        _ = try await store.mark("tiktok:video:7301234567890123456", .escalated(to: nil, reference: "T-1", at: nil), note: "sent",
                                 by: "cas", now: noon + 7200, policy: .defaults, rules: rules)
        _ = try await store.mark("tiktok:video:7301234567890000002", .note, note: "50% sure", by: "cleo", now: noon + 7300,
                                 policy: .defaults, rules: rules)
        _ = try await store.mark("https://www.youtube.com/watch?v=Ab3dEf9hIjK", .note, note: "Zoë (7B) says the ŁÓDŹ École page is fake",
                                 by: "cleo", now: noon + 7400, policy: .defaults, rules: rules)
        return store
    }

    /// What a page shows of a history, in order.
    static func shown(_ history: ItemHistory?) -> [String] {
        guard let history else { return ["none"] }
        return ["\(history.item)"] + history.reports.map { "\($0)" } + history.checks.map { "\($0)" }
            + history.transitions.map { "\($0)" } + history.escalations.map { "\($0)" } + history.notes.map { "\($0)" }
            + history.merged + history.blockedIn
    }

    static func shown(_ outcome: BatchOutcome) -> [String] {
        ["\(outcome.batchID) \(outcome.newCount) \(outcome.knownCount) \(outcome.duplicatesFolded) \(outcome.omittedItems) \(outcome.omittedRejected)"]
            + outcome.newItems.map { "new \($0)" } + outcome.knownItems.map { "known \($0)" } + outcome.rejected.map { "\($0)" }
    }

    @Test("Cases with every filter, order and page, keys, items, histories, batches and the due count agree")
    func sameAnswers() async throws {
        let sqlite = try await Self.store(.sqlite)
        let postgres = try await Self.store(.postgres)
        defer { Task { await postgres.closeConnections() } }
        var filters: [CaseFilter] = []
        for order in CaseFilter.Order.allCases {
            for page in 1...3 {
                var filter = CaseFilter()
                filter.order = order
                filter.page = page
                filter.pageSize = 2
                filters.append(filter)
            }
        }
        func with(_ change: (inout CaseFilter) -> Void) -> CaseFilter {
            var filter = CaseFilter()
            change(&filter)
            return filter
        }
        filters += [
            with { $0.platform = "tiktok" }, with { $0.status = .escalated }, with { $0.status = .merged },
            with { $0.reporter = "Oakfield" }, with { $0.reporter = "nobody" }, with { $0.since = Self.noon + 1 },
            with { $0.until = Self.noon + 1 }, with { $0.text = "USER2" }, with { $0.text = "50%" }, with { $0.text = "off_sale" },
            with { $0.text = "sure" }, with { $0.text = "_" }, with { $0.onlyKeys = ["tiktok:video:7301234567890123456", "x:y:z"] },
            with { $0.onlyKeys = [] }, with { $0.platform = "instagram"; $0.order = .reports },
            with { $0.text = "ZOË" }, with { $0.text = "zoë (7b)" }, with { $0.text = "łódź" }, with { $0.text = "ÉCOLE PAGE" },
            with { $0.text = "zoe" },
        ]
        for filter in filters {
            let (a, b) = (try await sqlite.cases(filter), try await postgres.cases(filter))
            #expect(a.items == b.items && a.total == b.total && a.page == b.page && a.pageSize == b.pageSize, "\(filter)")
            #expect(try await sqlite.caseKeys(filter).sorted() == (try await postgres.caseKeys(filter).sorted()), "\(filter)")
            #expect(try await postgres.cases(filter, knownTotal: 99).total == 99)
        }
        #expect(try await sqlite.cases(with { $0.text = "USER2" }).total == 1, "the search ignores case")
        for text in ["ZOË", "łódź", "ÉCOLE PAGE"] {
            #expect(try await sqlite.cases(with { $0.text = text }).total == 1, "the search ignores the case of every letter: \(text)")
        }
        #expect(try await sqlite.cases(with { $0.text = "zoe" }).total == 0, "an accent is not dropped")
        let keys = try await sqlite.caseKeys(CaseFilter()).sorted()
        #expect(keys.count == 5)
        let asked = keys.reversed() + ["nothing:here:1"]
        #expect(try await sqlite.items(keys: Array(asked)) == (try await postgres.items(keys: Array(asked))))
        for key in keys + ["nothing:here:1"] {
            #expect(Self.shown(try await sqlite.history(key: key)) == Self.shown(try await postgres.history(key: key)), "\(key)")
            #expect(Self.shown(try await sqlite.history(key: key, limit: 1)) == Self.shown(try await postgres.history(key: key, limit: 1)))
        }
        for batch: Int64 in [1, 2, 3] {
            #expect(Self.shown(try await sqlite.batchOutcome(batch)) == Self.shown(try await postgres.batchOutcome(batch)), "batch \(batch)")
            #expect(Self.shown(try await sqlite.batchOutcome(batch, limit: 1)) == Self.shown(try await postgres.batchOutcome(batch, limit: 1)))
        }
        for now in [Self.noon - 1, Self.noon + 7200, Self.noon + 90 * 86_400] {
            #expect(try await sqlite.dueCount(now: now) == (try await postgres.dueCount(now: now)))
        }
    }

    @Test("A web call the database does not answer within the deadline fails, and the next call gets a new pool")
    func stalledCallGivesUp() async throws {
        let store = try await PostgresStore.open(PostgresTestSupport.freshDatabase(), create: true)
        defer { Task { await store.close() } }
        // 3 s, not less: with the suite run twice at once on two cores, a new pool's connection
        // and first answer once took over 1 s.
        store.sharedDeadline.withLock { $0 = .seconds(3) }
        #expect(try await store.dueCount(now: 0) == 0)
        // Another session holds the table, so the pool's query waits as on a wedged pool; it lets
        // go after 10 s, when a call without a deadline would answer (and this test fail).
        let holder = try await PostgresStore.open(store.url)
        try await holder.execute("BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE")
        let release = Task {
            try? await Task.sleep(for: .seconds(10))
            try? await holder.execute("COMMIT")
            await holder.close()
        }
        let started = ContinuousClock.now
        await #expect {
            _ = try await store.dueCount(now: 0)
        } throws: { error in
            "\(error)".contains("the database gave no answer within 3 s")
        }
        #expect(ContinuousClock.now - started < .seconds(8), "the call gave up at its deadline, not when the lock went")
        await release.value
        #expect(try await store.dueCount(now: 0) == 0, "the next call answers, on a new pool")
    }

    @Test("The version moves on with a commit by another connection, and only grows")
    func versionGrows() async throws {
        let store = try await PostgresStore.open(PostgresTestSupport.freshDatabase(), create: true)
        defer { Task { await store.close() } }
        let probe = try store.changeProbe()
        var last = try await probe.version()
        for round in 0..<3 {
            let other = try await PostgresStore.open(store.url)
            try await other.execute("CREATE TABLE IF NOT EXISTS scratch (n bigint); INSERT INTO scratch VALUES (\(round))")
            await other.close()
            let now = try await probe.version()
            #expect(now > last)
            last = now
        }
    }

    @Test("`urltriage user` and `mark` on a PostgreSQL store, the password never shown",
          .enabled(if: CrashHarness.binary != nil, "the urltriage binary is not built beside the tests"))
    func commands() async throws {
        try await PostgresWorkerProcessTests.withStore(pages: 2) { store, url in
            let password = try #require(try PostgresLocation(url).password)
            let add = try CrashHarness.runShell("echo 'correct horse battery' | \"$0\" user add ada --role admin --by setup \"$@\"",
                                                arguments: ["--db", url])
            #expect(add.status == 0 && add.output.contains("added ada (admin)"), "\(add.output)")
            let again = try CrashHarness.runShell("echo 'correct horse battery' | \"$0\" user add ADA --role viewer \"$@\"",
                                                  arguments: ["--db", url])
            #expect(again.status == 2 && again.output.contains("an account named 'ADA' exists already"), "\(again.output)")
            let list = try CrashHarness.run(["user", "list", "--db", url], killAfter: nil)
            #expect(list.output.contains("ada\tadmin\tactive") && list.output.contains("by setup"), "\(list.output)")
            #expect(try CrashHarness.run(["user", "disable", "ada", "--db", url], killAfter: nil).status == 0)
            #expect(try await PostgresWorkerProcessTests.integer(store, "SELECT count(*) FROM users WHERE disabled_at IS NOT NULL") == 1)

            let key = try #require(try await store.rows("SELECT key FROM items ORDER BY id LIMIT 1").first?.first ?? nil)
            let rules = ["--rules", TestSupport.rulesDirectory]
            let mark = try CrashHarness.run(["mark", key, "escalated", "--ref", "REF-9", "--by", "cas", "--db", url] + rules, killAfter: nil)
            #expect(mark.status == 0 && mark.output.contains("\(key): new → escalated; response due by"), "\(mark.output)")
            let wrong = try CrashHarness.run(["mark", "nothing:here:1", "removed", "--db", url] + rules, killAfter: nil)
            #expect(wrong.status == 2 && wrong.output.contains("no item 'nothing:here:1'"), "\(wrong.output)")
            for run in [add, again, list, mark, wrong] { #expect(!run.output.contains(password), "the password is never shown") }
            #expect(try await store.rows("SELECT to_status, by FROM transitions") == [["escalated", "cas"]])
            #expect(try await store.rows("SELECT reference, by FROM escalations") == [["REF-9", "cas"]])
        }
    }
}
