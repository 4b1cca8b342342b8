//! `hoso verify receipt.pdf`: PAdES-signed receipts, with the trust,
//! policy, output and exit codes of XML verification.

mod common;

use std::path::{Path, PathBuf};

use common::{AT, hoso, repo};
use hoso_dsig::SigningKey;
use hoso_pki::{Certificate, Timestamp};
use hoso_receipt::{FeeItem, FeeReceipt, Font, PdfSignOptions, fee_receipt_pdf, sign_pdf};

fn temp(name: &str) -> PathBuf {
    common::temp("receipt", name)
}

fn unsigned() -> Vec<u8> {
    let font = Font::load(Path::new(Font::DEFAULT_PATH)).unwrap_or_else(|e| {
        panic!("{e}: install fonts-dejavu-core (apt-get install -y fonts-dejavu-core)")
    });
    let receipt = FeeReceipt {
        agency: "Sở Tài nguyên và Môi trường tỉnh Tuyên Quang".into(),
        template: "01BLP0-001".into(),
        series: "TQ-26E".into(),
        number: "0000043".into(),
        payer: "Hoàng Thị Hằng".into(),
        dossier_code: "000.00.21.H59-261127-0043".into(),
        items: vec![FeeItem {
            name: "Lệ phí cấp giấy phép khai thác nước dưới đất".into(),
            amount_vnd: 150_000,
        }],
        payment_reference: "VNPAY-20261127-0043".into(),
        paid_at: "15 giờ 10 phút, ngày 27/11/2026".into(),
        verify_url: "https://dichvucong.tuyenquang.example.gov.vn/bien-lai?so=TQ-26E-0000043"
            .into(),
    };
    fee_receipt_pdf(&receipt, &font).unwrap()
}

fn signed_by(signer: &str, chain: &str) -> Vec<u8> {
    let read = |p: &str| std::fs::read(repo().join("certs/test").join(p)).unwrap();
    let key = SigningKey::from_pem(&read(&format!("signers/{signer}.key.pem"))).unwrap();
    let mut certificates = Certificate::from_pem(&read(&format!("signers/{signer}.pem"))).unwrap();
    certificates.extend(Certificate::from_pem(&read(chain)).unwrap());
    let options = PdfSignOptions::new(
        certificates,
        Timestamp::parse_rfc3339("2026-11-27T08:00:00Z").unwrap(),
    );
    sign_pdf(&unsigned(), &key, &options).unwrap()
}

fn file(name: &str, bytes: &[u8]) -> String {
    let path = temp(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn a_signed_receipt_verifies_in_both_languages_and_as_json() {
    let pdf = file("signed.pdf", &signed_by("agency", "chain-ca1.pem"));

    let out = hoso(&["verify", "--at", AT, &pdf]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    for needle in [
        "Chữ ký 1 (Signature1)",
        "Người ký: UID=MST:5000123459,CN=TEST Sở Tài nguyên và Môi trường Tuyên Quang,",
        "Định danh: Mã số thuế 5000123459",
        "Thời điểm ký: 2026-11-27T08:00:00Z (do người ký khai trong /M của chữ ký PDF)",
        "Phạm vi ký: toàn bộ tài liệu",
        "Thuật toán: RSA-PKCS1-SHA256, SHA-256",
        "=> CHỮ KÝ HỢP LỆ",
        "Kết luận: chấp nhận",
    ] {
        assert!(report.contains(needle), "missing {needle:?} in\n{report}");
    }

    let out = hoso(&["verify", "--lang", "en", "--at", AT, &pdf]);
    let report = stdout(&out);
    assert!(
        report.contains("Issuer: CN=TEST Hoso Public CA 1"),
        "{report}"
    );
    assert!(report.contains("Covers: the whole document"), "{report}");
    assert!(report.contains("Verdict: accepted"), "{report}");

    let out = hoso(&["verify", "--json", "--at", AT, &pdf]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(json["reason"], serde_json::Value::Null);
    let sig = &json["signatures"][0];
    assert_eq!(sig["path"], "Signature1");
    assert_eq!(sig["covers_document"], true);
    assert_eq!(sig["integrity"], "valid");
    assert_eq!(sig["chain"], "trusted");
    assert_eq!(sig["signer"]["ids"][0]["kind"], "MST");
    assert_eq!(sig["signer"]["ids"][0]["value"], "5000123459");
    assert_eq!(sig["signing_time"], "2026-11-27T08:00:00Z");
    assert_eq!(sig["signing_time_source"], "pdf-m");
    assert_eq!(sig["signing_time_claimed"], true);
    assert_eq!(sig["valid"], true);
    // The keys, in the order of the XML report.
    let text = stdout(&out);
    assert!(text.starts_with("{\"valid\":true,\"reason\":null,\"signatures\":[{\"index\":1,\"path\":\"Signature1\",\"covers\":[\"bytes 0-"), "{text}");
}

#[test]
fn a_changed_receipt_fails_with_exit_1_and_says_why() {
    let mut bytes = signed_by("agency", "chain-ca1.pem");
    let at = bytes
        .windows(14)
        .position(|w| w == b"(hoso-receipt)")
        .unwrap()
        + 1;
    bytes[at] = b'H';
    let pdf = file("tampered.pdf", &bytes);
    let out = hoso(&["verify", "--at", AT, &pdf]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(
        report.contains("Kết luận: KHÔNG chấp nhận — giá trị băm của phần đã ký không khớp"),
        "{report}"
    );
    let out = hoso(&["verify", "--json", "--lang", "en", "--at", AT, &pdf]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["signatures"][0]["integrity"], "invalid");
    assert!(
        json["reason"]
            .as_str()
            .unwrap()
            .contains("the document was changed after signing"),
        "{json}"
    );
}

#[test]
fn an_update_after_the_signature_is_refused_unless_all_signatures_are_asked_for() {
    let mut bytes = signed_by("agency", "chain-ca1.pem");
    bytes.extend_from_slice(b"% appended after signing\n");
    let pdf = file("appended.pdf", &bytes);
    let out = hoso(&["verify", "--lang", "en", "--at", AT, &pdf]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(
        report.contains(
            "Verdict: NOT accepted — the last signature does not cover the whole document: 25 bytes"
        ),
        "{report}"
    );
    // --all reports each signature on its own: this one is valid over the
    // revision it signed, and the report says what it covers.
    let out = hoso(&[
        "verify",
        "--all",
        "--profile",
        "demo",
        "--lang",
        "en",
        "--at",
        AT,
        &pdf,
    ]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.contains("Covers: an earlier revision"), "{report}");
}

#[test]
fn untrusted_unsigned_and_broken_pdfs_are_refused() {
    let pdf = file(
        "untrusted.pdf",
        &signed_by("untrusted-signer", "chain-untrusted.pem"),
    );
    let out = hoso(&["verify", "--json", "--at", AT, &pdf]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["signatures"][0]["integrity"], "valid");
    assert_eq!(json["signatures"][0]["chain"], "untrusted");

    let pdf = file("unsigned.pdf", &unsigned());
    let out = hoso(&["verify", "--at", AT, &pdf]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("Kết luận: KHÔNG chấp nhận — tệp PDF không có chữ ký số"),
        "{}",
        stdout(&out)
    );

    let pdf = file("broken.pdf", b"%PDF-1.7\nnot really a PDF\n");
    let out = hoso(&["verify", "--lang", "en", "--at", AT, &pdf]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("malformed PDF"), "{stderr}");
}
