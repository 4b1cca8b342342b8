//! Property checks shared by the cargo-fuzz targets (`fuzz/fuzz_targets/`,
//! which include this file with `#[path]`) and by the plain regression runner
//! `tests/fuzz_seeds.rs`.  Every check panics when a property fails, so that
//! libFuzzer records the input as a crash.
//!
//! * [`check_reader`] takes a whole fuzz input as the document.
//! * [`check_c14n`] takes a [`HEADER_LEN`]-byte header choosing the method,
//!   the selection and the InclusiveNamespaces PrefixList, followed by the
//!   document (see [`C14nCase::decode`]).
//!
//! Only `std` and `hoso_xml` are used.

#![allow(dead_code)]

use std::io::{self, Write};

use hoso_xml::{
    Algorithm, Canonicalizer, Error, ErrorKind, Event, Limits, Method, Reader, Selection,
    XML_NAMESPACE,
};

// ---------------------------------------------------------------------------
// Limits

/// Small limits, so that the fuzzer reaches every limit with short inputs.
pub const SMALL_LIMITS: Limits = Limits {
    max_document_bytes: 1024,
    max_depth: 3,
    max_attributes: 2,
    max_name_bytes: 4,
    max_text_bytes: 8,
    max_nodes: 16,
};

/// The smallest useful limits: edge values (0 and 1) everywhere but the size.
pub const TINY_LIMITS: Limits = Limits {
    max_document_bytes: 64,
    max_depth: 1,
    max_attributes: 0,
    max_name_bytes: 1,
    max_text_bytes: 0,
    max_nodes: 2,
};

/// Limits no fuzz input comes near, yet far from overflowing arithmetic.
/// Used to re-read canonical output, which may legitimately exceed the limits
/// its input met: the apex of a subtree gets every namespace in scope, so it
/// can carry more declarations than `max_attributes`, and escaping (`&gt;`,
/// `&#xD;` ...) makes text longer.
pub const HUGE_LIMITS: Limits = Limits {
    max_document_bytes: 1 << 40,
    max_depth: 1 << 40,
    max_attributes: 1 << 40,
    max_name_bytes: 1 << 40,
    max_text_bytes: 1 << 40,
    max_nodes: 1 << 40,
};

/// The natural way to say "no limit"; the c14n target tries it too.
pub const MAX_LIMITS: Limits = Limits {
    max_document_bytes: usize::MAX,
    max_depth: usize::MAX,
    max_attributes: usize::MAX,
    max_name_bytes: usize::MAX,
    max_text_bytes: usize::MAX,
    max_nodes: u64::MAX,
};

fn check_position(input: &[u8], err: &Error, context: &dyn std::fmt::Display) {
    let p = err.position;
    assert!(
        p.offset <= input.len() && p.line >= 1 && p.column >= 1,
        "{context}: error position {p:?} out of the input ({} bytes): {err}",
        input.len()
    );
    assert!(
        p.line <= p.offset + 1 && p.column <= p.offset + 1,
        "{context}: line/column {p:?} impossible at this offset: {err}"
    );
}

// ---------------------------------------------------------------------------
// Reader

/// An owned copy of one reader event, for comparing runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ev {
    Start {
        qname: String,
        namespace: String,
        offset: usize,
        empty: bool,
        depth: usize,
        /// `(qname, namespace, value)` in the reader's (canonical) order.
        attrs: Vec<(String, String, String)>,
        /// `(prefix, uri)` in document order.
        decls: Vec<(String, String)>,
    },
    End {
        qname: String,
        depth: usize,
    },
    Text(String),
    Comment(String),
    Pi {
        target: String,
        data: String,
    },
}

