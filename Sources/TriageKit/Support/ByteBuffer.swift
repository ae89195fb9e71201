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

    /// An integer in decimal, without making a string: written in place from
    /// its last digit back, two digits per division.
    mutating func append(decimal number: Int) {
        // 20 digits hold the largest magnitude, plus a sign.
        reserve(21)
        var value = number.magnitude
        var digits = 1
        var power: UInt = 10
        while digits < 20, value >= power {
            digits += 1
            power = power &* 10
        }
        let sign = number < 0 ? 1 : 0
        if sign == 1 { base[count] = UInt8(ascii: "-") }
        var index = count + sign + digits
        while value >= 100 {
            let pair = Int(value % 100)
            value /= 100
            index -= 2
            base[index] = Self.digitPairs[2 * pair]
            base[index + 1] = Self.digitPairs[2 * pair + 1]
        }
        if value >= 10 {
            base[index - 2] = Self.digitPairs[2 * Int(value)]
            base[index - 1] = Self.digitPairs[2 * Int(value) + 1]
        } else {
            base[index - 1] = UInt8(ascii: "0") + UInt8(value)
        }
        count += sign + digits
    }

    /// "00" "01" … "99", one after another.
    private static var digitPairs: UnsafePointer<UInt8> {
        let text: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
        return text.utf8Start
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
