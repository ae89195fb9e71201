#if canImport(Glibc)
import Glibc
#endif

/// A kept query parameter as byte ranges of its query: the batch path's
/// version of `QueryParameter`, which needs no strings.
struct ParameterRange {
    var name: Range<Int>
    /// Empty (at the end of `whole`) when the parameter has no `=`.
    var value: Range<Int>
    var whole: Range<Int>
}

/// The kept parameters of the URL being classified, in memory the owner
/// frees: a struct over a raw pointer, like `ByteBuffer`, so that filling and
/// reading it per URL counts no references. Exactly one owner calls `deallocate()`.
struct ParameterList {
    private(set) var base: UnsafeMutablePointer<ParameterRange>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 16) {
        self.capacity = max(capacity, 4)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    var ranges: UnsafeBufferPointer<ParameterRange> { UnsafeBufferPointer(start: base, count: count) }

    mutating func removeAll() { count = 0 }

    mutating func append(_ range: ParameterRange) {
        if count == capacity {
            let grown = UnsafeMutablePointer<ParameterRange>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: base, count: count)
            base.deallocate()
            base = grown
            capacity *= 2
        }
        (base + count).initialize(to: range)
        count += 1
    }

    subscript(index: Int) -> ParameterRange {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }
}

extension URLCleaner {
    /// The parameters of `query` that are not trackers, sorted by name (ties
    /// keep their order), into `kept`; the same choice as `keptParameters`.
    static func keptParameters(_ query: UnsafeBufferPointer<UInt8>, filter: ParamFilter, into kept: inout ParameterList) {
        kept.removeAll()
        guard let base = query.baseAddress else { return }
        var start = 0
        while start < query.count {
            // Each parameter's end and its `=` found with memchr: tracking
            // parameters make queries long, and most of their bytes are values.
            let end = memchr(base + start, 0x26, query.count - start).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? query.count
            let equals = memchr(base + start, 0x3D, end - start).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base }
            let nameEnd = equals ?? end
            if nameEnd > start && !filter.strips(bytes: UnsafeBufferPointer(rebasing: query[start..<nameEnd])) {
                kept.append(ParameterRange(name: start..<nameEnd, value: equals.map { ($0 + 1)..<end } ?? end..<end, whole: start..<end))
            }
            start = end + 1
        }
        // Insertion sort: stable, and the lists are a handful long. Query
        // bytes are ASCII (the parser percent-encodes the rest), so byte
        // order is the order strings compare in.
        guard kept.count > 1 else { return }
        for index in 1..<kept.count {
            let moving = kept[index]
            var slot = index
            while slot > 0, lessThan(moving.name, kept[slot - 1].name, in: query) {
                kept[slot] = kept[slot - 1]
                slot -= 1
            }
            kept[slot] = moving
        }
    }

    private static func lessThan(_ left: Range<Int>, _ right: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        UnsafeBufferPointer(rebasing: bytes[left]).lexicographicallyPrecedes(UnsafeBufferPointer(rebasing: bytes[right]))
    }

    /// `normalizePercentEncoding` on bytes, appended to `output`.
    static func appendNormalizingPercentEncoding(_ input: UnsafeBufferPointer<UInt8>, to output: inout ByteBuffer) {
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.count,
               let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                let decoded = high << 4 | low
                if isUnreserved(decoded) || decoded == UInt8(ascii: "@") || decoded == UInt8(ascii: ":") {
                    output.append(decoded)
                } else {
                    output.append(byte)
                    output.append(upperHex(high))
                    output.append(upperHex(low))
                }
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
    }
}
