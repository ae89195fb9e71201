/// Charts as inline SVG, written here so the report needs nothing from outside:
/// no script, no font, no stylesheet. Every chart has a title for screen readers,
/// scales to the width of the page, and keeps its numbers as text beside the marks.
enum SVGChart {
    /// One bar or column: its label, its length and the text shown with it.
    struct Bar {
        var label: String
        var value: Double
        var shown: String
    }

    /// Horizontal bars, one row per bar, labels on the left and values on the right.
    static func bars(_ bars: [Bar], title: String) -> String {
        let rowHeight = 26.0, labelWidth = 110.0, valueWidth = 90.0, width = 600.0
        let height = max(rowHeight, Double(bars.count) * rowHeight) + 8
        let largest = max(bars.map(\.value).max() ?? 0, 1e-9)
        let room = width - labelWidth - valueWidth
        var svg = open(width: width, height: height, title: title)
        for (index, bar) in bars.enumerated() {
            let y = 4 + Double(index) * rowHeight
            let length = max(bar.value > 0 ? 2 : 0, room * bar.value / largest)
            svg += "<text x=\"\(c(labelWidth - 8))\" y=\"\(c(y + 17))\" text-anchor=\"end\">\(HTMLText.escape(bar.label))</text>"
            svg += "<rect class=\"bar\" x=\"\(c(labelWidth))\" y=\"\(c(y + 4))\" width=\"\(c(length))\" height=\"\(c(rowHeight - 8))\" rx=\"2\" />"
            svg += "<text x=\"\(c(labelWidth + length + 6))\" y=\"\(c(y + 17))\">\(HTMLText.escape(bar.shown))</text>"
        }
        return svg + "</svg>"
    }

    /// Vertical columns over labelled buckets, with the count above each column.
    static func columns(_ bars: [Bar], title: String) -> String {
        let width = 600.0, height = 220.0, base = 180.0, top = 24.0
        let slot = width / Double(max(bars.count, 1))
        let largest = max(bars.map(\.value).max() ?? 0, 1e-9)
        var svg = open(width: width, height: height, title: title)
        svg += "<line class=\"axis\" x1=\"0\" y1=\"\(c(base))\" x2=\"\(c(width))\" y2=\"\(c(base))\" />"
        for (index, bar) in bars.enumerated() {
            let h = max(bar.value > 0 ? 2 : 0, (base - top) * bar.value / largest)
            let x = Double(index) * slot
            svg += "<rect class=\"bar\" x=\"\(c(x + slot * 0.2))\" y=\"\(c(base - h))\" width=\"\(c(slot * 0.6))\" height=\"\(c(h))\" rx=\"2\" />"
            svg += "<text x=\"\(c(x + slot / 2))\" y=\"\(c(base - h - 6))\" text-anchor=\"middle\">\(HTMLText.escape(bar.shown))</text>"
            svg += "<text x=\"\(c(x + slot / 2))\" y=\"\(c(base + 20))\" text-anchor=\"middle\">\(HTMLText.escape(bar.label))</text>"
        }
        return svg + "</svg>"
    }

    /// One series of a line chart.
    struct Series {
        var name: String
        /// A CSS class giving its colour and dash (`s1`, `s2`, `s3`), so print stays legible in grey.
        var style: String
        var values: [Double]
    }

    /// Lines over equally spaced points (weeks), with a legend and the first and last labels.
    static func lines(_ series: [Series], labels: [String], title: String) -> String {
        let width = 600.0, height = 240.0, left = 40.0, right = 12.0, top = 30.0, base = 200.0
        let count = max(labels.count, 1)
        let largest = max(series.flatMap(\.values).max() ?? 0, 1)
        let step = count > 1 ? (width - left - right) / Double(count - 1) : 0
        func x(_ index: Int) -> Double { count > 1 ? left + Double(index) * step : (left + width - right) / 2 }
        func y(_ value: Double) -> Double { base - (base - top) * value / largest }
        var svg = open(width: width, height: height, title: title)
        svg += "<line class=\"axis\" x1=\"\(c(left))\" y1=\"\(c(base))\" x2=\"\(c(width - right))\" y2=\"\(c(base))\" />"
        svg += "<text x=\"\(c(left - 6))\" y=\"\(c(top + 4))\" text-anchor=\"end\">\(ReportNumbers.count(Int(largest)))</text>"
        svg += "<text x=\"\(c(left - 6))\" y=\"\(c(base + 4))\" text-anchor=\"end\">0</text>"
        for line in series {
            let points = line.values.enumerated().map { "\(c(x($0.offset))),\(c(y($0.element)))" }.joined(separator: " ")
            svg += "<polyline class=\"line \(line.style)\" points=\"\(points)\" />"
            for (index, value) in line.values.enumerated() {
                svg += "<circle class=\"dot \(line.style)\" cx=\"\(c(x(index)))\" cy=\"\(c(y(value)))\" r=\"2.5\" />"
            }
        }
        if let first = labels.first {
            svg += "<text x=\"\(c(x(0)))\" y=\"\(c(base + 20))\" text-anchor=\"start\">\(HTMLText.escape(first))</text>"
        }
        if labels.count > 1, let last = labels.last {
            svg += "<text x=\"\(c(x(labels.count - 1)))\" y=\"\(c(base + 20))\" text-anchor=\"end\">\(HTMLText.escape(last))</text>"
        }
        for (index, line) in series.enumerated() {
            let lx = left + Double(index) * 150
            svg += "<line class=\"line \(line.style)\" x1=\"\(c(lx))\" y1=\"12\" x2=\"\(c(lx + 24))\" y2=\"12\" />"
            svg += "<text x=\"\(c(lx + 30))\" y=\"16\">\(HTMLText.escape(line.name))</text>"
        }
        return svg + "</svg>"
    }

    // MARK: - Helpers

    private static func open(width: Double, height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(c(width)) \(c(height))\" role=\"img\" "
            + "aria-label=\"\(HTMLText.escape(title))\"><title>\(HTMLText.escape(title))</title>"
    }

    private static func c(_ value: Double) -> String { HTMLText.coordinate(value) }
}
