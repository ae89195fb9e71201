import Testing
@testable import TriageKit

@Suite struct LargeMemoryTests {
    @Test(arguments: [64, 4096, LargeMemory.hugePage - 1, LargeMemory.hugePage, 3 * LargeMemory.hugePage + 5])
    func regionsStartZeroed(_ bytes: Int) {
        let region = LargeMemory.allocateZeroed(bytes: bytes)
        defer { LargeMemory.release(region, bytes: bytes) }
        let view = UnsafeRawBufferPointer(start: region, count: bytes)
        #expect(view.allSatisfy { $0 == 0 })
        #expect(UInt(bitPattern: region) % 64 == 0)
    }

    /// Growing keeps what was written and adds zeros, small to small, small to large and large to large.
    @Test(arguments: [(1024, 8192), (8192, 3 * LargeMemory.hugePage), (LargeMemory.hugePage, 4 * LargeMemory.hugePage)])
    func growingKeepsContents(_ sizes: (Int, Int)) {
        let (old, new) = sizes
        let region = LargeMemory.allocateZeroed(bytes: old)
        for offset in 0..<old { region.storeBytes(of: UInt8(truncatingIfNeeded: offset &* 31 &+ 7), toByteOffset: offset, as: UInt8.self) }
        let grown = LargeMemory.grow(region, bytes: old, to: new)
        defer { LargeMemory.release(grown, bytes: new) }
        let view = UnsafeRawBufferPointer(start: grown, count: new)
        #expect((0..<old).allSatisfy { view[$0] == UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        #expect(view[old...].allSatisfy { $0 == 0 })
    }

    /// A table made big for its batch and one that grows there hold the same keys.
    @Test func presizedAndGrownTablesAgree() {
        var small = ByteTable<Void>(minimumCapacity: 16)
        var large = ByteTable<Void>(minimumCapacity: 200_000, keyBytes: 200_000 * 48)
        for index in 0..<100_000 {
            let key = "tiktok:video:\(7_000_000_000_000_000_000 + index * 7919)"
            #expect(small.insert(key, ()).inserted)
            #expect(large.insert(key, ()).inserted)
        }
        for index in stride(from: 0, to: 100_000, by: 997) {
            let key = "tiktok:video:\(7_000_000_000_000_000_000 + index * 7919)"
            #expect(small.insert(key, ()).inserted == false)
            #expect(large.insert(key, ()).inserted == false)
        }
        #expect(small.count == 100_000 && large.count == 100_000)
        #expect(small.key(at: 54_321) == large.key(at: 54_321))
    }
}
