//! The hardened pull reader: a tokenizer over validated UTF-8 that checks
//! well-formedness, namespaces and limits as it goes, and expands references.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::chars::{self, CharScan, DocumentScan};
use crate::error::{Error, ErrorKind, Limit};
use crate::limits::Limits;

/// The namespace name bound to the `xml` prefix.
pub const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace name of namespace declarations, which nothing may bind.
pub const XMLNS_NAMESPACE: &str = "http://www.w3.org/2000/xmlns/";

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const NONE: u32 = u32::MAX;
/// Index of the implicit `xml` binding in the binding table.
const XML_BINDING: u32 = 0;

/// One event of the document, in document order.
///
/// White space outside the document element and the XML declaration are not
/// reported. A text node may arrive as several `Text` events (split at
/// references and CDATA sections); their concatenation is the node's value,
/// with line ends normalized and references expanded.
#[derive(Debug)]
pub enum Event<'r, 'a> {
    /// A start tag (or an empty-element tag, followed by its `End`).
    Start(Element<'r, 'a>),
    /// The end of the element opened by the matching `Start`.
    End(EndTag<'a>),
    /// Character data.
    Text(&'r str),
    /// A comment's text.
    Comment(&'r str),
    /// A processing instruction.
    Pi {
        /// The PI target.
        target: &'a str,
        /// The PI data, after the white space that follows the target.
        data: &'r str,
    },
}

/// The end of an element.
#[derive(Debug, Clone, Copy)]
pub struct EndTag<'a> {
    /// The qualified name, as written.
    pub qname: &'a str,
    /// The depth of the element that ends (the document element has depth 1).
    pub depth: usize,
}

/// A namespace declaration made on an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NsDecl<'a> {
    /// The declared prefix; empty for the default namespace.
    pub prefix: &'a str,
    /// The namespace name; empty to undeclare the default namespace.
    pub uri: Cow<'a, str>,
}

#[derive(Debug, Clone)]
struct RawAttr<'a> {
    qname: &'a str,
    prefix: &'a str,
    local: &'a str,
    ns: u32,
    value: Cow<'a, str>,
    offset: usize,
}

#[derive(Debug, Default)]
struct StartTag<'a> {
    qname: &'a str,
    prefix: &'a str,
    local: &'a str,
    ns: u32,
    offset: usize,
    empty: bool,
    attrs: Vec<RawAttr<'a>>,
    decls: Vec<NsDecl<'a>>,
}

#[derive(Debug)]
struct Binding<'a> {
    prefix: &'a str,
    uri: Cow<'a, str>,
    shadowed: u32,
}

#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Bindings up to this many are searched linearly; beyond, an index from
/// prefix to innermost binding keeps look-ups O(1) however many bindings an
/// adversarial document puts in scope.
const LINEAR_BINDINGS: usize = 16;

/// Prefix bindings in scope, innermost last.
#[derive(Debug)]
pub(crate) struct Namespaces<'a> {
    bindings: Vec<Binding<'a>>,
    index: Option<HashMap<&'a str, u32, BuildHasherDefault<Fnv>>>,
}

impl<'a> Namespaces<'a> {
    pub(crate) fn empty() -> Self {
        Namespaces {
            bindings: Vec::new(),
            index: None,
        }
    }

    fn new() -> Self {
        let mut ns = Self::empty();
        ns.push("xml", Cow::Borrowed(XML_NAMESPACE));
        ns
    }

    pub(crate) fn len(&self) -> usize {
        self.bindings.len()
    }

    pub(crate) fn push(&mut self, prefix: &'a str, uri: Cow<'a, str>) {
        let position = self.bindings.len() as u32;
        let shadowed = self.lookup(prefix).unwrap_or(NONE);
        if let Some(index) = &mut self.index {
            index.insert(prefix, position);
        }
        self.bindings.push(Binding {
            prefix,
            uri,
            shadowed,
        });
        if self.index.is_none() && self.bindings.len() > LINEAR_BINDINGS {
            let mut index = HashMap::default();
            for (i, b) in self.bindings.iter().enumerate() {
                index.insert(b.prefix, i as u32);
            }
            self.index = Some(index);
        }
    }

    pub(crate) fn pop_to(&mut self, mark: usize) {
        if let Some(index) = &mut self.index {
            for b in self.bindings.drain(mark..).rev() {
                if b.shadowed == NONE {
                    index.remove(b.prefix);
                } else {
                    index.insert(b.prefix, b.shadowed);
                }
            }
            if self.bindings.len() <= LINEAR_BINDINGS {
                self.index = None;
            }
        } else {
            self.bindings.truncate(mark);
        }
    }

    fn lookup(&self, prefix: &str) -> Option<u32> {
        match &self.index {
            Some(index) => index.get(prefix).copied(),
            None => self
                .bindings
                .iter()
                .rposition(|b| chars::same(b.prefix, prefix))
                .map(|i| i as u32),
        }
    }

    /// Whether binding `i` is the innermost one for its prefix.
    fn is_visible(&self, i: usize) -> bool {
        self.lookup(self.bindings[i].prefix) == Some(i as u32)
    }

    /// The innermost URI bound to `prefix`.
    pub(crate) fn get(&self, prefix: &str) -> Option<&Cow<'a, str>> {
        self.lookup(prefix).map(|i| &self.bindings[i as usize].uri)
    }

    fn uri(&self, index: u32) -> &str {
        if index == NONE {
            ""
        } else {
            &self.bindings[index as usize].uri
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Prolog,
    Content,
    Epilog,
    Done,
}

#[derive(Debug)]
struct Open<'a> {
    qname: &'a str,
    ns_mark: usize,
}

