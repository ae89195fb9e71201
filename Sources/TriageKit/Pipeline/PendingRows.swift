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
        /// Where the key and the canonical URL are in `bytes`.
        var key = 0..<0
        var canonical = 0..<0
        /// The classifier's buffer the two were built in, taken from it in
        /// exchange for the one the row had before; freed by `PendingRows`.
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

    /// Adds a classified row, taking the buffer its key and canonical URL are
    /// in from `classifier` rather than copying them.
    func append(line: Int, _ classified: ClassifiedBytes, hash: UInt64, from classifier: Classifier) {
        let row = ring + slot(count)
        row.pointee.line = line
        row.pointee.classified = true
        row.pointee.origin = classified.origin
        if row.pointee.error != nil { row.pointee.error = nil }
        row.pointee.hash = hash
        classifier.exchangeBuffer(&row.pointee.bytes)
        let base = UnsafePointer(row.pointee.bytes.base)
        row.pointee.key = Self.range(of: classified.key, in: base)
        row.pointee.canonical = Self.range(of: classified.canonical, in: base)
        count += 1
    }

    private static func range(of bytes: UnsafeBufferPointer<UInt8>, in base: UnsafePointer<UInt8>) -> Range<Int> {
        guard let start = bytes.baseAddress else { return 0..<0 }
        let offset = start - base
        return offset..<(offset + bytes.count)
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
        return body(row.pointee.line, nil,
                    ClassifiedBytes(origin: row.pointee.origin, key: bytes[row.pointee.key], canonical: bytes[row.pointee.canonical]),
                    row.pointee.hash)
    }
}
