//! Canonicalizes one file N times into `std::io::sink()` and reports the
//! process's peak memory, for the peak-RSS column of the canonicalization
//! benchmark (`scripts/bench-c14n.sh`).
//!
//! ```sh
//! cargo run --release -p hoso-xml --example c14n_file -- [--method exc-c14n] [--iters N] [--out FILE] FILE
//! ```
//!
//! Prints `input_bytes=… output_bytes=… rss_start_kib=… hwm_kib=…`: VmRSS
//! before the file is read and VmHWM (peak resident set) at the end, from
//! `/proc/self/status`.  The whole input is read into memory first, so the
//! memory the canonicalization itself needs is about
//! `hwm_kib - rss_start_kib - input_bytes / 1024`.  With `--out` the
//! canonical form of the last run is also written to FILE (through a buffer,
//! to compare with another implementation; that run's output then goes to the
//! file rather than to the sink).

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use hoso_xml::{Canonicalizer, Limits, Method, Selection};

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

/// Counts the bytes written and drops them.
struct CountingSink(u64);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn run() -> Result<(), String> {
    let mut method = Method::from_name("exc-c14n").expect("known method");
    let mut iters = 1usize;
    let mut out_path = None;
    let mut file = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--method" => {
                let name = value("--method")?;
                method = Method::from_name(&name).ok_or(format!("unknown method {name:?}"))?;
            }
            "--iters" => {
                let v = value("--iters")?;
                iters = v.parse().map_err(|_| format!("bad --iters {v:?}"))?;
            }
            "--out" => out_path = Some(value("--out")?),
            s if s.starts_with('-') => return Err(format!("unknown option {s}")),
            _ if file.is_none() => file = Some(arg),
            _ => return Err("only one file".into()),
        }
    }
    let file = file.ok_or("usage: c14n_file [--method M] [--iters N] [--out FILE] FILE")?;

    let rss_start = proc_status_kib("VmRSS");
    let input = std::fs::read(&file).map_err(|e| format!("{file}: {e}"))?;
    let c14n = Canonicalizer::new(method);
    let limits = Limits::default();
    let mut output_bytes = 0;
    for i in 0..iters.max(1) {
        let last = i + 1 == iters.max(1);
        if let (true, Some(path)) = (last, &out_path) {
            let f = std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?;
            let mut w = c14n
                .write(&input, Selection::document(), &limits, BufWriter::new(f))
                .map_err(|e| format!("{file}: {e}"))?;
            w.flush().map_err(|e| format!("{path}: {e}"))?;
            output_bytes = std::fs::metadata(path).map_or(0, |m| m.len());
        } else {
            let sink = c14n
                .write(&input, Selection::document(), &limits, CountingSink(0))
                .map_err(|e| format!("{file}: {e}"))?;
            output_bytes = sink.0;
        }
    }
    let hwm = proc_status_kib("VmHWM");
    println!(
        "input_bytes={} output_bytes={output_bytes} rss_start_kib={rss_start} hwm_kib={hwm}",
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
