//! Example instances built from a definition's example values, written as
//! XML or JSON: the committed examples, the documentation and the test
//! corpora all start from them.

use serde_json::{Map, Value as Json};

use crate::{Decimal, Field, FormDefinition, Type};

/// How a scalar is written in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonScalar {
    /// A string.
    String,
    /// A number, when the text is one; otherwise a string.
    Number,
    /// `true`/`false`, when the text is one; otherwise a string.
    Boolean,
}

/// A form instance before it is written in one encoding. Texts are kept as
/// written, so an instance can also hold values a definition refuses.
#[derive(Debug, Clone, PartialEq)]
pub enum Instance {
    /// A single value.
    Scalar {
        /// The text as written in XML.
        text: String,
        /// How JSON writes it.
        json: JsonScalar,
    },
    /// Named members, in order (a choice is a group with one member).
    Group(Vec<(String, Instance)>),
    /// Entries of a list.
    List {
        /// The XML element of one entry.
        item: String,
        /// The entries.
        entries: Vec<Instance>,
    },
}

/// Which optional parts an example includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Required fields, plus optional values that carry an example: what a
    /// typical applicant sends.
    Typical,
    /// Every optional field, and the last option of every choice.
    Everything,
}

impl FormDefinition {
    /// The typical example of this form.
    ///
    /// ```
    /// let definitions = hoso_forms::Definitions::load()?;
    /// let form = definitions.get("tnmt-02-khai-thac-nuoc-duoi-dat").unwrap();
    /// let example = form.example();
    /// assert!(example.to_xml(form).contains("<totalFlow>1130.5</totalFlow>"));
    /// assert!(example.to_json(form).contains("\"totalFlow\": 1130.5"));
    /// # Ok::<(), hoso_forms::FormsError>(())
    /// ```
    pub fn example(&self) -> Instance {
        self.example_with(Coverage::Typical)
    }

    /// An example with the given coverage of optional parts.
    pub fn example_with(&self, coverage: Coverage) -> Instance {
        Instance::Group(group(&self.fields, coverage, 0))
    }
}

fn group(fields: &[Field], coverage: Coverage, entry: usize) -> Vec<(String, Instance)> {
    fields
        .iter()
        .filter_map(|f| field(f, coverage, entry).map(|i| (f.name.clone(), i)))
        .collect()
}

fn field(field: &Field, coverage: Coverage, entry: usize) -> Option<Instance> {
    if field.optional
        && coverage == Coverage::Typical
        && (field.example.is_empty() || !field.ty.ty.is_scalar())
    {
        return None;
    }
    Some(value(&field.ty.ty, &field.example, coverage, entry))
}

fn value(ty: &Type, example: &[String], coverage: Coverage, entry: usize) -> Instance {
    let pick = || example.get(entry % example.len().max(1)).cloned();
    let scalar = |text: String, json| Instance::Scalar { text, json };
    match ty {
        Type::Text(rule) => scalar(
            pick().unwrap_or_else(|| "x".repeat(rule.min_length as usize)),
            JsonScalar::String,
        ),
        Type::Enum(values) => scalar(
            pick().unwrap_or_else(|| values[0].code.clone()),
            JsonScalar::String,
        ),
        Type::Date => scalar(
            pick().unwrap_or_else(|| "2025-01-01".into()),
            JsonScalar::String,
        ),
        Type::Boolean => scalar(pick().unwrap_or_else(|| "true".into()), JsonScalar::Boolean),
        Type::Integer { min, .. } => scalar(
            pick().unwrap_or_else(|| min.to_string()),
            JsonScalar::Number,
        ),
        // Written in canonical form, as a typed value writes it back.
        Type::Decimal(rule) => scalar(
            pick()
                .map(|t| Decimal::parse_xsd(&t).map_or(t, |d| d.to_string()))
                .unwrap_or_else(|| rule.max.to_string()),
            JsonScalar::Number,
        ),
        Type::Group(fields) => Instance::Group(group(fields, coverage, entry)),
        Type::Choice(options) => {
            let named = example
                .first()
                .and_then(|name| options.iter().find(|o| o.name == *name));
            let option = match coverage {
                Coverage::Typical => named.unwrap_or(&options[0]),
                Coverage::Everything => options.last().expect("a choice has options"),
            };
            Instance::Group(vec![(
                option.name.clone(),
                value(&option.ty.ty, &option.example, coverage, entry),
            )])
        }
        Type::List {
            item,
            min_items,
            max_items,
            of,
        } => {
            let count = (*min_items).max(2).min(*max_items) as usize;
            Instance::List {
                item: item.clone(),
                entries: (0..count)
                    .map(|i| value(&of.ty, example, coverage, i))
                    .collect(),
            }
        }
    }
}

