/// Tables the per-URL path reads (rule lists, capture tables, templates,
/// names) are copied once into memory of their own: reading a Swift array or
/// string counts a reference each time, and these are read for every URL.
/// The owner of such a copy frees it with `freeOwned()` in its `deinit`.
extension UnsafeBufferPointer {
    /// A copy of `elements` in newly allocated memory.
    static func owning<C: Collection>(_ elements: C) -> UnsafeBufferPointer<Element> where C.Element == Element {
        let memory = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(elements.count, 1))
        let (_, written) = memory.initialize(from: elements)
        return UnsafeBufferPointer(rebasing: memory[..<written])
    }

    /// Frees memory that `owning(_:)` allocated.
    func freeOwned() {
        guard let base = baseAddress else { return }
        let memory = UnsafeMutablePointer(mutating: base)
        memory.deinitialize(count: count)
        memory.deallocate()
    }
}
