//! Binding generators: Rust and TypeScript types for every form, from the
//! same definitions as the schemas.
//!
//! The output is deterministic and already formatted (rustfmt's default
//! style for Rust, two-space indentation for TypeScript), so generated files
//! can be committed and compared.

use std::collections::{BTreeMap, HashSet};

use crate::{Definitions, EnumValue, Field, FormDefinition, Text, Type, TypeRef, TypeScope};

/// A generated file: its path relative to the output directory, and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path with `/` separators.
    pub path: String,
    /// The file's contents.
    pub text: String,
}

/// The languages bindings are generated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Rust: a module tree (`lib.rs`, `common.rs`, one module per form)
    /// with serde types and [`crate::FormType`] implementations.
    Rust,
    /// TypeScript: declarations of the JSON encoding (`common.ts`, one file
    /// per form, `index.ts`) and the forms' JSON Schemas.
    TypeScript,
}

impl Definitions {
    /// Generates bindings for the given forms (all when `procedures` is
    /// empty) and every shared type.
    ///
    /// ```
    /// use hoso_forms::codegen::Language;
    /// let definitions = hoso_forms::Definitions::load()?;
    /// let files = definitions.generate(Language::Rust, &["tnmt-02-khai-thac-nuoc-duoi-dat"])?;
    /// let module = files.iter().find(|f| f.path == "tnmt_02_khai_thac_nuoc_duoi_dat.rs").unwrap();
    /// assert!(module.text.contains("pub struct DonKhaiThacNuocDuoiDat {"));
    /// # Ok::<(), hoso_forms::FormsError>(())
    /// ```
    pub fn generate(
        &self,
        language: Language,
        procedures: &[&str],
    ) -> Result<Vec<GeneratedFile>, crate::FormsError> {
        let mut forms = Vec::new();
        for id in procedures {
            let form = self.get(id).ok_or_else(|| {
                crate::FormsError::invalid("procedure", format!("{id} is not a procedure"))
            })?;
            forms.push(&**form);
        }
        if forms.is_empty() {
            forms = self.forms().iter().map(|f| &**f).collect();
        }
        Ok(match language {
            Language::Rust => rust::generate(self, &forms),
            Language::TypeScript => typescript::generate(self, &forms),
        })
    }
}

/// `tnmt-02-khai` → `tnmt_02_khai`.
pub(crate) fn module_name(procedure: &str) -> String {
    procedure.replace('-', "_")
}

fn pascal(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            upper = true;
            continue;
        }
        if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A type that needs a declaration of its own, with the name chosen for it.
struct Declared<'d> {
    name: String,
    ty: &'d Type,
    /// The documentation: the field's label (or the type's name).
    doc: Option<&'d Text>,
}

/// Names every type a form (or the shared file) declares: named types keep
/// their names; types written in place are named after their field path.
struct Namer<'d> {
    taken: HashSet<String>,
    declared: Vec<Declared<'d>>,
    /// Name of each in-place type, by address of its `Type`.
    names: BTreeMap<usize, String>,
}

impl<'d> Namer<'d> {
    fn new(reserved: impl IntoIterator<Item = String>) -> Self {
        Namer {
            taken: reserved.into_iter().collect(),
            declared: Vec::new(),
            names: BTreeMap::new(),
        }
    }

