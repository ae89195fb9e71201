/// The bytes libFuzzer hands a target, as a buffer; libFuzzer may pass a null
/// pointer with a count of zero.
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ count: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: count == 0 ? nil : data, count: count)
}

/// Splits an input into a leading selector byte (which part of a target an
/// input exercises, or an option) and the rest.
public func selector(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt8, UnsafeBufferPointer<UInt8>) {
    guard let first = bytes.first else { return (0, bytes) }
    return (first, UnsafeBufferPointer(rebasing: bytes.dropFirst()))
}

/// Splits bytes at the first occurrence of `separator` (the separator itself dropped);
/// the second part is empty when there is none.
public func split(_ bytes: UnsafeBufferPointer<UInt8>, at separator: UInt8) -> (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) {
    guard let index = bytes.firstIndex(of: separator) else {
        return (bytes, UnsafeBufferPointer(rebasing: bytes[bytes.endIndex...]))
    }
    return (UnsafeBufferPointer(rebasing: bytes[..<index]), UnsafeBufferPointer(rebasing: bytes[(index + 1)...]))
}

/// Whether `needle` occurs in `haystack`, byte for byte.
public func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard haystack.count >= needle.count else { return false }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
    }
    return false
}
