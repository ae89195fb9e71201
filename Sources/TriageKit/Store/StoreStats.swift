import Foundation

/// The takedown figures of a case store, as `urltriage stats` prints them and
/// as reports quote them (`stats --format json` is the contract).
///
/// An item counts once however many reports named it; merged short links are
/// counted in the item they lead to. With `since`, only reports made and items
/// first reported on or after that time count.
public struct StoreStats: Sendable, Equatable, Codable {
    /// When the figures were taken (ISO 8601, UTC).
    public var generatedAt: String
    /// The start of the window, if one was asked for.
    public var since: String?
    /// Reports: one per URL a report named.
    public var reports: Int
    /// Report lines (CSV records, JSON objects) that named at least one usable URL.
    public var reportLines: Int
    /// Distinct items (pieces of content).
    public var items: Int
    /// Items and reports per platform, most reported first.
    public var platforms: [PlatformShare]
    /// Items per current status (`live`, `escalated`, `removed` …).
    public var statuses: [String: Int]
    /// Items escalated to a platform at least once.
    public var escalated: Int
    /// Escalated items that are now removed.
    public var removedAfterEscalation: Int
    /// `removedAfterEscalation / escalated` (the helpline's "takedown success rate"); nil with nothing escalated.
    public var takedownRate: Double?
    /// Items now removed, escalated or not.
    public var removed: Int
    /// Removed items nobody had escalated: gone before a notice could be sent.
    public var goneBeforeEscalation: Int
    /// Hours from an item's first report to its removal, over removed items.
    public var hoursFromReportToRemoval: Durations?
    /// Hours from an item's first escalation to its removal (the "takedown clock").
    public var hoursFromEscalationToRemoval: Durations?
    /// Shares of escalated items removed within 24 hours, 3 days and 7 days of their first escalation.
    public var removedWithin24hOfEscalation: Double?
    public var removedWithin3dOfEscalation: Double?
    public var removedWithin7dOfEscalation: Double?
    /// Shares of all items removed within 24 hours and 7 days of their first report.
    public var removedWithin24hOfReport: Double?
    public var removedWithin7dOfReport: Double?
    /// Escalated items still not removed after the platform's response target: due for re-escalation.
    public var pastResponseTarget: Int
    /// Escalated or removed items left out of every figure above because their dates cannot all
    /// be right: reported in the future, escalated or removed long before their first report, or
    /// removed before their escalation.
    public var datesOutOfOrder: Int

    /// One platform's part of the store.
    /// Takedowns as each region's checks see them; nil unless more than one region checks.
    public var regions: [RegionTakedowns]?

    public struct PlatformShare: Sendable, Equatable, Codable {
        public var platform: String
        public var items: Int
        public var reports: Int
        /// Share of all items, 0–1.
        public var itemShare: Double
        /// Share of all reports, 0–1.
        public var reportShare: Double

        public init(platform: String, items: Int, reports: Int, itemShare: Double, reportShare: Double) {
            self.platform = platform
            self.items = items
            self.reports = reports
            self.itemShare = itemShare
            self.reportShare = reportShare
        }
    }

    public init(generatedAt: String, since: String?, reports: Int, reportLines: Int, items: Int, platforms: [PlatformShare],
                statuses: [String: Int], escalated: Int, removedAfterEscalation: Int, removed: Int, goneBeforeEscalation: Int,
                hoursFromReportToRemoval: Durations?, hoursFromEscalationToRemoval: Durations?,
                removedWithin24hOfEscalation: Double?, removedWithin3dOfEscalation: Double?,
                removedWithin7dOfEscalation: Double?, removedWithin24hOfReport: Double?, removedWithin7dOfReport: Double?,
                pastResponseTarget: Int, datesOutOfOrder: Int = 0) {
        self.generatedAt = generatedAt
        self.since = since
        self.reports = reports
        self.reportLines = reportLines
        self.items = items
        self.platforms = platforms
        self.statuses = statuses
        self.escalated = escalated
        self.removedAfterEscalation = removedAfterEscalation
        takedownRate = escalated > 0 ? Double(removedAfterEscalation) / Double(escalated) : nil
        self.removed = removed
        self.goneBeforeEscalation = goneBeforeEscalation
        self.hoursFromReportToRemoval = hoursFromReportToRemoval
        self.hoursFromEscalationToRemoval = hoursFromEscalationToRemoval
        self.removedWithin24hOfEscalation = removedWithin24hOfEscalation
        self.removedWithin3dOfEscalation = removedWithin3dOfEscalation
        self.removedWithin7dOfEscalation = removedWithin7dOfEscalation
        self.removedWithin24hOfReport = removedWithin24hOfReport
        self.removedWithin7dOfReport = removedWithin7dOfReport
        self.pastResponseTarget = pastResponseTarget
        self.datesOutOfOrder = datesOutOfOrder
    }
}

// MARK: - JSON