    fn unique(&mut self, wanted: String) -> String {
        let mut name = wanted.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    /// Walks a type written in place (or a named type's body) and names
    /// every structured type inside it that is written in place.
    fn visit(&mut self, ty: &'d Type, hint: &str) {
        match ty {
            Type::Group(fields) | Type::Choice(fields) => {
                for f in fields {
                    self.field_type(&f.ty, &format!("{hint}{}", pascal(&f.name)), Some(&f.label));
                }
            }
            Type::List { item, of, .. } => {
                self.field_type(of, &format!("{hint}{}", pascal(item)), None);
            }
            _ => {}
        }
    }

    fn field_type(&mut self, ty: &'d TypeRef, hint: &str, doc: Option<&'d Text>) {
        if ty.name.is_some() {
            return;
        }
        match &*ty.ty {
            Type::Group(_) | Type::Choice(_) | Type::Enum(_) => {
                let name = self.unique(hint.to_owned());
                self.names
                    .insert(&*ty.ty as *const Type as usize, name.clone());
                self.declared.push(Declared {
                    name,
                    ty: &ty.ty,
                    doc,
                });
                self.visit(&ty.ty, hint);
            }
            Type::List { .. } => self.visit(&ty.ty, hint),
            _ => {}
        }
    }

    fn name_of(&self, ty: &Type) -> Option<&String> {
        self.names.get(&(ty as *const Type as usize))
    }
}

fn common_names(definitions: &Definitions) -> Vec<String> {
    definitions
        .common_types()
        .iter()
        .map(|(n, _)| n.clone())
        .collect()
}

/// Variant names for enumeration codes: `application/pdf` → `ApplicationPdf`,
/// `3` → `V3`, unique within the enumeration.
fn variant_names(values: &[EnumValue]) -> Vec<String> {
    let mut seen = HashSet::new();
    values
        .iter()
        .map(|v| {
            let mut name = pascal(&v.code);
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                name = format!("V{name}");
            }
            if name == "Self" {
                // A keyword in Rust.
                name.push('_');
            }
            let base = name.clone();
            let mut n = 2;
            while !seen.insert(name.clone()) {
                name = format!("{base}{n}");
                n += 1;
            }
            name
        })
        .collect()
}

