/// A growable list of plain values (no references inside) in memory the owner
/// frees with `deallocate()`: the batch path empties and refills its lists for
/// every line and every URL, and an array's `removeAll(keepingCapacity:)`
/// alone cost more than a hundred instructions there. A struct over a raw
/// pointer, like `ByteBuffer`; an empty list holds no memory.
struct ReusableList<Element> {
    private var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private var capacity = 0

    init() {}

    func deallocate() { base?.deallocate() }

    var isEmpty: Bool { count == 0 }

    /// The elements, valid until the next append.
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    /// Forgets the elements and keeps the memory (plain values need no clean-up).
    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow() }
        (base.unsafelyUnwrapped + count).initialize(to: element)
        count += 1
    }

    @inline(never)
    private mutating func grow() {
        let newCapacity = Swift.max(capacity * 2, 8)
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            grown.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = grown
        capacity = newCapacity
    }

    subscript(index: Int) -> Element {
        get { base.unsafelyUnwrapped[index] }
        nonmutating set { base.unsafelyUnwrapped[index] = newValue }
    }
}
