/*
 * libxml2 canonicalization oracle for the differential test of hoso-xml.
 *
 * Build:  gcc -O2 -o libxml2_c14n libxml2_c14n.c $(pkg-config --cflags --libs libxml-2.0)
 *
 * Reads jobs from standard input, one per line, seven tab-separated fields:
 *
 *     OUTPUT  INPUT  MODE  COMMENTS  PREFIXES  ID  EXCLUDE_ID
 *
 *   MODE       "1.0", "1.1" or "exc" (Canonical XML 1.0, 1.1, Exclusive 1.0)
 *   COMMENTS   "1" to keep comments, "0" to drop them
 *   PREFIXES   space-separated InclusiveNamespaces PrefixList ("#default"
 *              names the default namespace), or "-"
 *   ID         canonicalize only the subtree of the element whose unprefixed
 *              Id, ID or id attribute has this value, or "-" for the whole
 *              document
 *   EXCLUDE_ID leave out the subtree of the element with this Id, or "-"
 *
 * For each job it writes the canonical form to OUTPUT and prints one line on
 * standard output: "ok N" or "fail N MESSAGE", N being the job's 1-based line
 * number.  Consecutive jobs on the same INPUT reuse the parsed document.
 * Exit status: 0 when every line could be read as a job, 2 otherwise.
 *
 * Documents are parsed with XML_PARSE_NONET | XML_PARSE_NOENT, as xmllint's
 * --c14n does.  The documents have no DTD, so NOENT only changes how the five
 * predefined entities are kept in the tree: without it libxml2 stores "&amp;"
 * (or "&#38;") in a namespace declaration's value as the five characters
 * "&#38;", so the namespace name itself would be wrong (Namespaces in XML:
 * the name is the attribute's normalized value).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>

#define MAX_FIELDS 7
#define MAX_PREFIXES 64

/* The node-set: everything (subtree == NULL) or the subtree of one element,
 * minus the subtree of `excluded` when that is not NULL. */
struct node_set {
    xmlNodePtr subtree;
    xmlNodePtr excluded;
};

static char errors[2048];

static void collect_error(void *ctx, const char *msg, ...) {
    va_list ap;
    size_t used = strlen(errors);
    (void)ctx;
    if (used + 1 >= sizeof(errors))
        return;
    va_start(ap, msg);
    vsnprintf(errors + used, sizeof(errors) - used, msg, ap);
    va_end(ap);
}

static void collect_structured(void *ctx, xmlErrorPtr err) {
    (void)ctx;
    if (err == NULL || err->level < XML_ERR_ERROR)
        return; /* warnings (e.g. reserved names) do not fail a job */
    collect_error(NULL, "%s", err->message ? err->message : "unknown error");
}

/* Keeps a message on one line of the report. */
static void flatten(char *s) {
    for (; *s != '\0'; s++)
        if (*s == '\n' || *s == '\r' || *s == '\t')
            *s = ' ';
}

static int is_in(xmlNodePtr node, xmlNodePtr top) {
    for (; node != NULL; node = node->parent)
        if (node == top)
            return 1;
    return 0;
}

/*
 * libxml2 asks about every node.  For a namespace node `node` is really an
 * xmlNsPtr and `parent` the element whose namespace axis is being processed;
 * for an attribute node `parent` is its element.  Both are in the node-set
 * exactly when that element is.  The document (root) node is in the set only
 * when the whole document is selected.
 */
static int is_visible(void *user_data, xmlNodePtr node, xmlNodePtr parent) {
    const struct node_set *set = user_data;
    xmlNodePtr n = node;

    if (node == NULL)
        return 0;
    if (((xmlNsPtr)node)->type == XML_NAMESPACE_DECL || node->type == XML_ATTRIBUTE_NODE)
        n = parent;
    if (n == NULL)
        return 0;
    if (n->type == XML_DOCUMENT_NODE)
        return set->subtree == NULL;
    if (set->subtree != NULL && !is_in(n, set->subtree))
        return 0;
    if (set->excluded != NULL && is_in(n, set->excluded))
        return 0;
    return 1;
}

static int has_id(xmlNodePtr el, const char *id) {
    static const char *const names[] = {"Id", "ID", "id"};
    size_t i;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        xmlChar *v = xmlGetNoNsProp(el, BAD_CAST names[i]);
        int same = v != NULL && strcmp((const char *)v, id) == 0;
        xmlFree(v);
        if (same)
            return 1;
    }
    return 0;
}

static xmlNodePtr find_id(xmlNodePtr node, const char *id) {
    for (; node != NULL; node = node->next) {
        xmlNodePtr found;
        if (node->type != XML_ELEMENT_NODE)
            continue;
        if (has_id(node, id))
            return node;
        found = find_id(node->children, id);
        if (found != NULL)
            return found;
    }
    return NULL;
}

