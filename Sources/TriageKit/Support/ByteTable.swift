/// A hash table keyed by byte strings, looked up without building a `String`.
///
/// Host names, parameter names and dedupe keys are looked up once or more per
/// URL; Swift's `Dictionary<String, _>` would need a `String` for each probe
/// and SipHash over it. Keys here live in one byte arena, the hash is a
/// simple multiply-mix over 8-byte words, and a probe compares the stored
/// hash before the bytes.
///
/// The dedupe table holds hundreds of thousands of keys, far more than the
/// caches, so each lookup is laid out to touch as little memory as possible:
/// a slot (eight bytes) holds 32 bits of the hash and where its key record starts in the arena,
/// and the record holds the entry's index and length right before the key's
/// bytes. A new key costs one cache miss (its slot); a repeated key two (its
/// slot and its record). A separate entries array would add a third.
struct ByteTable<Value> {
    fileprivate struct Slot {
        /// The low 32 bits of the key's hash, which also place the slot; 0
        /// marks an empty slot (a tag of 0 is stored as 1).
        var tag: UInt32
        /// Where the key's record starts in the arena, in units of 8 bytes
        /// (records start on 8-byte boundaries), so 32 bits reach 32 GiB.
        var unit: UInt32

        var offset: Int { Int(unit) &* 8 }
    }

    /// The tag a key with `hash` is stored under.
    @inline(__always)
    fileprivate static func tag(_ hash: UInt64) -> UInt32 {
        let tag = UInt32(truncatingIfNeeded: hash)
        return tag == 0 ? 1 : tag
    }

    /// The size of the header before each key's bytes: its entry index and its length.
    fileprivate static var recordHeader: Int { 8 }

    /// The table lives in one object so that a lookup retains one reference;
    /// it is copied before a write when shared (copy on write). Writes happen
    /// only through `ByteTable.insert` on a uniquely referenced storage.
    /// Slots and arena are raw memory from `LargeMemory`, so that a big
    /// table sits in huge pages.
    fileprivate final class Storage {
        private(set) var slots: UnsafeMutablePointer<Slot>
        private(set) var mask: Int
        /// Records one after another: index (UInt32), length (UInt32), key bytes.
        private(set) var arena: UnsafeMutableRawPointer
        private(set) var arenaCount = 0
        private var arenaCapacity: Int
        /// Where each entry's record starts, by entry index (for `key(at:)`).
        @exclusivity(unchecked) var offsets: [Int] = []
        @exclusivity(unchecked) var values: [Value] = []

        init(size: Int, arenaCapacity: Int = 1024) {
            slots = Self.emptySlots(size)
            mask = size - 1
            self.arenaCapacity = arenaCapacity
            arena = LargeMemory.allocateZeroed(bytes: arenaCapacity)
        }

        deinit {
            LargeMemory.release(UnsafeMutableRawPointer(slots), bytes: (mask + 1) * MemoryLayout<Slot>.stride)
            LargeMemory.release(arena, bytes: arenaCapacity)
        }

        /// All-zero memory is a table of empty slots (hash 0), so nothing is written.
        private static func emptySlots(_ size: Int) -> UnsafeMutablePointer<Slot> {
            LargeMemory.allocateZeroed(bytes: size * MemoryLayout<Slot>.stride).bindMemory(to: Slot.self, capacity: size)
        }

        func copy() -> Storage {
            let copy = Storage(size: mask + 1, arenaCapacity: arenaCapacity)
            copy.slots.update(from: slots, count: mask + 1)
            copy.arena.copyMemory(from: arena, byteCount: arenaCount)
            copy.arenaCount = arenaCount
            copy.offsets = offsets
            copy.values = values
            return copy
        }

        /// The bytes of the key whose record starts at `offset`.
        func keyBytes(at offset: Int) -> UnsafeRawBufferPointer {
            let length = Int(arena.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            return UnsafeRawBufferPointer(start: arena + offset + ByteTable.recordHeader, count: length)
        }

        func appendRecord(index: Int, key: UnsafeBufferPointer<UInt8>) -> Int {
            arenaCount = (arenaCount + 7) & ~7
            precondition(arenaCount / 8 < Int(UInt32.max), "ByteTable: more than 32 GiB of keys")
            let needed = arenaCount + ByteTable.recordHeader + key.count
            if needed > arenaCapacity {
                var capacity = arenaCapacity * 2
                while capacity < needed { capacity *= 2 }
                arena = LargeMemory.grow(arena, bytes: arenaCapacity, to: capacity)
                arenaCapacity = capacity
            }
            let offset = arenaCount
            arena.storeBytes(of: UInt32(index), toByteOffset: offset, as: UInt32.self)
            arena.storeBytes(of: UInt32(key.count), toByteOffset: offset + 4, as: UInt32.self)
            if let base = key.baseAddress { (arena + offset + ByteTable.recordHeader).copyMemory(from: base, byteCount: key.count) }
            arenaCount = needed
            return offset
        }

        func place(_ entry: Slot) {
            var slot = Int(entry.tag) & mask
            while slots[slot].tag != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }

        func grow() {
            let old = slots
            let oldSize = mask + 1
            slots = Self.emptySlots(oldSize * 2)
            mask = oldSize * 2 - 1
            for index in 0..<oldSize where old[index].tag != 0 { place(old[index]) }
            LargeMemory.release(UnsafeMutableRawPointer(old), bytes: oldSize * MemoryLayout<Slot>.stride)
        }
    }

    private var storage: Storage

    /// - Parameters:
    ///   - minimumCapacity: how many keys fit before the slots are rehashed into a larger table.
    ///   - keyBytes: how many bytes of keys fit before the key memory grows.
    init(minimumCapacity: Int = 16, keyBytes: Int = 1024) {
        var size = 16
        while size < minimumCapacity * 2 { size <<= 1 }
        storage = Storage(size: size, arenaCapacity: max(keyBytes, 1024))
    }

    /// How many keys the table holds.
    var count: Int { storage.offsets.count }

    var values: [Value] { storage.values }

    /// The bytes the keys take (with their records' headers), for callers that bound a cache by memory.
    var keyBytes: Int { storage.arenaCount }

    // MARK: - Lookup

    /// The value stored for `key`, if any.
    func value(for key: UnsafeBufferPointer<UInt8>) -> Value? {
        let storage = storage
        return storage.index(of: key, hash: Self.hash(key)).map { storage.values[$0] }
    }

    /// The entry index of `key` (its place in insertion order), if present.
    func index(for key: UnsafeBufferPointer<UInt8>) -> Int? {
        storage.index(of: key, hash: Self.hash(key))
    }

    func value(for key: String) -> Value? {
        var key = key
        return key.withUTF8 { value(for: $0) }
    }

    func value(for key: Substring) -> Value? {
        var key = key
        return key.withUTF8 { value(for: $0) }
    }

    // MARK: - Insertion

    /// Stores `value` for `key` unless the key is present; returns the entry
    /// index and whether it was inserted.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, _ value: @autoclosure () -> Value) -> (index: Int, inserted: Bool) {
        let hash = Self.hash(key)
        if let existing = storage.index(of: key, hash: hash) { return (existing, false) }
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage.append(key, hash: hash, value: value())
    }