/// Reads `input` to the end or to the first error, checking the invariants
/// of every event on the way.
pub fn trace(input: &[u8], limits: Limits) -> (Vec<Ev>, Result<(), Error>) {
    let mut events = Vec::new();
    let mut reader = match Reader::new(input, limits) {
        Ok(r) => r,
        Err(e) => {
            check_position(input, &e, &"Reader::new");
            return (events, Err(e));
        }
    };
    let mut open: Vec<String> = Vec::new();
    let mut saw_root = false;
    loop {
        let ev = match reader.next() {
            Ok(Some(ev)) => ev,
            Ok(None) => break,
            Err(e) => {
                check_position(input, &e, &"Reader::next");
                return (events, Err(e));
            }
        };
        let owned = match ev {
            Event::Start(e) => {
                let offset = e.offset();
                let qname = e.qname();
                assert_eq!(input.get(offset), Some(&b'<'), "start tag offset {offset}");
                assert!(
                    input[offset + 1..].starts_with(qname.as_bytes()),
                    "qname {qname:?} not at offset {offset}"
                );
                let expected = if e.prefix().is_empty() {
                    e.local_name().to_owned()
                } else {
                    format!("{}:{}", e.prefix(), e.local_name())
                };
                assert_eq!(qname, expected, "qname vs prefix and local name");
                match e.prefix() {
                    "" => {}
                    "xml" => assert_eq!(e.namespace(), XML_NAMESPACE),
                    p => assert!(!e.namespace().is_empty(), "prefix {p:?} without namespace"),
                }
                assert_eq!(e.depth(), open.len() + 1, "depth of <{qname}>");
                let mut attrs = Vec::new();
                let mut last: Option<(&str, &str)> = None;
                for a in e.attributes() {
                    assert!(
                        input[a.offset()..].starts_with(a.qname().as_bytes()),
                        "attribute {:?} not at offset {}",
                        a.qname(),
                        a.offset()
                    );
                    assert_eq!(
                        a.prefix().is_empty(),
                        a.namespace().is_empty(),
                        "attribute {:?}: namespace iff prefixed",
                        a.qname()
                    );
                    let key = (a.namespace(), a.local_name());
                    if let Some(prev) = last {
                        assert!(prev < key, "attributes not strictly in canonical order");
                    }
                    last = Some(key);
                    assert_eq!(a.value(), a.value_cow().as_ref());
                    attrs.push((
                        a.qname().to_owned(),
                        a.namespace().to_owned(),
                        a.value().to_owned(),
                    ));
                }
                let decls = e
                    .namespace_declarations()
                    .iter()
                    .map(|d| (d.prefix.to_owned(), d.uri.to_string()))
                    .collect();
                saw_root = true;
                open.push(qname.to_owned());
                Ev::Start {
                    qname: qname.to_owned(),
                    namespace: e.namespace().to_owned(),
                    offset,
                    empty: e.is_empty(),
                    depth: e.depth(),
                    attrs,
                    decls,
                }
            }
            Event::End(end) => {
                let expected = open.pop().expect("End without an open element");
                assert_eq!(end.qname, expected, "end tag name");
                assert_eq!(end.depth, open.len() + 1, "end tag depth");
                Ev::End {
                    qname: end.qname.to_owned(),
                    depth: end.depth,
                }
            }
            Event::Text(t) => {
                // (A CR may remain in text: `&#xD;` is one.)
                assert!(!open.is_empty(), "text outside the document element");
                Ev::Text(t.to_owned())
            }
            // Comments and PIs have no references: line ends are normalized.
            Event::Comment(c) => {
                assert!(!c.contains('\r') && !c.contains("--") && !c.ends_with('-'));
                Ev::Comment(c.to_owned())
            }
            Event::Pi { target, data } => {
                assert!(!target.is_empty() && !target.eq_ignore_ascii_case("xml"));
                assert!(!data.contains('\r') && !data.contains("?>"));
                Ev::Pi {
                    target: target.to_owned(),
                    data: data.to_owned(),
                }
            }
        };
        assert!(reader.event_offset() <= input.len());
        events.push(owned);
    }
    assert!(
        open.is_empty() && saw_root,
        "end of input with {open:?} open"
    );
    assert!(
        matches!(reader.next(), Ok(None)),
        "the reader must stay at the end"
    );
    (events, Ok(()))
}

