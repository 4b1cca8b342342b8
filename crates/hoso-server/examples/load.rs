//! A load generator for `hoso serve`: durable submissions per second and
//! their latency.
//!
//! ```text
//! cargo run --release -p hoso-server --example load -- \
//!     --url http://127.0.0.1:8080 --connections 32 --duration 10 \
//!     [--warmup 2] [--procedures all|ID,ID] [--threads 1] [--json]
//! ```
//!
//! Before the clock starts it builds one `multipart/form-data` request per
//! committed signed example (`examples/forms/<procedure>/signed.xml`, with
//! the attachments its signed manifest names, from
//! `examples/forms/attachments/`). Then it opens N keep-alive HTTP/1.1
//! connections, each sending one request at a time (closed loop), cycling
//! through the bodies; it writes the requests and reads the responses itself
//! (Content-Length framing). Requests completed during the warm-up are not
//! counted; of those completed in the measured window it reports the 201s
//! per second (each 201 is a committed dossier), the latency percentiles
//! (from writing the request to reading the whole response, all statuses)
//! and the errors by status. Anything but 201 is an error; the first few
//! error bodies are printed. `--json` prints one JSON line instead.

use std::collections::BTreeMap;
use std::net::{SocketAddr, ToSocketAddrs as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hoso_pki::Timestamp;
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

const BOUNDARY: &str = "hoso-load-boundary-3PZQ8RVW";
/// How many error bodies are printed.
const SHOWN_ERRORS: usize = 3;

struct Args {
    url: String,
    addr: SocketAddr,
    host: String,
    connections: usize,
    duration: f64,
    warmup: f64,
    procedures: Option<Vec<String>>,
    threads: usize,
    json: bool,
}

fn usage(message: &str) -> ! {
    eprintln!("error: {message}");
    eprintln!(
        "usage: load --url http://HOST:PORT [--connections N] [--duration SECONDS] [--warmup SECONDS] \
         [--procedures all|ID,ID] [--threads N] [--json]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut url = "http://127.0.0.1:8080".to_owned();
    let (mut connections, mut duration, mut warmup, mut threads) = (32usize, 10f64, 2f64, 1usize);
    let mut procedures = None;
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| usage(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--url" => url = value("--url"),
            "--connections" => {
                connections = value("--connections")
                    .parse()
                    .unwrap_or_else(|_| usage("--connections: a number"))
            }
            "--duration" => {
                duration = value("--duration")
                    .parse()
                    .unwrap_or_else(|_| usage("--duration: seconds"))
            }
            "--warmup" => {
                warmup = value("--warmup")
                    .parse()
                    .unwrap_or_else(|_| usage("--warmup: seconds"))
            }
            "--threads" => {
                threads = value("--threads")
                    .parse()
                    .unwrap_or_else(|_| usage("--threads: a number"))
            }
            "--procedures" => {
                let list = value("--procedures");
                if list != "all" {
                    procedures = Some(
                        list.split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect(),
                    );
                }
            }
            "--json" => json = true,
            "-h" | "--help" => usage("help"),
            other => usage(&format!("unknown argument {other:?}")),
        }
    }
    if connections == 0 || threads == 0 || duration <= 0.0 || warmup < 0.0 {
        usage(
            "--connections and --threads must be at least 1, --duration above 0, --warmup not negative",
        );
    }
    let host = url
        .strip_prefix("http://")
        .unwrap_or_else(|| usage("--url must start with http://"))
        .trim_end_matches('/')
        .to_owned();
    let addr = host
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .unwrap_or_else(|| usage(&format!("cannot resolve {host:?} (HOST:PORT expected)")));
    Args {
        url,
        addr,
        host,
        connections,
        duration,
        warmup,
        procedures,
        threads,
        json,
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The attachments a signed example's manifest names: (field, sha256).
fn manifest(
    definitions: &hoso_forms::Definitions,
    trust: &hoso_pki::TrustStore,
    xml: &[u8],
) -> Vec<(String, String)> {
    let accepted =
        hoso_dsig::verify_form(xml, &hoso_dsig::VerifyOptions::new(trust, Timestamp::now()))
            .unwrap_or_else(|r| panic!("a committed example does not verify: {}", r.refusal));
    let form = definitions
        .validate(&accepted.signed.canonical, None)
        .expect("a valid example");
    form.attachments()
        .into_iter()
        .map(|a| (a.field, a.sha256))
        .collect()
}

/// One complete request (head and multipart body) per chosen example.
fn build_requests(args: &Args) -> Vec<(String, Vec<u8>)> {
    let definitions = hoso_forms::Definitions::load().expect("the form definitions load");
    let mut trust = hoso_pki::TrustStore::new();
    hoso_pki::profiles::Profile::Demo.load_into(&mut trust);
    let attachments: Vec<Vec<u8>> = std::fs::read_dir(repo().join("examples/forms/attachments"))
        .expect("examples/forms/attachments")
        .map(|e| std::fs::read(e.expect("a directory entry").path()).expect("an attachment"))
        .collect();
    let mut ids: Vec<String> = std::fs::read_dir(repo().join("examples/forms"))
        .expect("examples/forms")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("signed.xml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    if let Some(wanted) = &args.procedures {
        for w in wanted {
            if !ids.contains(w) {
                usage(&format!("no signed example for procedure {w:?}"));
            }
        }
        ids.retain(|id| wanted.contains(id));
    }
    ids.into_iter()
        .map(|id| {
            let signed = read(&format!("examples/forms/{id}/signed.xml"));
            let mut body = Vec::new();
            let mut part = |name: &str, content_type: &str, bytes: &[u8]| {
                body.extend_from_slice(
                    format!(
                        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n\
                         Content-Type: {content_type}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            };
            part("form", "application/xml", &signed);
            for (field, sha) in manifest(&definitions, &trust, &signed) {
                let bytes = attachments
                    .iter()
                    .find(|a| sha256_hex(a) == sha)
                    .unwrap_or_else(|| panic!("{id}: no example attachment has SHA-256 {sha}"));
                part(&field, "application/pdf", bytes);
            }
            body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
            let mut request = format!(
                "POST /api/v1/dossiers HTTP/1.1\r\nHost: {}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n\
                 Content-Length: {}\r\n\r\n",
                args.host,
                body.len()
            )
            .into_bytes();
            request.extend_from_slice(&body);
            (id, request)
        })
        .collect()
}

/// Reads one response: (status, body). Content-Length framing; without
/// one, the body runs to the end of the connection.
async fn read_response(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<(u16, Vec<u8>, bool)> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head =
        std::str::from_utf8(&buf[..head_end]).map_err(|_| bad("response head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status line"))?;
    let (mut length, mut close) = (None, false);
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| bad("bad Content-Length"))?,
                );
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                return Err(bad("chunked responses are not supported"));
            } else if name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close")
            {
                close = true;
            }
        }
    }
    buf.drain(..head_end);
    match length {
        Some(length) => {
            while buf.len() < length {
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = buf.drain(..length).collect();
            Ok((status, body, close))
        }
        None => {
            stream.read_to_end(buf).await?;
            Ok((status, std::mem::take(buf), true))
        }
    }
}

#[derive(Default)]
struct Tally {
    /// Latencies of the responses completed in the measured window, µs.
    latencies: Vec<u64>,
    created: u64,
    /// Errors by status ("500", "io", "connect").
    errors: BTreeMap<String, u64>,
    /// All responses, warm-up included.
    total: u64,
    /// Errors of any kind during the warm-up (not in `errors`).
    warmup_errors: u64,
}

struct Shared {
    requests: Vec<(String, Vec<u8>)>,
    next: AtomicUsize,
    shown: Mutex<Vec<String>>,
}

async fn connection(
    args: Arc<Args>,
    shared: Arc<Shared>,
    measure_from: Instant,
    end: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut stream: Option<TcpStream> = None;
    let mut buf = Vec::with_capacity(64 * 1024);
    let count_error = |tally: &mut Tally, at: Instant, kind: String| {
        if at < measure_from {
            tally.warmup_errors += 1;
        } else if at < end {
            *tally.errors.entry(kind).or_default() += 1;
        }
    };
    while Instant::now() < end {
        let s = match &mut stream {
            Some(s) => s,
            None => match TcpStream::connect(args.addr).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    buf.clear();
                    stream.insert(s)
                }
                Err(e) => {
                    count_error(&mut tally, Instant::now(), "connect".into());
                    remember(&shared, format!("connect: {e}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let i = shared.next.fetch_add(1, Ordering::Relaxed) % shared.requests.len();
        let (id, request) = &shared.requests[i];
        let started = Instant::now();
        let outcome = match s.write_all(request).await {
            Ok(()) => read_response(s, &mut buf).await,
            Err(e) => Err(e),
        };
        let done = Instant::now();
        match outcome {
            Ok((status, body, close)) => {
                tally.total += 1;
                if done >= measure_from && done < end {
                    tally
                        .latencies
                        .push(done.duration_since(started).as_micros() as u64);
                    if status == 201 {
                        tally.created += 1;
                    }
                }
                if status != 201 {
                    count_error(&mut tally, done, status.to_string());
                    remember(
                        &shared,
                        format!("{id}: HTTP {status}: {}", String::from_utf8_lossy(&body)),
                    );
                }
                if close {
                    stream = None;
                }
            }
            Err(e) => {
                count_error(&mut tally, done, "io".into());
                remember(&shared, format!("{id}: {e}"));
                stream = None;
            }
        }
    }
    tally
}

fn remember(shared: &Shared, what: String) {
    let mut shown = shared.shown.lock().unwrap();
    if shown.len() < SHOWN_ERRORS {
        shown.push(what);
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

fn main() {
    let args = Arc::new(parse_args());
    let requests = build_requests(&args);
    if requests.is_empty() {
        usage("no signed example chosen");
    }
    let procedures = requests.len();
    let shared = Arc::new(Shared {
        requests,
        next: AtomicUsize::new(0),
        shown: Mutex::new(Vec::new()),
    });
    let runtime = if args.threads == 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(args.threads)
            .enable_all()
            .build()
    }
    .expect("the runtime starts");
    if !args.json {
        eprintln!(
            "load: {} procedures, {} connections, {} s warm-up + {} s measured, {}",
            procedures, args.connections, args.warmup, args.duration, args.url
        );
    }
    let tallies: Vec<Tally> = runtime.block_on(async {
        let start = Instant::now();
        let measure_from = start + Duration::from_secs_f64(args.warmup);
        let end = measure_from + Duration::from_secs_f64(args.duration);
        let tasks: Vec<_> = (0..args.connections)
            .map(|_| tokio::spawn(connection(args.clone(), shared.clone(), measure_from, end)))
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("a connection task"));
        }
        out
    });

    let mut latencies: Vec<u64> = tallies
        .iter()
        .flat_map(|t| t.latencies.iter().copied())
        .collect();
    latencies.sort_unstable();
    let created: u64 = tallies.iter().map(|t| t.created).sum();
    let total: u64 = tallies.iter().map(|t| t.total).sum();
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    for t in &tallies {
        for (k, v) in &t.errors {
            *errors.entry(k.clone()).or_default() += v;
        }
    }
    let error_count: u64 = errors.values().sum();
    let warmup_errors: u64 = tallies.iter().map(|t| t.warmup_errors).sum();
    let rate = created as f64 / args.duration;
    let (p50, p90, p99, max) = (
        percentile(&latencies, 50.0),
        percentile(&latencies, 90.0),
        percentile(&latencies, 99.0),
        latencies.last().map_or(0.0, |m| *m as f64 / 1000.0),
    );
    let shown = shared.shown.lock().unwrap().clone();
    if args.json {
        println!(
            "{}",
            json!({
                "url": args.url,
                "connections": args.connections,
                "warmup_s": args.warmup,
                "duration_s": args.duration,
                "procedures": procedures,
                "requests": latencies.len(),
                "requests_all": total,
                "created": created,
                "submissions_per_s": (rate * 10.0).round() / 10.0,
                "latency_ms": { "p50": p50, "p90": p90, "p99": p99, "max": max },
                "errors": errors,
                "error_count": error_count,
                "warmup_errors": warmup_errors,
                "error_samples": shown,
            })
        );
    } else {
        println!(
            "requests:               {} in the measured window ({} in all)",
            latencies.len(),
            total
        );
        println!(
            "durable submissions/s:  {rate:.1} ({created} × 201 in {} s)",
            args.duration
        );
        println!("latency (ms):           p50 {p50:.2}  p90 {p90:.2}  p99 {p99:.2}  max {max:.2}");
        if errors.is_empty() {
            println!("errors:                 0");
        } else {
            let list: Vec<String> = errors.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            println!(
                "errors:                 {error_count} ({})",
                list.join(", ")
            );
        }
        if warmup_errors > 0 {
            println!("errors in the warm-up:  {warmup_errors} (not counted above)");
        }
        for s in &shown {
            let s: String = s.chars().take(600).collect();
            println!("  e.g. {s}");
        }
    }
}
