#ifndef URLTRIAGE_CMEMORY_H
#define URLTRIAGE_CMEMORY_H

#include <stddef.h>
#include <stdint.h>

/* Swift has no prefetch; the dedupe table asks for the memory a lookup
   will touch a few URLs before it looks, so the cache misses overlap. */
static inline void urltriage_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/* mremap(old, old_size, new_size, MREMAP_MAYMOVE): Glibc declares it only
   under _GNU_SOURCE, which Swift's Glibc module does not set. Returns NULL
   where the system has no mremap or it failed; the caller then copies. */
void *urltriage_mremap_maymove(void *old_address, size_t old_size, size_t new_size);

/* SHA-256 with the CPU's SHA instructions (x86-64 SHA-NI), which Swift cannot
   reach: hashing a 220 MB report file took 1.6 s of the ingest's CPU in Swift.
   urltriage_sha256_hardware() is 1 when the CPU has them (SHA, SSSE3, SSE4.1);
   only then may urltriage_sha256_blocks fold `blocks` 64-byte blocks of `data`
   into `state` (a..h, as FIPS 180-4 names them). */
int urltriage_sha256_hardware(void);
void urltriage_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
