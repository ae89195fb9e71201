#ifndef URLTRIAGE_CMEMORY_H
#define URLTRIAGE_CMEMORY_H

#include <stddef.h>

/* Swift has no prefetch; the dedupe table asks for the memory a lookup
   will touch a few URLs before it looks, so the cache misses overlap. */
static inline void urltriage_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/* mremap(old, old_size, new_size, MREMAP_MAYMOVE): Glibc declares it only
   under _GNU_SOURCE, which Swift's Glibc module does not set. Returns NULL
   where the system has no mremap or it failed; the caller then copies. */
void *urltriage_mremap_maymove(void *old_address, size_t old_size, size_t new_size);

#endif