/// The reader target: no panic, every error inside the input, and limits that
/// only ever cut a run short: under smaller limits the reader sees a prefix of
/// the events it sees under larger ones and then either ends as it does or
/// stops with `LimitExceeded`.
pub fn check_reader(input: &[u8]) {
    let (huge, huge_result) = trace(input, HUGE_LIMITS);
    let (default, default_result) = trace(input, Limits::default());
    check_limited_run(
        &huge,
        &huge_result,
        &default,
        &default_result,
        &"default limits",
    );
    for limits in [SMALL_LIMITS, TINY_LIMITS] {
        let (events, result) = trace(input, limits);
        check_limited_run(&default, &default_result, &events, &result, &limits);
    }
}

fn check_limited_run(
    full: &[Ev],
    full_result: &Result<(), Error>,
    events: &[Ev],
    result: &Result<(), Error>,
    what: &dyn std::fmt::Debug,
) {
    assert!(
        events.len() <= full.len() && events[..] == full[..events.len()],
        "events under {what:?} are not a prefix of the run under larger limits"
    );
    match result {
        Err(e) if matches!(e.kind, ErrorKind::LimitExceeded { .. }) => {}
        _ => assert_eq!(
            (events.len(), result),
            (full.len(), full_result),
            "under {what:?} the reader ended differently without a limit error"
        ),
    }
}

// ---------------------------------------------------------------------------
// Canonicalization

/// Length of the parameter header of a c14n fuzz input.
pub const HEADER_LEN: usize = 5;

/// The parameters of one canonicalization, decoded from a fuzz input.
#[derive(Debug, Clone)]
pub struct C14nCase<'a> {
    pub method: Method,
    pub selection: Selection,
    pub prefixes: Option<Vec<String>>,
    pub limits: Limits,
    /// Largest write accepted by the chunked sink.
    pub chunk: usize,
    pub doc: &'a [u8],
    /// Start tag offsets of the elements, in document order (default limits).
    elements: Vec<usize>,
    /// Index of each element's parent in `elements`.
    parents: Vec<Option<usize>>,
}

