import Foundation
import Testing
@testable import TriageKit
@testable import TriageStore

/// Long notes: kept whole up to 64 KiB, a problem recorded beyond, and the
/// harm category read from all of what is kept.
@Suite("Store: long notes")
struct StoreNotesTests {
    private func csv(notes: [String]) -> String {
        var text = "reported_at,school,url,notes\n"
        for (index, note) in notes.enumerated() {
            text += "2026-11-02T09:00:00Z,Oakfield,https://www.tiktok.com/@a/video/73000000000000000\(10 + index),\"\(note)\"\n"
        }
        return text
    }

    @Test("a note of 5,000 characters is kept whole, and its last words decide the category")
    func longNoteKeptWhole() throws {
        let store = try StoreTestSupport.freshStore()
        let note = String(repeating: "they keep posting about him in the group chat. ", count: 100) + "now they say they are going to stab him"
        #expect(note.count > 2000)
        let batch = try StoreTestSupport.file("long.csv", csv(notes: [note]))
        let summary = try StoreTestSupport.ingest(batch, into: store)
        #expect(summary.problems == 0)
        #expect(try store.rows("SELECT notes FROM reports") == [[note]])
        let decision = ItemCategorizer(categories: PrioritySupport.shippedCategories)
            .decide(reports: try store.rows("SELECT category, notes FROM reports").map { .init(category: $0[0], notes: $0[1]) })
        #expect(decision.category == "threat", "\(decision)")
    }

    @Test("a text report line's notes are kept whole too")
    func textLineKeptWhole() throws {
        let store = try StoreTestSupport.freshStore()
        let line = "https://www.tiktok.com/@a/video/7300000000000000001 " + String(repeating: "x", count: 3000) + " going to stab him"
        try StoreTestSupport.ingest(try StoreTestSupport.file("t.txt", line + "\n"), into: store)
        #expect(try store.rows("SELECT length(notes) FROM reports") == [[String(line.count)]])
    }

    @Test("a note over 64 KiB is cut at the limit, on a character boundary, with a problem recorded")
    func noteOverTheLimit() throws {
        let store = try StoreTestSupport.freshStore()
        // Two-byte characters after one ASCII one, so that the limit falls inside a character.
        let note = "x" + String(repeating: "é", count: 40_000)
        let batch = try StoreTestSupport.file("huge.csv", csv(notes: [note]))
        let summary = try StoreTestSupport.ingest(batch, into: store)
        #expect(summary.newReports == 1 && summary.problems == 1)
        let kept = try #require(try store.rows("SELECT notes FROM reports").first?[0] ?? nil)
        #expect(kept.utf8.count == IngestWriter.maxNotesBytes - 1)
        #expect(kept.dropFirst().allSatisfy { $0 == "é" })
        let reason = try #require(try store.rows("SELECT reason FROM ingest_problems").first?[0] ?? nil)
        #expect(reason.contains("80,001 bytes") && reason.contains("65,536"), "\(reason)")
    }
}
