//! Level 4 end to end, in process on SQLite: fees assessed from the signed
//! form, the dossier waiting in status 6, payment orders, the sandbox
//! gateway's signed notifications (paid, failed, tampered, forged,
//! replayed, wrong amount, late, for a withdrawn or already-paid dossier),
//! reconciliation, and the signed fee receipt with its public verification.

mod support;

use std::process::Command;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use hoso_pki::Timestamp;
use hoso_server::config::{Config, PaymentConfig};
use hoso_server::payment::{PaymentOrder, PaymentStatus, Sandbox};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use support::*;
use tower::ServiceExt as _;

const MERCHANT: &str = "HOSO-TEST";
const SECRET: &str = "sandbox-secret-TEST-0123456789";
const PUBLIC: &str = "https://dichvucong.example";

fn level4(dir: &std::path::Path) -> Config {
    Config {
        public_url: Some(PUBLIC.into()),
        payment: Some(PaymentConfig {
            merchant: MERCHANT.into(),
            secret: SECRET.into(),
            gateway_url: "https://sandbox.example/gateway".into(),
            order_minutes: 15,
        }),
        ..config(dir, None)
    }
}

fn gateway() -> Sandbox {
    Sandbox::new(
        MERCHANT,
        SECRET.as_bytes(),
        "https://sandbox.example/gateway",
    )
}

/// What the gateway would send for an order.
fn notice(
    order: &str,
    amount: u64,
    transaction: &str,
    status: PaymentStatus,
) -> Vec<(String, String)> {
    gateway().notification(
        &PaymentOrder {
            order: order.into(),
            amount_vnd: amount,
            description: String::new(),
            return_url: String::new(),
        },
        transaction,
        status,
        &Timestamp::now().to_string(),
    )
}

/// A time as receipts print it: Vietnam's time, `15:00:00 ngày 27/11/2026`.
fn printed(t: Timestamp) -> String {
    let local = Timestamp::from_unix(t.unix() + 7 * 3600).to_string();
    format!(
        "{} ngày {}/{}/{}",
        &local[11..19],
        &local[8..10],
        &local[5..7],
        &local[..4]
    )
}

