//! One pass over the document: the `ds:Signature` subtrees as small trees,
//! every Id with the offset of its element, and the document element.
//!
//! Only signatures are kept in memory (bounded by [`MAX_SIGNATURE_NODES`]);
//! the document itself is read as a stream.

use std::collections::HashMap;

use hoso_xml::{Event, IdAttributes, Limits, Reader};

use crate::algorithms::DSIG_NS;
use crate::error::{DsigError, Refusal};

/// Elements, attributes and text nodes one `ds:Signature` may hold.
pub const MAX_SIGNATURE_NODES: usize = 20_000;

/// An element of a signature subtree.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub namespace: String,
    pub local: String,
    pub attrs: Vec<(String, String, String)>,
    pub text: String,
    pub children: Vec<usize>,
    /// Byte offset of the start tag in the document.
    pub offset: usize,
    /// What the element inherits, for SignedInfo and elements with an Id.
    pub context: Option<hoso_xml::ElementContext>,
}

impl Node {
    /// The value of an unqualified attribute.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(ns, l, _)| ns.is_empty() && l == local)
            .map(|(_, _, v)| v.as_str())
    }

    pub fn is(&self, namespace: &str, local: &str) -> bool {
        self.namespace == namespace && self.local == local
    }
}

/// A `ds:Signature` element and its descendants, root first.
#[derive(Debug, Clone)]
pub(crate) struct SignatureTree {
    pub nodes: Vec<Node>,
    /// Where the Signature element is: `/Root/Child/ds:Signature`.
    pub path: String,
}

impl SignatureTree {
    pub fn root(&self) -> &Node {
        &self.nodes[0]
    }

    pub fn children<'t>(&'t self, node: &'t Node) -> impl Iterator<Item = &'t Node> + 't {
        node.children.iter().map(|&i| &self.nodes[i])
    }

    /// Every node below `node`, in document order.
    pub fn descendants<'t>(&'t self, node: &'t Node) -> Vec<&'t Node> {
        let mut out = Vec::new();
        let mut stack: Vec<&Node> = self.children(node).collect();
        stack.reverse();
        while let Some(n) = stack.pop() {
            out.push(n);
            let mut kids: Vec<&Node> = self.children(n).collect();
            kids.reverse();
            stack.extend(kids);
        }
        out
    }

    pub fn by_offset(&self, offset: usize) -> Option<&Node> {
        self.nodes.iter().find(|n| n.offset == offset)
    }
}

/// What one pass over the document found.
#[derive(Debug)]
pub(crate) struct DocumentIndex {
    pub root_offset: usize,
    pub root_name: String,
    pub ids: HashMap<String, IdTarget>,
    pub signatures: Vec<SignatureTree>,
}

#[derive(Debug, Clone)]
pub(crate) struct IdTarget {
    pub offset: usize,
    pub path: String,
    /// Whether the Id value is not an NCName (still resolved, with a warning).
    pub not_ncname: bool,
}

