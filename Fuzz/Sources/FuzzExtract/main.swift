// The line extractor and the defanger over arbitrary bytes. Properties: every
// candidate's text lies inside its line (or inside the extractor's scratch
// bytes when it had to be rewritten), columns are 1-based positions in the
// line in the order found, and a defanged sequence never runs past the line.
import FuzzSupport
@testable import TriageKit

/// The schemeless domains the extractor tests use; built once, as a batch does.
let extractors = [
    URLExtractor(schemelessDomains: ["tiktok.com", "youtu.be", "instagram.com", "youtube.com", "x.com"],
                 keepsNotes: true, unwrapsWrappers: true),
    URLExtractor(schemelessDomains: ["tiktok.com", "youtu.be", "instagram.com", "youtube.com", "x.com"],
                 keepsNotes: false, unwrapsWrappers: false),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtract(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let (option, line) = selector(fuzzBytes(data, count))
    let extractor = extractors[Int(option & 1)]

    var list = CandidateList()
    var scratch = ByteBuffer()
    defer {
        list.deallocate()
        scratch.deallocate()
    }
    extractor.extract(line, into: &list, scratch: &scratch)
    var lastColumn = 0
    for index in 0..<list.count {
        let span = list[index]
        let limit = span.source == .line ? line.count : scratch.count
        require(span.range.lowerBound >= 0 && span.range.upperBound <= limit,
                "candidate \(index) of \(quoted(line)) spans \(span.range) of the \(span.source) (\(limit) bytes)")
        require(span.column >= 1 && span.column <= line.count,
                "candidate \(index) of \(quoted(line)) starts at column \(span.column) of \(line.count)")
        require(span.column >= lastColumn, "candidate \(index) of \(quoted(line)) at column \(span.column) after \(lastColumn)")
        lastColumn = span.column
        if span.source == .line {
            require(!span.range.isEmpty, "candidate \(index) of \(quoted(line)) is empty")
        }
    }

    // The defanger on its own, at every bracket of the line.
    for offset in line.indices where line[offset] == UInt8(ascii: "[") || line[offset] == UInt8(ascii: "(")
        || line[offset] == UInt8(ascii: "{") {
        if let found = Defang.match(line, at: offset) {
            require(found.length >= 3 && offset + found.length <= line.count,
                    "\(quoted(line)): defanged sequence at \(offset) of length \(found.length)")
        }
    }
    var refanged: [UInt8] = []
    var notes: [String] = []
    Defang.appendRefanged(line, 0..<line.count, to: &refanged, notes: &notes)
    // Every defanged form is longer than what it stands for.
    require(refanged.count <= line.count, "\(quoted(line)) refanged to \(refanged.count) bytes")
    return 0
}