extension StoreStats {
    enum CodingKeys: String, CodingKey {
        case generatedAt, since, reports, reportLines, items, platforms, statuses, escalated, removedAfterEscalation,
             takedownRate, removed, goneBeforeEscalation, hoursFromReportToRemoval, hoursFromEscalationToRemoval,
             removedWithin24hOfEscalation, removedWithin3dOfEscalation, removedWithin7dOfEscalation,
             removedWithin24hOfReport, removedWithin7dOfReport, pastResponseTarget, datesOutOfOrder, regions
    }

    /// Writes every field, absent ones as `null`, so that readers of `stats --format json`
    /// always find the same keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(generatedAt, forKey: .generatedAt)
        try container.encode(since, forKey: .since)
        try container.encode(reports, forKey: .reports)
        try container.encode(reportLines, forKey: .reportLines)
        try container.encode(items, forKey: .items)
        try container.encode(platforms, forKey: .platforms)
        try container.encode(statuses, forKey: .statuses)
        try container.encode(escalated, forKey: .escalated)
        try container.encode(removedAfterEscalation, forKey: .removedAfterEscalation)
        try container.encode(takedownRate, forKey: .takedownRate)
        try container.encode(removed, forKey: .removed)
        try container.encode(goneBeforeEscalation, forKey: .goneBeforeEscalation)
        try container.encode(hoursFromReportToRemoval, forKey: .hoursFromReportToRemoval)
        try container.encode(hoursFromEscalationToRemoval, forKey: .hoursFromEscalationToRemoval)
        try container.encode(removedWithin24hOfEscalation, forKey: .removedWithin24hOfEscalation)
        try container.encode(removedWithin3dOfEscalation, forKey: .removedWithin3dOfEscalation)
        try container.encode(removedWithin7dOfEscalation, forKey: .removedWithin7dOfEscalation)
        try container.encode(removedWithin24hOfReport, forKey: .removedWithin24hOfReport)
        try container.encode(removedWithin7dOfReport, forKey: .removedWithin7dOfReport)
        try container.encode(pastResponseTarget, forKey: .pastResponseTarget)
        try container.encode(datesOutOfOrder, forKey: .datesOutOfOrder)
        // Only where several regions check: a single-region store's JSON keeps its keys.
        try container.encodeIfPresent(regions, forKey: .regions)
    }
}

// MARK: - Text

extension StoreStats {
    /// The figures for a person at a terminal.
    public var text: String {
        func percent(_ share: Double?) -> String {
            guard let share else { return "–" }
            return "\(String(format1: share * 100))%"
        }
        func durations(_ value: Durations?) -> String {
            guard let value else { return "– (nothing removed yet)" }
            return "median \(String(format1: value.medianHours)) h, 90th percentile \(String(format1: value.p90Hours)) h "
                + "(\(value.count) item\(value.count == 1 ? "" : "s"))"
        }
        var lines = ["case store figures" + (since.map { " since \($0)" } ?? "") + " (at \(generatedAt))"]
        lines.append("reports: \(reports) (from \(reportLines) report lines); distinct items: \(items)")
        for share in platforms {
            lines.append("  \(share.platform.padding(toLength: 10, withPad: " ", startingAt: 0)) "
                + "\(DurationWords.count(share.items, "item")) (\(percent(share.itemShare))), \(DurationWords.count(share.reports, "report")) (\(percent(share.reportShare)))")
        }
        let order = ItemStatus.allCases.map(\.rawValue)
        let shown = order.compactMap { name in statuses[name].map { "\(name) \($0)" } }
        lines.append("status: " + (shown.isEmpty ? "no items" : shown.joined(separator: ", ")))
        lines.append("escalated: \(escalated); removed after escalation: \(removedAfterEscalation); "
            + "takedown success rate: \(percent(takedownRate))")
        lines.append("removed within 24 h / 3 days / 7 days of escalation: "
            + "\(percent(removedWithin24hOfEscalation)) / \(percent(removedWithin3dOfEscalation)) / \(percent(removedWithin7dOfEscalation))")
        lines.append("time from escalation to removal: \(durations(hoursFromEscalationToRemoval))")
        lines.append("time from first report to removal: \(durations(hoursFromReportToRemoval))")
        lines.append("removed within 24 h / 7 days of first report: \(percent(removedWithin24hOfReport)) / \(percent(removedWithin7dOfReport)) of all items")
        lines.append("gone before anyone escalated them: \(goneBeforeEscalation) of \(removed) removed items")
        lines.append("past the platform's response target and not removed: \(pastResponseTarget)")
        if datesOutOfOrder > 0 {
            lines.append("left out of these figures: \(DurationWords.count(datesOutOfOrder, "item")) whose dates are out of order "
                + "(reported in the future, or removed or escalated before it was reported or escalated)")
        }
        if let regions { lines += RegionTakedowns.lines(regions) }
        return lines.joined(separator: "\n")
    }
}