pub(crate) fn index(
    input: &[u8],
    limits: &Limits,
    id_attrs: &IdAttributes,
) -> Result<DocumentIndex, DsigError> {
    let mut reader = Reader::new(input, *limits)?;
    let mut ids: HashMap<String, IdTarget> = HashMap::new();
    let mut signatures = Vec::new();
    let mut root: Option<(usize, String)> = None;
    // The open elements as path steps (`name`, or `name[n]` for the n-th
    // sibling of that name), and for each the names of its children so far.
    let mut path: Vec<(&str, usize)> = Vec::new();
    let mut children: Vec<Vec<(&str, usize)>> = vec![Vec::new()];
    // The signature being collected: its tree and the stack of open nodes.
    let mut current: Option<(SignatureTree, Vec<usize>)> = None;
    while let Some(event) = reader.next()? {
        match event {
            Event::Start(e) => {
                let siblings = children.last_mut().expect("the document level is open");
                let position = match siblings.iter_mut().find(|(name, _)| *name == e.qname()) {
                    Some((_, count)) => {
                        *count += 1;
                        *count
                    }
                    None => {
                        siblings.push((e.qname(), 1));
                        1
                    }
                };
                path.push((e.qname(), position));
                children.push(Vec::new());
                if root.is_none() {
                    root = Some((e.offset(), e.qname().to_string()));
                }
                let ids_here = id_values(&e, id_attrs);
                let starts_signature =
                    current.is_none() && e.namespace() == DSIG_NS && e.local_name() == "Signature";
                // Paths are for reports: made only for elements that can be
                // reported (Id'd elements and signatures).
                let element_path = if ids_here.is_empty() && !starts_signature {
                    String::new()
                } else {
                    format_path(&path)
                };
                for value in ids_here {
                    let target = IdTarget {
                        offset: e.offset(),
                        path: element_path.clone(),
                        not_ncname: !hoso_xml::is_ncname(value),
                    };
                    if ids.insert(value.to_string(), target).is_some() {
                        return Err(DsigError::Refused {
                            refusal: Refusal::DuplicateId(value.to_string()),
                            offset: Some(e.offset()),
                        });
                    }
                }
                // Outside signatures nothing more is kept.
                if current.is_none() && !starts_signature {
                    continue;
                }
                let node = Node {
                    namespace: e.namespace().to_string(),
                    local: e.local_name().to_string(),
                    attrs: e
                        .attributes()
                        .map(|a| {
                            (
                                a.namespace().to_string(),
                                a.local_name().to_string(),
                                a.value().to_string(),
                            )
                        })
                        .collect(),
                    text: String::new(),
                    children: Vec::new(),
                    offset: e.offset(),
                    // What SignedInfo and Id'd elements of a signature inherit,
                    // so that they are canonicalized without a second pass
                    // over the document.
                    context: (current.is_some()
                        && (e.local_name() == "SignedInfo"
                            || e.attributes()
                                .any(|a| id_attrs.is_id(a.namespace(), a.local_name()))))
                    .then(|| e.context()),
                };
                match &mut current {
                    Some((tree, open)) => {
                        if tree.nodes.len() >= MAX_SIGNATURE_NODES {
                            return Err(DsigError::Refused {
                                refusal: Refusal::SignatureTooLarge,
                                offset: Some(e.offset()),
                            });
                        }
                        let index = tree.nodes.len();
                        let parent = *open.last().expect("inside a signature");
                        tree.nodes[parent].children.push(index);
                        tree.nodes.push(node);
                        open.push(index);
                    }
                    None => {
                        current = Some((
                            SignatureTree {
                                nodes: vec![node],
                                path: element_path,
                            },
                            vec![0],
                        ));
                    }
                }
            }
            Event::End(_) => {
                path.pop();
                children.pop();
                if let Some((_, open)) = &mut current {
                    open.pop();
                    if open.is_empty() {
                        let (tree, _) = current.take().expect("checked");
                        signatures.push(tree);
                    }
                }
            }
            Event::Text(t) => {
                if let Some((tree, open)) = &mut current {
                    let top = *open.last().expect("inside a signature");
                    tree.nodes[top].text.push_str(t);
                }
            }
            Event::Comment(_) | Event::Pi { .. } => {}
        }
    }
    let (root_offset, root_name) = root.expect("a well-formed document has a document element");
    Ok(DocumentIndex {
        root_offset,
        root_name,
        ids,
        signatures,
    })
}

/// `/a/b[2]/c`: the n-th sibling of a name gets `[n]` from the second on.
fn format_path(steps: &[(&str, usize)]) -> String {
    let mut out = String::new();
    for (name, position) in steps {
        out.push('/');
        out.push_str(name);
        if *position > 1 {
            out.push_str(&format!("[{position}]"));
        }
    }
    out
}

fn id_values<'r>(e: &hoso_xml::Element<'r, '_>, id_attrs: &IdAttributes) -> Vec<&'r str> {
    e.attributes()
        .filter(|a| id_attrs.is_id(a.namespace(), a.local_name()))
        .map(|a| a.value())
        .collect()
}
