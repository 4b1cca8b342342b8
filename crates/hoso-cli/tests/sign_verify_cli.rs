//! `hoso sign` and `hoso verify`: exit codes, reports in both languages, JSON.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{AT, hoso};

fn temp(name: &str) -> PathBuf {
    common::temp("sign-verify", name)
}

fn sign(signer: &str, chain: &str, out: &Path) -> Output {
    hoso(&[
        "sign",
        "--key",
        &format!("certs/test/signers/{signer}.key.pem"),
        "--cert",
        &format!("certs/test/signers/{signer}.pem"),
        "--chain",
        &format!("certs/test/{chain}"),
        "examples/form.xml",
        "-o",
        out.to_str().unwrap(),
    ])
}

#[test]
fn a_signed_form_verifies_and_the_report_says_who_signed() {
    let signed = temp("good.xml");
    let out = sign("person-cccd", "chain-ca1.pem", &signed);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = hoso(&["verify", "--at", AT, signed.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("Căn cước công dân số 001203004567"),
        "{report}"
    );
    assert!(report.contains("CHỮ KÝ HỢP LỆ"), "{report}");
    assert!(report.contains("Kết luận: chấp nhận"), "{report}");

    let out = hoso(&[
        "verify",
        "--lang",
        "en",
        "--at",
        AT,
        signed.to_str().unwrap(),
    ]);
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("Issuer: CN=TEST Hoso Public CA 1"),
        "{report}"
    );
    assert!(report.contains("Verdict: accepted"), "{report}");

    let out = hoso(&["verify", "--json", "--at", AT, signed.to_str().unwrap()]);
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(json.starts_with("{\"valid\":true,"), "{json}");
    assert!(json.contains("\"integrity\":\"valid\""), "{json}");
    assert!(json.contains("\"chain\":\"trusted\""), "{json}");
}

#[test]
fn a_changed_form_fails_with_exit_1_and_says_why() {
    let signed = temp("tampered.xml");
    assert_eq!(
        sign("person-cccd", "chain-ca1.pem", &signed).status.code(),
        Some(0)
    );
    let text = std::fs::read_to_string(&signed).unwrap();
    let tampered = text.replace("001203004567</CCCD>", "001203004568</CCCD>");
    assert_ne!(text, tampered, "the example form holds the CCCD");
    std::fs::write(&signed, tampered).unwrap();
    let out = hoso(&[
        "verify",
        "--lang",
        "en",
        "--at",
        AT,
        signed.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("the digest of reference \"\" does not match"),
        "{report}"
    );
    assert!(report.contains("Verdict: NOT accepted"), "{report}");
}

#[test]
fn an_untrusted_or_expired_signer_is_refused() {
    let signed = temp("expired.xml");
    assert_eq!(
        sign("expired", "chain-ca1.pem", &signed).status.code(),
        Some(0)
    );
    let out = hoso(&[
        "verify",
        "--lang",
        "en",
        "--at",
        AT,
        signed.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("expired"));

    let signed = temp("impostor.xml");
    assert_eq!(
        sign("untrusted-signer", "chain-untrusted.pem", &signed)
            .status
            .code(),
        Some(0)
    );
    let out = hoso(&["verify", "--json", "--at", AT, signed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(json.contains("\"chain\":\"untrusted\""), "{json}");
}

#[test]
fn usage_and_io_errors_exit_2() {
    let out = hoso(&["verify", "--at", "yesterday", "examples/form.xml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = hoso(&["verify", "/nonexistent.xml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = hoso(&[
        "sign",
        "--key",
        "/nonexistent.pem",
        "--cert",
        "x",
        "examples/form.xml",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(2));
    // An unsigned document is refused (1), not a usage error.
    let out = hoso(&["verify", "--at", AT, "examples/form.xml"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn repeat_prints_the_time_per_verification() {
    let signed = temp("repeat.xml");
    assert_eq!(
        sign("person-cmnd", "chain-ca2.pem", &signed).status.code(),
        Some(0)
    );
    let out = hoso(&[
        "verify",
        "--repeat",
        "20",
        "--at",
        AT,
        signed.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("20 verifications, ") && stderr.contains("per verification"),
        "{stderr}"
    );
}
