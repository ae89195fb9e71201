#ifndef URLTRIAGE_CPREFETCH_H
#define URLTRIAGE_CPREFETCH_H

/* Swift has no prefetch; the dedupe table asks for the memory a lookup
   will touch a few URLs before it looks, so the cache misses overlap. */
static inline void urltriage_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
