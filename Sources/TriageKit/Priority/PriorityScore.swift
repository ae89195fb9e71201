/// An item's priority: the sum of its reasons' points, highest first in a list.
public struct PriorityScore: Sendable, Equatable {
    /// One fact that added points, in words: `live for 9 days +9`.
    public struct Reason: Sendable, Equatable, CustomStringConvertible {
        /// What the fact is about, for tools that read reasons: `category`, `reports`,
        /// `verdict`, `age`, `overdue`, `content_type`.
        public var part: String
        public var words: String
        public var points: Int
        public var description: String { "\(words) +\(points)" }
    }

    public var reasons: [Reason]
    public var total: Int { reasons.reduce(0) { $0 + $1.points } }

    /// `threats and risk to life (…) +50, live for 9 days +9`.
    public var explanation: String { reasons.map(\.description).joined(separator: ", ") }
}
