//! `hoso verify`: is the signature valid, by a trusted signer, over the
//! whole document?

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::ValueEnum;
use hoso_dsig::report::{self, Lang};
use hoso_dsig::{DocumentReport, Integrity, SignatureReport, VerifyOptions};
use hoso_pki::{ChainStatus, Crl, OcspResponse, Policy, Timestamp, TrustStore};

use crate::{EXIT_REFUSED, Failure, read_input};

/// The demo trust store: the TEST national root of `certs/test`. It is what
/// `hoso verify` trusts without `--trust`; production configurations name
/// their anchors explicitly.
const DEMO_ROOT: &[u8] = include_bytes!("../../../certs/test/ca/root.pem");

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// A trust anchor (PEM, one or more certificates; repeatable). Without it,
    /// the demo trust store (TEST root) is used.
    #[arg(long, value_name = "ANCHOR.pem")]
    trust: Vec<PathBuf>,
    /// Verification time (RFC 3339); now by default.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// A CRL (DER or PEM; repeatable).
    #[arg(long, value_name = "FILE")]
    crl: Vec<PathBuf>,
    /// An OCSP response (DER; repeatable).
    #[arg(long, value_name = "FILE")]
    ocsp: Vec<PathBuf>,
    /// Accept SHA-1 and RSA keys under 2048 bits (historical documents), with a warning.
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

fn read_file(path: &PathBuf) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::usage(format!("{}: cannot read: {e}", path.display())))
}

fn trust_store(args: &VerifyArgs) -> Result<TrustStore, Failure> {
    let mut store = TrustStore::new();
    if args.trust.is_empty() {
        for cert in hoso_pki::Certificate::from_pem(DEMO_ROOT).expect("the demo root parses") {
            store.add_anchor(cert);
        }
    }
    for path in &args.trust {
        store
            .add_pem_file(path, true)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    }
    Ok(store)
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn chain_word(report: &SignatureReport) -> &'static str {
    match &report.chain_status {
        Some(ChainStatus::Trusted) => "trusted",
        Some(ChainStatus::Expired { .. } | ChainStatus::NotYetValid { .. }) => "expired",
        Some(ChainStatus::Revoked { .. }) => "revoked",
        Some(ChainStatus::WeakKey { .. } | ChainStatus::WeakAlgorithm { .. }) => "weak",
        Some(_) => "untrusted",
        None => match &report.integrity {
            Integrity::Invalid(hoso_dsig::Refusal::WeakAlgorithm(_)) => "weak",
            _ => "untrusted",
        },
    }
}

fn signature_json(report: &SignatureReport, lang: Lang) -> String {
    let mut covers: Vec<String> = report
        .references
        .iter()
        .map(|r| json_string(&r.path))
        .collect();
    // A JWS has no references: it covers its payload.
    if let (true, Some(signed)) = (covers.is_empty(), &report.signed) {
        covers.push(json_string(&signed.element_path));
    }
    let (subject, ids) = match &report.signer {
        Some(cert) => {
            let ids: Vec<String> = report
                .identity
                .iter()
                .flat_map(|i| i.ids.iter())
                .map(|id| json_string(&report::describe_id(id, Lang::En)))
                .collect();
            (json_string(&cert.subject()), ids)
        }
        None => ("null".into(), Vec::new()),
    };
    let mut algorithms: Vec<String> = Vec::new();
    if let Some(s) = report.algorithms.signature {
        algorithms.push(json_string(s.name()));
    }
    algorithms.extend(
        report
            .algorithms
            .digests
            .iter()
            .map(|d| json_string(d.name())),
    );
    if let Some(c) = report.algorithms.canonicalization {
        algorithms.push(json_string(c.name()));
    }
    let integrity = match &report.integrity {
        Integrity::Valid => "\"valid\"".to_string(),
        Integrity::Invalid(_) => "\"invalid\"".to_string(),
    };
    let reason = match &report.integrity {
        Integrity::Valid => "null".to_string(),
        Integrity::Invalid(r) => json_string(&match lang {
            Lang::Vi => r.vi(),
            Lang::En => r.to_string(),
        }),
    };
    let signing_time = report
        .signing_time
        .as_ref()
        .map_or("null".to_string(), |t| json_string(&t.time.to_string()));
    let text = json_string(&report::render(report, lang));
    format!(
        "{{\"index\":{},\"path\":{},\"covers\":[{}],\"covers_document\":{},\"integrity\":{integrity},\"reason\":{reason},\"chain\":\"{}\",\"signer\":{{\"subject\":{subject},\"ids\":[{}]}},\"signing_time\":{signing_time},\"algorithms\":[{}],\"valid\":{},\"report\":{text}}}",
        report.index,
        json_string(&report.path),
        covers.join(","),
        report.covers_document,
        chain_word(report),
        ids.join(","),
        algorithms.join(","),
        report.is_valid(),
    )
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
    let input = read_input(&args.file, limits.max_document_bytes)?;
    // JSON forms are signed as JWS (RFC 7515); the report is the same.
    let jws = hoso_dsig::jws::is_jws(&input);
    let options = VerifyOptions {
        policy: Policy {
            allow_weak: args.allow_weak,
            ..Policy::default()
        },
        crls: &crls,
        ocsp: &ocsp,
        ..VerifyOptions::new(&trust, at)
    };
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
    let mut stdout = std::io::stdout().lock();
    let text = if args.json {
        let signatures: Vec<String> = document
            .signatures
            .iter()
            .map(|s| signature_json(s, lang))
            .collect();
        let reason = reason.as_ref().map_or("null".to_string(), |r| {
            json_string(&match lang {
                Lang::Vi => r.vi(),
                Lang::En => r.to_string(),
            })
        });
        format!(
            "{{\"valid\":{accepted},\"reason\":{reason},\"signatures\":[{}]}}\n",
            signatures.join(",")
        )
    } else {
        let mut text: String = document
            .signatures
            .iter()
            .map(|s| report::render(s, lang))
            .collect();
        if let Some(r) = &reason {
            text.push_str(&match lang {
                Lang::Vi => format!("Kết luận: KHÔNG chấp nhận — {}\n", r.vi()),
                Lang::En => format!("Verdict: NOT accepted — {r}\n"),
            });
        } else {
            text.push_str(match lang {
                Lang::Vi => "Kết luận: chấp nhận\n",
                Lang::En => "Verdict: accepted\n",
            });
        }
        text
    };
    stdout
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
