import Foundation
import Testing
@testable import TriageKit

/// Reading report files for ingest: dates, digests, CSV columns and JSON fields.
@Suite("Store: reading reports")
struct StoreIngestReadingTests {
    // MARK: - Dates

    @Test("report times in the forms spreadsheets and forms write")
    func reportedTimes() {
        let expected: Int64 = 1_793_610_840  // 2026-11-02T09:14:00Z
        for text in ["2026-11-02T09:14:00Z", "2026-11-02T09:14:00.250Z", "2026-11-02 09:14", "2026-11-02T10:14:00+01:00",
                     "2026-11-02T10:14:00+0100", "2026-11-02T04:14:00-05:00", "02/11/2026 09:14", "2.11.2026 09:14:00",
                     " 2026-11-02T09:14:00 UTC ", "2026-11-02 09:14:00 GMT"] {
            #expect(ReportedTime.parse(text) == expected, "\(text)")
        }
        #expect(ReportedTime.parse("2026-11-02") == expected - (9 * 3600 + 14 * 60))
        #expect(ReportedTime.parse("29/02/2024") != nil)
        for bad in ["", "yesterday", "2026-13-02", "2026-02-30", "29/02/2025", "2026-11-02T25:00", "2026-11-02T09:14 +99:00",
                    "11/2026", "2026-11-02 nonsense"] {
            #expect(ReportedTime.parse(bad) == nil, "\(bad)")
        }
    }

    // MARK: - Digests

    @Test("SHA-256 agrees with the standard's test vectors, however the bytes are fed")
    func sha256() {
        func digest(_ bytes: [UInt8], pieces: Int = 1) -> String {
            var hash = SHA256()
            let size = max(1, bytes.count / pieces)
            var start = 0
            while start < bytes.count {
                hash.update(Array(bytes[start..<min(bytes.count, start + size)]))
                start += size
            }
            return hash.hexDigest()
        }
        #expect(digest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(digest(million, pieces: 7) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        let bytes = (0..<768).map { UInt8($0 % 256) }
        for pieces in [1, 5, 63, 768] {
            #expect(digest(bytes, pieces: pieces) == "f3a25aa93aa2fbba28d79260535bbd6a5eb0fc1c24a8b0f04e12b484c1dfe363")
        }
    }

    @Test("SHA-256 with the CPU's SHA instructions gives the Swift rounds' digests, at every length and split")
    func sha256HardwareAgrees() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 1000, 4096 + 17, 100_000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let cut = length == 0 ? 0 : Int.random(in: 0...length, using: &generator)
            var software = SHA256(hardware: false)
            var either = SHA256()
            software.update(Array(bytes[..<cut]))
            software.update(Array(bytes[cut...]))
            either.update(Array(bytes[..<cut]))
            either.update(Array(bytes[cut...]))
            #expect(either.hexDigest() == software.hexDigest(), "length \(length), cut at \(cut)")
            if SHA256.cpuHasSHA {
                var hardware = SHA256(hardware: true)
                hardware.update(bytes)
                #expect(hardware.hexDigest() == software.hexDigest(), "length \(length)")
            }
        }
    }

    // MARK: - CSV

    @Test("CSV header names map case-insensitively, with synonyms, and unused columns are named")
    func csvColumns() throws {
        let columns = try #require(ReportColumns(header: ["Reported At", "School", "Harm-Category", "Link", "Comments", "Year group"]))
        #expect(columns.url == 3)
        #expect(columns.fields[.reportedAt] == 0)
        #expect(columns.fields[.organisation] == 1)
        #expect(columns.fields[.category] == 2)
        #expect(columns.fields[.notes] == 4)
        #expect(columns.fields[.reporter] == nil)
        #expect(columns.unused == ["Year group"])
        #expect(ReportColumns(header: ["date", "notes"]) == nil)
        // The preferred name wins when two columns could hold one field.
        let both = try #require(ReportColumns(header: ["date", "url", "reported_at"]))
        #expect(both.fields[.reportedAt] == 2)
    }

    @Test("a CSV report gives its URL cell and its other columns, with the line each record starts on")
    func csvRecords() throws {
        let path = try StoreTestSupport.file("day.csv", """
            reported_at;reporter;school;category;url;notes
            2026-11-02T09:14:00Z;Ms Khan;Oakfield Academy;Impersonation;https://www.tiktok.com/@a/video/7301234567890123456;"fake head
            teacher account"
            bad date;;Riverside Primary;;"https://youtu.be/Ab3dEf9hIjK https://www.tiktok.com/@b";
            """)
        let records = try read(path)
        #expect(records.count == 2)
        #expect(records[0].line == 2)
        #expect(records[0].text == "https://www.tiktok.com/@a/video/7301234567890123456")
        #expect(records[0].fields == ReportFields(reportedAt: 1_793_610_840, reporter: "Ms Khan", organisation: "Oakfield Academy",
                                                  category: "impersonation", notes: "fake head\nteacher account"))
        #expect(records[1].line == 4)
        #expect(records[1].fields.reportedAt == nil)
        #expect(records[1].fields.problem?.contains("bad date") == true)
        #expect(records[1].fields.reportedBy == "Riverside Primary")
    }

    @Test("a CSV file without a url column is refused with the columns it has")
    func csvWithoutURL() throws {
        let path = try StoreTestSupport.file("x.csv", "date,notes\n2026-11-02,hello\n")
        #expect {
            _ = try read(path)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.kind == .noURLColumn && error.message.contains("\"date\", \"notes\"")
        }
    }

    // MARK: - JSON Lines

    @Test("JSON Lines give their URLs as normalize reads them and their other fields")
    func jsonLines() throws {
        let path = try StoreTestSupport.file("day.jsonl", """
            {"urls": ["https://x.com/a/status/123", "https://youtu.be/Ab3dEf9hIjK"], "school": "Hillside High", "reported_at": 1793610840, "Category": "Bullying"}
            {"url": "https://www.instagram.com/p/Cabc123/", "date": "2026-11-02", "reported_at": "2026-11-02T09:14:00Z", "notes": "  badge misuse "}
            not json
            """)
        let records = try read(path)
        #expect(records.count == 3)
        #expect(records[0].text == "https://x.com/a/status/123\nhttps://youtu.be/Ab3dEf9hIjK")
        #expect(records[0].fields == ReportFields(reportedAt: 1_793_610_840, organisation: "Hillside High", category: "bullying"))
        #expect(records[1].fields.reportedAt == 1_793_610_840)
        #expect(records[1].fields.notes == "badge misuse")
        #expect(records[2].text.isEmpty && records[2].problem != nil)
    }

    // MARK: - Helpers

    struct Record: Equatable {
        var line: Int
        var text: String
        var problem: String?
        var fields: ReportFields
    }

    private func read(_ path: String) throws -> [Record] {
        var records: [Record] = []
        _ = try ReportFileReader(path: path, name: path, format: nil, allowBinary: false).read { record in
            records.append(Record(line: record.line, text: String(decoding: record.text, as: UTF8.self),
                                  problem: record.problem, fields: record.fields))
        }
        return records
    }
}
