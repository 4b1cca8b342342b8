/*
 * libxmlsec1 peer of the hoso-dsig signature-verification benchmark.
 *
 * Loads the trust store once (a keys manager with the trusted root and the
 * untrusted CA certificates), reads each file once, then in-process
 * repeatedly parses the same bytes (xmlReadMemory), finds the ds:Signature,
 * registers the Id of xades:SignedProperties (xmlAddID, as xmlsec1's
 * --id-attr:Id <xades-ns>:SignedProperties does) and verifies the signature
 * with a new xmlSecDSigCtx (xmlSecDSigCtxVerify: the references' digests, the
 * signature value, and the signer's X.509 chain up to the trusted root at the
 * verification time).  The time of one run is parse + verify + freeing the
 * tree and the context; a run that does not verify stops the benchmark.
 *
 * Timing is the same as the Rust bench: a warm-up (at least 0.2 s and 3
 * runs), then runs until at least --min-time seconds (default 1) have been
 * measured or --max-iters runs (default 100000) were made, with at least 3
 * runs; median and best, as time per document, verifications per second
 * (one thread, so per core) and MB/s of input (MB = 10^6 bytes).
 *
 *   gcc -O2 -o xmlsec_verify_bench xmlsec_verify_bench.c $(pkg-config --cflags --libs xmlsec1-openssl)
 *   ./xmlsec_verify_bench --trusted-pem root.pem [--untrusted-pem ca.pem]...
 *                         [--verification-time "2030-01-01 00:00:00"]
 *                         [--tsv] [--min-time S] [--max-iters N] FILE...
 *   ./xmlsec_verify_bench --trusted-pem root.pem [--untrusted-pem ca.pem]... --once FILE
 *
 * --once: one parse + verification of one file in this fresh process, then
 * prints the input size, VmRSS after the keys manager was loaded but before
 * the file was read, and VmHWM (peak RSS) at the end, in KiB, for the
 * peak-memory table.  Exits 1 when the signature does not verify.
 */
#define _DEFAULT_SOURCE
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xmlsec/app.h>
#include <xmlsec/crypto.h>
#include <xmlsec/keysmngr.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include "peer_common.h"

static const xmlChar XADES_NS[] = "http://uri.etsi.org/01903/v1.3.2#";

/* Parser options: no network, like a hardened reader (and like the
 * libxml2 peer of the canonicalization benchmark). */
static const int PARSE_OPTIONS = XML_PARSE_NONET;

static xmlSecKeysMngrPtr mngr;
static time_t verification_time;

/* Registers the Id attribute of every xades:SignedProperties at or below
 * `node` (the signature: that is where the SignedProperties reference
 * points), so that URI="#..." resolves. */
static int register_ids(xmlDocPtr doc, xmlNodePtr node) {
    if (node->type != XML_ELEMENT_NODE) return 0;
    if (node->ns && xmlStrEqual(node->ns->href, XADES_NS) && xmlStrEqual(node->name, BAD_CAST "SignedProperties")) {
        xmlAttrPtr attr = xmlHasProp(node, BAD_CAST "Id");
        if (attr) {
            xmlChar *id = xmlNodeListGetString(doc, attr->children, 1);
            if (!id) return -1;
            xmlAttrPtr existing = xmlGetID(doc, id);
            int ok = existing == attr || (!existing && xmlAddID(NULL, doc, id, attr) != NULL);
            if (!ok) fprintf(stderr, "cannot register Id %s (duplicate?)\n", (const char *)id);
            xmlFree(id);
            if (!ok) return -1;
        }
    }
    for (xmlNodePtr child = node->children; child; child = child->next)
        if (register_ids(doc, child) < 0) return -1;
    return 0;
}

/* One parse + verification: 1 when the signature verifies, 0 when it does
 * not, -1 when the document could not be processed. */
