#define _GNU_SOURCE
#include "CMemory.h"

#if defined(__linux__)
#include <sys/mman.h>

void *urltriage_mremap_maymove(void *old_address, size_t old_size, size_t new_size) {
    void *moved = mremap(old_address, old_size, new_size, MREMAP_MAYMOVE);
    return moved == MAP_FAILED ? NULL : moved;
}
#else
void *urltriage_mremap_maymove(void *old_address, size_t old_size, size_t new_size) {
    (void)old_address; (void)old_size; (void)new_size;
    return NULL;
}
#endif
