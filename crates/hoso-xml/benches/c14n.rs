//! Canonicalization throughput of `hoso-xml`, without a benchmark framework.
//!
//! ```sh
//! cargo bench -p hoso-xml --bench c14n                      # the standard corpus
//! cargo bench -p hoso-xml --bench c14n -- a.xml b.xml       # given files
//! cargo bench -p hoso-xml --bench c14n -- --tsv --min-time 2 --methods exc-c14n
//! ```
//!
//! Without file arguments the standard corpus (Vietnamese e-invoices of about
//! 5 KB, 100 KB and 10 MB, see `support/corpus.rs`) is written to
//! `target/bench-corpus/` when missing, and measured.  Each document is
//! parsed and canonicalized in one pass (that is what the canonicalizer does:
//! it reads as it writes) into `std::io::sink()` and into a reused `Vec<u8>`.
//!
//! Timing: a warm-up (at least 0.2 s and 3 runs), then runs until at least
//! `--min-time` seconds (default 1) have been measured or `--max-iters` runs
//! (default 100,000) were made, with at least 3 runs.  Each run is timed on
//! its own; the median and the best run are reported as time per document and
//! as MB/s of input (MB = 10^6 bytes).
//!
//! Run without `--bench` (as `cargo test --all-targets` does), it only checks
//! once, on small generated documents, that every path works; it never looks
//! at timings there.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use hoso_xml::{Canonicalizer, Limits, Method, Selection};

#[path = "../../../benches/common/timing.rs"]
mod timing;
use timing::{Stats, human, mbps, measure};

#[path = "support/corpus.rs"]
mod corpus;

struct Options {
    bench: bool,
    tsv: bool,
    min_time: Duration,
    max_iters: usize,
    methods: Vec<Method>,
    corpus_dir: PathBuf,
    files: Vec<PathBuf>,
}

fn usage() -> &'static str {
    "usage: c14n --bench [--tsv] [--min-time SECS] [--max-iters N] [--methods exc-c14n,c14n,...] \
     [--corpus-dir DIR] [--generate-only] [FILE...]"
}

fn parse_args() -> Result<(Options, bool), String> {
    let mut o = Options {
        bench: false,
        tsv: false,
        min_time: Duration::from_secs(1),
        max_iters: 100_000,
        methods: ["exc-c14n", "c14n"]
            .iter()
            .map(|n| Method::from_name(n).expect("known"))
            .collect(),
        corpus_dir: corpus::default_dir(),
        files: Vec::new(),
    };
    let mut generate_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--bench" => o.bench = true,
            "--tsv" => o.tsv = true,
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
            "--methods" => {
                o.methods = value("--methods")?
                    .split(',')
                    .map(|n| Method::from_name(n).ok_or(format!("unknown method {n:?}")))
                    .collect::<Result<_, _>>()?;
            }
            "--corpus-dir" => o.corpus_dir = value("--corpus-dir")?.into(),
            "-h" | "--help" => return Err(usage().into()),
            // Options cargo may pass to a bench or test binary.
            "--nocapture" | "--quiet" | "-q" | "--show-output" => {}
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{}", usage())),
            _ => o.files.push(arg.into()),
        }
    }
    Ok((o, generate_only))
}

fn canonicalize(c14n: &Canonicalizer, input: &[u8], limits: &Limits) -> Vec<u8> {
    c14n.to_vec(input, Selection::document(), limits)
        .unwrap_or_else(|e| panic!("canonicalization failed: {e}"))
}

