//! The HTTP API (`/api/v1`), health and metrics, on axum.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{
    DefaultBodyLimit, FromRequest, Multipart, Path as UrlPath, Query, Request, State,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use hoso_dsig::report::{Lang as ReportLang, render};
use hoso_dsig::{AcceptedForm, VerifyOptions};
use hoso_forms::{
    Catalog, Definitions, FeeOutcome, FeeRules, Form, Lang, Rejection, Value as FormValue,
};
use hoso_pki::{Crl, PersonalId, Timestamp, TrustStore};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::calendar::Calendar;
use crate::codes;
use crate::config::{Config, Officer, is_agency_id, lead_agency};
use crate::problem::Problem;
use crate::status::{Action, Status};
use crate::store::{AttachmentRecord, Dossier, NewDossier, ResultDocument, Store, StoreError};

mod level4;

/// How many attachment digests [`App`] remembers as durable before it
/// starts over (a bound on memory, not on correctness).
const MAX_REMEMBERED_ATTACHMENTS: usize = 100_000;

/// Seconds east of UTC of Vietnam's time zone: days of receipt and
/// appointments are Vietnamese calendar days.
const VIETNAM_OFFSET: i64 = 7 * 3600;

/// The Vietnamese calendar day (`YYYY-MM-DD`) of a Unix time.
fn vietnam_day(unix: i64) -> String {
    Timestamp::from_unix(unix + VIETNAM_OFFSET).to_string()[..10].to_owned()
}

/// The shared state of the service.
pub struct App {
    store: Store,
    definitions: Definitions,
    catalog: Catalog,
    trust: TrustStore,
    crls: Vec<Crl>,
    calendar: Calendar,
    officers: HashMap<String, Officer>,
    attachments_dir: PathBuf,
    /// Digests of attachments this process wrote and synced (or found and
    /// synced): a later submission of the same file needs no disk access.
    durable_attachments: std::sync::Mutex<std::collections::HashSet<String>>,
    metrics: Metrics,
    max_body_bytes: usize,
    fees: FeeRules,
    level4: level4::Level4,
}

/// Counters for `/metrics`.
#[derive(Default)]
struct Metrics {
    submitted: AtomicU64,
    replayed: AtomicU64,
    refused: AtomicU64,
    actions: AtomicU64,
    lookups: AtomicU64,
    errors: AtomicU64,
    submit_micros: AtomicU64,
    /// Gateway notifications by outcome: credited, recorded (failed or
    /// kept for refund), replayed, refused (bad signature or parameters).
    notifications: [AtomicU64; 4],
}

/// Why the service cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The form definitions or the catalog.
    #[error("forms: {0}")]
    Forms(#[from] hoso_forms::FormsError),
    /// A trust file, the data directory or the listener.
    #[error("{0}")]
    Io(String),
}

impl App {
    /// Opens the store and loads what the service needs.
    pub async fn new(config: &Config) -> Result<Arc<App>, StartError> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| StartError::Io(format!("{}: {e}", config.data_dir.display())))?;
        let attachments_dir = config.data_dir.join("attachments");
        std::fs::create_dir_all(&attachments_dir)
            .map_err(|e| StartError::Io(format!("{}: {e}", attachments_dir.display())))?;
        sweep_partial_writes(&attachments_dir);
        let store = Store::open(&config.database_url()).await?;
        let mut trust = TrustStore::new();
        for name in &config.trust {
            if let Some(p) = hoso_pki::profiles::Profile::from_name(name) {
                p.load_into(&mut trust);
            }
        }
        for path in &config.trust_files {
            trust
                .add_pem_file(path, true)
                .map_err(|e| StartError::Io(format!("{}: {e}", path.display())))?;
        }
        let mut crls = Vec::new();
        for path in &config.crl_files {
            let bytes = std::fs::read(path)
                .map_err(|e| StartError::Io(format!("{}: {e}", path.display())))?;
            let crl = Crl::from_der(&bytes)
                .or_else(|_| Crl::from_pem(&bytes))
                .map_err(|e| StartError::Io(format!("{}: {e}", path.display())))?;
            crls.push(crl);
        }
        let days = |list: &[String]| -> Vec<hoso_forms::Date> {
            list.iter()
                .filter_map(|d| hoso_forms::Date::parse(d))
                .collect()
        };
        let calendar = Calendar::vietnam()
            .with_overrides(&days(&config.days_off), &days(&config.working_days));
        let officers = config
            .officers
            .iter()
            .map(|o| (o.token_sha256.to_ascii_lowercase(), o.clone()))
            .collect();
        let definitions = Definitions::load()?;
        let catalog = Catalog::load()?;
        let fees = FeeRules::new(&catalog, &definitions)?;
        let level4 = level4::Level4::load(config).map_err(StartError::Io)?;
        Ok(Arc::new(App {
            store,
            definitions,
            catalog,
            trust,
            crls,
            calendar,
            officers,
            attachments_dir,
            durable_attachments: std::sync::Mutex::default(),
            metrics: Metrics::default(),
            max_body_bytes: config.max_body_bytes,
            fees,
            level4,
        }))
    }

    /// How signatures are verified at `at`: the trust store and the
    /// configured revocation lists, under the default (strict) policy.
    fn verify_options(&self, at: Timestamp) -> VerifyOptions<'_> {
        VerifyOptions {
            crls: &self.crls,
            ..VerifyOptions::new(&self.trust, at)
        }
    }

    /// The store, for tests and tools.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// The routes, documented in [`crate::app::openapi`] from this same table.
pub fn router(app: Arc<App>, request_timeout: Duration) -> Router {
    let limit = app.max_body_bytes;
    Router::new()
        .route("/api/v1/procedures", get(procedures))
        .route("/api/v1/procedures/{id}", get(procedure))
        .route("/api/v1/procedures/{id}/schema.xsd", get(schema_xsd))
        .route("/api/v1/procedures/{id}/schema.json", get(schema_json))
        .route("/api/v1/dossiers", post(submit).get(list_dossiers))
        .route("/api/v1/dossiers/{code}", get(lookup))
        .route("/api/v1/dossiers/{code}/actions/{action}", post(act))
        .route("/api/v1/dossiers/{code}/audit", get(audit))
        .route("/api/v1/dossiers/{code}/result", get(result))
        .route(
            "/api/v1/dossiers/{code}/receipt.pdf",
            get(level4::submission_receipt),
        )
        .route("/api/v1/dossiers/{code}/payments", post(level4::pay))
        .route(
            "/api/v1/payments/notify",
            get(level4::notify).post(level4::notify),
        )
        .route("/api/v1/payments", get(level4::reconcile))
        .route("/api/v1/receipts/{id}", get(level4::receipt_pdf))
        .route(
            "/api/v1/receipts/{id}/verify",
            get(level4::verify_receipt).post(level4::verify_receipt),
        )
        .route("/api/v1/openapi.json", get(openapi))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn(move |req, next: axum::middleware::Next| async move {
            match tokio::time::timeout(request_timeout, next.run(req)).await {
                Ok(response) => response,
                Err(_) => Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "timeout",
                    ("Request timed out", "Yêu cầu quá thời gian"),
                    "The request took too long and was abandoned; nothing was stored unless a dossier code was returned.",
                    "Yêu cầu xử lý quá lâu và đã bị hủy; không có gì được lưu nếu chưa có mã hồ sơ.",
                )
                .into_response(),
            }
        }))
        .with_state(app)
}

