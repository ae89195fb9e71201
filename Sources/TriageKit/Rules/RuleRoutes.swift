/// A platform's content rules laid out for the classifier's hot loop: each
/// rule as an unretained reference, and the candidate list of each host
/// named by some rule as a run of integers in one block of memory.
///
/// `PlatformRules` keeps the same facts as arrays and a table of arrays,
/// which is what tools read; reading those per URL retains and releases
/// every array and rule touched. Only raw pointers here, so copying this
/// counts no references either. The owning `PlatformRules` frees it in its
/// `deinit`, and outlives every classifier that reads it.
struct RuleRoutes: @unchecked Sendable {
    /// `content`, unretained; the owner holds the references.
    let rules: UnsafeBufferPointer<Unmanaged<ContentRule>>
    /// Each rule's `compiled` parts, by the same index.
    let compiled: UnsafeBufferPointer<CompiledRule>
    /// The platform's tracking parameters, unretained; the owner holds the reference.
    let stripParams: Unmanaged<ParamFilter>
    /// Every candidate list, one after another: the general list, then one
    /// per entry of the owner's `rulesByHost`, in entry order.
    private let lists: UnsafeBufferPointer<Int32>
    /// Where each list ends in `lists` (list k runs from `ends[k - 1]`, or 0, to `ends[k]`).
    private let ends: UnsafeBufferPointer<Int>

    init(content: [ContentRule], rulesByHost: ByteTable<[Int]>, generalRules: [Int], stripParams: ParamFilter) {
        self.stripParams = .passUnretained(stripParams)
        let refs = UnsafeMutableBufferPointer<Unmanaged<ContentRule>>.allocate(capacity: max(content.count, 1))
        for (index, rule) in content.enumerated() { refs[index] = Unmanaged.passUnretained(rule) }
        rules = UnsafeBufferPointer(rebasing: refs[..<content.count])
        let compiledMemory = UnsafeMutableBufferPointer<CompiledRule>.allocate(capacity: max(content.count, 1))
        _ = compiledMemory.initialize(from: content.map(\.compiled))
        compiled = UnsafeBufferPointer(rebasing: compiledMemory[..<content.count])
        var flat = generalRules.map(Int32.init)
        var listEnds = [flat.count]
        for list in rulesByHost.values {
            flat += list.map(Int32.init)
            listEnds.append(flat.count)
        }
        let memory = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(flat.count, 1))
        _ = memory.initialize(from: flat)
        lists = UnsafeBufferPointer(rebasing: memory[..<flat.count])
        let endMemory = UnsafeMutableBufferPointer<Int>.allocate(capacity: listEnds.count)
        _ = endMemory.initialize(from: listEnds)
        ends = UnsafeBufferPointer(endMemory)
    }

    func deallocate() {
        rules.baseAddress.map { UnsafeMutablePointer(mutating: $0).deallocate() }
        compiled.baseAddress.map { UnsafeMutablePointer(mutating: $0).deallocate() }
        lists.baseAddress.map { UnsafeMutablePointer(mutating: $0).deallocate() }
        ends.baseAddress.map { UnsafeMutablePointer(mutating: $0).deallocate() }
    }

    /// The general list (for hosts no rule names), or the list of entry `entry` of `rulesByHost`.
    func list(entry: Int?) -> UnsafeBufferPointer<Int32> {
        let k = entry.map { $0 + 1 } ?? 0
        let start = k == 0 ? 0 : ends[k - 1]
        return UnsafeBufferPointer(rebasing: lists[start..<ends[k]])
    }
}
