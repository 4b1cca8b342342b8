/*
 * libxml2 peer of the hoso-xml canonicalization benchmark.
 *
 * Reads each file once, then in-process repeatedly parses the same bytes
 * (xmlReadMemory) and canonicalizes the whole document
 * (xmlC14NDocDumpMemory) with Exclusive XML Canonicalization 1.0 and/or
 * Canonical XML 1.0, without comments.  The time of one run is parse + c14n
 * + freeing the tree and the output: hoso-xml parses as it canonicalizes, so
 * that is the work to compare.  The parse alone is timed too, for reference.
 *
 * Timing is the same as the Rust bench: a warm-up (at least 0.2 s and 3
 * runs), then runs until at least --min-time seconds (default 1) have been
 * measured or --max-iters runs (default 100000) were made, with at least 3
 * runs; median and best, as time per document and MB/s of input
 * (MB = 10^6 bytes).
 *
 *   gcc -O2 -o libxml2_c14n_bench libxml2_c14n_bench.c $(pkg-config --cflags --libs libxml-2.0)
 *   ./libxml2_c14n_bench [--tsv] [--min-time S] [--max-iters N]
 *                        [--methods exc-c14n,c14n] FILE...
 *   ./libxml2_c14n_bench --once --methods exc-c14n [--out OUT] FILE
 *
 * --once: one parse + c14n of one file in this fresh process, then prints
 * the input size, VmRSS before the file was read and VmHWM (peak RSS) at the
 * end, in KiB, for the peak-memory table.
 */
#define _POSIX_C_SOURCE 200809L
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peer_common.h"

typedef struct {
    const char *name;
    int mode;
} method_t;

static const method_t METHODS[] = {
    {"exc-c14n", XML_C14N_EXCLUSIVE_1_0},
    {"c14n", XML_C14N_1_0},
    {"c14n11", XML_C14N_1_1},
};

/* Parser options: no network, no DTD loading, no entity substitution
 * beyond the predefined ones (the defaults), like a hardened reader. */
static const int PARSE_OPTIONS = XML_PARSE_NONET;

/* One parse + canonicalization; returns the output length, -1 on failure.
 * With keep != NULL the output is handed over instead of freed. */
static long run_once(const char *data, size_t len, int mode, xmlChar **keep) {
    xmlDocPtr doc = xmlReadMemory(data, (int)len, "bench.xml", NULL, PARSE_OPTIONS);
    if (!doc) return -1;
    xmlChar *out = NULL;
    int n = xmlC14NDocDumpMemory(doc, NULL, mode, NULL, 0, &out);
    xmlFreeDoc(doc);
    if (n < 0) {
        xmlFree(out);
        return -1;
    }
    if (keep)
        *keep = out;
    else
        xmlFree(out);
    return n;
}

static int parse_only(const char *data, size_t len) {
    xmlDocPtr doc = xmlReadMemory(data, (int)len, "bench.xml", NULL, PARSE_OPTIONS);
    if (!doc) return -1;
    xmlFreeDoc(doc);
    return 0;
}

/* kind 0: parse + c14n; kind 1: parse only. */
static stats_t measure(const char *data, size_t len, int mode, int kind, double min_time, size_t max_iters) {
    double warm = now();
    for (int n = 0; n < 3 || now() - warm < 0.2; n++) {
        if (kind == 0) run_once(data, len, mode, NULL);
        else parse_only(data, len);
    }
    size_t count = 0;
    double spent = 0;
    while (count < 3 || (spent < min_time && count < max_iters)) {
        double t = now();
        if (kind == 0) run_once(data, len, mode, NULL);
        else parse_only(data, len);
        double d = now() - t;
        spent += d;
        record_sample(count++, d);
    }
    return summarize(count);
}

static void print_row(int tsv, const char *method, const char *what, const char *name, size_t len, stats_t s) {
    double mb = (double)len / 1e6;
    if (tsv) {
        printf("libxml2\t%s\t%s\t%s\t%zu\t%zu\t%.3f\t%.3f\t%.1f\t%.1f\n", method, what, name, len, s.iters,
               s.median * 1e6, s.best * 1e6, mb / s.median, mb / s.best);
    } else {
        char med[32], best[32];
        human(s.median, med, sizeof med);
        human(s.best, best, sizeof best);
        printf("%-22s %10zu %-9s %-11s %7zu %11s %11s %10.1f %10.1f\n", name, len, method, what, s.iters, med, best,
               mb / s.median, mb / s.best);
    }
}

