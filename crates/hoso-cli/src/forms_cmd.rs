//! `hoso schema` and `hoso validate`: the exported schemas of a form, and
//! the validation of an XML or JSON form (signed or not) against its
//! definition.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use hoso_dsig::{Refusal, VerifyOptions};
use hoso_forms::{Definitions, FieldError, Form, Lang, Rejection};
use hoso_pki::{Timestamp, TrustStore};
use serde_json::{Value, json};

use crate::profiles::Profile;
use crate::{EXIT_REFUSED, Failure, display_name, read_input, write_output};

#[derive(clap::Args)]
pub struct SchemaArgs {
    /// The catalog id of the procedure (see `hoso catalog`).
    #[arg(long, value_name = "ID", required_unless_present = "common")]
    procedure: Option<String>,
    /// Which schema language.
    #[arg(long, value_enum)]
    format: SchemaFormat,
    /// Print the shared XSD (`common.xsd`) that every form's XSD imports.
    #[arg(long, conflicts_with = "procedure")]
    common: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SchemaFormat {
    /// XML Schema 1.0.
    Xsd,
    /// JSON Schema, draft 2020-12.
    Json,
}

#[derive(clap::Args)]
pub struct ValidateArgs {
    /// The procedure whose form this is; by default the XML namespace or the
    /// JSON `procedure` (or `$schema`) says.
    #[arg(long, value_name = "ID")]
    procedure: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// Language of the messages (JSON output carries both).
    #[arg(long, value_enum, default_value = "vi")]
    lang: LangArg,
    /// For a signed form: the compiled-in trust store (default `demo`, the
    /// TEST root).
    #[arg(long, value_enum, value_name = "PROFILE")]
    profile: Option<Profile>,
    /// For a signed form: a trust anchor (PEM; repeatable), used alone
    /// unless `--profile` is also given.
    #[arg(long, value_name = "ANCHOR.pem")]
    trust: Vec<PathBuf>,
    /// For a signed form: verify at this time instead of now (RFC 3339).
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// The form (XML, JSON, XML with its signature, or a JWS), or `-`.
    file: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Vi,
    En,
}

fn definitions() -> Result<Definitions, Failure> {
    Definitions::load()
        .map_err(|e| Failure::message(EXIT_REFUSED, format!("form definitions: {e}")))
}

pub fn schema(args: SchemaArgs) -> Result<(), Failure> {
    let definitions = definitions()?;
    let text = match (&args.procedure, args.format) {
        (None, SchemaFormat::Xsd) => definitions.common_xsd(),
        (None, SchemaFormat::Json) => {
            return Err(Failure::usage(
                "--common is the shared XSD; JSON schemas are self-contained",
            ));
        }
        (Some(id), format) => {
            let form = definitions.get(id).ok_or_else(|| {
                Failure::usage(format!(
                    "--procedure {id}: no such procedure (see `hoso catalog`)"
                ))
            })?;
            match format {
                SchemaFormat::Xsd => definitions.xsd(form),
                SchemaFormat::Json => definitions.json_schema(form),
            }
        }
    };
    write_output(Path::new("-"), text.as_bytes())
}

#[derive(clap::Args)]
pub struct CodegenArgs {
    /// The language of the bindings.
    #[arg(long, value_enum)]
    lang: CodegenLang,
    /// Only these procedures (repeatable); all 31 by default. The shared
    /// types are always generated.
    #[arg(long, value_name = "ID")]
    procedure: Vec<String>,
    /// The directory to write into (created when missing; generated files
    /// are overwritten, others left alone).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CodegenLang {
    /// A module tree of serde types implementing `hoso_forms::FormType`
    /// (`lib.rs`, `common.rs`, one module per form).
    Rust,
    /// Declarations of the JSON encoding (`src/*.ts`) and the JSON Schemas
    /// (`schemas/*.schema.json`).
    Typescript,
}

pub fn codegen(args: CodegenArgs) -> Result<(), Failure> {
    let definitions = definitions()?;
    let language = match args.lang {
        CodegenLang::Rust => hoso_forms::codegen::Language::Rust,
        CodegenLang::Typescript => hoso_forms::codegen::Language::TypeScript,
    };
    let procedures: Vec<&str> = args.procedure.iter().map(String::as_str).collect();
    let files = definitions
        .generate(language, &procedures)
        .map_err(|e| Failure::usage(format!("--procedure: {e}")))?;
    for file in &files {
        let path = args.out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Failure::usage(format!("{}: cannot create: {e}", parent.display())))?;
        }
        write_output(&path, file.text.as_bytes())?;
    }
    eprintln!("wrote {} files under {}", files.len(), args.out.display());
    Ok(())
}