static int write_file(void *context, const char *buffer, int len) {
    return fwrite(buffer, 1, (size_t)len, (FILE *)context) == (size_t)len ? len : -1;
}

static int close_file(void *context) {
    return fclose((FILE *)context) == 0 ? 0 : -1;
}

/* Runs one job; returns NULL on success or a message. */
static const char *run_job(xmlDocPtr doc, char **f) {
    static char message[256];
    const char *out_path = f[0], *mode = f[2], *prefixes = f[4];
    const char *id = f[5], *exclude = f[6];
    int c14n_mode, with_comments = strcmp(f[3], "1") == 0;
    xmlChar *prefix_list[MAX_PREFIXES + 1];
    char prefix_buf[1024];
    int n_prefixes = 0;
    struct node_set set = {NULL, NULL};
    int use_set = 0;
    FILE *out;
    xmlOutputBufferPtr buf;
    int ret;

    if (strcmp(mode, "1.0") == 0)
        c14n_mode = XML_C14N_1_0;
    else if (strcmp(mode, "1.1") == 0)
        c14n_mode = XML_C14N_1_1;
    else if (strcmp(mode, "exc") == 0)
        c14n_mode = XML_C14N_EXCLUSIVE_1_0;
    else
        return "unknown mode";

    if (strcmp(prefixes, "-") != 0) {
        char *save = NULL, *tok;
        if (strlen(prefixes) >= sizeof(prefix_buf))
            return "prefix list too long";
        strcpy(prefix_buf, prefixes);
        for (tok = strtok_r(prefix_buf, " ", &save); tok != NULL && n_prefixes < MAX_PREFIXES;
             tok = strtok_r(NULL, " ", &save))
            prefix_list[n_prefixes++] = BAD_CAST tok;
    }
    prefix_list[n_prefixes] = NULL;

    if (strcmp(id, "-") != 0) {
        set.subtree = find_id(xmlDocGetRootElement(doc), id);
        if (set.subtree == NULL) {
            snprintf(message, sizeof(message), "no element with Id %s", id);
            return message;
        }
        use_set = 1;
    }
    if (strcmp(exclude, "-") != 0) {
        set.excluded = find_id(xmlDocGetRootElement(doc), exclude);
        if (set.excluded == NULL) {
            snprintf(message, sizeof(message), "no element with Id %s", exclude);
            return message;
        }
        use_set = 1;
    }

    out = fopen(out_path, "wb");
    if (out == NULL)
        return "cannot open the output file";
    buf = xmlOutputBufferCreateIO(write_file, close_file, out, NULL);
    if (buf == NULL) {
        fclose(out);
        return "cannot create an output buffer";
    }
    ret = xmlC14NExecute(doc, use_set ? is_visible : NULL, use_set ? &set : NULL, c14n_mode,
                         n_prefixes > 0 ? prefix_list : NULL, with_comments, buf);
    if (xmlOutputBufferClose(buf) < 0 && ret >= 0)
        return "writing the output failed";
    return ret < 0 ? "xmlC14NExecute failed" : NULL;
}

int main(void) {
    char line[8192];
    char cached_path[4096] = "";
    xmlDocPtr doc = NULL;
    unsigned long lineno = 0;
    int status = 0;

    LIBXML_TEST_VERSION
    xmlSetGenericErrorFunc(NULL, collect_error);
    xmlSetStructuredErrorFunc(NULL, collect_structured);

    while (fgets(line, sizeof(line), stdin) != NULL) {
        char *f[MAX_FIELDS];
        char *p = line;
        const char *failure;
        int n = 0;
        size_t len = strlen(line);

        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len == 0)
            continue;
        while (n < MAX_FIELDS) {
            f[n++] = p;
            p = strchr(p, '\t');
            if (p == NULL)
                break;
            *p++ = '\0';
        }
        if (n != MAX_FIELDS || p != NULL) {
            printf("fail %lu malformed job line\n", lineno);
            status = 2;
            continue;
        }

        errors[0] = '\0';
        if (doc == NULL || strcmp(cached_path, f[1]) != 0) {
            if (doc != NULL)
                xmlFreeDoc(doc);
            doc = xmlReadFile(f[1], NULL, XML_PARSE_NONET | XML_PARSE_NOENT);
            if (doc == NULL) {
                cached_path[0] = '\0';
                flatten(errors);
                printf("fail %lu parse error: %s\n", lineno, errors);
                continue;
            }
            snprintf(cached_path, sizeof(cached_path), "%s", f[1]);
        }
        failure = run_job(doc, f);
        flatten(errors);
        if (failure != NULL) {
            printf("fail %lu %s: %s\n", lineno, failure, errors);
        } else {
            printf("ok %lu\n", lineno);
        }
    }
    if (doc != NULL)
        xmlFreeDoc(doc);
    xmlCleanupParser();
    fflush(stdout);
    return status;
}
