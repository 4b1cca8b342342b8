#!/usr/bin/env python3
"""Deterministic generator of namespace-heavy, lexically nasty XML documents
for the differential canonicalization test (hoso-xml against libxml2).

    python3 gen_c14n_corpus.py [--count N] [--seed S] OUTDIR

Writes OUTDIR/doc-NNNN.xml, OUTDIR/manifest.tsv and OUTDIR/xml-base.tsv.
The same seed and count always give byte-identical output: each document has
its own `random.Random` seeded with a string, whose sequence Python 3 keeps
stable for the calls used here (random(), randrange(), choice(), shuffle()).

manifest.tsv has one line per document, five tab-separated fields:

    FILE    PREFIXES    IDS    ROOT_ID    AFTER_ROOT

* PREFIXES: every non-default prefix declared anywhere in the document,
  space-separated, in first-declaration order ("-" when none).
* IDS: one entry per element carrying an unprefixed `Id`, `ID` or `id`
  attribute, space-separated, in document order ("-" when none).  An entry is
  the Id value, then ":" and one letter for each xml:* attribute carried by
  a proper ancestor (l = xml:lang, s = xml:space, b = xml:base, i = xml:id),
  then the Id values of its Id-carrying ancestors, nearest first, each
  preceded by "/" (Id values are NCNames: no ":", no "/").
* ROOT_ID: the Id of the document element, "-" when it has none.
* AFTER_ROOT: which of "pi" and "comment" occur after the document element,
  comma-separated ("-" for neither).

xml-base.tsv lists the Id'd elements that have an ancestor carrying
xml:base (a Canonical XML 1.1 subtree apex whose xml:base gets joined), one
per line, tab-separated:

    FILE    ID    OWN    VALUE...

* VALUE...: the xml:base values of the ancestors, outermost first, then the
  element's own value when OWN is "1" (OWN is "0" when it has none).  Values
  are as the attribute value reads after parsing (no tabs occur).

All Id-like values of a document (Id, ID, id and xml:id) are distinct, so
every Id names exactly one element.  Every namespace name is an absolute URI.
Only the Python standard library is used.
"""

import argparse
import os
import random
import sys

XML_NS = "http://www.w3.org/XML/1998/namespace"

# Absolute namespace names (decoded values).  Some differ only slightly, some
# need escaping in an attribute value.
URIS = [
    "urn:hoso:form",
    "urn:hoso:a",
    "urn:hoso:b",
    "http://example.com/ns/c",
    "http://example.com/ns/c/",
    "https://dichvucong.gov.vn/ns/ho-so?v=1&x=2",
    "http://www.w3.org/2000/09/xmldsig#",
    "urn:oasis:names:tc:SAML:2.0:assertion",
    "http://example.org/%C3%A1o",
    "HTTP://EXAMPLE.COM/UPPER",
    "urn:x-y:z.w+v",
]

PREFIXES = ["a", "b", "ds", "p", "q", "x1", "ns2", "đ", "tên", "_u", "Z", "saml"]

ELEMENT_NAMES = [
    "doc", "Item", "data", "a", "b", "TênĐơn", "hồ_sơ", "ngày-sinh", "x.y", "_z",
    "Ω", "Signature", "Object", "e",
]

# "Ａ" (U+FF21) and "𐀀" (U+10000) sort one way by code point (UTF-8 bytes)
# and the other way by UTF-16 code unit.
ATTR_NAMES = ["a", "b", "c", "z", "A", "số", "tên", "x-y", "q.r", "_k", "Id2", "ý", "Ａ", "𐀀x"]

# Text pieces: source form.  None contains "<" or a bare "&"; "]]" never ends
# a piece and ">" never starts one, so no concatenation spells "]]>".
TEXT_PIECES = [
    "Nguyễn Văn A", "Thủ tục hành chính", "ĐỊA CHỈ: 12 Lê Lợi, Q.1", "tiếng Việt",
    "plain", " ", "  ", "a>b", "x]]y", "'single' \"double\"", "= ; # ? /",
    "\r\n", "\r", "\n", "\t", "\r\r\n", "\n\r",
    "&amp;", "&lt;", "&gt;", "&quot;", "&apos;",
    "&#xD;", "&#13;", "&#x9;", "&#9;", "&#xA;", "&#10;", "&#x20;", "&#32;",
    "&#x1EC7;", "&#7879;", "&#x1F600;", "&#xe9;", "&#x000041;", "&#x3C;", "&#62;",
    "&#x26;", "&#34;",
]

