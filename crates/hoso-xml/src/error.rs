//! Typed errors: what went wrong, where (byte offset, line, column) and why.

use std::fmt;

/// Where in the input an error was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Byte offset from the start of the input (a byte-order mark included).
    pub offset: usize,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Position {
    /// Computes line and column of a byte offset of `input`, counting
    /// columns in characters. Meant for reporting: it scans from the start.
    ///
    /// ```
    /// let p = hoso_xml::Position::locate(b"<a>\n  <b/>", 6);
    /// assert_eq!((p.line, p.column), (2, 3));
    /// ```
    pub fn locate(input: &[u8], offset: usize) -> Self {
        let offset = offset.min(input.len());
        let before = &input[..offset];
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        let line = memchr::memchr_iter(b'\n', before).count() + 1;
        // Count characters, not bytes: skip UTF-8 continuation bytes.
        let column = before[line_start..]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count()
            + 1;
        Position {
            offset,
            line,
            column,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A resource limit of the reader (see [`crate::Limits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Size of the whole document in bytes.
    DocumentSize,
    /// Nesting depth of elements.
    Depth,
    /// Attributes (namespace declarations included) on one element.
    AttributesPerElement,
    /// Length in bytes of one element, attribute, prefix or PI target name.
    NameLength,
    /// Size in bytes of one text node, attribute value, comment or PI.
    TextSize,
    /// Number of nodes (elements, attributes, text nodes, comments, PIs).
    NodeCount,
}

impl Limit {
    /// The name of the limit as in [`crate::Limits`].
    pub fn name(self) -> &'static str {
        match self {
            Limit::DocumentSize => "max_document_bytes",
            Limit::Depth => "max_depth",
            Limit::AttributesPerElement => "max_attributes",
            Limit::NameLength => "max_name_bytes",
            Limit::TextSize => "max_text_bytes",
            Limit::NodeCount => "max_nodes",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Limit::DocumentSize => "document size in bytes",
            Limit::Depth => "element nesting depth",
            Limit::AttributesPerElement => "attributes on one element",
            Limit::NameLength => "name length in bytes",
            Limit::TextSize => "size in bytes of one text node, attribute value, comment or PI",
            Limit::NodeCount => "number of nodes",
        }
    }
}

/// What is wrong with the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A document type declaration; DTDs are never processed.
    #[error(
        "DOCTYPE refused: document type declarations (and with them DTDs and entity definitions) are not accepted"
    )]
    DoctypeRefused,
    /// A configured limit was exceeded.
    #[error("limit exceeded: {} is over the limit {max} ({})", .limit.describe(), .limit.name())]
    LimitExceeded {
        /// Which limit.
        limit: Limit,
        /// Its configured value.
        max: u64,
    },
    /// The input is not UTF-8.
    #[error(
        "invalid UTF-8: the byte sequence here is not UTF-8 (only UTF-8 documents are accepted)"
    )]
    InvalidUtf8,
    /// The document declares or carries an encoding other than UTF-8.
    #[error("unsupported encoding {0:?}: only UTF-8 documents are accepted")]
    UnsupportedEncoding(String),
    /// A character outside XML's `Char` production.
    #[error("forbidden character U+{0:04X}: XML 1.0 does not allow this character in a document")]
    ForbiddenChar(u32),
    /// A reference to an entity other than the five predefined ones.
    #[error(
        "unknown entity &{0};: only &lt; &gt; &amp; &apos; &quot; and character references are expanded"
    )]
    UnknownEntity(String),
    /// A character reference to a character XML does not allow.
    #[error("invalid character reference &{0};: it does not name a character XML allows")]
    InvalidCharRef(String),
    /// An end tag that does not close the open element.
    #[error("mismatched end tag: expected </{expected}>, found </{found}>")]
    MismatchedTag {
        /// The name of the open element.
        expected: String,
        /// The name in the end tag.
        found: String,
    },
    /// An end tag with no open element.
    #[error("unexpected end tag </{0}>: no element is open")]
    UnexpectedEndTag(String),
    /// The input ended inside an element.
    #[error("unexpected end of input: element <{0}> is not closed")]
    UnclosedElement(String),
    /// The input has no document element.
    #[error("no document element: the input holds no element")]
    NoRootElement,
    /// Text, an element, a reference or CDATA after the document element or
    /// before it.
    #[error("content outside the document element: {0}")]
    ContentOutsideRoot(&'static str),
    /// A malformed name.
    #[error("invalid name {0:?}: not an XML name (or a qualified name with one colon at most)")]
    InvalidName(String),
    /// Two attributes with the same qualified or expanded name.
    #[error(
        "duplicate attribute {0}: an attribute may appear once per element (after namespace resolution)"
    )]
    DuplicateAttribute(String),
    /// A prefix used without a declaration in scope.
    #[error("undeclared namespace prefix {0:?}")]
    UndeclaredPrefix(String),
    /// `xmlns:p=""`, which Namespaces in XML 1.0 forbids.
    #[error("empty namespace name for prefix {0:?}: xmlns:{0}=\"\" is not allowed in XML 1.0")]
    EmptyPrefixBinding(String),
    /// Misuse of the reserved `xml` and `xmlns` prefixes or namespace names.
    #[error("reserved namespace misuse: {0}")]
    ReservedNamespace(&'static str),
    /// Canonical XML refuses relative namespace URIs.
    #[error("relative namespace URI {0:?}: canonical XML requires absolute namespace names")]
    RelativeNamespaceUri(String),
    /// The XML declaration is malformed or misplaced.
    #[error("bad XML declaration: {0}")]
    BadDeclaration(&'static str),
    /// A syntax error in markup.
    #[error("syntax error: {0}")]
    Syntax(String),
    /// Two elements carry the same Id.
    #[error("duplicate Id {0:?}: another element already carries this Id")]
    DuplicateId(String),
    /// No element carries the requested Id.
    #[error("no element with Id {0:?}")]
    IdNotFound(String),
    /// The sink refused the output.
    #[error("output error: {0}")]
    Output(String),
}

/// An error with its position in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where.
    pub position: Position,
}

impl Error {
    pub(crate) fn at(input: &[u8], offset: usize, kind: ErrorKind) -> Self {
        Error {
            kind,
            position: Position::locate(input, offset),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.position, self.kind)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "ab\nđệ x";
        let p = Position::locate(text.as_bytes(), text.find('x').unwrap());
        assert_eq!((p.line, p.column), (2, 4));
        let p = Position::locate(b"abc", 0);
        assert_eq!((p.line, p.column), (1, 1));
    }
}
