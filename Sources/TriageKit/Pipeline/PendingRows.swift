/// Rows held back for a few URLs before their dedupe lookup, so that the
/// lookup finds the table's memory already in cache.
///
/// A batch of a million URLs builds a dedupe table far larger than the CPU's
/// caches, and each lookup is a miss or two on memory (a slot, then the stored
/// key when it is a repeat): a quarter of the time of a batch, spent waiting.
/// Holding each row back while the next few URLs are classified lets the
/// prefetches for several lookups be in flight at once. Rows still leave in
/// input order; only the moment they leave moves.
final class PendingRows {
    struct Row {
        var line = 0
        var classified = false
        // Unowned for the same reason as in `ClassifiedBytes`.
        unowned(unsafe) var platformRules: PlatformRules?
        unowned(unsafe) var contentRule: ContentRule?
        var error: String?
        var hash: UInt64 = 0
        var keyCount = 0
        /// The key followed by the canonical URL; reused from row to row and freed by `PendingRows`.
        var bytes = ByteBuffer(capacity: 128)
    }

    /// How many rows wait before the oldest is looked up.
    let depth: Int
    // One owner on one thread (the batch normalizer).
    @exclusivity(unchecked) private var ring: [Row]
    @exclusivity(unchecked) private var head = 0
    @exclusivity(unchecked) private(set) var count = 0

    init(depth: Int) {
        self.depth = depth
        ring = (0...depth).map { _ in Row() }
    }

    deinit { for row in ring { row.bytes.deallocate() } }

    var isFull: Bool { count > depth }

    /// Adds a classified row; its key and canonical URL are copied.
    func append(line: Int, _ classified: ClassifiedBytes, hash: UInt64) {
        let slot = (head + count) % ring.count
        ring.withUnsafeMutableBufferPointer { ring in
            ring[slot].line = line
            ring[slot].classified = true
            ring[slot].platformRules = classified.platformRules
            ring[slot].contentRule = classified.contentRule
            ring[slot].error = nil
            ring[slot].hash = hash
            ring[slot].keyCount = classified.key.count
            ring[slot].bytes.removeAll()
            ring[slot].bytes.append(classified.key)
            ring[slot].bytes.append(classified.canonical)
        }
        count += 1
    }

    /// Adds a row that has no classification, only the reason.
    func append(line: Int, error: String) {
        let slot = (head + count) % ring.count
        ring[slot].line = line
        ring[slot].classified = false
        ring[slot].error = error
        count += 1
    }

    /// The hash of the row added `back` rows ago (0 is the newest), if it is classified.
    func hash(back: Int) -> UInt64? {
        guard back < count else { return nil }
        let row = ring[(head + count - 1 - back) % ring.count]
        return row.classified ? row.hash : nil
    }

    /// Removes the oldest row and hands it to `body`, its bytes lent for the call.
    func removeFirst<R>(_ body: (Row, ClassifiedBytes?) -> R) -> R {
        precondition(count > 0)
        let slot = head
        head = (head + 1) % ring.count
        count -= 1
        let row = ring[slot]
        guard row.classified else { return body(row, nil) }
        return body(row, ClassifiedBytes(platformRules: row.platformRules, contentRule: row.contentRule,
                                         key: row.bytes[0..<row.keyCount], canonical: row.bytes[row.keyCount..<row.bytes.count]))
    }
}
