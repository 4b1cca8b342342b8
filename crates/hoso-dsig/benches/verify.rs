//! Signature-verification throughput of `hoso-dsig`, without a benchmark
//! framework.
//!
//! ```sh
//! cargo bench -p hoso-dsig --bench verify                     # the standard documents
//! cargo bench -p hoso-dsig --bench verify -- a.xml b.xml      # given files
//! cargo bench -p hoso-dsig --bench verify -- --tsv --min-time 2 --phases
//! ```
//!
//! Without file arguments the standard documents (a ≈5 KB Vietnamese e-form
//! signed with RSA-2048 and with ECDSA P-256, and a ≈10 MB one signed with
//! RSA-2048, see `support/forms.rs`) are written to `target/bench-verify/`
//! when missing, and measured.  `--generate-only` writes them and prints one
//! line per document: its path and the PEM file of its CA, tab-separated.
//!
//! Each run is one [`hoso_dsig::verify_form`] of the whole document, at the
//! fixed verification time 2030-01-01T00:00:00Z, with the TEST national root
//! (`certs/test/ca/root.pem`) as the only trust anchor:
//!
//! * `shared`: one `TrustStore`, built once and shared by every run, as a
//!   service would (it caches the certificate signatures it has verified, so
//!   after the first run the chain costs no public-key operation);
//! * `fresh`: a new `TrustStore` per run (the anchor is cloned from a parsed
//!   certificate), so every run verifies the chain's signatures too, as
//!   libxmlsec1 does.
//!
//! With `--phases` it also times parts of the work the verifier does, on
//! their own, to show where the time goes: one bare reader pass over the
//! document, the canonicalization of the document without the signature
//! into SHA-256 (a full pass), of SignedInfo and of SignedProperties (each
//! from the context captured by an earlier pass, as the verifier does), the
//! signature value check, parsing the KeyInfo certificates (uncached, and
//! through the trust store's cache) and path validation with a warm and a
//! cold store.
//!
//! Timing: a warm-up (at least 0.2 s and 3 runs), then runs until at least
//! `--min-time` seconds (default 1) have been measured or `--max-iters` runs
//! (default 100,000) were made, with at least 3 runs.  Each run is timed on
//! its own; the median and the best run are reported as time per document,
//! verifications per second (one thread, so per core) and MB/s of input
//! (MB = 10^6 bytes).
//!
//! Run without `--bench` (as `cargo test --all-targets` does), it only checks
//! once, on small generated documents, that every path works; it never looks
//! at timings there.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use base64::Engine as _;
use hoso_dsig::{DSIG_NS, SignatureAlgorithm, VerifyOptions, XADES_NS};
use hoso_pki::{
    Certificate, ChainStatus, EcdsaEncoding, Policy, SignatureScheme, TrustStore, ValidationInput,
};
use hoso_xml::{Canonicalizer, ElementContext, Event, Limits, Method, Reader, Selection};

#[path = "../../../benches/common/timing.rs"]
mod timing;
use timing::{Stats, human, mbps, measure};

#[path = "support/forms.rs"]
mod forms;

struct Options {
    bench: bool,
    tsv: bool,
    phases: bool,
    min_time: Duration,
    max_iters: usize,
    dir: PathBuf,
    files: Vec<PathBuf>,
}

fn usage() -> &'static str {
    "usage: verify --bench [--tsv] [--phases] [--min-time SECS] [--max-iters N] [--dir DIR] \
     [--generate-only] [FILE...]"
}

fn parse_args() -> Result<(Options, bool), String> {
    let mut o = Options {
        bench: false,
        tsv: false,
        phases: false,
        min_time: Duration::from_secs(1),
        max_iters: 100_000,
        dir: forms::default_dir(),
        files: Vec::new(),
    };
    let mut generate_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--bench" => o.bench = true,
            "--tsv" => o.tsv = true,
            "--phases" => o.phases = true,
            "--generate-only" => generate_only = true,
            "--min-time" => {
                let v = value("--min-time")?;
                let secs: f64 = v.parse().map_err(|_| format!("bad --min-time {v:?}"))?;
                o.min_time = Duration::from_secs_f64(secs);
            }
            "--max-iters" => {
                let v = value("--max-iters")?;
                o.max_iters = v.parse().map_err(|_| format!("bad --max-iters {v:?}"))?;
            }
            "--dir" => o.dir = value("--dir")?.into(),
            "-h" | "--help" => return Err(usage().into()),
            // Options cargo may pass to a bench or test binary.
            "--nocapture" | "--quiet" | "-q" | "--show-output" => {}
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{}", usage())),
            _ => o.files.push(arg.into()),
        }
    }
    Ok((o, generate_only))
}

