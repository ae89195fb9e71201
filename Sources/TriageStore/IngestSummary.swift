public import TriageKit

/// What one `urltriage ingest` did, for the person who ran it.
public struct IngestSummary: Sendable {
    /// The batch the reports were recorded under.
    public var batchID: Int64
    /// The file as named on the command line.
    public var file: String
    /// The SHA-256 of the file's bytes: its identity in the store.
    public var sha256: String
    public var shape: ReportFileShape
    /// Set when this file (same bytes, any name) was ingested completely before: nothing was read.
    public var alreadyIngested: EarlierBatch?
    /// Set when an earlier ingest of this file was cut short and this run finished it.
    public var resumed: EarlierBatch?
    /// Set when the file begins with a file ingested before (lines were appended to it).
    public var extends: ExtendedFile?
    /// When a different file of the same name was first ingested, if one was and this file
    /// does not simply add lines to it (an edited copy: its reports all count again).
    public var sameNameEarlier: Int64?
    /// Lines, URLs and items in the file, per platform, as `normalize` counts them.
    public var batch = BatchSummary()
    /// Blank lines (not stored as problems).
    public var blankLines = 0
    /// Reports (one per URL) stored by this run.
    public var newReports = 0
    /// Reports that were already stored (a resumed batch re-reads what it had done).
    public var knownReports = 0
    /// Items the store had never seen.
    public var newItems = 0
    /// Lines or URLs stored as problems (no URL, a URL that cannot be used, a date that does not parse).
    public var problems = 0
    /// Transactions committed.
    public var transactions = 0

    public init(batchID: Int64, file: String, sha256: String, shape: ReportFileShape) {
        self.batchID = batchID
        self.file = file
        self.sha256 = sha256
        self.shape = shape
    }

    /// The earlier file this one begins with: its lines were stored then and count once.
    public struct ExtendedFile: Sendable, Equatable {
        /// The earlier file as it was first named.
        public var path: String
        /// Its lines: this file's first `lines` lines.
        public var lines: Int

        public init(path: String, lines: Int) {
            self.path = path
            self.lines = lines
        }
    }

    /// An ingest of the same file before this one.
    public struct EarlierBatch: Sendable, Equatable {
        public var id: Int64
        public var startedAt: Int64
        public var by: String

        public init(id: Int64, startedAt: Int64, by: String) {
            self.id = id
            self.startedAt = startedAt
            self.by = by
        }
    }

    /// A few lines for the terminal.
    public var text: String {
        if let earlier = alreadyIngested {
            return "\(file): already ingested as batch \(earlier.id) on \(StoreTime.iso(earlier.startedAt)) by \(earlier.by) "
                + "(same content, sha256 \(sha256.prefix(12))…); nothing added"
        }
        var lines: [String] = []
        if let earlier = resumed {
            lines.append("resumed batch \(earlier.id) (started \(StoreTime.iso(earlier.startedAt)) by \(earlier.by), cut short)")
        }
        lines.append("batch \(batchID): \(file) (\(shape.format.rawValue), sha256 \(sha256.prefix(12))…)")
        if let extends {
            lines.append("begins with the \(extends.lines) lines of \(extends.path), ingested before: "
                + "the reports on those lines are already stored and count once")
        }
        lines.append(batch.text)
        lines.append("stored: \(newReports) new reports, \(newItems) new items"
            + (knownReports > 0 ? ", \(knownReports) reports already stored" : "")
            + (problems > 0 ? "; \(problems) problems recorded (lines without a usable URL, unreadable dates)" : ""))
        if let earlier = sameNameEarlier, newReports > 0 {
            lines.append("note: a different file named \(file) was ingested on \(StoreTime.iso(earlier)), and this one "
                + "does not just add lines at its end, so every report in it was stored as new; if it is an edited copy "
                + "of that file, its unchanged reports are now counted twice (ingest only the new lines instead)")
        }
        if !shape.unusedColumns.isEmpty {
            lines.append("columns not stored: \(shape.unusedColumns.joined(separator: ", ")) "
                + "(known: url, reported_at, reporter, school, category, notes and synonyms)")
        }
        return lines.joined(separator: "\n")
    }
}
