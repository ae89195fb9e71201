import Testing
@testable import TriageKit

/// The sixteen-at-a-time path scan must agree with the byte-by-byte one on
/// every input, whatever mix of plain bytes, separators, dots and bytes to encode.
@Suite struct PathScanTests {
    static let alphabet: [UInt8] = Array("aZ09-_~@/./.%.\\?#\" <>`{}^|:;=é".utf8) + [0x01, 0x7F, 0xFF]

    @Test func agreesWithTheByteByByteScan() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...70, using: &generator)
            let plainShare = Int.random(in: 0...10, using: &generator)
            var bytes: [UInt8] = [UInt8(ascii: "/")]
            for _ in 0..<length {
                bytes.append(Int.random(in: 0...10, using: &generator) < plainShare
                             ? Array("abcdefghij.@-_/".utf8).randomElement(using: &generator)!
                             : Self.alphabet.randomElement(using: &generator)!)
            }
            let start = 1
            let initial = Bool.random(using: &generator)
            bytes.withUnsafeBufferPointer { s in
                let fast = WebURLParser.PathScan.scan(s, from: start, mayChange: initial)
                var slow = WebURLParser.PathScan(start: start, mayChange: initial)
                _ = slow.bytes(s, upTo: s.count)
                #expect(fast.end == slow.end && fast.encoded == slow.encoded && fast.mayChange == slow.mayChange,
                        "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }
}
