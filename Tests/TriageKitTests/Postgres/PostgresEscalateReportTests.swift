import Foundation
import Testing
@testable import TriageKit
import TriagePostgres
@testable import TriageStore

/// `escalate` and `report` on PostgreSQL: the same cases give the same escalation list, byte for
/// byte in every format, and the same report as on SQLite.
///
/// Checks and marks are made on the SQLite store (they are not ported yet) and `db copy` takes
/// the store to PostgreSQL with its whole history; the shipped batches are also ingested into
/// both stores directly.
@Suite("PostgreSQL store: escalate and report as on SQLite", .enabled(if: PostgresTestSupport.enabled, PostgresTestSupport.skipMessage))
struct PostgresEscalateReportTests {
    static let noon = StoreTestSupport.noon
    static let hour: Int64 = 3600
    /// The first recheck, two hours after the batches came in.
    static let checkedAt = noon + 2 * hour
    /// What the generated batch's short links resolve to (line 4's video, reported and open).
    static let shortLinkTarget = "tiktok:video:7301234567890100004"

    /// Answers from a table: every verdict there is, spread by the key's bytes, with reasons; short
    /// links resolve to `shortLinkTarget`, so the recheck merges them into it.
    struct SpreadChecker: LivenessChecking {
        let at: Int64
        /// The second round finds some of what was up taken down.
        let round: Int

        func check(_ requests: [CheckRequest]) -> AsyncStream<CheckResult> {
            let (at, round) = (at, round)
            return AsyncStream { continuation in
                for request in requests {
                    let spread = request.key.utf8.reduce(0) { $0 &+ Int($1) } + round
                    let verdicts: [Verdict] = [.live, .live, .restricted, .unknown, .error, .removed, .live]
                    var verdict = verdicts[spread % verdicts.count]
                    if round > 0 && verdict == .restricted { verdict = .removed }
                    let reason = switch verdict {
                    case .unknown: "rate-limited (HTTP 429) after 3 tries"
                    case .error: "connection reset by peer"
                    case .removed: "HTTP 404"
                    default: "HTTP 200"
                    }
                    let resolved = request.key.hasPrefix("tiktok:short:") ? shortLinkTarget : nil
                    continuation.yield(CheckResult(key: request.key, url: request.url, verdict: resolved == nil ? verdict : .live,
                                                   reason: reason, elapsedMilliseconds: 5,
                                                   checkedAt: Date(timeIntervalSince1970: TimeInterval(at)), resolvedKey: resolved))
                }
                continuation.finish()
            }
        }
    }

