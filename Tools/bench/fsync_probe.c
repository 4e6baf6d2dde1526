/* The disk under the benchmark: COUNT writes of 16 KiB, each followed by fdatasync, into FILE (removed after),
 * as a WAL commit writes and syncs. Prints fdatasync_ms p50=… p99=… max=… so that `Tools/bench/run` can show what
 * the disk did around its latency step: on this shared machine a single fdatasync has been seen to take 411 ms
 * while the median took 0.25 ms, and one durable writer cannot hide that from a p99.
 * Usage: fsync_probe FILE COUNT. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 3 || atoi(argv[2]) < 1) {
        fprintf(stderr, "usage: %s FILE COUNT\n", argv[0]);
        return 2;
    }
    int count = atoi(argv[2]);
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) { perror(argv[1]); return 1; }
    static char page[16384];
    memset(page, 0x5A, sizeof page);
    double *ms = malloc(sizeof *ms * (size_t)count);
    for (int i = 0; i < count; i++) {
        struct timespec start, end;
        if (pwrite(fd, page, sizeof page, (off_t)i * (off_t)sizeof page) != (ssize_t)sizeof page) {
            perror("pwrite");
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &start);
        if (fdatasync(fd) != 0) { perror("fdatasync"); return 1; }
        clock_gettime(CLOCK_MONOTONIC, &end);
        ms[i] = (double)(end.tv_sec - start.tv_sec) * 1e3 + (double)(end.tv_nsec - start.tv_nsec) / 1e6;
    }
    close(fd);
    unlink(argv[1]);
    qsort(ms, (size_t)count, sizeof *ms, compare);
    printf("fdatasync_ms p50=%.2f p99=%.2f max=%.2f\n", ms[count / 2], ms[(count * 99) / 100], ms[count - 1]);
    free(ms);
    return 0;
}
