import Foundation
internal import GRDB
public import TriageKit

/// Ingests a batch of reports into the store in one pass: every URL becomes a
/// report row pointing at its item, new items are created, and each item's
/// counts move with its reports.
///
/// Work is committed every `rowsPerTransaction` reports (or `secondsPerTransaction`).
/// A report's identity is (file content, line, URL index), so a run cut short (even
/// by SIGKILL) is finished by running the same ingest again: what was committed is
/// skipped, and an item's counts only ever move in the transaction that stores its
/// reports.
public final class StoreIngester {
    private let store: CaseStore
    private let rules: RuleSet

    public init(store: CaseStore, rules: RuleSet) {
        self.store = store
        self.rules = rules
    }

    /// A report file made ready for ingest: standard input copied to a file, and the file's
    /// start read once, so that a file that would be rejected (missing, binary, a CSV without a
    /// URL column) is rejected before any store is created or touched.
    public final class Input: Sendable {
        /// The name for messages (`standard input` for `-`).
        public let name: String
        /// The file read (standard input's copy for `-`).
        public let path: String
        public let reader: ReportFileReader
        private let spooled: Bool

        init(name: String, path: String, reader: ReportFileReader, spooled: Bool) {
            self.name = name
            self.path = path
            self.reader = reader
            self.spooled = spooled
        }

        deinit {
            if spooled { unlink(path) }
        }
    }

    /// Prepares the report file at `path` (`-` is standard input), recorded under `name` when
    /// given (the web app's pastes and uploads are temporary files); throws `InputError` when it
    /// cannot be read as reports.
    public static func prepare(path: String, name shownName: String? = nil, format: InputFormat?, allowBinary: Bool) throws -> Input {
        let name = shownName ?? (path == "-" ? "standard input" : path)
        var readPath = path
        if path == "-" {
            readPath = try SourceFingerprint.spoolStandardInput(into: NSTemporaryDirectory())
        }
        let input = Input(name: name, path: readPath, reader: ReportFileReader(path: readPath, name: name, format: format,
                                                                               allowBinary: allowBinary),
                          spooled: path == "-")
        // Reading up to the first record checks what would reject the whole file.
        struct FirstRecord: Error {}
        do {
            _ = try input.reader.read { _ in throw FirstRecord() }
        } catch is FirstRecord {
        }
        return input
    }

    /// Ingests the report file at `path` (`-` is standard input), recorded under `name` when given.
    ///
    /// Throws `InputError` when the file cannot be read as reports and `StoreError` when the
    /// store fails; reports committed before a failure stay, and a rerun completes the batch.
    public func ingest(path: String, name: String? = nil, options: IngestOptions) throws -> IngestSummary {
        try ingest(Self.prepare(path: path, name: name, format: options.format, allowBinary: options.allowBinary), options: options)
    }

    /// Ingests a prepared report file.
    public func ingest(_ input: Input, options: IngestOptions) throws -> IngestSummary {
        let name = input.name
        let readPath = input.path
        do {
            // Files ingested before that could be this one's beginning: hashed at their sizes on the way.
            let size = SourceFingerprint.size(of: readPath) ?? 0
            let candidates = try store.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT id, sha256, bytes, lines, first_path FROM sources WHERE bytes < ?",
                                 arguments: [size]).map { row in
                    EarlierFile(id: row[0], sha256: row[1], bytes: row[2], lines: row[3], path: row[4])
                }
            }
            let fingerprint = try SourceFingerprint.of(path: readPath, name: name, prefixLengths: candidates.map(\.bytes))
            let extends = candidates.filter { fingerprint.prefixes[$0.bytes] == $0.sha256 }.max { $0.bytes < $1.bytes }
            return try store.pool.writeWithoutTransaction { db in
                try IngestRun(db: db, rules: rules, options: options, file: name, fingerprint: fingerprint, extends: extends)
                    .run(input.reader)
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw store.failure(error, doing: "ingest of \(name)")
        }
    }
}
