//! `hoso verify`: is the signature valid, by a trusted signer, over the
//! whole document?  With `--all`: what does each signature of a document
//! received from elsewhere prove?

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::ValueEnum;
use hoso_dsig::report::{self, Lang};
use hoso_dsig::{DocumentReport, Integrity, SignatureReport, SigningTimeSource, VerifyOptions};
use hoso_pki::{ChainStatus, Crl, OcspResponse, PersonalId, Policy, Timestamp, TrustStore};
use serde_json::{Value, json};

use crate::profiles::Profile;
use crate::{EXIT_REFUSED, Failure, read_input};

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// A trust anchor (PEM, one or more certificates; repeatable). Without
    /// `--profile`, only these anchors are trusted; with it, they are added
    /// to the profile's.
    #[arg(long, value_name = "ANCHOR.pem")]
    trust: Vec<PathBuf>,
    /// The compiled-in trust store: `demo` (the TEST root; the default for
    /// forms), `national`, `government`, or `received` (national and
    /// government; the default with `--all`).  When `--trust` is given
    /// without `--profile`, only the `--trust` anchors are trusted.
    #[arg(long, value_enum, value_name = "PROFILE")]
    profile: Option<Profile>,
    /// The validation policy: `strict` (Circular 15/2025: no SHA-1, RSA of
    /// 2048 bits or more, certificates valid now and at the signing time) or
    /// `legacy` (historical documents: SHA-1 and RSA-1024 admitted with a
    /// warning on each signature that needed them, certificates checked at
    /// the signing time the document claims).
    #[arg(long, value_enum, default_value = "strict")]
    policy: PolicyArg,
    /// Verification time (RFC 3339); now by default.  With `--all` it also
    /// replaces the signing time documents claim, for the certificate checks.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// A CRL (DER or PEM; repeatable).
    #[arg(long, value_name = "FILE")]
    crl: Vec<PathBuf>,
    /// An OCSP response (DER; repeatable).
    #[arg(long, value_name = "FILE")]
    ocsp: Vec<PathBuf>,
    /// Accept SHA-1 and RSA keys under 2048 bits (historical documents), with
    /// a warning: the same as `--policy legacy`.
    #[arg(long)]
    allow_weak: bool,
    /// Report every signature on its own (received documents) instead of
    /// applying the one-signature form policy.
    #[arg(long)]
    all: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Language of the report.
    #[arg(long, value_enum, default_value = "vi")]
    lang: LangArg,
    /// Verify N times in one process and print the time per verification.
    #[arg(long, value_name = "N")]
    repeat: Option<u32>,
    /// The signed document, or `-` for standard input.
    file: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Vi,
    En,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PolicyArg {
    /// `Policy::default()`: what forms submitted to hoso must meet.
    Strict,
    /// `Policy::historical()`: documents that may be old.
    Legacy,
}

impl VerifyArgs {
    /// The trust profile in effect, if any: the one named, else none when
    /// anchors are given with `--trust`, else `received` for `--all` and
    /// `demo` for the form policy.
    fn effective_profile(&self) -> Option<Profile> {
        match (self.profile, self.trust.is_empty(), self.all) {
            (Some(p), _, _) => Some(p),
            (None, false, _) => None,
            (None, true, true) => Some(Profile::Received),
            (None, true, false) => Some(Profile::Demo),
        }
    }

    /// Forms must be valid now and when signed.  Received documents
    /// (`--all`) are judged when they say they were signed (a claim the
    /// report shows as such), or at the verification time when they say
    /// nothing; `legacy` also admits SHA-1 and RSA-1024.
    fn policy(&self) -> Policy {
        if self.allow_weak || self.policy == PolicyArg::Legacy {
            Policy::historical()
        } else if self.all {
            Policy {
                check_at_verification_time: false,
                ..Policy::default()
            }
        } else {
            Policy::default()
        }
    }
}

fn read_file(path: &PathBuf) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::usage(format!("{}: cannot read: {e}", path.display())))
}

fn trust_store(args: &VerifyArgs) -> Result<TrustStore, Failure> {
    let mut store = TrustStore::new();
    if let Some(profile) = args.effective_profile() {
        profile.load_into(&mut store);
    }
    for path in &args.trust {
        store
            .add_pem_file(path, true)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    }
    Ok(store)
}

/// A JSON object with its keys in the order given (serde_json's own map
/// sorts them; the order of the report's keys is part of its stable output).
/// The values are serialized JSON.
fn ordered(fields: &[(&str, String)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::from(*key).to_string());
        out.push(':');
        out.push_str(value);
    }
    out.push('}');
    out
}

/// One value as JSON text.
fn j(value: impl Into<Value>) -> String {
    value.into().to_string()
}