fn log(event: &str, fields: Value) {
    let mut line = json!({ "at": Timestamp::now().to_string(), "event": event });
    if let (Value::Object(line), Value::Object(fields)) = (&mut line, fields) {
        line.extend(fields);
    }
    eprintln!("{line}");
}

fn store_problem(app: &App, e: StoreError) -> Problem {
    match e {
        StoreError::NotFound(_) => Problem::no_dossier(),
        StoreError::IdempotencyConflict => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency-key-reused",
            (
                "Idempotency key reused",
                "Khóa chống gửi trùng đã được dùng",
            ),
            "This Idempotency-Key was already used with a different request body.",
            "Khóa Idempotency-Key này đã được dùng cho một nội dung yêu cầu khác.",
        ),
        StoreError::Transition { action, from } => Problem::new(
            StatusCode::CONFLICT,
            "transition-not-allowed",
            ("Action not allowed", "Thao tác không được phép"),
            format!(
                "{action} is not allowed while the dossier is {} ({from}).",
                Status::from_code(from).map_or("?", Status::en)
            ),
            format!(
                "Không thể {action} khi hồ sơ đang ở trạng thái {} ({from}).",
                Status::from_code(from).map_or("?", Status::vi)
            ),
        )
        .with("status", json!(from)),
        StoreError::Conflict => Problem::new(
            StatusCode::CONFLICT,
            "concurrent-change",
            ("Changed meanwhile", "Hồ sơ vừa bị thay đổi"),
            "The dossier changed while this request was handled; read it again and retry.",
            "Hồ sơ vừa được thay đổi trong khi xử lý yêu cầu; hãy tải lại và thử lại.",
        ),
        other => {
            app.metrics.errors.fetch_add(1, Ordering::Relaxed);
            log("store_error", json!({ "error": other.to_string() }));
            Problem::internal()
        }
    }
}

// ---------------------------------------------------------------- catalog

async fn procedures(State(app): State<Arc<App>>) -> Json<Value> {
    let list: Vec<Value> = app
        .catalog
        .procedures()
        .iter()
        .map(|p| {
            json!({
                "id": p.id,
                "number": p.number,
                "name": p.name,
                "online_level": p.online_level,
                "tier": p.tier,
                "agency": lead_agency(&p.id),
                "working_days": p.processing_time.working_days,
                "links": {
                    "self": format!("/api/v1/procedures/{}", p.id),
                    "xsd": format!("/api/v1/procedures/{}/schema.xsd", p.id),
                    "json_schema": format!("/api/v1/procedures/{}/schema.json", p.id),
                },
            })
        })
        .collect();
    Json(json!({ "procedures": list }))
}

fn unknown_procedure(id: &str) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "procedure-not-found",
        ("Procedure not found", "Không tìm thấy thủ tục"),
        format!("No procedure has the id {id:?}."),
        format!("Không có thủ tục nào có mã {id:?}."),
    )
}

async fn procedure(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<Value>, Problem> {
    let p = app.catalog.get(&id).ok_or_else(|| unknown_procedure(&id))?;
    let form = app
        .definitions
        .get(&id)
        .ok_or_else(|| unknown_procedure(&id))?;
    Ok(Json(json!({
        "procedure": p,
        "agency": lead_agency(&p.id),
        "form": {
            "title": form.title,
            "namespace": form.namespace(),
            "root": form.root,
            "json_schema_id": form.json_schema_id(),
        },
    })))
}

async fn schema_xsd(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, Problem> {
    let form = app
        .definitions
        .get(&id)
        .ok_or_else(|| unknown_procedure(&id))?;
    Ok((
        [(header::CONTENT_TYPE, "application/xml")],
        app.definitions.xsd(form),
    )
        .into_response())
}

async fn schema_json(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, Problem> {
    let form = app
        .definitions
        .get(&id)
        .ok_or_else(|| unknown_procedure(&id))?;
    Ok((
        [(header::CONTENT_TYPE, "application/schema+json")],
        app.definitions.json_schema(form),
    )
        .into_response())
}

// ------------------------------------------------------------- submission

/// What a verified, validated submission carries into the store.
struct Checked {
    accepted: AcceptedForm,
    form: Form,
    applicant_key: String,
    applicant_name: String,
}

/// The signer's identity as the dossier's owner key: the first identifier
/// of the certificate (`CCCD:…`, `CMND:…`, `HC:…`, `MST:…`), else the
/// certificate's fingerprint.
fn applicant_key(accepted: &AcceptedForm) -> String {
    let identity = accepted.signature.identity.as_ref();
    match identity.and_then(|i| i.ids.first()) {
        Some(PersonalId::Cccd(n)) => format!("CCCD:{n}"),
        Some(PersonalId::Cmnd(n)) => format!("CMND:{n}"),
        Some(PersonalId::Passport(n)) => format!("HC:{n}"),
        Some(PersonalId::TaxCode {
            code,
            branch: Some(b),
        }) => format!("MST:{code}-{b}"),
        Some(PersonalId::TaxCode { code, branch: None }) => format!("MST:{code}"),
        Some(PersonalId::Other { scheme, value }) => format!("{scheme}:{value}"),
        None => match &accepted.signature.signer {
            Some(cert) => format!("SHA256:{}", crate::audit::hex(&cert.sha256())),
            None => "unknown".into(),
        },
    }
}

fn applicant_name(form: &Form) -> String {
    [
        "applicant.person.fullName",
        "applicant.organisation.name",
        "applicant.fullName",
        "applicant.name",
    ]
    .iter()
    .find_map(|path| match form.get(path) {
        Some(FormValue::Text(name)) => Some(name.clone()),
        _ => None,
    })
    .unwrap_or_default()
}

fn signature_problem(refusal: &hoso_dsig::Refusal) -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "signature-refused",
        ("Signature not accepted", "Chữ ký số không được chấp nhận"),
        format!("The form's signature is not accepted: {refusal}."),
        format!(
            "Chữ ký số của biểu mẫu không được chấp nhận: {}.",
            refusal.vi()
        ),
    )
}

fn form_problem(rejection: &Rejection) -> Problem {
    let errors: Vec<Value> = rejection
        .errors()
        .iter()
        .map(|e| {
            json!({
                "path": e.path,
                "code": e.code(),
                "message": { "vi": e.message(Lang::Vi), "en": e.message(Lang::En) },
            })
        })
        .collect();
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "form-invalid",
        ("Form not valid", "Biểu mẫu không hợp lệ"),
        format!("The signed form does not meet its definition: {rejection}."),
        format!(
            "Biểu mẫu đã ký không đúng quy định của mẫu: {} lỗi.",
            errors.len()
        ),
    )
    .with("errors", Value::Array(errors))
}

