/// A hash table keyed by byte strings, looked up without building a `String`.
///
/// Host names, parameter names and dedupe keys are looked up once or more per
/// URL; Swift's `Dictionary<String, _>` would need a `String` for each probe
/// and SipHash over it. Keys here live in one byte arena, the hash is a
/// simple multiply-mix over 8-byte words, and a probe compares the stored
/// hash before the bytes.
struct ByteTable<Value> {
    fileprivate struct Entry {
        var hash: UInt64
        var offset: Int
        var length: Int
    }

    /// The arrays live in one object so that a lookup retains one reference,
    /// not four; it is copied before a write when shared (copy on write).
    /// Writes happen only through `ByteTable.insert` on a uniquely referenced
    /// storage, so the per-access exclusivity checks are switched off.
    fileprivate final class Storage {
        @exclusivity(unchecked) var slots: [Int32]
        @exclusivity(unchecked) var entries: [Entry] = []
        @exclusivity(unchecked) var arena: [UInt8] = []
        @exclusivity(unchecked) var values: [Value] = []
        @exclusivity(unchecked) var mask: Int

        init(size: Int) {
            slots = Array(repeating: -1, count: size)
            mask = size - 1
        }

        func copy() -> Storage {
            let copy = Storage(size: slots.count)
            copy.slots = slots
            copy.entries = entries
            copy.arena = arena
            copy.values = values
            return copy
        }
    }

    private var storage: Storage

    init(minimumCapacity: Int = 16) {
        var size = 16
        while size < minimumCapacity * 2 { size <<= 1 }
        storage = Storage(size: size)
    }

    /// How many keys the table holds.
    var count: Int { storage.entries.count }

    var values: [Value] { storage.values }

    // MARK: - Lookup

    /// The value stored for `key`, if any.
    func value(for key: UnsafeBufferPointer<UInt8>) -> Value? {
        let storage = storage
        return storage.index(of: key, hash: Self.hash(key)).map { storage.values[$0] }
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

    @discardableResult
    mutating func insert(_ key: String, _ value: @autoclosure () -> Value) -> (index: Int, inserted: Bool) {
        var key = key
        return key.withUTF8 { insert($0, value()) }
    }

    /// The key bytes of entry `index`, as a string.
    func key(at index: Int) -> String {
        let entry = storage.entries[index]
        return String(decoding: storage.arena[entry.offset..<(entry.offset + entry.length)], as: UTF8.self)
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
            var tail: UInt64 = 0
            for index in offset..<bytes.count { tail = tail << 8 | UInt64(base[index]) }
            hash = mix(hash ^ tail)
        }
        return mix(hash)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: 0xBF58_476D_1CE4_E5B9)
        return product.high ^ product.low
    }
}

// MARK: - Storage

extension ByteTable.Storage {
    func index(of key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entryIndex = Int(slots[slot])
            if entryIndex < 0 { return nil }
            let entry = entries[entryIndex]
            if entry.hash == hash && entry.length == key.count && matches(entry, key) { return entryIndex }
            slot = (slot + 1) & mask
        }
    }

    func matches(_ entry: ByteTable.Entry, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { stored in
            guard let keyBase = key.baseAddress else { return entry.length == 0 }
            return memcmp(stored.baseAddress! + entry.offset, keyBase, entry.length) == 0
        }
    }


    func append(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Value) -> (index: Int, inserted: Bool) {
        if (entries.count + 1) * 4 > slots.count * 3 { grow() }
        let entryIndex = entries.count
        entries.append(ByteTable.Entry(hash: hash, offset: arena.count, length: key.count))
        arena.append(contentsOf: key)
        values.append(value)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entryIndex)
        return (entryIndex, true)
    }

    private func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (entryIndex, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entryIndex)
        }
    }
}

// A table is written only through `insert`, which copies shared storage
// first, so a table that crosses threads is never written while read.
extension ByteTable: @unchecked Sendable where Value: Sendable {}

#if canImport(Glibc)
import Glibc
#endif
