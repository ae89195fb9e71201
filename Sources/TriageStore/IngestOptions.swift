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
    /// Reports written per transaction. Each commit writes every page the transaction
    /// changed, and new items land all over the key index, so small transactions write the
    /// same pages again and again: a million lines take 13 s at 50,000 per transaction and
    /// 10 s at 200,000 (BENCHMARKS.md). A crash loses at most one transaction, which the
    /// next run redoes.
    public var rowsPerTransaction = 200_000
    /// A transaction is also committed after this many seconds, whatever its size, so that
    /// other writers (a mark, a recheck) never wait long for the lock.
    public var secondsPerTransaction = 2.0
    /// The time of the ingest, in store seconds.
    public var now: Int64

    public init(by: String, now: Int64) {
        self.by = by
        self.now = now
    }
}