ATTR_PIECES = [
    "Nguyễn Văn B", "giá trị", "plain", " ", "  lead", "trail  ", "a>b", "x]]y",
    "\t", "\n", "\r\n", "\r", "\t\t", " \n ",
    "&amp;", "&lt;", "&gt;", "&quot;", "&apos;",
    "&#xD;", "&#13;", "&#x9;", "&#9;", "&#xA;", "&#10;", "&#x20;", "&#32;",
    "&#x1EC7;", "&#7879;", "&#x1F600;", "&#x22;", "&#39;", "&#x3C;", "it's", 'say "hi"',
]

COMMENT_PIECES = [
    "", " ", "comment", " bình luận ", "<tag attr='1'>", "a & b", "a - b", "\r\n",
    "\n", "\t", "]]>", "?>", "x-y", "&amp; stays raw",
]

PI_TARGETS = ["pi", "hoso-ký", "x.y", "a_b", "xml-stylesheet", "Ứng"]
PI_DATA = [
    "", "data", "a=\"1\" b='2'", "with <angle> & amp", "Tiếng Việt", "line1\r\nline2",
    "trailing  ", "a?b", "&amp; not a ref", "x\ty", "-->", "]]>",
]
PI_SEPARATORS = [" ", "  ", "\t", "\r\n", "\n "]

CDATA_PIECES = [
    "", "raw < & > chars", "]]", "]", "Nguyễn", "\r\n", "\r", "\t", "&amp; not a ref",
    "<![CDATA[ nested-looking", "x]y", "]>",
]

XML_DECLS = [
    '<?xml version="1.0"?>',
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<?xml version='1.0' encoding='utf-8' standalone='yes'?>",
    '<?xml version="1.0" standalone="no" ?>',
]

WHITESPACE = [" ", "\n", "\r\n", "\t", "\n\n  ", "\r"]

XML_LANGS = ["vi", "en-US", "", "vi-VN", "fr"]
XML_SPACES = ["preserve", "default"]
XML_BASES = [
    "http://example.com/base/dir/", "sub/", "../up/file.xml", "other.xml", "#frag",
    "/abs/path/", "", "http://example.org/x/y/z?q=1", "./a/../b/", "http://example.net",
    "//other.host/p/q", "?only=query", "..", ".", "../../../x/", "g;x/h", "urn:hoso:base",
    "file:///C:/hồ sơ/", "sub/../../y", "https://a.example/b/c/d;p?q#f", "x//y/",
]


def escape_attr(value, quote):
    """Escape a decoded value for an attribute delimited by `quote`."""
    out = []
    for ch in value:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == quote:
            out.append("&quot;" if quote == '"' else "&apos;")
        else:
            out.append(ch)
    return "".join(out)