static void usage(void) {
    fprintf(stderr,
            "usage: libxml2_c14n_bench [--tsv] [--min-time S] [--max-iters N] [--methods exc-c14n,c14n,c14n11] "
            "[--no-parse-only] FILE...\n"
            "       libxml2_c14n_bench --once [--methods M] [--out OUT] FILE\n");
}

int main(int argc, char **argv) {
    int tsv = 0, once = 0, parse_rows = 1;
    double min_time = 1.0;
    size_t max_iters = 100000;
    const char *out_path = NULL;
    int use[3] = {1, 1, 0};
    const char *files[256];
    int nfiles = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--tsv")) tsv = 1;
        else if (!strcmp(a, "--once")) once = 1;
        else if (!strcmp(a, "--no-parse-only")) parse_rows = 0;
        else if (!strcmp(a, "--min-time") && i + 1 < argc) min_time = atof(argv[++i]);
        else if (!strcmp(a, "--max-iters") && i + 1 < argc) max_iters = (size_t)atol(argv[++i]);
        else if (!strcmp(a, "--out") && i + 1 < argc) out_path = argv[++i];
        else if (!strcmp(a, "--methods") && i + 1 < argc) {
            char *list = strdup(argv[++i]);
            memset(use, 0, sizeof use);
            for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
                int found = 0;
                for (int m = 0; m < 3; m++)
                    if (!strcmp(tok, METHODS[m].name)) use[m] = found = 1;
                if (!found) {
                    fprintf(stderr, "unknown method %s\n", tok);
                    return 2;
                }
            }
            free(list);
        } else if (a[0] == '-') {
            usage();
            return 2;
        } else if (nfiles < 256) files[nfiles++] = a;
    }
    if (nfiles == 0) {
        usage();
        return 2;
    }
    LIBXML_TEST_VERSION

    if (once) {
        int m = 0;
        while (m < 3 && !use[m]) m++;
        if (m == 3 || nfiles != 1) {
            usage();
            return 2;
        }
        long rss_start = proc_status_kib("VmRSS");
        size_t len;
        char *data = read_file(files[0], &len);
        if (!data) return 1;
        xmlChar *out = NULL;
        long n = run_once(data, len, METHODS[m].mode, out_path ? &out : NULL);
        if (n < 0) {
            fprintf(stderr, "%s: libxml2 failed to parse or canonicalize\n", files[0]);
            return 1;
        }
        long hwm = proc_status_kib("VmHWM");
        if (out_path) {
            FILE *f = fopen(out_path, "wb");
            if (!f || fwrite(out, 1, (size_t)n, f) != (size_t)n || fclose(f) != 0) {
                perror(out_path);
                return 1;
            }
            xmlFree(out);
        }
        printf("input_bytes=%zu output_bytes=%ld rss_start_kib=%ld hwm_kib=%ld\n", len, n, rss_start, hwm);
        free(data);
        xmlCleanupParser();
        return 0;
    }

    if (tsv)
        printf("tool\tmethod\toutput\tfile\tbytes\titers\tmedian_us\tbest_us\tmedian_MBps\tbest_MBps\n");
    else {
        printf("libxml2 %s: xmlReadMemory + xmlC14NDocDumpMemory per run (parse + c14n), MB = 10^6 bytes of input; "
               "min time %.1f s or %zu runs per case\n",
               xmlParserVersion, min_time, max_iters);
        printf("%-22s %10s %-9s %-11s %7s %11s %11s %10s %10s\n", "file", "bytes", "method", "what", "runs", "median",
               "best", "med MB/s", "best MB/s");
    }
    for (int f = 0; f < nfiles; f++) {
        size_t len;
        char *data = read_file(files[f], &len);
        if (!data) return 1;
        const char *name = base_name(files[f]);
        for (int m = 0; m < 3; m++) {
            if (!use[m]) continue;
            if (run_once(data, len, METHODS[m].mode, NULL) < 0) {
                fprintf(stderr, "%s: libxml2 failed to parse or canonicalize\n", files[f]);
                return 1;
            }
            stats_t s = measure(data, len, METHODS[m].mode, 0, min_time, max_iters);
            print_row(tsv, METHODS[m].name, "parse+c14n", name, len, s);
            fflush(stdout);
        }
        if (parse_rows) {
            stats_t s = measure(data, len, 0, 1, min_time, max_iters);
            print_row(tsv, "-", "parse", name, len, s);
            fflush(stdout);
        }
        free(data);
    }
    free(samples);
    xmlCleanupParser();
    return 0;
}
