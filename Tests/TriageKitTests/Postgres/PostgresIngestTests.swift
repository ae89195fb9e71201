import Foundation
import Testing
@testable import TriageKit
import TriagePostgres
@testable import TriageStore

/// The same batches into an SQLite store and a PostgreSQL store give the same summaries and
/// the same `stats --format json`.
@Suite("PostgreSQL store: ingest and stats as on SQLite", .enabled(if: PostgresTestSupport.enabled, PostgresTestSupport.skipMessage))
struct PostgresIngestTests {
    /// Both stores, new.
    func bothStores() async throws -> [any CaseStoreBackend] {
        let sqlite = try StoreTestSupport.freshStore()
        let postgres = try await PostgresStore.open(PostgresTestSupport.freshDatabase(), create: true)
        return [sqlite, postgres]
    }

    func ingest(_ path: String, into store: any CaseStoreBackend, now: Int64 = StoreTestSupport.noon) async throws -> IngestSummary {
        let input = try StoreIngester.prepare(path: path, format: nil, allowBinary: false)
        return try await store.ingest(input, rules: TestSupport.shippedRules, options: IngestOptions(by: "tester", now: now))
    }

    static func json(_ stats: StoreStats) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(stats), as: UTF8.self)
    }

    /// A batch with what ingest must get right: repeats of one item in other shapes, several URLs
    /// on a line, lines without a URL, reporters and schools, categories, a date from the future,
    /// notes past the limit.
    static func generatedBatch(lines: Int) -> String {
        var csv = "reported_at,reporter,school,category,url,notes\n"
        let platforms = ["https://www.tiktok.com/@user%d/video/73012345678901%05d", "https://www.youtube.com/watch?v=abcdefgh%03d",
                         "https://www.instagram.com/p/Cx%dYz%d/", "https://x.com/someone%d/status/1700000000000%05d"]
        for line in 0..<lines {
            let template = platforms[line % platforms.count]
            let id = line % (lines / 3 + 1)
            let url = String(format: template, id % 7, id)
            let date = line % 50 == 0 ? "2099-01-01T00:00:00Z" : "2026-10-\(String(format: "%02d", 1 + line % 28))T09:00:00Z"
            let reporter = line % 4 == 0 ? "" : "parent \(line % 9)"
            let school = line % 5 == 0 ? "School \(line % 3)" : ""
            let category = line % 6 == 0 ? "" : ["bullying", "impersonation", "sexual"][line % 3]
            var notes = line % 10 == 0 ? "no url here, just words" : "see \(url) and\tmore \\ backslash"
            if line % 97 == 0 { notes += " also https://vm.tiktok.com/ZMabc\(line)/" }
            if line == 7 { notes = String(repeating: "é", count: 40_000) }
            let urlField = line % 10 == 0 ? "" : url
            csv += "\(date),\(reporter),\(school),\(category),\(urlField),\"\(notes.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
        }
        return csv
    }

    @Test func theExamplesAndAGeneratedBatchGiveTheSameStatsOnBothStores() async throws {
        let stores = try await bothStores()
        let generated = try StoreTestSupport.file("generated.csv", Self.generatedBatch(lines: 3_000))
        let files = [TestSupport.packageRoot + "/examples/reports.csv", TestSupport.packageRoot + "/examples/reports.txt", generated]
        var summaries: [[String]] = []
        for store in stores {
            var texts: [String] = []
            for file in files {
                texts.append(try await ingest(file, into: store).text)
            }
            // Submitted again: refused, nothing added.
            let again = try await ingest(files[2], into: store)
            #expect(again.alreadyIngested != nil)
            texts.append(again.text)
            summaries.append(texts)
        }
        #expect(summaries[0] == summaries[1])
        let now = StoreTestSupport.noon + 3600
        let sqlite = try Self.json(await stores[0].stats(since: nil, now: now))
        let postgres = try Self.json(await stores[1].stats(since: nil, now: now))
        #expect(sqlite == postgres)
        let since = StoreTestSupport.noon - 20 * StoreTime.day
        #expect(try Self.json(await stores[0].stats(since: since, now: now)) == Self.json(await stores[1].stats(since: since, now: now)))
        for store in stores { await store.closeConnections() }
    }

    @Test func aFileWithLinesAppendedStoresOnlyTheNewLines() async throws {
        let stores = try await bothStores()
        let batch = Self.generatedBatch(lines: 400)
        let first = try StoreTestSupport.file("day.csv", String(batch.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix(201).joined(separator: "\n")) + "\n")
        let whole = try StoreTestSupport.file("day.csv", batch)
        var texts: [[String]] = []
        for store in stores {
            let one = try await ingest(first, into: store)
            let two = try await ingest(whole, into: store)
            #expect(two.extends?.lines == 201)
            texts.append([one.text, two.text])
        }
        #expect(texts[0] == texts[1])
        let now = StoreTestSupport.noon + 3600
        #expect(try Self.json(await stores[0].stats(since: nil, now: now)) == Self.json(await stores[1].stats(since: nil, now: now)))
        for store in stores { await store.closeConnections() }
    }
}
