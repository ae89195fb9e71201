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
        var origin = RuleOrigin.none
        var error: String?
        var hash: UInt64 = 0
        var keyCount = 0
        /// The key followed by the canonical URL; reused from row to row and freed by `PendingRows`.
        var bytes = ByteBuffer(capacity: 128)
    }

    /// How many rows wait before the oldest is looked up.
    let depth: Int
    /// The rows, as raw memory: reading one field of a row must not copy the
    /// row (and count its `error` string's reference). One owner on one thread.
    private let ring: UnsafeMutablePointer<Row>
    private let size: Int
    @exclusivity(unchecked) private var head = 0
    @exclusivity(unchecked) private(set) var count = 0

    init(depth: Int) {
        self.depth = depth
        size = depth + 1
        ring = .allocate(capacity: size)
        for index in 0..<size { (ring + index).initialize(to: Row()) }
    }

    deinit {
        for index in 0..<size { ring[index].bytes.deallocate() }
        ring.deinitialize(count: size)
        ring.deallocate()
    }

    var isFull: Bool { count > depth }

    private func slot(_ offset: Int) -> Int {
        let index = head + offset
        return index >= size ? index - size : index
    }

    /// Adds a classified row; its key and canonical URL are copied.
    func append(line: Int, _ classified: ClassifiedBytes, hash: UInt64) {
        let row = ring + slot(count)
        row.pointee.line = line
        row.pointee.classified = true
        row.pointee.origin = classified.origin
        if row.pointee.error != nil { row.pointee.error = nil }
        row.pointee.hash = hash
        row.pointee.keyCount = classified.key.count
        row.pointee.bytes.removeAll()
        row.pointee.bytes.append(classified.key)
        row.pointee.bytes.append(classified.canonical)
        count += 1
    }

    /// Adds a row that has no classification, only the reason.
    func append(line: Int, error: String) {
        let row = ring + slot(count)
        row.pointee.line = line
        row.pointee.classified = false
        row.pointee.error = error
        count += 1
    }

    /// The hash of the row added `back` rows ago (0 is the newest), if it is classified.
    func hash(back: Int) -> UInt64? {
        guard back < count else { return nil }
        let row = ring + slot(count - 1 - back)
        return row.pointee.classified ? row.pointee.hash : nil
    }

    /// Removes the oldest row and hands `body` its line, its error or its
    /// classification (bytes lent for the call) and its hash.
    func removeFirst<R>(_ body: (_ line: Int, _ error: String?, _ classified: ClassifiedBytes?, _ hash: UInt64) -> R) -> R {
        precondition(count > 0)
        let row = ring + head
        head = slot(1)
        count -= 1
        guard row.pointee.classified else { return body(row.pointee.line, row.pointee.error, nil, 0) }
        let bytes = row.pointee.bytes
        let keyCount = row.pointee.keyCount
        return body(row.pointee.line, nil,
                    ClassifiedBytes(origin: row.pointee.origin, key: bytes[0..<keyCount], canonical: bytes[keyCount..<bytes.count]),
                    row.pointee.hash)
    }
}
