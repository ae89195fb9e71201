import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// Ingest into a real SQLite file: items, reports, counts, idempotence.
@Suite("Store: ingest")
struct StoreIngestTests {
    @Test("the shipped CSV batch: one item per piece of content, one report per URL, fields kept")
    func shippedBatch() throws {
        let store = try StoreTestSupport.freshStore()
        // Ingested after the batch's last report (a report dated more than a day after its ingest is a problem).
        let summary = try StoreTestSupport.ingest(TestSupport.packageRoot + "/examples/reports.csv", into: store,
                                                  now: StoreTestSupport.noon + 3 * StoreTime.day)
        #expect(summary.shape.format == .csv)
        #expect(summary.newReports == 6 && summary.newItems == 5 && summary.problems == 0)
        let items = try StoreTestSupport.items(store)
        let video = try #require(items["tiktok:video:7301234567890123456"])
        #expect(video.reports == 2 && video.reporters == 1 && video.status == "new")
        // One report line naming two URLs gave two items.
        #expect(items["tiktok:video:7309876543210987654"]?.reports == 1)
        #expect(items.keys.contains { $0.hasPrefix("tiktok:profile:") })
        let report = try store.rows("""
            SELECT r.line, r.url_index, r.reported_at, r.organisation, r.category, r.notes FROM reports r
            JOIN items i ON i.id = r.item_id WHERE i.key = 'tiktok:video:7301234567890123456' ORDER BY r.line
            """)
        #expect(report.first == ["2", "0", "1793610840", "Oakfield Academy", "impersonation",
                                 "fake account of head teacher, using our logo"])
        let first = try store.rows("SELECT first_reported_at, last_reported_at, category FROM items WHERE key = 'tiktok:video:7301234567890123456'")
        #expect(first == [["1793610840", "1793613660", "impersonation"]])
        #expect(try StoreTestSupport.assertConsistent(store).isEmpty)
    }

    @Test("ingesting the same file again, under any name, adds nothing")
    func reingest() throws {
        let store = try StoreTestSupport.freshStore()
        let text = "https://www.tiktok.com/@a/video/7301234567890123456 fake account\nhttps://youtu.be/Ab3dEf9hIjK\n"
        let path = try StoreTestSupport.file("monday.txt", text)
        let first = try StoreTestSupport.ingest(path, into: store)
        #expect(first.newReports == 2)
        let again = try StoreTestSupport.ingest(path, into: store)
        #expect(again.alreadyIngested?.id == first.batchID && again.newReports == 0)
        let renamed = try StoreTestSupport.file("copy.txt", text)
        #expect(try StoreTestSupport.ingest(renamed, into: store).alreadyIngested != nil)
        #expect(try store.integer("SELECT count(*) FROM reports") == 2)
        #expect(try store.integer("SELECT sum(report_count) FROM items") == 2)
        // A different file naming the same content adds a report to the same item.
        let other = try StoreTestSupport.file("tuesday.txt", "see https://m.tiktok.com/@a/video/7301234567890123456?is_from_webapp=1\n")
        let tuesday = try StoreTestSupport.ingest(other, into: store)
        #expect(tuesday.newReports == 1 && tuesday.newItems == 0)
        #expect(try StoreTestSupport.items(store)["tiktok:video:7301234567890123456"]?.reports == 2)
    }

    @Test("a file with lines appended adds only the new lines, however often it grows")
    func appendedFile() throws {
        let store = try StoreTestSupport.freshStore()
        let directory = try TestSupport.temporaryDirectory()
        let path = directory + "/log.csv"
        var text = """
            reported_at,school,url
            2026-11-02T09:14:00Z,Oakfield,https://www.tiktok.com/@a/video/7301234567890123456
            2026-11-02T10:00:00Z,Riverside,"https://youtu.be/Ab3dEf9hIjK, https://www.tiktok.com/@a/video/7301234567890123456"

            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try StoreTestSupport.ingest(path, into: store).newReports == 3)
        text += "2026-11-03T08:00:00Z,Hillside,https://www.tiktok.com/@a/video/7301234567890123456\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let second = try StoreTestSupport.ingest(path, into: store)
        #expect(second.extends == IngestSummary.ExtendedFile(path: path, lines: 3))
        #expect(second.newReports == 1 && second.knownReports == 3)
        text += "not a link\n2026-11-04T08:00:00Z,Oakfield,https://youtu.be/Ab3dEf9hIjK\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let third = try StoreTestSupport.ingest(path, into: store, now: StoreTestSupport.noon + 2 * StoreTime.day)
        #expect(third.newReports == 1 && third.knownReports == 4 && third.problems == 1)
        #expect(try StoreTestSupport.items(store)["tiktok:video:7301234567890123456"]?.reports == 3)
        #expect(try StoreTestSupport.items(store)["youtube:video:Ab3dEf9hIjK"]?.reports == 2)
        #expect(try store.integer("SELECT count(*) FROM reports") == 5)
        // The whole grown file again, under another name: nothing new at all.
        let copy = directory + "/copy.csv"
        try text.write(toFile: copy, atomically: true, encoding: .utf8)
        #expect(try StoreTestSupport.ingest(copy, into: store).alreadyIngested != nil)
        #expect(try StoreTestSupport.assertConsistent(store).isEmpty)
    }

    @Test("an edited copy under the same name is stored as a new file, with a note saying so")
    func editedFile() throws {
        let store = try StoreTestSupport.freshStore()
        let path = try TestSupport.temporaryDirectory() + "/log.txt"
        try "fake account https://www.tiktok.com/@a\nsecond https://youtu.be/Ab3dEf9hIjK\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        try StoreTestSupport.ingest(path, into: store)
        try "fake account of the head https://www.tiktok.com/@a\nsecond https://youtu.be/Ab3dEf9hIjK\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let edited = try StoreTestSupport.ingest(path, into: store)
        #expect(edited.extends == nil && edited.newReports == 2 && edited.sameNameEarlier != nil)
        #expect(edited.text.contains("counted twice"))
    }

    @Test("a batch cut short is finished by the same ingest, without counting anything twice")
    func resume() throws {
        let store = try StoreTestSupport.freshStore()
        let lines = (0..<50).map { "https://www.tiktok.com/@u\($0 % 7)/video/73012345678901\(String(format: "%05d", $0 % 30))" }
        let path = try StoreTestSupport.file("big.txt", lines.joined(separator: "\n") + "\n")
        let complete = try StoreTestSupport.freshStore()
        try StoreTestSupport.ingest(path, into: complete)
        // Simulate a run killed after its first commits: the batch is unfinished and part of it stored.
        try StoreTestSupport.ingest(path, into: store) { $0.rowsPerTransaction = 10 }
        try store.execute("""
            UPDATE batches SET finished_at = NULL;
            DELETE FROM reports WHERE line > 20;
            UPDATE items SET report_count = (SELECT count(*) FROM reports r WHERE r.item_id = items.id);
            """)
        let resumed = try StoreTestSupport.ingest(path, into: store) { $0.rowsPerTransaction = 10 }
        #expect(resumed.resumed != nil)
        #expect(resumed.newReports == 30 && resumed.knownReports == 20)
        #expect(try store.integer("SELECT count(*) FROM batches") == 1)
        // The batch's count is what each run added: 50 by the first (before the forged loss), 30 now.
        #expect(try store.integer("SELECT new_reports FROM batches") == 80)
        #expect(try store.rows("SELECT key, report_count FROM items ORDER BY key")
                == complete.rows("SELECT key, report_count FROM items ORDER BY key"))
    }

    @Test("lines without a usable URL and unreadable dates are kept as problems, never dropped")
    func problems() throws {
        let store = try StoreTestSupport.freshStore()
        let path = try StoreTestSupport.file("mixed.csv", """
            url,reported_at,reporter
            https://www.tiktok.com/@a/video/7301234567890123456,last tuesday,Ms Khan

            mailto:head@school.example,2026-11-02,Mr Lee
            no link here,2026-11-02,Mr Lee
            """)
        let summary = try StoreTestSupport.ingest(path, into: store, now: StoreTestSupport.noon)
        #expect(summary.newReports == 1 && summary.blankLines == 1 && summary.problems == 3)
        let problems = try store.rows("SELECT line, position, reason FROM ingest_problems ORDER BY line, position")
        #expect(problems.map { $0[0]! } == ["2", "4", "5"])
        #expect(problems[0][2]?.contains("last tuesday") == true)
        #expect(problems[1][2]?.contains("mailto") == true)
        // The report whose date did not parse took the ingest time.
        #expect(try store.integer("SELECT reported_at FROM reports") == StoreTestSupport.noon)
    }

    @Test("reports, items and reporters written 64 to a statement: the same store as one by one, counts exact")
    func groupedInserts() throws {
        // 700 lines (ten full groups and a remainder), 97 items seen again and again, five schools
        // and some lines without one, some lines with two URLs: in one transaction, in many (items
        // then come back from earlier transactions), and resumed (one row to a statement).
        var lines = ["reported_at,school,url,notes"]
        for line in 0..<700 {
            let url = "https://www.tiktok.com/@u\(line % 97)/video/73012345678901\(String(format: "%05d", line % 97))"
            let second = line % 10 == 0 ? " https://youtu.be/Ab3dEf9hI\(String(format: "%02d", line % 13))" : ""
            let school = line % 6 == 0 ? "" : "School \(line % 5)"
            lines.append("2026-11-0\(1 + line % 3)T10:00:00Z,\(school),\"\(url)\(second)\",\"note \(line), with a comma\"")
        }
        let path = try StoreTestSupport.file("grouped.csv", lines.joined(separator: "\n") + "\n")
        let one = try StoreTestSupport.freshStore(name: "one.sqlite")
        let summary = try StoreTestSupport.ingest(path, into: one)
        #expect(summary.newReports == 770 && summary.newItems == 97 + 13)
        let many = try StoreTestSupport.freshStore(name: "many.sqlite")
        try StoreTestSupport.ingest(path, into: many) { $0.rowsPerTransaction = 50 }
        let resumed = try StoreTestSupport.freshStore(name: "resumed.sqlite")
        try StoreTestSupport.ingest(path, into: resumed) { $0.rowsPerTransaction = 50 }
        try resumed.execute("""
            UPDATE batches SET finished_at = NULL;
            DELETE FROM reports WHERE line > 300;
            DELETE FROM item_reporters;
            INSERT INTO item_reporters SELECT DISTINCT item_id, organisation FROM reports WHERE organisation IS NOT NULL;
            UPDATE items SET report_count = (SELECT count(*) FROM reports r WHERE r.item_id = items.id),
                             reporter_count = (SELECT count(*) FROM item_reporters r WHERE r.item_id = items.id);
            """)
        let rest = try StoreTestSupport.ingest(path, into: resumed) { $0.rowsPerTransaction = 50 }
        #expect(rest.resumed != nil && rest.knownReports > 0)
        let itemsSQL = "SELECT key, report_count, reporter_count, first_reported_at, last_reported_at, category FROM items ORDER BY key"
        let reportsSQL = """
            SELECT r.line, r.url_index, i.key, r.platform, r.reported_at, r.organisation, r.notes
            FROM reports r JOIN items i ON i.id = r.item_id ORDER BY r.line, r.url_index
            """
        let reportersSQL = "SELECT i.key, r.who FROM item_reporters r JOIN items i ON i.id = r.item_id ORDER BY 1, 2"
        for store in [one, many, resumed] {
            #expect(try StoreTestSupport.assertConsistent(store) == [])
            #expect(try store.rows(itemsSQL) == one.rows(itemsSQL))
            #expect(try store.rows(reportsSQL) == one.rows(reportsSQL))
            #expect(try store.rows(reportersSQL) == one.rows(reportersSQL))
        }
        #expect(try one.integer("SELECT count(*) FROM reports") == 770)
        #expect(try one.integer("SELECT max(reporter_count) FROM items") == 5)
    }

    @Test("distinct reporters: a school counts once however many times it reports an item")
    func reporters() throws {
        let store = try StoreTestSupport.freshStore()
        let path = try StoreTestSupport.file("r.jsonl", """
            {"url": "https://youtu.be/Ab3dEf9hIjK", "school": "Oakfield"}
            {"url": "https://www.youtube.com/watch?v=Ab3dEf9hIjK", "school": "Oakfield", "reporter": "Ms Khan"}
            {"url": "https://youtube.com/shorts/Ab3dEf9hIjK", "reporter": "a parent"}
            {"url": "https://youtu.be/Ab3dEf9hIjK"}
            """)
        try StoreTestSupport.ingest(path, into: store)
        let item = try #require(try StoreTestSupport.items(store)["youtube:video:Ab3dEf9hIjK"])
        #expect(item.reports == 4 && item.reporters == 2)
    }

    @Test("defaults from the command line fill what a text batch cannot say")
    func textDefaults() throws {
        let store = try StoreTestSupport.freshStore()
        let path = try StoreTestSupport.file("forwarded.txt", "pupils named in https://www.tiktok.com/@year9.roasts\n")
        try StoreTestSupport.ingest(path, into: store) { options in
            options.reportedAt = 1_793_610_840
            options.organisation = "Riverside Primary"
            options.category = "bullying"
        }
        let row = try store.rows("SELECT reported_at, organisation, category, notes FROM reports")
        #expect(row == [["1793610840", "Riverside Primary", "bullying", "pupils named in https://www.tiktok.com/@year9.roasts"]])
    }

    @Test("a file that cannot be opened is refused before anything is stored")
    func unreadableFile() throws {
        let store = try StoreTestSupport.freshStore()
        #expect {
            try StoreTestSupport.ingest("/nonexistent/reports.csv", into: store)
        } throws: { error in
            (error as? InputError)?.kind == .cannotOpen
        }
        #expect(try store.integer("SELECT count(*) FROM batches") == 0)
    }
}
