public import TriageKit

/// How `urltriage ingest` reads a batch and what it assumes where the file is silent.
public struct IngestOptions: Sendable {
    /// The file's format, or nil to detect it from the name and the first bytes.
    public var format: InputFormat?
    /// Read a file even when it looks binary.
    public var allowBinary = false
    /// When reports without a time of their own were made; nil means the time of the ingest.
    public var reportedAt: Int64?
    /// The reporter for reports that name none (a text batch forwarded by one person).
    public var reporter: String?
    /// The school or organisation for reports that name none.
    public var organisation: String?
    /// The harm category for reports that give none.
    public var category: String?
    /// Who ran the ingest, for the batch record.
    public var by: String
    /// Reports written per transaction: large enough that commits cost little, small enough
    /// that a crash loses little work and other writers get a turn.
    public var rowsPerTransaction = 50_000
    /// A transaction is also committed after this many seconds, whatever its size, so that
    /// a slow input (or a slow machine) never keeps other writers waiting long.
    public var secondsPerTransaction = 1.0
    /// The time of the ingest, in store seconds.
    public var now: Int64

    public init(by: String, now: Int64) {
        self.by = by
        self.now = now
    }
}
