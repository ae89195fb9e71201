/// A set of registrable domains that answers "does this host end in one of
/// them?" on raw bytes, without building a `String` for the host.
///
/// Hashes are FNV-1a taken from the last byte backwards, so one pass from the
/// right end of a host yields the hash of every dot-separated suffix in turn.
/// A class, so that a line scan can hold it without reference counting
/// (see `LineScan.knownDomains`); it is immutable after `init`.
final class DomainSet: Sendable {
    private let domains: [[UInt8]]
    /// Open-addressing table of (hash, index into `domains` + 1); 0 marks an empty slot.
    private let slots: [(hash: UInt64, index: Int)]
    private let mask: Int

    init(_ names: Set<String>) {
        var cleaned = Set<[UInt8]>()
        for name in names {
            var bytes = Array(name.utf8).map(ByteClass.lowercased)
            while bytes.first == UInt8(ascii: ".") { bytes.removeFirst() }
            while bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
            if !bytes.isEmpty { cleaned.insert(bytes) }
        }
        var capacity = 8
        while capacity < cleaned.count * 2 { capacity *= 2 }
        var domains: [[UInt8]] = []
        var slots: [(hash: UInt64, index: Int)] = Array(repeating: (0, 0), count: capacity)
        for bytes in cleaned.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            domains.append(bytes)
            var hash = Self.seed
            for byte in bytes.reversed() { hash = Self.step(hash, byte) }
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while slots[slot].index != 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = (hash, domains.count)
        }
        self.domains = domains
        self.slots = slots
        mask = capacity - 1
    }

    var isEmpty: Bool { domains.isEmpty }

    // MARK: - Lookup

    /// True when `bytes[range]` (a host, any case) equals a domain in the set or ends in "." + one.
    func containsSuffix(of bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard !domains.isEmpty else { return false }
        var hash = Self.seed
        var i = range.upperBound
        while i > range.lowerBound {
            i -= 1
            let byte = ByteClass.lowercased(bytes[i])
            if byte == UInt8(ascii: "."), i + 1 < range.upperBound, lookup(hash, bytes, (i + 1)..<range.upperBound) {
                return true
            }
            hash = Self.step(hash, byte)
        }
        return lookup(hash, bytes, range)
    }

    private func lookup(_ hash: UInt64, _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry.index == 0 { return false }
            if entry.hash == hash, equalIgnoringCase(domains[entry.index - 1], bytes, range) { return true }
            slot = (slot + 1) & mask
        }
    }

    private func equalIgnoringCase(_ domain: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard domain.count == range.count else { return false }
        var k = 0
        for i in range {
            if ByteClass.lowercased(bytes[i]) != domain[k] { return false }
            k += 1
        }
        return true
    }

    // MARK: - Hashing

    private static let seed: UInt64 = 0xCBF2_9CE4_8422_2325

    @inline(__always)
    private static func step(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
}
