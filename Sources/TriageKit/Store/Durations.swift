/// How long something took across many items, in hours: count, median and 90th percentile.
///
/// Percentiles are nearest-rank (the value at rank ⌈p·n⌉ of the sorted list), so each
/// is a time some item really took; the median of an even count is the lower middle.
public struct Durations: Sendable, Equatable, Codable {
    public var count: Int
    public var medianHours: Double
    public var p90Hours: Double

    /// The summary of `seconds`, or nil when there are none.
    public init?(seconds: [Int64]) {
        guard !seconds.isEmpty else { return nil }
        let sorted = seconds.sorted()
        count = sorted.count
        medianHours = Self.hours(Self.percentile(sorted, 0.5))
        p90Hours = Self.hours(Self.percentile(sorted, 0.9))
    }

    /// The nearest-rank percentile `p` (0 < p ≤ 1) of a sorted, non-empty list.
    public static func percentile(_ sorted: [Int64], _ p: Double) -> Int64 {
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// Seconds as hours, to a tenth.
    static func hours(_ seconds: Int64) -> Double {
        (Double(seconds) / 360).rounded() / 10
    }
}

// MARK: - Durations by selection

extension Durations {
    /// The summary `init?(seconds:)` gives, found by selection rather than by sorting every
    /// time: `stats` summarises about a million removal times, and the sort was a tenth of its
    /// time. Leaves `seconds` in no particular order.
    public init?(selectingFrom seconds: inout [Int64]) {
        guard !seconds.isEmpty else { return nil }
        let total = seconds.count
        // The nearest ranks `percentile(_:_:)` reads, as indices into the sorted list.
        func index(_ p: Double) -> Int { min(max(Int((p * Double(total)).rounded(.up)), 1), total) - 1 }
        let (median, p90) = (index(0.5), index(0.9))
        let (medianSeconds, p90Seconds) = seconds.withUnsafeMutableBufferPointer { buffer in
            Self.select(median, in: buffer, from: 0)
            // Everything after the median is at least the median: the 90th percentile is among them.
            Self.select(p90, in: buffer, from: median)
            return (buffer[median], buffer[p90])
        }
        count = total
        medianHours = Self.hours(medianSeconds)
        p90Hours = Self.hours(p90Seconds)
    }

    /// Puts the value that sorting `buffer[start...]` would put at `rank` there, with none
    /// greater before it and none smaller after it (Hoare's selection).
    static func select(_ rank: Int, in buffer: UnsafeMutableBufferPointer<Int64>, from start: Int) {
        var low = start
        var high = buffer.count - 1
        var rounds = 0
        while low < high {
            rounds += 1
            // Pivots this unlucky are pathological input: finish with a sort, never quadratic time.
            guard rounds <= 64 else {
                var rest = UnsafeMutableBufferPointer(rebasing: buffer[low...high])
                rest.sort()
                return
            }
            let (a, b, c) = (buffer[low], buffer[low + (high - low) / 2], buffer[high])
            let pivot = max(min(a, b), min(max(a, b), c))
            var i = low
            var j = high
            while i <= j {
                while buffer[i] < pivot { i += 1 }
                while buffer[j] > pivot { j -= 1 }
                if i <= j {
                    buffer.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now buffer[low...j] ≤ pivot ≤ buffer[i...high], and anything between equals the pivot.
            if rank <= j {
                high = j
            } else if rank >= i {
                low = i
            } else {
                return
            }
        }
    }
}
