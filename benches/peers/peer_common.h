/* Helpers shared by the C peers of the benchmarks: a monotonic clock,
 * sorting timings, reading a file whole, and peak memory from
 * /proc/self/status. Included by libxml2_c14n_bench.c and
 * xmlsec_verify_bench.c. */
#ifndef HOSO_PEER_COMMON_H
#define HOSO_PEER_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0) {
        perror(path);
        fclose(f);
        return NULL;
    }
    long size = ftell(f);
    rewind(f);
    char *buf = malloc(size > 0 ? (size_t)size : 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "%s: read failed\n", path);
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    *len = (size_t)size;
    return buf;
}

/* A VmRSS / VmHWM line of /proc/self/status, in KiB. */
static long proc_status_kib(const char *key) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long value = -1;
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            value = strtol(line + klen + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

/* Timings of one case: how many runs, their median and the fastest. */
typedef struct {
    size_t iters;
    double median, best;
} stats_t;

static double *samples;
static size_t samples_cap;

/* Records the `count`-th run's duration, growing the buffer as needed. */
static void record_sample(size_t count, double d) {
    if (count == samples_cap) {
        samples_cap = samples_cap ? samples_cap * 2 : 1024;
        samples = realloc(samples, samples_cap * sizeof *samples);
        if (!samples) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
    }
    samples[count] = d;
}

/* The median and best of the first `count` recorded runs. */
static stats_t summarize(size_t count) {
    qsort(samples, count, sizeof *samples, cmp_double);
    stats_t s = {count, samples[count / 2], samples[0]};
    return s;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* A duration as people read it: µs below a millisecond, else ms. */
static void human(double secs, char *buf, size_t cap) {
    double us = secs * 1e6;
    if (us < 1000)
        snprintf(buf, cap, "%.1f µs", us);
    else
        snprintf(buf, cap, "%.2f ms", us / 1000);
}

#endif