/// A streaming, hardened XML reader over a UTF-8 byte slice.
///
/// It refuses any DOCTYPE, expands only the five predefined entities and
/// character references, checks well-formedness and Namespaces in XML 1.0,
/// enforces [`Limits`], and reports every error with line and column.  Memory
/// grows with the nesting depth, not with the document.
///
/// ```
/// use hoso_xml::{Event, Limits, Reader};
///
/// let mut reader = Reader::new(b"<a xmlns='urn:x'>h&amp;i</a>", Limits::default())?;
/// let mut text = String::new();
/// while let Some(event) = reader.next()? {
///     match event {
///         Event::Start(e) => assert_eq!(e.namespace(), "urn:x"),
///         Event::Text(t) => text.push_str(t),
///         _ => {}
///     }
/// }
/// assert_eq!(text, "h&i");
/// # Ok::<(), hoso_xml::Error>(())
/// ```
pub struct Reader<'a> {
    bytes: &'a [u8],
    doc: &'a str,
    base: usize,
    /// Byte offset in `doc` of the next unread byte.
    pos: usize,
    document_scan: DocumentScan,
    limits: Limits,
    phase: Phase,
    open: Vec<Open<'a>>,
    ns: Namespaces<'a>,
    tag: StartTag<'a>,
    nodes: u64,
    pending_end: bool,
    text_run: Option<usize>,
    scratch: String,
    event_offset: usize,
    /// `xml:*` attributes of the open elements, with their depth: what a
    /// document subset inherits (see [`ElementContext`]).
    xml_attrs: Vec<(usize, &'a str, Cow<'a, str>)>,
}

/// What an element inherits from its ancestors: the namespace bindings in
/// scope at its parent and the nearest `xml:*` attributes above it.  Captured
/// while reading ([`Element::context`]), it lets the element's subtree be
/// read again, or canonicalized, without reading the document before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementContext {
    offset: usize,
    namespaces: Vec<(String, String)>,
    xml_attributes: Vec<(String, String)>,
}

impl ElementContext {
    /// Byte offset of the element's start tag.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The bindings in scope at the parent, outermost first (an empty URI on
    /// the default prefix undeclares the default namespace).
    pub fn namespaces(&self) -> &[(String, String)] {
        &self.namespaces
    }

    /// The `xml:*` attributes of the ancestors (local name and value),
    /// outermost first; a name may repeat (the nearest one wins, and
    /// Canonical XML 1.1 joins every `xml:base`).
    pub fn xml_attributes(&self) -> &[(String, String)] {
        &self.xml_attributes
    }
}

