#if canImport(Glibc)
import Glibc
#endif

/// Raw memory for tables that outgrow the caches (the dedupe table of a large
/// batch), asked for in 2 MiB huge pages where the kernel offers them.
///
/// A probe of a table of millions of slots lands on a random 4 KiB page: a
/// TLB miss and a page walk before the cache miss itself. With huge pages a
/// few dozen TLB entries cover the whole table. Linux hands out huge pages
/// for `madvise(MADV_HUGEPAGE)` regions on most systems (THP "madvise" mode);
/// where it does not, this is ordinary memory.
enum LargeMemory {
    static let hugePage = 2 << 20

    /// `bytes` of uninitialised memory, 64-byte aligned; free it with `release`.
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        var pointer: UnsafeMutableRawPointer?
        let large = bytes >= hugePage
        let rounded = large ? (bytes + hugePage - 1) / hugePage * hugePage : max(bytes, 64)
        guard posix_memalign(&pointer, large ? hugePage : 64, rounded) == 0, let pointer else {
            fatalError("out of memory allocating \(rounded) bytes")
        }
        #if os(Linux)
        if large { _ = madvise(pointer, rounded, MADV_HUGEPAGE) }
        #endif
        return pointer
    }

    static func release(_ pointer: UnsafeMutableRawPointer) { free(pointer) }
}
