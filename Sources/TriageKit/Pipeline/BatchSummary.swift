/// The tallies printed after a batch: lines, URLs, items and rejections, per platform.
public struct BatchSummary: Sendable {
    /// Counts for one platform.
    public struct PlatformCount: Sendable, Equatable {
        public var urls = 0
        public var items = 0
    }

    public var lines = 0
    public var linesWithURLs = 0
    /// Lines that gave no URL at all (each has a row saying why).
    public var linesWithoutURLs = 0
    public var urls = 0
    /// URLs found but not usable (another scheme, invalid host …).
    public var rejectedURLs = 0
    public var items = 0
    /// Counts per platform, in order of first appearance. A short list: a
    /// batch names a dozen platforms at most, and comparing their short
    /// names beats hashing them once per URL.
    private var counts: [(platform: String, count: PlatformCount)] = []

    public init() {}

    /// Counts per platform.
    public var platforms: [String: PlatformCount] {
        Dictionary(uniqueKeysWithValues: counts.map { ($0.platform, $0.count) })
    }

    /// Where each platform's counts are in `counts`, by the identity of its
    /// rules: a handful of entries, and comparing references beats comparing names.
    private var placeOfRules: [(rules: UInt, index: Int)] = []

    /// Counts one classified URL, and one item if it is the first of its item.
    mutating func count(_ classified: ClassifiedBytes, newItem: Bool) {
        count(origin: classified.origin, urls: 1, items: newItem ? 1 : 0)
    }

    /// Counts URLs and items of the platform whose rules are `origin`'s.
    mutating func count(origin: RuleOrigin, urls: Int, items: Int) {
        // Compared as addresses: reading the unretained reference itself would count it.
        let identity = origin.platform.map { UInt(bitPattern: $0.toOpaque()) } ?? 0
        let index: Int
        if let known = placeOfRules.first(where: { $0.rules == identity }) {
            index = known.index
        } else {
            index = slot(for: origin.platform?.takeUnretainedValue().platform ?? "web")
            placeOfRules.append((identity, index))
        }
        counts[index].count.urls += urls
        counts[index].count.items += items
        self.items += items
    }

    /// Adds another part of the same batch's tallies (a lane's, or the fold's items).
    mutating func add(_ other: BatchSummary) {
        lines += other.lines
        linesWithURLs += other.linesWithURLs
        linesWithoutURLs += other.linesWithoutURLs
        urls += other.urls
        rejectedURLs += other.rejectedURLs
        items += other.items
        for (platform, count) in other.counts {
            let index = slot(for: platform)
            counts[index].count.urls += count.urls
            counts[index].count.items += count.items
        }
    }

    /// Where `platform`'s counts are, added at zero if they are not there yet.
    private mutating func slot(for platform: String) -> Int {
        if let index = counts.firstIndex(where: { $0.platform == platform }) { return index }
        counts.append((platform, PlatformCount()))
        return counts.count - 1
    }

    /// A few lines for a person, most common platform first.
    public var text: String {
        var lines = [
            "\(DurationWords.count(self.lines, "line")): \(linesWithURLs) with URLs, \(linesWithoutURLs) without",
            "\(DurationWords.count(urls, "URL")): \(urls - rejectedURLs) classified, \(rejectedURLs) rejected; \(DurationWords.count(items, "distinct item"))",
        ]
        let ordered = platforms.sorted { $0.value.urls != $1.value.urls ? $0.value.urls > $1.value.urls : $0.key < $1.key }
        let classified = max(urls - rejectedURLs, 1)
        for (name, count) in ordered {
            let share = Double(count.urls) * 100 / Double(classified)
            lines.append("  \(name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(DurationWords.count(count.urls, "URL")) (\(String(format1: share))%), \(DurationWords.count(count.items, "item"))")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// One decimal place without Foundation's formatter.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