fn query(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(n, v)| {
            format!(
                "{n}={}",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn notify_get(service: &Service, params: &[(String, String)]) -> (StatusCode, Value) {
    service
        .get(&format!("/api/v1/payments/notify?{}", query(params)), None)
        .await
}

async fn notify_post(service: &Service, params: &[(String, String)]) -> (StatusCode, Value) {
    service
        .send(
            Request::post("/api/v1/payments/notify")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(query(params)))
                .unwrap(),
        )
        .await
}

async fn act(service: &Service, code: &str, action: &str, agency: &str, body: Value) -> Value {
    let (status, answer) = service
        .post_json(
            &format!("/api/v1/dossiers/{code}/actions/{action}"),
            Some(token(agency)),
            &body,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{action}: {answer}");
    answer
}

/// Submits a procedure's signed example; returns (code, secret, answer).
async fn submit_example(service: &Service, procedure: &str) -> (String, String, Value) {
    let signed = read(&format!("examples/forms/{procedure}/signed.xml"));
    let (status, answer) = service.submit(submission(&signed), None).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    (
        answer["code"].as_str().unwrap().to_owned(),
        answer["secret"].as_str().unwrap().to_owned(),
        answer,
    )
}

async fn open_order(service: &Service, code: &str, secret: &str) -> (StatusCode, Value) {
    service
        .send(
            Request::post(format!("/api/v1/dossiers/{code}/payments"))
                .header("x-lookup-secret", secret)
                .body(Body::empty())
                .unwrap(),
        )
        .await
}

async fn raw(service: &Service, request: Request<Body>) -> (StatusCode, String, Vec<u8>) {
    let response = service.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, kind, bytes.to_vec())
}

fn tool(name: &str, args: &[&str]) -> std::process::Output {
    Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed (scripts/test.sh installs it): {e}"))
}

#[tokio::test]
async fn a_paid_fee_moves_the_dossier_on_and_issues_a_signed_receipt() {
    let dir = scratch("pay-flow");
    let service = Service::start(&level4(&dir)).await;
    let (code, secret, submitted) = submit_example(&service, "tp-20-ly-lich-tu-phap-so-1").await;
    assert_eq!(submitted["fee"]["outcome"]["kind"], "due");
    assert_eq!(submitted["fee"]["total_vnd"], 200_000);

    // The submission receipt, signed by the agency, the same every time.
    let get_receipt = |query: &str| {
        Request::get(format!("/api/v1/dossiers/{code}/receipt.pdf{query}"))
            .body(Body::empty())
            .unwrap()
    };
    let (status, _, _) = raw(&service, get_receipt("")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not without the secret");
    let (status, kind, first) = raw(&service, get_receipt(&format!("?secret={secret}"))).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/pdf"));
    let (_, _, second) = raw(&service, get_receipt(&format!("?secret={secret}"))).await;
    assert_eq!(first, second);
    let file = dir.join("submission.pdf");
    std::fs::write(&file, &first).unwrap();
    let text = tool("pdftotext", &["-layout", file.to_str().unwrap(), "-"]);
    let text = String::from_utf8(text.stdout).unwrap();
    let appointment = submitted["appointment"].as_str().unwrap();
    let appointment = format!(
        "ngày {}/{}/{}",
        &appointment[8..10],
        &appointment[5..7],
        &appointment[..4]
    );
    for expected in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Sở Tư pháp",
        "NGUYỄN VĂN AN",
        "Cấp phiếu lý lịch tư pháp số 1 cho cá nhân",
        "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp số 1 (bản điện tử có chữ ký số)",
        &appointment,
        &code,
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    let sig = tool("pdfsig", &[file.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&sig.stdout).contains("Signature is Valid"),
        "{}",
        String::from_utf8_lossy(&sig.stdout)
    );

    // Nothing to pay before the fee is requested.
    let (status, problem) = open_order(&service, &code, &secret).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["type"], "urn:hoso:problem:nothing-to-pay");

    act(&service, &code, "accept", "so-tp", json!({})).await;
    let processing = act(&service, &code, "process", "so-tp", json!({})).await;
    assert_eq!(processing["status"]["code"], 6, "the fee is requested");
    let detail: Value =
        serde_json::from_str(processing["event"]["detail"].as_str().unwrap()).unwrap();
    assert_eq!(
        (detail["automatic"].clone(), detail["amount_vnd"].clone()),
        (json!(true), json!(200_000))
    );

    // Only the applicant opens an order.
    let (status, _) = open_order(&service, &code, "WRONG-SECRET").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, order) = open_order(&service, &code, &secret).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let order_id = order["order"].as_str().unwrap().to_owned();
    assert_eq!(order_id, format!("{code}-1"));
    assert_eq!(order["amount_vnd"], 200_000);
    let url = order["payment_url"].as_str().unwrap();
    assert!(
        url.starts_with("https://sandbox.example/gateway/pay?amount=200000&currency=VND&"),
        "{url}"
    );
    assert!(
        url.contains(&format!("merchant={MERCHANT}")) && url.contains("&secure_hash="),
        "{url}"
    );

    // The bank refuses first: recorded, the dossier still waits.
    let (status, answer) = notify_get(
        &service,
        &notice(&order_id, 200_000, "TXN-FAIL-1", PaymentStatus::Failed),
    )
    .await;
    assert_eq!(
        (status, answer["result"].as_str()),
        (StatusCode::OK, Some("failed")),
        "{answer}"
    );
    let (_, found) = service
        .get(&format!("/api/v1/dossiers/{code}?secret={secret}"), None)
        .await;
    assert_eq!(found["status"]["code"], 6);
    assert_eq!(found["fee"]["due_vnd"], 200_000);

    // Then pays: credited, back to processing, a receipt.
    let paid = notice(&order_id, 200_000, "TXN-PAID-1", PaymentStatus::Paid);
    let paid_time = paid
        .iter()
        .find(|(n, _)| n == "paid_at")
        .map(|(_, v)| Timestamp::parse_rfc3339(v).unwrap())
        .unwrap();
    let (status, answer) = notify_get(&service, &paid).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["result"], "credited");
    assert_eq!(answer["flag"], "");
    assert_eq!(answer["status"], 4);
    let receipt = answer["receipt"].as_str().unwrap().to_owned();

    // The gateway retries the same notification (as a form body): no
    // second credit, the same receipt.
    let (status, again) = notify_post(&service, &paid).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (again["result"].as_str(), again["receipt"].as_str()),
        (Some("replayed"), Some(receipt.as_str()))
    );
    let (_, found) = service
        .get(&format!("/api/v1/dossiers/{code}?secret={secret}"), None)
        .await;
    assert_eq!(found["status"]["code"], 4);
    assert_eq!(found["fee"]["due_vnd"], 0);
    let states: Vec<&str> = found["fee"]["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["failed", "credited"]);
    let history: Vec<&str> = found["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        [
            "submit",
            "accept",
            "request-payment",
            "payment-failed",
            "record-payment"
        ]
    );

    // The receipt: a signed PDF with the Vietnamese text and the QR code of
    // its verification URL.
    let (status, kind, pdf) = raw(
        &service,
        Request::get(format!("/api/v1/receipts/{receipt}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/pdf"));
    let file = dir.join("receipt.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = tool("pdftotext", &["-layout", file.to_str().unwrap(), "-"]);
    let text = String::from_utf8(text.stdout).unwrap();
    for expected in [
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Sở Tư pháp",
        "NGUYỄN VĂN AN",
        &printed(paid_time),
        "Cấp phiếu lý lịch tư pháp",
        "200.000",
        "Hai trăm nghìn đồng",
        "0000001",
        "SO-TP/",
        "sandbox/TXN-PAID-1",
        &code,
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    let verify_url = format!("{PUBLIC}/api/v1/receipts/{receipt}/verify");
    tool(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-singlefile",
            file.to_str().unwrap(),
            dir.join("page").to_str().unwrap(),
        ],
    );
    let qr = tool(
        "zbarimg",
        &["--raw", "-q", dir.join("page.png").to_str().unwrap()],
    );
    assert_eq!(String::from_utf8_lossy(&qr.stdout).trim(), verify_url);
    let sig = tool("pdfsig", &[file.to_str().unwrap()]);
    let sig = String::from_utf8_lossy(&sig.stdout);
    assert!(sig.contains("Signature is Valid"), "{sig}");
    assert!(
        sig.contains("TEST Sở Tài nguyên và Môi trường Tuyên Quang"),
        "{sig}"
    );

    // Anyone with the receipt checks it.
    let (status, checked) = service
        .get(&format!("/api/v1/receipts/{receipt}/verify"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let r = &checked["receipt"];
    assert_eq!(r["number"], "0000001");
    assert_eq!(r["total_vnd"], 200_000);
    assert_eq!(r["dossier"], code.as_str());
    assert_eq!(r["pdf_sha256"].as_str().unwrap().len(), 64);
    let post = |body: Vec<u8>| {
        Request::post(format!("/api/v1/receipts/{receipt}/verify"))
            .header("content-type", "application/pdf")
            .body(Body::from(body))
            .unwrap()
    };
    let (_, genuine) = service.send(post(pdf.clone())).await;
    assert_eq!(genuine["submitted"]["same_as_issued"], true, "{genuine}");
    assert_eq!(
        genuine["submitted"]["signature"]["valid"], true,
        "{genuine}"
    );
    let mut forged = pdf.clone();
    // A byte of the first stream's (compressed) data: inside the signed
    // range, the file still parses.
    let at = forged.windows(7).position(|w| w == b"stream\n").unwrap() + 17;
    forged[at] ^= 0x01;
    let (_, forged) = service.send(post(forged)).await;
    assert_eq!(forged["submitted"]["same_as_issued"], false, "{forged}");
    assert_eq!(forged["submitted"]["signature"]["valid"], false, "{forged}");
    let (status, _) = service
        .get("/api/v1/receipts/0000000000000000000000000A/verify", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Reconciliation for the agency, by day and state.
    let today =
        Timestamp::from_unix(Timestamp::now().unix() + 7 * 3600).to_string()[..10].to_owned();
    let (status, day) = service
        .get(
            &format!("/api/v1/payments?day={today}"),
            Some(token("so-tp")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{day}");
    assert_eq!(
        day["totals"]["credited"],
        json!({ "count": 1, "amount_vnd": 200_000 })
    );
    assert_eq!(day["totals"]["failed"]["count"], 1);
    assert_eq!(day["totals"]["refund_due"]["count"], 0);
    let (_, credited) = service
        .get(
            &format!("/api/v1/payments?day={today}&state=credited"),
            Some(token("so-tp")),
        )
        .await;
    let listed = credited["payments"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["transaction"], "TXN-PAID-1");
    assert_eq!(listed[0]["receipt"], receipt.as_str());
    let (_, other_agency) = service
        .get(
            &format!("/api/v1/payments?day={today}"),
            Some(token("so-tnmt")),
        )
        .await;
    assert_eq!(other_agency["payments"], json!([]));
    let (status, _) = service.get("/api/v1/payments", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = service
        .get("/api/v1/payments?day=27/11/2026", Some(token("so-tp")))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = service
        .get("/api/v1/payments?state=lost", Some(token("so-tp")))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (_, metrics) = service.get("/metrics", None).await;
    let metrics = metrics.as_str().unwrap().to_owned();
    for line in [
        "hoso_payment_notifications_total{outcome=\"credited\"} 1",
        "hoso_payment_notifications_total{outcome=\"recorded\"} 1",
        "hoso_payment_notifications_total{outcome=\"replayed\"} 1",
    ] {
        assert!(metrics.contains(line), "{line} not in {metrics}");
    }

    // The audit chain holds the gateway's events.
    let (status, audit) = service
        .get(
            &format!("/api/v1/dossiers/{code}/audit"),
            Some(token("so-tp")),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(audit["chain"], "intact", "{audit}");
}

#[tokio::test]
async fn tampered_forged_and_misdirected_notifications_credit_nothing() {
    let dir = scratch("pay-refused");
    let service = Service::start(&level4(&dir)).await;
    let (code, secret, _) = submit_example(&service, "tp-20-ly-lich-tu-phap-so-1").await;
    act(&service, &code, "accept", "so-tp", json!({})).await;
    act(&service, &code, "process", "so-tp", json!({})).await;
    let (_, order) = open_order(&service, &code, &secret).await;
    let order_id = order["order"].as_str().unwrap().to_owned();
    let paid = notice(&order_id, 200_000, "TXN-T-1", PaymentStatus::Paid);

    // The amount raised after signing.
    let tampered: Vec<(String, String)> = paid
        .iter()
        .map(|(n, v)| {
            (
                n.clone(),
                if n == "amount" {
                    "2000000".into()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    // Signed with a guessed secret.
    let forged = Sandbox::new(MERCHANT, b"guessed-secret-0000000000", "https://x").notification(
        &PaymentOrder {
            order: order_id.clone(),
            amount_vnd: 200_000,
            description: String::new(),
            return_url: String::new(),
        },
        "TXN-T-2",
        PaymentStatus::Paid,
        "2026-11-27T08:00:00Z",
    );
    // No signature at all.
    let unsigned: Vec<(String, String)> = paid
        .iter()
        .filter(|(n, _)| n != "secure_hash")
        .cloned()
        .collect();
    for (what, params) in [
        ("tampered", tampered),
        ("forged", forged),
        ("unsigned", unsigned),
    ] {
        let (status, problem) = notify_get(&service, &params).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {problem}");
        assert_eq!(
            problem["type"], "urn:hoso:problem:notification-refused",
            "{what}"
        );
    }
    let (status, _) = notify_get(
        &service,
        &notice(
            &format!("{code}-9"),
            200_000,
            "TXN-T-3",
            PaymentStatus::Paid,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an order never opened");
    let (status, _) = service
        .get(
            &format!("/api/v1/payments/notify?{}", "x=".repeat(5000)),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (_, found) = service
        .get(&format!("/api/v1/dossiers/{code}?secret={secret}"), None)
        .await;
    assert_eq!(found["status"]["code"], 6, "still waiting");
    assert_eq!(found["fee"]["payments"], json!([]), "nothing recorded");

    // Signed, but not the amount asked: kept for refund, not credited.
    let (_, wrong) = notify_get(
        &service,
        &notice(&order_id, 100_000, "TXN-T-4", PaymentStatus::Paid),
    )
    .await;
    assert_eq!(
        (wrong["result"].as_str(), wrong["flag"].as_str()),
        (Some("refund_due"), Some("wrong_amount")),
        "{wrong}"
    );
    let (_, found) = service
        .get(&format!("/api/v1/dossiers/{code}?secret={secret}"), None)
        .await;
    assert_eq!(found["status"]["code"], 6);
    assert_eq!(found["fee"]["due_vnd"], 200_000);

    // Two orders opened; both paid: the second is kept for refund.
    let (_, second) = open_order(&service, &code, &secret).await;
    let second = second["order"].as_str().unwrap().to_owned();
    assert_eq!(second, format!("{code}-2"));
    let (_, first) = notify_get(
        &service,
        &notice(&order_id, 200_000, "TXN-T-5", PaymentStatus::Paid),
    )
    .await;
    assert_eq!(first["result"], "credited");
    let (_, double) = notify_get(
        &service,
        &notice(&second, 200_000, "TXN-T-6", PaymentStatus::Paid),
    )
    .await;
    assert_eq!(
        (double["result"].as_str(), double["flag"].as_str()),
        (Some("refund_due"), Some("already_paid")),
        "{double}"
    );
    let (status, _) = open_order(&service, &code, &secret).await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing left to pay");

    // Withdrawn while the payment was under way.
    let (code2, secret2, _) = submit_example(&service, "tp-20-ly-lich-tu-phap-so-1").await;
    act(&service, &code2, "accept", "so-tp", json!({})).await;
    act(&service, &code2, "process", "so-tp", json!({})).await;
    let (_, order2) = open_order(&service, &code2, &secret2).await;
    let order2 = order2["order"].as_str().unwrap().to_owned();
    let withdraw = json!({ "dossier": code2, "action": "withdraw", "reason": "Không còn nhu cầu" })
        .to_string();
    let (status, answer) = service
        .send(
            Request::post(format!("/api/v1/dossiers/{code2}/actions/withdraw"))
                .header("content-type", "application/jose+json")
                .body(Body::from(sign_json(withdraw.as_bytes(), "person-cccd")))
                .unwrap(),
        )
        .await;
    assert_eq!(
        (status, answer["status"]["code"].as_i64()),
        (StatusCode::OK, Some(7))
    );
    let (_, late) = notify_get(
        &service,
        &notice(&order2, 200_000, "TXN-T-7", PaymentStatus::Paid),
    )
    .await;
    assert_eq!(
        (late["result"].as_str(), late["flag"].as_str()),
        (Some("refund_due"), Some("withdrawn")),
        "{late}"
    );

    // The day's refunds, for the agency to settle.
    let (_, refunds) = service
        .get("/api/v1/payments?state=refund_due", Some(token("so-tp")))
        .await;
    let flags: Vec<&str> = refunds["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["flag"].as_str().unwrap())
        .collect();
    assert_eq!(flags, ["wrong_amount", "already_paid", "withdrawn"]);
    assert_eq!(refunds["totals"]["refund_due"]["amount_vnd"], 500_000);
}

#[tokio::test]
async fn a_payment_made_after_the_order_expired_is_credited_and_flagged_late() {
    let dir = scratch("pay-late");
    let service = Service::start(&level4(&dir)).await;
    let (code, secret, _) = submit_example(&service, "tp-20-ly-lich-tu-phap-so-1").await;
    act(&service, &code, "accept", "so-tp", json!({})).await;
    act(&service, &code, "process", "so-tp", json!({})).await;
    let (_, order) = open_order(&service, &code, &secret).await;
    let opened = service
        .app
        .store()
        .order(order["order"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(opened.expires_at - opened.created_at, 15 * 60);
    // The payer finished on the gateway's page a day after the order's
    // time, and the dossier still waits: the money is taken, and the record
    // says it came late.
    let order = PaymentOrder {
        order: opened.order.clone(),
        amount_vnd: 200_000,
        description: String::new(),
        return_url: String::new(),
    };
    let a_day_late = Timestamp::from_unix(opened.expires_at + 86_400).to_string();
    let params = gateway().notification(&order, "TXN-LATE-1", PaymentStatus::Paid, &a_day_late);
    let (status, answer) = notify_get(&service, &params).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        (
            answer["result"].as_str(),
            answer["flag"].as_str(),
            answer["status"].as_i64()
        ),
        (Some("credited"), Some("late"), Some(4))
    );
    let (_, late) = service
        .get("/api/v1/payments?state=credited", Some(token("so-tp")))
        .await;
    assert_eq!(late["payments"][0]["flag"], "late");
}

#[tokio::test]
async fn officers_set_the_fee_a_form_cannot_decide_and_exempt_applicants_pay_nothing() {
    let dir = scratch("pay-officer");
    let service = Service::start(&level4(&dir)).await;
    // Groundwater exploration: the provincial rate is not in the catalog.
    let (code, secret, submitted) = submit_example(&service, "tnmt-01-tham-do-nuoc-duoi-dat").await;
    assert_eq!(submitted["fee"]["outcome"]["kind"], "by_officer");
    let tnmt = |action: &str| format!("/api/v1/dossiers/{code}/actions/{action}");
    // The reception desk accepts; the desk role cannot process.
    act(&service, &code, "accept", "so-tnmt", json!({})).await;
    let (status, problem) = service
        .post_json(&tnmt("request-payment"), Some(token("so-tnmt")), &json!({}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["type"], "urn:hoso:problem:amount-required");
    for bad in [json!(0), json!(-5), json!(2_000_000_000i64)] {
        let (status, _) = service
            .post_json(
                &tnmt("request-payment"),
                Some(token("so-tnmt")),
                &json!({ "amount_vnd": bad }),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let asked = act(
        &service,
        &code,
        "request-payment",
        "so-tnmt",
        json!({ "amount_vnd": 900_000 }),
    )
    .await;
    assert_eq!(asked["status"]["code"], 6);
    let (_, order) = open_order(&service, &code, &secret).await;
    assert_eq!(order["amount_vnd"], 900_000);
    // A second attempt opened, then abandoned.
    let (_, abandoned) = open_order(&service, &code, &secret).await;
    let (_, paid) = notify_get(
        &service,
        &notice(
            order["order"].as_str().unwrap(),
            900_000,
            "TXN-O-1",
            PaymentStatus::Paid,
        ),
    )
    .await;
    assert_eq!(paid["result"], "credited", "{paid}");
    let (_, checked) = service
        .get(
            &format!(
                "/api/v1/receipts/{}/verify",
                paid["receipt"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(
        checked["receipt"]["items"],
        json!([{ "name": "Phí, lệ phí giải quyết thủ tục hành chính", "amount_vnd": 900_000 }])
    );
    assert_eq!(checked["receipt"]["agency"], "Sở Tài nguyên và Môi trường");

    // A further obligation (an appraisal fee, say) while the abandoned
    // order is paid after all: its money answers the old amount, so it is
    // kept for refund and the new obligation still stands.
    let asked = act(
        &service,
        &code,
        "request-payment",
        "so-tnmt",
        json!({ "amount_vnd": 50_000, "reason": "Phí thẩm định bổ sung" }),
    )
    .await;
    assert_eq!(asked["status"]["code"], 6);
    let (_, stale) = notify_get(
        &service,
        &notice(
            abandoned["order"].as_str().unwrap(),
            900_000,
            "TXN-O-2",
            PaymentStatus::Paid,
        ),
    )
    .await;
    assert_eq!(
        (stale["result"].as_str(), stale["flag"].as_str()),
        (Some("refund_due"), Some("obligation_changed")),
        "{stale}"
    );
    let (_, found) = service
        .get(&format!("/api/v1/dossiers/{code}?secret={secret}"), None)
        .await;
    assert_eq!(
        (
            found["status"]["code"].as_i64(),
            found["fee"]["due_vnd"].as_i64()
        ),
        (Some(6), Some(50_000))
    );

    // A child's judicial record certificate: exempt, processing starts at
    // once.
    let definitions = hoso_forms::Definitions::load().unwrap();
    let definition = definitions.get("tp-20-ly-lich-tu-phap-so-1").unwrap();
    let mut form = definition.example();
    assert!(form.set_text("request.feeCategory", "child"));
    let signed = sign_xml(form.to_xml(definition).as_bytes(), "person-cccd");
    let (status, answer) = service.submit(submission(&signed), None).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["fee"]["outcome"]["kind"], "exempt");
    assert_eq!(answer["fee"]["outcome"]["exemption"]["en"], "Children");
    let child = answer["code"].as_str().unwrap();
    act(&service, child, "accept", "so-tp", json!({})).await;
    let processing = act(&service, child, "process", "so-tp", json!({})).await;
    assert_eq!(processing["status"]["code"], 4);
}

#[tokio::test]
async fn without_a_gateway_payment_is_at_the_desk() {
    let dir = scratch("pay-none");
    let service = Service::start(&config(&dir, None)).await;
    let (code, secret, _) = submit_example(&service, "tp-20-ly-lich-tu-phap-so-1").await;
    let (status, problem) = open_order(&service, &code, &secret).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{problem}");
    assert_eq!(problem["type"], "urn:hoso:problem:payment-not-configured");
    let (status, _) = notify_get(
        &service,
        &notice(
            &format!("{code}-1"),
            200_000,
            "TXN-N-1",
            PaymentStatus::Paid,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn a_payment_stands_when_its_receipt_cannot_be_rendered_yet() {
    let dir = scratch("pay-no-font");
    let mut config = level4(&dir);
    config.receipts.font = dir.join("missing-font.ttf");
    let service = Service::start(&config).await;
    let (code, secret, _) = submit_example(&service, "tp-20-ly-lich-tu-phap-so-1").await;
    act(&service, &code, "accept", "so-tp", json!({})).await;
    act(&service, &code, "process", "so-tp", json!({})).await;
    let (_, order) = open_order(&service, &code, &secret).await;
    let (status, paid) = notify_get(
        &service,
        &notice(
            order["order"].as_str().unwrap(),
            200_000,
            "TXN-NF-1",
            PaymentStatus::Paid,
        ),
    )
    .await;
    assert_eq!(
        (status, paid["result"].as_str()),
        (StatusCode::OK, Some("credited"))
    );
    let receipt = paid["receipt"].as_str().unwrap();
    let (status, problem) = service
        .get(&format!("/api/v1/receipts/{receipt}"), None)
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{problem}");
    assert_eq!(problem["type"], "urn:hoso:problem:receipt-unavailable");
    // What was issued is known all the same.
    let (status, checked) = service
        .get(&format!("/api/v1/receipts/{receipt}/verify"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(checked["receipt"]["number"], "0000001");
    assert_eq!(checked["receipt"]["pdf_sha256"], Value::Null);
    let (_, found) = service
        .get(&format!("/api/v1/dossiers/{code}?secret={secret}"), None)
        .await;
    assert_eq!(found["status"]["code"], 4);
}