mod rust {
    use super::*;

    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
        "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
        "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final",
        "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
    ];

    fn field_ident(name: &str) -> String {
        let s = snake(name);
        if KEYWORDS.contains(&s.as_str()) {
            format!("r#{s}")
        } else {
            s
        }
    }

    fn doc(out: &mut String, indent: &str, label: Option<&Text>, help: Option<&Text>) {
        if let Some(l) = label {
            out.push_str(&format!(
                "{indent}/// {}\n{indent}///\n{indent}/// {}\n",
                l.vi.trim(),
                l.en.trim()
            ));
        }
        if let Some(h) = help {
            out.push_str(&format!(
                "{indent}///\n{indent}/// {}\n{indent}///\n{indent}/// {}\n",
                h.vi.trim(),
                h.en.trim()
            ));
        }
    }

    /// The Rust type of a field's type.
    fn type_expr(ty: &TypeRef, namer: &Namer<'_>, in_common: bool) -> String {
        if let Some((scope, name)) = &ty.name {
            return match (scope, in_common) {
                (TypeScope::Common, false) => format!("crate::common::{name}"),
                _ => name.clone(),
            };
        }
        match &*ty.ty {
            Type::Text(_) => "String".into(),
            Type::Integer { .. } => "i64".into(),
            Type::Decimal(_) => "hoso_forms::Decimal".into(),
            Type::Date => "hoso_forms::Date".into(),
            Type::Boolean => "bool".into(),
            Type::List { of, .. } => format!("Vec<{}>", type_expr(of, namer, in_common)),
            other => namer
                .name_of(other)
                .cloned()
                .unwrap_or_else(|| "UNNAMED".into()),
        }
    }

    fn declare(
        out: &mut String,
        name: &str,
        ty: &Type,
        label: Option<&Text>,
        namer: &Namer<'_>,
        in_common: bool,
    ) {
        out.push('\n');
        match ty {
            Type::Group(fields) => {
                doc(out, "", label, None);
                out.push_str("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n");
                out.push_str("#[serde(deny_unknown_fields)]\n");
                out.push_str(&format!("pub struct {name} {{\n"));
                for f in fields {
                    struct_field(out, f, namer, in_common);
                }
                out.push_str("}\n");
            }
            Type::Choice(options) => {
                doc(out, "", label, None);
                out.push_str("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n");
                out.push_str("#[allow(clippy::large_enum_variant)]\n");
                out.push_str(&format!("pub enum {name} {{\n"));
                for o in options {
                    doc(out, "    ", Some(&o.label), o.help.as_ref());
                    out.push_str(&format!("    #[serde(rename = \"{}\")]\n", o.name));
                    out.push_str(&format!(
                        "    {}({}),\n",
                        pascal(&o.name),
                        type_expr(&o.ty, namer, in_common)
                    ));
                }
                out.push_str("}\n");
            }
            Type::Enum(values) => {
                doc(out, "", label, None);
                let variants = variant_names(values);
                out.push_str(
                    "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]\n",
                );
                out.push_str(&format!("pub enum {name} {{\n"));
                for (v, variant) in values.iter().zip(&variants) {
                    out.push_str(&format!(
                        "    /// {}\n    ///\n    /// {}\n",
                        v.vi.trim(),
                        v.en.trim()
                    ));
                    out.push_str(&format!(
                        "    #[serde(rename = \"{}\")]\n    {variant},\n",
                        v.code
                    ));
                }
                out.push_str("}\n\n");
                out.push_str(&format!("impl {name} {{\n"));
                out.push_str("    /// The code written in the form.\n");
                out.push_str(
                    "    pub const fn code(self) -> &'static str {\n        match self {\n",
                );
                for (v, variant) in values.iter().zip(&variants) {
                    out.push_str(&format!(
                        "            {name}::{variant} => \"{}\",\n",
                        v.code
                    ));
                }
                out.push_str("        }\n    }\n\n");
                out.push_str("    /// The label in `lang`.\n");
                out.push_str(
                    "    pub const fn label(self, lang: hoso_forms::Lang) -> &'static str {\n",
                );
                out.push_str("        match (self, lang) {\n");
                for (v, variant) in values.iter().zip(&variants) {
                    for (lang, label) in [("Vi", &v.vi), ("En", &v.en)] {
                        match_arm(
                            out,
                            &format!("({name}::{variant}, hoso_forms::Lang::{lang})"),
                            &format!("\"{}\"", escape(label)),
                        );
                    }
                }
                out.push_str("        }\n    }\n}\n");
            }
            scalar => {
                doc(out, "", label, None);
                let expr = type_expr(
                    &TypeRef {
                        name: None,
                        ty: std::sync::Arc::new(scalar.clone()),
                    },
                    namer,
                    in_common,
                );
                out.push_str(&format!("pub type {name} = {expr};\n"));
            }
        }
    }

    fn struct_field(out: &mut String, f: &Field, namer: &Namer<'_>, in_common: bool) {
        doc(out, "    ", Some(&f.label), f.help.as_ref());
        let ident = field_ident(&f.name);
        if ident != f.name {
            out.push_str(&format!("    #[serde(rename = \"{}\")]\n", f.name));
        }
        let ty = type_expr(&f.ty, namer, in_common);
        if f.optional {
            out.push_str("    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n");
            out.push_str(&format!("    pub {ident}: Option<{ty}>,\n"));
        } else {
            out.push_str(&format!("    pub {ident}: {ty},\n"));
        }
    }

    fn escape(s: &str) -> String {
        s.replace('\\', "\\\\").replace('"', "\\\"")
    }

    /// A match arm as rustfmt writes it: on one line when it fits in 100
    /// columns, else with the value in a block.
    fn match_arm(out: &mut String, pattern: &str, value: &str) {
        let line = format!("            {pattern} => {value},");
        if line.chars().count() <= 100 {
            out.push_str(&line);
            out.push('\n');
        } else {
            out.push_str(&format!(
                "            {pattern} => {{\n                {value}\n            }}\n"
            ));
        }
    }

    const HEADER: &str =
        "// Generated by `hoso codegen --lang rust` from schemas/forms/; do not edit.\n";

    pub(super) fn generate(
        definitions: &Definitions,
        forms: &[&FormDefinition],
    ) -> Vec<GeneratedFile> {
        let mut files = Vec::new();
        let mut lib = String::from(HEADER);
        lib.push_str(
            "//! Typed forms of the hoso procedures, generated from their definitions.\n//!\n",
        );
        lib.push_str("//! Each module holds one procedure's form type, which implements\n");
        lib.push_str(
            "//! [`hoso_forms::FormType`]: JSON and XML reading and writing, and validation.\n\n",
        );
        lib.push_str("pub use hoso_forms::{BindingError, FormType};\n\n");
        // In rustfmt's order.
        let mut modules: Vec<String> = forms.iter().map(|f| module_name(&f.procedure)).collect();
        modules.push("common".into());
        modules.sort();
        for module in modules {
            lib.push_str(&format!("pub mod {module};\n"));
        }
        lib.push_str(
            "\n/// Invokes `$callback!(path::to::FormType)` once for every form type of\n",
        );
        lib.push_str("/// this crate, for code that handles each form (tests, registries).\n");
        lib.push_str("#[macro_export]\nmacro_rules! for_each_form {\n    ($callback:ident) => {\n");
        for form in forms {
            lib.push_str(&format!(
                "        $callback!($crate::{}::{});\n",
                module_name(&form.procedure),
                form.root
            ));
        }
        lib.push_str("    };\n}\n");
        files.push(GeneratedFile {
            path: "lib.rs".into(),
            text: lib,
        });

        // Shared types.
        let mut namer = Namer::new(common_names(definitions));
        for (name, ty) in definitions.common_types() {
            namer.visit(&ty.ty, name);
        }
        let mut common = String::from(HEADER);
        common.push_str(
            "//! The types shared by every form.\n\nuse serde::{Deserialize, Serialize};\n",
        );
        for (name, ty) in definitions.common_types() {
            declare(&mut common, name, &ty.ty, None, &namer, true);
        }
        for d in &namer.declared {
            declare(&mut common, &d.name, d.ty, d.doc, &namer, true);
        }
        files.push(GeneratedFile {
            path: "common.rs".into(),
            text: common,
        });

        for form in forms {
            files.push(GeneratedFile {
                path: format!("{}.rs", module_name(&form.procedure)),
                text: form_module(definitions, form),
            });
        }
        files
    }

    fn form_module(definitions: &Definitions, form: &FormDefinition) -> String {
        let mut reserved: Vec<String> = form.local_types.iter().map(|(n, _)| n.clone()).collect();
        reserved.push(form.root.clone());
        let _ = definitions;
        let mut namer = Namer::new(reserved);
        for (name, ty) in &form.local_types {
            namer.visit(&ty.ty, name);
        }
        for f in &form.fields {
            namer.field_type(&f.ty, &pascal(&f.name), Some(&f.label));
        }
        let mut out = String::from(HEADER);
        out.push_str(&format!(
            "//! {}\n//!\n//! {}\n//!\n",
            form.title.vi, form.title.en
        ));
        out.push_str(&format!(
            "//! {}\n//!\n//! {}\n\n",
            form.source.vi.trim(),
            form.source.en.trim()
        ));
        out.push_str("use hoso_forms::{FormType, ProcedureTag, SchemaTag};\nuse serde::{Deserialize, Serialize};\n\n");
        out.push_str(&format!(
            "/// The catalog id of the procedure.\npub const PROCEDURE: &str = \"{}\";\n",
            form.procedure
        ));
        out.push_str(&format!(
            "/// The XML namespace of the document element.\npub const NAMESPACE: &str = \"{}\";\n",
            form.namespace()
        ));
        out.push_str(&format!(
            "/// The `$id` of the JSON Schema.\npub const SCHEMA_ID: &str = \"{}\";\n\n",
            form.json_schema_id()
        ));
        let root = &form.root;
        out.push_str(&format!(
            "/// {}\n///\n/// {}\n",
            form.title.vi, form.title.en
        ));
        out.push_str("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n#[serde(deny_unknown_fields)]\n");
        out.push_str(&format!("pub struct {root} {{\n"));
        out.push_str("    /// The JSON Schema this form follows; optional.\n");
        out.push_str("    #[serde(rename = \"$schema\", default, skip_serializing_if = \"Option::is_none\")]\n");
        out.push_str("    pub schema: Option<SchemaTag<Self>>,\n");
        out.push_str("    /// The procedure marker, always [`PROCEDURE`].\n");
        out.push_str("    pub procedure: ProcedureTag<Self>,\n");
        for f in &form.fields {
            struct_field(&mut out, f, &namer, false);
        }
        out.push_str("}\n\n");
        out.push_str(&format!(
            "impl FormType for {root} {{\n    const PROCEDURE: &'static str = PROCEDURE;\n}}\n"
        ));
        for (name, ty) in &form.local_types {
            declare(&mut out, name, &ty.ty, None, &namer, false);
        }
        for d in &namer.declared {
            declare(&mut out, &d.name, d.ty, d.doc, &namer, false);
        }
        out
    }
}