impl<'a> C14nCase<'a> {
    /// Decodes the parameter header `h` for the document `doc`:
    ///
    /// * byte 0: the method, `b % 6` in [`Method::all`] order;
    /// * byte 1: bits 0-1 the selection (0 whole document, 1 subtree,
    ///   2 whole document excluding, 3 subtree excluding), bit 2 whether the
    ///   rest of the input is a recipe for [`generate`] rather than the
    ///   document itself (see [`check_c14n`]), bits 3-5 the chunk size minus
    ///   one of the chunked sink, bits 6-7 the limits (default,
    ///   [`SMALL_LIMITS`], [`TINY_LIMITS`], [`MAX_LIMITS`]);
    /// * byte 2: which element is the subtree (index in document order, modulo
    ///   the number of elements; with no element, a raw byte offset);
    /// * byte 3: which element is excluded (same scheme);
    /// * byte 4: the PrefixList: bit 0 `#default`, bits 1-6 the n-th distinct
    ///   prefix declared in the document, bit 7 an undeclared prefix; no list
    ///   when 0.
    pub fn decode(h: &[u8; HEADER_LEN], doc: &'a [u8]) -> Self {
        let method = Method::all()
            .nth(usize::from(h[0] % 6))
            .expect("six methods");

        // Elements and declared prefixes, as far as the default limits read.
        let mut elements = Vec::new();
        let mut parents = Vec::new();
        let mut declared: Vec<String> = Vec::new();
        if let Ok(mut reader) = Reader::new(doc, Limits::default()) {
            let mut stack: Vec<usize> = Vec::new();
            while let Ok(Some(ev)) = reader.next() {
                match ev {
                    Event::Start(e) => {
                        parents.push(stack.last().copied());
                        stack.push(elements.len());
                        elements.push(e.offset());
                        for d in e.namespace_declarations() {
                            if !d.prefix.is_empty() && !declared.iter().any(|p| p == d.prefix) {
                                declared.push(d.prefix.to_owned());
                            }
                        }
                    }
                    Event::End(_) => {
                        stack.pop();
                    }
                    _ => {}
                }
            }
        }
        let pick = |b: u8| {
            if elements.is_empty() {
                usize::from(b)
            } else {
                elements[usize::from(b) % elements.len()]
            }
        };
        let mut selection = if h[1] & 1 == 0 {
            Selection::document()
        } else {
            Selection::subtree(pick(h[2]))
        };
        if h[1] & 2 != 0 {
            selection = selection.excluding(pick(h[3]));
        }
        let prefixes = (h[4] != 0).then(|| {
            let mut list = Vec::new();
            if h[4] & 1 != 0 {
                list.push("#default".to_owned());
            }
            for (i, p) in declared.iter().take(6).enumerate() {
                if h[4] & (2 << i) != 0 {
                    list.push(p.clone());
                }
            }
            if h[4] & 0x80 != 0 {
                list.push("undeclared".to_owned());
            }
            list
        });
        C14nCase {
            method,
            selection,
            prefixes,
            limits: match h[1] >> 6 {
                0 => Limits::default(),
                1 => SMALL_LIMITS,
                2 => TINY_LIMITS,
                _ => MAX_LIMITS,
            },
            chunk: 1 + usize::from((h[1] >> 3) & 7),
            doc,
            elements,
            parents,
        }
    }

    fn canonicalizer(&self) -> Canonicalizer {
        let c = Canonicalizer::new(self.method);
        match &self.prefixes {
            Some(list) => c.with_inclusive_prefixes(list.iter().cloned()),
            None => c,
        }
    }

    fn index_of(&self, offset: usize) -> Option<usize> {
        self.elements.iter().position(|&o| o == offset)
    }

    /// Whether element `a` is `b` or inside it.
    fn within(&self, a: usize, b: usize) -> bool {
        let mut cur = Some(a);
        while let Some(i) = cur {
            if i == b {
                return true;
            }
            cur = self.parents[i];
        }
        false
    }

    /// Whether the selection names no element (an offset that starts none, or
    /// a subtree inside the excluded one): canonicalization must refuse it.
    fn degenerate(&self) -> bool {
        let excluded = match self.selection.excluding {
            Some(x) => match self.index_of(x) {
                Some(i) => Some(i),
                None => return true,
            },
            None => None,
        };
        match self.selection.subtree {
            Some(s) => match self.index_of(s) {
                Some(i) => excluded.is_some_and(|x| self.within(i, x)),
                None => true,
            },
            None => false,
        }
    }

    fn is_root(&self, offset: Option<usize>) -> bool {
        offset.is_some() && offset == self.elements.first().copied()
    }
}

/// A sink that takes at most `chunk` bytes per call and reports `Interrupted`
/// on every third call, as `io::Write` allows.
struct ChunkedSink {
    chunk: usize,
    calls: usize,
    data: Vec<u8>,
}

impl Write for ChunkedSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.calls += 1;
        if self.calls.is_multiple_of(3) {
            return Err(io::ErrorKind::Interrupted.into());
        }
        let n = buf.len().min(self.chunk);
        self.data.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A sink that fails once it has taken `capacity` bytes.
struct FailingSink {
    capacity: usize,
    taken: usize,
}

impl Write for FailingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.taken + buf.len() > self.capacity {
            return Err(io::Error::other("sink full"));
        }
        self.taken += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Skips the comments and PIs that precede the document element in a
