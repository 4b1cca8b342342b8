//! Resource limits of the reader.

/// Explicit limits on what the reader accepts.  Exceeding one is
/// [`crate::ErrorKind::LimitExceeded`] naming the limit, at the position where
/// it was exceeded.
///
/// The defaults suit e-forms and the signed documents exchanged between
/// Vietnamese agencies (invoices, tax filings), with a wide margin; raise them
/// deliberately for larger inputs.
///
/// ```
/// let limits = hoso_xml::Limits { max_depth: 64, ..hoso_xml::Limits::default() };
/// assert_eq!(limits.max_attributes, 256);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Size of the whole input in bytes. Default 64 MiB.
    pub max_document_bytes: usize,
    /// Element nesting depth; the document element is at depth 1. Default 256.
    pub max_depth: usize,
    /// Attributes on one element, namespace declarations included. Default 256.
    pub max_attributes: usize,
    /// Length in bytes of a qualified name or PI target. Default 1,024.
    pub max_name_bytes: usize,
    /// Size in bytes of one text node (a run of character data, references
    /// and CDATA sections), one attribute value, one comment or one PI.
    /// Default 16 MiB.
    pub max_text_bytes: usize,
    /// Number of nodes: elements, attributes, text nodes, comments, PIs.
    /// Default 8,000,000.
    pub max_nodes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document_bytes: 64 << 20,
            max_depth: 256,
            max_attributes: 256,
            max_name_bytes: 1024,
            max_text_bytes: 16 << 20,
            max_nodes: 8_000_000,
        }
    }
}