static int verify_once(const char *data, size_t len) {
    xmlDocPtr doc = xmlReadMemory(data, (int)len, "bench.xml", NULL, PARSE_OPTIONS);
    if (!doc) return -1;
    int result = -1;
    xmlSecDSigCtxPtr ctx = NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr sig = root ? xmlSecFindNode(root, xmlSecNodeSignature, xmlSecDSigNs) : NULL;
    if (!sig || register_ids(doc, sig) < 0) goto done;
    ctx = xmlSecDSigCtxCreate(mngr);
    if (!ctx) goto done;
    ctx->keyInfoReadCtx.certsVerificationTime = verification_time;
    if (xmlSecDSigCtxVerify(ctx, sig) < 0) goto done;
    result = ctx->status == xmlSecDSigStatusSucceeded;
done:
    if (ctx) xmlSecDSigCtxDestroy(ctx);
    xmlFreeDoc(doc);
    return result;
}

static stats_t measure(const char *data, size_t len, double min_time, size_t max_iters) {
    double warm = now();
    for (int n = 0; n < 3 || now() - warm < 0.2; n++) {
        if (verify_once(data, len) != 1) {
            fprintf(stderr, "a warm-up verification failed\n");
            exit(1);
        }
    }
    size_t count = 0;
    double spent = 0;
    while (count < 3 || (spent < min_time && count < max_iters)) {
        double t = now();
        int ok = verify_once(data, len);
        double d = now() - t;
        if (ok != 1) {
            fprintf(stderr, "a timed verification failed\n");
            exit(1);
        }
        spent += d;
        record_sample(count++, d);
    }
    return summarize(count);
}

static void print_row(int tsv, const char *name, size_t len, stats_t s) {
    double mb = (double)len / 1e6;
    if (tsv) {
        printf("xmlsec\tverify\t%s\t%zu\t%zu\t%.3f\t%.3f\t%.1f\t%.1f\t%.2f\t%.2f\n", name, len, s.iters,
               s.median * 1e6, s.best * 1e6, 1 / s.median, 1 / s.best, mb / s.median, mb / s.best);
    } else {
        char med[32], best[32];
        human(s.median, med, sizeof med);
        human(s.best, best, sizeof best);
        printf("%-20s %10zu %7zu %11s %11s %9.0f %9.1f %9.1f\n", name, len, s.iters, med, best, 1 / s.median,
               mb / s.median, mb / s.best);
    }
}

static void usage(void) {
    fprintf(stderr,
            "usage: xmlsec_verify_bench --trusted-pem ROOT [--untrusted-pem CA]... "
            "[--verification-time 'YYYY-MM-DD HH:MM:SS'] [--tsv] [--min-time S] [--max-iters N] FILE...\n"
            "       xmlsec_verify_bench --trusted-pem ROOT [--untrusted-pem CA]... --once FILE\n");
}

/* "YYYY-MM-DD HH:MM:SS", UTC. */
static int parse_time(const char *s, time_t *out) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (sscanf(s, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
               &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = timegm(&tm);
    return 0;
}

static int init_xmlsec(const char *trusted, const char **untrusted, int nuntrusted) {
    xmlInitParser();
    LIBXML_TEST_VERSION
    if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecCryptoAppInit(NULL) < 0 || xmlSecCryptoInit() < 0) {
        fprintf(stderr, "xmlsec initialization failed\n");
        return -1;
    }
    mngr = xmlSecKeysMngrCreate();
    if (!mngr || xmlSecCryptoAppDefaultKeysMngrInit(mngr) < 0) {
        fprintf(stderr, "cannot create the keys manager\n");
        return -1;
    }
    if (xmlSecCryptoAppKeysMngrCertLoad(mngr, trusted, xmlSecKeyDataFormatPem, xmlSecKeyDataTypeTrusted) < 0) {
        fprintf(stderr, "%s: cannot load the trusted certificate\n", trusted);
        return -1;
    }
    for (int i = 0; i < nuntrusted; i++) {
        if (xmlSecCryptoAppKeysMngrCertLoad(mngr, untrusted[i], xmlSecKeyDataFormatPem, xmlSecKeyDataTypeNone) < 0) {
            fprintf(stderr, "%s: cannot load the untrusted certificate\n", untrusted[i]);
            return -1;
        }
    }
    return 0;
}

