#include "CGMQHeap.h"

#include <unistd.h>  // first: it defines __GLIBC__ on glibc
#if defined(__GLIBC__)
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#endif

static int arenas = 0;

// glibc's malloc gives every thread that meets another in the heap an arena of its own, up to eight per core, and
// each arena keeps what its threads freed. 10,000 idle players after 15 s of closed loop (2 cores) left gmqd at
// 117-125 MB uncapped (8 runs), 98-100 MB with 2 or 3 arenas (8 runs), 119-125 MB with 4. Throughput did not move
// (256 connections, alternated triples, acked/s: uncapped 4,766 / 5,659 / 5,762, 3 arenas 5,197 / 5,448 / 6,327,
// 2 arenas 5,040 / 4,848 / 6,778).
//
// glibc fixes its arena limit the first time a thread needs an arena of its own, and Swift's runtime has threads
// allocating before gmqd's main runs: mallopt must come before, hence a constructor. An operator's own setting
// (MALLOC_ARENA_MAX, or arena_max in GLIBC_TUNABLES) is left to glibc.
__attribute__((constructor)) static void gmq_limit_heap_arenas(void) {
#if defined(__GLIBC__)
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (getenv("MALLOC_ARENA_MAX") != NULL || (tunables != NULL && strstr(tunables, "arena_max") != NULL)) return;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int cap = cores > 0 ? (int)cores : 1;
    if (mallopt(M_ARENA_MAX, cap) == 1) arenas = cap;
#endif
}

int gmq_heap_arenas(void) { return arenas; }