impl std::fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("offset", &(self.base + self.event_offset))
            .field("depth", &self.open.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Reader<'a> {
    /// Prepares to read `input`, which must be UTF-8 (a UTF-8 byte-order mark
    /// is allowed). Fails at once on oversized or non-UTF-8 input.
    pub fn new(input: &'a [u8], limits: Limits) -> Result<Self, Error> {
        if input.len() > limits.max_document_bytes {
            return Err(Error::at(
                input,
                limits.max_document_bytes,
                ErrorKind::LimitExceeded {
                    limit: Limit::DocumentSize,
                    max: limits.max_document_bytes as u64,
                },
            ));
        }
        let base = if input.starts_with(UTF8_BOM) {
            UTF8_BOM.len()
        } else {
            if input.starts_with(b"\xFE\xFF")
                || input.starts_with(b"\xFF\xFE")
                || input.starts_with(b"\0<")
                || input.starts_with(b"<\0")
            {
                return Err(Error::at(
                    input,
                    0,
                    ErrorKind::UnsupportedEncoding("UTF-16".into()),
                ));
            }
            0
        };
        let doc = std::str::from_utf8(&input[base..])
            .map_err(|e| Error::at(input, base + e.valid_up_to(), ErrorKind::InvalidUtf8))?;
        Ok(Reader {
            bytes: input,
            doc,
            base,
            pos: 0,
            document_scan: chars::scan_document(doc.as_bytes()),
            limits,
            phase: Phase::Prolog,
            open: Vec::new(),
            ns: Namespaces::new(),
            tag: StartTag::default(),
            nodes: 0,
            pending_end: false,
            text_run: None,
            scratch: String::new(),
            event_offset: 0,
            xml_attrs: Vec::new(),
        })
    }

    /// Reads the subtree of the element `context` was captured for, as if
    /// it were a document: the element's ancestors' namespace bindings are
    /// in scope, and reading ends with the element.  The input before the
    /// element is neither read nor checked: it must be the document the
    /// context was captured from.
    pub fn resume(
        input: &'a [u8],
        context: &'a ElementContext,
        limits: Limits,
    ) -> Result<Self, Error> {
        let start = context.offset;
        if input.get(start) != Some(&b'<') || input.len() > limits.max_document_bytes {
            return Err(Error::at(
                input,
                start.min(input.len()),
                ErrorKind::Syntax("the element context does not fit this input".into()),
            ));
        }
        let doc = std::str::from_utf8(&input[start..])
            .map_err(|e| Error::at(input, start + e.valid_up_to(), ErrorKind::InvalidUtf8))?;
        let mut ns = Namespaces::new();
        for (prefix, uri) in &context.namespaces {
            ns.push(prefix, Cow::Borrowed(uri));
        }
        Ok(Reader {
            bytes: input,
            doc,
            base: start,
            pos: 0,
            document_scan: chars::scan_document(doc.as_bytes()),
            limits,
            phase: Phase::Content,
            open: Vec::new(),
            ns,
            tag: StartTag::default(),
            nodes: 0,
            pending_end: false,
            text_run: None,
            scratch: String::new(),
            event_offset: 0,
            xml_attrs: Vec::new(),
        })
    }

    /// The document as text, after any byte order mark: every `&str` the
    /// reader hands out that was not rewritten (references expanded, line
    /// ends normalized) is a slice of it, so callers can keep such slices
    /// for the document's lifetime.
    pub fn document(&self) -> &'a str {
        self.doc
    }

    /// The limits this reader enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The whole input, as given to [`Reader::new`].
    pub fn input(&self) -> &'a [u8] {
        self.bytes
    }

    /// Byte offset in the input of the start of the last event returned.
    pub fn event_offset(&self) -> usize {
        self.base + self.event_offset
    }

    /// Depth of the innermost open element (0 outside the document element).
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// An error of `kind` at byte offset `offset` of the document text.
    pub(crate) fn error(&self, offset: usize, kind: ErrorKind) -> Error {
        Error::at(self.bytes, self.base + offset, kind)
    }

    /// An error at the start of the last event returned.
    pub fn error_here(&self, kind: ErrorKind) -> Error {
        self.error(self.event_offset, kind)
    }

    fn limit(&self, offset: usize, limit: Limit, max: u64) -> Error {
        self.error(offset, ErrorKind::LimitExceeded { limit, max })
    }

    fn count_nodes(&mut self, n: u64, offset: usize) -> Result<(), Error> {
        self.nodes += n;
        if self.nodes > self.limits.max_nodes {
            return Err(self.limit(offset, Limit::NodeCount, self.limits.max_nodes));
        }
        Ok(())
    }

    /// The namespace name bound to `prefix` at the innermost open element
    /// (`""` selects the default namespace; an empty result means none).
    pub fn lookup_namespace(&self, prefix: &str) -> Option<&Cow<'a, str>> {
        self.ns.get(prefix)
    }

    /// The prefix bindings in scope at the innermost open element, innermost
    /// first, the implicit `xml` binding excluded.  An empty URI on the
    /// default prefix means the default namespace is undeclared.
    pub fn in_scope_namespaces(&self) -> impl Iterator<Item = (&'a str, &Cow<'a, str>)> {
        self.ns
            .bindings
            .iter()
            .enumerate()
            .rev()
            .filter(move |(i, _)| *i as u32 != XML_BINDING && self.ns.is_visible(*i))
            .map(|(_, b)| (b.prefix, &b.uri))
    }

    /// Reads the next event; `None` at the end of a well-formed document.
    #[allow(clippy::should_implement_trait)] // a lending iterator, not an Iterator
    pub fn next(&mut self) -> Result<Option<Event<'_, 'a>>, Error> {
        if self.pending_end {
            self.pending_end = false;
            return Ok(Some(Event::End(self.close_element())));
        }
        let bytes = self.doc.as_bytes();
        loop {
            let start = self.pos;
            self.event_offset = start;
            let Some(&first) = bytes.get(start) else {
                return self.end_of_input();
            };
            if first != b'<' {
                if first == b'&' {
                    if self.phase != Phase::Content {
                        return Err(self.error(
                            start,
                            ErrorKind::ContentOutsideRoot("a reference is not allowed here"),
                        ));
                    }
                    let name = self.reference_name(start)?;
                    self.extend_text_run(1, start)?;
                    let expanded = self.expand_reference(name, start)?;
                    return Ok(Some(Event::Text(expanded)));
                }
                let end = find_text_end(bytes, start);
                self.pos = end;
                let text = &self.doc[start..end];
                if self.phase != Phase::Content {
                    if let Some(i) = text.bytes().position(|b| !chars::is_space(b)) {
                        return Err(self.error(
                            start + i,
                            ErrorKind::ContentOutsideRoot("text is not allowed here"),
                        ));
                    }
                    continue;
                }
                self.extend_text_run(text.len(), start)?;
                let scan = self.scan(text, start)?;
                if let Some(i) = scan.cdata_end {
                    return Err(self.error(
                        start + i,
                        ErrorKind::Syntax("']]>' is not allowed in character data".into()),
                    ));
                }
                return Ok(Some(Event::Text(self.normalized(text, scan))));
            }
            match bytes.get(start + 1) {
                Some(b'/') => {
                    self.text_run = None;
                    // Usually the end tag is exactly `</` + the open name + `>`.
                    if let Some(open) = self.open.last() {
                        let end = start + 2 + open.qname.len();
                        if bytes.get(end) == Some(&b'>')
                            && bytes[start + 2..end] == *open.qname.as_bytes()
                        {
                            self.pos = end + 1;
                            return Ok(Some(Event::End(self.close_element())));
                        }
                    }
                    let Some(gt) = memchr::memchr(b'>', &bytes[start..]) else {
                        return Err(self.error(start, ErrorKind::Syntax("unclosed end tag".into())));
                    };
                    self.pos = start + gt + 1;
                    let mut name = &self.doc[start + 2..start + gt];
                    if name.as_bytes().last().is_some_and(|&b| chars::is_space(b)) {
                        name = name.trim_end_matches([' ', '\t', '\r', '\n']);
                    }
                    let Some(open) = self.open.last() else {
                        return Err(self.error(start, ErrorKind::UnexpectedEndTag(name.into())));
                    };
                    if open.qname != name {
                        return Err(self.error(
                            start,
                            ErrorKind::MismatchedTag {
                                expected: open.qname.into(),
                                found: name.into(),
                            },
                        ));
                    }
                    return Ok(Some(Event::End(self.close_element())));
                }
                Some(b'!') => {
                    let rest = &bytes[start..];
                    if rest.starts_with(b"<!--") {
                        self.text_run = None;
                        let text = self.delimited(start, 4, b"-->", "unclosed comment")?;
                        self.check_markup_size(text.len(), start)?;
                        if let Some(i) = memchr::memchr_iter(b'-', text.as_bytes())
                            .find(|&i| text.as_bytes().get(i + 1) == Some(&b'-'))
                        {
                            return Err(self.error(
                                start + 4 + i,
                                ErrorKind::Syntax("'--' is not allowed inside a comment".into()),
                            ));
                        }
                        if text.ends_with('-') {
                            return Err(self.error(
                                start + 4 + text.len() - 1,
                                ErrorKind::Syntax("a comment must not end with '-'".into()),
                            ));
                        }
                        let scan = self.scan(text, start + 4)?;
                        self.count_nodes(1, start)?;
                        return Ok(Some(Event::Comment(self.normalized(text, scan))));
                    }
                    if rest.starts_with(b"<![CDATA[") {
                        let text = self.delimited(start, 9, b"]]>", "unclosed CDATA section")?;
                        if self.phase != Phase::Content {
                            return Err(self.error(
                                start,
                                ErrorKind::ContentOutsideRoot(
                                    "a CDATA section is not allowed here",
                                ),
                            ));
                        }
                        self.extend_text_run(text.len(), start)?;
                        let scan = self.scan(text, start + 9)?;
                        return Ok(Some(Event::Text(self.normalized(text, scan))));
                    }
                    if rest.len() >= 9 && rest[2..9].eq_ignore_ascii_case(b"DOCTYPE") {
                        return Err(self.error(start, ErrorKind::DoctypeRefused));
                    }
                    return Err(self.error(
                        start,
                        ErrorKind::Syntax("'<!' must start a comment or a CDATA section".into()),
                    ));
                }
                Some(b'?') => {
                    self.text_run = None;
                    let content =
                        self.delimited(start, 2, b"?>", "unclosed processing instruction")?;
                    let is_declaration = content.len() >= 3
                        && content.as_bytes()[..3] == *b"xml"
                        && content
                            .as_bytes()
                            .get(3)
                            .is_none_or(|&b| chars::is_space(b));
                    if is_declaration {
                        self.check_declaration(content, start)?;
                        continue;
                    }
                    let (target, data, data_offset) = self.split_pi(content, start)?;
                    let scan = self.scan(data, data_offset)?;
                    self.count_nodes(1, start)?;
                    return Ok(Some(Event::Pi {
                        target,
                        data: self.normalized(data, scan),
                    }));
                }
                _ => {
                    self.text_run = None;
                    let (gt, empty) = self.start_tag_end(start)?;
                    self.pos = gt + 1;
                    let content_end = if empty { gt - 1 } else { gt };
                    let content = &self.doc[start + 1..content_end];
                    self.open_element(content, start, empty)?;
                    let this: &Self = self;
                    return Ok(Some(Event::Start(Element { reader: this })));
                }
            }
        }
    }

    fn end_of_input(&mut self) -> Result<Option<Event<'_, 'a>>, Error> {
        if let Some(open) = self.open.last() {
            return Err(self.error(
                self.doc.len(),
                ErrorKind::UnclosedElement(open.qname.into()),
            ));
        }
        if self.phase == Phase::Prolog {
            return Err(self.error(self.doc.len(), ErrorKind::NoRootElement));
        }
        self.phase = Phase::Done;
        Ok(None)
    }

    /// The text between a markup opening of `open` bytes at `start` and the
    /// first `close` after it; moves past the close.
    fn delimited(
        &mut self,
        start: usize,
        open: usize,
        close: &[u8],
        unclosed: &str,
    ) -> Result<&'a str, Error> {
        let from = start + open;
        let Some(len) = chars::find_terminator(&self.doc.as_bytes()[from..], close) else {
            return Err(self.error(start, ErrorKind::Syntax(unclosed.into())));
        };
        self.pos = from + len + close.len();
        Ok(&self.doc[from..from + len])
    }

    /// Finds the `>` closing the start tag at `start`, skipping quoted
    /// attribute values; says whether the tag is an empty-element tag.
    fn start_tag_end(&self, start: usize) -> Result<(usize, bool), Error> {
        let bytes = self.doc.as_bytes();
        // Most tags are short: a plain loop beats setting up a vector search.
        let near = bytes.len().min(start + 64);
        for (k, &b) in bytes[start + 1..near].iter().enumerate() {
            match b {
                b'>' => {
                    let at = start + 1 + k;
                    return Ok((at, at > start + 1 && bytes[at - 1] == b'/'));
                }
                b'"' | b'\'' => break,
                _ => {}
            }
        }
        let mut i = start + 1;
        loop {
            let Some(found) = memchr::memchr3(b'>', b'"', b'\'', &bytes[i..]) else {
                return Err(self.error(start, ErrorKind::Syntax("unclosed start tag".into())));
            };
            let at = i + found;
            let quote = bytes[at];
            if quote == b'>' {
                return Ok((at, at > start + 1 && bytes[at - 1] == b'/'));
            }
            let Some(close) = memchr::memchr(quote, &bytes[at + 1..]) else {
                return Err(self.error(start, ErrorKind::Syntax("unclosed start tag".into())));
            };
            i = at + 1 + close + 1;
        }
    }

    /// The name of the reference starting with `&` at `start`; moves past its `;`.
    fn reference_name(&mut self, start: usize) -> Result<&'a str, Error> {
        let bytes = self.doc.as_bytes();
        // A reference ends at the first ';'; white space, '<' or '&' before
        // it mean a stray '&'.
        let end = bytes[start + 1..]
            .iter()
            .position(|&b| b == b';' || b == b'<' || b == b'&' || chars::is_space(b))
            .map(|i| start + 1 + i)
            .filter(|&i| bytes[i] == b';');
        let Some(end) = end else {
            return Err(self.error(
                start,
                ErrorKind::Syntax("'&' must start a reference ending with ';'".into()),
            ));
        };
        let name = &self.doc[start + 1..end];
        if name.len() > self.limits.max_name_bytes {
            return Err(self.limit(start, Limit::NameLength, self.limits.max_name_bytes as u64));
        }
        if !name.starts_with('#') && !chars::is_name(name) {
            return Err(self.error(
                start,
                ErrorKind::Syntax("'&' must start a reference ending with ';'".into()),
            ));
        }
        self.pos = end + 1;
        Ok(name)
    }

    fn extend_text_run(&mut self, len: usize, offset: usize) -> Result<(), Error> {
        let run = match self.text_run {
            Some(n) => n + len,
            None => {
                self.count_nodes(1, offset)?;
                len
            }
        };
        if run > self.limits.max_text_bytes {
            return Err(self.limit(offset, Limit::TextSize, self.limits.max_text_bytes as u64));
        }
        self.text_run = Some(run);
        Ok(())
    }

    fn check_markup_size(&self, len: usize, offset: usize) -> Result<(), Error> {
        if len > self.limits.max_text_bytes {
            return Err(self.limit(offset, Limit::TextSize, self.limits.max_text_bytes as u64));
        }
        Ok(())
    }

    /// Checks the characters of a text node, comment or PI.  Skipped when
    /// the first pass over the document found nothing to check; `]]>` is
    /// then looked for only if the document contains it at all.
    fn scan(&self, text: &str, offset: usize) -> Result<CharScan, Error> {
        if !self.document_scan.needs_char_checks {
            let cdata_end = if self.document_scan.has_cdata_end {
                chars::find_terminator(text.as_bytes(), b"]]>")
            } else {
                None
            };
            return Ok(CharScan {
                cdata_end,
                ..CharScan::default()
            });
        }
        self.scan_all(text, offset)
    }

    fn scan_all(&self, text: &str, offset: usize) -> Result<CharScan, Error> {
        chars::scan_chars(text)
            .map_err(|f| self.error(offset + f.offset, ErrorKind::ForbiddenChar(f.code)))
    }

    /// Returns `text` with CR LF and lone CR turned into LF.
    fn normalized<'s>(&'s mut self, text: &'a str, scan: CharScan) -> &'s str {
        if !scan.has_cr {
            return text;
        }
        self.scratch.clear();
        let mut rest = text;
        while let Some(i) = rest.find('\r') {
            self.scratch.push_str(&rest[..i]);
            self.scratch.push('\n');
            rest = &rest[i + 1..];
            if rest.starts_with('\n') {
                rest = &rest[1..];
            }
        }
        self.scratch.push_str(rest);
        &self.scratch
    }

    fn expand_reference(&mut self, name: &'a str, offset: usize) -> Result<&str, Error> {
        let predefined = match name {
            "lt" => Some("<"),
            "gt" => Some(">"),
            "amp" => Some("&"),
            "apos" => Some("'"),
            "quot" => Some("\""),
            _ => None,
        };
        if let Some(s) = predefined {
            return Ok(s);
        }
        if let Some(code) = name.strip_prefix('#') {
            let c = parse_char_ref(code)
                .ok_or_else(|| self.error(offset, ErrorKind::InvalidCharRef(name.into())))?;
            self.scratch.clear();
            self.scratch.push(c);
            return Ok(&self.scratch);
        }
        Err(self.error(offset, ErrorKind::UnknownEntity(name.into())))
    }

    fn split_pi(
        &self,
        content: &'a str,
        offset: usize,
    ) -> Result<(&'a str, &'a str, usize), Error> {
        self.check_markup_size(content.len(), offset)?;
        let end = content
            .bytes()
            .position(chars::is_space)
            .unwrap_or(content.len());
        let target = &content[..end];
        if target.len() > self.limits.max_name_bytes {
            return Err(self.limit(
                offset + 2,
                Limit::NameLength,
                self.limits.max_name_bytes as u64,
            ));
        }
        if !chars::is_ncname(target) {
            return Err(self.error(offset + 2, ErrorKind::InvalidName(target.into())));
        }
        if target.eq_ignore_ascii_case("xml") {
            return Err(self.error(
                offset,
                ErrorKind::BadDeclaration(
                    "the XML declaration is allowed only at the very start of the document",
                ),
            ));
        }
        let rest = &content[end..];
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
        let data = &rest[skipped..];
        Ok((target, data, offset + 2 + end + skipped))
    }

    fn check_declaration(&self, content: &'a str, offset: usize) -> Result<(), Error> {
        if offset != 0 || self.phase != Phase::Prolog {
            return Err(self.error(
                offset,
                ErrorKind::BadDeclaration(
                    "the XML declaration is allowed only at the very start of the document",
                ),
            ));
        }
        let Some(rest) = content.strip_prefix("xml") else {
            return Err(self.error(offset, ErrorKind::BadDeclaration("malformed")));
        };
        let mut seen = 0;
        for attr in PseudoAttrs::new(rest) {
            let (name, value, at) = attr.map_err(|(msg, at)| {
                self.error(offset + 2 + 3 + at, ErrorKind::BadDeclaration(msg))
            })?;
            let where_ = offset + 2 + 3 + at;
            let order = match name {
                "version" => 1,
                "encoding" => 2,
                "standalone" => 3,
                _ => {
                    return Err(self.error(
                        where_,
                        ErrorKind::BadDeclaration(
                            "only version, encoding and standalone may appear",
                        ),
                    ));
                }
            };
            if order <= seen {
                return Err(self.error(
                    where_,
                    ErrorKind::BadDeclaration(
                        "version, encoding and standalone must appear once, in this order",
                    ),
                ));
            }
            if seen == 0 && order != 1 {
                return Err(
                    self.error(where_, ErrorKind::BadDeclaration("version must come first"))
                );
            }
            seen = order;
            match name {
                "version" if value != "1.0" => {
                    return Err(self.error(
                        where_,
                        ErrorKind::BadDeclaration("only XML version 1.0 is supported"),
                    ));
                }
                "encoding" if !value.eq_ignore_ascii_case("utf-8") => {
                    return Err(self.error(where_, ErrorKind::UnsupportedEncoding(value.into())));
                }
                "standalone" if value != "yes" && value != "no" => {
                    return Err(self.error(
                        where_,
                        ErrorKind::BadDeclaration("standalone must be \"yes\" or \"no\""),
                    ));
                }
                _ => {}
            }
        }
        if seen == 0 {
            return Err(self.error(offset, ErrorKind::BadDeclaration("version is missing")));
        }
        Ok(())
    }

    fn close_element(&mut self) -> EndTag<'a> {
        let depth = self.open.len();
        while self.xml_attrs.last().is_some_and(|a| a.0 >= depth) {
            self.xml_attrs.pop();
        }
        let open = self.open.pop().expect("an element is open");
        self.ns.pop_to(open.ns_mark);
        if self.open.is_empty() {
            self.phase = Phase::Epilog;
        }
        EndTag {
            qname: open.qname,
            depth: self.open.len() + 1,
        }
    }

    fn open_element(&mut self, content: &'a str, offset: usize, empty: bool) -> Result<(), Error> {
        match self.phase {
            Phase::Prolog => self.phase = Phase::Content,
            Phase::Content => {}
            Phase::Epilog | Phase::Done => {
                return Err(self.error(
                    offset,
                    ErrorKind::ContentOutsideRoot("a second document element"),
                ));
            }
        }
        let depth = self.open.len() + 1;
        if depth > self.limits.max_depth {
            return Err(self.limit(offset, Limit::Depth, self.limits.max_depth as u64));
        }
        let mut tag = std::mem::take(&mut self.tag);
        tag.attrs.clear();
        tag.decls.clear();
        tag.offset = offset;
        tag.empty = empty;
        let result = self.parse_tag(&mut tag, content, offset);
        self.tag = tag;
        result?;
        self.open.push(Open {
            qname: self.tag.qname,
            ns_mark: self.ns.bindings.len() - self.tag.decls.len(),
        });
        let depth = self.open.len();
        for attr in &self.tag.attrs {
            if attr.ns == XML_BINDING {
                self.xml_attrs.push((depth, attr.local, attr.value.clone()));
            }
        }
        self.pending_end = empty;
        Ok(())
    }

    /// Parses the content of a start tag into `tag`, pushing its namespace
    /// declarations.
    fn parse_tag(
        &mut self,
        tag: &mut StartTag<'a>,
        content: &'a str,
        offset: usize,
    ) -> Result<(), Error> {
        let name_end = content
            .bytes()
            .position(chars::is_space)
            .unwrap_or(content.len());
        let qname = &content[..name_end];
        let (prefix, local) = self.split_qname(qname, offset + 1)?;
        tag.qname = qname;
        tag.prefix = prefix;
        tag.local = local;
        self.count_nodes(1, offset)?;

        let bytes = content.as_bytes();
        let mut i = name_end;
        let mut count = 0usize;
        loop {
            let ws_start = i;
            while i < bytes.len() && chars::is_space(bytes[i]) {
                i += 1;
            }
            if i == bytes.len() {
                break;
            }
            let at = offset + 1 + i;
            if i == ws_start {
                return Err(self.error(
                    at,
                    ErrorKind::Syntax("white space is required between attributes".into()),
                ));
            }
            count += 1;
            if count > self.limits.max_attributes {
                return Err(self.limit(
                    at,
                    Limit::AttributesPerElement,
                    self.limits.max_attributes as u64,
                ));
            }
            let name_start = i;
            while i < bytes.len() && bytes[i] != b'=' && !chars::is_space(bytes[i]) {
                i += 1;
            }
            let attr_qname = &content[name_start..i];
            while i < bytes.len() && chars::is_space(bytes[i]) {
                i += 1;
            }
            if bytes.get(i) != Some(&b'=') {
                return Err(self.error(
                    offset + 1 + i,
                    ErrorKind::Syntax(format!("expected '=' after attribute name {attr_qname:?}")),
                ));
            }
            i += 1;
            while i < bytes.len() && chars::is_space(bytes[i]) {
                i += 1;
            }
            let quote = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => q,
                _ => {
                    return Err(self.error(
                        offset + 1 + i,
                        ErrorKind::Syntax(format!(
                            "the value of attribute {attr_qname:?} must be quoted"
                        )),
                    ));
                }
            };
            let value_start = i + 1;
            let Some(len) = memchr::memchr(quote, &bytes[value_start..]) else {
                return Err(self.error(
                    offset + 1 + value_start,
                    ErrorKind::Syntax("unterminated attribute value".into()),
                ));
            };
            let raw_value = &content[value_start..value_start + len];
            i = value_start + len + 1;
            let (prefix, local) = self.split_qname(attr_qname, at)?;
            let value = self.attribute_value(raw_value, offset + 1 + value_start)?;
            if prefix == "xmlns" || (prefix.is_empty() && local == "xmlns") {
                let declared = if prefix.is_empty() { "" } else { local };
                self.declare(tag, declared, value, at)?;
            } else {
                tag.attrs.push(RawAttr {
                    qname: attr_qname,
                    prefix,
                    local,
                    ns: NONE,
                    value,
                    offset: at,
                });
            }
        }
        self.count_nodes(count as u64, offset)?;

        tag.ns = match prefix {
            "" => self
                .ns
                .lookup("")
                .filter(|&i| !self.ns.uri(i).is_empty())
                .unwrap_or(NONE),
            "xmlns" => {
                return Err(self.error(
                    offset + 1,
                    ErrorKind::ReservedNamespace("an element name must not use the xmlns prefix"),
                ));
            }
            p => self
                .ns
                .lookup(p)
                .ok_or_else(|| self.error(offset + 1, ErrorKind::UndeclaredPrefix(p.into())))?,
        };
        for attr in &mut tag.attrs {
            if !attr.prefix.is_empty() {
                attr.ns = self.ns.lookup(attr.prefix).ok_or_else(|| {
                    Error::at(
                        self.bytes,
                        self.base + attr.offset,
                        ErrorKind::UndeclaredPrefix(attr.prefix.into()),
                    )
                })?;
            }
        }
        // Canonical order (namespace URI, then local name) also puts any two
        // attributes with the same expanded name side by side.
        let ns = &self.ns;
        let by_namespace = |a: &RawAttr<'_>, b: &RawAttr<'_>| {
            if a.ns == b.ns {
                std::cmp::Ordering::Equal
            } else {
                ns.uri(a.ns).cmp(ns.uri(b.ns))
            }
        };
        tag.attrs
            .sort_unstable_by(|a, b| by_namespace(a, b).then_with(|| a.local.cmp(b.local)));
        for pair in tag.attrs.windows(2) {
            if pair[0].local == pair[1].local && by_namespace(&pair[0], &pair[1]).is_eq() {
                let later = if pair[0].offset > pair[1].offset {
                    &pair[0]
                } else {
                    &pair[1]
                };
                return Err(Error::at(
                    self.bytes,
                    self.base + later.offset,
                    ErrorKind::DuplicateAttribute(later.qname.into()),
                ));
            }
        }
        Ok(())
    }

    fn declare(
        &mut self,
        tag: &mut StartTag<'a>,
        prefix: &'a str,
        uri: Cow<'a, str>,
        at: usize,
    ) -> Result<(), Error> {
        let reserved = |msg| Err(self.error(at, ErrorKind::ReservedNamespace(msg)));
        if prefix == "xmlns" {
            return reserved("the xmlns prefix must not be declared");
        }
        if uri == XMLNS_NAMESPACE {
            return reserved("the xmlns namespace name must not be bound");
        }
        if prefix == "xml" {
            if uri != XML_NAMESPACE {
                return reserved("the xml prefix must not be bound to another namespace name");
            }
            // Declaring xml as itself is allowed and changes nothing.
            return Ok(());
        }
        if uri == XML_NAMESPACE {
            return reserved("the xml namespace name must not be bound to another prefix");
        }
        if !prefix.is_empty() && uri.is_empty() {
            return Err(self.error(at, ErrorKind::EmptyPrefixBinding(prefix.into())));
        }
        if tag.decls.iter().any(|d| d.prefix == prefix) {
            let name = if prefix.is_empty() {
                "xmlns".to_string()
            } else {
                format!("xmlns:{prefix}")
            };
            return Err(self.error(at, ErrorKind::DuplicateAttribute(name)));
        }
        self.ns.push(prefix, uri.clone());
        tag.decls.push(NsDecl { prefix, uri });
        Ok(())
    }

    fn split_qname(&self, qname: &'a str, offset: usize) -> Result<(&'a str, &'a str), Error> {
        if qname.len() > self.limits.max_name_bytes {
            return Err(self.limit(offset, Limit::NameLength, self.limits.max_name_bytes as u64));
        }
        chars::split_qname(qname)
            .ok_or_else(|| self.error(offset, ErrorKind::InvalidName(qname.into())))
    }

    /// Normalizes an attribute value as XML 1.0 section 3.3.3 does for CDATA
    /// attributes (all attributes, without a DTD): references expanded, each
    /// literal tab, LF, CR or CR LF turned into one space.
    fn attribute_value(&self, raw: &'a str, offset: usize) -> Result<Cow<'a, str>, Error> {
        self.check_markup_size(raw.len(), offset)?;
        let scan = self.scan_all(raw, offset)?;
        let bytes = raw.as_bytes();
        if let Some(i) = scan.first_lt {
            return Err(self.error(
                offset + i,
                ErrorKind::Syntax("'<' is not allowed in an attribute value".into()),
            ));
        }
        if !scan.has_amp && !scan.has_cr && !scan.has_tab_or_lf {
            return Ok(Cow::Borrowed(raw));
        }
        let mut out = String::with_capacity(raw.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'&' => {
                    let Some(len) = memchr::memchr(b';', &bytes[i..]) else {
                        return Err(self.error(
                            offset + i,
                            ErrorKind::Syntax("'&' must start a reference ending with ';'".into()),
                        ));
                    };
                    let name = &raw[i + 1..i + len];
                    if name.len() > self.limits.max_name_bytes {
                        return Err(self.limit(
                            offset + i,
                            Limit::NameLength,
                            self.limits.max_name_bytes as u64,
                        ));
                    }
                    match name {
                        "lt" => out.push('<'),
                        "gt" => out.push('>'),
                        "amp" => out.push('&'),
                        "apos" => out.push('\''),
                        "quot" => out.push('"'),
                        _ if name.starts_with('#') => match parse_char_ref(&name[1..]) {
                            Some(c) => out.push(c),
                            None => {
                                return Err(
                                    self.error(offset + i, ErrorKind::InvalidCharRef(name.into()))
                                );
                            }
                        },
                        _ if chars::is_name(name) => {
                            return Err(
                                self.error(offset + i, ErrorKind::UnknownEntity(name.into()))
                            );
                        }
                        _ => {
                            return Err(self.error(
                                offset + i,
                                ErrorKind::Syntax(
                                    "'&' must start a reference ending with ';'".into(),
                                ),
                            ));
                        }
                    }
                    i += len + 1;
                }
                b'\r' => {
                    out.push(' ');
                    i += if bytes.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                }
                b'\t' | b'\n' => {
                    out.push(' ');
                    i += 1;
                }
                _ => {
                    let next = memchr::memchr3(b'&', b'\r', b'\n', &bytes[i..])
                        .map_or(bytes.len(), |n| i + n);
                    let next = memchr::memchr(b'\t', &bytes[i..next]).map_or(next, |n| i + n);
                    out.push_str(&raw[i..next]);
                    i = next;
                }
            }
        }
        Ok(Cow::Owned(out))
    }
}

