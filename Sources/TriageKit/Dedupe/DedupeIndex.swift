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
        // Growing a large table rehashes every key; start big enough for a typical batch.
        table = ByteTable(minimumCapacity: expectedItems)
    }

    /// Records one URL; returns true the first time its key is seen.
    @discardableResult
    public mutating func add(_ classification: Classification, line: Int) -> Bool {
        var key = classification.key
        let (index, inserted) = key.withUTF8 { table.insert($0, ()) }
        guard inserted else {
            if keepsItems { items[index].reports += 1 }
            return false
        }
        if keepsItems {
            items.append(Item(key: classification.key, platform: classification.platform, type: classification.type,
                              canonical: classification.canonical, firstLine: line, reports: 1))
        }
        return true
    }

    /// How many distinct items were seen.
    public var count: Int { table.count }

    public func contains(key: String) -> Bool { table.value(for: key) != nil }
}
