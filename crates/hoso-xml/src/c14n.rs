//! Canonical XML 1.0, Canonical XML 1.1 and Exclusive XML Canonicalization
//! 1.0, streamed from the reader into any [`Write`] sink.
//!
//! The node-sets supported are the ones XML signatures use: a whole document,
//! the subtree of one element, and either of those minus the subtree of one
//! element (the enveloped-signature transform).  Because every such node-set
//! omits whole subtrees only, the namespace rules reduce to a comparison with
//! the namespaces rendered by the output ancestors, which is kept on a stack:
//! memory grows with the nesting depth, not with the document.

use std::borrow::Cow;
use std::io::Write;

use crate::error::{Error, ErrorKind};
use crate::limits::Limits;
use crate::reader::{Element, ElementContext, Event, Namespaces, Reader, XML_NAMESPACE};
use crate::uri;

/// The canonicalization algorithm family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// Canonical XML 1.0 (inclusive).
    C14n10,
    /// Canonical XML 1.1 (inclusive, with xml:base fix-up).
    C14n11,
    /// Exclusive XML Canonicalization 1.0.
    ExcC14n10,
}

/// An algorithm together with the choice to keep comments: one of the six
/// canonicalization methods of XML signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Method {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Whether comments are kept.
    pub with_comments: bool,
}

const METHODS: [(&str, &str, Algorithm, bool); 6] = [
    (
        "c14n",
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
        Algorithm::C14n10,
        false,
    ),
    (
        "c14n-with-comments",
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
        Algorithm::C14n10,
        true,
    ),
    (
        "exc-c14n",
        "http://www.w3.org/2001/10/xml-exc-c14n#",
        Algorithm::ExcC14n10,
        false,
    ),
    (
        "exc-c14n-with-comments",
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
        Algorithm::ExcC14n10,
        true,
    ),
    (
        "c14n11",
        "http://www.w3.org/2006/12/xml-c14n11",
        Algorithm::C14n11,
        false,
    ),
    (
        "c14n11-with-comments",
        "http://www.w3.org/2006/12/xml-c14n11#WithComments",
        Algorithm::C14n11,
        true,
    ),
];

impl Method {
    /// All six methods.
    pub fn all() -> impl Iterator<Item = Method> {
        METHODS
            .iter()
            .map(|&(_, _, algorithm, with_comments)| Method {
                algorithm,
                with_comments,
            })
    }

    fn entry(&self) -> &'static (&'static str, &'static str, Algorithm, bool) {
        METHODS
            .iter()
            .find(|m| m.2 == self.algorithm && m.3 == self.with_comments)
            .expect("every method is listed")
    }

    /// The method named by an XML-DSig algorithm URI.
    pub fn from_uri(uri: &str) -> Option<Method> {
        METHODS
            .iter()
            .find(|m| m.1 == uri)
            .map(|&(_, _, algorithm, with_comments)| Method {
                algorithm,
                with_comments,
            })
    }

    /// The method with this short name (`c14n`, `exc-c14n-with-comments`, ...).
    pub fn from_name(name: &str) -> Option<Method> {
        METHODS
            .iter()
            .find(|m| m.0 == name)
            .map(|&(_, _, algorithm, with_comments)| Method {
                algorithm,
                with_comments,
            })
    }

    /// The XML-DSig algorithm URI.
    pub fn uri(&self) -> &'static str {
        self.entry().1
    }

    /// The short name used by the command line.
    pub fn name(&self) -> &'static str {
        self.entry().0
    }
}

/// Which part of the document to canonicalize.  Elements are named by the
/// byte offset of their start tag (see [`crate::find_id`] and
/// [`crate::Element::offset`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    /// Only the subtree of the element starting at this offset; the whole
    /// document (with comments and PIs outside the document element) when
    /// `None`.
    pub subtree: Option<usize>,
    /// Leave out the subtree of the element starting at this offset.
    pub excluding: Option<usize>,
}

impl Selection {
    /// The whole document.
    pub fn document() -> Self {
        Selection::default()
    }

    /// The subtree of the element whose start tag is at `offset`.
    pub fn subtree(offset: usize) -> Self {
        Selection {
            subtree: Some(offset),
            excluding: None,
        }
    }

    /// This selection without the subtree of the element at `offset`.
    pub fn excluding(self, offset: usize) -> Self {
        Selection {
            excluding: Some(offset),
            ..self
        }
    }
}

