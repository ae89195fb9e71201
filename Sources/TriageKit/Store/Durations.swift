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
