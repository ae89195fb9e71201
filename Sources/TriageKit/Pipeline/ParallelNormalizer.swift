import Dispatch

/// `urltriage normalize` on several cores, with the output one thread gives,
/// byte for byte.
///
/// The reader stays on the calling thread: it is what knows where records
/// end (a quoted CSV field may hold line breaks), which line each starts on,
/// and where a broken file stops, and it is a small share of the work. It
/// copies records into batches of about a thousand; each batch goes to a lane
/// (a serial queue with its own `BatchNormalizer`, round robin), which
/// extracts, normalises and classifies, writes the rows into the batch's own
/// buffer and logs every classified key with its hash. The calling thread
/// takes finished batches back in input order, writes their rows out and
/// folds their keys into one dedupe table in that order: an item is new
/// where one thread would have found it new, whatever the number of lanes.
public final class ParallelNormalizer {
    /// Records per batch, and the text per batch, whichever is reached first:
    /// big enough that handing a batch over costs nothing next to its work,
    /// small enough that the lanes start at once and memory stays low.
    public static let batchRecords = 1024
    static let batchBytes = 256 * 1024
    private let batchRecords: Int

    private let lanes: [Lane]
    private let format: RowFormat
    private let output: OutputSink
    /// Batches handed out and not yet written, oldest first.
    // Used by the reading thread alone: the per-access exclusivity checks
    // on these were a third of that thread's work.
    @exclusivity(unchecked) private var inFlight: [Batch] = []
    @exclusivity(unchecked) private var spare: [Batch] = []
    @exclusivity(unchecked) private var current: Batch
    @exclusivity(unchecked) private var submitted = 0
    @exclusivity(unchecked) private var dedupe: DedupeIndex
    /// Items found by the fold (URL counts come from the lanes).
    @exclusivity(unchecked) private var folded = BatchSummary()

    /// - Parameters:
    ///   - threads: how many lanes normalise at once (at least 1).
    ///   - output: where rows go, in input order.
    ///   - batchRecords: records per batch (tests make it small, to put many boundaries in a few lines).
    public init(rules: RuleSet, threads: Int, format: RowFormat, output: OutputSink, inputBytes: Int? = nil,
                batchRecords: Int = ParallelNormalizer.batchRecords) {
        self.batchRecords = max(1, batchRecords)
        lanes = (0..<max(1, threads)).map { _ in Lane(rules: rules) }
        self.format = format
        self.output = output
        dedupe = DedupeIndex(keepsItems: false, expectedItems: BatchNormalizer.expectedItems(inputBytes: inputBytes))
        current = Batch(format: format, records: self.batchRecords)
    }

    /// How many batches may be out at once. Lanes take batches round robin, so
    /// one slow batch makes the reader wait on it while the other lanes run dry
    /// unless many are queued behind: 2 per lane gave 1.60x on 2 cores, 8 per
    /// lane 1.74x, 24 per lane 1.78x (Benchmarks/normalize/batches.sh, quiet
    /// machine), for about 25 MB more memory.
    private var maxInFlight: Int { 24 * lanes.count + 8 }

    /// Takes one record (copied: its bytes are the reader's).
    public func add(_ record: ReportLine) {
        current.append(record)
        if current.isFull { submit() }
    }

    /// Waits for every batch, writes the rest of the rows; call after the
    /// last record (also when reading stopped on an error).
    public func finish() {
        if current.count > 0 { submit() }
        while !inFlight.isEmpty { writeOldest() }
    }

    /// The batch's tallies: the lanes' lines and URLs, and the items the fold found.
    public var summary: BatchSummary {
        var total = folded
        for lane in lanes { total.add(lane.normalizer.summary) }
        return total
    }

    private func submit() {
        let batch = current
        let lane = lanes[submitted % lanes.count]
        submitted += 1
        inFlight.append(batch)
        lane.queue.async { lane.process(batch) }
        current = spare.popLast() ?? Batch(format: format, records: batchRecords)
        while inFlight.count >= maxInFlight { writeOldest() }
    }

    private func writeOldest() {
        let batch = inFlight.removeFirst()
        batch.done.wait()
        batch.rows.drain(into: output)
        fold(batch.keys)
        batch.reset()
        spare.append(batch)
    }

    /// Folds a batch's keys into the table in input order, a few ahead
    /// fetched into cache (as `PendingRows` does for one thread).
    private func fold(_ keys: KeyLog) {
        let entries = keys.entries
        let ahead = 8
        for index in 0..<min(ahead, entries.count) { dedupe.prefetchSlot(hash: entries[index].hash) }
        for index in entries.indices {
            if index + ahead < entries.count { dedupe.prefetchSlot(hash: entries[index + ahead].hash) }
            if index + ahead / 2 < entries.count { dedupe.prefetchRecord(hash: entries[index + ahead / 2].hash) }
            let entry = entries[index]
            if dedupe.add(key: keys.key(entry), hash: entry.hash) {
                folded.count(origin: entry.origin, urls: 0, items: 1)
            }
        }
    }

    /// A serial queue with a normalizer of its own.
    ///
    /// `@unchecked Sendable`: the normalizer is used only on `queue`, and read
    /// (its summary) only after `finish` has waited for every batch.
    private final class Lane: @unchecked Sendable {
        let queue = DispatchQueue(label: "urltriage.normalize.lane")
        let normalizer: BatchNormalizer

        init(rules: RuleSet) {
            normalizer = BatchNormalizer(rules: rules, dedupes: false)
        }

        func process(_ batch: Batch) {
            normalizer.keyLog = batch.keys
            let writer = RecordWriter(format: batch.format, fields: NormalizedRow.fields, sink: batch.rows)
            for index in 0..<batch.count {
                let record = batch.records[index]
                normalizer.processRows(line: record.line, text: batch.text[record.range], problem: record.problem) { row in
                    writer.write(row)
                }
            }
            normalizer.keyLog = nil
            batch.done.signal()
        }
    }

    /// Records copied out of the reader, and what a lane made of them.
    ///
    /// `@unchecked Sendable`: owned by the reading thread until submitted,
    /// then by one lane until `done` is signalled, then by the reading thread again.
    final class Batch: @unchecked Sendable {
        struct Record {
            var line: Int
            var range: Range<Int>
            var problem: String?
        }

        let format: RowFormat
        let capacity: Int
        @exclusivity(unchecked) var records: [Record] = []
        @exclusivity(unchecked) var text = ByteBuffer(capacity: ParallelNormalizer.batchBytes + 4096)
        let rows = OutputSink()
        let keys = KeyLog()
        let done = DispatchSemaphore(value: 0)

        init(format: RowFormat, records capacity: Int) {
            self.format = format
            self.capacity = capacity
            records.reserveCapacity(capacity)
        }

        deinit { text.deallocate() }

        var count: Int { records.count }
        var isFull: Bool { records.count >= capacity || text.count >= ParallelNormalizer.batchBytes }

        func append(_ record: ReportLine) {
            let start = text.count
            text.append(record.text)
            records.append(Record(line: record.line, range: start..<text.count, problem: record.problem))
        }

        func reset() {
            records.removeAll(keepingCapacity: true)
            text.removeAll()
            keys.removeAll()
        }
    }
}
