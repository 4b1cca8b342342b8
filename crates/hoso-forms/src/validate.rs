//! Validation of XML and JSON forms through one walk over the definition,
//! so that both encodings give the same errors and the same typed model.

use std::fmt;

use hoso_xml::{Event, Limits, Position, Reader};
use serde_json::Value as Json;

use crate::errors::{Bound, FieldError, JsonKind, MAX_ERRORS, Problem};
use crate::model::{Date, Form, Value};
use crate::{Decimal, Definitions, Field, FormDefinition, Text, Type, TypeRef};

/// The XML-DSig namespace: a signed form carries its `ds:Signature` as the
/// last child of the document element.
const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
/// `xsi:schemaLocation` and its sibling may point at the exported XSD.
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Largest form accepted, in bytes, XML or JSON. Forms carry a manifest of
/// their attachments, never the files, so real ones stay far below this.
pub const MAX_FORM_BYTES: usize = 4 << 20;
/// Deepest element nesting accepted in an XML form.
pub const MAX_FORM_DEPTH: usize = 64;

/// The reader limits used for XML forms.
pub fn form_limits() -> Limits {
    Limits {
        max_document_bytes: MAX_FORM_BYTES,
        max_depth: MAX_FORM_DEPTH,
        ..Limits::default()
    }
}

/// Why a form was not accepted.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Rejection {
    /// The XML is not well-formed, or breaks a reader limit.
    Xml(hoso_xml::Error),
    /// The JSON does not parse.
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The input is larger than [`MAX_FORM_BYTES`].
    TooLarge {
        /// The limit.
        max: usize,
    },
    /// No procedure was named and the document does not say which form it
    /// is (XML namespace, JSON `procedure` or `$schema`), or names one that
    /// does not exist.
    UnknownForm {
        /// What the document or the caller named.
        named: String,
    },
    /// The form breaks its definition.
    Invalid {
        /// The procedure validated against.
        procedure: String,
        /// The problems, in document order, at most [`MAX_ERRORS`].
        errors: Vec<FieldError>,
        /// Whether more problems were found than reported.
        truncated: bool,
    },
}

impl Rejection {
    /// The field problems (empty when the document could not be read).
    pub fn errors(&self) -> &[FieldError] {
        match self {
            Rejection::Invalid { errors, .. } => errors,
            _ => &[],
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Xml(e) => write!(f, "{}: not well-formed XML: {}", e.position, e.kind),
            Rejection::Json {
                line,
                column,
                message,
            } => write!(f, "{line}:{column}: not valid JSON: {message}"),
            Rejection::TooLarge { max } => write!(f, "the form is larger than {max} bytes"),
            Rejection::UnknownForm { named } => write!(f, "no form is known for {named}"),
            Rejection::Invalid {
                procedure, errors, ..
            } => write!(f, "{procedure}: {} problem(s)", errors.len()),
        }
    }
}

impl std::error::Error for Rejection {}

impl Definitions {
    /// Validates an XML or a JSON form, told apart by the first character
    /// that is not white space.
    pub fn validate(&self, input: &[u8], procedure: Option<&str>) -> Result<Form, Rejection> {
        let first = input
            .iter()
            .position(|b| !b" \t\r\n".contains(b))
            .map(|i| &input[i..]);
        match first {
            Some(rest) if rest.starts_with(b"{") => self.validate_json(input, procedure),
            _ => self.validate_xml(input, procedure),
        }
    }

