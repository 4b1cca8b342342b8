//! Finding elements by Id.

use crate::error::{Error, ErrorKind};
use crate::limits::Limits;
use crate::reader::{Event, Reader, XML_NAMESPACE};

/// Which attributes carry element Ids.
///
/// Without a DTD or schema nothing declares an attribute to be of type ID, so
/// the names are a convention of the application: XML-DSig uses `Id`,
/// Vietnamese e-invoices also use `ID` and `id`.  `xml:id` always counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdAttributes {
    names: Vec<String>,
}

impl Default for IdAttributes {
    /// `Id`, `ID` and `id` (unprefixed), and `xml:id`.
    fn default() -> Self {
        IdAttributes::new(["Id", "ID", "id"])
    }
}

impl IdAttributes {
    /// Unprefixed attributes with these local names carry Ids (and `xml:id`).
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(names: I) -> Self {
        IdAttributes {
            names: names.into_iter().map(Into::into).collect(),
        }
    }

    /// Whether the attribute with this namespace name and local name carries
    /// an Id.
    pub fn is_id(&self, namespace: &str, local_name: &str) -> bool {
        match namespace {
            "" => self.names.iter().any(|n| n == local_name),
            XML_NAMESPACE => local_name == "id",
            _ => false,
        }
    }

    /// The Id of the element, if it carries one: the first Id attribute in
    /// canonical attribute order.
    pub fn id_of<'r>(&self, element: &crate::Element<'r, '_>) -> Option<&'r str> {
        element
            .attributes()
            .find_map(|a| self.is_id(a.namespace(), a.local_name()).then(|| a.value()))
    }

    fn ids_of<'r>(
        &'r self,
        element: &crate::Element<'r, '_>,
    ) -> impl Iterator<Item = &'r str> + 'r {
        element
            .attributes()
            .filter(move |a| self.is_id(a.namespace(), a.local_name()))
            .map(|a| a.value())
    }
}

/// Finds the element carrying Id `id` and returns the byte offset of its
/// start tag (usable in [`crate::Selection`]).  The whole document is read:
/// a second element with the same Id, under any of the Id attribute names, is
/// [`ErrorKind::DuplicateId`], so that a signature can never be pointed at a
/// decoy.
///
/// ```
/// use hoso_xml::{find_id, IdAttributes, Limits};
///
/// let doc = b"<a><b Id='x'/></a>";
/// assert_eq!(find_id(doc, "x", &IdAttributes::default(), &Limits::default())?, 3);
/// # Ok::<(), hoso_xml::Error>(())
/// ```
pub fn find_id(
    input: &[u8],
    id: &str,
    attrs: &IdAttributes,
    limits: &Limits,
) -> Result<usize, Error> {
    let mut reader = Reader::new(input, *limits)?;
    let mut found: Option<usize> = None;
    while let Some(event) = reader.next()? {
        if let Event::Start(e) = event {
            let matches = attrs.ids_of(&e).filter(|v| *v == id).count();
            if matches == 0 {
                continue;
            }
            if found.is_some() || matches > 1 {
                return Err(Error::at(
                    input,
                    e.offset(),
                    ErrorKind::DuplicateId(id.into()),
                ));
            }
            found = Some(e.offset());
        }
    }
    found.ok_or_else(|| Error::at(input, 0, ErrorKind::IdNotFound(id.into())))
}