/// canonical document (each is followed by a line feed).
fn skip_leading_nodes(mut out: &[u8]) -> &[u8] {
    loop {
        let close: &[u8] = if out.starts_with(b"<!--") {
            b"-->\n"
        } else if out.starts_with(b"<?") {
            b"?>\n"
        } else {
            return out;
        };
        match out.windows(close.len()).position(|w| w == close) {
            Some(i) => out = &out[i + close.len()..],
            None => return out,
        }
    }
}

/// Makes an XML document from `recipe`, one operation per byte or few:
/// elements with namespace declarations, plain, prefixed and `xml:*`
/// attributes, text with references, CDATA sections, comments and PIs.  Used
/// prefixes are declared, so that most documents are well-formed; a few are
/// not (a relative namespace URI, an expanded name twice), on purpose.
pub fn generate(recipe: &[u8]) -> Vec<u8> {
    fn declare(declared: &mut Vec<&'static str>, p: &'static str, uri: &str, tag: &mut String) {
        if p.is_empty() {
            tag.push_str(&format!(" xmlns=\"{uri}\""));
        } else {
            tag.push_str(&format!(" xmlns:{p}=\"{uri}\""));
        }
        declared.push(p);
    }
    const PREFIXES: [&str; 4] = ["", "a", "b", "ns"];
    const LOCALS: [&str; 8] = ["e", "f", "Id", "x", "doc", "lang", "base", "id"];
    const URIS: [&str; 7] = [
        "urn:a",
        "urn:b",
        "http://example.com/ns",
        "",
        "urn:a#x",
        "http://example.com/ns/",
        "rel/ative",
    ];
    const TEXTS: [&str; 16] = [
        "hi",
        " ",
        "\r\n",
        "\r",
        "\t",
        "&amp;",
        "&lt;",
        "&gt;",
        "&#xD;",
        "&#9;",
        "&#x1F600;",
        "Vi\u{1ec7}t",
        "]]",
        ">",
        "\"'",
        "&quot;&apos;",
    ];
    const VALUES: [&str; 12] = [
        "",
        "v",
        "a b",
        "\t\n\r",
        "&#xA;&#x9;&#xD;",
        "&lt;&amp;&quot;>",
        "x/y/",
        "../z",
        "http://h/p/q",
        "preserve",
        "vi",
        "'",
    ];
    let mut bytes = recipe.iter().copied();
    let mut next = move || bytes.next();
    let mut out = String::new();
    // Per open element: its qname and the prefixes declared on it.
    let mut open: Vec<(String, Vec<&str>)> = Vec::new();
    let mut root_done = false;
    while let Some(op) = next() {
        let arg = usize::from(next().unwrap_or(0));
        match op % 8 {
            0 if !root_done => {
                let prefix = PREFIXES[arg % PREFIXES.len()];
                let local = LOCALS[(arg / 4) % LOCALS.len()];
                let qname = if prefix.is_empty() {
                    local.to_owned()
                } else {
                    format!("{prefix}:{local}")
                };
                let mut tag = format!("<{qname}");
                let mut declared: Vec<&str> = Vec::new();
                let mut names: Vec<String> = Vec::new();
                let in_scope = |p: &str, open: &[(String, Vec<&str>)], declared: &[&str]| {
                    declared.contains(&p) || open.iter().any(|(_, d)| d.contains(&p))
                };
                if !prefix.is_empty() && !in_scope(prefix, &open, &[]) {
                    declare(&mut declared, prefix, URIS[arg % 3], &mut tag);
                }
                for _ in 0..usize::from(next().unwrap_or(0) % 4) {
                    let kind = usize::from(next().unwrap_or(0));
                    let pick = usize::from(next().unwrap_or(0));
                    match kind % 4 {
                        0 => {
                            let p = PREFIXES[pick % PREFIXES.len()];
                            let mut uri = URIS[(pick / 4) % URIS.len()];
                            if !p.is_empty() && uri.is_empty() {
                                uri = URIS[0];
                            }
                            let name = format!("xmlns:{p}");
                            if !names.contains(&name) && !tag.contains(&format!(" {name}=")) {
                                if p.is_empty() {
                                    if !tag.contains(" xmlns=") {
                                        declare(&mut declared, p, uri, &mut tag);
                                    }
                                } else {
                                    declare(&mut declared, p, uri, &mut tag);
                                }
                                names.push(name);
                            }
                        }
                        1 | 2 => {
                            let p = if kind % 4 == 1 {
                                ""
                            } else {
                                ["a", "b", "ns", "xml"][pick % 4]
                            };
                            let local = LOCALS[(pick / 4) % LOCALS.len()];
                            let name = if p.is_empty() {
                                local.to_owned()
                            } else {
                                format!("{p}:{local}")
                            };
                            if names.contains(&name) {
                                continue;
                            }
                            if !p.is_empty() && p != "xml" && !in_scope(p, &open, &declared) {
                                declare(&mut declared, p, URIS[pick % 3], &mut tag);
                            }
                            let value = VALUES[(pick / 32 + kind / 4) % VALUES.len()];
                            let quote = if value.contains('\'') { '"' } else { '\'' };
                            tag.push_str(&format!(" {name}={quote}{value}{quote}"));
                            names.push(name);
                        }
                        _ => {
                            let value = VALUES[pick % VALUES.len()];
                            let local = ["lang", "space", "base", "id"][(pick / 16) % 4];
                            let name = format!("xml:{local}");
                            if !names.contains(&name) {
                                let quote = if value.contains('\'') { '"' } else { '\'' };
                                tag.push_str(&format!(" {name}={quote}{value}{quote}"));
                                names.push(name);
                            }
                        }
                    }
                }
                if arg & 0x80 != 0 && !open.is_empty() {
                    tag.push_str("/>");
                    out.push_str(&tag);
                    root_done |= open.is_empty();
                } else {
                    tag.push('>');
                    out.push_str(&tag);
                    open.push((qname, declared));
                }
            }
            1 => {
                if let Some((qname, _)) = open.pop() {
                    out.push_str(&format!("</{qname}>"));
                    root_done |= open.is_empty();
                }
            }
            2 | 6 | 7 if !open.is_empty() => {
                out.push_str(TEXTS[arg % TEXTS.len()]);
                if arg >= 128 {
                    out.push_str(TEXTS[(arg / 8) % TEXTS.len()]);
                }
            }
            3 => {
                let text = ["", " c ", "\r\n", "x-y", "<&>", "\u{e9}"][arg % 6];
                out.push_str(&format!("<!--{text}-->"));
            }
            4 => {
                let target = ["pi", "t", "xml-stylesheet"][arg % 3];
                let data = ["", " ", " d", "  two  words ", "\r\n?", " <&>"][(arg / 4) % 6];
                out.push_str(&format!("<?{target}{data}?>"));
            }
            5 if !open.is_empty() => {
                let text = ["", "<a>&amp;", "]]", "\r\n", "x]"][arg % 5];
                out.push_str(&format!("<![CDATA[{text}]]>"));
            }
            _ if open.is_empty() => out.push_str(["\n", " ", "\r\n", ""][arg % 4]),
            _ => {}
        }
    }
    if !root_done && open.is_empty() {
        out.push_str("<r/>");
    }
    while let Some((qname, _)) = open.pop() {
        out.push_str(&format!("</{qname}>"));
    }
    out.into_bytes()
}

