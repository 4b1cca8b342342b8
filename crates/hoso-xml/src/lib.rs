//! The XML core of hoso: a hardened reader for untrusted XML and byte-exact
//! canonicalization.
//!
//! * [`Reader`] reads UTF-8 XML as a stream of events.  It refuses any
//!   DOCTYPE (so no DTD, no entity definitions, no external entities),
//!   expands only the five predefined entities and character references,
//!   checks well-formedness and Namespaces in XML 1.0, and enforces explicit
//!   [`Limits`].  Every error is typed ([`ErrorKind`]) and carries line and
//!   column ([`Position`]).
//! * [`Canonicalizer`] writes Canonical XML 1.0, Canonical XML 1.1 or
//!   Exclusive XML Canonicalization 1.0 (each with or without comments) of a
//!   whole document, of one element's subtree, or of either minus one subtree,
//!   into any [`std::io::Write`] sink — a hasher or a buffer — with memory
//!   bounded by the nesting depth.
//! * [`find_id`] locates an element by Id and refuses duplicate Ids.
//!
//! ```
//! use hoso_xml::{find_id, Canonicalizer, IdAttributes, Limits, Method, Selection};
//!
//! let doc = r#"<doc xmlns="urn:form"><data Id="d1">Tên: Nguyễn Văn A</data><sig/></doc>"#.as_bytes();
//! let limits = Limits::default();
//! let data = find_id(doc, "d1", &IdAttributes::default(), &limits)?;
//! let c14n = Canonicalizer::new(Method::from_name("c14n").unwrap());
//! let out = c14n.to_vec(doc, Selection::subtree(data), &limits)?;
//! assert_eq!(out, r#"<data xmlns="urn:form" Id="d1">Tên: Nguyễn Văn A</data>"#.as_bytes());
//! # Ok::<(), hoso_xml::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod c14n;
mod chars;
mod error;
mod id;
mod limits;
mod reader;
mod uri;

pub use c14n::{Algorithm, Canonicalizer, Method, Selection};
pub use error::{Error, ErrorKind, Limit, Position};
pub use id::{IdAttributes, find_id};
pub use limits::Limits;

/// Whether `s` is an XML `NCName` (a name without colons), as Id values
/// should be.
pub fn is_ncname(s: &str) -> bool {
    chars::is_ncname(s)
}
pub use reader::{
    Attribute, Element, ElementContext, EndTag, Event, NsDecl, Reader, XML_NAMESPACE,
    XMLNS_NAMESPACE,
};