/// Verifies the signature under the form policy and validates what was
/// signed. CPU work: run it off the async workers.
/// Whether a signed body is XML (XML-DSig/XAdES) rather than a JWS.
fn is_xml(body: &[u8]) -> bool {
    body.trim_ascii_start().starts_with(b"<")
}

/// Verifies a signed document (XML-DSig/XAdES or JWS) under the form
/// policy: exactly one signature, covering the whole document, by a
/// trusted certificate. `unreadable_jws` words the problem when a JSON body
/// is not a JWS at all.
fn accept_signed(
    app: &App,
    body: &[u8],
    at: Timestamp,
    unreadable_jws: impl FnOnce(hoso_dsig::DsigError) -> Problem,
) -> Result<AcceptedForm, Problem> {
    let options = app.verify_options(at);
    if is_xml(body) {
        return hoso_dsig::verify_form(body, &options).map_err(|r| signature_problem(&r.refusal));
    }
    let report = hoso_dsig::verify_jws(body, &options).map_err(unreadable_jws)?;
    hoso_dsig::form_policy(&report).map_err(|r| signature_problem(&r.refusal))
}

fn check_form(app: &App, body: &[u8], at: Timestamp) -> Result<Checked, Problem> {
    let accepted = accept_signed(app, body, at, |e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "signature-refused",
            ("Signature not accepted", "Chữ ký số không được chấp nhận"),
            format!("The JWS is not accepted: {e}."),
            format!("Chữ ký JWS không được chấp nhận: {e}."),
        )
    })?;
    let form = app
        .definitions
        .validate(&accepted.signed.canonical, None)
        .map_err(|r| form_problem(&r))?;
    Ok(Checked {
        applicant_key: applicant_key(&accepted),
        applicant_name: applicant_name(&form),
        form,
        accepted,
    })
}

/// The attachments a form's manifest lists: (field, file name, media type,
/// size, sha256).
fn manifest(form: &Form) -> Vec<AttachmentRecord> {
    form.attachments()
        .into_iter()
        .map(|a| AttachmentRecord {
            field: a.field,
            file_name: a.file_name,
            media_type: a.media_type,
            size: i64::try_from(a.size).unwrap_or(i64::MAX),
            sha256: a.sha256,
        })
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    crate::audit::hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// Writes an attachment under its SHA-256, durably (written, synced, then
/// renamed into place), before the dossier that refers to it is committed.
fn keep_attachment(dir: &Path, sha256: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let path = dir.join(sha256);
    if !path.exists() {
        // A name of its own per write: the same file may arrive in several
        // requests at once, and each must rename a complete copy.
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{sha256}.{}.{n}", std::process::id()));
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)?;
    }
    // The file only appears once its contents are synced (the rename comes
    // after); its directory entry is synced here, also when another request
    // put it there a moment ago.
    std::fs::File::open(dir)?.sync_all()
}

/// Removes what interrupted attachment writes left behind, once they are an
/// hour old (another instance sharing the folder may be writing newer ones).
fn sweep_partial_writes(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(3600));
        if stale && entry.file_name().to_string_lossy().starts_with('.') {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn too_large(why: &str) -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body-too-large",
        ("Request too large", "Yêu cầu quá lớn"),
        format!("The request body is larger than the service accepts: {why}."),
        format!("Nội dung yêu cầu lớn hơn mức dịch vụ cho phép: {why}."),
    )
}

fn bad_request(code: &'static str, en: impl Into<String>, vi: impl Into<String>) -> Problem {
    Problem::new(
        StatusCode::BAD_REQUEST,
        code,
        ("Bad request", "Yêu cầu không hợp lệ"),
        en,
        vi,
    )
}

fn attachment_problem(en: String, vi: String) -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "attachment-mismatch",
        (
            "Attachments do not match the manifest",
            "Tệp đính kèm không khớp với danh mục",
        ),
        en,
        vi,
    )
}

/// Reads the request: the signed form as the whole body, or a multipart
/// body with the part `form` and one part per attachment, named by its
/// manifest field.
async fn read_submission(
    app: &Arc<App>,
    request: Request,
) -> Result<(Bytes, HashMap<String, Bytes>), Problem> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !content_type.starts_with("multipart/form-data") {
        let body = Bytes::from_request(request, app)
            .await
            .map_err(|e| too_large(&e.to_string()))?;
        return Ok((body, HashMap::new()));
    }
    let mut multipart = Multipart::from_request(request, app).await.map_err(|e| {
        bad_request(
            "multipart-malformed",
            format!("Malformed multipart body: {e}."),
            format!("Nội dung multipart không đúng định dạng: {e}."),
        )
    })?;
    let multipart_problem = |e: axum::extract::multipart::MultipartError, what: String| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(&e.to_string())
        } else {
            bad_request(
                "multipart-malformed",
                format!("Malformed multipart body ({what}): {e}."),
                format!("Nội dung multipart không đúng định dạng ({what}): {e}."),
            )
        }
    };
    let mut form = None;
    let mut parts = HashMap::new();
    loop {
        let field = multipart
            .next_field()
            .await
            .map_err(|e| multipart_problem(e, "a part's header".into()))?;
        let Some(field) = field else { break };
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| multipart_problem(e, format!("part {name:?}")))?;
        if name == "form" {
            if form.replace(bytes).is_some() {
                return Err(bad_request(
                    "multipart-malformed",
                    "Two parts are named form.",
                    "Có hai phần cùng tên form.",
                ));
            }
        } else if parts.insert(name.clone(), bytes).is_some() {
            return Err(bad_request(
                "multipart-malformed",
                format!("Two parts are named {name:?}."),
                format!("Có hai phần cùng tên {name:?}."),
            ));
        }
    }
    let form = form.ok_or_else(|| {
        bad_request(
            "multipart-malformed",
            "The multipart body has no part named form.",
            "Nội dung multipart thiếu phần form.",
        )
    })?;
    Ok((form, parts))
}

async fn submit(State(app): State<Arc<App>>, request: Request) -> Response {
    let started = std::time::Instant::now();
    let result = submit_inner(&app, request).await;
    app.metrics
        .submit_micros
        .fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
    match result {
        Ok(response) => response,
        Err(problem) => {
            if problem.status.is_client_error() {
                app.metrics.refused.fetch_add(1, Ordering::Relaxed);
            }
            problem.into_response()
        }
    }
}