/// The trust anchor, parsed once.
fn root() -> Result<Certificate, String> {
    let path = forms::root_pem();
    let pem = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut certs = Certificate::from_pem(&pem).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(certs.remove(0))
}

fn store_with(anchor: &Certificate) -> TrustStore {
    let mut store = TrustStore::new();
    store.add_anchor(anchor.clone());
    store
}

/// One verification under the form policy; `Err` with the refusal.
fn verify(input: &[u8], trust: &TrustStore) -> Result<usize, String> {
    let options = VerifyOptions::new(trust, forms::verification_time());
    match hoso_dsig::verify_form(input, &options) {
        Ok(accepted) => Ok(accepted.signed.canonical.len()),
        Err(refused) => Err(refused.refusal.to_string()),
    }
}

/// What the phases need, found with a plain reader pass.
struct Parts {
    signature: usize,
    signed_info: ElementContext,
    signed_properties: Option<ElementContext>,
    scheme: SignatureScheme,
    signature_value: Vec<u8>,
    certificates: Vec<Vec<u8>>,
}

fn decode(text: &str) -> Result<Vec<u8>, String> {
    let compact: String = text.split_ascii_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|e| format!("base64: {e}"))
}

fn find_parts(input: &[u8]) -> Result<Parts, String> {
    let mut reader = Reader::new(input, Limits::default()).map_err(|e| e.to_string())?;
    let (mut signature, mut signed_info, mut signed_properties) = (None, None, None);
    let mut scheme = None;
    let mut text_of: Option<&'static str> = None;
    let mut text = String::new();
    let mut signature_value = Vec::new();
    let mut certificates = Vec::new();
    while let Some(event) = reader.next().map_err(|e| e.to_string())? {
        match event {
            Event::Start(e) if e.namespace() == DSIG_NS => match e.local_name() {
                "Signature" if signature.is_none() => signature = Some(e.offset()),
                "SignedInfo" if signed_info.is_none() => signed_info = Some(e.context()),
                "SignatureMethod" => {
                    scheme = e
                        .attribute("", "Algorithm")
                        .and_then(SignatureAlgorithm::from_uri)
                        .map(|a| a.scheme);
                }
                "SignatureValue" => text_of = Some("SignatureValue"),
                "X509Certificate" => text_of = Some("X509Certificate"),
                _ => {}
            },
            Event::Start(e)
                if e.namespace() == XADES_NS && e.local_name() == "SignedProperties" =>
            {
                signed_properties = Some(e.context());
            }
            Event::Text(t) if text_of.is_some() => text.push_str(t),
            Event::End(_) => match text_of.take() {
                Some("SignatureValue") => signature_value = decode(&std::mem::take(&mut text))?,
                Some(_) => certificates.push(decode(&std::mem::take(&mut text))?),
                None => {}
            },
            _ => {}
        }
    }
    Ok(Parts {
        signature: signature.ok_or("no ds:Signature")?,
        signed_info: signed_info.ok_or("no ds:SignedInfo")?,
        signed_properties,
        scheme: scheme.ok_or("no known SignatureMethod")?,
        signature_value,
        certificates,
    })
}

/// SHA-256 of what is written.
struct Sha256Sink(ring::digest::Context);

impl std::io::Write for Sha256Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn exc_c14n() -> Canonicalizer {
    Canonicalizer::new(Method::from_name("exc-c14n").expect("known method"))
}

fn sha256_sink() -> Sha256Sink {
    Sha256Sink(ring::digest::Context::new(&ring::digest::SHA256))
}

fn c14n_digest(input: &[u8], selection: Selection) -> Vec<u8> {
    let sink = exc_c14n()
        .write(input, selection, &Limits::default(), sha256_sink())
        .expect("checked by the verification");
    sink.0.finish().as_ref().to_vec()
}

