import TriageKit

/// `urltriage workers`: the workers a store has seen, as a table for the terminal.
public enum WorkerListing {
    /// One line per worker: name, region, host and pid, last heartbeat (and how long ago),
    /// checks in the last hour, leases held.
    public static func text(_ workers: [WorkerStatus], now: Int64) -> String {
        guard !workers.isEmpty else {
            return "no workers have run on this store (start one with `urltriage watch --worker NAME [--region LABEL]`)"
        }
        let header = ["WORKER", "REGION", "HOST", "PID", "LAST SEEN", "CHECKED (1H)", "LEASES"]
        let rows = workers.map { worker in
            [worker.name, worker.region ?? "-", worker.host, String(worker.pid),
             "\(StoreTime.iso(worker.lastSeenAt)) (\(ago(now - worker.lastSeenAt)))",
             String(worker.checkedLastHour), String(worker.leasesHeld)]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let numeric: Set<Int> = [3, 5, 6]
        return ([header] + rows).map { row in
            row.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - row[column].count)
                return numeric.contains(column) ? padding + row[column] : row[column] + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }

    /// "12 s ago", "5 min ago", "3 h ago", "2 d ago".
    static func ago(_ seconds: Int64) -> String {
        let seconds = max(0, seconds)
        if seconds < 120 { return "\(seconds) s ago" }
        if seconds < 2 * StoreTime.hour { return "\(seconds / 60) min ago" }
        if seconds < 48 * StoreTime.hour { return "\(seconds / StoreTime.hour) h ago" }
        return "\(seconds / (24 * StoreTime.hour)) d ago"
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
