//! Validation of XML and JSON forms through one walk over the definition,
//! so that both encodings give the same errors and the same typed model.

use std::fmt;

use hoso_xml::{Event, Limits, Position, Reader};
use serde_json::Value as Json;

use crate::errors::{Bound, FieldError, JsonKind, MAX_ERRORS, Problem};
use crate::model::{Date, Form, Value};
use crate::{Decimal, Definitions, Field, FormDefinition, Text, Type};

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
                String::new(),
                None,
                Problem::WrongDocument {
                    expected: format!("{{{}}}{}", form.namespace(), form.root),
                    found: format!("{{{}}}{}", root.namespace, root.local),
                },
                Some(root.offset),
            );
            return Err(walk.finish(form));
        }
        let fields = walk.group(&form.fields, Node::Xml(&tree, 0), "", true);
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
                String::new(),
                None,
                Problem::WrongType {
                    expected: JsonKind::Object,
                },
                None,
            );
            return Err(walk.finish(form));
        };
        match members.get("procedure") {
            None => walk.report("procedure".into(), None, Problem::Missing, None),
            Some(Json::String(p)) if *p == form.procedure => {}
            Some(other) => walk.report(
                "procedure".into(),
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
            walk.report(
                "$schema".into(),
                None,
                Problem::WrongDocument {
                    expected: form.json_schema_id(),
                    found: s.to_string(),
                },
                None,
            );
        }
        let fields = walk.group(&form.fields, Node::Json(&json), "", true);
        walk.into_result(form, fields)
    }
}

/// An XML document as a tree of elements, each with its text.
struct XmlTree {
    nodes: Vec<XmlNode>,
}

struct XmlNode {
    local: String,
    qname: String,
    namespace: String,
    offset: usize,
    children: Vec<usize>,
    text: String,
    /// Attributes other than namespace declarations and `xsi:` locations.
    attributes: Vec<(String, usize)>,
}

impl XmlTree {
    fn parse(input: &[u8]) -> Result<XmlTree, hoso_xml::Error> {
        let mut reader = Reader::new(input, form_limits())?;
        let mut nodes: Vec<XmlNode> = Vec::new();
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
                        local: element.local_name().to_owned(),
                        qname: element.qname().to_owned(),
                        namespace: element.namespace().to_owned(),
                        offset: element.offset(),
                        children: Vec::new(),
                        text: String::new(),
                        attributes,
                    });
                    if let Some(&parent) = open.last() {
                        nodes[parent].children.push(index);
                    }
                    open.push(index);
                }
                Event::End(_) => {
                    open.pop();
                }
                Event::Text(text) => {
                    if let Some(&current) = open.last() {
                        nodes[current].text.push_str(text);
                    }
                }
                Event::Comment(_) | Event::Pi { .. } => {}
            }
        }
        Ok(XmlTree { nodes })
    }
}

#[derive(Clone, Copy)]
enum Node<'a> {
    Xml(&'a XmlTree, usize),
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

struct Walk<'i> {
    errors: Vec<FieldError>,
    truncated: bool,
    xml: Option<&'i [u8]>,
}

impl<'i> Walk<'i> {
    fn new(xml: Option<&'i [u8]>) -> Self {
        Walk {
            errors: Vec::new(),
            truncated: false,
            xml,
        }
    }

