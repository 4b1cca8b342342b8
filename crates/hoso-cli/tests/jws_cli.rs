//! `hoso sign` and `hoso verify` for JSON forms: a JWS, the same report, the
//! same exit codes (0 accepted, 1 refused, 2 usage).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{AT, hoso};

fn temp(name: &str) -> PathBuf {
    common::temp("jws-cli", name)
}

const FORM: &str = r#"{
  "thuTuc": "cap-giay-phep-khai-thac-nuoc-duoi-dat",
  "nguoiNop": {"hoTen": "Nguyễn Thị Minh Khai", "cccd": "001203004567"},
  "luuLuong": {"giaTri": 2500, "donVi": "m3/ngày"}
}
"#;

/// A fresh copy of the form for each caller: tests run in parallel.
fn form_file() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = temp(&format!("form-{n}.json"));
    std::fs::write(&path, FORM).unwrap();
    path
}

fn sign(signer: &str, chain: &str, extra: &[&str], input: &Path, out: &Path) -> Output {
    let key = format!("certs/test/signers/{signer}.key.pem");
    let cert = format!("certs/test/signers/{signer}.pem");
    let chain = format!("certs/test/{chain}");
    let mut args = vec!["sign", "--key", &key, "--cert", &cert, "--chain", &chain];
    args.extend_from_slice(extra);
    args.extend_from_slice(&[input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    hoso(&args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_signed_json_form_verifies_with_the_same_report() {
    let signed = temp("good.jws.json");
    let out = sign("person-cccd", "chain-ca1.pem", &[], &form_file(), &signed);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let jws = std::fs::read_to_string(&signed).unwrap();
    assert!(jws.starts_with("{\"payload\":\""), "{jws}");
    assert!(jws.contains("\"protected\":\"") && jws.contains("\"signature\":\""));

    let out = hoso(&["verify", "--at", AT, signed.to_str().unwrap()]);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{report}{}", text(&out.stderr));
    assert!(
        report.contains("Căn cước công dân số 001203004567"),
        "{report}"
    );
    assert!(report.contains("phần đầu JWS được bảo vệ"), "{report}");
    assert!(report.contains("CHỮ KÝ HỢP LỆ"), "{report}");
    assert!(report.contains("Kết luận: chấp nhận"), "{report}");

    let out = hoso(&[
        "verify",
        "--json",
        "--lang",
        "en",
        "--at",
        AT,
        signed.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json = text(&out.stdout);
    assert!(
        json.starts_with("{\"valid\":true,\"reason\":null,"),
        "{json}"
    );
    assert!(json.contains("\"path\":\"/\""), "{json}");
    assert!(json.contains("\"covers\":[\"/payload\"]"), "{json}");
    assert!(json.contains("\"covers_document\":true"), "{json}");
    assert!(json.contains("\"chain\":\"trusted\""), "{json}");
    assert!(
        json.contains("\"algorithms\":[\"RSA-PKCS1-SHA256\"]"),
        "{json}"
    );

    // ECDSA and Ed25519 signers, and an explicit algorithm.
    for (signer, chain, extra) in [
        ("person-cmnd", "chain-ca2.pem", &[][..]),
        ("ed25519", "chain-ca1.pem", &[][..]),
        (
            "organisation",
            "chain-ca1.pem",
            &["--alg", "rsa-pss-sha256"][..],
        ),
    ] {
        let signed = temp(&format!("{signer}.jws.json"));
        let out = sign(signer, chain, extra, &form_file(), &signed);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{signer}: {}",
            text(&out.stderr)
        );
        let out = hoso(&["verify", "--at", AT, signed.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{signer}: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn refused_json_forms_exit_1() {
    let signed = temp("tampered.jws.json");
    let out = sign("person-cccd", "chain-ca1.pem", &[], &form_file(), &signed);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // Another trust anchor: the signer is not trusted.
    let out = hoso(&[
        "verify",
        "--at",
        AT,
        "--trust",
        "certs/test/ca/untrusted-root.pem",
        signed.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("Kết luận: KHÔNG chấp nhận"));

    // A changed signature.
    let jws = std::fs::read_to_string(&signed).unwrap();
    let at = jws.find("\"signature\":\"").unwrap() + 20;
    let mut bytes = jws.into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    std::fs::write(&signed, &bytes).unwrap();
    let out = hoso(&[
        "verify",
        "--lang",
        "en",
        "--at",
        AT,
        signed.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    assert!(report.contains("BROKEN"), "{report}");
    assert!(report.contains("Verdict: NOT accepted"), "{report}");

    // An expired signer.
    let expired = temp("expired.jws.json");
    let out = sign("expired", "chain-ca1.pem", &[], &form_file(), &expired);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = hoso(&["verify", "--json", "--at", AT, expired.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let json = text(&out.stdout);
    assert!(json.contains("\"valid\":false"), "{json}");
    assert!(json.contains("\"chain\":\"expired\""), "{json}");

    // Not a JWS at all: refused, with the reason on standard error.
    let broken = temp("broken.json");
    std::fs::write(&broken, "{\"payload\": ").unwrap();
    let out = hoso(&["verify", "--at", AT, broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not a usable JWS"),
        "{}",
        text(&out.stderr)
    );
    let alg_none = temp("none.json");
    std::fs::write(
        &alg_none,
        r#"{"protected":"eyJhbGciOiJub25lIn0","payload":"e30","signature":""}"#,
    )
    .unwrap();
    let out = hoso(&[
        "verify",
        "--lang",
        "en",
        "--at",
        AT,
        alg_none.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("alg \"none\""),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn signing_json_rejects_xml_options_and_bad_json() {
    let out_file = temp("unused.json");
    for extra in [&["--no-xades"][..], &["--c14n", "c14n"][..]] {
        let out = sign(
            "person-cccd",
            "chain-ca1.pem",
            extra,
            &form_file(),
            &out_file,
        );
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(text(&out.stderr).contains("JWS"), "{}", text(&out.stderr));
    }
    let bad = temp("bad.json");
    std::fs::write(&bad, "{\"thuTuc\": oops}").unwrap();
    let out = sign("person-cccd", "chain-ca1.pem", &[], &bad, &out_file);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not valid JSON"),
        "{}",
        text(&out.stderr)
    );
    // XML still takes the XML options.
    let out = sign(
        "person-cccd",
        "chain-ca1.pem",
        &["--no-xades", "--c14n", "c14n"],
        &common::repo().join("examples/form.xml"),
        &temp("form.signed.xml"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}
