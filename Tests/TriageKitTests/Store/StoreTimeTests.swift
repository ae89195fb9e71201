import Testing
@testable import TriageKit

@Suite struct StoreTimeTests {
    @Test func isoTimesAreThoseOfTheCLibrary() {
        // Edges: the epoch, leap days (2000 is a leap year, 2100 is not), the last four-digit
        // year and the first five-digit one, times before 1970.
        var samples: [Int64] = [0, 59, 60, 3_599, 86_399, 86_400, 951_782_400, 951_868_799, 951_868_800,
                                4_107_456_000, 4_107_542_400, 253_402_300_799, 253_402_300_800, -1, -86_401]
        var state: UInt64 = 20_261_126
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            samples.append(Int64(state >> 1) % 253_402_300_800)
        }
        #expect(samples.filter { StoreTime.iso($0) != StoreTime.libcISO($0) }.isEmpty)
        #expect(samples.filter { seconds in
            StoreTime.withISO(seconds) { String(decoding: $0, as: UTF8.self) } != StoreTime.libcISO(seconds)
        }.isEmpty)
        #expect(StoreTime.iso(1_795_683_600) == "2026-11-26T09:00:00Z")
    }
}