/// The c14n target: [`HEADER_LEN`] bytes of parameters (see
/// [`C14nCase::decode`]), then the document, or, with bit 2 of byte 1 set, a
/// recipe from which [`generate`] makes a (mostly well-formed) document, so
/// that the properties of successful canonicalization get exercised more than
/// random bytes would.
pub fn check_c14n(data: &[u8]) {
    let Some((h, rest)) = data.split_first_chunk::<HEADER_LEN>() else {
        return;
    };
    if h[1] & 4 != 0 {
        let doc = generate(rest);
        check_c14n_case(&C14nCase::decode(h, &doc));
    } else {
        check_c14n_case(&C14nCase::decode(h, rest));
    }
}

/// Runs [`check_c14n`] with every header that makes a difference for `doc`:
/// all methods, selections over all elements (pairs for small documents),
/// with and without a PrefixList.
pub fn check_c14n_all(doc: &[u8]) {
    let probe = [&[0u8; HEADER_LEN][..], doc].concat();
    let n = C14nCase::decode(&[0; HEADER_LEN], doc)
        .elements
        .len()
        .clamp(1, 256);
    let pairs = if n <= 12 { n } else { 1 };
    let mut input = probe;
    for method in 0..6u8 {
        for prefixes in [0u8, 0xFF] {
            let mut run = |flags: u8, sub: usize, excl: usize| {
                input[..HEADER_LEN].copy_from_slice(&[
                    method,
                    flags | (method << 3),
                    sub as u8,
                    excl as u8,
                    prefixes,
                ]);
                check_c14n(&input);
            };
            run(0, 0, 0);
            run(0x40, 0, 0);
            for i in 0..n {
                run(1, i, 0);
                run(2, 0, i);
                for j in 0..pairs {
                    run(3, i, j);
                }
            }
        }
    }
}