impl Instance {
    /// Writes the instance as the form's XML document.
    pub fn to_xml(&self, form: &FormDefinition) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&format!(
            "<f:{} xmlns:f=\"{}\">",
            form.root,
            form.namespace()
        ));
        if let Instance::Group(members) = self {
            for (name, member) in members {
                member.write_xml(name, 1, &mut out);
            }
        }
        out.push_str(&format!("\n</f:{}>\n", form.root));
        out
    }

    fn write_xml(&self, name: &str, depth: usize, out: &mut String) {
        let indent = "  ".repeat(depth);
        match self {
            Instance::Scalar { text, .. } => {
                out.push_str(&format!("\n{indent}<{name}>"));
                escape_into(text, out);
                out.push_str(&format!("</{name}>"));
            }
            Instance::Group(members) => {
                out.push_str(&format!("\n{indent}<{name}>"));
                for (child, member) in members {
                    member.write_xml(child, depth + 1, out);
                }
                out.push_str(&format!("\n{indent}</{name}>"));
            }
            Instance::List { item, entries } => {
                out.push_str(&format!("\n{indent}<{name}>"));
                for entry in entries {
                    entry.write_xml(item, depth + 1, out);
                }
                out.push_str(&format!("\n{indent}</{name}>"));
            }
        }
    }

    /// Writes the instance as the form's JSON document, with its
    /// `$schema` and `procedure` first.
    pub fn to_json(&self, form: &FormDefinition) -> String {
        let mut object = Map::new();
        object.insert("$schema".into(), Json::String(form.json_schema_id()));
        object.insert("procedure".into(), Json::String(form.procedure.clone()));
        if let Json::Object(members) = self.to_json_value() {
            object.extend(members);
        }
        let mut text =
            serde_json::to_string_pretty(&Json::Object(object)).expect("JSON values serialize");
        text.push('\n');
        text
    }

    fn to_json_value(&self) -> Json {
        match self {
            Instance::Scalar { text, json } => {
                let parsed = match json {
                    JsonScalar::String => None,
                    JsonScalar::Number => serde_json::from_str::<Json>(text)
                        .ok()
                        .filter(Json::is_number),
                    JsonScalar::Boolean => serde_json::from_str::<Json>(text)
                        .ok()
                        .filter(Json::is_boolean),
                };
                parsed.unwrap_or_else(|| Json::String(text.clone()))
            }
            Instance::Group(members) => Json::Object(
                members
                    .iter()
                    .map(|(name, member)| (name.clone(), member.to_json_value()))
                    .collect(),
            ),
            Instance::List { entries, .. } => {
                Json::Array(entries.iter().map(Instance::to_json_value).collect())
            }
        }
    }

    /// The member at a field path (`extraction.wells[1].depth`).
    pub fn get_mut(&mut self, path: &str) -> Option<&mut Instance> {
        let mut here = self;
        for step in path.split('.') {
            let (name, indexes) = match step.find('[') {
                Some(i) => (&step[..i], &step[i..]),
                None => (step, ""),
            };
            if !name.is_empty() {
                here = match here {
                    Instance::Group(members) => &mut members.iter_mut().find(|(n, _)| n == name)?.1,
                    _ => return None,
                };
            }
            for index in indexes.split_terminator(']') {
                let i: usize = index.strip_prefix('[')?.parse().ok()?;
                here = match here {
                    Instance::List { entries, .. } => entries.get_mut(i)?,
                    _ => return None,
                };
            }
        }
        Some(here)
    }

    /// Replaces the text of the scalar at `path`; false when there is none.
    pub fn set_text(&mut self, path: &str, value: &str) -> bool {
        match self.get_mut(path) {
            Some(Instance::Scalar { text, .. }) => {
                *text = value.to_owned();
                true
            }
            _ => false,
        }
    }

    /// Removes the member at `path` (a group member or a list entry); false
    /// when there is none.
    pub fn remove(&mut self, path: &str) -> bool {
        let (parent, last) = match path.rfind(['.', '[']) {
            Some(i) => (&path[..i], &path[i..]),
            None => ("", path),
        };
        let container = if parent.is_empty() {
            Some(self)
        } else {
            self.get_mut(parent)
        };
        match (container, last.strip_prefix('[')) {
            (Some(Instance::List { entries, .. }), Some(index)) => {
                match index.trim_end_matches(']').parse::<usize>() {
                    Ok(i) if i < entries.len() => {
                        entries.remove(i);
                        true
                    }
                    _ => false,
                }
            }
            (Some(Instance::Group(members)), None) => {
                let name = last.trim_start_matches('.');
                let before = members.len();
                members.retain(|(n, _)| n != name);
                members.len() != before
            }
            _ => false,
        }
    }
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
}