    /// Like `insert(_:_:)`, with the key's `hash` computed beforehand (for `prefetchSlot`).
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, _ value: @autoclosure () -> Value) -> (index: Int, inserted: Bool) {
        if let existing = storage.index(of: key, hash: hash) { return (existing, false) }
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage.append(key, hash: hash, value: value())
    }

    /// Replaces the value of the entry at `index` (from `insert`).
    mutating func setValue(_ value: Value, at index: Int) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        storage.values[index] = value
    }

    // MARK: - Prefetching

    /// Asks the cache for the slot a key with `hash` starts probing at. A
    /// batch calls this some URLs before it inserts the key, so that the
    /// miss has been served by then.
    func prefetchSlot(hash: UInt64) {
        urltriage_prefetch(storage.slots + (Int(Self.tag(hash)) & storage.mask))
    }

    /// Once the slot is cached: asks for the record of the first stored key
    /// with the same hash, which is the one a repeated key will compare with.
    func prefetchRecord(hash: UInt64) {
        let tag = Self.tag(hash)
        var slot = Int(tag) & storage.mask
        while true {
            let candidate = storage.slots[slot]
            if candidate.tag == 0 { return }
            if candidate.tag == tag {
                urltriage_prefetch(storage.arena + candidate.offset)
                return
            }
            slot = (slot + 1) & storage.mask
        }
    }

    @discardableResult
    mutating func insert(_ key: String, _ value: @autoclosure () -> Value) -> (index: Int, inserted: Bool) {
        var key = key
        return key.withUTF8 { insert($0, value()) }
    }

    /// The key bytes of entry `index`, as a string.
    func key(at index: Int) -> String {
        String(decoding: storage.keyBytes(at: storage.offsets[index]), as: UTF8.self)
    }

    // MARK: - Hashing

    /// A fast non-cryptographic hash (8 bytes at a time, multiply and fold).
    /// Keys come from reports, so a hostile input could force collisions;
    /// probing stays correct then, only slower.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = mix(hash ^ word)
            offset += 8
        }
        if offset < bytes.count {
            // The last eight bytes, overlapping words already mixed in (the
            // length is in the seed), or the few bytes of a short key.
            var tail: UInt64 = 0
            if bytes.count >= 8 {
                tail = raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
            } else {
                for index in offset..<bytes.count { tail = tail << 8 | UInt64(base[index]) }
            }
            hash = mix(hash ^ tail)
        }
        // 0 marks an empty slot.
        return max(mix(hash), 1)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: 0xBF58_476D_1CE4_E5B9)
        return product.high ^ product.low
    }
}

// MARK: - Storage

extension ByteTable.Storage {
    func index(of key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        let tag = ByteTable.tag(hash)
        var slot = Int(tag) & mask
        while true {
            let candidate = slots[slot]
            if candidate.tag == 0 { return nil }
            if candidate.tag == tag {
                let stored = keyBytes(at: candidate.offset)
                if stored.count == key.count, stored.count == 0 || memcmp(stored.baseAddress!, key.baseAddress!, stored.count) == 0 {
                    return Int(arena.loadUnaligned(fromByteOffset: candidate.offset, as: UInt32.self))
                }
            }
            slot = (slot + 1) & mask
        }
    }

    func append(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Value) -> (index: Int, inserted: Bool) {
        if (offsets.count + 1) * 4 > (mask + 1) * 3 { grow() }
        precondition(key.count <= Int(UInt32.max) && offsets.count < Int(UInt32.max), "ByteTable: key or table too large")
        let entryIndex = offsets.count
        let offset = appendRecord(index: entryIndex, key: key)
        offsets.append(offset)
        values.append(value)
        place(ByteTable.Slot(tag: ByteTable.tag(hash), unit: UInt32(offset / 8)))
        return (entryIndex, true)
    }
}

// A table is written only through `insert`, which copies shared storage
// first, so a table that crosses threads is never written while read.
extension ByteTable: @unchecked Sendable where Value: Sendable {}

internal import CMemory
#if canImport(Glibc)
import Glibc
#endif