    fn report(
        &mut self,
        path: String,
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
            path,
            label: label.cloned(),
            problem,
            position,
        });
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
    fn attributes(&mut self, node: Node<'_>, path: &str) {
        if let Node::Xml(tree, i) = node {
            for (name, offset) in &tree.nodes[i].attributes {
                self.report(
                    path.to_owned(),
                    None,
                    Problem::Attribute { name: name.clone() },
                    Some(*offset),
                );
            }
        }
    }

    fn field(&mut self, field: &Field, node: Node<'_>, path: &str) -> Option<Value> {
        self.attributes(node, path);
        match &*field.ty.ty {
            Type::Group(fields) => {
                if self.structured(field, node, path, JsonKind::Object) {
                    self.group(fields, node, path, false)
                } else {
                    None
                }
            }
            Type::Choice(options) => {
                if self.structured(field, node, path, JsonKind::Object) {
                    self.choice(field, options, node, path)
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
                if !self.structured(field, node, path, JsonKind::Array) {
                    return None;
                }
                let entries: Vec<Node<'_>> = match node {
                    Node::Json(json) => json.as_array()?.iter().map(Node::Json).collect(),
                    Node::Xml(tree, i) => {
                        let mut entries = Vec::new();
                        for &child in &tree.nodes[i].children {
                            let c = &tree.nodes[child];
                            if c.namespace.is_empty() && c.local == *item {
                                entries.push(Node::Xml(tree, child));
                            } else {
                                self.report(
                                    format!("{path}.{}", c.local),
                                    None,
                                    Problem::Unknown {
                                        name: c.qname.clone(),
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
                        path.to_owned(),
                        Some(&field.label),
                        Problem::TooFewItems { min: *min_items },
                        node_offset(node),
                    );
                } else if count > *max_items as usize {
                    self.report(
                        path.to_owned(),
                        Some(&field.label),
                        Problem::TooManyItems { max: *max_items },
                        node_offset(node),
                    );
                }
                let entry = Field {
                    name: item.clone(),
                    label: field.label.clone(),
                    help: None,
                    optional: false,
                    ty: of.clone(),
                    example: Vec::new(),
                };
                let mut values = Vec::with_capacity(count);
                for (index, node) in entries.into_iter().enumerate() {
                    if let Some(v) = self.field(&entry, node, &format!("{path}[{index}]")) {
                        values.push(v);
                    }
                }
                (values.len() == count).then_some(Value::List(values))
            }
            scalar => {
                let given = match node {
                    Node::Json(json) => Scalar::Json(json),
                    Node::Xml(tree, i) => {
                        let n = &tree.nodes[i];
                        if !n.children.is_empty() {
                            self.report(
                                path.to_owned(),
                                Some(&field.label),
                                Problem::NotAValue,
                                Some(n.offset),
                            );
                            return None;
                        }
                        Scalar::Xml(&n.text)
                    }
                };
                match check_scalar(scalar, given) {
                    Ok(v) => Some(v),
                    Err(problem) => {
                        self.report(
                            path.to_owned(),
                            Some(&field.label),
                            problem,
                            node_offset(node),
                        );
                        None
                    }
                }
            }
        }
    }

    /// Checks that a node can hold nested fields (or entries): in JSON an
    /// object (or array), in XML an element without text of its own.
    fn structured(&mut self, field: &Field, node: Node<'_>, path: &str, kind: JsonKind) -> bool {
        match node {
            Node::Json(json) => {
                let ok = match kind {
                    JsonKind::Array => json.is_array(),
                    _ => json.is_object(),
                };
                if !ok {
                    self.report(
                        path.to_owned(),
                        Some(&field.label),
                        Problem::WrongType { expected: kind },
                        None,
                    );
                }
                ok
            }
            Node::Xml(tree, i) => {
                let n = &tree.nodes[i];
                if n.text.chars().all(is_xml_space) {
                    return true;
                }
                let problem = if n.children.is_empty() {
                    Problem::NotAGroup
                } else {
                    Problem::MixedContent
                };
                self.report(path.to_owned(), Some(&field.label), problem, Some(n.offset));
                false
            }
        }
    }

    /// The fields of a group: in XML in the definition's order, in JSON in
    /// any order. `document` marks the document element, which may end with
    /// a signature.
    fn group(
        &mut self,
        fields: &[Field],
        node: Node<'_>,
        path: &str,
        document: bool,
    ) -> Option<Value> {
        let join = |name: &str| {
            if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            }
        };
        let mut slots: Vec<Option<Node<'_>>> = vec![None; fields.len()];
        let mut misplaced = vec![false; fields.len()];
        match node {
            Node::Json(json) => {
                let members = json.as_object()?;
                for (key, value) in members {
                    match fields.iter().position(|f| f.name == *key) {
                        Some(j) => slots[j] = Some(Node::Json(value)),
                        None if document && (key == "procedure" || key == "$schema") => {}
                        None => self.report(
                            join(key),
                            None,
                            Problem::Unknown { name: key.clone() },
                            None,
                        ),
                    }
                }
            }
            Node::Xml(tree, i) => {
                if document {
                    self.attributes(node, path);
                }
                let children = &tree.nodes[i].children;
                let mut next = 0;
                for (k, &child) in children.iter().enumerate() {
                    let c = &tree.nodes[child];
                    if document && k + 1 == children.len() && c.namespace == DSIG {
                        continue;
                    }
                    let position = if c.namespace.is_empty() {
                        fields.iter().position(|f| f.name == c.local)
                    } else {
                        None
                    };
                    match position {
                        None => self.report(
                            join(&c.local),
                            None,
                            Problem::Unknown {
                                name: c.qname.clone(),
                            },
                            Some(c.offset),
                        ),
                        Some(j) if slots[j].is_some() || misplaced[j] => self.report(
                            join(&c.local),
                            Some(&fields[j].label),
                            Problem::Duplicate,
                            Some(c.offset),
                        ),
                        Some(j) if j < next => {
                            misplaced[j] = true;
                            self.report(
                                join(&c.local),
                                Some(&fields[j].label),
                                Problem::OutOfOrder,
                                Some(c.offset),
                            );
                        }
                        Some(j) => {
                            slots[j] = Some(Node::Xml(tree, child));
                            next = j + 1;
                        }
                    }
                }
            }
        }
        let mut values = Vec::with_capacity(fields.len());
        let mut complete = true;
        for ((field, slot), misplaced) in fields.iter().zip(slots).zip(misplaced) {
            match slot {
                Some(child) => match self.field(field, child, &join(&field.name)) {
                    Some(v) => values.push((field.name.clone(), v)),
                    None => complete = false,
                },
                None if misplaced => complete = false,
                None if field.optional => {}
                None => {
                    complete = false;
                    self.report(
                        join(&field.name),
                        Some(&field.label),
                        Problem::Missing,
                        node_offset(node),
                    );
                }
            }
        }
        complete.then_some(Value::Group(values))
    }

    fn choice(
        &mut self,
        field: &Field,
        options: &[Field],
        node: Node<'_>,
        path: &str,
    ) -> Option<Value> {
        let mut given: Vec<(&Field, Node<'_>)> = Vec::new();
        match node {
            Node::Json(json) => {
                for (key, value) in json.as_object()? {
                    match options.iter().find(|f| f.name == *key) {
                        Some(option) => given.push((option, Node::Json(value))),
                        None => self.report(
                            format!("{path}.{key}"),
                            None,
                            Problem::Unknown { name: key.clone() },
                            None,
                        ),
                    }
                }
            }
            Node::Xml(tree, i) => {
                for &child in &tree.nodes[i].children {
                    let c = &tree.nodes[child];
                    let option = options
                        .iter()
                        .find(|f| c.namespace.is_empty() && f.name == c.local);
                    match option {
                        Some(option) => given.push((option, Node::Xml(tree, child))),
                        None => self.report(
                            format!("{path}.{}", c.local),
                            None,
                            Problem::Unknown {
                                name: c.qname.clone(),
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
                    path.to_owned(),
                    Some(&field.label),
                    Problem::NoChoice {
                        options: options.iter().map(|f| f.name.clone()).collect(),
                    },
                    node_offset(node),
                );
                None
            }
            [(option, child)] => {
                let value = self.field(option, *child, &format!("{path}.{}", option.name))?;
                Some(Value::Choice(option.name.clone(), Box::new(value)))
            }
            several => {
                self.report(
                    path.to_owned(),
                    Some(&field.label),
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
