//! Level 4 over HTTP: paying a dossier's fee through the gateway, the
//! gateway's notifications, the reconciliation list, and the signed fee
//! receipts with their public verification.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Query, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hoso_forms::{FeeAssessment, FeeOutcome};
use hoso_pki::{Certificate, Timestamp};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    App, LookupQuery, VIETNAM_OFFSET, bad_request, log, officer, sha256_hex, store_problem,
    vietnam_day,
};
use crate::codes;
use crate::config::Config;
use crate::payment::{PaymentError, PaymentOrder, PaymentProvider, Sandbox};
use crate::problem::Problem;
use crate::store::{Notified, PaymentState, ReceiptDraft, ReceiptRecord, StoreError};

/// The most a notification may carry, in bytes: far above any gateway's.
const MAX_NOTIFICATION_BYTES: usize = 8 * 1024;

/// The TEST agency key, certificate and chain, used to sign receipts when
/// the service trusts the demo profile and no key is configured.
const DEMO_AGENCY_KEY: &[u8] = include_bytes!("../../../../certs/test/signers/agency.key.pem");
const DEMO_AGENCY_CERT: &[u8] = include_bytes!("../../../../certs/test/signers/agency.pem");
const DEMO_AGENCY_CHAIN: &[u8] = include_bytes!("../../../../certs/test/chain-ca1.pem");

/// The gateway, the receipt font and the agency's signing key.
pub(super) struct Level4 {
    gateway: Option<(Box<dyn PaymentProvider>, i64)>,
    /// `None` when the font could not be read: payments are still
    /// credited, and receipts are rendered once it is there.
    font: Option<hoso_receipt::Font>,
    key: hoso_dsig::SigningKey,
    certificates: Vec<Certificate>,
    template: String,
    public_base: String,
}

impl Level4 {
    pub(super) fn load(config: &Config) -> Result<Level4, String> {
        let gateway = config.payment.as_ref().map(|p| {
            let sandbox = Sandbox::new(&p.merchant, p.secret.as_bytes(), &p.gateway_url);
            (
                Box::new(sandbox) as Box<dyn PaymentProvider>,
                i64::from(p.order_minutes) * 60,
            )
        });
        let font = match hoso_receipt::Font::load(&config.receipts.font) {
            Ok(font) => Some(font),
            Err(e) => {
                log("receipt_font_missing", json!({ "error": e.to_string() }));
                None
            }
        };
        let read = |path: &std::path::Path| {
            std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
        };
        let (key_pem, cert_pems) = match &config.receipts.key_file {
            Some(path) => (
                read(path)?,
                config
                    .receipts
                    .certificate_files
                    .iter()
                    .map(|p| read(p))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => (
                DEMO_AGENCY_KEY.to_vec(),
                vec![DEMO_AGENCY_CERT.to_vec(), DEMO_AGENCY_CHAIN.to_vec()],
            ),
        };
        let key = hoso_dsig::SigningKey::from_pem(&key_pem)
            .map_err(|e| format!("receipts.key_file: {e}"))?;
        let mut certificates = Vec::new();
        for pem in &cert_pems {
            certificates.extend(
                Certificate::from_pem(pem)
                    .map_err(|e| format!("receipts.certificate_files: {e}"))?,
            );
        }
        if certificates.is_empty() {
            return Err("receipts.certificate_files: no certificate".into());
        }
        Ok(Level4 {
            gateway,
            font,
            key,
            certificates,
            template: config.receipts.template.clone(),
            public_base: config.public_base(),
        })
    }

    fn gateway(&self) -> Result<(&dyn PaymentProvider, i64), Problem> {
        self.gateway
            .as_ref()
            .map(|(g, ttl)| (g.as_ref(), *ttl))
            .ok_or_else(|| {
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "payment-not-configured",
                    (
                        "Online payment is not available",
                        "Chưa hỗ trợ thanh toán trực tuyến",
                    ),
                    "This service has no payment gateway; pay the fee at the agency's desk.",
                    "Dịch vụ chưa kết nối cổng thanh toán; vui lòng nộp phí tại bộ phận một cửa.",
                )
            })
    }