    /// Validates an XML form. The form is the one named by `procedure`, or
    /// else the one whose namespace the document element is in.
    ///
    /// ```
    /// let definitions = hoso_forms::Definitions::load()?;
    /// let form = definitions.get("tnmt-02-khai-thac-nuoc-duoi-dat").unwrap();
    /// let xml = form.example().to_xml(form);
    /// let valid = definitions.validate_xml(xml.as_bytes(), None).unwrap();
    /// assert_eq!(valid.procedure, "tnmt-02-khai-thac-nuoc-duoi-dat");
    /// # Ok::<(), hoso_forms::FormsError>(())
    /// ```
    pub fn validate_xml(&self, input: &[u8], procedure: Option<&str>) -> Result<Form, Rejection> {
        if input.len() > MAX_FORM_BYTES {
            return Err(Rejection::TooLarge {
                max: MAX_FORM_BYTES,
            });
        }
        let tree = XmlTree::parse(input).map_err(Rejection::Xml)?;
        let root = &tree.nodes[0];
        let form = match procedure {
            Some(id) => self.get(id).ok_or_else(|| Rejection::UnknownForm {
                named: id.to_owned(),
            })?,
            None => self
                .by_namespace(&root.namespace)
                .ok_or_else(|| Rejection::UnknownForm {
                    named: if root.namespace.is_empty() {
                        format!("<{}> in no namespace", root.qname)
                    } else {
                        format!("<{}> in {}", root.qname, root.namespace)
                    },
                })?,
        };
        let mut walk = Walk::new(Some(input));
        if root.namespace != form.namespace() || root.local != form.root {
            walk.report(
                None,
                Problem::WrongDocument {
                    expected: format!("{{{}}}{}", form.namespace(), form.root),
                    found: format!("{{{}}}{}", root.namespace, root.local),
                },
                Some(root.offset),
            );
            return Err(walk.finish(form));
        }
        let fields = walk.group(&form.fields, Node::Xml(&tree, 0), true);
        walk.into_result(form, fields)
    }

    /// Validates a JSON form: an object with `"procedure": "<id>"` and,
    /// optionally, `"$schema"` set to the form's JSON Schema `$id`.
    pub fn validate_json(&self, input: &[u8], procedure: Option<&str>) -> Result<Form, Rejection> {
        if input.len() > MAX_FORM_BYTES {
            return Err(Rejection::TooLarge {
                max: MAX_FORM_BYTES,
            });
        }
        let json: Json = serde_json::from_slice(input).map_err(|e| Rejection::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let named = json.get("procedure").and_then(Json::as_str);
        let schema = json.get("$schema").and_then(Json::as_str);
        let form = match procedure.or(named) {
            Some(id) => self.get(id),
            None => schema.and_then(|s| self.forms().iter().find(|f| f.json_schema_id() == s)),
        }
        .ok_or_else(|| Rejection::UnknownForm {
            named: procedure
                .or(named)
                .or(schema)
                .unwrap_or("a JSON document without \"procedure\"")
                .to_owned(),
        })?;
        let mut walk = Walk::new(None);
        let Json::Object(members) = &json else {
            walk.report(
                None,
                Problem::WrongType {
                    expected: JsonKind::Object,
                },
                None,
            );
            return Err(walk.finish(form));
        };
        match members.get("procedure") {
            None => walk.report_at(Some("procedure"), None, Problem::Missing, None),
            Some(Json::String(p)) if *p == form.procedure => {}
            Some(other) => walk.report_at(
                Some("procedure"),
                None,
                Problem::WrongDocument {
                    expected: form.procedure.clone(),
                    found: other.to_string(),
                },
                None,
            ),
        }
        if let Some(s) = members.get("$schema")
            && s.as_str() != Some(form.json_schema_id().as_str())
        {
            walk.report_at(
                Some("$schema"),
                None,
                Problem::WrongDocument {
                    expected: form.json_schema_id(),
                    found: s.to_string(),
                },
                None,
            );
        }
        let fields = walk.group(&form.fields, Node::Json(&json), true);
        walk.into_result(form, fields)
    }
}

/// An XML document as a tree of elements, each with its text. Children are
/// linked (first child, next sibling) and texts borrowed from the document
/// where the reader did not rewrite them, so building it allocates little.
struct XmlTree<'a> {
    nodes: Vec<XmlNode<'a>>,
}

