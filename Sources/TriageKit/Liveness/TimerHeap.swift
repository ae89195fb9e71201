/// A min-heap of deadlines, each with a value (a host or a job number).
struct TimerHeap {
    private var entries: [(deadline: UInt64, value: Int)] = []

    var isEmpty: Bool { entries.isEmpty }
    var next: UInt64? { entries.first?.deadline }

    mutating func push(_ deadline: UInt64, _ value: Int) {
        entries.append((deadline, value))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popDue(_ now: UInt64) -> Int? {
        guard let first = entries.first, first.deadline <= now else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < entries.count && entries[left].deadline < entries[smallest].deadline { smallest = left }
                if right < entries.count && entries[right].deadline < entries[smallest].deadline { smallest = right }
                guard smallest != parent else { break }
                entries.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first.value
    }
}

/// A first-in, first-out queue of numbers that does not shift on removal.
struct FIFO {
    private var items: [Int] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }
    var count: Int { items.count - head }

    mutating func append(_ item: Int) { items.append(item) }

    mutating func popFirst() -> Int? {
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head >= 1024 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return item
    }
}
