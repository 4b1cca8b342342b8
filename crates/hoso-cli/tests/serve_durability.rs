//! `hoso serve` keeps what it acknowledged: submissions run concurrently
//! from several connections, the server is killed (SIGKILL) while some are
//! in flight, and after a restart on the same data folder and database
//! every dossier answered with 201 is there, with its lookup secret, its
//! attachments on disk (right SHA-256) and an intact audit chain. The
//! restarted server takes new submissions.
//!
//! On SQLite (in the data folder) and on PostgreSQL (a fresh database on
//! 127.0.0.1:5432, created and dropped with `psql`; skipped when that
//! server cannot be reached, unless `CI=true`).
//!
//! SIGKILL ends the process but not the machine: what this checks is that
//! no 201 is sent before the commit (and the attachment files) are done,
//! not the fsyncs themselves.

mod common;
#[path = "common/http.rs"]
mod http;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use hoso_pki::Timestamp;
use http::Client;
use serde_json::Value;

const AGENCIES: [&str; 5] = ["so-tnmt", "so-vhttdl", "so-gtvt", "so-tp", "ubnd-huyen"];
const SUBMITTERS: usize = 8;
const SUBMIT_FOR: Duration = Duration::from_millis(1500);
const BOUNDARY: &str = "hoso-durability-boundary-Q7M2K9XD";
const PG_ADDR: &str = "127.0.0.1:5432";

fn token(agency: &str) -> String {
    format!("token-{agency}-durability-TEST")
}