async fn submit_inner(app: &Arc<App>, request: Request) -> Result<Response, Problem> {
    let idempotency_key = match request.headers().get("idempotency-key") {
        Some(v) => {
            let key = v.to_str().unwrap_or_default();
            if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(bad_request(
                    "idempotency-key-invalid",
                    "The Idempotency-Key header must be 1–200 visible ASCII characters.",
                    "Tiêu đề Idempotency-Key phải gồm 1–200 ký tự ASCII hiển thị được.",
                ));
            }
            Some(key.to_owned())
        }
        None => None,
    };
    let (body, parts) = read_submission(app, request).await?;
    let now = Timestamp::now();
    // About half a millisecond of CPU: done in place, since moving it to
    // the blocking pool costs two thread switches per submission.
    let checked = check_form(app, &body, now)?;

    // The attachments must be exactly those the signed manifest lists.
    let listed = manifest(&checked.form);
    for a in &listed {
        let Some(bytes) = parts.get(&a.field) else {
            return Err(attachment_problem(
                format!(
                    "The manifest lists {} ({}) but no part of that name was sent.",
                    a.field, a.file_name
                ),
                format!(
                    "Danh mục có {} ({}) nhưng không có phần tệp tương ứng.",
                    a.field, a.file_name
                ),
            ));
        };
        if bytes.len() as i64 != a.size || sha256_hex(bytes) != a.sha256 {
            return Err(attachment_problem(
                format!(
                    "Part {} has {} bytes and SHA-256 {}; the signed manifest says {} bytes and {}.",
                    a.field,
                    bytes.len(),
                    sha256_hex(bytes),
                    a.size,
                    a.sha256
                ),
                format!(
                    "Tệp {} không khớp kích thước hoặc mã băm SHA-256 trong danh mục đã ký.",
                    a.field
                ),
            ));
        }
    }
    if let Some(extra) = parts
        .keys()
        .find(|k| !listed.iter().any(|a| &a.field == *k))
    {
        return Err(attachment_problem(
            format!("Part {extra:?} is not in the signed manifest."),
            format!("Phần {extra:?} không có trong danh mục đã ký."),
        ));
    }
    // Files this process has already made durable need nothing more.
    let files: Vec<(String, Bytes)> = {
        let durable = app
            .durable_attachments
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        listed
            .iter()
            .filter(|a| !durable.contains(&a.sha256))
            .map(|a| (a.sha256.clone(), parts[&a.field].clone()))
            .collect()
    };
    if !files.is_empty() {
        let dir = app.attachments_dir.clone();
        let written = tokio::task::spawn_blocking(move || {
            for (sha, bytes) in &files {
                keep_attachment(&dir, sha, bytes)?;
            }
            Ok::<_, std::io::Error>(files)
        })
        .await
        .map_err(|_| Problem::internal())?
        .map_err(|e| {
            log("attachment_write_failed", json!({ "error": e.to_string() }));
            Problem::internal()
        })?;
        let mut durable = app
            .durable_attachments
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if durable.len() > MAX_REMEMBERED_ATTACHMENTS {
            durable.clear();
        }
        durable.extend(written.into_iter().map(|(sha, _)| sha));
    }

    let procedure = app
        .catalog
        .get(&checked.form.procedure)
        .ok_or_else(|| unknown_procedure(&checked.form.procedure))?;
    let received_day =
        hoso_forms::Date::parse(&vietnam_day(now.unix())).ok_or_else(Problem::internal)?;
    // Notices (procedures 17, 18) have no processing time: their
    // appointment is the acknowledgement, on the next working day.
    let appointment = app.calendar.add_working_days(
        received_day,
        procedure.processing_time.working_days.unwrap_or(0),
    );
    let fee = app
        .fees
        .assess(&checked.form)
        .ok_or_else(|| unknown_procedure(&checked.form.procedure))?;
    let fee_json = serde_json::to_string(&fee).map_err(|_| Problem::internal())?;
    let secret = codes::new_secret();
    let evidence = evidence(&checked.accepted, &app.crls);
    let media_type = if is_xml(&body) {
        "application/xml"
    } else {
        "application/jose+json"
    };
    let new = NewDossier {
        procedure: procedure.id.clone(),
        procedure_number: procedure.number,
        agency: lead_agency(&procedure.id),
        applicant_key: checked.applicant_key,
        applicant_name: checked.applicant_name,
        received_at: now.unix(),
        appointment: appointment.to_string(),
        media_type: media_type.into(),
        document: body.to_vec(),
        signed_content: checked.accepted.signed.canonical,
        evidence,
        attachments: listed,
        secret_hash: codes::secret_hash(&secret),
        idempotency: idempotency_key.map(|k| {
            (
                k,
                ring::digest::digest(&ring::digest::SHA256, &body)
                    .as_ref()
                    .to_vec(),
            )
        }),
        code: codes::new_code(procedure.number, &received_day.to_string()),
        fee: fee_json,
    };
    let submitted = app
        .store
        .submit(new)
        .await
        .map_err(|e| store_problem(app, e))?;
    let d = &submitted.dossier;
    let mut answer = dossier_json(d);
    if submitted.replayed {
        app.metrics.replayed.fetch_add(1, Ordering::Relaxed);
        answer["secret"] = Value::Null;
        answer["replayed"] = json!(true);
    } else {
        app.metrics.submitted.fetch_add(1, Ordering::Relaxed);
        answer["secret"] = json!(secret);
        answer["replayed"] = json!(false);
        log(
            "submitted",
            json!({ "code": d.code, "procedure": d.procedure, "agency": d.agency }),
        );
    }
    answer["receipt"] = json!({
        "title": { "vi": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "en": "Receipt and appointment" },
        "procedure": procedure.name,
        "received_at": Timestamp::from_unix(d.received_at).to_string(),
        "appointment": d.appointment,
        "documents": manifest(&checked.form).iter().map(|a| json!({ "field": a.field, "file_name": a.file_name, "size": a.size })).collect::<Vec<_>>(),
    });
    answer["fee"] = json!(fee);
    let status = if submitted.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let mut response = (status, Json(answer)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/dossiers/{}", d.code)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// What is kept with the dossier to show later how its signature was
/// judged: the certificates, the revocation status, the report.
fn evidence(accepted: &AcceptedForm, crls: &[Crl]) -> String {
    let s = &accepted.signature;
    let b64 = |der: &[u8]| base64::engine::general_purpose::STANDARD.encode(der);
    // The revocation lists of the chain's issuers, as they were checked.
    let issuers: Vec<String> = s
        .signer
        .iter()
        .chain(s.chain.iter())
        .map(|c| c.issuer())
        .collect();
    let revocation_data: Vec<Value> = crls
        .iter()
        .filter(|crl| issuers.contains(&crl.issuer()))
        .map(|crl| json!({ "type": "crl", "issuer": crl.issuer(), "this_update": crl.this_update().to_string(), "der": b64(crl.der()) }))
        .collect();
    json!({
        "signer": s.signer.as_ref().map(|c| c.subject()),
        "certificates": s.signer.iter().chain(s.chain.iter()).map(|c| b64(c.der())).collect::<Vec<_>>(),
        "chain_status": s.chain_status.as_ref().map(|c| c.to_string()),
        "revocation": s.revocation.to_string(),
        "revocation_data": revocation_data,
        "signing_time": s.signing_time.as_ref().map(|t| t.time.to_string()),
        "report": { "vi": render(s, ReportLang::Vi), "en": render(s, ReportLang::En) },
    })
    .to_string()
}

fn dossier_json(d: &Dossier) -> Value {
    json!({
        "code": d.code,
        "procedure": d.procedure,
        "agency": d.agency,
        "status": { "code": d.status.code(), "vi": d.status.vi(), "en": d.status.en() },
        "received_at": Timestamp::from_unix(d.received_at).to_string(),
        "appointment": d.appointment,
    })
}

// ------------------------------------------------------------------ lookup

/// The officer a bearer token belongs to.
fn officer(app: &App, headers: &HeaderMap) -> Option<Officer> {
    let token = headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")?
        .trim();
    app.officers.get(&sha256_hex(token.as_bytes())).cloned()
}

/// How long a signed applicant header stays usable, either side of its
/// `at`.
const APPLICANT_HEADER_WINDOW: i64 = 300;

/// The applicant identity proven by the `X-Applicant-Signature` header: a
/// JWS (flattened JSON, on one line) signed by the applicant, whose payload
/// is `{"action": ACTION, "at": RFC3339}` with `at` within five minutes.
/// `None` when the header is absent.
fn signed_applicant(
    app: &App,
    headers: &HeaderMap,
    action: &str,
    now: Timestamp,
) -> Result<Option<String>, Problem> {
    let Some(header) = headers.get("x-applicant-signature") else {
        return Ok(None);
    };
    let refused = |why: &str| {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "applicant-signature-refused",
            (
                "Applicant signature not accepted",
                "Chữ ký của người nộp không được chấp nhận",
            ),
            format!("X-Applicant-Signature is not accepted: {why}."),
            format!("Chữ ký trong X-Applicant-Signature không được chấp nhận: {why}."),
        )
    };
    let options = app.verify_options(now);
    let report =
        hoso_dsig::verify_jws(header.as_bytes(), &options).map_err(|e| refused(&e.to_string()))?;
    let accepted = hoso_dsig::form_policy(&report).map_err(|r| refused(&r.refusal.to_string()))?;
    let payload: Value = serde_json::from_slice(&accepted.signed.canonical)
        .map_err(|_| refused("the payload is not JSON"))?;
    if payload.get("action").and_then(Value::as_str) != Some(action) {
        return Err(refused(&format!("the payload's action is not {action:?}")));
    }
    let at = payload
        .get("at")
        .and_then(Value::as_str)
        .and_then(|t| Timestamp::parse_rfc3339(t).ok())
        .ok_or_else(|| refused("the payload has no RFC 3339 \"at\""))?;
    if (at.unix() - now.unix()).abs() > APPLICANT_HEADER_WINDOW {
        return Err(refused("it is older or newer than five minutes"));
    }
    Ok(Some(applicant_key(&accepted)))
}