/// A canonicalization method with its parameters.
///
/// ```
/// use hoso_xml::{Canonicalizer, Limits, Method, Selection};
///
/// let c14n = Canonicalizer::new(Method::from_name("exc-c14n").unwrap());
/// let out = c14n.to_vec(b"<a xmlns:u='urn:u' b = '1'><b/></a>", Selection::document(), &Limits::default())?;
/// assert_eq!(out, b"<a b=\"1\"><b></b></a>");
/// # Ok::<(), hoso_xml::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canonicalizer {
    method: Method,
    inclusive_prefixes: Vec<String>,
}

impl Canonicalizer {
    /// A canonicalizer for `method`.
    pub fn new(method: Method) -> Self {
        Canonicalizer {
            method,
            inclusive_prefixes: Vec::new(),
        }
    }

    /// Sets the InclusiveNamespaces PrefixList of exclusive canonicalization
    /// (`#default` names the default namespace).  Ignored by the inclusive
    /// algorithms.
    pub fn with_inclusive_prefixes<I, S>(mut self, prefixes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.inclusive_prefixes = prefixes
            .into_iter()
            .map(|p| {
                let p = p.into();
                if p == "#default" { String::new() } else { p }
            })
            .collect();
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// Canonicalizes `selection` of `input` into `sink`.  Output goes through
    /// a fixed-size buffer; on error the sink may have received a prefix of
    /// the output.
    pub fn write<W: Write>(
        &self,
        input: &[u8],
        selection: Selection,
        limits: &Limits,
        sink: W,
    ) -> Result<W, Error> {
        let reader = Reader::new(input, *limits)?;
        Run::new(self, reader, selection, sink).run()
    }

    /// Canonicalizes the subtree of the element `context` was captured for
    /// (see [`crate::Element::context`]), optionally without the subtree of
    /// the element at `excluding`, reading only that element: its ancestors'
    /// namespaces and `xml:*` attributes come from the context.  The input
    /// must be the document the context was captured from, already read
    /// whole (it is not checked again before the element).
    ///
    /// ```
    /// use hoso_xml::{Canonicalizer, Event, Limits, Method, Reader, Selection};
    ///
    /// let doc = br#"<a xmlns:p="urn:p" xml:lang="vi"><p:b>x</p:b><c/></a>"#;
    /// let mut reader = Reader::new(doc, Limits::default())?;
    /// let mut context = None;
    /// while let Some(event) = reader.next()? {
    ///     if let Event::Start(e) = event && e.local_name() == "b" {
    ///         context = Some(e.context());
    ///     }
    /// }
    /// let c14n = Canonicalizer::new(Method::from_name("c14n").unwrap());
    /// let out = c14n.write_element(doc, &context.unwrap(), None, &Limits::default(), Vec::new())?;
    /// assert_eq!(out, br#"<p:b xmlns:p="urn:p" xml:lang="vi">x</p:b>"#);
    /// # Ok::<(), hoso_xml::Error>(())
    /// ```
    pub fn write_element<W: Write>(
        &self,
        input: &[u8],
        context: &ElementContext,
        excluding: Option<usize>,
        limits: &Limits,
        sink: W,
    ) -> Result<W, Error> {
        let reader = Reader::resume(input, context, *limits)?;
        let selection = Selection {
            subtree: Some(context.offset()),
            excluding,
        };
        let mut run = Run::new(self, reader, selection, sink);
        run.stop_after_apex = true;
        run.inherited = context
            .xml_attributes()
            .iter()
            .map(|(local, value)| InheritedXmlAttr {
                depth: 0,
                local,
                value: value.clone(),
            })
            .collect();
        run.run()
    }

    /// Canonicalizes `selection` of `input` into a new buffer.
    pub fn to_vec(
        &self,
        input: &[u8],
        selection: Selection,
        limits: &Limits,
    ) -> Result<Vec<u8>, Error> {
        self.write(input, selection, limits, Vec::new())
    }
}

const FLUSH_AT: usize = 32 * 1024;

/// Output buffered in front of the sink.
struct Out<W: Write> {
    buf: Vec<u8>,
    sink: W,
}

impl<W: Write> Out<W> {
    #[inline]
    fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    #[inline]
    fn maybe_flush(&mut self) -> std::io::Result<()> {
        if self.buf.len() >= FLUSH_AT {
            self.sink.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<W> {
        self.sink.write_all(&self.buf)?;
        self.sink.flush()?;
        Ok(self.sink)
    }

    /// Text nodes: `&`, `<`, `>` and CR are escaped.
    #[inline]
    fn text(&mut self, s: &str) {
        escape::<IN_TEXT>(&mut self.buf, s.as_bytes());
    }

    /// Attribute values: `&`, `<`, `"`, tab, LF and CR are escaped.
    #[inline]
    fn attr_value(&mut self, s: &str) {
        escape::<IN_ATTRIBUTE>(&mut self.buf, s.as_bytes());
    }

    fn attribute(&mut self, qname: &str, value: &str) {
        self.raw(b" ");
        self.raw(qname.as_bytes());
        self.raw(b"=\"");
        self.attr_value(value);
        self.raw(b"\"");
    }

    fn namespace(&mut self, prefix: &str, uri: &str) {
        if prefix.is_empty() {
            self.raw(b" xmlns=\"");
        } else {
            self.raw(b" xmlns:");
            self.raw(prefix.as_bytes());
            self.raw(b"=\"");
        }
        self.attr_value(uri);
        self.raw(b"\"");
    }

    /// A comment or PI outside the document element: separated from the
    /// document element by a line feed.
    fn outside_root(&mut self, after_root: bool, node: impl FnOnce(&mut Self)) {
        if after_root {
            self.raw(b"\n");
        }
        node(self);
        if !after_root {
            self.raw(b"\n");
        }
    }

    fn comment(&mut self, text: &str) {
        self.raw(b"<!--");
        self.raw(text.as_bytes());
        self.raw(b"-->");
    }

    fn pi(&mut self, target: &str, data: &str) {
        self.raw(b"<?");
        self.raw(target.as_bytes());
        if !data.is_empty() {
            self.raw(b" ");
            self.raw(data.as_bytes());
        }
        self.raw(b"?>");
    }
}

const fn escape_table(chars: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < chars.len() {
        t[chars[i] as usize] = true;
        i += 1;
    }
    t
}

static TEXT_ESCAPES: [bool; 256] = escape_table(b"&<>\r");
static ATTR_ESCAPES: [bool; 256] = escape_table(b"&<\"\t\n\r");

/// `escape::<IN_TEXT>` escapes a text node, `escape::<IN_ATTRIBUTE>` an
/// attribute value.
const IN_TEXT: bool = false;
const IN_ATTRIBUTE: bool = true;

const LANES: u64 = 0x0101_0101_0101_0101;

/// Whether one of the 8 bytes of `word` is escaped.  SWAR: a byte of
/// `word ^ splat(c)` is zero where `word` holds `c`, and the zero-byte test
/// below is exact for the word as a whole.
#[inline(always)]
fn word_needs_escape<const ATTR: bool>(word: u64) -> bool {
    let zero = |c: u8| {
        let x = word ^ (LANES * u64::from(c));
        x.wrapping_sub(LANES) & !x & (LANES << 7)
    };
    let hits = if ATTR {
        zero(b'&') | zero(b'<') | zero(b'"') | zero(b'\t') | zero(b'\n') | zero(b'\r')
    } else {
        zero(b'&') | zero(b'<') | zero(b'>') | zero(b'\r')
    };
    hits != 0
}

/// Appends `s` with the characters Canonical XML escapes replaced by their
/// references.  Most text has none: clean runs are skipped 8 bytes at a time
/// and copied in one piece.
#[inline]
fn escape<const ATTR: bool>(buf: &mut Vec<u8>, s: &[u8]) {
    let table = if ATTR { &ATTR_ESCAPES } else { &TEXT_ESCAPES };
    let mut start = 0;
    let mut i = 0;
    loop {
        while let Some(word) = s.get(i..i + 8) {
            let word = u64::from_le_bytes(word.try_into().expect("8 bytes"));
            if word_needs_escape::<ATTR>(word) {
                break;
            }
            i += 8;
        }
        while i < s.len() && !table[s[i] as usize] {
            i += 1;
        }
        buf.extend_from_slice(&s[start..i]);
        let Some(&b) = s.get(i) else { return };
        buf.extend_from_slice(match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\t' => b"&#x9;",
            b'\n' => b"&#xA;",
            _ => b"&#xD;",
        });
        i += 1;
        start = i;
    }
}

/// An `xml:*` attribute of an ancestor outside the selected subtree.
struct InheritedXmlAttr<'a> {
    depth: usize,
    local: &'a str,
    value: String,
}

/// The state of one canonicalization pass.
struct Run<'c, 'a, W: Write> {
    c14n: &'c Canonicalizer,
    reader: Reader<'a>,
    selection: Selection,
    out: Out<W>,
    /// Depth of the selected apex while inside it (for a whole document, the
    /// document element).
    apex_depth: Option<usize>,
    /// Depth of the excluded element while inside it.
    skip_depth: Option<usize>,
    root_seen: bool,
    /// Namespaces rendered by the output ancestors, with one mark per open
    /// output element.
    rendered: Namespaces<'a>,
    marks: Vec<usize>,
    inherited: Vec<InheritedXmlAttr<'a>>,
    /// Reused for the namespaces to render on one element.
    pending_ns: Vec<(&'a str, Cow<'a, str>)>,
    /// Reading a resumed element: stop when it ends.
    stop_after_apex: bool,
}

impl<'c, 'a, W: Write> Run<'c, 'a, W> {
    fn new(c14n: &'c Canonicalizer, reader: Reader<'a>, selection: Selection, sink: W) -> Self {
        Run {
            c14n,
            reader,
            selection,
            out: Out {
                buf: Vec::with_capacity(FLUSH_AT + 4096),
                sink,
            },
            apex_depth: None,
            skip_depth: None,
            root_seen: false,
            rendered: Namespaces::empty(),
            marks: Vec::new(),
            inherited: Vec::new(),
            pending_ns: Vec::new(),
            stop_after_apex: false,
        }
    }

