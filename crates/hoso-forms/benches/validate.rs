//! Form validation throughput of `hoso-forms`, without a benchmark
//! framework.
//!
//! ```sh
//! cargo bench -p hoso-forms --bench validate                    # the standard forms
//! cargo bench -p hoso-forms --bench validate -- a.xml b.json    # given files
//! cargo bench -p hoso-forms --bench validate -- --tsv --min-time 2
//! ```
//!
//! Without file arguments it measures the committed valid examples of two
//! typical forms, in XML and JSON: the groundwater extraction permit
//! (procedure 2: an organisation applicant, two wells, three attachments)
//! and the judicial record certificate no. 1 (procedure 20: a person and a
//! residence history).
//!
//! One run is one [`hoso_forms::Definitions::validate`] of the whole form,
//! from bytes to the typed model, with the definitions loaded once (as a
//! service would). Timing: a warm-up (at least 0.2 s and 3 runs), then runs
//! until `--min-time` seconds (default 1) or `--max-iters` runs (default
//! 1,000,000), at least 3; the median and best run are reported as time per
//! form and validations per second (one thread).
//!
//! Run without `--bench` (as `cargo test --all-targets` does), it validates
//! each file once and never looks at timings.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use hoso_forms::Definitions;

#[path = "../../../benches/common/timing.rs"]
mod timing;

const STANDARD: [&str; 4] = [
    "examples/forms/tnmt-02-khai-thac-nuoc-duoi-dat/valid.xml",
    "examples/forms/tnmt-02-khai-thac-nuoc-duoi-dat/valid.json",
    "examples/forms/tp-20-ly-lich-tu-phap-so-1/valid.xml",
    "examples/forms/tp-20-ly-lich-tu-phap-so-1/valid.json",
];

fn main() -> ExitCode {
    let mut bench = false;
    let mut tsv = false;
    let mut min_time = 1.0_f64;
    let mut max_iters = 1_000_000_usize;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => bench = true,
            "--tsv" => tsv = true,
            "--min-time" => min_time = args.next().and_then(|v| v.parse().ok()).unwrap_or(min_time),
            "--max-iters" => {
                max_iters = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(max_iters)
            }
            a if a.starts_with("--") => {}
            file => files.push(PathBuf::from(file)),
        }
    }
    if files.is_empty() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        files = STANDARD.iter().map(|f| repo.join(f)).collect();
    }
    let definitions = Definitions::load().expect("definitions load");
    if tsv {
        println!("tool\tcase\tfile\tbytes\titers\tmedian_us\tbest_us\tper_s\tbest_per_s");
    }
    for file in &files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                return ExitCode::from(2);
            }
        };
        let form = match definitions.validate(&bytes, None) {
            Ok(form) => form,
            Err(rejection) => {
                eprintln!("{}: not a valid form: {rejection}", file.display());
                return ExitCode::FAILURE;
            }
        };
        if !bench {
            continue;
        }
        let encoding = if bytes.trim_ascii_start().starts_with(b"{") {
            "JSON"
        } else {
            "XML"
        };
        let stats = timing::measure(Duration::from_secs_f64(min_time), max_iters, || {
            black_box(definitions.validate(black_box(&bytes), None).is_ok());
        });
        let name = format!(
            "{}/{}",
            form.procedure,
            file.file_name().unwrap_or_default().to_string_lossy()
        );
        let per_s = 1.0 / stats.median.as_secs_f64();
        let best_per_s = 1.0 / stats.best.as_secs_f64();
        if tsv {
            println!(
                "hoso\tvalidate {encoding}\t{name}\t{}\t{}\t{:.2}\t{:.2}\t{per_s:.0}\t{best_per_s:.0}",
                bytes.len(),
                stats.iters,
                stats.median.as_secs_f64() * 1e6,
                stats.best.as_secs_f64() * 1e6,
            );
        } else {
            println!(
                "{name:<60} {:>7} B  {:>10} ({:>10})  {per_s:>9.0}/s  {} runs",
                bytes.len(),
                timing::human(stats.median),
                timing::human(stats.best),
                stats.iters
            );
        }
    }
    ExitCode::SUCCESS
}
