#if canImport(Glibc)
import Glibc
#endif

/// A growable run of bytes in memory the owner frees: what keys, URLs and
/// output rows are assembled in on the batch path.
///
/// `[UInt8].append(contentsOf:)` goes through the generic sequence-copying
/// path, with a uniqueness and a capacity check, costing about a hundred
/// instructions even for a few bytes; rows are made of many such few-byte
/// pieces. Here an append is a capacity check and a `memcpy`.
///
/// A struct over a raw pointer, so copies share the bytes: exactly one owner
/// (a class) keeps it and calls `deallocate()` in its `deinit`.
struct ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    /// The bytes so far; valid until the next append that grows the buffer.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    subscript(range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    subscript(index: Int) -> UInt8 { base[index] }

    mutating func removeAll() { count = 0 }

    /// Drops everything from `index` on.
    mutating func truncate(to index: Int) { count = min(count, index) }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        memcpy(base + count, source, bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        append(bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// A string's UTF-8, copied straight from its storage when it is native.
    @inline(__always)
    mutating func append<S: StringProtocol>(utf8Of text: S) {
        if text.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            for byte in text.utf8 { append(byte) }
        }
    }

    /// A literal; one of a single character is stored as a scalar, not as bytes, which
    /// `withUTF8Buffer` reads either way.
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// An integer in decimal, without making a string.
    mutating func append(decimal number: Int) {
        // 24 bytes hold the 20 digits of the largest magnitude and a sign.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { scratch in
            var value = number.magnitude
            var index = scratch.count
            repeat {
                index -= 1
                scratch[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            if number < 0 { index -= 1; scratch[index] = UInt8(ascii: "-") }
            append(UnsafeRawBufferPointer(rebasing: scratch[index...]))
        }
    }

    /// Makes room for `extra` more bytes, to be written through `base` and
    /// then counted with `commit`.
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    /// Counts `written` bytes written after `count` into reserved room.
    mutating func commit(_ written: Int) {
        precondition(count + written <= capacity)
        count += written
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }
}
