// The report readers (text, CSV and JSON Lines, as `normalize` and `ingest`
// read them) over arbitrary file contents. Properties: records come in file
// order, each on a later line than the one before (text and JSON Lines: the
// very next line), and a record's text is readable in full during the call.
import FuzzSupport
@testable import TriageKit

let formats: [InputFormat?] = [.text, .csv, .jsonl, nil]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReports(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let (option, bytes) = selector(fuzzBytes(data, count))
    let format = formats[Int(option & 3)]
    let name = option & 8 == 0 ? "reports.csv" : "reports.tsv"
    let allowBinary = option & 16 != 0
    let contents = Array(bytes)

    var lastLine = 0
    var checksum = 0
    func record(_ line: Int, _ text: UnsafeBufferPointer<UInt8>, consecutive: Bool) {
        require(line > lastLine, "record on line \(line) after one on line \(lastLine)")
        if consecutive { require(line == lastLine + 1, "record on line \(line) after one on line \(lastLine)") }
        lastLine = line
        // Touch every byte, so that a record pointing outside the buffer shows.
        for byte in text { checksum &+= Int(byte) }
    }

    if option & 4 == 0 {
        let reader = ReportReader(bytes: contents, name: name, format: format, allowBinary: allowBinary)
        do {
            // CSV records may span lines; text and JSON Lines records are one line each.
            let consecutive = format == .text || format == .jsonl
            try reader.read { line in record(line.line, line.text, consecutive: consecutive) }
        } catch is InputError {
            return 0
        } catch {
            propertyFailed("unexpected error \(error)")
        }
    } else {
        let source = ByteSource(bytes: contents, name: name)
        let buffer = ChunkBuffer(source: source, capacity: ReportReader.chunkBytes + ReportReader.maxLineBytes + 2)
        do {
            try buffer.fill(atLeast: ReportReader.sniffBytes)
            if format == .jsonl || (format == nil && option & 32 != 0) {
                _ = try JSONLReportReader.read(buffer) { item in
                    record(item.line, item.text, consecutive: true)
                    checksum &+= (item.fields.notes?.utf8.count ?? 0) + (item.fields.category?.utf8.count ?? 0)
                }
            } else {
                _ = try CSVReportReader.read(buffer, delimiter: option & 8 == 0 ? UInt8(ascii: ",") : 0x09) { item in
                    record(item.line, item.text, consecutive: false)
                    checksum &+= (item.fields.notes?.utf8.count ?? 0) + (item.fields.category?.utf8.count ?? 0)
                }
            }
        } catch is InputError {
            return 0
        } catch {
            propertyFailed("unexpected error \(error)")
        }
    }
    return checksum == -1 ? 1 : 0
}
