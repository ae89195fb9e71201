#ifndef URLTRIAGE_CPCRE2_SHIM_H
#define URLTRIAGE_CPCRE2_SHIM_H
// The 8-bit library: Swift sees the pcre2_*_8 names.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// PCRE2_ZERO_TERMINATED and PCRE2_UNSET are macros Swift cannot import.
static inline size_t cpcre2_unset(void) { return PCRE2_UNSET; }
#endif
