/// Where an item stands in the helpline's work.
///
///     new ─► live / restricted / unknown / error ─► escalated ─► removed
///                         │                            │
///                         └─► removed (gone before     └─► overdue (still up past the
///                             anyone escalated it)          platform's response target)
///
/// `false_report` and `merged` (a short link folded into its target) end an item's
/// life; `reopen` brings one back to `new`.
public enum ItemStatus: String, Sendable, CaseIterable, Codable {
    /// Ingested, never checked.
    case new
    /// The last check found it up.
    case live
    /// Up, but behind a login wall, private, or gated.
    case restricted
    /// The last check could not tell (rate-limited, bot wall).
    case unknown
    /// The last check failed (DNS, connection, TLS, timeout).
    case error
    /// Gone: a check found it removed, or staff marked it so.
    case removed
    /// Sent to the platform; waiting for it to act.
    case escalated
    /// Escalated and still up after the platform's response target: due for re-escalation.
    case overdue
    /// Staff judged the report unfounded; never checked again.
    case falseReport = "false_report"
    /// A short link whose target is another item; its reports count there.
    case merged

    /// The status a check's verdict gives an item that has not been escalated.
    public init(verdict: Verdict) {
        switch verdict {
        case .live: self = .live
        case .removed: self = .removed
        case .restricted: self = .restricted
        case .unknown: self = .unknown
        case .error: self = .error
        }
    }

    /// Waiting on a platform: escalated, or overdue for re-escalation.
    public var isWithPlatform: Bool { self == .escalated || self == .overdue }

    /// Never checked again and out of the working lists.
    public var isClosed: Bool { self == .falseReport || self == .merged }
}
