/// The classified keys of one batch of records, in input order, with their
/// hashes and rules: what a lane of `ParallelNormalizer` hands back so that
/// items are folded exactly as one thread folds them.
final class KeyLog {
    struct Entry {
        var start: Int
        var count: Int
        var hash: UInt64
        var origin: RuleOrigin
    }

    @exclusivity(unchecked) private(set) var entries: [Entry] = []
    @exclusivity(unchecked) private var bytes = ByteBuffer(capacity: 1 << 16)

    deinit { bytes.deallocate() }

    func append(_ classified: ClassifiedBytes) {
        let key = classified.key
        entries.append(Entry(start: bytes.count, count: key.count, hash: DedupeIndex.hash(key), origin: classified.origin))
        bytes.append(key)
    }

    func key(_ entry: Entry) -> UnsafeBufferPointer<UInt8> { bytes[entry.start..<(entry.start + entry.count)] }

    func removeAll() {
        entries.removeAll(keepingCapacity: true)
        bytes.removeAll()
    }
}