/// Whether the request proves it comes from the dossier's applicant: the
/// lookup secret (header or query) or a signed applicant header for
/// `action`.
fn owns(
    app: &App,
    d: &Dossier,
    headers: &HeaderMap,
    secret: Option<String>,
    action: &str,
    now: Timestamp,
) -> Result<bool, Problem> {
    let secret = headers
        .get("x-lookup-secret")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(secret);
    if secret.is_some_and(|s| codes::same_secret(&codes::secret_hash(&s), &d.secret_hash)) {
        return Ok(true);
    }
    Ok(signed_applicant(app, headers, action, now)?.as_deref() == Some(d.applicant_key.as_str()))
}

/// Who reads a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// Its applicant (lookup secret or signed header).
    Applicant,
    /// An officer of its agency, or of a co-processing one when allowed.
    Officer,
}

/// The dossier `code`, if the request may read it: an officer of its
/// agency (or of an agency it was forwarded to, with `co_agencies`), or its
/// applicant ([`owns`] for `action`). Anyone else is answered as if there
/// were no such dossier.
async fn readable(
    app: &App,
    code: &str,
    headers: &HeaderMap,
    secret: Option<String>,
    action: &str,
    co_agencies: bool,
) -> Result<(Dossier, Reader), Problem> {
    if !codes::is_code(code) {
        return Err(Problem::no_dossier());
    }
    let d = app
        .store
        .dossier(code)
        .await
        .map_err(|e| store_problem(app, e))?;
    let by_officer = officer(app, headers).is_some_and(|o| {
        o.agency == d.agency || (co_agencies && d.co_agencies.contains(&o.agency))
    });
    if by_officer {
        return Ok((d, Reader::Officer));
    }
    if owns(app, &d, headers, secret, action, Timestamp::now())? {
        return Ok((d, Reader::Applicant));
    }
    Err(Problem::no_dossier())
}

/// What a dossier owes and what was paid, for its lookup.
async fn fee_json(app: &App, code: &str) -> Result<Value, Problem> {
    let (fee, due) = app
        .store
        .fee(code)
        .await
        .map_err(|e| store_problem(app, e))?;
    let payments = app
        .store
        .payments_of(code)
        .await
        .map_err(|e| store_problem(app, e))?;
    Ok(json!({
        "assessment": serde_json::from_str::<Value>(&fee).unwrap_or(Value::Null),
        "due_vnd": due,
        "payments": payments.iter().map(|p| json!({
            "order": p.order,
            "transaction": p.transaction,
            "amount_vnd": p.amount_vnd,
            "state": p.state,
            "flag": p.flag,
            "paid_at": p.paid_at,
            "receipt": p.receipt.as_ref().map(|id| format!("/api/v1/receipts/{id}")),
        })).collect::<Vec<_>>(),
    }))
}

#[derive(Deserialize)]
struct LookupQuery {
    secret: Option<String>,
}

