//! JSON Schema (draft 2020-12) export: one self-contained schema per form,
//! with the named types it uses under `$defs`.

use serde_json::{Map, Number, Value as Json, json};

use crate::pattern::anchored;
use crate::{Decimal, Definitions, Field, FormDefinition, Type, TypeRef};

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
/// The date pattern that narrows `format: date`, so that validators which
/// treat formats as annotations still refuse what is not `YYYY-MM-DD`.
const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

impl Definitions {
    /// The JSON Schema of one form, as pretty-printed text.
    ///
    /// ```
    /// let definitions = hoso_forms::Definitions::load()?;
    /// let form = definitions.get("tnmt-02-khai-thac-nuoc-duoi-dat").unwrap();
    /// let schema: serde_json::Value = serde_json::from_str(&definitions.json_schema(form)).unwrap();
    /// assert_eq!(schema["properties"]["procedure"]["const"], "tnmt-02-khai-thac-nuoc-duoi-dat");
    /// # Ok::<(), hoso_forms::FormsError>(())
    /// ```
    pub fn json_schema(&self, form: &FormDefinition) -> String {
        let mut defs = Map::new();
        let mut properties = Map::new();
        properties.insert(
            "$schema".into(),
            json!({ "const": form.json_schema_id(), "description": "The $id of this schema." }),
        );
        properties.insert(
            "procedure".into(),
            json!({ "const": form.procedure, "description": "The catalog id of the procedure." }),
        );
        let mut required = vec![Json::String("procedure".into())];
        for field in &form.fields {
            properties.insert(field.name.clone(), property(field, &mut defs));
            if !field.optional {
                required.push(Json::String(field.name.clone()));
            }
        }
        let mut schema = Map::new();
        schema.insert("$schema".into(), json!(DRAFT));
        schema.insert("$id".into(), json!(form.json_schema_id()));
        schema.insert("title".into(), json!(form.title.vi));
        schema.insert("description".into(), json!(form.title.en));
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Json::Object(properties));
        schema.insert("required".into(), Json::Array(required));
        schema.insert("additionalProperties".into(), json!(false));
        if !defs.is_empty() {
            defs.sort_keys();
            schema.insert("$defs".into(), Json::Object(defs));
        }
        let mut text =
            serde_json::to_string_pretty(&Json::Object(schema)).expect("JSON values serialize");
        text.push('\n');
        text
    }
}

fn property(field: &Field, defs: &mut Map<String, Json>) -> Json {
    let mut schema = match type_schema(&field.ty, defs) {
        Json::Object(map) => map,
        _ => unreachable!("schemas are objects"),
    };
    schema.insert("title".into(), json!(field.label.vi));
    schema.insert("description".into(), json!(field.label.en));
    if let Some(help) = &field.help {
        schema.insert("x-help".into(), json!({ "vi": help.vi, "en": help.en }));
    }
    Json::Object(schema)
}

/// A reference for named types (adding the definition once), the schema
/// itself otherwise.
fn type_schema(ty: &TypeRef, defs: &mut Map<String, Json>) -> Json {
    match &ty.name {
        Some((_, name)) => {
            if !defs.contains_key(name) {
                // Reserve the name first: a type's body may refer to others.
                defs.insert(name.clone(), Json::Null);
                let body = body(&ty.ty, defs);
                defs.insert(name.clone(), body);
            }
            json!({ "$ref": format!("#/$defs/{name}") })
        }
        None => body(&ty.ty, defs),
    }
}

fn number(d: &Decimal) -> Json {
    let text = d.to_string();
    match serde_json::from_str::<Number>(&text) {
        Ok(n) => Json::Number(n),
        Err(_) => Json::String(text),
    }
}

fn body(ty: &Type, defs: &mut Map<String, Json>) -> Json {
    match ty {
        Type::Text(rule) => {
            let mut s = json!({
                "type": "string",
                "minLength": rule.min_length,
                "maxLength": rule.max_length,
            });
            if let Some(p) = &rule.pattern {
                s["pattern"] = json!(anchored(p));
            }
            s
        }
        Type::Integer { min, max, unit } => {
            let mut s = json!({ "type": "integer", "minimum": min, "maximum": max });
            if let Some(u) = unit {
                s["x-unit"] = json!(u);
            }
            s
        }
        Type::Decimal(rule) => {
            let mut s = Map::new();
            s.insert("type".into(), json!("number"));
            let lower = if rule.min_exclusive {
                "exclusiveMinimum"
            } else {
                "minimum"
            };
            let upper = if rule.max_exclusive {
                "exclusiveMaximum"
            } else {
                "maximum"
            };
            s.insert(lower.into(), number(&rule.min));
            s.insert(upper.into(), number(&rule.max));
            if let Some(u) = &rule.unit {
                s.insert("x-unit".into(), json!(u));
            }
            if let Some(c) = &rule.competence {
                s.insert(
                    "x-competence".into(),
                    json!({ "quantity": c.quantity, "authority": { "vi": c.authority.vi, "en": c.authority.en } }),
                );
            }
            Json::Object(s)
        }
        Type::Date => json!({ "type": "string", "format": "date", "pattern": DATE_PATTERN }),
        Type::Boolean => json!({ "type": "boolean" }),
        Type::Enum(values) => {
            let labels: Map<String, Json> = values
                .iter()
                .map(|v| (v.code.clone(), json!({ "vi": v.vi, "en": v.en })))
                .collect();
            json!({
                "type": "string",
                "enum": values.iter().map(|v| v.code.clone()).collect::<Vec<_>>(),
                "x-labels": labels,
            })
        }
        Type::Group(fields) => {
            let mut properties = Map::new();
            let mut required = Vec::new();
            for f in fields {
                properties.insert(f.name.clone(), property(f, defs));
                if !f.optional {
                    required.push(json!(f.name));
                }
            }
            let mut s = Map::new();
            s.insert("type".into(), json!("object"));
            s.insert("properties".into(), Json::Object(properties));
            if !required.is_empty() {
                s.insert("required".into(), Json::Array(required));
            }
            s.insert("additionalProperties".into(), json!(false));
            Json::Object(s)
        }
        Type::Choice(options) => {
            let properties: Map<String, Json> = options
                .iter()
                .map(|f| (f.name.clone(), property(f, defs)))
                .collect();
            json!({
                "type": "object",
                "properties": properties,
                "additionalProperties": false,
                "minProperties": 1,
                "maxProperties": 1,
            })
        }
        Type::List {
            min_items,
            max_items,
            of,
            ..
        } => json!({
            "type": "array",
            "items": type_schema(of, defs),
            "minItems": min_items,
            "maxItems": max_items,
        }),
    }
}
