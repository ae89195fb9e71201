/// Folds rows into items by key and keeps the counts the summary reports.
public struct DedupeIndex: Sendable {
    /// What is known about one item (one piece of content).
    public struct Item: Sendable, Equatable {
        public var key: String
        public var platform: String
        public var type: String
        public var canonical: String
        public var firstLine: Int
        public var reports: Int
    }

    private var table: ByteTable<Void>
    public private(set) var items: [Item] = []
    /// Whether to keep each item's details or only count keys (the batch
    /// summary needs counts; the store needs items).
    public let keepsItems: Bool

    public init(keepsItems: Bool = false, expectedItems: Int = 1 << 16) {
        self.keepsItems = keepsItems
        // Growing a large table rehashes every key; start big enough for a typical
        // batch. Keys run about 40 bytes (`tiktok:video:` and a 19-digit id).
        table = ByteTable(minimumCapacity: expectedItems, keyBytes: expectedItems * 48)
    }

    /// Records one URL; returns true the first time its key is seen.
    @discardableResult
    public mutating func add(_ classification: Classification, line: Int) -> Bool {
        var key = classification.key
        return key.withUTF8 { add(key: $0, hash: Self.hash($0), line: line) { classification } }
    }

    /// The same for a classification lent as bytes; strings are made only
    /// for a new item, and only when items are kept.
    @discardableResult
    public mutating func add(_ classified: ClassifiedBytes, line: Int) -> Bool {
        add(classified, hash: Self.hash(classified.key), line: line)
    }

    /// The hash `add(_:hash:line:)` and the prefetches take.
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 { ByteTable<Void>.hash(key) }

    /// Starts fetching the table memory a key with `hash` will touch (see `PendingRows`).
    /// Mutating only so that a caller holding the index in a `var` reaches it
    /// in place: a non-mutating call copies the index and counts its references.
    mutating func prefetchSlot(hash: UInt64) { table.prefetchSlot(hash: hash) }
    mutating func prefetchRecord(hash: UInt64) { table.prefetchRecord(hash: hash) }

    @discardableResult
    mutating func add(_ classified: ClassifiedBytes, hash: UInt64, line: Int) -> Bool {
        add(key: classified.key, hash: hash, line: line) { classified.classification }
    }

    /// A key alone, with its hash (the fold of `ParallelNormalizer`'s lanes); true when new.
    mutating func add(key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Bool {
        add(key: key, hash: hash, line: 0) { preconditionFailure("items are not kept when keys are folded alone") }
    }

    private mutating func add(key: UnsafeBufferPointer<UInt8>, hash: UInt64, line: Int,
                              classification: () -> Classification) -> Bool {
        let (index, inserted) = table.insert(key, hash: hash, ())
        guard inserted else {
            if keepsItems { items[index].reports += 1 }
            return false
        }
        if keepsItems {
            let classification = classification()
            items.append(Item(key: classification.key, platform: classification.platform, type: classification.type,
                              canonical: classification.canonical, firstLine: line, reports: 1))
        }
        return true
    }

    /// How many distinct items were seen.
    public var count: Int { table.count }

    public func contains(key: String) -> Bool { table.value(for: key) != nil }
}