/// The end of the character data starting at `start`: the next `<` or `&`.
/// Text between tags is usually short (indentation, a field value), so the
/// first bytes are looked at one by one before a vector search.
#[inline]
fn find_text_end(bytes: &[u8], start: usize) -> usize {
    let near = bytes.len().min(start + 32);
    if let Some(k) = bytes[start..near]
        .iter()
        .position(|&b| b == b'<' || b == b'&')
    {
        return start + k;
    }
    memchr::memchr2(b'<', b'&', &bytes[near..]).map_or(bytes.len(), |i| near + i)
}

fn parse_char_ref(code: &str) -> Option<char> {
    let value = if let Some(hex) = code.strip_prefix('x') {
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(hex, 16).ok()?
    } else {
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        code.parse::<u32>().ok()?
    };
    if chars::is_xml_char(value) {
        char::from_u32(value)
    } else {
        None
    }
}

/// The pseudo-attributes of an XML declaration: `name="value"` pairs with
/// required white space before each.
struct PseudoAttrs<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> PseudoAttrs<'a> {
    fn new(text: &'a str) -> Self {
        PseudoAttrs { text, pos: 0 }
    }
}

impl<'a> Iterator for PseudoAttrs<'a> {
    /// `(name, value, offset of the name)` or `(message, offset)`.
    type Item = Result<(&'a str, &'a str, usize), (&'static str, usize)>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        let ws_start = self.pos;
        while self.pos < bytes.len() && chars::is_space(bytes[self.pos]) {
            self.pos += 1;
        }
        if self.pos == bytes.len() {
            return None;
        }
        if self.pos == ws_start {
            self.pos = bytes.len();
            return Some(Err((
                "white space is required before each pseudo-attribute",
                ws_start,
            )));
        }
        let start = self.pos;
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_alphabetic() {
            self.pos += 1;
        }
        let name = &self.text[start..self.pos];
        while self.pos < bytes.len() && chars::is_space(bytes[self.pos]) {
            self.pos += 1;
        }
        if bytes.get(self.pos) != Some(&b'=') {
            self.pos = bytes.len();
            return Some(Err(("expected '=' after a pseudo-attribute name", start)));
        }
        self.pos += 1;
        while self.pos < bytes.len() && chars::is_space(bytes[self.pos]) {
            self.pos += 1;
        }
        let quote = match bytes.get(self.pos) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                self.pos = bytes.len();
                return Some(Err(("a pseudo-attribute value must be quoted", start)));
            }
        };
        let value_start = self.pos + 1;
        let Some(len) = memchr::memchr(quote, &bytes[value_start..]) else {
            self.pos = bytes.len();
            return Some(Err(("unterminated pseudo-attribute value", start)));
        };
        self.pos = value_start + len + 1;
        Some(Ok((
            name,
            &self.text[value_start..value_start + len],
            start,
        )))
    }
}