fn sha256_hex(bytes: &[u8]) -> String {
    hoso_dsig::DigestAlgorithm::Sha256
        .digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A submission body built from a committed signed example.
struct Body {
    procedure: String,
    content_type: String,
    bytes: Vec<u8>,
    /// The manifest: (field, sha256).
    attachments: Vec<(String, String)>,
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

/// One multipart body per committed signed example: the form, then each
/// attachment of its manifest under the manifest's field name.
fn bodies() -> &'static [Body] {
    static BODIES: OnceLock<Vec<Body>> = OnceLock::new();
    BODIES.get_or_init(|| {
        let definitions = hoso_forms::Definitions::load().unwrap();
        let mut trust = hoso_pki::TrustStore::new();
        hoso_pki::profiles::Profile::Demo.load_into(&mut trust);
        let forms = common::repo().join("examples/forms");
        let files: Vec<Vec<u8>> = std::fs::read_dir(forms.join("attachments"))
            .unwrap()
            .map(|e| std::fs::read(e.unwrap().path()).unwrap())
            .collect();
        let mut ids: Vec<String> = std::fs::read_dir(&forms)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.path().join("signed.xml").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        ids.sort();
        assert!(ids.len() >= 10, "the signed examples are missing: {ids:?}");
        ids.into_iter()
            .map(|procedure| {
                let signed = std::fs::read(forms.join(&procedure).join("signed.xml")).unwrap();
                let attachments = manifest(&definitions, &trust, &signed);
                let mut bytes = Vec::new();
                let mut part = |name: &str, content_type: &str, content: &[u8]| {
                    bytes.extend_from_slice(
                        format!(
                            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                             filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    bytes.extend_from_slice(content);
                    bytes.extend_from_slice(b"\r\n");
                };
                part("form", "application/xml", &signed);
                for (field, sha) in &attachments {
                    let file = files
                        .iter()
                        .find(|f| sha256_hex(f) == *sha)
                        .unwrap_or_else(|| {
                            panic!("{procedure}: no example attachment has SHA-256 {sha}")
                        });
                    part(field, "application/pdf", file);
                }
                bytes.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
                Body {
                    procedure,
                    content_type: format!("multipart/form-data; boundary={BOUNDARY}"),
                    bytes,
                    attachments,
                }
            })
            .collect()
    })
}

/// A running `hoso serve`; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Server {
    /// Starts `hoso serve` on a free port and waits until `/readyz` says so.
    async fn start(data_dir: &Path, config: &Path, database: Option<&str>) -> Server {
        let log = data_dir.join("server.log");
        for _ in 0..3 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let addr = SocketAddr::from(([127, 0, 0, 1], port));
            let stderr = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log)
                .unwrap();
            let mut command = Command::new(env!("CARGO_BIN_EXE_hoso"));
            command
                .current_dir(common::repo())
                .args(["serve", "--listen", &addr.to_string(), "--data-dir"])
                .arg(data_dir)
                .arg("--config")
                .arg(config)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(stderr);
            if let Some(url) = database {
                command.args(["--database", url]);
            }
            let mut server = Server {
                child: command.spawn().expect("hoso serve starts"),
                addr,
                log: log.clone(),
            };
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if server.child.try_wait().unwrap().is_some() {
                    break; // the port was taken meanwhile, or worse: see the log
                }
                if let Ok(r) = Client::new(addr).get("/readyz", None).await
                    && r.status == 200
                {
                    return server;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            server.kill();
        }
        panic!(
            "hoso serve did not become ready; its log:\n{}",
            read_log(&log)
        );
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reap.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn read_log(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("\"event\":\"submitted\""))
        .collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// A dossier the server acknowledged with 201.
#[derive(Debug, Clone)]
struct Acked {
    code: String,
    secret: String,
    agency: String,
    body: usize,
}

/// Submits the examples in turn from one connection until `stop`, keeping
/// the 201s and the unexpected answers; returns at the first I/O error
/// (the server went away).
async fn submitter(
    addr: SocketAddr,
    next: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Vec<Acked>>>,
    unexpected: Arc<Mutex<Vec<String>>>,
) -> Option<std::io::Error> {
    let bodies = bodies();
    let mut client = Client::new(addr);
    while !stop.load(Ordering::Relaxed) {
        let i = next.fetch_add(1, Ordering::Relaxed) % bodies.len();
        let body = &bodies[i];
        match client
            .post("/api/v1/dossiers", &body.content_type, &body.bytes)
            .await
        {
            Ok(r) if r.status == 201 => {
                let v = r.json();
                let text = |k: &str| v[k].as_str().map(str::to_owned);
                match (text("code"), text("secret"), text("agency")) {
                    (Some(code), Some(secret), Some(agency)) if v["status"]["code"] == 1 => {
                        acked.lock().unwrap().push(Acked {
                            code,
                            secret,
                            agency,
                            body: i,
                        })
                    }
                    _ => unexpected.lock().unwrap().push(format!(
                        "{}: 201 without code, secret, agency and status 1: {v}",
                        body.procedure
                    )),
                }
            }
            Ok(r) => unexpected.lock().unwrap().push(format!(
                "{}: HTTP {}: {}",
                body.procedure,
                r.status,
                r.text()
            )),
            Err(e) => return Some(e),
        }
    }
    None
}

/// What is wrong with an acknowledged dossier after the restart (empty:
/// nothing).
async fn check(client: &mut Client, data_dir: &Path, a: &Acked) -> Vec<String> {
    let mut problems = Vec::new();
    let body = &bodies()[a.body];
    let code = &a.code;
    let lookup = client
        .get(
            &format!("/api/v1/dossiers/{code}?secret={}", a.secret),
            None,
        )
        .await
        .expect("the restarted server answers");
    if lookup.status != 200 || lookup.json()["status"]["code"] != 1 {
        problems.push(format!(
            "{code}: lookup with its secret: HTTP {}: {}",
            lookup.status,
            lookup.text()
        ));
    }
    for (field, sha) in &body.attachments {
        match std::fs::read(data_dir.join("attachments").join(sha)) {
            Ok(bytes) if sha256_hex(&bytes) == *sha => {}
            Ok(bytes) => problems.push(format!(
                "{code}: attachment {field} ({sha}) on disk has {} bytes and SHA-256 {}",
                bytes.len(),
                sha256_hex(&bytes)
            )),
            Err(e) => problems.push(format!("{code}: attachment {field} ({sha}): {e}")),
        }
    }
    let officer = token(&a.agency);
    let full = client
        .get(&format!("/api/v1/dossiers/{code}"), Some(&officer))
        .await
        .expect("the restarted server answers");
    let mut listed: Vec<(String, String)> = full.json()["attachments"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|x| {
                    (
                        x["field"].as_str().unwrap_or_default().to_owned(),
                        x["sha256"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut expected = body.attachments.clone();
    listed.sort();
    expected.sort();
    if full.status != 200 || listed != expected {
        problems.push(format!(
            "{code}: officer lookup: HTTP {}, attachments {listed:?}, expected {expected:?}",
            full.status
        ));
    }
    let audit = client
        .get(&format!("/api/v1/dossiers/{code}/audit"), Some(&officer))
        .await
        .expect("the restarted server answers");
    let v = audit.json();
    if audit.status != 200 || v["chain"] != "intact" || v["events"][0]["action"] != "submit" {
        problems.push(format!(
            "{code}: audit: HTTP {}: {}",
            audit.status,
            audit.text()
        ));
    }
    problems
}

/// The whole scenario on one database (`None`: SQLite in the data folder).
async fn scenario(name: &str, database: Option<&str>) {
    let started = Instant::now();
    let data_dir = common::temp("serve-durability", name);
    let _ = std::fs::remove_dir_all(&data_dir);
    std::fs::create_dir_all(&data_dir).unwrap();
    let officers: Vec<Value> = AGENCIES
        .iter()
        .map(|a| serde_json::json!({ "name": format!("can-bo-{a}"), "agency": a, "token_sha256": sha256_hex(token(a).as_bytes()) }))
        .collect();
    let config = data_dir.join("config.json");
    std::fs::write(
        &config,
        serde_json::json!({ "officers": officers }).to_string(),
    )
    .unwrap();
    let bodies = bodies();

    // 1. Concurrent submissions; SIGKILL while they run.
    let mut server = Server::start(&data_dir, &config, database).await;
    let (next, stop) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let acked = Arc::new(Mutex::new(Vec::new()));
    let unexpected = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = (0..SUBMITTERS)
        .map(|_| {
            tokio::spawn(submitter(
                server.addr,
                next.clone(),
                stop.clone(),
                acked.clone(),
                unexpected.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(SUBMIT_FOR).await;
    let sent_before_kill = next.load(Ordering::Relaxed);
    server.kill();
    stop.store(true, Ordering::Relaxed);
    // Requests cut by the kill (a refused connection was not in flight).
    let mut interrupted = Vec::new();
    for t in tasks {
        if let Some(e) = t.await.unwrap()
            && e.kind() != std::io::ErrorKind::ConnectionRefused
        {
            interrupted.push(e.to_string());
        }
    }
    let acked = acked.lock().unwrap().clone();
    let unexpected = unexpected.lock().unwrap().clone();
    eprintln!(
        "{name}: {} requests sent, {} acknowledged (201), {} other answers, {} cut by the kill ({:?}) in {:.1} s",
        sent_before_kill,
        acked.len(),
        unexpected.len(),
        interrupted.len(),
        interrupted.first(),
        SUBMIT_FOR.as_secs_f64()
    );
    assert!(
        !acked.is_empty(),
        "{name}: nothing was acknowledged: {unexpected:?}\n{}",
        read_log(&server.log)
    );
    assert!(
        !interrupted.is_empty(),
        "{name}: no request was in flight when the server was killed"
    );

    // 2. Restart on the same data folder and database: every 201 is there.
    let server = Server::start(&data_dir, &config, database).await;
    let queue = Arc::new(Mutex::new(acked.clone()));
    let problems = Arc::new(Mutex::new(Vec::new()));
    let checkers: Vec<_> = (0..4)
        .map(|_| {
            let (queue, problems, data_dir, addr) = (
                queue.clone(),
                problems.clone(),
                data_dir.clone(),
                server.addr,
            );
            tokio::spawn(async move {
                let mut client = Client::new(addr);
                loop {
                    let Some(a) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let found = check(&mut client, &data_dir, &a).await;
                    problems.lock().unwrap().extend(found);
                }
            })
        })
        .collect();
    for c in checkers {
        c.await.unwrap();
    }
    let problems = problems.lock().unwrap().clone();

    // 3. The restarted server takes new submissions.
    let mut client = Client::new(server.addr);
    let mut after = Vec::new();
    for body in bodies.iter().step_by(7) {
        let r = client
            .post("/api/v1/dossiers", &body.content_type, &body.bytes)
            .await
            .unwrap();
        let v = r.json();
        let found = if r.status == 201 {
            let code = v["code"].as_str().unwrap_or_default();
            let secret = v["secret"].as_str().unwrap_or_default();
            let lookup = client
                .get(&format!("/api/v1/dossiers/{code}?secret={secret}"), None)
                .await
                .unwrap();
            lookup.status == 200
        } else {
            false
        };
        if !found {
            after.push(format!(
                "{}: HTTP {}: {}",
                body.procedure,
                r.status,
                r.text()
            ));
        }
    }
    drop(server);

    eprintln!(
        "{name}: checked {} acknowledged dossiers after the restart: {} problems; {:.1} s in all",
        acked.len(),
        problems.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        problems.is_empty(),
        "{name}: acknowledged dossiers lost or damaged after SIGKILL and restart ({} of {}):\n{}",
        problems.len(),
        acked.len(),
        problems
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        after.is_empty(),
        "{name}: the restarted server refused new submissions:\n{}",
        after.join("\n")
    );
    // Every valid submission answered before the kill must have been a 201.
    assert!(
        unexpected.is_empty(),
        "{name}: {} of {} submissions before the kill were not acknowledged, e.g.:\n{}\nserver log:\n{}",
        unexpected.len(),
        sent_before_kill,
        unexpected
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
        read_log(&data_dir.join("server.log"))
    );
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_every_acknowledged_dossier_across_sigkill() {
    scenario("sqlite", None).await;
}

/// A fresh PostgreSQL database, dropped when this goes.
struct PgDatabase {
    name: String,
}

fn psql(sql: &str) -> Result<(), String> {
    let (host, port) = PG_ADDR.split_once(':').unwrap();
    match Command::new("psql")
        .args([
            "-h",
            host,
            "-p",
            port,
            "-U",
            "postgres",
            "-d",
            "test",
            "-v",
            "ON_ERROR_STOP=1",
            "-qc",
            sql,
        ])
        .output()
    {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(String::from_utf8_lossy(&out.stderr).into_owned()),
        Err(e) => Err(format!("psql: {e}")),
    }
}

impl PgDatabase {
    /// `None` when no PostgreSQL answers on 127.0.0.1:5432 (or psql is
    /// missing) outside CI; a failure in CI.
    fn create() -> Option<PgDatabase> {
        let reachable =
            std::net::TcpStream::connect_timeout(&PG_ADDR.parse().unwrap(), Duration::from_secs(2))
                .map_err(|e| e.to_string());
        let name = format!(
            "hoso_durability_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_millis()
        );
        let created = reachable.and_then(|_| psql(&format!("CREATE DATABASE {name}")));
        match created {
            Ok(()) => Some(PgDatabase { name }),
            Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
                panic!("PostgreSQL on {PG_ADDR} is needed in CI: {e}")
            }
            Err(e) => {
                eprintln!("skipped: no PostgreSQL to use on {PG_ADDR} ({})", e.trim());
                None
            }
        }
    }

    fn url(&self) -> String {
        format!("postgres://postgres@{PG_ADDR}/{}", self.name)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Err(e) = psql(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )) {
            eprintln!("could not drop the test database {}: {e}", self.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_every_acknowledged_dossier_across_sigkill() {
    let Some(db) = PgDatabase::create() else {
        return;
    };
    scenario("postgres", Some(&db.url())).await;
}
