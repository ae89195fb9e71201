extension TakedownReport {
    /// A Markdown summary with the same figures as the HTML page, for an e-mail,
    /// a ticket or a wiki; distributions as tables with text bars.
    public func markdown(title: String = "Takedown report") -> String {
        let s = stats
        var out = "# \(Self.inert(title))\n\n"
        out += (s.since.map { "Reports made and items first reported since \($0.prefix(10))" } ?? "All reports in the case store")
            + ". Figures at \(s.generatedAt).\n\n"

        out += "## Key figures\n\n"
        out += "- Cases (report lines with a URL): **\(ReportNumbers.count(s.reportLines))**; reports of a URL: "
            + "**\(ReportNumbers.count(s.reports))**; distinct items: **\(ReportNumbers.count(s.items))**\n"
        if let tiktok {
            out += "- TikTok: **\(ReportNumbers.percent(tiktok.itemShare))** of items, \(ReportNumbers.percent(tiktok.reportShare)) of reports\n"
        }
        out += "- Takedown success rate: **\(ReportNumbers.percent(s.takedownRate))** "
            + "(\(ReportNumbers.count(s.removedAfterEscalation)) removed of \(ReportNumbers.count(s.escalated)) escalated)\n"
        out += "- Time from escalation to removal: median **\(ReportNumbers.hours(s.hoursFromEscalationToRemoval?.medianHours))**, "
            + "90th percentile \(ReportNumbers.hours(s.hoursFromEscalationToRemoval?.p90Hours))\n"
        out += "- Removed within 24 h / 7 days of escalation: **\(ReportNumbers.percent(s.removedWithin24hOfEscalation))** / "
            + "**\(ReportNumbers.percent(s.removedWithin7dOfEscalation))**\n"
        out += "- Escalated items still up past the platform's response target: **\(ReportNumbers.count(s.pastResponseTarget))**\n\n"

        out += "## Platforms\n\n| platform | items | share of items | reports | share of reports |\n|---|---:|---:|---:|---:|\n"
        for share in s.platforms {
            out += "| \(Self.inert(name(of: share.platform))) | \(ReportNumbers.count(share.items)) | \(ReportNumbers.percent(share.itemShare)) | "
                + "\(ReportNumbers.count(share.reports)) | \(ReportNumbers.percent(share.reportShare)) |\n"
        }

        out += "\n## Time to removal\n\n| measured from | items removed | median | 90th percentile | within 24 h | within 3 days | within 7 days |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|\n"
        out += "| escalation | \(ReportNumbers.count(s.removedAfterEscalation)) | \(ReportNumbers.hours(s.hoursFromEscalationToRemoval?.medianHours)) | "
            + "\(ReportNumbers.hours(s.hoursFromEscalationToRemoval?.p90Hours)) | \(ReportNumbers.percent(s.removedWithin24hOfEscalation)) | "
            + "\(ReportNumbers.percent(s.removedWithin3dOfEscalation)) | \(ReportNumbers.percent(s.removedWithin7dOfEscalation)) |\n"
        out += "| first report | \(ReportNumbers.count(s.removed)) | \(ReportNumbers.hours(s.hoursFromReportToRemoval?.medianHours)) | "
            + "\(ReportNumbers.hours(s.hoursFromReportToRemoval?.p90Hours)) | \(ReportNumbers.percent(s.removedWithin24hOfReport)) | – | "
            + "\(ReportNumbers.percent(s.removedWithin7dOfReport)) |\n\n"
        out += "\(ReportNumbers.count(s.goneBeforeEscalation)) of \(ReportNumbers.count(s.removed)) removed items were gone before anyone escalated them.\n\n"
        if let regions = s.regions {
            out += "## Takedowns by region\n\nEach region's latest check of each item. Removed in one region and up in another is a geo-block, not a takedown.\n\n"
            out += "| region | removed | blocked (up in another region) | up |\n|---|---:|---:|---:|\n"
            for region in regions {
                out += "| \(Self.inert(region.region)) | \(ReportNumbers.count(region.takenDown)) | \(ReportNumbers.count(region.blocked)) | "
                    + "\(ReportNumbers.count(region.up)) |\n"
            }
            out += "\n"
        }
        out += distribution("After escalation", fromEscalation)
        out += distribution("After the first report", fromReport)

        if !weeks.isEmpty {
            out += "## Trend by week\n\n| week from (Monday, UTC) | first reported | escalated | removed |\n|---|---:|---:|---:|\n"
            for week in weeks.reversed() {
                out += "| \(ReportNumbers.day(week.start)) | \(ReportNumbers.count(week.newItems)) | "
                    + "\(ReportNumbers.count(week.escalated)) | \(ReportNumbers.count(week.removed)) |\n"
            }
            out += "\n"
        }
        out += routesMarkdown()
        out += "Every headline figure is the one `urltriage stats --format json` gives for the same store and time.\n"
        return out
    }

    /// `text` as plain words in Markdown, whatever it holds: HTML's `<`, `>` and `&` as entities,
    /// Markdown's marks (emphasis, link brackets, code, table pipes) behind a backslash, and line breaks
    /// and other controls as spaces, so that a title can neither add markup or a line nor reach
    /// a terminal's escape sequences.
    static func inert(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "!":
                out += "\\"
                out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}":
                out += " "
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private func distribution(_ heading: String, _ buckets: [RemovalBucket]) -> String {
        let largest = max(buckets.map(\.count).max() ?? 0, 1)
        var out = "### \(heading)\n\n| time to removal | items | |\n|---|---:|---|\n"
        for bucket in buckets {
            let width = bucket.count == 0 ? 0 : max(1, bucket.count * 30 / largest)
            out += "| \(bucket.label) | \(ReportNumbers.count(bucket.count)) | \(String(repeating: "█", count: width)) |\n"
        }
        return out + "\n"
    }
}