/// A start tag, valid until the next call to [`Reader::next`].
#[derive(Clone, Copy)]
pub struct Element<'r, 'a> {
    reader: &'r Reader<'a>,
}

impl std::fmt::Debug for Element<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Element")
            .field("qname", &self.qname())
            .field("namespace", &self.namespace())
            .field("offset", &self.offset())
            .finish()
    }
}

impl<'r, 'a> Element<'r, 'a> {
    fn tag(&self) -> &'r StartTag<'a> {
        &self.reader.tag
    }

    /// The qualified name as written.
    pub fn qname(&self) -> &'a str {
        self.tag().qname
    }

    /// The prefix, empty when there is none.
    pub fn prefix(&self) -> &'a str {
        self.tag().prefix
    }

    /// The local name.
    pub fn local_name(&self) -> &'a str {
        self.tag().local
    }

    /// The namespace name, empty when the element is in no namespace.
    pub fn namespace(&self) -> &'r str {
        self.reader.ns.uri(self.tag().ns)
    }

    /// Byte offset of the `<` of this start tag in the input: it identifies
    /// the element within the document.
    pub fn offset(&self) -> usize {
        self.reader.base + self.tag().offset
    }

    /// Whether this is an empty-element tag (`<a/>`).
    pub fn is_empty(&self) -> bool {
        self.tag().empty
    }

    /// Depth of this element (the document element has depth 1).
    pub fn depth(&self) -> usize {
        self.reader.open.len()
    }

    /// The namespace declarations made on this element (the redundant
    /// `xmlns:xml` declaration excepted), in document order.
    pub fn namespace_declarations(&self) -> &'r [NsDecl<'a>] {
        &self.tag().decls
    }

    /// The attributes other than namespace declarations, in canonical order
    /// (namespace name, then local name).
    pub fn attributes(&self) -> impl ExactSizeIterator<Item = Attribute<'r, 'a>> + use<'r, 'a> {
        let reader = self.reader;
        self.tag()
            .attrs
            .iter()
            .map(move |raw| Attribute { reader, raw })
    }

    /// The value of the attribute with this namespace name and local name.
    pub fn attribute(&self, namespace: &str, local_name: &str) -> Option<&'r str> {
        self.attributes()
            .find(|a| a.local_name() == local_name && a.namespace() == namespace)
            .map(|a| a.value())
    }

    /// What this element inherits, for reading or canonicalizing its subtree
    /// later without the rest of the document (see [`Reader::resume`]).
    pub fn context(&self) -> ElementContext {
        let reader = self.reader;
        let mark = reader.open.last().map_or(0, |o| o.ns_mark);
        // The innermost binding of each prefix, in scope at the parent.
        let mut seen = std::collections::HashSet::new();
        let mut namespaces: Vec<(String, String)> = reader.ns.bindings[..mark]
            .iter()
            .enumerate()
            .rev()
            .filter(|(i, b)| *i as u32 != XML_BINDING && seen.insert(b.prefix))
            .map(|(_, b)| (b.prefix.to_string(), b.uri.to_string()))
            .collect();
        namespaces.reverse();
        let depth = reader.open.len();
        let xml_attributes = reader
            .xml_attrs
            .iter()
            .filter(|(d, _, _)| *d < depth)
            .map(|(_, local, value)| (local.to_string(), value.to_string()))
            .collect();
        ElementContext {
            offset: self.offset(),
            namespaces,
            xml_attributes,
        }
    }

    /// The reader this element belongs to (for namespace scope queries).
    pub fn reader(&self) -> &'r Reader<'a> {
        self.reader
    }
}