/// Without `--bench`: every method over small generated documents, once, into
/// both outputs; no timing.
fn smoke() {
    let limits = Limits::default();
    for (i, size) in [2_000, 20_000].into_iter().enumerate() {
        let doc = corpus::invoice(size, i as u64);
        assert!(doc.len() >= size / 2);
        for method in Method::all() {
            let c14n = Canonicalizer::new(method);
            let out = canonicalize(&c14n, &doc, &limits);
            assert!(!out.is_empty());
            let mut reused = Vec::new();
            c14n.write(&doc, Selection::document(), &limits, &mut reused)
                .expect("canonicalization into a reused buffer");
            assert_eq!(out, reused);
            c14n.write(&doc, Selection::document(), &limits, std::io::sink())
                .expect("canonicalization into a sink");
        }
    }
    println!("c14n bench: smoke run passed (run with `cargo bench` to measure)");
}

fn main() -> ExitCode {
    let (o, generate_only) = match parse_args() {
        Ok(v) => v,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    if !o.bench && !generate_only {
        smoke();
        return ExitCode::SUCCESS;
    }
    let files = if o.files.is_empty() {
        match corpus::ensure(&o.corpus_dir) {
            Ok(paths) => paths,
            Err(e) => {
                eprintln!("cannot write the corpus to {}: {e}", o.corpus_dir.display());
                return ExitCode::FAILURE;
            }
        }
    } else {
        o.files.clone()
    };
    if generate_only {
        for f in &files {
            println!("{}", f.display());
        }
        return ExitCode::SUCCESS;
    }

    let limits = Limits::default();
    if o.tsv {
        println!(
            "tool\tmethod\toutput\tfile\tbytes\titers\tmedian_us\tbest_us\tmedian_MBps\tbest_MBps"
        );
    } else {
        println!(
            "hoso-xml canonicalization (parse + c14n in one pass), MB = 10^6 bytes of input; \
             min time {:.1} s or {} runs per case",
            o.min_time.as_secs_f64(),
            o.max_iters
        );
        println!(
            "{:<22} {:>10} {:<9} {:<6} {:>7} {:>11} {:>11} {:>10} {:>10}",
            "file", "bytes", "method", "output", "runs", "median", "best", "med MB/s", "best MB/s"
        );
    }
    for path in &files {
        let input = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        for &method in &o.methods {
            let c14n = Canonicalizer::new(method);
            // One checked run first: a failure is reported, not timed.
            let expected = match c14n.to_vec(&input, Selection::document(), &limits) {
                Ok(v) => v,
                Err(e) => {
                    eprintln!("{}: {}: {e}", path.display(), method.name());
                    return ExitCode::FAILURE;
                }
            };
            let report = |output: &str, s: Stats| {
                if o.tsv {
                    println!(
                        "hoso\t{}\t{output}\t{name}\t{}\t{}\t{:.3}\t{:.3}\t{:.1}\t{:.1}",
                        method.name(),
                        input.len(),
                        s.iters,
                        s.median.as_secs_f64() * 1e6,
                        s.best.as_secs_f64() * 1e6,
                        mbps(input.len(), s.median),
                        mbps(input.len(), s.best),
                    );
                } else {
                    println!(
                        "{:<22} {:>10} {:<9} {:<6} {:>7} {:>11} {:>11} {:>10.1} {:>10.1}",
                        name,
                        input.len(),
                        method.name(),
                        output,
                        s.iters,
                        human(s.median),
                        human(s.best),
                        mbps(input.len(), s.median),
                        mbps(input.len(), s.best),
                    );
                }
            };
            let sink = measure(o.min_time, o.max_iters, || {
                let r = c14n.write(
                    black_box(&input),
                    Selection::document(),
                    &limits,
                    std::io::sink(),
                );
                black_box(r.expect("checked above"));
            });
            report("sink", sink);
            let mut buf: Vec<u8> = Vec::with_capacity(expected.len());
            let vec = measure(o.min_time, o.max_iters, || {
                buf.clear();
                let r = c14n.write(black_box(&input), Selection::document(), &limits, &mut buf);
                black_box(r.expect("checked above"));
            });
            report("vec", vec);
            assert_eq!(buf, expected, "the reused buffer holds the canonical form");
        }
    }
    ExitCode::SUCCESS
}