async fn lookup(
    State(app): State<Arc<App>>,
    UrlPath(code): UrlPath<String>,
    Query(query): Query<LookupQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>, Problem> {
    app.metrics.lookups.fetch_add(1, Ordering::Relaxed);
    let (d, reader) = readable(&app, &code, &headers, query.secret, "lookup", true).await?;
    let by_officer = reader == Reader::Officer;
    let events = app
        .store
        .events(&code)
        .await
        .map_err(|e| store_problem(&app, e))?;
    let mut answer = dossier_json(&d);
    answer["history"] = events
        .iter()
        .map(|e| {
            let to = Status::from_code(e.status_to);
            json!({
                "at": Timestamp::from_unix(e.at).to_string(),
                "action": e.action,
                "status": { "code": e.status_to, "vi": to.map(Status::vi), "en": to.map(Status::en) },
            })
        })
        .collect();
    answer["fee"] = fee_json(&app, &code).await?;
    if by_officer {
        answer["applicant"] = json!({ "key": d.applicant_key, "name": d.applicant_name });
        answer["co_agencies"] = json!(d.co_agencies);
        answer["attachments"] = json!(
            app.store
                .attachments(&code)
                .await
                .map_err(|e| store_problem(&app, e))?
        );
    }
    Ok(Json(answer))
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<i64>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn list_dossiers(
    State(app): State<Arc<App>>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>, Problem> {
    let Some(officer) = officer(&app, &headers) else {
        // An applicant lists the dossiers signed with their own identity.
        let owner = signed_applicant(&app, &headers, "list", Timestamp::now())?
            .ok_or_else(Problem::unauthorized)?;
        let limit = query.limit.unwrap_or(50).clamp(1, 500);
        let mine = app
            .store
            .by_applicant(&owner, limit)
            .await
            .map_err(|e| store_problem(&app, e))?;
        return Ok(Json(json!({
            "applicant": owner,
            "dossiers": mine.iter().map(dossier_json).collect::<Vec<_>>(),
        })));
    };
    let status = match query.status {
        Some(code) => Some(Status::from_code(code).ok_or_else(|| {
            bad_request(
                "status-invalid",
                format!("{code} is not a status code (1–10)."),
                format!("{code} không phải mã trạng thái (1–10)."),
            )
        })?),
        None => None,
    };
    let limit = query.limit.unwrap_or(50).clamp(1, 500);
    let offset = query.offset.unwrap_or(0).max(0);
    let list = app
        .store
        .list(&officer.agency, status, limit, offset)
        .await
        .map_err(|e| store_problem(&app, e))?;
    Ok(Json(json!({
        "agency": officer.agency,
        "dossiers": list.iter().map(|d| {
            let mut v = dossier_json(d);
            v["applicant"] = json!({ "key": d.applicant_key, "name": d.applicant_name });
            v
        }).collect::<Vec<_>>(),
        "limit": limit,
        "offset": offset,
    })))
}

// ----------------------------------------------------------------- actions

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ActionBody {
    reason: Option<String>,
    agency: Option<String>,
    opinion: Option<String>,
    /// For `request-payment`: the amount, in đồng, when it is not the one
    /// assessed from the form.
    amount_vnd: Option<i64>,
}

/// The largest fee an officer may request, in đồng (the largest in the
/// catalog is 30 million).
const MAX_FEE_VND: i64 = 1_000_000_000;

async fn act(
    State(app): State<Arc<App>>,
    UrlPath((code, action)): UrlPath<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, Problem> {
    let action = Action::from_name(&action).ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "action-unknown",
            ("Unknown action", "Thao tác không tồn tại"),
            format!("{action:?} is not an action."),
            format!("{action:?} không phải là một thao tác."),
        )
    })?;
    if !codes::is_code(&code) {
        return Err(Problem::no_dossier());
    }
    let now = Timestamp::now();
    let (actor, detail, action) = if action.by_applicant() {
        let (actor, detail) = applicant_request(&app, &code, action, &body, now).await?;
        (actor, detail, action)
    } else {
        let officer = officer(&app, &headers).ok_or_else(Problem::unauthorized)?;
        let d = app
            .store
            .dossier(&code)
            .await
            .map_err(|e| store_problem(&app, e))?;
        let allowed = match action {
            Action::Opinion => d.co_agencies.contains(&officer.agency),
            _ => officer.agency == d.agency,
        };
        if !allowed || !officer.role.may(action) {
            // Not routed to this agency: as good as absent.
            if officer.agency != d.agency && !d.co_agencies.contains(&officer.agency) {
                return Err(Problem::no_dossier());
            }
            return Err(Problem::forbidden(
                format!(
                    "{} ({:?}) cannot {} this dossier.",
                    officer.name,
                    officer.role,
                    action.name()
                ),
                format!(
                    "{} ({:?}) không được {} hồ sơ này.",
                    officer.name,
                    officer.role,
                    action.name()
                ),
            ));
        }
        if action == Action::ReturnResult {
            let result = signed_result(&app, &body, now).await?;
            let detail =
                json!({ "result_sha256": sha256_hex(&result.document), "signer": result.signer });
            let actor = format!("officer:{}/{}", officer.agency, officer.name);
            let (d, event) = app
                .store
                .apply_with(&code, action, &actor, &detail, now.unix(), Some(&result))
                .await
                .map_err(|e| store_problem(&app, e))?;
            app.metrics.actions.fetch_add(1, Ordering::Relaxed);
            log(
                "action",
                json!({ "code": d.code, "action": action.name(), "actor": actor, "status": d.status.code() }),
            );
            let mut answer = dossier_json(&d);
            answer["event"] = json!(event);
            return Ok(Json(answer));
        }
        let parsed: ActionBody = if body.is_empty() {
            ActionBody::default()
        } else {
            serde_json::from_slice(&body).map_err(|e| {
                bad_request(
                    "body-invalid",
                    format!("The action body is not valid: {e}."),
                    format!("Nội dung thao tác không hợp lệ: {e}."),
                )
            })?
        };
        let reason = parsed.reason.or(parsed.opinion).unwrap_or_default();
        if action.needs_reason() && reason.trim().is_empty() {
            return Err(bad_request(
                "reason-required",
                format!("{} needs a reason.", action.name()),
                format!("Thao tác {} cần ghi rõ lý do.", action.name()),
            ));
        }
        let mut detail = json!({});
        if !reason.is_empty() {
            detail["reason"] = json!(reason.chars().take(2000).collect::<String>());
        }
        if action == Action::Forward {
            let agency = parsed.agency.unwrap_or_default();
            if !is_agency_id(&agency) || agency == d.agency {
                return Err(bad_request(
                    "agency-invalid",
                    "forward needs another agency's id (lower-case letters, digits, hyphens).",
                    "Thao tác chuyển cần mã cơ quan phối hợp khác (chữ thường, số, gạch nối).",
                ));
            }
            detail["agency"] = json!(agency);
        }
        let mut action = action;
        if matches!(action, Action::Process | Action::RequestPayment) {
            let (fee, _) = app
                .store
                .fee(&code)
                .await
                .map_err(|e| store_problem(&app, e))?;
            let assessed = level4::assessment_of(&fee);
            let paid_before = app
                .store
                .payments_of(&code)
                .await
                .map_err(|e| store_problem(&app, e))?
                .iter()
                .any(|p| p.state == crate::store::PaymentState::Credited);
            // A fee assessed from the form and not yet paid is requested
            // when processing starts: the dossier waits in status 6.
            if action == Action::Process
                && d.status == Status::Accepted
                && !paid_before
                && let Some(fee) = assessed.as_ref().filter(|f| f.is_due())
            {
                action = Action::RequestPayment;
                detail["automatic"] = json!(true);
                detail["amount_vnd"] = json!(fee.total_vnd);
            } else if action == Action::RequestPayment {
                let amount = match (parsed.amount_vnd, assessed.as_ref()) {
                    (Some(amount), _) => amount,
                    (None, Some(fee)) if fee.outcome == FeeOutcome::Due => {
                        i64::try_from(fee.total_vnd).unwrap_or(0)
                    }
                    (None, _) => {
                        return Err(bad_request(
                            "amount-required",
                            "No fee was assessed from the form: give amount_vnd.",
                            "Chưa xác định được mức phí từ tờ khai: hãy nhập amount_vnd.",
                        ));
                    }
                };
                if !(1..=MAX_FEE_VND).contains(&amount) {
                    return Err(bad_request(
                        "amount-invalid",
                        format!("amount_vnd must be 1 to {MAX_FEE_VND} đồng."),
                        format!("amount_vnd phải từ 1 đến {MAX_FEE_VND} đồng."),
                    ));
                }
                detail["amount_vnd"] = json!(amount);
            }
        }
        (
            format!("officer:{}/{}", officer.agency, officer.name),
            detail,
            action,
        )
    };
    let (d, event) = app
        .store
        .apply(&code, action, &actor, &detail, now.unix())
        .await
        .map_err(|e| store_problem(&app, e))?;
    app.metrics.actions.fetch_add(1, Ordering::Relaxed);
    log(
        "action",
        json!({ "code": d.code, "action": action.name(), "actor": actor, "status": d.status.code() }),
    );
    let mut answer = dossier_json(&d);
    answer["event"] = json!(event);
    Ok(Json(answer))
}

/// An applicant's request (withdraw, supplement): a JWS whose payload is
/// `{"dossier": CODE, "action": NAME, ...}`, signed by the dossier's own
/// signer identity.
async fn applicant_request(
    app: &Arc<App>,
    code: &str,
    action: Action,
    body: &[u8],
    now: Timestamp,
) -> Result<(String, Value), Problem> {
    let checked = {
        let app = app.clone();
        let body = body.to_vec();
        tokio::task::spawn_blocking(move || {
            let options = app.verify_options(now);
            let report = hoso_dsig::verify_jws(&body, &options).map_err(|e| {
                Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "signature-refused",
                    ("Signature not accepted", "Chữ ký số không được chấp nhận"),
                    format!("The signed request is not accepted: {e}."),
                    format!("Yêu cầu đã ký không được chấp nhận: {e}."),
                )
            })?;
            let accepted =
                hoso_dsig::form_policy(&report).map_err(|r| signature_problem(&r.refusal))?;
            Ok::<_, Problem>((applicant_key(&accepted), accepted.signed.canonical))
        })
        .await
        .map_err(|_| Problem::internal())??
    };
    let (signer, payload) = checked;
    let request: Value = serde_json::from_slice(&payload).map_err(|_| {
        bad_request(
            "request-invalid",
            "The signed request is not a JSON object.",
            "Yêu cầu đã ký không phải một đối tượng JSON.",
        )
    })?;
    if request.get("dossier").and_then(Value::as_str) != Some(code)
        || request.get("action").and_then(Value::as_str) != Some(action.name())
    {
        return Err(bad_request(
            "request-mismatch",
            "The signed request names another dossier or action.",
            "Yêu cầu đã ký ghi mã hồ sơ hoặc thao tác khác.",
        ));
    }
    let d = app
        .store
        .dossier(code)
        .await
        .map_err(|e| store_problem(app, e))?;
    if d.applicant_key != signer {
        return Err(Problem::no_dossier());
    }
    let reason = request
        .get("reason")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok((
        format!("applicant:{signer}"),
        json!({ "reason": reason.chars().take(2000).collect::<String>(), "request_sha256": sha256_hex(body) }),
    ))
}

