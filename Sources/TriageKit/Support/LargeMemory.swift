internal import CMemory
#if canImport(Glibc)
import Glibc
#endif

/// Raw memory for tables that outgrow the caches (the dedupe table of a large
/// batch): zero-filled, in 2 MiB huge pages where the kernel offers them, and
/// able to grow without copying.
///
/// A probe of a table of millions of slots lands on a random 4 KiB page: a
/// TLB miss and a page walk before the cache miss itself. With huge pages a
/// few dozen TLB entries cover the whole table. Linux hands out huge pages
/// for `madvise(MADV_HUGEPAGE)` regions on most systems (THP "madvise" mode);
/// where it does not, this is ordinary memory.
///
/// Large regions are mapped straight from the kernel, which hands out pages
/// already zeroed: an empty table needs no pass to clear it, and a growing
/// arena moves to a bigger mapping with `mremap`, which moves page tables
/// instead of copying bytes. Small regions come from `posix_memalign`, cleared.
enum LargeMemory {
    static let hugePage = 2 << 20

    /// A region of `bytes` zero bytes, at least 64-byte aligned; free it with
    /// `release(_:bytes:)`, passing the same size (or the size `grow` returned).
    static func allocateZeroed(bytes: Int) -> UnsafeMutableRawPointer {
        guard bytes >= hugePage else {
            var pointer: UnsafeMutableRawPointer?
            // Cache-line aligned, so that a slot never straddles two lines.
            guard posix_memalign(&pointer, 64, max(bytes, 64)) == 0, let pointer else {
                fatalError("out of memory allocating \(bytes) bytes")
            }
            pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(bytes, 64))
            return pointer
        }
        return map(rounded(bytes))
    }

    /// Moves the region at `pointer` (of `bytes`) to one of `newBytes`,
    /// keeping its contents; the new bytes are zero. The old pointer is invalid afterwards.
    static func grow(_ pointer: UnsafeMutableRawPointer, bytes: Int, to newBytes: Int) -> UnsafeMutableRawPointer {
        if bytes >= hugePage, let moved = urltriage_mremap_maymove(pointer, rounded(bytes), rounded(newBytes)) {
            #if os(Linux)
            _ = madvise(moved, rounded(newBytes), MADV_HUGEPAGE)
            #endif
            return moved
        }
        let grown = allocateZeroed(bytes: newBytes)
        grown.copyMemory(from: pointer, byteCount: bytes)
        release(pointer, bytes: bytes)
        return grown
    }

    static func release(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        if bytes >= hugePage {
            munmap(pointer, rounded(bytes))
        } else {
            free(pointer)
        }
    }

    private static func rounded(_ bytes: Int) -> Int { (bytes + hugePage - 1) / hugePage * hugePage }

    /// A fresh anonymous mapping of `size` bytes (a multiple of the huge page
    /// size), aligned to a huge page so that the kernel can back it with them.
    private static func map(_ size: Int) -> UnsafeMutableRawPointer {
        // Mapped one huge page larger, then trimmed to an aligned start.
        let padded = size + hugePage
        guard let raw = mmap(nil, padded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), raw != MAP_FAILED else {
            fatalError("out of memory mapping \(size) bytes")
        }
        let address = UInt(bitPattern: raw)
        let aligned = (address + UInt(hugePage) - 1) & ~UInt(hugePage - 1)
        let head = Int(aligned - address)
        if head > 0 { munmap(raw, head) }
        let tail = padded - head - size
        if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: aligned + UInt(size)), tail) }
        let pointer = UnsafeMutableRawPointer(bitPattern: aligned)!
        #if os(Linux)
        _ = madvise(pointer, size, MADV_HUGEPAGE)
        #endif
        return pointer
    }
}