fn status_word(status: &ChainStatus) -> &'static str {
    match status {
        ChainStatus::Trusted => "trusted",
        ChainStatus::Expired { .. } | ChainStatus::NotYetValid { .. } => "expired",
        ChainStatus::Revoked { .. } => "revoked",
        ChainStatus::WeakKey { .. } | ChainStatus::WeakAlgorithm { .. } => "weak",
        _ => "untrusted",
    }
}

fn chain_word(report: &SignatureReport) -> &'static str {
    match &report.chain_status {
        Some(status) => status_word(status),
        None => match &report.integrity {
            Integrity::Invalid(hoso_dsig::Refusal::WeakAlgorithm(_)) => "weak",
            _ => "untrusted",
        },
    }
}

/// A typed identity: `{"kind":"MST","value":"0301519977","branch":"029"}`,
/// `{"kind":"CCCD","value":"001203004567"}`; unknown schemes keep the
/// scheme as written as their kind.
fn id_json(id: &PersonalId) -> Value {
    match id {
        PersonalId::Cccd(v) => json!({"kind": "CCCD", "value": v}),
        PersonalId::Cmnd(v) => json!({"kind": "CMND", "value": v}),
        PersonalId::Passport(v) => json!({"kind": "HC", "value": v}),
        PersonalId::TaxCode { code, branch } => {
            json!({"kind": "MST", "value": code, "branch": branch})
        }
        PersonalId::Other { scheme, value } => json!({"kind": scheme, "value": value}),
    }
}

/// The signature's warnings in both languages, as the library's report
/// words them: `[{"en": …, "vi": …}]`.
///
/// `hoso_dsig::report` renders each warning as one "Warning:" / "Cảnh báo:"
/// line, in the order of `report.warnings`, but does not export the
/// wording of a single warning; the lines are taken from the rendered text.
fn warnings_json(report: &SignatureReport) -> Value {
    let warnings = report.warnings.iter().map(|w| {
        json!({
            "en": report::warning_text(w, Lang::En),
            "vi": report::warning_text(w, Lang::Vi),
        })
    });
    Value::Array(warnings.collect())
}

/// One signature's entry in the `signatures` array.
fn signature_json(report: &SignatureReport, lang: Lang) -> String {
    let mut covers: Vec<&str> = report.references.iter().map(|r| r.path.as_str()).collect();
    // A JWS has no references: it covers its payload.
    if let (true, Some(signed)) = (covers.is_empty(), &report.signed) {
        covers.push(&signed.element_path);
    }
    let signer = match &report.signer {
        Some(cert) => {
            let identity = report.identity.clone().unwrap_or_else(|| cert.identity());
            json!({
                "subject": cert.subject(),
                "issuer": cert.issuer(),
                "ids": identity.ids.iter().map(id_json).collect::<Vec<_>>(),
                "organization_identifier": identity.organization_identifier,
            })
        }
        None => Value::Null,
    };
    let mut algorithms: Vec<&str> = Vec::new();
    if let Some(s) = report.algorithms.signature {
        algorithms.push(s.name());
    }
    algorithms.extend(report.algorithms.digests.iter().map(|d| d.name()));
    if let Some(c) = report.algorithms.canonicalization {
        algorithms.push(c.name());
    }
    let (integrity, reason) = match &report.integrity {
        Integrity::Valid => ("valid", Value::Null),
        Integrity::Invalid(r) => (
            "invalid",
            Value::from(match lang {
                Lang::Vi => r.vi(),
                Lang::En => r.to_string(),
            }),
        ),
    };
    let (signing_time, source, claimed) = match &report.signing_time {
        // Every source hoso reads today is the signer's own statement, not
        // a timestamp by a third party.
        Some(t) => (
            Value::from(t.time.to_string()),
            Value::from(match t.source {
                SigningTimeSource::Xades => "xades",
                SigningTimeSource::SignedObject => "signed-object",
                SigningTimeSource::JwsHeader => "jws-header",
            }),
            Value::from(true),
        ),
        None => (Value::Null, Value::Null, Value::Null),
    };
    ordered(&[
        ("index", j(report.index)),
        ("path", j(report.path.as_str())),
        ("covers", j(covers)),
        ("covers_document", j(report.covers_document)),
        ("integrity", j(integrity)),
        ("reason", reason.to_string()),
        ("chain", j(chain_word(report))),
        ("signer", signer.to_string()),
        ("signing_time", signing_time.to_string()),
        ("signing_time_source", source.to_string()),
        ("signing_time_claimed", claimed.to_string()),
        ("algorithms", j(algorithms)),
        ("warnings", warnings_json(report).to_string()),
        ("valid", j(report.is_valid())),
        ("report", j(report::render(report, lang))),
    ])
}