class Doc:
    """State of one document being generated."""

    def __init__(self, rng):
        self.rng = rng
        self.out = []
        self.next_id = 0
        self.ids = []  # (value, [ancestor id values, nearest first])
        self.prefixes = []  # declared prefixes, first declaration order
        self.root_id = None
        self.after_root = set()
        self.base_chains = []  # (id, ancestor xml:base values, own value or None)
        self.elements = 0
        self.max_elements = rng.randrange(12, 70)
        self.max_depth = rng.randrange(3, 9)

    def chance(self, p):
        return self.rng.random() < p

    def pick(self, seq):
        return self.rng.choice(seq)

    def fresh_id(self, style):
        self.next_id += 1
        n = self.next_id
        if style == "xml":
            return "xid-%d" % n
        return self.pick(["id%d", "ID-%d", "sig.%d", "mã%d", "_%d"]) % n

    def quote(self):
        return self.pick(['"', '"', "'"])

    def ws(self):
        return self.pick([" ", " ", " ", "  ", "\n  ", "\t", "\r\n "])

    def eq(self):
        return self.pick(["=", "=", "=", " = ", "=\n"])

    def text(self, pieces, count):
        return "".join(self.pick(pieces) for _ in range(count))

    def attr_source(self, qname, decoded=None, raw=None):
        """`qname="value"`: from a decoded value or raw (already escaped) text."""
        q = self.quote()
        if raw is None:
            raw = escape_attr(decoded, q)
        else:
            other = "&quot;" if q == '"' else "&apos;"
            raw = raw.replace(q, other)
        return "%s%s%s%s%s" % (qname, self.eq(), q, raw, q)

    def comment(self):
        body = self.text(COMMENT_PIECES, self.rng.randrange(0, 4))
        # No "--" inside, no "-" at the end.
        while "--" in body:
            body = body.replace("--", "-")
        if body.endswith("-"):
            body += "."
        return "<!--%s-->" % body

    def pi(self):
        target = self.pick(PI_TARGETS)
        r = self.rng.random()
        if r < 0.15:
            return "<?%s?>" % target
        if r < 0.25:
            return "<?%s%s?>" % (target, self.pick(PI_SEPARATORS))
        data = self.text(PI_DATA, self.rng.randrange(1, 3))
        while "?>" in data:
            data = data.replace("?>", "? >")
        return "<?%s%s%s?>" % (target, self.pick(PI_SEPARATORS), data)

    def cdata(self):
        body = self.text(CDATA_PIECES, self.rng.randrange(0, 4))
        while "]]>" in body:
            body = body.replace("]]>", "]] >")
        return "<![CDATA[%s]]>" % body

    def char_data(self):
        return self.text(TEXT_PIECES, self.rng.randrange(1, 5))

    def misc(self):
        r = self.rng.random()
        if r < 0.4:
            return self.comment()
        if r < 0.7:
            return self.pi()
        return self.pick(WHITESPACE)

    def element(self, depth, scope, default, id_chain, inherited="", bases=()):
        """Writes one element.  `scope` maps prefixes to URIs, `default` is the
        default namespace ("" for none), `inherited` the letters of the xml:*
        attributes its ancestors carry."""
        rng = self.rng
        self.elements += 1
        scope = dict(scope)
        items = []  # attribute sources (declarations included), shuffled later

        # Namespace declarations.
        ndecl = rng.randrange(0, 5 if depth == 1 else 3)
        declared = set()
        for _ in range(ndecl):
            kind = self.pick(
                ["new", "new", "redundant", "rebind", "default", "undefault", "alias",
                 "alias", "xmlxml"]
            )
            if kind == "xmlxml":
                if rng.random() < 0.3 and "xml" not in declared:
                    declared.add("xml")
                    items.append(self.attr_source("xmlns:xml", XML_NS))
                continue
            if kind in ("default", "undefault"):
                if "" in declared:
                    continue
                declared.add("")
                if kind == "default":
                    default = self.pick(URIS)
                else:
                    default = ""
                items.append(self.attr_source("xmlns", default))
                continue
            if kind == "new":
                candidates = [p for p in PREFIXES if p not in scope and p not in declared]
                uri = self.pick(URIS)
            elif kind == "redundant":
                candidates = [p for p in scope if p not in declared]
                uri = None
            elif kind == "rebind":
                candidates = [p for p in scope if p not in declared]
                uri = None
            else:  # alias: another prefix for a URI in scope
                candidates = [p for p in PREFIXES if p not in declared]
                uri = self.pick(list(scope.values())) if scope else self.pick(URIS)
            if not candidates:
                continue
            prefix = self.pick(candidates)
            if kind == "redundant":
                uri = scope[prefix]
            elif kind == "rebind":
                uri = self.pick([u for u in URIS if u != scope[prefix]])
            declared.add(prefix)
            scope[prefix] = uri
            if prefix not in self.prefixes:
                self.prefixes.append(prefix)
            items.append(self.attr_source("xmlns:" + prefix, uri))

        # The element's name.
        if scope and rng.random() < 0.45:
            qname = "%s:%s" % (self.pick(sorted(scope)), self.pick(ELEMENT_NAMES))
        else:
            qname = self.pick(ELEMENT_NAMES)

        # Attributes; expanded names are kept unique.
        used = set()

        def add_attr(prefix, local, decoded=None, raw=None):
            uri = "" if prefix == "" else (XML_NS if prefix == "xml" else scope[prefix])
            if (uri, local) in used:
                return False
            used.add((uri, local))
            name = local if prefix == "" else "%s:%s" % (prefix, local)
            items.append(self.attr_source(name, decoded=decoded, raw=raw))
            return True

        for _ in range(rng.randrange(0, 4)):
            add_attr("", self.pick(ATTR_NAMES), raw=self.text(ATTR_PIECES, rng.randrange(0, 4)))
        if scope:
            for _ in range(rng.randrange(0, 4)):
                local = self.pick(ATTR_NAMES + ["Id", "id"])
                add_attr(self.pick(sorted(scope)), local,
                         raw=self.text(ATTR_PIECES, rng.randrange(0, 3)))
            # Two prefixes bound to the same URI, different local names.
            by_uri = {}
            for p, u in scope.items():
                by_uri.setdefault(u, []).append(p)
            shared = [ps for ps in by_uri.values() if len(ps) > 1]
            if shared and rng.random() < 0.6:
                ps = sorted(self.pick(shared))
                rng.shuffle(ps)
                for i, p in enumerate(ps[:3]):
                    add_attr(p, "shared%d" % i, raw=self.pick(ATTR_PIECES))
        mine = ""
        if self.chance(0.25) and add_attr("xml", "lang", self.pick(XML_LANGS)):
            mine += "l"
        if self.chance(0.15) and add_attr("xml", "space", self.pick(XML_SPACES)):
            mine += "s"
        own_base = None
        if self.chance(0.18):
            value = self.pick(XML_BASES)
            if add_attr("xml", "base", value):
                mine += "b"
                own_base = value
        if self.chance(0.06) and add_attr("xml", "id", self.fresh_id("xml")):
            mine += "i"
        my_id = None
        if self.chance(0.3):
            my_id = self.fresh_id("plain")
            name = self.pick(["Id", "Id", "ID", "id"])
            if self.chance(0.1):
                # The same value written with a character reference.
                raw = "&#x%X;%s" % (ord(my_id[0]), my_id[1:])
                add_attr("", name, raw=raw)
            else:
                add_attr("", name, my_id)
            self.ids.append((my_id, inherited, list(id_chain)))
            if bases:
                self.base_chains.append((my_id, list(bases), own_base))
            if depth == 1:
                self.root_id = my_id
        rng.shuffle(items)

        self.out.append("<" + qname)
        for item in items:
            self.out.append(self.ws() + item)
        if self.chance(0.1):
            self.out.append(self.pick([" ", "\n", "\t"]))

        # Content.
        chain = ([my_id] + id_chain) if my_id else id_chain
        nchildren = 0
        if depth < self.max_depth and self.elements < self.max_elements:
            nchildren = rng.randrange(0 if depth > 1 else 1, 6 if depth < 3 else 4)
        if nchildren == 0 and self.chance(0.55):
            self.out.append(self.pick(["/>", "/>", " />"]))
            return
        self.out.append(">")
        last_text = False
        for _ in range(nchildren):
            r = rng.random()
            if r < 0.5 and self.elements < self.max_elements:
                if self.chance(0.3):
                    self.out.append(self.pick(["\n", "\n  ", "\r\n\t"]))
                below = "".join(c for c in "lsbi" if c in inherited or c in mine)
                below_bases = tuple(bases) + ((own_base,) if own_base is not None else ())
                self.element(depth + 1, scope, default, chain, below, below_bases)
                last_text = False
            elif r < 0.65:
                self.out.append(self.char_data())
                last_text = True
            elif r < 0.75:
                self.out.append(self.cdata())
                last_text = False
            elif r < 0.88:
                self.out.append(self.comment())
                last_text = False
            else:
                self.out.append(self.pi())
                last_text = False
        if not last_text and self.chance(0.3):
            self.out.append(self.pick(["\n", "\r\n"]))
        self.out.append("</%s>" % qname)

    def document(self):
        rng = self.rng
        if self.chance(0.03):
            self.out.append("\ufeff")
        if self.chance(0.5):
            self.out.append(self.pick(XML_DECLS))
            if self.chance(0.7):
                self.out.append(self.pick(WHITESPACE))
        elif self.chance(0.2):
            self.out.append(self.pick(WHITESPACE))
        for _ in range(rng.randrange(0, 4)):
            self.out.append(self.misc())
        self.element(1, {}, "", [])
        for _ in range(rng.randrange(0, 4)):
            item = self.misc()
            if item.startswith("<?"):
                self.after_root.add("pi")
            elif item.startswith("<!--"):
                self.after_root.add("comment")
            self.out.append(item)
        if self.chance(0.5):
            self.out.append(self.pick(WHITESPACE))
        return "".join(self.out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=1200)
    ap.add_argument("--seed", type=int, default=20240611)
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    lines = []
    base_lines = []
    for i in range(args.count):
        rng = random.Random("%d/%d" % (args.seed, i))
        doc = Doc(rng)
        text = doc.document()
        name = "doc-%04d.xml" % i
        # newline="" keeps CR, LF and CR LF exactly as generated.
        with open(os.path.join(args.outdir, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        prefixes = " ".join(doc.prefixes) or "-"
        ids = " ".join(
            "/".join(["%s:%s" % (v, inherited)] + chain) for v, inherited, chain in doc.ids
        ) or "-"
        after = ",".join(sorted(doc.after_root)) or "-"
        lines.append("%s\t%s\t%s\t%s\t%s\n" % (name, prefixes, ids, doc.root_id or "-", after))
        for id_value, bases, own in doc.base_chains:
            values = bases + ([own] if own is not None else [])
            base_lines.append("\t".join([name, id_value, "1" if own is not None else "0"] + values) + "\n")
    with open(os.path.join(args.outdir, "manifest.tsv"), "w", encoding="utf-8", newline="") as f:
        f.writelines(lines)
    with open(os.path.join(args.outdir, "xml-base.tsv"), "w", encoding="utf-8", newline="") as f:
        f.writelines(base_lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
