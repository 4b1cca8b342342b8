//! Form definitions: the one source, under `schemas/forms/`, from which the
//! validator, the XSD and JSON Schema exports, the examples and the bindings
//! are all derived.
//!
//! A definition file is JSON (the format is described in
//! `schemas/forms/README.md`). Loading resolves every named type (the shared
//! ones in `schemas/forms/common.json` and a form's own), applies the
//! defaults, takes each competence limit from the catalog, and checks the
//! whole tree, so that a mistake in a definition is found when it is loaded
//! rather than when a form happens to reach the broken field.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value as Json;

use crate::decimal::Decimal;
use crate::{Catalog, FormsError, Procedure, Text};

/// The shared types, compiled into the crate.
const COMMON: &str = include_str!("../../../schemas/forms/common.json");

/// Text lengths when a definition gives none: an empty text is not a value,
/// and no field of an administrative form needs more than this.
pub const DEFAULT_MIN_LENGTH: u32 = 1;
/// See [`DEFAULT_MIN_LENGTH`].
pub const DEFAULT_MAX_LENGTH: u32 = 255;

/// How deep named types may nest while being resolved; far beyond any real
/// form, it stops a definition that refers to itself.
const MAX_TYPE_DEPTH: usize = 32;

/// Where a named type is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeScope {
    /// In `schemas/forms/common.json`, shared by every form.
    Common,
    /// In the form's own `types`.
    Local,
}

/// A type with, when it was referred to by name, that name.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRef {
    /// The name and where it lives, or `None` for a type written in place.
    pub name: Option<(TypeScope, String)>,
    /// The resolved type.
    pub ty: Arc<Type>,
}

/// The kinds of value a field holds.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Type {
    /// A text, with lengths counted in characters and an optional pattern
    /// that must match the whole value.
    Text(TextRule),
    /// A whole number within inclusive bounds.
    Integer {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
        /// Unit of the number, for example `persons`.
        unit: Option<String>,
    },
    /// A decimal number within bounds.
    Decimal(DecimalRule),
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// Yes or no.
    Boolean,
    /// One of a closed list of codes.
    Enum(Vec<EnumValue>),
    /// Named fields, in order.
    Group(Vec<Field>),
    /// Exactly one of the fields.
    Choice(Vec<Field>),
    /// A repeated item: in XML a wrapper element holding one `item` element
    /// per entry, in JSON an array.
    List {
        /// The XML element name of one entry.
        item: String,
        /// Fewest entries.
        min_items: u32,
        /// Most entries.
        max_items: u32,
        /// The type of one entry.
        of: TypeRef,
    },
}

impl Type {
    /// Whether values of this type are written as a single text.
    pub fn is_scalar(&self) -> bool {
        !matches!(self, Type::Group(_) | Type::Choice(_) | Type::List { .. })
    }
}

/// The rules of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRule {
    /// Fewest characters.
    pub min_length: u32,
    /// Most characters.
    pub max_length: u32,
    /// A pattern in the subset shared by XSD, ECMA-262 and the `regex`
    /// crates: literals, classes, groups, alternation and counted
    /// repetition. It must match the whole value.
    pub pattern: Option<String>,
    /// What the pattern means, for the error message.
    pub pattern_hint: Option<Text>,
    pub(crate) compiled: Option<crate::pattern::Pattern>,
}

/// The rules of a decimal.
#[derive(Debug, Clone, PartialEq)]
pub struct DecimalRule {
    /// The lower bound.
    pub min: Decimal,
    /// Whether the lower bound itself is refused.
    pub min_exclusive: bool,
    /// The upper bound.
    pub max: Decimal,
    /// Whether the upper bound itself is refused.
    pub max_exclusive: bool,
    /// Unit of the number, for example `m3/day`.
    pub unit: Option<String>,
    /// Set when the upper bound is the limit of the province's competence,
    /// taken from the catalog: a larger value is another authority's
    /// procedure.
    pub competence: Option<Competence>,
}

/// The upper bound of a value the province may decide on.
#[derive(Debug, Clone, PartialEq)]
pub struct Competence {
    /// The catalog limit's quantity, for example `total_flow`.
    pub quantity: String,
    /// Who decides above the limit.
    pub authority: Text,
}