mod typescript {
    use super::*;

    const HEADER: &str =
        "// Generated by `hoso codegen --lang typescript` from schemas/forms/; do not edit.\n";

    fn doc(out: &mut String, indent: &str, label: Option<&Text>, help: Option<&Text>) {
        let mut lines = Vec::new();
        if let Some(l) = label {
            lines.push(l.vi.trim().to_owned());
            lines.push(l.en.trim().to_owned());
        }
        if let Some(h) = help {
            lines.push(h.vi.trim().to_owned());
            lines.push(h.en.trim().to_owned());
        }
        if lines.is_empty() {
            return;
        }
        out.push_str(&format!("{indent}/**\n"));
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                out.push_str(&format!("{indent} *\n"));
            }
            out.push_str(&format!("{indent} * {}\n", line.replace("*/", "* /")));
        }
        out.push_str(&format!("{indent} */\n"));
    }

    fn type_expr(ty: &TypeRef, namer: &Namer<'_>, in_common: bool) -> String {
        if let Some((scope, name)) = &ty.name {
            return match (scope, in_common) {
                (TypeScope::Common, false) => format!("common.{name}"),
                _ => name.clone(),
            };
        }
        match &*ty.ty {
            Type::Text(_) | Type::Date => "string".into(),
            Type::Integer { .. } | Type::Decimal(_) => "number".into(),
            Type::Boolean => "boolean".into(),
            Type::List { of, .. } => {
                let inner = type_expr(of, namer, in_common);
                format!("Array<{inner}>")
            }
            other => namer
                .name_of(other)
                .cloned()
                .unwrap_or_else(|| "never".into()),
        }
    }

    fn declare(
        out: &mut String,
        name: &str,
        ty: &Type,
        label: Option<&Text>,
        namer: &Namer<'_>,
        in_common: bool,
    ) {
        out.push('\n');
        doc(out, "", label, None);
        match ty {
            Type::Group(fields) => {
                out.push_str(&format!("export interface {name} {{\n"));
                for f in fields {
                    doc(out, "  ", Some(&f.label), f.help.as_ref());
                    let optional = if f.optional { "?" } else { "" };
                    out.push_str(&format!(
                        "  {}{optional}: {};\n",
                        f.name,
                        type_expr(&f.ty, namer, in_common)
                    ));
                }
                out.push_str("}\n");
            }
            Type::Choice(options) => {
                // Exactly one member: every other option is `never`.
                out.push_str(&format!("export type {name} =\n"));
                for (i, o) in options.iter().enumerate() {
                    let others: Vec<String> = options
                        .iter()
                        .filter(|x| x.name != o.name)
                        .map(|x| format!("{}?: never", x.name))
                        .collect();
                    let end = if i + 1 == options.len() { ";" } else { "" };
                    out.push_str(&format!(
                        "  | {{ {}: {}; {} }}{end}\n",
                        o.name,
                        type_expr(&o.ty, namer, in_common),
                        others.join("; ")
                    ));
                }
            }
            Type::Enum(values) => {
                out.push_str(&format!("export type {name} =\n"));
                for (i, v) in values.iter().enumerate() {
                    let end = if i + 1 == values.len() { ";" } else { "" };
                    out.push_str(&format!("  | \"{}\"{end}\n", v.code));
                }
                out.push_str(&format!(
                    "\n/** The labels of {name}, in Vietnamese and English. */\n"
                ));
                out.push_str(&format!(
                    "export const {name}Labels: Record<{name}, {{ vi: string; en: string }}> = {{\n"
                ));
                for v in values {
                    out.push_str(&format!(
                        "  \"{}\": {{ vi: {}, en: {} }},\n",
                        v.code,
                        serde_json::to_string(&v.vi).unwrap_or_default(),
                        serde_json::to_string(&v.en).unwrap_or_default()
                    ));
                }
                out.push_str("};\n");
            }
            scalar => {
                let expr = type_expr(
                    &TypeRef {
                        name: None,
                        ty: std::sync::Arc::new(scalar.clone()),
                    },
                    namer,
                    in_common,
                );
                out.push_str(&format!("export type {name} = {expr};\n"));
            }
        }
    }

    /// `tnmt-02-khai-thac` → `tnmt02KhaiThac`, a valid export name.
    fn export_name(procedure: &str) -> String {
        let p = pascal(procedure);
        let mut chars = p.chars();
        match chars.next() {
            Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
            None => p,
        }
    }

    pub(super) fn generate(
        definitions: &Definitions,
        forms: &[&FormDefinition],
    ) -> Vec<GeneratedFile> {
        let mut files = Vec::new();
        let mut namer = Namer::new(common_names(definitions));
        for (name, ty) in definitions.common_types() {
            namer.visit(&ty.ty, name);
        }
        let mut common = String::from(HEADER);
        common.push_str("// The types shared by every form (JSON encoding).\n");
        for (name, ty) in definitions.common_types() {
            declare(&mut common, name, &ty.ty, None, &namer, true);
        }
        for d in &namer.declared {
            declare(&mut common, &d.name, d.ty, d.doc, &namer, true);
        }
        files.push(GeneratedFile {
            path: "src/common.ts".into(),
            text: common,
        });

        let mut index = String::from(HEADER);
        index.push_str("// Every form's types, one namespace per procedure.\n\nexport * as common from \"./common\";\n");
        for form in forms {
            files.push(GeneratedFile {
                path: format!("src/{}.ts", form.procedure),
                text: form_file(form),
            });
            files.push(GeneratedFile {
                path: format!("schemas/{}.schema.json", form.procedure),
                text: definitions.json_schema(form),
            });
            index.push_str(&format!(
                "export * as {} from \"./{}\";\n",
                export_name(&form.procedure),
                form.procedure
            ));
        }
        files.push(GeneratedFile {
            path: "src/index.ts".into(),
            text: index,
        });
        files
    }

    fn form_file(form: &FormDefinition) -> String {
        let mut reserved: Vec<String> = form.local_types.iter().map(|(n, _)| n.clone()).collect();
        reserved.push(form.root.clone());
        reserved.push("Form".into());
        let mut namer = Namer::new(reserved);
        for (name, ty) in &form.local_types {
            namer.visit(&ty.ty, name);
        }
        for f in &form.fields {
            namer.field_type(&f.ty, &pascal(&f.name), Some(&f.label));
        }
        let mut out = String::from(HEADER);
        out.push_str(&format!("// {}\n// {}\n\n", form.title.vi, form.title.en));
        out.push_str("import type * as common from \"./common\";\n\n");
        out.push_str(&format!(
            "/** The catalog id of the procedure. */\nexport const PROCEDURE = \"{}\" as const;\n",
            form.procedure
        ));
        out.push_str(&format!(
            "/** The `$id` of the JSON Schema (`schemas/{}.schema.json`). */\nexport const SCHEMA_ID = \"{}\" as const;\n\n",
            form.procedure,
            form.json_schema_id()
        ));
        out.push_str(&format!(
            "/**\n * {}\n *\n * {}\n */\n",
            form.title.vi, form.title.en
        ));
        out.push_str(&format!("export interface {} {{\n", form.root));
        out.push_str("  $schema?: typeof SCHEMA_ID;\n  procedure: typeof PROCEDURE;\n");
        for f in &form.fields {
            doc(&mut out, "  ", Some(&f.label), f.help.as_ref());
            let optional = if f.optional { "?" } else { "" };
            out.push_str(&format!(
                "  {}{optional}: {};\n",
                f.name,
                type_expr(&f.ty, &namer, false)
            ));
        }
        out.push_str("}\n\n");
        out.push_str(&format!(
            "/** This procedure's form. */\nexport type Form = {};\n",
            form.root
        ));
        for (name, ty) in &form.local_types {
            declare(&mut out, name, &ty.ty, None, &namer, false);
        }
        for d in &namer.declared {
            declare(&mut out, &d.name, d.ty, d.doc, &namer, false);
        }
        out
    }
}
