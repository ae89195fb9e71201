import Foundation
import TriageKit

/// The progress line (done/total, rate, ETA, tally) on a terminal, and the summary at the end.
struct CheckProgress {
    let total: Int
    /// Whether to draw the progress line: only when standard error is a terminal.
    let live: Bool
    private var done = 0
    private var tally: [Verdict: Int] = [:]
    private let started = Date()
    private var lastDrawn = Date.distantPast

    init(total: Int, live: Bool) {
        self.total = total
        self.live = live
    }

    mutating func record(_ result: CheckResult) {
        done += 1
        tally[result.verdict, default: 0] += 1
        let now = Date()
        guard live, now.timeIntervalSince(lastDrawn) >= 0.2 || done == total else { return }
        lastDrawn = now
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Self.clock(Double(total - done) / rate) : "?"
        let percent = total > 0 ? done * 100 / total : 100
        // \r and "erase line" redraw in place; what follows them is made inert,
        // so nothing in it can move the cursor or end the line.
        let line = "\(done)/\(total) (\(percent)%)  \(String(format: "%.1f", rate))/s  ETA \(eta)  \(tallyText)"
        Stderr.write("\r\u{1B}[K" + ControlCharacters.inert(line))
    }

    /// Clears the progress line, so the summary starts on a clean line.
    func finish() {
        if live { Stderr.write("\r\u{1B}[K") }
    }

    func summary(statistics: LivenessStatistics, merged: Int, unchecked: Int = 0, withoutURLs: Int = 0) -> String {
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var lines = ["\(done) items checked in \(String(format: "%.1f", elapsed)) s (\(String(format: "%.1f", rate))/s): \(tallyText)"]
        var detail = "\(statistics.requests) requests (\(statistics.retries) retries, \(statistics.slowDowns) slow-downs), at most \(statistics.peakInFlight) in flight"
        if statistics.shortLinksResolved > 0 || merged > 0 {
            detail += "; \(statistics.shortLinksResolved) short links resolved, \(merged) merged into another item"
        }
        if statistics.hostsDown > 0 {
            detail += "; \(statistics.hostsDown) \(statistics.hostsDown == 1 ? "host" : "hosts") marked down, \(statistics.itemsOnDownHosts) items ended without a request"
        }
        lines.append(detail)
        if unchecked > 0 || withoutURLs > 0 {
            lines.append("\(unchecked) input \(unchecked == 1 ? "line or URL" : "lines or URLs") could not be checked (rows with verdict error, the reason normalize gives); \(withoutURLs) \(withoutURLs == 1 ? "line" : "lines") without a URL")
        }
        return lines.joined(separator: "\n")
    }

    private var tallyText: String {
        Verdict.allCases.map { "\($0.rawValue) \(tally[$0] ?? 0)" }.joined(separator: ", ")
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600 ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