    fn run(self) -> Result<W, Error> {
        let Run {
            c14n,
            mut reader,
            selection,
            mut out,
            mut apex_depth,
            mut skip_depth,
            mut root_seen,
            mut rendered,
            mut marks,
            mut inherited,
            mut pending_ns,
            stop_after_apex,
        } = self;
        let with_comments = c14n.method.with_comments;
        let whole = selection.subtree.is_none();
        let mut found_subtree = whole;
        // A resumed element ends the reading: an excluded element elsewhere
        // is simply not in it.
        let mut found_excluded = selection.excluding.is_none() || stop_after_apex;
        let mut depth = 0usize;
        let mut flush_failed = None;
        while let Some(event) = reader.next()? {
            match event {
                Event::Start(e) => {
                    root_seen = true;
                    depth = e.depth();
                    if skip_depth.is_some() {
                        continue;
                    }
                    if Some(e.offset()) == selection.excluding {
                        found_excluded = true;
                        skip_depth = Some(e.depth());
                        continue;
                    }
                    if apex_depth.is_none() {
                        if whole || Some(e.offset()) == selection.subtree {
                            found_subtree = true;
                            apex_depth = Some(e.depth());
                        } else {
                            if c14n.method.algorithm != Algorithm::ExcC14n10 {
                                remember_xml_attrs(&mut inherited, e);
                            }
                            continue;
                        }
                    }
                    let apex = apex_depth == Some(e.depth());
                    marks.push(rendered.len());
                    write_start(
                        c14n,
                        &mut out,
                        &mut rendered,
                        &mut pending_ns,
                        &inherited,
                        e,
                        apex,
                    )?;
                }
                Event::End(end) => {
                    depth = end.depth - 1;
                    if let Some(skipped) = skip_depth {
                        if end.depth == skipped {
                            skip_depth = None;
                        }
                        continue;
                    }
                    let Some(apex) = apex_depth else {
                        inherited.retain(|a| a.depth < end.depth);
                        continue;
                    };
                    out.raw(b"</");
                    out.raw(end.qname.as_bytes());
                    out.raw(b">");
                    let mark = marks.pop().expect("an output element is open");
                    rendered.pop_to(mark);
                    if end.depth == apex {
                        apex_depth = None;
                        if stop_after_apex {
                            break;
                        }
                    }
                }
                Event::Text(t) => {
                    if apex_depth.is_some() && skip_depth.is_none() {
                        out.text(t);
                    }
                }
                Event::Comment(c) => {
                    if with_comments && skip_depth.is_none() {
                        if apex_depth.is_some() {
                            out.comment(c);
                        } else if whole && depth == 0 {
                            out.outside_root(root_seen, |o| o.comment(c));
                        }
                    }
                }
                Event::Pi { target, data } => {
                    if skip_depth.is_none() {
                        if apex_depth.is_some() {
                            out.pi(target, data);
                        } else if whole && depth == 0 {
                            out.outside_root(root_seen, |o| o.pi(target, data));
                        }
                    }
                }
            }
            if let Err(e) = out.maybe_flush() {
                flush_failed = Some(e);
                break;
            }
        }
        if let Some(e) = flush_failed {
            return Err(reader.error_here(ErrorKind::Output(e.to_string())));
        }
        let input = reader.input();
        let not_found = |offset: usize| {
            Error::at(
                input,
                offset,
                ErrorKind::Syntax("no element starts at the selected offset".into()),
            )
        };
        if !found_subtree {
            return Err(not_found(selection.subtree.unwrap_or_default()));
        }
        if !found_excluded {
            return Err(not_found(selection.excluding.unwrap_or_default()));
        }
        out.finish()
            .map_err(|e| Error::at(input, input.len(), ErrorKind::Output(e.to_string())))
    }
}

fn remember_xml_attrs<'a>(inherited: &mut Vec<InheritedXmlAttr<'a>>, e: Element<'_, 'a>) {
    for attr in e.attributes() {
        if attr.namespace() == XML_NAMESPACE {
            inherited.push(InheritedXmlAttr {
                depth: e.depth(),
                local: attr.local_name(),
                value: attr.value().to_owned(),
            });
        }
    }
}

