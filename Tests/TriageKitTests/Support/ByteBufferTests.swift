import Testing
@testable import TriageKit

@Suite struct ByteBufferTests {
    @Test(arguments: [0, 7, 9, 10, 42, 99, 100, 101, 999, 1000, 65535, 1_000_000, -1, -10, -99, -100, Int.max, Int.min])
    func decimalMatchesSwift(_ number: Int) {
        var buffer = ByteBuffer(capacity: 16)
        defer { buffer.deallocate() }
        buffer.append(UInt8(ascii: "["))
        buffer.append(decimal: number)
        buffer.append(UInt8(ascii: "]"))
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == "[\(number)]")
    }

    /// Many numbers in a row grow the buffer past its first capacity.
    @Test func decimalsGrowTheBuffer() {
        var buffer = ByteBuffer(capacity: 16)
        defer { buffer.deallocate() }
        var expected = ""
        for number in stride(from: -5_000, through: 5_000, by: 37) {
            buffer.append(decimal: number)
            buffer.append(UInt8(ascii: ","))
            expected += "\(number),"
        }
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == expected)
    }
}