    /// An SQLite store with the shipped batches and a generated one (four platforms, dates over
    /// four weeks, short links), checked twice, with escalations (some long overdue, one
    /// awaiting its answer), removals before and after escalation, false reports and a short
    /// link merged by hand.
    static func storeWithHistory() async throws -> CaseStore {
        let store = try StoreTestSupport.freshStore()
        let rules = TestSupport.shippedRules
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store, now: noon)
        try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.txt", into: store, now: noon)
        let generated = try StoreTestSupport.file("generated.csv", PostgresIngestTests.generatedBatch(lines: 600))
        try StoreTestSupport.ingest(generated, into: store, now: noon + hour)
        _ = try await Rechecker(store: store, checker: SpreadChecker(at: checkedAt, round: 0), policy: .defaults, rules: rules)
            .run(RecheckOptions(by: "test"), now: checkedAt)
        let marker = ItemMarker(store: store, policy: .defaults, rules: rules)
        let keys = try store.rows("""
            SELECT key FROM items WHERE status IN ('live', 'restricted', 'unknown', 'error') AND key <> '\(shortLinkTarget)'
            ORDER BY id LIMIT 60
            """).map { $0[0]! }
        for (index, key) in keys.enumerated() {
            let at = checkedAt + Int64(1 + index) * hour
            switch index % 5 {
            case 0:
                _ = try marker.mark(key, .escalated(to: nil, reference: "CASE-\(index)", at: nil), note: "sent", by: "sam", now: at)
                if index % 10 == 0 { _ = try marker.mark(key, .removed(at: nil), note: nil, by: "sam", now: at + 30 * hour) }
            case 1:
                _ = try marker.mark(key, .removed(at: nil), note: nil, by: "ana", now: at)
            case 2:
                _ = try marker.mark(key, .falseReport, note: "a joke", by: "ana", now: at)
            default:
                continue
            }
        }
        try EscalationStoreTests.mergeShortLink("ZMhand1", line: 900, category: "threat", into: shortLinkTarget, store: store)
        // Workers in two regions: TikTok's live items removed in one and up in the other (blocked).
        let seen = checkedAt + 2 * hour
        try store.execute("""
            INSERT INTO workers (name, region, host, pid, started_at, last_seen_at)
                VALUES ('w-de', 'de', 'h1', 1, \(seen), \(seen)), ('w-uk', 'uk', 'h2', 2, \(seen), \(seen));
            INSERT INTO checks (item_id, checked_at, url, verdict, reason, elapsed_ms, worker, region)
                SELECT id, \(seen), canonical_url, 'removed', 'HTTP 404', 5, 'w-de', 'de' FROM items
                WHERE platform = 'tiktok' AND status = 'live' ORDER BY id;
            INSERT INTO checks (item_id, checked_at, url, verdict, reason, elapsed_ms, worker, region)
                SELECT id, \(seen), canonical_url, CASE WHEN id % 3 = 0 THEN 'removed' ELSE 'live' END, 'HTTP 200', 5, 'w-uk', 'uk'
                FROM items WHERE platform = 'tiktok' AND status = 'live' ORDER BY id;
            """)
        // A week later: escalated items past their target, some found removed.
        _ = try await Rechecker(store: store, checker: SpreadChecker(at: checkedAt + 7 * 24 * hour, round: 1), policy: .defaults,
                                rules: rules).run(RecheckOptions(by: "test"), now: checkedAt + 7 * 24 * hour)
        for open in try store.rows("SELECT key FROM items WHERE status = 'live' ORDER BY id DESC LIMIT 2") {
            _ = try marker.mark(open[0]!, .escalated(to: nil, reference: "LATE", at: nil), note: nil, by: "sam",
                                now: checkedAt + 8 * 24 * hour)
        }
        return store
    }

    /// The SQLite store with history and its copy on PostgreSQL.
    static func bothStores() async throws -> (sqlite: CaseStore, postgres: PostgresStore) {
        let sqlite = try await storeWithHistory()
        let postgres = try await PostgresStore.open(PostgresTestSupport.freshDatabase(), create: true)
        let copied = try await StoreCopy.copy(from: sqlite, to: postgres, now: checkedAt + 9 * 24 * hour)
        #expect(copied.verified)
        return (sqlite, postgres)
    }

    /// The list `urltriage escalate` writes, in every format.
    static func lists(_ store: any CaseStoreBackend, platform: String?, now: Int64, limit: Int? = nil) async throws -> [String] {
        let inputs = try PriorityInputs.load(rules: TestSupport.shippedRules, rulesDirectory: TestSupport.rulesDirectory, policy: nil)
        let found = try await store.escalationCandidates(platform: platform, now: now,
                                                         categorizer: ItemCategorizer(categories: inputs.categories))
        let list = EscalationList.build(candidates: found.candidates, scorer: inputs.scorer, rules: inputs.rules, now: now,
                                        limit: limit, context: found.context)
        return EscalationFormat.allCases.map { list.rendered(as: $0) }
    }

    @Test func theEscalationListIsTheSameInEveryFormat() async throws {
        let (sqlite, postgres) = try await Self.bothStores()
        let times = [Self.checkedAt + 3 * Self.hour, Self.checkedAt + 9 * 24 * Self.hour, Self.checkedAt + 40 * 24 * Self.hour]
        var listed = 0
        for now in times {
            for platform in [nil, "tiktok", "youtube", "instagram", "x"] as [String?] {
                let there = try await Self.lists(sqlite, platform: platform, now: now)
                let here = try await Self.lists(postgres, platform: platform, now: now)
                #expect(there == here, "platform \(platform ?? "all") at \(StoreTime.iso(now))")
                listed += there[0].split(separator: "\n").count
            }
            #expect(try await Self.lists(sqlite, platform: nil, now: now, limit: 3) == Self.lists(postgres, platform: nil, now: now, limit: 3))
        }
        // The fixture is worth comparing: items to send, items for a person, overdue ones, merged words.
        let found = try sqlite.escalationCandidates(now: times[1], categorizer: ItemCategorizer(categories: PrioritySupport.shippedCategories))
        #expect(found.candidates.contains { $0.verdict == .unknown && $0.checkReason != nil })
        #expect(found.candidates.contains { $0.isOverdue(at: times[1]) })
        let target = try sqlite.rows("SELECT status, last_verdict, (SELECT count(*) FROM items a WHERE a.alias_of = items.id) FROM items WHERE key = '\(Self.shortLinkTarget)'")
        #expect(found.candidates.contains { $0.key == Self.shortLinkTarget && $0.category.category == "threat" }, "\(target)")
        #expect(Set(found.candidates.map(\.platform)).count >= 3)
        #expect(found.context.notChecked > 0 || found.context.awaitingResponse > 0)
        #expect(found.candidates.contains { !$0.blockedIn.isEmpty })
        #expect(listed > 100)
        await postgres.close()
    }

    @Test func theReportIsTheSame() async throws {
        let (sqlite, postgres) = try await Self.bothStores()
        let now = Self.checkedAt + 9 * 24 * Self.hour
        let names = ["tiktok": "TikTok", "youtube": "YouTube"]
        for (since, weeks) in [(nil, 26), (Self.noon - 20 * 24 * Self.hour, 26), (nil, 2), (nil, 1), (Self.noon + 3 * 24 * Self.hour, 8)] as [(Int64?, Int)] {
            let there = try await sqlite.report(since: since, now: now, weeks: weeks, platformNames: names)
            let here = try await postgres.report(since: since, now: now, weeks: weeks, platformNames: names)
            #expect(there == here, "since \(since.map(StoreTime.iso) ?? "the start"), \(weeks) weeks")
            #expect(there.markdown(title: "T") == here.markdown(title: "T"))
            #expect(there.html(title: "T") == here.html(title: "T"))
            #expect(try PostgresIngestTests.json(there.stats) == PostgresIngestTests.json(here.stats))
        }
        let report = try await postgres.report(since: nil, now: now, weeks: 26, platformNames: names)
        #expect(report.weeks.count >= 5 && report.weeks.contains { $0.escalated > 0 } && report.weeks.contains { $0.removed > 0 })
        #expect(report.fromEscalation.contains { $0.count > 0 } && report.stats.datesOutOfOrder == 0)
        #expect(report.stats.regions?.map(\.region) == ["de", "uk"])
        await postgres.close()
    }

    @Test func theShippedBatchesIngestedIntoEachStoreGiveTheSameListAndReport() async throws {
        let sqlite = try StoreTestSupport.freshStore()
        let postgres = try await PostgresStore.open(PostgresTestSupport.freshDatabase(), create: true)
        let stores: [any CaseStoreBackend] = [sqlite, postgres]
        for store in stores {
            for file in ["/examples/reports.csv", "/examples/reports.txt"] {
                let input = try StoreIngester.prepare(path: TestSupport.packageRoot + file, format: nil, allowBinary: false)
                _ = try await store.ingest(input, rules: TestSupport.shippedRules, options: IngestOptions(by: "t", now: Self.noon))
            }
        }
        let now = Self.noon + Self.hour
        #expect(try await Self.lists(sqlite, platform: nil, now: now) == Self.lists(postgres, platform: nil, now: now))
        let there = try await sqlite.report(since: nil, now: now, weeks: 26, platformNames: [:])
        #expect(try await there == postgres.report(since: nil, now: now, weeks: 26, platformNames: [:]))
        #expect(there.weeks.contains { $0.newItems > 0 })
        // An empty store: no weeks, no list.
        let empty = try await PostgresStore.open(PostgresTestSupport.freshDatabase(), create: true)
        let none = try StoreTestSupport.freshStore(name: "empty.sqlite")
        #expect(try await none.report(since: nil, now: now, weeks: 26, platformNames: [:])
                == empty.report(since: nil, now: now, weeks: 26, platformNames: [:]))
        #expect(try await Self.lists(none, platform: nil, now: now) == Self.lists(empty, platform: nil, now: now))
        for store in stores + [empty, none] as [any CaseStoreBackend] { await store.closeConnections() }
    }

    /// `location` as the command line names it: the test server's URL, password and all, with its database.
    static func commandLineURL(_ location: PostgresLocation) throws -> String {
        let server = try #require(PostgresTestSupport.url)
        let query = server.firstIndex(of: "?").map { String(server[$0...]) } ?? ""
        let path = server.prefix { $0 != "?" }
        let slash = try #require(path.lastIndex(of: "/"))
        return String(path[..<slash]) + "/" + location.database + query
    }

    @Test(.enabled(if: CrashHarness.binary != nil, "the urltriage binary is not built beside the tests"))
    func theCommandsWriteTheSameBytesOnEitherStore() async throws {
        let sqlite = try await Self.storeWithHistory()
        let location = try await PostgresTestSupport.freshDatabase()
        let postgres = try await PostgresStore.open(location, create: true)
        _ = try await StoreCopy.copy(from: sqlite, to: postgres, now: Self.checkedAt + 9 * 24 * Self.hour)
        await postgres.close()
        let stores = [sqlite.path, try Self.commandLineURL(location)]
        let rules = ["--rules", TestSupport.rulesDirectory]
        let now = StoreTime.iso(Self.checkedAt + 9 * 24 * Self.hour)
        for format in EscalationFormat.allCases {
            for platform in [[], ["--platform", "tiktok"]] {
                let outputs = try stores.map { store in
                    let run = try CrashHarness.run(["escalate", "--format", format.rawValue, "--now", now, "--db", store] + platform + rules,
                                                   killAfter: nil)
                    #expect(run.status == 0, "\(run.output)")
                    return run.output
                }
                #expect(outputs[0] == outputs[1], "\(format) \(platform)")
                #expect(outputs[0].utf8.count > 1_000)
            }
        }
        let directory = try TestSupport.temporaryDirectory()
        let reports = try stores.enumerated().map { index, store in
            let html = directory + "/report\(index).html"
            let run = try CrashHarness.run(["report", "--markdown", "-", "--html", html, "--now", now, "--db", store] + rules,
                                           killAfter: nil)
            #expect(run.status == 0, "\(run.output)")
            return (markdown: run.output.replacingOccurrences(of: html, with: "HTML"), html: try String(contentsOfFile: html, encoding: .utf8))
        }
        #expect(reports[0].markdown == reports[1].markdown)
        #expect(reports[0].html == reports[1].html)
        // Recording: the same list written and the same count recorded on either store; then nothing is left to list.
        let recorded = try stores.map { store in
            try CrashHarness.run(["escalate", "--record", "--by", "sam", "--now", now, "--db", store] + rules, killAfter: nil)
        }
        #expect(recorded[0].status == 0 && recorded[1].status == 0, "\(recorded[1].output)")
        #expect(recorded[0].output == recorded[1].output)
        #expect(recorded[1].output.contains("urltriage: recorded "), "\(recorded[1].output)")
        #expect(!recorded[1].output.contains(PostgresTestSupport.url ?? "no url"), "the password is never shown")
        let again = try stores.map { store in
            try CrashHarness.run(["escalate", "--format", "csv", "--now", now, "--db", store] + rules, killAfter: nil).output
        }
        #expect(again[0] == again[1])
    }
}