/// Writes a start tag with its rendered namespaces and attributes.
#[allow(clippy::too_many_arguments)]
fn write_start<'a, W: Write>(
    c14n: &Canonicalizer,
    out: &mut Out<W>,
    rendered: &mut Namespaces<'a>,
    pending: &mut Vec<(&'a str, Cow<'a, str>)>,
    inherited: &[InheritedXmlAttr<'a>],
    e: Element<'_, 'a>,
    apex: bool,
) -> Result<(), Error> {
    pending.clear();
    let reader = e.reader();
    let exclusive = c14n.method.algorithm == Algorithm::ExcC14n10;
    // The candidate namespaces: for inclusive canonicalization, everything in
    // scope at the apex and the declarations below it (an inherited binding
    // was rendered by the parent already); for exclusive, the visibly used
    // prefixes plus the InclusiveNamespaces PrefixList treated inclusively.
    if exclusive {
        let element_prefix = e.prefix();
        let uri = reader
            .lookup_namespace(element_prefix)
            .cloned()
            .unwrap_or_default();
        consider(pending, rendered, element_prefix, uri);
        for attr in e.attributes() {
            let p = attr.prefix();
            if !p.is_empty() && p != "xml" {
                let uri = reader.lookup_namespace(p).cloned().unwrap_or_default();
                consider(pending, rendered, p, uri);
            }
        }
        for p in &c14n.inclusive_prefixes {
            if apex {
                if let Some((prefix, uri)) = reader.in_scope_namespaces().find(|(q, _)| *q == p) {
                    consider(pending, rendered, prefix, uri.clone());
                }
            } else if let Some(d) = e.namespace_declarations().iter().find(|d| d.prefix == p) {
                consider(pending, rendered, d.prefix, d.uri.clone());
            }
        }
    } else if apex {
        for (prefix, uri) in reader.in_scope_namespaces() {
            consider(pending, rendered, prefix, uri.clone());
        }
    } else {
        for d in e.namespace_declarations() {
            consider(pending, rendered, d.prefix, d.uri.clone());
        }
    }
    pending.sort_unstable_by(|a, b| a.0.cmp(b.0));
    pending.dedup_by(|a, b| a.0 == b.0);

    out.raw(b"<");
    out.raw(e.qname().as_bytes());
    for (prefix, uri) in pending.drain(..) {
        if crate::chars::is_relative_uri(&uri) {
            return Err(Error::at(
                reader.input(),
                e.offset(),
                ErrorKind::RelativeNamespaceUri(uri.into_owned()),
            ));
        }
        out.namespace(prefix, &uri);
        rendered.push(prefix, uri);
    }

    let inherits = apex && !exclusive && !inherited.is_empty();
    if !inherits {
        for attr in e.attributes() {
            out.attribute(attr.qname(), attr.value());
        }
    } else {
        write_attributes_with_inherited(c14n.method.algorithm, out, inherited, e);
    }
    out.raw(b">");
    Ok(())
}

