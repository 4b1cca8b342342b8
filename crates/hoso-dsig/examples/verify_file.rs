//! Verifies one signed form under the form policy and reports the process's
//! peak memory, for the peak-RSS column of the signature-verification
//! benchmark (`scripts/bench-verify.sh`).
//!
//! ```sh
//! cargo run --release -p hoso-dsig --example verify_file -- \
//!     [--trusted-pem certs/test/ca/root.pem] [--at 2030-01-01T00:00:00Z] [--iters N] FILE
//! ```
//!
//! The trust store (the root as the only anchor; default: the TEST national
//! root of `certs/test`) is built first.  Then it prints
//! `input_bytes=… canonical_bytes=… rss_start_kib=… hwm_kib=… key=… chain=… signer=…`:
//! VmRSS once the store is built, before the file is read, and VmHWM (peak
//! resident set) at the end, from `/proc/self/status`.  The whole input is
//! read into memory first, so the memory the verification itself needs is
//! about `hwm_kib - rss_start_kib - input_bytes / 1024`.  `canonical_bytes` is
//! the size of the canonical form `verify_form` returns (the signed form,
//! kept in memory); `key` the signer's key (spaces as `_`), `chain` the
//! length of the validated path.  Exits 1 with the refusal when the form is
//! refused.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hoso_dsig::VerifyOptions;
use hoso_pki::{Timestamp, TrustStore};

/// A `VmRSS` / `VmHWM` line of `/proc/self/status`, in KiB (0 where there is
/// no such file).
fn proc_status_kib(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn run() -> Result<(), String> {
    let mut trusted: PathBuf =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../certs/test/ca/root.pem");
    let mut at = "2030-01-01T00:00:00Z".to_string();
    let mut iters = 1usize;
    let mut file = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--trusted-pem" => trusted = value("--trusted-pem")?.into(),
            "--at" => at = value("--at")?,
            "--iters" => {
                let v = value("--iters")?;
                iters = v.parse().map_err(|_| format!("bad --iters {v:?}"))?;
            }
            s if s.starts_with('-') => return Err(format!("unknown option {s}")),
            _ if file.is_none() => file = Some(arg),
            _ => return Err("only one file".into()),
        }
    }
    let file = file.ok_or(
        "usage: verify_file [--trusted-pem ROOT] [--at RFC3339] [--iters N] FILE".to_string(),
    )?;
    let at = Timestamp::parse_rfc3339(&at).map_err(|e| format!("--at: {e}"))?;
    let mut store = TrustStore::new();
    store
        .add_pem_file(&trusted, true)
        .map_err(|e| e.to_string())?;
    let options = VerifyOptions::new(&store, at);

    let rss_start = proc_status_kib("VmRSS");
    let input = std::fs::read(&file).map_err(|e| format!("{file}: {e}"))?;
    let mut last = None;
    for _ in 0..iters.max(1) {
        // The previous result is dropped first, as a service would.
        drop(last.take());
        last = Some(
            hoso_dsig::verify_form(&input, &options)
                .map_err(|refused| format!("{file}: refused: {}", refused.refusal))?,
        );
    }
    let accepted = last.expect("at least one run");
    let canonical_bytes = accepted.signed.canonical.len();
    let chain = accepted.signature.chain.len();
    let (key, signer) = accepted
        .signature
        .signer
        .as_ref()
        .map(|c| (c.public_key().describe().replace(' ', "_"), c.subject()))
        .unwrap_or_default();
    let hwm = proc_status_kib("VmHWM");
    println!(
        "input_bytes={} canonical_bytes={canonical_bytes} rss_start_kib={rss_start} hwm_kib={hwm} \
         key={key} chain={chain} signer={signer:?}",
        input.len()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