/// The canonical form of one element of the signature, read from the
/// context captured by an earlier pass (what the verifier does for
/// SignedInfo and SignedProperties), into `sink`.
fn c14n_element<W: std::io::Write>(input: &[u8], context: &ElementContext, sink: W) -> W {
    exc_c14n()
        .write_element(input, context, None, &Limits::default(), sink)
        .expect("checked by the verification")
}

/// A reader pass that touches every event, like the verifier's index pass
/// minus its bookkeeping.
fn reader_pass(input: &[u8]) -> usize {
    let mut reader = Reader::new(input, Limits::default()).expect("checked");
    let mut n = 0;
    while let Some(event) = reader.next().expect("checked") {
        if let Event::Start(e) = event {
            n += e.attributes().len() + 1;
        }
    }
    n
}

type Phase<'a> = (&'static str, Box<dyn FnMut() + 'a>);

/// The phases of one verification, each on its own.
fn phases<'a>(
    input: &'a [u8],
    parts: &'a Parts,
    anchor: &'a Certificate,
    shared: &'a TrustStore,
) -> Result<Vec<Phase<'a>>, String> {
    let signed_info = c14n_element(input, &parts.signed_info, Vec::new());
    let certs: Vec<Certificate> = parts
        .certificates
        .iter()
        .map(|der| Certificate::from_der(der).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let signer = certs.first().ok_or("no certificate in KeyInfo")?.clone();
    hoso_pki::verify_signature(
        signer.public_key(),
        parts.scheme,
        EcdsaEncoding::Fixed,
        &signed_info,
        &parts.signature_value,
        false,
    )
    .map_err(|e| format!("the signature value does not verify: {e}"))?;
    let untrusted: Vec<Certificate> = certs[1..].to_vec();
    let validate = move |store: &TrustStore| {
        let v = store.validate(
            &Policy::default(),
            &ValidationInput {
                signer: &certs[0],
                untrusted: &untrusted,
                signing_time: None,
                verification_time: forms::verification_time(),
                crls: &[],
                ocsp: &[],
            },
        );
        assert_eq!(v.status, ChainStatus::Trusted);
    };
    let validate_cold = validate.clone();
    let mut out: Vec<Phase<'a>> = vec![
        (
            "reader pass",
            Box::new(move || {
                black_box(reader_pass(black_box(input)));
            }),
        ),
        (
            "c14n SignedInfo (from its context)",
            Box::new(move || {
                black_box(c14n_element(
                    black_box(input),
                    &parts.signed_info,
                    Vec::new(),
                ));
            }),
        ),
        (
            "c14n+SHA-256 document",
            Box::new(move || {
                black_box(c14n_digest(
                    black_box(input),
                    Selection::document().excluding(parts.signature),
                ));
            }),
        ),
    ];
    if let Some(context) = &parts.signed_properties {
        out.push((
            "c14n+SHA-256 SignedProperties (from its context)",
            Box::new(move || {
                let sink = c14n_element(black_box(input), context, sha256_sink());
                black_box(sink.0.finish());
            }),
        ));
    }
    out.push((
        "signature value",
        Box::new(move || {
            let r = hoso_pki::verify_signature(
                signer.public_key(),
                parts.scheme,
                EcdsaEncoding::Fixed,
                black_box(&signed_info),
                &parts.signature_value,
                false,
            );
            r.expect("checked");
        }),
    ));
    out.push((
        "parse KeyInfo certificates",
        Box::new(move || {
            for der in &parts.certificates {
                black_box(Certificate::from_der(black_box(der)).expect("checked"));
            }
        }),
    ));
    out.push((
        "KeyInfo certificates, store's cache",
        Box::new(move || {
            for der in &parts.certificates {
                black_box(shared.parse_certificate(black_box(der)).expect("checked"));
            }
        }),
    ));
    out.push((
        "path validation, shared store",
        Box::new(move || validate(shared)),
    ));
    out.push((
        "path validation, fresh store",
        Box::new(move || validate_cold(&store_with(anchor))),
    ));
    Ok(out)
}