/// What was checked besides the form itself.
struct Signature {
    signer: String,
}

pub fn validate(args: ValidateArgs) -> Result<(), Failure> {
    let definitions = definitions()?;
    if let Some(id) = &args.procedure
        && definitions.get(id).is_none()
    {
        return Err(Failure::usage(format!(
            "--procedure {id}: no such procedure (see `hoso catalog`)"
        )));
    }
    let lang = match args.lang {
        LangArg::Vi => Lang::Vi,
        LangArg::En => Lang::En,
    };
    // Signed forms are larger than their content by the signature and its
    // certificates; the form limit applies to what was signed.
    let input = read_input(&args.file, hoso_forms::MAX_FORM_BYTES + (1 << 20))?;
    let name = display_name(&args.file);
    let (content, signature) = match signed_content(&args, &input)? {
        Some((content, signer)) => (content, Some(Signature { signer })),
        None => (input, None),
    };
    let result = definitions.validate(&content, args.procedure.as_deref());
    let out = if args.json {
        json_result(&name, &result, signature.as_ref())
    } else {
        human_result(&name, &definitions, &result, signature.as_ref(), lang)
    };
    write_output(Path::new("-"), out.as_bytes())?;
    match result {
        Ok(_) => Ok(()),
        Err(_) => Err(Failure::silent(EXIT_REFUSED)),
    }
}

/// For a signed form, verifies the signature under the form policy and
/// returns what was signed, which is what gets validated: the bytes around
/// the signature are never read as the form.
fn signed_content(args: &ValidateArgs, input: &[u8]) -> Result<Option<(Vec<u8>, String)>, Failure> {
    let jws = is_jws(input);
    if !jws && input.trim_ascii().starts_with(b"{") {
        return Ok(None);
    }
    let mut trust = TrustStore::new();
    let profile = match (args.profile, args.trust.is_empty()) {
        (Some(p), _) => Some(p),
        (None, true) => Some(Profile::Demo),
        (None, false) => None,
    };
    if let Some(p) = profile {
        p.load_into(&mut trust);
    }
    for path in &args.trust {
        trust
            .add_pem_file(path, true)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    }
    let at = match &args.at {
        Some(text) => Timestamp::parse_rfc3339(text)
            .map_err(|e| Failure::usage(format!("--at {text}: {e}")))?,
        None => Timestamp::now(),
    };
    let options = VerifyOptions::new(&trust, at);
    let verdict = if jws {
        hoso_dsig::verify_jws(input, &options)
            .map_err(|e| {
                Failure::message(EXIT_REFUSED, format!("{}: {e}", display_name(&args.file)))
            })
            .map(|report| hoso_dsig::form_policy(&report))?
    } else {
        hoso_dsig::verify_form(input, &options)
    };
    match verdict {
        Ok(accepted) => {
            let signer = accepted
                .signature
                .signer
                .as_ref()
                .map(|c| c.subject())
                .unwrap_or_default();
            Ok(Some((accepted.signed.canonical, signer)))
        }
        // Unsigned, or not XML at all: the form validator says what it is.
        Err(refused)
            if !jws && matches!(refused.refusal, Refusal::NoSignature | Refusal::Xml(_)) =>
        {
            Ok(None)
        }
        Err(refused) => Err(Failure::message(
            EXIT_REFUSED,
            format!(
                "{}: the signature is not accepted: {}",
                display_name(&args.file),
                refused.refusal
            ),
        )),
    }
}

/// A JWS: the compact serialization, or a JSON object with a payload and
/// its signature(s). A plain JSON form is an object too, without those.
fn is_jws(input: &[u8]) -> bool {
    if !hoso_dsig::jws::is_jws(input) {
        return false;
    }
    if !input.trim_ascii().starts_with(b"{") {
        return true;
    }
    serde_json::from_slice::<serde_json::Map<String, Value>>(input).is_ok_and(|m| {
        m.contains_key("payload") && (m.contains_key("signature") || m.contains_key("signatures"))
    })
}

fn error_json(e: &FieldError) -> Value {
    let mut v = json!({
        "path": e.path,
        "code": e.code(),
        "message": { "vi": e.message(Lang::Vi), "en": e.message(Lang::En) },
    });
    if let Some(p) = &e.position {
        v["line"] = json!(p.line);
        v["column"] = json!(p.column);
    }
    v
}