static void shutdown_xmlsec(void) {
    xmlSecKeysMngrDestroy(mngr);
    xmlSecCryptoShutdown();
    xmlSecCryptoAppShutdown();
    xmlSecShutdown();
    xmlCleanupParser();
}

int main(int argc, char **argv) {
    int tsv = 0, once = 0;
    double min_time = 1.0;
    size_t max_iters = 100000;
    const char *trusted = NULL;
    const char *untrusted[16];
    int nuntrusted = 0;
    const char *files[256];
    int nfiles = 0;
    if (parse_time("2030-01-01 00:00:00", &verification_time) < 0) return 2;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--tsv")) tsv = 1;
        else if (!strcmp(a, "--once")) once = 1;
        else if (!strcmp(a, "--min-time") && i + 1 < argc) min_time = atof(argv[++i]);
        else if (!strcmp(a, "--max-iters") && i + 1 < argc) max_iters = (size_t)atol(argv[++i]);
        else if (!strcmp(a, "--trusted-pem") && i + 1 < argc) trusted = argv[++i];
        else if (!strcmp(a, "--untrusted-pem") && i + 1 < argc && nuntrusted < 16) untrusted[nuntrusted++] = argv[++i];
        else if (!strcmp(a, "--verification-time") && i + 1 < argc) {
            if (parse_time(argv[++i], &verification_time) < 0) {
                fprintf(stderr, "bad --verification-time %s\n", argv[i]);
                return 2;
            }
        } else if (a[0] == '-') {
            usage();
            return 2;
        } else if (nfiles < 256) files[nfiles++] = a;
    }
    if (nfiles == 0 || !trusted || (once && nfiles != 1)) {
        usage();
        return 2;
    }
    if (init_xmlsec(trusted, untrusted, nuntrusted) < 0) return 1;

    if (once) {
        long rss_start = proc_status_kib("VmRSS");
        size_t len;
        char *data = read_file(files[0], &len);
        if (!data) return 1;
        int ok = verify_once(data, len);
        long hwm = proc_status_kib("VmHWM");
        printf("input_bytes=%zu rss_start_kib=%ld hwm_kib=%ld valid=%d\n", len, rss_start, hwm, ok == 1);
        free(data);
        shutdown_xmlsec();
        if (ok != 1) {
            fprintf(stderr, "%s: %s\n", files[0], ok == 0 ? "the signature does not verify" : "cannot process");
            return 1;
        }
        return 0;
    }

    if (tsv)
        printf("tool\tcase\tfile\tbytes\titers\tmedian_us\tbest_us\tmedian_per_s\tbest_per_s\tmedian_MBps\tbest_MBps\n");
    else {
        printf("xmlsec1 %s (libxml2 %s): xmlReadMemory + xmlSecDSigCtxVerify per run, one thread; MB = 10^6 bytes of "
               "input; min time %.1f s or %zu runs per case\n",
               XMLSEC_VERSION, xmlParserVersion, min_time, max_iters);
        printf("%-20s %10s %7s %11s %11s %9s %9s %9s\n", "file", "bytes", "runs", "median", "best", "med /s",
               "med MB/s", "best MB/s");
    }
    for (int f = 0; f < nfiles; f++) {
        size_t len;
        char *data = read_file(files[f], &len);
        if (!data) return 1;
        int ok = verify_once(data, len);
        if (ok != 1) {
            fprintf(stderr, "%s: %s\n", files[f], ok == 0 ? "the signature does not verify" : "cannot process");
            return 1;
        }
        stats_t s = measure(data, len, min_time, max_iters);
        print_row(tsv, base_name(files[f]), len, s);
        fflush(stdout);
        free(data);
    }
    free(samples);
    shutdown_xmlsec();
    return 0;
}