/// The result an agency returns: a document (XML-DSig/XAdES or JWS) with
/// exactly one signature covering it, by a certificate the service trusts.
async fn signed_result(
    app: &Arc<App>,
    body: &[u8],
    now: Timestamp,
) -> Result<ResultDocument, Problem> {
    let app = app.clone();
    let body = body.to_vec();
    tokio::task::spawn_blocking(move || {
        let xml = is_xml(&body);
        let accepted = accept_signed(&app, &body, now, |e| {
            bad_request(
                "result-invalid",
                format!("The result is not a signed document: {e}."),
                format!("Kết quả không phải tài liệu đã ký: {e}."),
            )
        })?;
        Ok(ResultDocument {
            media_type: if xml {
                "application/xml"
            } else {
                "application/jose+json"
            }
            .into(),
            signer: accepted
                .signature
                .signer
                .as_ref()
                .map(|c| c.subject())
                .unwrap_or_default(),
            document: body,
        })
    })
    .await
    .map_err(|_| Problem::internal())?
}

/// The signed result, for the applicant (secret or signed header) or the
/// agency.
async fn result(
    State(app): State<Arc<App>>,
    UrlPath(code): UrlPath<String>,
    Query(query): Query<LookupQuery>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let (d, _) = readable(&app, &code, &headers, query.secret, "lookup", false).await?;
    let result = app
        .store
        .result(&code)
        .await
        .map_err(|e| store_problem(&app, e))?
        .ok_or_else(|| {
            Problem::new(
                StatusCode::NOT_FOUND,
                "result-not-ready",
                ("No result yet", "Chưa có kết quả"),
                format!(
                    "The dossier is {}; its result has not been returned.",
                    d.status.en()
                ),
                format!(
                    "Hồ sơ đang ở trạng thái {}; chưa có kết quả được trả.",
                    d.status.vi()
                ),
            )
        })?;
    Ok(([(header::CONTENT_TYPE, result.media_type)], result.document).into_response())
}

