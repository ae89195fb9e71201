extension TakedownReport {
    /// A self-contained HTML page: inline CSS, charts as inline SVG, no script, font
    /// or stylesheet from anywhere. It is XHTML-compatible markup (every element closed,
    /// every attribute quoted), reads on a phone (viewport, fluid grid) and prints on A4.
    ///
    /// Each figure taken from `stats` carries `data-stat` (its path in `stats --format json`)
    /// and `data-value` (the value there), so a test can hold the page to the stats.
    public func html(title: String = "Takedown report") -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta name="generator" content="urltriage report" />
            <title>\(HTMLText.escape(title))</title>
            <style>\(Self.css)</style>
            </head>
            <body>

            """
        page += header(title: title)
        page += "<main>\n"
        page += tiles()
        page += platformsSection()
        page += removalSection()
        page += outstandingSection()
        page += trendSection()
        page += routesHTML()
        page += "</main>\n"
        page += footer()
        page += "</body>\n</html>\n"
        return page
    }

    // MARK: - Sections

    private func header(title: String) -> String {
        var window = "All reports in the case store"
        if let since = stats.since { window = "Reports made and items first reported since \(since.prefix(10))" }
        return """
            <header>
            <h1>\(HTMLText.escape(title))</h1>
            <p class="meta">\(HTMLText.escape(window)). Figures at \(HTMLText.escape(stats.generatedAt)).</p>
            </header>

            """
    }

    private func tiles() -> String {
        var tiles: [String] = []
        tiles.append(tile(count("reportLines", stats.reportLines), "cases (report lines with a URL)"))
        tiles.append(tile(count("reports", stats.reports), "reports of a URL"))
        tiles.append(tile(count("items", stats.items), "distinct items (pieces of content)"))
        if let tiktok {
            tiles.append(tile(percent("platforms.tiktok.itemShare", tiktok.itemShare), "of items are on TikTok"))
        }
        tiles.append(tile(percent("takedownRate", stats.takedownRate),
                          "takedown success rate: \(count("removedAfterEscalation", stats.removedAfterEscalation)) removed of \(count("escalated", stats.escalated)) escalated"))
        tiles.append(tile(hours("hoursFromEscalationToRemoval.medianHours", stats.hoursFromEscalationToRemoval?.medianHours),
                          "median time from escalation to removal (90th percentile \(hours("hoursFromEscalationToRemoval.p90Hours", stats.hoursFromEscalationToRemoval?.p90Hours)))"))
        tiles.append(tile(percent("removedWithin24hOfEscalation", stats.removedWithin24hOfEscalation),
                          "of escalated items removed within 24 h; \(percent("removedWithin7dOfEscalation", stats.removedWithin7dOfEscalation)) within 7 days"))
        tiles.append(tile(count("pastResponseTarget", stats.pastResponseTarget),
                          "escalated items still up past the platform’s response target"))
        return "<section class=\"tiles\" aria-label=\"Key figures\">\n" + tiles.joined(separator: "\n") + "\n</section>\n"
    }

    private func platformsSection() -> String {
        var rows = ""
        for share in stats.platforms {
            let path = "platforms.\(share.platform)"
            rows += "<tr><th scope=\"row\">\(HTMLText.escape(name(of: share.platform)))</th>"
                + "<td class=\"n\">\(count(path + ".items", share.items))</td>"
                + "<td class=\"n\">\(percent(path + ".itemShare", share.itemShare))</td>"
                + "<td class=\"n\">\(count(path + ".reports", share.reports))</td>"
                + "<td class=\"n\">\(percent(path + ".reportShare", share.reportShare))</td></tr>\n"
        }
        let chart = SVGChart.bars(stats.platforms.map {
            SVGChart.Bar(label: name(of: $0.platform), value: $0.itemShare, shown: ReportNumbers.percent($0.itemShare))
        }, title: "Share of items per platform")
        return """
            <section>
            <h2>Platforms</h2>
            \(chart)
            <div class="scroll"><table>
            <thead><tr><th scope="col">platform</th><th scope="col" class="n">items</th><th scope="col" class="n">share of items</th><th scope="col" class="n">reports</th><th scope="col" class="n">share of reports</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table></div>
            </section>

            """
    }

    private func removalSection() -> String {
        let escalation = stats.hoursFromEscalationToRemoval
        let report = stats.hoursFromReportToRemoval
        let table = """
            <div class="scroll"><table>
            <thead><tr><th scope="col">measured from</th><th scope="col" class="n">items removed</th><th scope="col" class="n">median</th><th scope="col" class="n">90th percentile</th><th scope="col" class="n">within 24 h</th><th scope="col" class="n">within 3 days</th><th scope="col" class="n">within 7 days</th></tr></thead>
            <tbody>
            <tr><th scope="row">escalation</th><td class="n">\(count("removedAfterEscalation", stats.removedAfterEscalation))</td><td class="n">\(hours("hoursFromEscalationToRemoval.medianHours", escalation?.medianHours))</td><td class="n">\(hours("hoursFromEscalationToRemoval.p90Hours", escalation?.p90Hours))</td><td class="n">\(percent("removedWithin24hOfEscalation", stats.removedWithin24hOfEscalation))</td><td class="n">\(percent("removedWithin3dOfEscalation", stats.removedWithin3dOfEscalation))</td><td class="n">\(percent("removedWithin7dOfEscalation", stats.removedWithin7dOfEscalation))</td></tr>
            <tr><th scope="row">first report</th><td class="n">\(count("removed", stats.removed))</td><td class="n">\(hours("hoursFromReportToRemoval.medianHours", report?.medianHours))</td><td class="n">\(hours("hoursFromReportToRemoval.p90Hours", report?.p90Hours))</td><td class="n">\(percent("removedWithin24hOfReport", stats.removedWithin24hOfReport))</td><td class="n">–</td><td class="n">\(percent("removedWithin7dOfReport", stats.removedWithin7dOfReport))</td></tr>
            </tbody>
            </table></div>
            <p class="note">Shares after escalation are of all escalated items; shares after the first report are of all items. \(count("goneBeforeEscalation", stats.goneBeforeEscalation)) of \(count("removed", stats.removed)) removed items were gone before anyone escalated them.</p>
            \(regionsHTML)
            """
        return """
            <section>
            <h2>Time to removal</h2>
            \(table)<h3>After escalation</h3>
            \(SVGChart.columns(bars(fromEscalation), title: "Escalated items removed, by time from escalation to removal"))
            <h3>After the first report</h3>
            \(SVGChart.columns(bars(fromReport), title: "Removed items, by time from first report to removal"))
            </section>

            """
    }

    private func outstandingSection() -> String {
        let order = ItemStatus.allCases.map(\.rawValue)
        let known = order.filter { stats.statuses[$0] != nil } + stats.statuses.keys.filter { !order.contains($0) }.sorted()
        var rows = ""
        for status in known {
            rows += "<tr><th scope=\"row\">\(HTMLText.escape(status.replacingOccurrences(of: "_", with: " ")))</th>"
                + "<td class=\"n\">\(count("statuses.\(status)", stats.statuses[status] ?? 0))</td></tr>\n"
        }
        return """
            <section>
            <h2>Outstanding</h2>
            <p>Escalated items still up past the platform’s response target, due for re-escalation: <strong>\(count("pastResponseTarget", stats.pastResponseTarget))</strong> (<code>urltriage escalate</code> lists them).</p>
            <div class="scroll"><table class="narrow">
            <thead><tr><th scope="col">status now</th><th scope="col" class="n">items</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table></div>
            </section>

            """
    }

    private func trendSection() -> String {
        guard !weeks.isEmpty else { return "" }
        let labels = weeks.map { ReportNumbers.day($0.start) }
        let chart = SVGChart.lines([
            .init(name: "first reported", style: "s1", values: weeks.map { Double($0.newItems) }),
            .init(name: "escalated", style: "s2", values: weeks.map { Double($0.escalated) }),
            .init(name: "removed", style: "s3", values: weeks.map { Double($0.removed) }),
        ], labels: labels, title: "Items first reported, escalated and removed per week")
        var rows = ""
        for week in weeks.reversed() {
            rows += "<tr><th scope=\"row\">\(ReportNumbers.day(week.start))</th>"
                + "<td class=\"n\">\(ReportNumbers.count(week.newItems))</td>"
                + "<td class=\"n\">\(ReportNumbers.count(week.escalated))</td>"
                + "<td class=\"n\">\(ReportNumbers.count(week.removed))</td></tr>\n"
        }
        return """
            <section>
            <h2>Trend by week</h2>
            \(chart)
            <div class="scroll"><table>
            <thead><tr><th scope="col">week from (Monday, UTC)</th><th scope="col" class="n">first reported</th><th scope="col" class="n">escalated</th><th scope="col" class="n">removed</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table></div>
            </section>

            """
    }

    private func footer() -> String {
        """
        <footer>
        <p class="meta">Made by <code>urltriage report</code>. Every headline figure is the one <code>urltriage stats --format json</code> gives for the same store and time; an item counts once however often it was reported, and a short link counts in the item it leads to. The takedown success rate is removed ÷ escalated; times are nearest-rank percentiles.</p>
        </footer>

        """
    }

    // MARK: - Figures

    private func tile(_ figure: String, _ label: String) -> String {
        "<div class=\"tile\"><span class=\"figure\">\(figure)</span><span class=\"label\">\(label)</span></div>"
    }

    private func bars(_ buckets: [RemovalBucket]) -> [SVGChart.Bar] {
        buckets.map { SVGChart.Bar(label: $0.label, value: Double($0.count), shown: ReportNumbers.count($0.count)) }
    }

    /// Takedowns per region, where more than one region checks (nothing otherwise).
    private var regionsHTML: String {
        guard let regions = stats.regions else { return "" }
        let rows = regions.map { region in
            "<tr><th scope=\"row\">\(HTMLText.escape(region.region))</th><td class=\"n\">\(ReportNumbers.count(region.takenDown))</td>"
                + "<td class=\"n\">\(ReportNumbers.count(region.blocked))</td><td class=\"n\">\(ReportNumbers.count(region.up))</td></tr>"
        }.joined(separator: "\n")
        return """
            <h3>Takedowns by region</h3>
            <div class="scroll"><table>
            <thead><tr><th scope="col">region</th><th scope="col" class="n">removed</th><th scope="col" class="n">blocked (up in another region)</th><th scope="col" class="n">up</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table></div>
            <p class="note">Each region’s latest check of each item. Removed in one region and up in another is a geo-block, not a takedown.</p>

            """
    }

    private func count(_ path: String, _ value: Int) -> String {
        "<span data-stat=\"\(HTMLText.escape(path))\" data-value=\"\(value)\">\(ReportNumbers.count(value))</span>"
    }

    private func percent(_ path: String, _ value: Double?) -> String {
        guard let value else { return "<span data-stat=\"\(HTMLText.escape(path))\">–</span>" }
        return "<span data-stat=\"\(HTMLText.escape(path))\" data-value=\"\(ReportNumbers.raw(value))\" data-unit=\"share\">\(ReportNumbers.percent(value))</span>"
    }

    private func hours(_ path: String, _ value: Double?) -> String {
        guard let value else { return "<span data-stat=\"\(HTMLText.escape(path))\">–</span>" }
        return "<span data-stat=\"\(HTMLText.escape(path))\" data-value=\"\(ReportNumbers.raw(value))\" data-unit=\"hours\">\(ReportNumbers.hours(value))</span>"
    }

    // MARK: - Style

    /// Inline CSS: a fluid grid for the phone, and print rules for paper. Written without
    /// `>` or `&`, so the page stays well-formed XML.
    static let css = """

        :root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --c1: #0b5cad; --c2: #b35900; --c3: #2f7d32; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
        header, main, footer { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
        header { padding-top: 1rem; }
        h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
        h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
        h3 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
        .meta, .note { color: var(--muted); }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .75rem; margin: 1rem 0; }
        .tile { border: 1px solid var(--line); border-radius: 6px; padding: .75rem; }
        .tile .figure { display: block; font-size: 1.7rem; font-weight: 650; line-height: 1.2; }
        .tile .label { display: block; color: var(--muted); font-size: .9rem; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        table.narrow { width: auto; min-width: 16rem; }
        th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th[scope=col] { font-size: .85rem; color: var(--muted); font-weight: 600; }
        .n { text-align: right; white-space: nowrap; }
        .chart { display: block; width: 100%; max-width: 40rem; height: auto; margin: .5rem 0 1rem; font: 13px system-ui, sans-serif; }
        .chart text { fill: var(--ink); }
        .chart .bar { fill: var(--c1); }
        .chart .axis { stroke: var(--muted); stroke-width: 1; }
        .chart polyline, .chart line.line { fill: none; stroke-width: 2.5; }
        .chart .s1 { stroke: var(--c1); fill: var(--c1); }
        .chart .s2 { stroke: var(--c2); fill: var(--c2); stroke-dasharray: 7 4; }
        .chart .s3 { stroke: var(--c3); fill: var(--c3); stroke-dasharray: 2 3; }
        .chart polyline.s1, .chart polyline.s2, .chart polyline.s3 { fill: none; }
        .chart circle { stroke: none; stroke-dasharray: none; }
        code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em; }
        @media (max-width: 36rem) {
          body { font-size: 15px; }
          .tiles { grid-template-columns: 1fr 1fr; gap: .5rem; }
          .tile { padding: .5rem; }
          .tile .figure { font-size: 1.3rem; }
          th, td { padding: .25rem .35rem; }
        }
        @media print {
          @page { margin: 1.5cm; }
          body { font-size: 10pt; }
          header, main, footer { max-width: none; padding: 0; }
          section { break-inside: avoid; }
          h2 { break-after: avoid; }
          .tiles { grid-template-columns: repeat(4, 1fr); }
          .tile { border-color: #999; }
          .chart { max-width: 15cm; }
          .chart .bar { fill: #555; }
          .chart .s1 { stroke: #000; fill: #000; }
          .chart .s2 { stroke: #555; fill: #555; }
          .chart .s3 { stroke: #888; fill: #888; }
          .scroll { overflow: visible; }
        }

        """
}