/// The parameters and the document of a case, for failure messages.
struct Describe<'c, 'a>(&'c C14nCase<'a>);

impl std::fmt::Display for Describe<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let case = self.0;
        write!(
            f,
            "{} {:?} prefixes {:?} limits {:?}\ndocument: {:?}\n",
            case.method.name(),
            case.selection,
            case.prefixes,
            case.limits,
            String::from_utf8_lossy(case.doc)
        )
    }
}

pub fn check_c14n_case(case: &C14nCase<'_>) {
    let doc = case.doc;
    let c14n = case.canonicalizer();
    // Formatted only when a check fails.
    let what = Describe(case);
    let read = trace(doc, case.limits).1;
    if case.limits == MAX_LIMITS {
        // usize::MAX must mean "no limit", not wrap around somewhere.
        assert_eq!(
            read,
            trace(doc, HUGE_LIMITS).1,
            "{what}: MAX vs HUGE limits"
        );
    }
    let result = c14n.to_vec(doc, case.selection, &case.limits);

    let out = match result {
        Err(e) => {
            check_position(doc, &e, &what);
            match (&e.kind, &read) {
                // Checked on the namespaces rendered, before the reader is done.
                (ErrorKind::RelativeNamespaceUri(_), _) => {}
                // Canonicalization reads with the same reader: same error.
                (_, Err(read_error)) => {
                    assert_eq!(&e, read_error, "{what}: c14n and reader disagree")
                }
                (ErrorKind::Syntax(msg), Ok(())) => assert!(
                    case.degenerate() && msg.contains("no element starts at"),
                    "{what}: unexpected error on a well-formed document: {e}"
                ),
                (_, Ok(())) => panic!("{what}: unexpected error on a well-formed document: {e}"),
            }
            return;
        }
        Ok(out) => out,
    };
    assert!(
        read.is_ok(),
        "{what}: canonicalized a document the reader refuses: {read:?}"
    );
    assert!(
        !case.degenerate(),
        "{what}: canonicalized an empty selection"
    );

    // (c) The same bytes through a sink that takes small chunks and gets
    // interrupted...
    let sink = ChunkedSink {
        chunk: case.chunk,
        calls: 0,
        data: Vec::new(),
    };
    let chunked = c14n
        .write(doc, case.selection, &case.limits, sink)
        .unwrap_or_else(|e| panic!("{what}: chunked sink failed: {e}"));
    assert_eq!(chunked.data, out, "{what}: chunked sink differs from Vec");
    // ... and a sink that fails is reported as an output error.
    if !out.is_empty() {
        let sink = FailingSink {
            capacity: out.len() / 2,
            taken: 0,
        };
        match c14n.write(doc, case.selection, &case.limits, sink) {
            Ok(_) => panic!("{what}: a failing sink went unnoticed"),
            Err(e) => {
                check_position(doc, &e, &what);
                assert!(matches!(e.kind, ErrorKind::Output(_)), "{what}: {e}");
            }
        }
    }

    // Canonicalizing the subtree from a context captured while reading, and
    // reading only that element, gives the same bytes.
    if let Some(apex) = case.selection.subtree {
        let mut reader = Reader::new(doc, case.limits).expect("the document was read");
        let mut context = None;
        while let Some(event) = reader.next().expect("the document was read") {
            if let Event::Start(e) = event
                && e.offset() == apex
            {
                context = Some(e.context());
            }
        }
        let context = context.expect("the apex is an element");
        let resumed = c14n
            .write_element(
                doc,
                &context,
                case.selection.excluding,
                &case.limits,
                Vec::new(),
            )
            .unwrap_or_else(|e| panic!("{what}: canonicalizing from the context failed: {e}"));
        assert_eq!(
            resumed,
            out,
            "{what}: from the context {:?} vs reading the document",
            String::from_utf8_lossy(&resumed)
        );
    }

    // The PrefixList belongs to exclusive canonicalization only.
    if case.prefixes.is_some() && case.method.algorithm != Algorithm::ExcC14n10 {
        let plain = Canonicalizer::new(case.method)
            .to_vec(doc, case.selection, &case.limits)
            .expect("succeeded with a PrefixList");
        assert_eq!(plain, out, "{what}: PrefixList changed inclusive c14n");
    }

    // The subtree of the document element is the whole document less the
    // comments and PIs around it.
    if case.is_root(case.selection.subtree) {
        let whole = c14n
            .to_vec(
                doc,
                Selection {
                    subtree: None,
                    ..case.selection
                },
                &case.limits,
            )
            .expect("the subtree of the root succeeded");
        let root = skip_leading_nodes(&whole);
        assert!(
            root.starts_with(&out)
                && (root.len() == out.len() || root[out.len()..].starts_with(b"\n<")),
            "{what}: subtree of the root {:?} is not the document's {:?}",
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&whole)
        );
    }

    // Without its document element, a whole-document selection is just the
    // comments and PIs around it: no document.
    if case.selection.subtree.is_none() && case.is_root(case.selection.excluding) {
        let err = trace(&out, HUGE_LIMITS)
            .1
            .expect_err("output without a document element");
        assert_eq!(err.kind, ErrorKind::NoRootElement, "{what}: {err}");
        return;
    }

    // (b) The output is a well-formed document: read it, without limits since
    // canonical output may exceed the limits its input met (see [`HUGE_LIMITS`]).
    if let Err(e) = trace(&out, HUGE_LIMITS).1 {
        panic!(
            "{what}: output does not parse: {e}\noutput: {:?}",
            String::from_utf8_lossy(&out)
        );
    }

    // (a) Canonicalization is idempotent: the output, canonicalized whole with
    // the same method and PrefixList, is itself.  This holds for subtree
    // selections too: inclusive c14n copies the namespaces and xml:* attributes
    // in scope onto the apex, exclusive c14n renders the visibly used prefixes
    // (and the PrefixList ones in scope) there, so the apex has nothing left
    // to inherit.
    let again = c14n
        .to_vec(&out, Selection::document(), &HUGE_LIMITS)
        .unwrap_or_else(|e| {
            panic!(
                "{what}: re-canonicalizing the output failed: {e}\noutput: {:?}",
                String::from_utf8_lossy(&out)
            )
        });
    assert!(
        again == out,
        "{what}: not idempotent\nfirst:  {:?}\nsecond: {:?}",
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&again)
    );
}