/// One allowed code of an enumeration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The code written in the form.
    pub code: String,
    /// Its label in Vietnamese.
    pub vi: String,
    /// Its label in English.
    pub en: String,
}

/// A field of a group or a choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The XML element name and JSON key (lowerCamelCase ASCII).
    pub name: String,
    /// What the form calls it.
    pub label: Text,
    /// Guidance for the person filling the form.
    pub help: Option<Text>,
    /// Whether the field may be left out.
    pub optional: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Example values, for the generated examples and documentation: one per
    /// entry of a list of texts, cycling.
    pub example: Vec<String>,
}

/// A change to a form's example that makes it invalid, with the error
/// the validator must give for it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidExample {
    /// The field path, as in error reports (`technical.wells[1].depth`).
    pub path: String,
    /// The value written there instead of the example's.
    pub value: String,
    /// The error code expected at `path`.
    pub code: String,
    /// Why this example was chosen.
    pub note: Text,
}

/// One procedure's form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormDefinition {
    /// The catalog id of the procedure.
    pub procedure: String,
    /// The definition's version; part of the namespace.
    pub version: u32,
    /// The local name of the XML document element.
    pub root: String,
    /// The form's title.
    pub title: Text,
    /// Which official form it follows, and how sure that is.
    pub source: Text,
    /// The fields of the document element, in order.
    pub fields: Vec<Field>,
    /// The form's own named types, in the order they are defined.
    pub local_types: Vec<(String, TypeRef)>,
    /// The deliberate mistake of the committed invalid example.
    pub invalid_example: InvalidExample,
}

impl FormDefinition {
    /// The XML namespace of the form's document element.
    pub fn namespace(&self) -> String {
        format!("urn:hoso:form:{}:{}", self.procedure, self.version)
    }

    /// The `$id` of the form's JSON Schema, also accepted as the `$schema`
    /// of an instance.
    pub fn json_schema_id(&self) -> String {
        format!("urn:hoso:form:{}:{}:json", self.procedure, self.version)
    }
}

/// The namespace of the shared XSD.
pub const COMMON_NAMESPACE: &str = "urn:hoso:form:common:1";

/// The shared types and every form definition, loaded and checked.
#[derive(Debug, Clone)]
pub struct Definitions {
    common: Vec<(String, TypeRef)>,
    forms: Vec<Arc<FormDefinition>>,
}

impl Definitions {
    /// The shared types and the 31 definitions compiled into the crate.
    ///
    /// ```
    /// let definitions = hoso_forms::Definitions::load()?;
    /// let form = definitions.get("tnmt-02-khai-thac-nuoc-duoi-dat").unwrap();
    /// assert_eq!(form.namespace(), "urn:hoso:form:tnmt-02-khai-thac-nuoc-duoi-dat:1");
    /// # Ok::<(), hoso_forms::FormsError>(())
    /// ```
    pub fn load() -> Result<Definitions, FormsError> {
        let catalog = Catalog::load()?;
        let sources: Vec<(&str, &str)> = crate::embedded::FORMS.to_vec();
        Definitions::from_sources(&catalog, COMMON, &sources)
    }

