//! What generated bindings stand on: serde for [`Decimal`] and [`Date`],
//! the [`FormType`] trait with JSON and XML reading and writing and
//! validation, and the conversions between the typed model and an
//! [`Instance`].
//!
//! XML goes through hoso's hardened reader and the validator rather than a
//! second XML parser: a typed form is read from XML by validating it into
//! the model and taking its JSON shape, and written by turning its JSON
//! shape into an instance of the definition.

use std::fmt;
use std::marker::PhantomData;
use std::sync::OnceLock;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value as Json};

use crate::sample::{Instance, JsonScalar};
use crate::{Date, Decimal, Definitions, Form, FormDefinition, FormsError, Rejection, Type, Value};

impl Decimal {
    /// Whether a JSON number (a double) carries this value exactly: its
    /// shortest text reads back as the same decimal.
    fn fits_json_number(&self) -> bool {
        Decimal::from_f64(self.to_f64()).as_ref() == Some(self)
    }
}

impl Serialize for Decimal {
    /// A JSON number: whole values as integers, others as a double. A value
    /// a double cannot carry exactly (more than about 15 significant digits)
    /// is written as a string instead of being rounded: such a value only
    /// travels exactly in XML, and a JSON validator will say so.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.to_i64() {
            Some(n) => serializer.serialize_i64(n),
            None if self.fits_json_number() => serializer.serialize_f64(self.to_f64()),
            None => serializer.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    /// A number, or the string [`Serialize`] writes for a value no double
    /// carries exactly (and only such a string: `"12"` is refused).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Number;
        impl Visitor<'_> for Number {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal::from_i64(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
                Decimal::parse_xsd(&v.to_string()).ok_or_else(|| E::custom("not a decimal"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
                Decimal::from_f64(v).ok_or_else(|| E::custom("not a finite number"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
                match Decimal::parse_xsd(v) {
                    Some(d) if !d.fits_json_number() => Ok(d),
                    _ => Err(E::invalid_type(de::Unexpected::Str(v), &self)),
                }
            }
        }
        deserializer.deserialize_any(Number)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text)
            .ok_or_else(|| de::Error::custom(format!("{text:?} is not a date YYYY-MM-DD")))
    }
}

/// The definitions compiled into this crate, loaded once for bindings.
pub fn definitions() -> Result<&'static Definitions, FormsError> {
    static LOADED: OnceLock<Result<Definitions, FormsError>> = OnceLock::new();
    LOADED
        .get_or_init(Definitions::load)
        .as_ref()
        .map_err(Clone::clone)
}

/// Why a typed form could not be read, written or accepted.
#[derive(Debug)]
#[non_exhaustive]
pub enum BindingError {
    /// The definitions did not load.
    Definitions(FormsError),
    /// The JSON does not fit the type.
    Json(serde_json::Error),
    /// The form was refused by the validator.
    Rejected(Rejection),
}

impl fmt::Display for BindingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BindingError::Definitions(e) => write!(f, "form definitions: {e}"),
            BindingError::Json(e) => write!(f, "JSON: {e}"),
            BindingError::Rejected(r) => {
                write!(f, "{r}")?;
                for e in r.errors() {
                    write!(f, "; {e}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for BindingError {}

/// A generated form type: its procedure, and reading, writing and
/// validating it in both encodings.
pub trait FormType: Serialize + DeserializeOwned {
    /// The catalog id of the procedure.
    const PROCEDURE: &'static str;

    /// The form's definition.
    fn definition() -> Result<&'static FormDefinition, BindingError> {
        let definitions = definitions().map_err(BindingError::Definitions)?;
        definitions
            .get(Self::PROCEDURE)
            .map(|f| &**f)
            .ok_or_else(|| {
                BindingError::Rejected(Rejection::UnknownForm {
                    named: Self::PROCEDURE.into(),
                })
            })
    }

    /// Reads the JSON encoding; see [`FormType::validate`] for the rules
    /// types cannot hold (lengths, patterns, bounds).
    fn from_json(bytes: &[u8]) -> Result<Self, BindingError> {
        serde_json::from_slice(bytes).map_err(BindingError::Json)
    }

    /// Writes the JSON encoding, as the committed examples are written.
    fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("generated form types serialize");
        text.push('\n');
        text
    }

    /// Reads the XML encoding through hoso's reader and validator: only a
    /// valid form becomes a value.
    fn from_xml(bytes: &[u8]) -> Result<Self, BindingError> {
        let definition = Self::definition()?;
        let definitions = definitions().map_err(BindingError::Definitions)?;
        let form = definitions
            .validate_xml(bytes, Some(Self::PROCEDURE))
            .map_err(BindingError::Rejected)?;
        serde_json::from_value(definition.to_json_value(&form)).map_err(BindingError::Json)
    }

    /// Writes the XML encoding (the form's namespace on the document
    /// element, every other element unqualified).
    fn to_xml(&self) -> Result<String, BindingError> {
        let definition = Self::definition()?;
        let json = serde_json::to_value(self).map_err(BindingError::Json)?;
        Ok(definition.instance_from_json(&json).to_xml(definition))
    }

    /// Checks the form against its definition, as `hoso validate` does, and
    /// returns its typed model. It checks the XML encoding, which carries
    /// every decimal exactly.
    fn validate(&self) -> Result<Form, BindingError> {
        let definitions = definitions().map_err(BindingError::Definitions)?;
        let xml = self.to_xml()?;
        definitions
            .validate_xml(xml.as_bytes(), Some(Self::PROCEDURE))
            .map_err(BindingError::Rejected)
    }
}

/// The JSON `procedure` member of a form type: always its procedure id.
pub struct ProcedureTag<F>(PhantomData<F>);

/// The optional JSON `$schema` member of a form type: always its schema id.
pub struct SchemaTag<F>(PhantomData<F>);

macro_rules! tag {
    ($tag:ident, $value:expr) => {
        impl<F> Default for $tag<F> {
            fn default() -> Self {
                $tag(PhantomData)
            }
        }
        impl<F> Clone for $tag<F> {
            fn clone(&self) -> Self {
                $tag(PhantomData)
            }
        }
        impl<F> PartialEq for $tag<F> {
            fn eq(&self, _: &Self) -> bool {
                true
            }
        }
        impl<F: FormType> fmt::Debug for $tag<F> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}", $value)
            }
        }
        impl<F: FormType> Serialize for $tag<F> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&$value)
            }
        }
        impl<'de, F: FormType> Deserialize<'de> for $tag<F> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                if text == $value {
                    Ok($tag(PhantomData))
                } else {
                    Err(de::Error::custom(format!(
                        "expected {:?}, found {text:?}",
                        $value
                    )))
                }
            }
        }
    };
}

