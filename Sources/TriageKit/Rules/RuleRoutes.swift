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
        rules = .owning(content.map { Unmanaged.passUnretained($0) })
        compiled = .owning(content.map(\.compiled))
        var flat = generalRules.map(Int32.init)
        var listEnds = [flat.count]
        for list in rulesByHost.values {
            flat += list.map(Int32.init)
            listEnds.append(flat.count)
        }
        lists = .owning(flat)
        ends = .owning(listEnds)
    }

    func deallocate() {
        rules.freeOwned()
        compiled.freeOwned()
        lists.freeOwned()
        ends.freeOwned()
    }

    /// The general list (for hosts no rule names), or the list of entry `entry` of `rulesByHost`.
    func list(entry: Int?) -> UnsafeBufferPointer<Int32> {
        let k = entry.map { $0 + 1 } ?? 0
        let start = k == 0 ? 0 : ends[k - 1]
        return UnsafeBufferPointer(rebasing: lists[start..<ends[k]])
    }
}