pub fn run(args: VerifyArgs) -> Result<(), Failure> {
    let lang = match args.lang {
        LangArg::Vi => Lang::Vi,
        LangArg::En => Lang::En,
    };
    let trust = trust_store(&args)?;
    let at = match &args.at {
        Some(text) => Timestamp::parse_rfc3339(text)
            .map_err(|e| Failure::usage(format!("--at {text}: {e}")))?,
        None => Timestamp::now(),
    };
    let mut crls = Vec::new();
    for path in &args.crl {
        let bytes = read_file(path)?;
        let crl = Crl::from_der(&bytes)
            .or_else(|_| Crl::from_pem(&bytes))
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
        crls.push(crl);
    }
    let mut ocsp = Vec::new();
    for path in &args.ocsp {
        ocsp.push(
            OcspResponse::from_der(&read_file(path)?)
                .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?,
        );
    }
    let limits = hoso_xml::Limits::default();
    let pdf_limits = hoso_receipt::PdfLimits::default();
    let input = read_input(
        &args.file,
        limits.max_document_bytes.max(pdf_limits.max_pdf_bytes),
    )?;
    // JSON forms are signed as JWS (RFC 7515); the report is the same.
    let jws = hoso_dsig::jws::is_jws(&input);
    let options = VerifyOptions {
        policy: args.policy(),
        crls: &crls,
        ocsp: &ocsp,
        // For received documents an explicit --at overrides the claimed
        // signing time.
        use_claimed_signing_time: !(args.all && args.at.is_some()),
        ..VerifyOptions::new(&trust, at)
    };
    if input.starts_with(b"%PDF-") {
        return run_pdf(&args, lang, &input, &options);
    }
    let verify = || {
        if jws {
            hoso_dsig::verify_jws(&input, &options)
        } else {
            hoso_dsig::verify_all(&input, &options)
        }
    };
    if let Some(n) = args.repeat {
        let start = Instant::now();
        for _ in 0..n.max(1) {
            verify().map_err(|e| Failure::message(EXIT_REFUSED, e.to_string()))?;
        }
        let per = start.elapsed() / n.max(1);
        eprintln!("{n} verifications, {per:?} per verification");
    }
    let document = match verify() {
        Ok(d) => d,
        Err(e) => return Err(Failure::message(EXIT_REFUSED, e.to_string())),
    };
    let (accepted, reason) = decide(&document, args.all);
    // Why the document is not accepted, in the report's language.
    let reason: Option<String> = match (&reason, accepted) {
        (Some(r), _) => Some(match lang {
            Lang::Vi => r.vi(),
            Lang::En => r.to_string(),
        }),
        (None, true) => None,
        // `--all`: some signature is not valid; each entry says why.
        (None, false) => {
            let bad = document.signatures.iter().filter(|s| !s.is_valid()).count();
            let total = document.signatures.len();
            Some(match lang {
                Lang::Vi => format!("{bad}/{total} chữ ký không hợp lệ"),
                Lang::En => format!("{bad} of {total} signatures not valid"),
            })
        }
    };
    let signatures = document
        .signatures
        .iter()
        .map(|s| signature_json(s, lang))
        .collect();
    let reports = document
        .signatures
        .iter()
        .map(|s| report::render(s, lang))
        .collect();
    conclude(args.json, lang, accepted, reason, signatures, reports)
}

/// Writes the verdict, as JSON (`valid`, `reason`, `signatures`) or as the
/// reports followed by the conclusion, and turns it into the exit status.
fn conclude(
    json: bool,
    lang: Lang,
    accepted: bool,
    reason: Option<String>,
    signatures: Vec<String>,
    reports: String,
) -> Result<(), Failure> {
    let text = if json {
        let mut text = ordered(&[
            ("valid", j(accepted)),
            ("reason", j(reason)),
            ("signatures", format!("[{}]", signatures.join(","))),
        ]);
        text.push('\n');
        text
    } else {
        let mut text = reports;
        text.push_str(&match (&reason, lang) {
            (Some(r), Lang::Vi) => format!("Kết luận: KHÔNG chấp nhận — {r}\n"),
            (Some(r), Lang::En) => format!("Verdict: NOT accepted — {r}\n"),
            (None, Lang::Vi) => "Kết luận: chấp nhận\n".into(),
            (None, Lang::En) => "Verdict: accepted\n".into(),
        });
        text
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Failure::usage(format!("cannot write standard output: {e}")))?;
    if accepted {
        Ok(())
    } else {
        Err(Failure::silent(EXIT_REFUSED))
    }
}

