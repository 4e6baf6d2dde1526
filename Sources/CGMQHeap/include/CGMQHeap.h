#ifndef CGMQHEAP_H
#define CGMQHEAP_H

/// The cap on glibc malloc's arenas that gmqd set before its main ran (one per online core), or 0 where none was
/// set (another C library). Swift's Glibc module does not export <malloc.h>'s mallopt.
int gmq_heap_arenas(void);

#endif