    fn verify_url(&self, id: &str) -> String {
        format!("{}/api/v1/receipts/{id}/verify", self.public_base)
    }

    /// Renders and signs a receipt from its stored facts. The signing
    /// time is the issue time, so rendering again gives the same bytes.
    fn render(&self, receipt: &ReceiptRecord) -> Result<Vec<u8>, String> {
        let font = self
            .font
            .as_ref()
            .ok_or("the receipt font is not available")?;
        let f = &receipt.facts;
        let text = |key: &str| f[key].as_str().unwrap_or_default().to_owned();
        let items = f["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| hoso_receipt::FeeItem {
                        name: i["name"].as_str().unwrap_or_default().to_owned(),
                        amount_vnd: i["amount_vnd"].as_u64().unwrap_or(0),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let data = hoso_receipt::FeeReceipt {
            agency: text("agency"),
            template: text("template"),
            series: receipt.series.clone(),
            number: text("number"),
            payer: text("payer"),
            dossier_code: receipt.dossier.clone(),
            items,
            payment_reference: text("payment_reference"),
            paid_at: text("paid_at"),
            verify_url: self.verify_url(&receipt.id),
        };
        let pdf = hoso_receipt::fee_receipt_pdf(&data, font).map_err(|e| e.to_string())?;
        self.sign(&pdf, Timestamp::from_unix(receipt.issued_at))
    }

    /// Renders and signs a dossier's submission receipt, signed at the
    /// time of receipt (so that it comes out the same every time).
    fn submission(
        &self,
        data: &hoso_receipt::SubmissionReceipt,
        received_at: i64,
    ) -> Result<Vec<u8>, String> {
        let font = self
            .font
            .as_ref()
            .ok_or("the receipt font is not available")?;
        let pdf = hoso_receipt::submission_receipt_pdf(data, font).map_err(|e| e.to_string())?;
        self.sign(&pdf, Timestamp::from_unix(received_at))
    }

    fn sign(&self, pdf: &[u8], at: Timestamp) -> Result<Vec<u8>, String> {
        let options = hoso_receipt::PdfSignOptions::new(self.certificates.clone(), at);
        hoso_receipt::sign_pdf(pdf, &self.key, &options).map_err(|e| e.to_string())
    }
}

/// The receipt's printed lines: the assessment's when the order pays it
/// exactly, else one line for what the officer asked.
fn receipt_items(assessment: Option<&FeeAssessment>, amount: i64) -> Value {
    match assessment {
        Some(a) if a.outcome == FeeOutcome::Due && a.total_vnd as i64 == amount => a
            .lines
            .iter()
            .map(|l| {
                let name = if l.quantity > 1 {
                    format!("{} (× {})", l.label.vi, l.quantity)
                } else {
                    l.label.vi.clone()
                };
                json!({ "name": name, "amount_vnd": l.amount_vnd })
            })
            .collect(),
        _ => json!([{ "name": "Phí, lệ phí giải quyết thủ tục hành chính", "amount_vnd": amount }]),
    }
}

/// A day `YYYY-MM-DD` as receipts print it: `ngày 27/11/2026`.
fn printed_day(day: &str) -> String {
    format!("ngày {}/{}/{}", &day[8..10], &day[5..7], &day[..4])
}

/// A moment as receipts print it, in Vietnam's time:
/// `15:00:00 ngày 27/11/2026`.
fn printed_time(t: Timestamp) -> String {
    let local = Timestamp::from_unix(t.unix() + VIETNAM_OFFSET).to_string();
    format!("{} {}", &local[11..19], printed_day(&local[..10]))
}

/// A gateway's RFC 3339 time as printed; as given when it does not parse.
fn printed_gateway_time(rfc3339: &str) -> String {
    Timestamp::parse_rfc3339(rfc3339).map_or_else(|_| rfc3339.to_owned(), printed_time)
}

/// `POST /api/v1/dossiers/{code}/payments`: opens a payment order for the
/// open obligation and answers with the gateway's signed payment URL. The
/// applicant proves ownership as for a lookup (secret or signed header).
pub(super) async fn pay(
    State(app): State<Arc<App>>,
    UrlPath(code): UrlPath<String>,
    Query(query): Query<LookupQuery>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let (gateway, ttl) = app.level4.gateway()?;
    if !codes::is_code(&code) {
        return Err(Problem::no_dossier());
    }
    let now = Timestamp::now();
    let d = app
        .store
        .dossier(&code)
        .await
        .map_err(|e| store_problem(&app, e))?;
    if !super::owns(&app, &d, &headers, query.secret, "pay", now)? {
        return Err(Problem::no_dossier());
    }
    let order = app
        .store
        .open_order(&code, now.unix(), ttl)
        .await
        .map_err(|e| match e {
            StoreError::Transition { from, .. } => Problem::new(
                StatusCode::CONFLICT,
                "nothing-to-pay",
                ("Nothing to pay", "Không có khoản phải nộp"),
                format!("The dossier is not awaiting payment (status {from})."),
                format!("Hồ sơ không ở trạng thái chờ nộp phí (trạng thái {from})."),
            )
            .with("status", json!(from)),
            other => store_problem(&app, other),
        })?;
    let url = gateway.payment_url(&PaymentOrder {
        order: order.order.clone(),
        amount_vnd: u64::try_from(order.amount_vnd).unwrap_or(0),
        // Gateways take the order description without diacritics.
        description: format!("Phi, le phi ho so {code}"),
        return_url: format!("{}/api/v1/dossiers/{code}", app.level4.public_base),
    });
    log(
        "payment_order",
        json!({ "code": code, "order": order.order, "amount_vnd": order.amount_vnd }),
    );
    let answer = json!({
        "order": order.order,
        "amount_vnd": order.amount_vnd,
        "currency": "VND",
        "expires_at": Timestamp::from_unix(order.expires_at).to_string(),
        "payment_url": url,
    });
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `GET /api/v1/dossiers/{code}/receipt.pdf`: the submission receipt
/// ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), signed by the agency, for
/// the applicant (secret or signed header) or the agency's officers.
pub(super) async fn submission_receipt(
    State(app): State<Arc<App>>,
    UrlPath(code): UrlPath<String>,
    Query(query): Query<LookupQuery>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let (d, _) = super::readable(&app, &code, &headers, query.secret, "lookup", true).await?;
    let attachments = app
        .store
        .attachments(&code)
        .await
        .map_err(|e| store_problem(&app, e))?;
    let procedure = app.catalog.get(&d.procedure);
    let definition = app.definitions.get(&d.procedure);
    // The documents by the labels the form gives them.
    let label = |field: &str| {
        let name = field.split('[').next().unwrap_or(field);
        definition
            .and_then(|def| def.fields.iter().find(|f| f.name == "attachments"))
            .and_then(|group| match group.ty.ty.as_ref() {
                hoso_forms::Type::Group(fields) => fields.iter().find(|f| f.name == name),
                _ => None,
            })
            .map_or_else(|| name.to_owned(), |f| f.label.vi.clone())
    };
    let mut documents = vec![format!(
        "{} (bản điện tử có chữ ký số)",
        definition.map_or("Tờ khai", |def| def.title.vi.as_str())
    )];
    documents.extend(
        attachments
            .iter()
            .map(|a| format!("{}: tệp {}", label(&a.field), a.file_name)),
    );
    let appointment = hoso_forms::Date::parse(&d.appointment)
        .map_or(d.appointment.clone(), |day| printed_day(&day.to_string()));
    let data = hoso_receipt::SubmissionReceipt {
        agency: procedure
            .map(|p| p.lead_agency.vi.clone())
            .unwrap_or_default(),
        dossier_code: d.code.clone(),
        applicant: d.applicant_name.clone(),
        procedure: procedure.map(|p| p.name.vi.clone()).unwrap_or_default(),
        documents,
        received_at: printed_time(Timestamp::from_unix(d.received_at)),
        appointment,
        verify_url: format!("{}/api/v1/dossiers/{}", app.level4.public_base, d.code),
    };
    let received_at = d.received_at;
    let pdf = {
        let app = app.clone();
        tokio::task::spawn_blocking(move || app.level4.submission(&data, received_at))
            .await
            .map_err(|_| Problem::internal())?
    }
    .map_err(|e| {
        log("receipt_render_failed", json!({ "code": code, "error": e }));
        unavailable()
    })?;
    Ok(pdf_response(pdf, &format!("giay-tiep-nhan-{code}.pdf")))
}

fn unavailable() -> Problem {
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "receipt-unavailable",
        ("Receipt not available yet", "Biên lai chưa sẵn sàng"),
        "The receipt is recorded but cannot be rendered now; try again later.",
        "Biên lai đã được ghi nhận nhưng chưa tạo được tệp; vui lòng thử lại sau.",
    )
}

fn pdf_response(pdf: Vec<u8>, file_name: &str) -> Response {
    let mut response = pdf.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{file_name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// Decodes `application/x-www-form-urlencoded` text into pairs.
fn form_pairs(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        percent_encoding::percent_decode_str(&s)
            .decode_utf8_lossy()
            .into_owned()
    };
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((n, v)) => (decode(n), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

fn refused_notification(e: &PaymentError) -> Problem {
    Problem::new(
        StatusCode::BAD_REQUEST,
        "notification-refused",
        ("Notification refused", "Thông báo thanh toán bị từ chối"),
        format!("The payment notification is refused: {e}."),
        format!("Thông báo thanh toán bị từ chối: {e}."),
    )
}

/// `GET|POST /api/v1/payments/notify`: the gateway's server-to-server
/// notification, parameters in the query or a form body. Its signature,
/// merchant and currency are checked; it is recorded once per transaction
/// id; paid money is credited or kept for refund, never dropped.
pub(super) async fn notify(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Json<Value>, Problem> {
    let (gateway, _) = app.level4.gateway()?;
    if body.len() > MAX_NOTIFICATION_BYTES
        || query
            .as_ref()
            .is_some_and(|q| q.len() > MAX_NOTIFICATION_BYTES)
    {
        return Err(super::too_large("a payment notification"));
    }
    let mut params = form_pairs(query.as_deref().unwrap_or_default());
    params.extend(form_pairs(&String::from_utf8_lossy(&body)));
    let n = gateway.verify_notification(&params).map_err(|e| {
        app.metrics.notifications[3].fetch_add(1, Ordering::Relaxed);
        log("notification_refused", json!({ "error": e.to_string() }));
        refused_notification(&e)
    })?;
    let now = Timestamp::now().unix();
    let Some(order) = app
        .store
        .order(&n.order)
        .await
        .map_err(|e| store_problem(&app, e))?
    else {
        return Err(unknown_order(&n.order));
    };
    let d = app
        .store
        .dossier(&order.dossier)
        .await
        .map_err(|e| store_problem(&app, e))?;
    let (fee, _) = app
        .store
        .fee(&d.code)
        .await
        .map_err(|e| store_problem(&app, e))?;
    let assessment = assessment_of(&fee);
    let agency = app
        .catalog
        .get(&d.procedure)
        .map(|p| p.lead_agency.vi.clone())
        .unwrap_or_default();
    let year = &vietnam_day(now)[..4];
    let draft = ReceiptDraft {
        id: codes::new_receipt_id(),
        series: format!("{}/{year}", d.agency.to_ascii_uppercase()),
        facts: json!({
            "agency": agency,
            "template": app.level4.template,
            "payer": d.applicant_name,
            "items": receipt_items(assessment.as_ref(), order.amount_vnd),
            "payment_reference": format!("{}/{}", gateway.name(), n.transaction),
            "paid_at": printed_gateway_time(&n.paid_at),
        }),
    };
    let outcome = app
        .store
        .record_notification(gateway.name(), &n, now, &vietnam_day(now), draft)
        .await
        .map_err(|e| store_problem(&app, e))?;
    let counter = match &outcome {
        Notified::Credited { .. } => 0,
        Notified::Recorded(_) => 1,
        Notified::Replayed(_) => 2,
        Notified::UnknownOrder => 3,
    };
    app.metrics.notifications[counter].fetch_add(1, Ordering::Relaxed);
    let answer = match outcome {
        Notified::UnknownOrder => return Err(unknown_order(&n.order)),
        Notified::Replayed(p) => {
            json!({ "result": "replayed", "state": p.state, "flag": p.flag, "receipt": p.receipt })
        }
        Notified::Recorded(p) => {
            log(
                "payment_recorded",
                json!({ "code": p.dossier, "transaction": p.transaction, "state": p.state, "flag": p.flag }),
            );
            json!({ "result": p.state, "state": p.state, "flag": p.flag, "receipt": null })
        }
        Notified::Credited { dossier, payment } => {
            log(
                "payment_credited",
                json!({ "code": dossier.code, "transaction": payment.transaction, "flag": payment.flag }),
            );
            if let Some(id) = &payment.receipt {
                // A receipt that fails to render now is rendered when first
                // asked for; the payment stands either way.
                if let Err(e) = issue_pdf(&app, id).await {
                    log(
                        "receipt_render_failed",
                        json!({ "receipt": id, "error": e }),
                    );
                }
            }
            json!({
                "result": "credited",
                "state": payment.state,
                "flag": payment.flag,
                "receipt": payment.receipt,
                "status": dossier.status.code(),
            })
        }
    };
    Ok(Json(answer))
}

fn unknown_order(order: &str) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "order-unknown",
        ("Unknown order", "Không có lệnh thanh toán"),
        format!("No payment order {order:?}."),
        format!("Không có lệnh thanh toán {order:?}."),
    )
}

/// The assessment stored with a dossier, read back.
pub(super) fn assessment_of(stored: &str) -> Option<FeeAssessment> {
    serde_json::from_str(stored).ok()
}

/// Renders, signs and keeps a receipt's PDF unless it is kept already;
/// returns it.
async fn issue_pdf(app: &Arc<App>, id: &str) -> Result<Option<Vec<u8>>, String> {
    let Some(receipt) = app.store.receipt(id).await.map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    if let Some(pdf) = receipt.pdf {
        return Ok(Some(pdf));
    }
    let pdf = {
        let app = app.clone();
        tokio::task::spawn_blocking(move || app.level4.render(&receipt))
            .await
            .map_err(|e| e.to_string())??
    };
    app.store
        .keep_receipt_pdf(id, &pdf)
        .await
        .map_err(|e| e.to_string())?;
    // Another request may have kept its rendering first; both are the
    // same bytes, but serve what is stored.
    Ok(app
        .store
        .receipt(id)
        .await
        .map_err(|e| e.to_string())?
        .and_then(|r| r.pdf))
}

fn no_receipt() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "receipt-not-found",
        ("No such receipt", "Không có biên lai"),
        "No receipt has this id.",
        "Không có biên lai với mã này.",
    )
}

/// `GET /api/v1/receipts/{id}`: the signed PDF. The id is the capability.
pub(super) async fn receipt_pdf(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, Problem> {
    if !codes::is_receipt_id(&id) {
        return Err(no_receipt());
    }
    let pdf = issue_pdf(&app, &id)
        .await
        .map_err(|e| {
            log(
                "receipt_render_failed",
                json!({ "receipt": id, "error": e }),
            );
            unavailable()
        })?
        .ok_or_else(no_receipt)?;
    Ok(pdf_response(pdf, &format!("bien-lai-{id}.pdf")))
}

/// The facts a verifier sees.
fn receipt_json(app: &App, r: &ReceiptRecord, pdf: Option<&[u8]>) -> Value {
    let f = &r.facts;
    let total: u64 = f["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["amount_vnd"].as_u64()).sum())
        .unwrap_or(0);
    json!({
        "id": r.id,
        "template": f["template"],
        "series": r.series,
        "number": f["number"],
        "agency": f["agency"],
        "payer": f["payer"],
        "dossier": r.dossier,
        "items": f["items"],
        "total_vnd": total,
        "payment_reference": f["payment_reference"],
        "paid_at": f["paid_at"],
        "issued_at": Timestamp::from_unix(r.issued_at).to_string(),
        "pdf_sha256": pdf.map(sha256_hex),
        "pdf_url": format!("{}/api/v1/receipts/{}", app.level4.public_base, r.id),
        "signer": app.level4.certificates.first().map(|c| c.subject()),
    })
}

/// `GET /api/v1/receipts/{id}/verify`: what the agency issued under this
/// id, for anyone holding the receipt (the QR code's URL).
/// `POST` with a PDF body also says whether that file is the one issued
/// and whether its signature verifies under the service's trust.
pub(super) async fn verify_receipt(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
    body: Bytes,
) -> Result<Json<Value>, Problem> {
    if !codes::is_receipt_id(&id) {
        return Err(no_receipt());
    }
    // Without its PDF (not renderable yet) the facts are still answered.
    let pdf = issue_pdf(&app, &id).await.unwrap_or_else(|e| {
        log(
            "receipt_render_failed",
            json!({ "receipt": id, "error": e }),
        );
        None
    });
    let record = app
        .store
        .receipt(&id)
        .await
        .map_err(|e| store_problem(&app, e))?
        .ok_or_else(no_receipt)?;
    let mut answer = json!({ "receipt": receipt_json(&app, &record, pdf.as_deref()) });
    if !body.is_empty() {
        let same = pdf.as_deref() == Some(&body[..]);
        let options = app.verify_options(Timestamp::now());
        let signature = match hoso_receipt::verify_pdf(&body, &options) {
            Ok(report) => match report.verdict() {
                Ok(()) => json!({
                    "valid": true,
                    "signer": report.signatures.last().and_then(|s| s.signer_name.clone()),
                }),
                Err(refusal) => json!({
                    "valid": false,
                    "reason": refusal.to_string(),
                    "reason_vi": refusal.vi(),
                }),
            },
            Err(e) => json!({ "valid": false, "reason": e.to_string(), "reason_vi": e.vi() }),
        };
        answer["submitted"] = json!({ "same_as_issued": same, "signature": signature });
    }
    Ok(Json(answer))
}

#[derive(Deserialize)]
pub(super) struct ReconcileQuery {
    day: Option<String>,
    state: Option<String>,
}

/// `GET /api/v1/payments?day=YYYY-MM-DD&state=…`: the notifications an
/// agency's dossiers received on a day, with totals per state, for
/// reconciliation against the gateway's statement. Officers only.
pub(super) async fn reconcile(
    State(app): State<Arc<App>>,
    Query(query): Query<ReconcileQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>, Problem> {
    let officer = officer(&app, &headers).ok_or_else(Problem::unauthorized)?;
    let day = query
        .day
        .unwrap_or_else(|| vietnam_day(Timestamp::now().unix()));
    if hoso_forms::Date::parse(&day).is_none() {
        return Err(bad_request(
            "day-invalid",
            format!("{day:?} is not a date YYYY-MM-DD."),
            format!("{day:?} không phải ngày dạng YYYY-MM-DD."),
        ));
    }
    let state = match query.state.as_deref() {
        None | Some("") => None,
        Some(name) => Some(PaymentState::from_name(name).ok_or_else(|| {
            bad_request(
                "state-invalid",
                format!("{name:?} is not credited, failed or refund_due."),
                format!("{name:?} không phải credited, failed hoặc refund_due."),
            )
        })?),
    };
    let payments = app
        .store
        .payments(&officer.agency, &day, state)
        .await
        .map_err(|e| store_problem(&app, e))?;
    let mut totals = serde_json::Map::new();
    for s in [
        PaymentState::Credited,
        PaymentState::Failed,
        PaymentState::RefundDue,
    ] {
        let of: Vec<_> = payments.iter().filter(|p| p.state == s).collect();
        totals.insert(
            s.name().into(),
            json!({ "count": of.len(), "amount_vnd": of.iter().map(|p| p.amount_vnd).sum::<i64>() }),
        );
    }
    Ok(Json(json!({
        "agency": officer.agency,
        "day": day,
        "state": state,
        "totals": totals,
        "payments": payments,
    })))
}
