/* XSD validation throughput of libxml2, the peer of hoso-forms' validate
 * bench: the schema is parsed once; each run parses the form from memory
 * (no network, no entity loading) and validates it against the schema.
 *
 *   libxml2_xsd_bench --schema FORM.xsd [--tsv] [--min-time S] [--max-iters N] FILE...
 *
 * Prints the same columns as `cargo bench -p hoso-forms --bench validate
 * -- --tsv`. Exits 1 when a file does not validate. */
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "peer_common.h"

static void usage(void) {
    fprintf(stderr, "usage: libxml2_xsd_bench --schema FORM.xsd [--tsv] [--min-time S] [--max-iters N] FILE...\n");
}

static void quiet(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

/* One validation: 0 when the form is valid. */
static int run_once(xmlSchemaValidCtxtPtr valid, const char *data, size_t len) {
    xmlDocPtr doc = xmlReadMemory(data, (int)len, NULL, NULL, XML_PARSE_NONET);
    if (!doc) return -1;
    int rc = xmlSchemaValidateDoc(valid, doc);
    xmlFreeDoc(doc);
    return rc;
}

int main(int argc, char **argv) {
    const char *schema_path = NULL;
    int tsv = 0;
    double min_time = 1.0;
    size_t max_iters = 1000000;
    const char *files[256];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--tsv")) tsv = 1;
        else if (!strcmp(a, "--schema") && i + 1 < argc) schema_path = argv[++i];
        else if (!strcmp(a, "--min-time") && i + 1 < argc) min_time = atof(argv[++i]);
        else if (!strcmp(a, "--max-iters") && i + 1 < argc) max_iters = (size_t)atol(argv[++i]);
        else if (a[0] == '-') {
            usage();
            return 2;
        } else if (nfiles < 256) files[nfiles++] = a;
    }
    if (!schema_path || nfiles == 0) {
        usage();
        return 2;
    }
    LIBXML_TEST_VERSION
    xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(schema_path);
    xmlSchemaPtr schema = pctx ? xmlSchemaParse(pctx) : NULL;
    if (!schema) {
        fprintf(stderr, "%s: the schema does not parse\n", schema_path);
        return 2;
    }
    xmlSchemaValidCtxtPtr valid = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidErrors(valid, quiet, quiet, NULL);
    xmlSetGenericErrorFunc(NULL, quiet);
    if (tsv) printf("tool\tcase\tfile\tbytes\titers\tmedian_us\tbest_us\tper_s\tbest_per_s\n");
    for (int f = 0; f < nfiles; f++) {
        size_t len;
        char *data = read_file(files[f], &len);
        if (!data) return 2;
        if (run_once(valid, data, len) != 0) {
            fprintf(stderr, "%s: libxml2 does not validate it\n", files[f]);
            return 1;
        }
        double warm = now();
        size_t n = 0;
        while (n < 3 || now() - warm < 0.2) {
            run_once(valid, data, len);
            n++;
        }
        size_t count = 0;
        double spent = 0;
        while (count < 3 || (spent < min_time && count < max_iters)) {
            double t = now();
            run_once(valid, data, len);
            double d = now() - t;
            spent += d;
            record_sample(count++, d);
        }
        stats_t s = summarize(count);
        if (tsv) {
            printf("libxml2\tvalidate XML\t%s\t%zu\t%zu\t%.2f\t%.2f\t%.0f\t%.0f\n", files[f], len, s.iters,
                   s.median * 1e6, s.best * 1e6, 1 / s.median, 1 / s.best);
        } else {
            char med[32], best[32];
            human(s.median, med, sizeof med);
            human(s.best, best, sizeof best);
            printf("%-60s %7zu B  %10s (%10s)  %9.0f/s  %zu runs\n", base_name(files[f]), len, med, best,
                   1 / s.median, s.iters);
        }
        free(data);
    }
    xmlSchemaFreeValidCtxt(valid);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pctx);
    return 0;
}