fn json_result(
    name: &str,
    result: &Result<Form, Rejection>,
    signature: Option<&Signature>,
) -> String {
    let signed = json!(signature.map(|s| json!({ "signer": s.signer })));
    let value = match result {
        Ok(form) => json!({
            "file": name,
            "valid": true,
            "procedure": form.procedure,
            "signed": signed,
            "errors": [],
        }),
        Err(Rejection::Invalid {
            procedure,
            errors,
            truncated,
        }) => json!({
            "file": name,
            "valid": false,
            "procedure": procedure,
            "signed": signed,
            "errors": errors.iter().map(error_json).collect::<Vec<_>>(),
            "truncated": truncated,
        }),
        Err(other) => json!({
            "file": name,
            "valid": false,
            "procedure": null,
            "signed": signed,
            "errors": [{
                "path": "",
                "code": document_code(other),
                "message": { "vi": document_message(other, Lang::Vi), "en": document_message(other, Lang::En) },
            }],
        }),
    };
    let mut text = serde_json::to_string_pretty(&value).expect("JSON values serialize");
    text.push('\n');
    text
}

fn document_code(rejection: &Rejection) -> &'static str {
    match rejection {
        Rejection::Xml(_) => "not_well_formed",
        Rejection::Json { .. } => "not_json",
        Rejection::TooLarge { .. } => "too_large",
        Rejection::UnknownForm { .. } => "unknown_form",
        _ => "invalid",
    }
}

fn document_message(rejection: &Rejection, lang: Lang) -> String {
    match (rejection, lang) {
        (Rejection::Xml(e), Lang::Vi) => {
            format!("{}: XML không đúng cú pháp: {}", e.position, e.kind)
        }
        (
            Rejection::Json {
                line,
                column,
                message,
            },
            Lang::Vi,
        ) => {
            format!("{line}:{column}: JSON không đúng cú pháp: {message}")
        }
        (Rejection::TooLarge { max }, Lang::Vi) => format!("Biểu mẫu lớn hơn {max} byte."),
        (Rejection::UnknownForm { named }, Lang::Vi) => {
            format!("Không xác định được biểu mẫu: {named}. Dùng --procedure để chỉ rõ thủ tục.")
        }
        (Rejection::UnknownForm { named }, _) => {
            format!("No form is known for {named}; name it with --procedure.")
        }
        (other, _) => other.to_string(),
    }
}

fn human_result(
    name: &str,
    definitions: &Definitions,
    result: &Result<Form, Rejection>,
    signature: Option<&Signature>,
    lang: Lang,
) -> String {
    let vi = lang == Lang::Vi;
    let title = |id: &str| {
        definitions
            .get(id)
            .map(|f| f.title.get(lang).to_owned())
            .unwrap_or_default()
    };
    let mut out = String::new();
    if let Some(s) = signature {
        out.push_str(&if vi {
            format!("{name}: chữ ký hợp lệ, người ký: {}\n", s.signer)
        } else {
            format!("{name}: signature accepted, signed by: {}\n", s.signer)
        });
    }
    match result {
        Ok(form) => {
            out.push_str(&if vi {
                format!(
                    "{name}: hợp lệ — {} ({})\n",
                    form.procedure,
                    title(&form.procedure)
                )
            } else {
                format!(
                    "{name}: valid — {} ({})\n",
                    form.procedure,
                    title(&form.procedure)
                )
            });
        }
        Err(Rejection::Invalid {
            procedure,
            errors,
            truncated,
        }) => {
            out.push_str(&if vi {
                format!("{name}: không hợp lệ, {} lỗi — {procedure}\n", errors.len())
            } else {
                format!(
                    "{name}: invalid, {} problem(s) — {procedure}\n",
                    errors.len()
                )
            });
            for e in errors {
                let at = e.position.map(|p| format!("{p}: ")).unwrap_or_default();
                let path = if e.path.is_empty() {
                    "(document)"
                } else {
                    &e.path
                };
                out.push_str(&format!(
                    "  {at}{path} [{}] {}\n",
                    e.code(),
                    e.message(lang)
                ));
            }
            if *truncated {
                out.push_str(if vi {
                    "  … còn lỗi khác không được liệt kê.\n"
                } else {
                    "  … more problems were not listed.\n"
                });
            }
        }
        Err(other) => {
            out.push_str(&format!("{name}: {}\n", document_message(other, lang)));
        }
    }
    out
}