    /// Loads definitions from their JSON texts: `common` is the shared
    /// types file, `forms` pairs each form's file name with its text.
    pub fn from_sources(
        catalog: &Catalog,
        common: &str,
        forms: &[(&str, &str)],
    ) -> Result<Definitions, FormsError> {
        let raw_common: RawCommon = parse_json("common.json", common)?;
        let common_raw = Arc::new(raw_common.types);
        let mut resolver = Resolver {
            file: "common.json".to_owned(),
            common: common_raw.clone(),
            local: Arc::new(BTreeMap::new()),
            procedure: None,
            stack: Vec::new(),
        };
        let mut common_types = Vec::new();
        for name in common_raw.keys() {
            check_type_name(name)
                .map_err(|p| FormsError::invalid(format!("common.json: types.{name}"), p))?;
            let ty = resolver.named(TypeScope::Common, name, &format!("types.{name}"))?;
            common_types.push((name.clone(), ty));
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (file, text) in forms {
            let form = load_form(catalog, &common_raw, file, text)?;
            if !seen.insert(form.procedure.clone()) {
                return Err(FormsError::invalid(
                    format!("{file}: procedure"),
                    format!("{} is defined twice", form.procedure),
                ));
            }
            out.push(Arc::new(form));
        }
        out.sort_by_key(|f| catalog.get(&f.procedure).map_or(0, |p| p.number));
        Ok(Definitions {
            common: common_types,
            forms: out,
        })
    }

    /// Every form, in roadmap order.
    pub fn forms(&self) -> &[Arc<FormDefinition>] {
        &self.forms
    }

    /// The form of a procedure, by catalog id.
    pub fn get(&self, procedure: &str) -> Option<&Arc<FormDefinition>> {
        self.forms.iter().find(|f| f.procedure == procedure)
    }

    /// The form whose XML namespace is `namespace`.
    pub fn by_namespace(&self, namespace: &str) -> Option<&Arc<FormDefinition>> {
        self.forms.iter().find(|f| f.namespace() == namespace)
    }

    /// The shared named types, by name.
    pub fn common_types(&self) -> &[(String, TypeRef)] {
        &self.common
    }
}

fn load_form(
    catalog: &Catalog,
    common: &Arc<BTreeMap<String, Json>>,
    file: &str,
    text: &str,
) -> Result<FormDefinition, FormsError> {
    let raw: RawForm = parse_json(file, text)?;
    let at = |field: &str| format!("{file}: {field}");
    let procedure = catalog.get(&raw.procedure).ok_or_else(|| {
        FormsError::invalid(
            at("procedure"),
            format!("{} is not in the catalog", raw.procedure),
        )
    })?;
    if raw.version == 0 {
        return Err(FormsError::invalid(at("version"), "versions start at 1"));
    }
    if !is_element_name(&raw.root) || !raw.root.starts_with(|c: char| c.is_ascii_uppercase()) {
        return Err(FormsError::invalid(
            at("root"),
            format!("{:?} is not an UpperCamelCase ASCII element name", raw.root),
        ));
    }
    check_text(&raw.title, &at("title"))?;
    check_text(&raw.source, &at("source"))?;
    for name in raw.types.keys() {
        check_type_name(name).map_err(|p| FormsError::invalid(at(&format!("types.{name}")), p))?;
        if common.contains_key(name) {
            return Err(FormsError::invalid(
                at(&format!("types.{name}")),
                "a shared type of this name exists; shared types live once",
            ));
        }
    }
    let mut resolver = Resolver {
        file: file.to_owned(),
        common: common.clone(),
        local: Arc::new(raw.types.clone()),
        procedure: Some(procedure.clone()),
        stack: Vec::new(),
    };
    let mut local_types = Vec::new();
    for name in raw.types.keys() {
        let ty = resolver.named(TypeScope::Local, name, &format!("types.{name}"))?;
        local_types.push((name.clone(), ty));
    }
    let fields = resolver.fields(&raw.fields, "fields")?;
    if fields.is_empty() {
        return Err(FormsError::invalid(at("fields"), "a form needs fields"));
    }
    if let Some(reserved) = fields.iter().find(|f| f.name == "procedure") {
        return Err(FormsError::invalid(
            at("fields"),
            format!(
                "{} is reserved for the JSON procedure marker",
                reserved.name
            ),
        ));
    }
    check_text(&raw.invalid_example.note, &at("invalid_example.note"))?;
    Ok(FormDefinition {
        procedure: raw.procedure,
        version: raw.version,
        root: raw.root,
        title: raw.title,
        source: raw.source,
        fields,
        local_types,
        invalid_example: raw.invalid_example,
    })
}

fn parse_json<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, FormsError> {
    serde_json::from_str(text).map_err(|e| FormsError::Json {
        line: e.line(),
        column: e.column(),
        message: format!("{file}: {e}"),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommon {
    types: BTreeMap<String, Json>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForm {
    procedure: String,
    version: u32,
    root: String,
    title: Text,
    source: Text,
    #[serde(default)]
    types: BTreeMap<String, Json>,
    fields: Vec<Json>,
    invalid_example: InvalidExample,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    name: String,
    label: Text,
    #[serde(default)]
    help: Option<Text>,
    #[serde(default)]
    optional: bool,
    #[serde(rename = "type")]
    ty: Json,
    #[serde(default)]
    example: Option<Example>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum Example {
    One(String),
    Many(Vec<String>),
}

impl Example {
    fn into_vec(self) -> Vec<String> {
        match self {
            Example::One(s) => vec![s],
            Example::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum RawType {
    Text {
        #[serde(default)]
        min_length: Option<u32>,
        #[serde(default)]
        max_length: Option<u32>,
        #[serde(default)]
        pattern: Option<String>,
        #[serde(default)]
        pattern_hint: Option<Text>,
        #[serde(default)]
        example: Option<Example>,
    },
    Integer {
        min: i64,
        max: i64,
        #[serde(default)]
        unit: Option<String>,
        #[serde(default)]
        example: Option<Example>,
    },
    Decimal {
        min: String,
        #[serde(default)]
        min_exclusive: bool,
        #[serde(default)]
        max: Option<String>,
        #[serde(default)]
        max_exclusive: bool,
        #[serde(default)]
        unit: Option<String>,
        #[serde(default)]
        competence: Option<RawCompetence>,
        #[serde(default)]
        example: Option<Example>,
    },
    Date {
        #[serde(default)]
        example: Option<Example>,
    },
    Boolean {
        #[serde(default)]
        example: Option<Example>,
    },
    Enum {
        values: Vec<EnumValue>,
    },
    Group {
        fields: Vec<Json>,
    },
    Choice {
        fields: Vec<Json>,
    },
    List {
        item: String,
        min_items: u32,
        max_items: u32,
        of: Json,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompetence {
    quantity: String,
    #[serde(default)]
    applies_to: Option<String>,
    authority: Text,
}

/// Resolves types and fields of one file, with the file name and JSON path
/// in every error.
struct Resolver {
    file: String,
    common: Arc<BTreeMap<String, Json>>,
    local: Arc<BTreeMap<String, Json>>,
    procedure: Option<Procedure>,
    stack: Vec<String>,
}

/// What a named type carries besides its structure: the example written on
/// the type, which fields inherit.
type Resolved = (TypeRef, Vec<String>);

impl Resolver {
    fn err(&self, at: &str, problem: impl Into<String>) -> FormsError {
        FormsError::invalid(format!("{}: {at}", self.file), problem)
    }

    fn named(&mut self, scope: TypeScope, name: &str, at: &str) -> Result<TypeRef, FormsError> {
        Ok(self.named_with_example(scope, name, at)?.0)
    }

    fn named_with_example(
        &mut self,
        scope: TypeScope,
        name: &str,
        at: &str,
    ) -> Result<Resolved, FormsError> {
        if self.stack.iter().any(|n| n == name) {
            return Err(self.err(at, format!("type {name} refers to itself")));
        }
        if self.stack.len() >= MAX_TYPE_DEPTH {
            return Err(self.err(at, format!("types nest deeper than {MAX_TYPE_DEPTH}")));
        }
        let table = match scope {
            TypeScope::Common => self.common.clone(),
            TypeScope::Local => self.local.clone(),
        };
        let json = table
            .get(name)
            .ok_or_else(|| self.err(at, format!("no type named {name}")))?;
        self.stack.push(name.to_owned());
        let result = self.inline(json, &format!("types.{name}"));
        self.stack.pop();
        let (ty, example) = result?;
        Ok((
            TypeRef {
                name: Some((scope, name.to_owned())),
                ty: ty.ty,
            },
            example,
        ))
    }

    /// A field's `type`: a built-in kind's name, a named type, or an
    /// object.
    fn type_ref(&mut self, json: &Json, at: &str) -> Result<Resolved, FormsError> {
        match json {
            Json::String(name) => match name.as_str() {
                "text" | "date" | "boolean" => {
                    let object = serde_json::json!({ "kind": name });
                    self.inline(&object, at)
                }
                _ if self.local.contains_key(name) => {
                    self.named_with_example(TypeScope::Local, name, at)
                }
                _ if self.common.contains_key(name) => {
                    self.named_with_example(TypeScope::Common, name, at)
                }
                _ => Err(self.err(at, format!("no type named {name}"))),
            },
            Json::Object(_) => self.inline(json, at),
            _ => Err(self.err(at, "a type is a name or an object")),
        }
    }

    fn inline(&mut self, json: &Json, at: &str) -> Result<Resolved, FormsError> {
        let raw: RawType =
            serde_json::from_value(json.clone()).map_err(|e| self.err(at, e.to_string()))?;
        let (ty, example) = match raw {
            RawType::Text {
                min_length,
                max_length,
                pattern,
                pattern_hint,
                example,
            } => {
                let min_length = min_length.unwrap_or(DEFAULT_MIN_LENGTH);
                let max_length = max_length.unwrap_or(DEFAULT_MAX_LENGTH);
                if min_length > max_length || max_length == 0 {
                    return Err(self.err(at, "min_length exceeds max_length"));
                }
                if let Some(p) = &pattern {
                    crate::pattern::check_portable(p).map_err(|why| self.err(at, why))?;
                    if pattern_hint.is_none() {
                        return Err(self.err(at, "a pattern needs a pattern_hint"));
                    }
                }
                if let Some(h) = &pattern_hint {
                    check_text(h, &format!("{}: {at}.pattern_hint", self.file))?;
                }
                (
                    Type::Text(TextRule {
                        min_length,
                        max_length,
                        compiled: pattern.as_deref().map(crate::pattern::Pattern::new),
                        pattern,
                        pattern_hint,
                    }),
                    example,
                )
            }
            RawType::Integer {
                min,
                max,
                unit,
                example,
            } => {
                if min > max {
                    return Err(self.err(at, "min exceeds max"));
                }
                (Type::Integer { min, max, unit }, example)
            }
            RawType::Decimal {
                min,
                min_exclusive,
                max,
                max_exclusive,
                unit,
                competence,
                example,
            } => {
                let rule = self.decimal(
                    at,
                    &min,
                    min_exclusive,
                    max,
                    max_exclusive,
                    unit,
                    competence,
                )?;
                (Type::Decimal(rule), example)
            }
            RawType::Date { example } => (Type::Date, example),
            RawType::Boolean { example } => (Type::Boolean, example),
            RawType::Enum { values } => {
                if values.is_empty() {
                    return Err(self.err(at, "an enumeration needs values"));
                }
                let mut codes = HashSet::new();
                for v in &values {
                    if v.code.is_empty()
                        || !v
                            .code
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "-_./+".contains(c))
                    {
                        return Err(self.err(at, format!("{:?} is not an ASCII code", v.code)));
                    }
                    if !codes.insert(v.code.as_str()) {
                        return Err(self.err(at, format!("code {} appears twice", v.code)));
                    }
                    if v.vi.trim().is_empty() || v.en.trim().is_empty() {
                        return Err(self.err(at, format!("code {} needs both labels", v.code)));
                    }
                }
                (Type::Enum(values), None)
            }
            RawType::Group { fields } => {
                let fields = self.fields(&fields, &format!("{at}.fields"))?;
                if fields.is_empty() {
                    return Err(self.err(at, "a group needs fields"));
                }
                (Type::Group(fields), None)
            }
            RawType::Choice { fields } => {
                let fields = self.fields(&fields, &format!("{at}.fields"))?;
                if fields.len() < 2 {
                    return Err(self.err(at, "a choice needs two fields or more"));
                }
                if fields.iter().any(|f| f.optional) {
                    return Err(self.err(at, "the fields of a choice cannot be optional"));
                }
                (Type::Choice(fields), None)
            }
            RawType::List {
                item,
                min_items,
                max_items,
                of,
            } => {
                if !is_element_name(&item) {
                    return Err(self.err(at, format!("{item:?} is not a lowerCamelCase name")));
                }
                if min_items > max_items || max_items == 0 {
                    return Err(self.err(at, "min_items exceeds max_items"));
                }
                let (of, example) = self.type_ref(&of, &format!("{at}.of"))?;
                if matches!(*of.ty, Type::List { .. }) {
                    return Err(
                        self.err(at, "a list of lists has no XML shape; wrap it in a group")
                    );
                }
                (
                    Type::List {
                        item,
                        min_items,
                        max_items,
                        of,
                    },
                    Some(Example::Many(example)),
                )
            }
        };
        Ok((
            TypeRef {
                name: None,
                ty: Arc::new(ty),
            },
            example.map(Example::into_vec).unwrap_or_default(),
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn decimal(
        &self,
        at: &str,
        min: &str,
        min_exclusive: bool,
        max: Option<String>,
        max_exclusive: bool,
        unit: Option<String>,
        competence: Option<RawCompetence>,
    ) -> Result<DecimalRule, FormsError> {
        let parse = |s: &str, which: &str| {
            Decimal::parse_xsd(s)
                .ok_or_else(|| self.err(at, format!("{which} {s:?} is not a decimal")))
        };
        let min = parse(min, "min")?;
        let (max, max_exclusive, competence) = match (max, competence) {
            (Some(max), None) => (parse(&max, "max")?, max_exclusive, None),
            (None, Some(c)) => {
                let procedure = self.procedure.as_ref().ok_or_else(|| {
                    self.err(
                        at,
                        "a competence limit belongs to a form, not a shared type",
                    )
                })?;
                let limit = procedure
                    .limits
                    .iter()
                    .find(|l| l.quantity == c.quantity && l.applies_to == c.applies_to)
                    .ok_or_else(|| {
                        self.err(
                            at,
                            format!(
                                "the catalog has no limit {} ({:?}) for {}",
                                c.quantity, c.applies_to, procedure.id
                            ),
                        )
                    })?;
                let bound = limit.max_exclusive.ok_or_else(|| {
                    self.err(
                        at,
                        format!("the catalog limit {} has no maximum", c.quantity),
                    )
                })?;
                if unit.as_deref() != Some(limit.unit.as_str()) {
                    return Err(
                        self.err(at, format!("the unit must be the catalog's {}", limit.unit))
                    );
                }
                check_text(
                    &c.authority,
                    &format!("{}: {at}.competence.authority", self.file),
                )?;
                let bound = Decimal::from_f64(bound)
                    .ok_or_else(|| self.err(at, "the catalog bound is not finite"))?;
                (
                    bound,
                    true,
                    Some(Competence {
                        quantity: c.quantity,
                        authority: c.authority,
                    }),
                )
            }
            (Some(_), Some(_)) => {
                return Err(self.err(
                    at,
                    "a competence limit takes its maximum from the catalog; give no max",
                ));
            }
            (None, None) => return Err(self.err(at, "a decimal needs a max or a competence limit")),
        };
        let empty = match min.cmp(&max) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal => min_exclusive || max_exclusive,
            std::cmp::Ordering::Less => false,
        };
        if empty {
            return Err(self.err(at, "no value lies between min and max"));
        }
        Ok(DecimalRule {
            min,
            min_exclusive,
            max,
            max_exclusive,
            unit,
            competence,
        })
    }

    fn fields(&mut self, raw: &[Json], at: &str) -> Result<Vec<Field>, FormsError> {
        let mut out: Vec<Field> = Vec::with_capacity(raw.len());
        for (i, json) in raw.iter().enumerate() {
            let here = format!("{at}[{i}]");
            let raw: RawField =
                serde_json::from_value(json.clone()).map_err(|e| self.err(&here, e.to_string()))?;
            if !is_element_name(&raw.name)
                || !raw.name.starts_with(|c: char| c.is_ascii_lowercase())
            {
                return Err(self.err(
                    &here,
                    format!("{:?} is not a lowerCamelCase ASCII name", raw.name),
                ));
            }
            if out.iter().any(|f| f.name == raw.name) {
                return Err(self.err(&here, format!("{} appears twice", raw.name)));
            }
            let here = format!("{at}.{}", raw.name);
            check_text(&raw.label, &format!("{}: {here}.label", self.file))?;
            if let Some(help) = &raw.help {
                check_text(help, &format!("{}: {here}.help", self.file))?;
            }
            let (ty, type_example) = self.type_ref(&raw.ty, &format!("{here}.type"))?;
            let example = match raw.example {
                Some(e) => e.into_vec(),
                None => type_example,
            };
            out.push(Field {
                name: raw.name,
                label: raw.label,
                help: raw.help,
                optional: raw.optional,
                ty,
                example,
            });
        }
        Ok(out)
    }
}

fn check_text(text: &Text, at: &str) -> Result<(), FormsError> {
    if text.vi.trim().is_empty() || text.en.trim().is_empty() {
        return Err(FormsError::invalid(
            at,
            "needs both a Vietnamese and an English text",
        ));
    }
    Ok(())
}

fn check_type_name(name: &str) -> Result<(), String> {
    if is_element_name(name) && name.starts_with(|c: char| c.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!("{name:?} is not an UpperCamelCase ASCII type name"))
    }
}

/// ASCII letters and digits, starting with a letter: valid as an XML name,
/// a JSON key, a Rust and a TypeScript identifier alike.
fn is_element_name(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}