/// Adds `prefix` bound to `uri` to the namespaces to render, unless the
/// nearest output ancestor rendered the same binding (an absent default
/// namespace counts as the empty one).
fn consider<'a>(
    pending: &mut Vec<(&'a str, Cow<'a, str>)>,
    rendered: &Namespaces<'a>,
    prefix: &'a str,
    uri: Cow<'a, str>,
) {
    if prefix == "xml" {
        return;
    }
    let current = rendered.get(prefix).map(|u| u.as_ref());
    let same = match current {
        Some(c) => crate::chars::same(c, &uri),
        None => prefix.is_empty() && uri.is_empty(),
    };
    if !same {
        pending.push((prefix, uri));
    }
}

/// The attributes of an apex element whose ancestors carry `xml:*`
/// attributes: Canonical XML copies those down (1.1: except `xml:id`, and
/// `xml:base` is joined rather than copied).
fn write_attributes_with_inherited<W: Write>(
    algorithm: Algorithm,
    out: &mut Out<W>,
    inherited: &[InheritedXmlAttr<'_>],
    e: Element<'_, '_>,
) {
    let mut attrs: Vec<(String, String, String)> = e
        .attributes()
        .map(|a| {
            (
                a.namespace().to_owned(),
                a.local_name().to_owned(),
                a.value().to_owned(),
            )
        })
        .collect();
    let own = |local: &str, attrs: &[(String, String, String)]| {
        attrs
            .iter()
            .any(|(ns, l, _)| ns == XML_NAMESPACE && l == local)
    };
    // Nearest ancestor first.
    for a in inherited.iter().rev() {
        let simple = match algorithm {
            Algorithm::C14n10 => true,
            _ => a.local != "id" && a.local != "base",
        };
        if simple && !own(a.local, &attrs) {
            attrs.push((XML_NAMESPACE.into(), a.local.into(), a.value.clone()));
        }
    }
    if algorithm == Algorithm::C14n11 {
        let mut base: Option<String> = None;
        for a in inherited.iter().filter(|a| a.local == "base") {
            base = Some(match base {
                None => a.value.clone(),
                Some(b) => uri::join(&b, &a.value),
            });
        }
        if let Some(base) = base {
            match attrs
                .iter_mut()
                .find(|(ns, l, _)| ns == XML_NAMESPACE && l == "base")
            {
                Some(own) => own.2 = uri::join(&base, &own.2),
                None => attrs.push((XML_NAMESPACE.into(), "base".into(), base)),
            }
        }
    }
    attrs.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    for (ns, local, value) in &attrs {
        if ns == XML_NAMESPACE {
            out.raw(b" xml:");
            out.raw(local.as_bytes());
            out.raw(b"=\"");
            out.attr_value(value);
            out.raw(b"\"");
        } else {
            let qname = e
                .attributes()
                .find(|a| a.namespace() == ns && a.local_name() == local)
                .map(|a| a.qname())
                .unwrap_or(local);
            out.attribute(qname, value);
        }
    }
}

#[cfg(test)]
mod escape_tests {
    use super::{IN_ATTRIBUTE, IN_TEXT, escape};

    /// The escaping of Canonical XML, one character at a time.
    fn reference(s: &str, attr: bool) -> String {
        s.chars()
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' if !attr => "&gt;".to_string(),
                '"' if attr => "&quot;".to_string(),
                '\t' if attr => "&#x9;".to_string(),
                '\n' if attr => "&#xA;".to_string(),
                '\r' => "&#xD;".to_string(),
                c => c.to_string(),
            })
            .collect()
    }

    #[test]
    fn escapes_at_every_position_of_a_word() {
        let specials = ['&', '<', '>', '"', '\t', '\n', '\r', 'ệ', 'a', ' '];
        for len in 0..40 {
            for (k, &c) in specials.iter().enumerate() {
                for at in 0..len {
                    // A special character at `at`, another near the end.
                    let s: String = (0..len)
                        .map(|i| match i {
                            _ if i == at => c,
                            _ if i + 3 == len => specials[(k + 1) % specials.len()],
                            _ => 'x',
                        })
                        .collect();
                    let mut text = Vec::new();
                    escape::<IN_TEXT>(&mut text, s.as_bytes());
                    assert_eq!(
                        String::from_utf8(text).unwrap(),
                        reference(&s, false),
                        "{s:?}"
                    );
                    let mut attr = Vec::new();
                    escape::<IN_ATTRIBUTE>(&mut attr, s.as_bytes());
                    assert_eq!(
                        String::from_utf8(attr).unwrap(),
                        reference(&s, true),
                        "{s:?}"
                    );
                }
            }
        }
        let mixed = "Giấy phép < 3.000 m³/ngày & đêm \"x\"\t\r\n>]]>".repeat(5);
        let mut out = Vec::new();
        escape::<IN_TEXT>(&mut out, mixed.as_bytes());
        assert_eq!(String::from_utf8(out).unwrap(), reference(&mixed, false));
    }
}