/// Without `--bench`: small generated documents, signed and verified once
/// each way; no timing.
fn smoke() -> Result<(), String> {
    let anchor = root()?;
    let shared = store_with(&anchor);
    for spec in &forms::STANDARD {
        // The large form is stood in for by a 50 KB one here.
        let size = spec.size.min(50_000);
        let unsigned = forms::form(size, forms::SEED);
        assert!(unsigned.len() >= size);
        let signed = forms::sign(&unsigned, spec)?;
        let canonical = verify(&signed, &shared).map_err(|e| format!("{}: {e}", spec.name))?;
        assert!(canonical > size / 2);
        verify(&signed, &store_with(&anchor)).map_err(|e| format!("{}: {e}", spec.name))?;
        let parts = find_parts(&signed)?;
        for (_, mut phase) in phases(&signed, &parts, &anchor, &shared)? {
            phase();
        }
    }
    println!("verify bench: smoke run passed (run with `cargo bench` to measure)");
    Ok(())
}

fn run(o: &Options) -> Result<(), String> {
    let files: Vec<PathBuf> = if o.files.is_empty() {
        forms::ensure(&o.dir)?.into_iter().map(|g| g.path).collect()
    } else {
        o.files.clone()
    };
    let anchor = root()?;
    let shared = store_with(&anchor);
    if o.tsv {
        println!(
            "tool\tcase\tfile\tbytes\titers\tmedian_us\tbest_us\tmedian_per_s\tbest_per_s\tmedian_MBps\tbest_MBps"
        );
    } else {
        println!(
            "hoso-dsig verify_form, one thread; MB = 10^6 bytes of input; min time {:.1} s or {} runs per case",
            o.min_time.as_secs_f64(),
            o.max_iters
        );
        println!(
            "{:<20} {:>10} {:<31} {:>7} {:>11} {:>11} {:>9} {:>9} {:>9}",
            "file", "bytes", "case", "runs", "median", "best", "med /s", "med MB/s", "best MB/s"
        );
    }
    for path in &files {
        let input = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        // One checked run first: a refusal is reported, not timed.
        verify(&input, &shared).map_err(|e| format!("{}: refused: {e}", path.display()))?;
        let report = |case: &str, s: Stats| {
            let per_s = |d: Duration| 1.0 / d.as_secs_f64();
            if o.tsv {
                println!(
                    "hoso\t{case}\t{name}\t{}\t{}\t{:.3}\t{:.3}\t{:.1}\t{:.1}\t{:.2}\t{:.2}",
                    input.len(),
                    s.iters,
                    s.median.as_secs_f64() * 1e6,
                    s.best.as_secs_f64() * 1e6,
                    per_s(s.median),
                    per_s(s.best),
                    mbps(input.len(), s.median),
                    mbps(input.len(), s.best),
                );
            } else {
                println!(
                    "{:<20} {:>10} {:<31} {:>7} {:>11} {:>11} {:>9.0} {:>9.1} {:>9.1}",
                    name,
                    input.len(),
                    case,
                    s.iters,
                    human(s.median),
                    human(s.best),
                    per_s(s.median),
                    mbps(input.len(), s.median),
                    mbps(input.len(), s.best),
                );
            }
        };
        let s = measure(o.min_time, o.max_iters, || {
            black_box(verify(black_box(&input), &shared).expect("checked above"));
        });
        report("verify_form, shared store", s);
        let s = measure(o.min_time, o.max_iters, || {
            let store = store_with(&anchor);
            black_box(verify(black_box(&input), &store).expect("checked above"));
        });
        report("verify_form, fresh store", s);
        if o.phases {
            let parts = find_parts(&input).map_err(|e| format!("{}: {e}", path.display()))?;
            for (case, mut f) in phases(&input, &parts, &anchor, &shared)? {
                report(case, measure(o.min_time, o.max_iters, &mut f));
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let (o, generate_only) = match parse_args() {
        Ok(v) => v,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let result = if generate_only {
        forms::ensure(&o.dir).map(|docs| {
            for d in docs {
                println!("{}\t{}", d.path.display(), d.ca_pem.display());
            }
        })
    } else if o.bench {
        run(&o)
    } else {
        smoke()
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