tag!(ProcedureTag, F::PROCEDURE);
tag!(SchemaTag, schema_id(F::PROCEDURE));

fn schema_id(procedure: &str) -> String {
    definitions()
        .ok()
        .and_then(|d| d.get(procedure))
        .map(|f| f.json_schema_id())
        .unwrap_or_default()
}

impl FormDefinition {
    /// The JSON shape of a valid form, with `$schema` and `procedure` first.
    pub fn to_json_value(&self, form: &Form) -> Json {
        let mut object = Map::new();
        object.insert("$schema".into(), Json::String(self.json_schema_id()));
        object.insert("procedure".into(), Json::String(self.procedure.clone()));
        if let Json::Object(fields) = value_json(&form.fields) {
            object.extend(fields);
        }
        Json::Object(object)
    }

    /// An instance of this form from its JSON shape, read leniently: values
    /// the definition refuses are kept as text, so that what is written is
    /// what was given.
    pub fn instance_from_json(&self, json: &Json) -> Instance {
        Instance::Group(fields_from_json(&self.fields, json))
    }

    /// The instance of a valid form, to write it in either encoding.
    pub fn instance_of(&self, form: &Form) -> Instance {
        self.instance_from_json(&self.to_json_value(form))
    }
}

fn value_json(value: &Value) -> Json {
    match value {
        Value::Text(s) | Value::Enum(s) => Json::String(s.clone()),
        Value::Integer(n) => Json::from(*n),
        Value::Decimal(d) => serde_json::to_value(d).unwrap_or(Json::Null),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Boolean(b) => Json::Bool(*b),
        Value::Group(fields) => Json::Object(
            fields
                .iter()
                .map(|(n, v)| (n.clone(), value_json(v)))
                .collect(),
        ),
        Value::Choice(option, value) => {
            let mut object = Map::new();
            object.insert(option.clone(), value_json(value));
            Json::Object(object)
        }
        Value::List(items) => Json::Array(items.iter().map(value_json).collect()),
    }
}

fn fields_from_json(fields: &[crate::Field], json: &Json) -> Vec<(String, Instance)> {
    let Some(object) = json.as_object() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for field in fields {
        if let Some(value) = object.get(&field.name) {
            out.push((field.name.clone(), from_json(&field.ty.ty, value)));
        }
    }
    out
}

fn from_json(ty: &Type, json: &Json) -> Instance {
    match ty {
        Type::Group(fields) | Type::Choice(fields) => {
            Instance::Group(fields_from_json(fields, json))
        }
        Type::List { item, of, .. } => Instance::List {
            item: item.clone(),
            entries: json
                .as_array()
                .map(|items| items.iter().map(|v| from_json(&of.ty, v)).collect())
                .unwrap_or_default(),
        },
        scalar => {
            let kind = match scalar {
                Type::Integer { .. } | Type::Decimal(_) => JsonScalar::Number,
                Type::Boolean => JsonScalar::Boolean,
                _ => JsonScalar::String,
            };
            let text = match json {
                Json::String(s) => s.clone(),
                Json::Null => String::new(),
                other => other.to_string(),
            };
            Instance::Scalar { text, json: kind }
        }
    }
}