const NO_NODE: usize = usize::MAX;

struct XmlNode<'a> {
    local: &'a str,
    qname: &'a str,
    namespace: String,
    offset: usize,
    first_child: usize,
    last_child: usize,
    next_sibling: usize,
    text: NodeText<'a>,
    /// Attributes other than namespace declarations and `xsi:` locations.
    attributes: Vec<(String, usize)>,
}

/// The character data directly inside an element.
enum NodeText<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl NodeText<'_> {
    fn as_str(&self) -> &str {
        match self {
            NodeText::Borrowed(s) => s,
            NodeText::Owned(s) => s,
        }
    }
}

impl<'a> XmlTree<'a> {
    fn parse(input: &'a [u8]) -> Result<XmlTree<'a>, hoso_xml::Error> {
        let mut reader = Reader::new(input, form_limits())?;
        let document = reader.document();
        let span = document.as_ptr() as usize..document.as_ptr() as usize + document.len();
        let mut nodes: Vec<XmlNode<'a>> = Vec::with_capacity(input.len() / 48 + 8);
        let mut open: Vec<usize> = Vec::new();
        while let Some(event) = reader.next()? {
            match event {
                Event::Start(element) => {
                    let attributes = element
                        .attributes()
                        .filter(|a| {
                            !(a.namespace() == XSI
                                && matches!(
                                    a.local_name(),
                                    "schemaLocation" | "noNamespaceSchemaLocation"
                                ))
                        })
                        .map(|a| (a.qname().to_owned(), a.offset()))
                        .collect();
                    let index = nodes.len();
                    nodes.push(XmlNode {
                        local: element.local_name(),
                        qname: element.qname(),
                        namespace: element.namespace().to_owned(),
                        offset: element.offset(),
                        first_child: NO_NODE,
                        last_child: NO_NODE,
                        next_sibling: NO_NODE,
                        text: NodeText::Borrowed(""),
                        attributes,
                    });
                    if let Some(&parent) = open.last() {
                        let last = nodes[parent].last_child;
                        if last == NO_NODE {
                            nodes[parent].first_child = index;
                        } else {
                            nodes[last].next_sibling = index;
                        }
                        nodes[parent].last_child = index;
                    }
                    open.push(index);
                }
                Event::End(_) => {
                    open.pop();
                }
                Event::Text(text) => {
                    let Some(&current) = open.last() else {
                        continue;
                    };
                    let start = text.as_ptr() as usize;
                    let node = &mut nodes[current];
                    node.text = match &mut node.text {
                        NodeText::Borrowed("") if span.contains(&start) || text.is_empty() => {
                            let from = start.saturating_sub(span.start);
                            NodeText::Borrowed(
                                document.get(from..from + text.len()).unwrap_or_default(),
                            )
                        }
                        NodeText::Borrowed(before) => NodeText::Owned(format!("{before}{text}")),
                        NodeText::Owned(before) => {
                            before.push_str(text);
                            continue;
                        }
                    };
                }
                Event::Comment(_) | Event::Pi { .. } => {}
            }
        }
        Ok(XmlTree { nodes })
    }

    /// The children of a node, in document order.
    fn children(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(
            Some(self.nodes[node].first_child).filter(|&c| c != NO_NODE),
            move |&c| Some(self.nodes[c].next_sibling).filter(|&n| n != NO_NODE),
        )
    }
}

#[derive(Clone, Copy)]
enum Node<'a> {
    Xml(&'a XmlTree<'a>, usize),
    Json(&'a Json),
}

/// What a scalar field was given.
enum Scalar<'a> {
    Xml(&'a str),
    Json(&'a Json),
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// One step of a field path.
#[derive(Clone, Copy)]
enum Step<'d> {
    Name(&'d str),
    Index(usize),
}

/// The walk over a form: the errors found so far and the path of the field
/// being checked, kept as a stack and written out only for an error.
struct Walk<'i, 'd> {
    errors: Vec<FieldError>,
    truncated: bool,
    xml: Option<&'i [u8]>,
    path: Vec<Step<'d>>,
}

impl<'i, 'd> Walk<'i, 'd> {
    fn new(xml: Option<&'i [u8]>) -> Self {
        Walk {
            errors: Vec::new(),
            truncated: false,
            xml,
            path: Vec::new(),
        }
    }

    /// The current path, with `tail` (a name met in the document) appended.
    fn render(&self, tail: Option<&str>) -> String {
        let mut out = String::new();
        let names = self
            .path
            .iter()
            .copied()
            .chain(tail.map(|_| Step::Name("")));
        for step in names {
            match step {
                Step::Name(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(if name.is_empty() {
                        tail.unwrap_or_default()
                    } else {
                        name
                    });
                }
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    fn report_at(
        &mut self,
        tail: Option<&str>,
        label: Option<&Text>,
        problem: Problem,
        offset: Option<usize>,
    ) {
        if self.errors.len() >= MAX_ERRORS {
            self.truncated = true;
            return;
        }
        let position = match (self.xml, offset) {
            (Some(input), Some(offset)) => Some(Position::locate(input, offset)),
            _ => None,
        };
        self.errors.push(FieldError {
            path: self.render(tail),
            label: label.cloned(),
            problem,
            position,
        });
    }

    fn report(&mut self, label: Option<&Text>, problem: Problem, offset: Option<usize>) {
        self.report_at(None, label, problem, offset);
    }

    fn finish(self, form: &FormDefinition) -> Rejection {
        Rejection::Invalid {
            procedure: form.procedure.clone(),
            errors: self.errors,
            truncated: self.truncated,
        }
    }

    fn into_result(self, form: &FormDefinition, fields: Option<Value>) -> Result<Form, Rejection> {
        match fields {
            Some(fields) if self.errors.is_empty() => Ok(Form {
                procedure: form.procedure.clone(),
                fields,
            }),
            _ => Err(self.finish(form)),
        }
    }

    /// Reports the attributes of an XML element; forms have none.
    fn attributes(&mut self, node: Node<'_>) {
        if let Node::Xml(tree, i) = node {
            for (name, offset) in &tree.nodes[i].attributes {
                self.report(
                    None,
                    Problem::Attribute { name: name.clone() },
                    Some(*offset),
                );
            }
        }
    }

    /// Checks the value of a field (or list entry) at the current path.
    fn value(&mut self, label: &'d Text, ty: &'d TypeRef, node: Node<'_>) -> Option<Value> {
        self.attributes(node);
        match &*ty.ty {
            Type::Group(fields) => {
                if self.structured(label, node, JsonKind::Object) {
                    self.group(fields, node, false)
                } else {
                    None
                }
            }
            Type::Choice(options) => {
                if self.structured(label, node, JsonKind::Object) {
                    self.choice(label, options, node)
                } else {
                    None
                }
            }
            Type::List {
                item,
                min_items,
                max_items,
                of,
            } => {
                if !self.structured(label, node, JsonKind::Array) {
                    return None;
                }
                let entries: Vec<Node<'_>> = match node {
                    Node::Json(json) => json.as_array()?.iter().map(Node::Json).collect(),
                    Node::Xml(tree, i) => {
                        let mut entries = Vec::new();
                        for child in tree.children(i) {
                            let c = &tree.nodes[child];
                            if c.namespace.is_empty() && c.local == *item {
                                entries.push(Node::Xml(tree, child));
                            } else {
                                self.report_at(
                                    Some(c.local),
                                    None,
                                    Problem::Unknown {
                                        name: c.qname.to_owned(),
                                    },
                                    Some(c.offset),
                                );
                            }
                        }
                        entries
                    }
                };
                let count = entries.len();
                if count < *min_items as usize {
                    self.report(
                        Some(label),
                        Problem::TooFewItems { min: *min_items },
                        node_offset(node),
                    );
                } else if count > *max_items as usize {
                    self.report(
                        Some(label),
                        Problem::TooManyItems { max: *max_items },
                        node_offset(node),
                    );
                }
                let mut values = Vec::with_capacity(count);
                for (index, node) in entries.into_iter().enumerate() {
                    self.path.push(Step::Index(index));
                    if let Some(v) = self.value(label, of, node) {
                        values.push(v);
                    }
                    self.path.pop();
                }
                (values.len() == count).then_some(Value::List(values))
            }
            scalar => {
                let given = match node {
                    Node::Json(json) => Scalar::Json(json),
                    Node::Xml(tree, i) => {
                        let n = &tree.nodes[i];
                        if n.first_child != NO_NODE {
                            self.report(Some(label), Problem::NotAValue, Some(n.offset));
                            return None;
                        }
                        Scalar::Xml(n.text.as_str())
                    }
                };
                match check_scalar(scalar, given) {
                    Ok(v) => Some(v),
                    Err(problem) => {
                        self.report(Some(label), problem, node_offset(node));
                        None
                    }
                }
            }
        }
    }

    /// Checks that a node can hold nested fields (or entries): in JSON an
    /// object (or array), in XML an element without text of its own.
    fn structured(&mut self, label: &Text, node: Node<'_>, kind: JsonKind) -> bool {
        match node {
            Node::Json(json) => {
                let ok = match kind {
                    JsonKind::Array => json.is_array(),
                    _ => json.is_object(),
                };
                if !ok {
                    self.report(Some(label), Problem::WrongType { expected: kind }, None);
                }
                ok
            }
            Node::Xml(tree, i) => {
                let n = &tree.nodes[i];
                if n.text.as_str().chars().all(is_xml_space) {
                    return true;
                }
                let problem = if n.first_child == NO_NODE {
                    Problem::NotAGroup
                } else {
                    Problem::MixedContent
                };
                self.report(Some(label), problem, Some(n.offset));
                false
            }
        }
    }

    /// The fields of a group: in XML in the definition's order, in JSON in
    /// any order. `document` marks the document element, which may end with
    /// a signature.
    fn group(&mut self, fields: &'d [Field], node: Node<'_>, document: bool) -> Option<Value> {
        let mut slots: Vec<Option<Node<'_>>> = vec![None; fields.len()];
        let mut misplaced = vec![false; fields.len()];
        match node {
            Node::Json(json) => {
                let members = json.as_object()?;
                for (key, value) in members {
                    match fields.iter().position(|f| f.name == *key) {
                        Some(j) => slots[j] = Some(Node::Json(value)),
                        None if document && (key == "procedure" || key == "$schema") => {}
                        None => self.report_at(
                            Some(key),
                            None,
                            Problem::Unknown { name: key.clone() },
                            None,
                        ),
                    }
                }
            }
            Node::Xml(tree, i) => {
                if document {
                    self.attributes(node);
                }
                let last = tree.nodes[i].last_child;
                let mut next = 0;
                for child in tree.children(i) {
                    let c = &tree.nodes[child];
                    if document && child == last && c.namespace == DSIG {
                        continue;
                    }
                    let position = if c.namespace.is_empty() {
                        fields.iter().position(|f| f.name == c.local)
                    } else {
                        None
                    };
                    let problem = match position {
                        None => Problem::Unknown {
                            name: c.qname.to_owned(),
                        },
                        Some(j) if slots[j].is_some() || misplaced[j] => Problem::Duplicate,
                        Some(j) if j < next => {
                            misplaced[j] = true;
                            Problem::OutOfOrder
                        }
                        Some(j) => {
                            slots[j] = Some(Node::Xml(tree, child));
                            next = j + 1;
                            continue;
                        }
                    };
                    let label = position.map(|j| &fields[j].label);
                    self.report_at(Some(c.local), label, problem, Some(c.offset));
                }
            }
        }
        let mut values = Vec::with_capacity(fields.len());
        let mut complete = true;
        for ((field, slot), misplaced) in fields.iter().zip(slots).zip(misplaced) {
            self.path.push(Step::Name(&field.name));
            match slot {
                Some(child) => match self.value(&field.label, &field.ty, child) {
                    Some(v) => values.push((field.name.clone(), v)),
                    None => complete = false,
                },
                None if misplaced => complete = false,
                None if field.optional => {}
                None => {
                    complete = false;
                    self.report(Some(&field.label), Problem::Missing, node_offset(node));
                }
            }
            self.path.pop();
        }
        complete.then_some(Value::Group(values))
    }

    fn choice(&mut self, label: &Text, options: &'d [Field], node: Node<'_>) -> Option<Value> {
        let mut given: Vec<(&'d Field, Node<'_>)> = Vec::new();
        match node {
            Node::Json(json) => {
                for (key, value) in json.as_object()? {
                    match options.iter().find(|f| f.name == *key) {
                        Some(option) => given.push((option, Node::Json(value))),
                        None => self.report_at(
                            Some(key),
                            None,
                            Problem::Unknown { name: key.clone() },
                            None,
                        ),
                    }
                }
            }
            Node::Xml(tree, i) => {
                for child in tree.children(i) {
                    let c = &tree.nodes[child];
                    let option = options
                        .iter()
                        .find(|f| c.namespace.is_empty() && f.name == c.local);
                    match option {
                        Some(option) => given.push((option, Node::Xml(tree, child))),
                        None => self.report_at(
                            Some(c.local),
                            None,
                            Problem::Unknown {
                                name: c.qname.to_owned(),
                            },
                            Some(c.offset),
                        ),
                    }
                }
            }
        }
        match given.as_slice() {
            [] => {
                self.report(
                    Some(label),
                    Problem::NoChoice {
                        options: options.iter().map(|f| f.name.clone()).collect(),
                    },
                    node_offset(node),
                );
                None
            }
            [(option, child)] => {
                self.path.push(Step::Name(&option.name));
                let value = self.value(&option.label, &option.ty, *child);
                self.path.pop();
                Some(Value::Choice(option.name.clone(), Box::new(value?)))
            }
            several => {
                self.report(
                    Some(label),
                    Problem::SeveralChoices {
                        given: several.iter().map(|(f, _)| f.name.clone()).collect(),
                    },
                    node_offset(node),
                );
                None
            }
        }
    }
}

fn node_offset(node: Node<'_>) -> Option<usize> {
    match node {
        Node::Xml(tree, i) => Some(tree.nodes[i].offset),
        Node::Json(_) => None,
    }
}

fn json_number(json: &Json) -> Option<Decimal> {
    match json {
        Json::Number(n) => Decimal::parse_json(&n.to_string()),
        _ => None,
    }
}

/// Checks a single value against its type: the one place both encodings
/// meet, so their errors cannot drift apart.
fn check_scalar(ty: &Type, given: Scalar<'_>) -> Result<Value, Problem> {
    // XSD collapses white space in numbers, dates and booleans, but keeps
    // it in texts and enumeration codes.
    let collapsed = |s: &str| s.trim_matches(is_xml_space).to_owned();
    let string = |expected| match given {
        Scalar::Xml(s) => Ok(s),
        Scalar::Json(Json::String(s)) => Ok(s.as_str()),
        Scalar::Json(_) => Err(Problem::WrongType { expected }),
    };
    match ty {
        Type::Text(rule) => {
            let text = string(JsonKind::String)?;
            let length = text.chars().count();
            if length < rule.min_length as usize {
                return Err(Problem::TooShort {
                    min: rule.min_length,
                });
            }
            if length > rule.max_length as usize {
                return Err(Problem::TooLong {
                    max: rule.max_length,
                });
            }
            if let Some(p) = &rule.compiled
                && !p.matches(text)
            {
                return Err(Problem::Pattern {
                    hint: rule.pattern_hint.clone(),
                });
            }
            Ok(Value::Text(text.to_owned()))
        }
        Type::Enum(values) => {
            let code = string(JsonKind::String)?;
            if values.iter().any(|v| v.code == code) {
                Ok(Value::Enum(code.to_owned()))
            } else {
                Err(Problem::NotInList {
                    allowed: values.iter().map(|v| v.code.clone()).collect(),
                })
            }
        }
        Type::Date => {
            let text = collapsed(string(JsonKind::String)?);
            Date::parse(&text)
                .map(Value::Date)
                .ok_or(Problem::InvalidDate)
        }
        Type::Boolean => match given {
            Scalar::Xml(s) => match collapsed(s).as_str() {
                "true" | "1" => Ok(Value::Boolean(true)),
                "false" | "0" => Ok(Value::Boolean(false)),
                _ => Err(Problem::InvalidBoolean),
            },
            Scalar::Json(Json::Bool(b)) => Ok(Value::Boolean(*b)),
            Scalar::Json(_) => Err(Problem::WrongType {
                expected: JsonKind::Boolean,
            }),
        },
        Type::Integer { min, max, unit } => {
            let value = match given {
                Scalar::Xml(s) => {
                    let text = collapsed(s);
                    let digits = text.strip_prefix(['+', '-']).unwrap_or(&text);
                    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(Problem::InvalidNumber { integer: true });
                    }
                    Decimal::parse_xsd(&text).ok_or(Problem::InvalidNumber { integer: true })?
                }
                Scalar::Json(json) => match json_number(json) {
                    Some(d) if d.is_integer() => d,
                    _ => {
                        return Err(Problem::WrongType {
                            expected: JsonKind::Integer,
                        });
                    }
                },
            };
            let bound = |b: i64| Bound {
                value: b.to_string(),
                exclusive: false,
                unit: unit.clone(),
            };
            if value < Decimal::from_i64(*min) {
                return Err(Problem::BelowMinimum(bound(*min)));
            }
            if value > Decimal::from_i64(*max) {
                return Err(Problem::AboveMaximum(bound(*max)));
            }
            Ok(Value::Integer(value.to_i64().expect("within i64 bounds")))
        }
        Type::Decimal(rule) => {
            let value = match given {
                Scalar::Xml(s) => Decimal::parse_xsd(&collapsed(s))
                    .ok_or(Problem::InvalidNumber { integer: false })?,
                Scalar::Json(json) => json_number(json).ok_or(Problem::WrongType {
                    expected: JsonKind::Number,
                })?,
            };
            let below = match value.cmp(&rule.min) {
                std::cmp::Ordering::Less => true,
                std::cmp::Ordering::Equal => rule.min_exclusive,
                std::cmp::Ordering::Greater => false,
            };
            if below {
                return Err(Problem::BelowMinimum(Bound {
                    value: rule.min.to_string(),
                    exclusive: rule.min_exclusive,
                    unit: rule.unit.clone(),
                }));
            }
            let above = match value.cmp(&rule.max) {
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Equal => rule.max_exclusive,
                std::cmp::Ordering::Less => false,
            };
            if above {
                let bound = Bound {
                    value: rule.max.to_string(),
                    exclusive: rule.max_exclusive,
                    unit: rule.unit.clone(),
                };
                return Err(match &rule.competence {
                    Some(c) => Problem::BeyondCompetence {
                        limit: bound,
                        authority: c.authority.clone(),
                    },
                    None => Problem::AboveMaximum(bound),
                });
            }
            Ok(Value::Decimal(value))
        }
        Type::Group(_) | Type::Choice(_) | Type::List { .. } => {
            unreachable!("structured types are walked, not checked as scalars")
        }
    }
}