/// An attribute of a start tag.
#[derive(Clone, Copy)]
pub struct Attribute<'r, 'a> {
    reader: &'r Reader<'a>,
    raw: &'r RawAttr<'a>,
}

impl std::fmt::Debug for Attribute<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attribute")
            .field("qname", &self.qname())
            .field("namespace", &self.namespace())
            .field("value", &self.value())
            .finish()
    }
}

impl<'r, 'a> Attribute<'r, 'a> {
    /// The qualified name as written.
    pub fn qname(&self) -> &'a str {
        self.raw.qname
    }
    /// The prefix, empty when there is none.
    pub fn prefix(&self) -> &'a str {
        self.raw.prefix
    }
    /// The local name.
    pub fn local_name(&self) -> &'a str {
        self.raw.local
    }
    /// The namespace name, empty for an unprefixed attribute.
    pub fn namespace(&self) -> &'r str {
        self.reader.ns.uri(self.raw.ns)
    }
    /// The normalized value.
    pub fn value(&self) -> &'r str {
        &self.raw.value
    }
    /// The normalized value, borrowing the input where nothing changed.
    pub fn value_cow(&self) -> &'r Cow<'a, str> {
        &self.raw.value
    }
    /// Byte offset of the attribute name in the input.
    pub fn offset(&self) -> usize {
        self.reader.base + self.raw.offset
    }
}