async fn audit(
    State(app): State<Arc<App>>,
    UrlPath(code): UrlPath<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, Problem> {
    let officer = officer(&app, &headers).ok_or_else(Problem::unauthorized)?;
    if !codes::is_code(&code) {
        return Err(Problem::no_dossier());
    }
    let d = app
        .store
        .dossier(&code)
        .await
        .map_err(|e| store_problem(&app, e))?;
    if officer.agency != d.agency && !d.co_agencies.contains(&officer.agency) {
        return Err(Problem::no_dossier());
    }
    let events = app
        .store
        .events(&code)
        .await
        .map_err(|e| store_problem(&app, e))?;
    let check = crate::audit::check_chain(&code, &events);
    Ok(Json(json!({
        "code": code,
        "events": events,
        "chain": match check { Ok(()) => json!("intact"), Err(e) => json!(e.to_string()) },
        "evidence": serde_json::from_str::<Value>(&app.store.evidence(&code).await.map_err(|e| store_problem(&app, e))?).unwrap_or(Value::Null),
    })))
}

// ------------------------------------------------------------------ health

async fn ready(State(app): State<Arc<App>>) -> Response {
    match app.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            log("not_ready", json!({ "error": e.to_string() }));
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn metrics(State(app): State<Arc<App>>) -> Response {
    let m = &app.metrics;
    let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
    let text = format!(
        "# HELP hoso_submissions_total Submissions by outcome.\n\
         # TYPE hoso_submissions_total counter\n\
         hoso_submissions_total{{outcome=\"stored\"}} {}\n\
         hoso_submissions_total{{outcome=\"replayed\"}} {}\n\
         hoso_submissions_total{{outcome=\"refused\"}} {}\n\
         # HELP hoso_submission_seconds_total Time spent handling submissions.\n\
         # TYPE hoso_submission_seconds_total counter\n\
         hoso_submission_seconds_total {:.6}\n\
         # HELP hoso_actions_total Dossier actions applied.\n\
         # TYPE hoso_actions_total counter\n\
         hoso_actions_total {}\n\
         # HELP hoso_lookups_total Dossier lookups.\n\
         # TYPE hoso_lookups_total counter\n\
         hoso_lookups_total {}\n\
         # HELP hoso_errors_total Internal errors.\n\
         # TYPE hoso_errors_total counter\n\
         hoso_errors_total {}\n\
         # HELP hoso_payment_notifications_total Gateway notifications by outcome.\n\
         # TYPE hoso_payment_notifications_total counter\n\
         hoso_payment_notifications_total{{outcome=\"credited\"}} {}\n\
         hoso_payment_notifications_total{{outcome=\"recorded\"}} {}\n\
         hoso_payment_notifications_total{{outcome=\"replayed\"}} {}\n\
         hoso_payment_notifications_total{{outcome=\"refused\"}} {}\n",
        get(&m.submitted),
        get(&m.replayed),
        get(&m.refused),
        get(&m.submit_micros) as f64 / 1e6,
        get(&m.actions),
        get(&m.lookups),
        get(&m.errors),
        get(&m.notifications[0]),
        get(&m.notifications[1]),
        get(&m.notifications[2]),
        get(&m.notifications[3]),
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

async fn openapi() -> Json<Value> {
    Json(crate::app::openapi::document())
}

pub mod openapi {
    //! The OpenAPI 3.1 description, built from the table of routes that
    //! [`super::router`] mounts (a test checks both list the same routes).

    use serde_json::{Map, Value, json};

    /// One documented operation: method, path, summary, and the statuses
    /// it answers.
    pub const OPERATIONS: &[(&str, &str, &str, &[u16])] = &[
        ("get", "/api/v1/procedures", "List the procedures", &[200]),
        (
            "get",
            "/api/v1/procedures/{id}",
            "One procedure and its form",
            &[200, 404],
        ),
        (
            "get",
            "/api/v1/procedures/{id}/schema.xsd",
            "The form's XSD",
            &[200, 404],
        ),
        (
            "get",
            "/api/v1/procedures/{id}/schema.json",
            "The form's JSON Schema",
            &[200, 404],
        ),
        (
            "post",
            "/api/v1/dossiers",
            "Submit a signed form (XML-DSig/XAdES or JWS), alone or multipart with its attachments",
            &[200, 201, 400, 413, 422],
        ),
        (
            "get",
            "/api/v1/dossiers",
            "An agency's dossiers (officer token), or an applicant's own (X-Applicant-Signature)",
            &[200, 400, 401],
        ),
        (
            "get",
            "/api/v1/dossiers/{code}",
            "A dossier's status and history (lookup secret, X-Applicant-Signature or officer token)",
            &[200, 401, 404],
        ),
        (
            "post",
            "/api/v1/dossiers/{code}/actions/{action}",
            "Move a dossier: officer actions with a token, withdraw and supplement with a signed request",
            &[200, 400, 401, 403, 404, 409, 422],
        ),
        (
            "get",
            "/api/v1/dossiers/{code}/audit",
            "The dossier's audit chain and verification evidence",
            &[200, 401, 404],
        ),
        (
            "get",
            "/api/v1/dossiers/{code}/result",
            "The signed result returned to the applicant",
            &[200, 401, 404],
        ),
        (
            "get",
            "/api/v1/dossiers/{code}/receipt.pdf",
            "The submission receipt and appointment, signed by the agency (PDF, PAdES)",
            &[200, 401, 404, 503],
        ),
        (
            "post",
            "/api/v1/dossiers/{code}/payments",
            "Open a payment order for the fee due and get the gateway's signed payment URL",
            &[201, 401, 404, 409, 503],
        ),
        (
            "get",
            "/api/v1/payments/notify",
            "The gateway's signed notification (query parameters)",
            &[200, 400, 404, 413, 503],
        ),
        (
            "post",
            "/api/v1/payments/notify",
            "The gateway's signed notification (form body)",
            &[200, 400, 404, 413, 503],
        ),
        (
            "get",
            "/api/v1/payments",
            "Payments received on a day, by state, for reconciliation (officer token)",
            &[200, 400, 401],
        ),
        (
            "get",
            "/api/v1/receipts/{id}",
            "A signed fee receipt (PDF, PAdES)",
            &[200, 404, 503],
        ),
        (
            "get",
            "/api/v1/receipts/{id}/verify",
            "What was issued under a receipt id (the receipt's QR code)",
            &[200, 404],
        ),
        (
            "post",
            "/api/v1/receipts/{id}/verify",
            "Check a receipt PDF: the one issued, and its signature valid",
            &[200, 404],
        ),
        ("get", "/api/v1/openapi.json", "This document", &[200]),
        ("get", "/healthz", "The process is alive", &[200]),
        ("get", "/readyz", "The database answers", &[200, 503]),
        ("get", "/metrics", "Prometheus metrics", &[200]),
    ];

    /// The document.
    pub fn document() -> Value {
        let mut paths = Map::new();
        for (method, path, summary, statuses) in OPERATIONS {
            let responses: Map<String, Value> = statuses
                .iter()
                .map(|s| {
                    let description = if *s < 400 { "Success" } else { "Problem Details (RFC 9457)" };
                    let mut r = json!({ "description": description });
                    if *s >= 400 {
                        r["content"] = json!({ "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } });
                    }
                    (s.to_string(), r)
                })
                .collect();
            let parameters: Vec<Value> = path
                .split('/')
                .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
                .collect();
            let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
            entry[*method] =
                json!({ "summary": summary, "parameters": parameters, "responses": responses });
        }
        json!({
            "openapi": "3.1.0",
            "info": { "title": "hoso", "version": env!("CARGO_PKG_VERSION"),
                      "description": "Signed e-form submissions to Vietnamese online public services (level 3/4)." },
            "paths": paths,
            "components": {
                "schemas": {
                    "Problem": {
                        "type": "object",
                        "required": ["type", "title", "status", "detail", "title_vi", "detail_vi"],
                        "properties": {
                            "type": { "type": "string" }, "title": { "type": "string" },
                            "status": { "type": "integer" }, "detail": { "type": "string" },
                            "title_vi": { "type": "string" }, "detail_vi": { "type": "string" }
                        }
                    }
                },
                "securitySchemes": { "officer": { "type": "http", "scheme": "bearer" } }
            }
        })
    }
}

/// Runs the service until Ctrl-C or SIGTERM, then finishes the requests in
/// flight.
pub async fn serve(config: Config) -> Result<(), StartError> {
    let app = App::new(&config).await?;
    let router = router(app, Duration::from_secs(config.request_timeout_seconds));
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| StartError::Io(format!("{}: {e}", config.listen)))?;
    let local = listener
        .local_addr()
        .map_err(|e| StartError::Io(e.to_string()))?;
    log(
        "listening",
        json!({ "address": local.to_string(), "database": redact(&config.database_url()) }),
    );
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let ctrl_c = tokio::signal::ctrl_c();
            #[cfg(unix)]
            {
                let mut term =
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                        .expect("SIGTERM can be handled");
                tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
            }
            #[cfg(not(unix))]
            let _ = ctrl_c.await;
            log("shutting_down", json!({}));
        })
        .await
        .map_err(|e| StartError::Io(e.to_string()))
}

/// A database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user_info = &url[scheme + 3..at];
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