/// Accepted under `--all` when every signature is valid; otherwise under the
/// form policy (exactly one signature, valid, covering the document).
fn decide(document: &DocumentReport, all: bool) -> (bool, Option<hoso_dsig::Refusal>) {
    if all {
        if document.signatures.is_empty() {
            return (false, Some(hoso_dsig::Refusal::NoSignature));
        }
        return (document.all_valid(), None);
    }
    match hoso_dsig::form_policy(document) {
        Ok(_) => (true, None),
        Err(refused) => (false, Some(refused.refusal)),
    }
}

/// `hoso verify receipt.pdf`: every PAdES signature of the PDF, with the same
/// trust, policy, output and exit codes as for XML.  Accepted under the
/// receipt policy (every signature valid, the last one covering the whole
/// document), or with `--all` when every signature is valid.
fn run_pdf(
    args: &VerifyArgs,
    lang: Lang,
    input: &[u8],
    options: &VerifyOptions<'_>,
) -> Result<(), Failure> {
    let verify = || {
        hoso_receipt::verify_pdf(input, options).map_err(|e| {
            Failure::message(
                EXIT_REFUSED,
                match lang {
                    Lang::Vi => e.vi(),
                    Lang::En => e.to_string(),
                },
            )
        })
    };
    if let Some(n) = args.repeat {
        let start = Instant::now();
        for _ in 0..n.max(1) {
            verify()?;
        }
        let per = start.elapsed() / n.max(1);
        eprintln!("{n} verifications, {per:?} per verification");
    }
    let document = verify()?;
    let (accepted, reason) = match (document.verdict(), args.all) {
        (Ok(()), _) => (true, None),
        (Err(hoso_receipt::PdfRefusal::NoSignature), _) => {
            (false, Some(hoso_receipt::PdfRefusal::NoSignature))
        }
        (Err(_), true) if document.all_valid() => (true, None),
        (Err(r), _) => (false, Some(r)),
    };
    let reason = reason.map(|r| match lang {
        Lang::Vi => r.vi(),
        Lang::En => r.to_string(),
    });
    let signatures = document
        .signatures
        .iter()
        .map(|s| pdf_signature_json(s, lang))
        .collect();
    let reports = document.signatures.iter().map(|s| s.render(lang)).collect();
    conclude(args.json, lang, accepted, reason, signatures, reports)
}

/// One PDF signature's entry in the `signatures` array: the keys of the XML
/// entry; `path` is the signature field, `covers` its two byte ranges.
fn pdf_signature_json(report: &hoso_receipt::PdfSignatureReport, lang: Lang) -> String {
    let [_, a, b, c] = report.byte_range;
    let covers = if report.signed_len == 0 {
        Vec::new()
    } else {
        vec![format!("bytes 0-{a}"), format!("bytes {b}-{}", b + c)]
    };
    let signer = match &report.signer {
        Some(cert) => {
            let identity = report.identity.clone().unwrap_or_else(|| cert.identity());
            json!({
                "subject": cert.subject(),
                "issuer": cert.issuer(),
                "ids": identity.ids.iter().map(id_json).collect::<Vec<_>>(),
                "organization_identifier": identity.organization_identifier,
            })
        }
        None => Value::Null,
    };
    let (integrity, reason) = match &report.integrity {
        Ok(()) => ("valid", Value::Null),
        Err(r) => (
            "invalid",
            Value::from(match lang {
                Lang::Vi => r.vi(),
                Lang::En => r.to_string(),
            }),
        ),
    };
    let chain = match (&report.chain_status, &report.integrity) {
        (Some(status), _) => status_word(status),
        (None, Err(hoso_receipt::PdfRefusal::WeakAlgorithm(_))) => "weak",
        (None, _) => "untrusted",
    };
    // /M is what the signer's software says, not a timestamp.
    let (signing_time, source, claimed) = match &report.signing_time {
        Some(t) => (
            Value::from(t.time.to_string()),
            Value::from("pdf-m"),
            Value::from(true),
        ),
        None => (Value::Null, Value::Null, Value::Null),
    };
    let warnings: Vec<Value> = report
        .warnings
        .iter()
        .map(|w| json!({"en": w.text(Lang::En), "vi": w.text(Lang::Vi)}))
        .collect();
    ordered(&[
        ("index", j(report.index)),
        ("path", j(report.field.as_str())),
        ("covers", j(covers)),
        ("covers_document", j(report.covers_whole_document)),
        ("integrity", j(integrity)),
        ("reason", reason.to_string()),
        ("chain", j(chain)),
        ("signer", signer.to_string()),
        ("signing_time", signing_time.to_string()),
        ("signing_time_source", source.to_string()),
        ("signing_time_claimed", claimed.to_string()),
        ("algorithms", j(report.algorithm_names())),
        ("warnings", Value::Array(warnings).to_string()),
        ("valid", j(report.is_valid())),
        ("report", j(report.render(lang))),
    ])
}
