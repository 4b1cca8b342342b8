//! `hoso verify --all`: documents received from elsewhere, each signature
//! reported on its own; the trust profiles (`--profile`) and the `legacy`
//! policy.  The two-signature document is signed at test time by `xmlsec1`
//! the way Vietnamese software signs: RSA-SHA1, inclusive c14n, each
//! signature over one element named by Id.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::{AT, hoso, repo};
use serde_json::Value;

fn temp(name: &str) -> PathBuf {
    common::temp("received", name)
}

const SIGNATURE_TEMPLATE: &str = r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="SIG"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/><ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/><ds:Reference URI="#REF"><ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>"##;

/// A document with two SHA-1 signatures: the seller's (a person, CCCD) over
/// `#seller` and the tax office's (an organisation, MST with branch) over
/// `#tax`, both under the TEST CA 1.
fn two_signature_document() -> PathBuf {
    let sig = |id: &str, reference: &str| {
        SIGNATURE_TEMPLATE
            .replace("SIG", id)
            .replace("REF", reference)
    };
    let template = temp("two.template.xml");
    std::fs::write(
        &template,
        format!(
            "<HSo><NBan Id=\"seller\">Công ty A</NBan><CQT Id=\"tax\">Cục Thuế</CQT>{}{}</HSo>",
            sig("s1", "seller"),
            sig("s2", "tax")
        ),
    )
    .unwrap();
    let certs = repo().join("certs/test");
    let mut input = template;
    for (node, signer) in [("s1", "person-cccd"), ("s2", "organisation")] {
        let output = temp(&format!("two.{node}.xml"));
        let key = [
            format!("signers/{signer}.key.pem"),
            format!("signers/{signer}.pem"),
            "ca/ca1.pem".into(),
        ]
        .map(|p| certs.join(p).to_str().unwrap().to_string())
        .join(",");
        let out = Command::new("xmlsec1")
            .args([
                "--sign",
                "--id-attr:Id",
                "NBan",
                "--id-attr:Id",
                "CQT",
                "--id-attr:Id",
                "http://www.w3.org/2000/09/xmldsig#:Signature",
                "--node-id",
                node,
                "--privkey-pem",
                &key,
                "--output",
                output.to_str().unwrap(),
                input.to_str().unwrap(),
            ])
            .output()
            .expect("xmlsec1 (the XML-DSig oracle) is installed by the test command");
        assert!(
            out.status.success(),
            "xmlsec1: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        input = output;
    }
    input
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn every_signature_is_reported_with_every_field() {
    let doc = two_signature_document();
    let out = hoso(&[
        "verify",
        "--all",
        "--json",
        "--profile",
        "demo",
        "--policy",
        "legacy",
        "--at",
        AT,
        doc.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", json(&out));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["reason"], Value::Null);
    let sigs = v["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2);
    let expected = [
        (
            "/HSo/NBan",
            serde_json::json!([{"kind": "CCCD", "value": "001203004567"}]),
        ),
        (
            "/HSo/CQT",
            serde_json::json!([{"kind": "MST", "value": "0301519977", "branch": "029"}]),
        ),
    ];
    for (i, (s, (covers, ids))) in sigs.iter().zip(expected).enumerate() {
        assert_eq!(s["index"], i + 1, "{s}");
        // Sibling signatures are told apart by position.
        let path = if i == 0 {
            "/HSo/ds:Signature"
        } else {
            "/HSo/ds:Signature[2]"
        };
        assert_eq!(s["path"], path, "{s}");
        assert_eq!(s["covers"], serde_json::json!([covers]), "{s}");
        assert_eq!(s["covers_document"], false, "{s}");
        assert_eq!(s["integrity"], "valid", "{s}");
        assert_eq!(s["reason"], Value::Null, "{s}");
        assert_eq!(s["chain"], "trusted", "{s}");
        assert_eq!(s["signer"]["ids"], ids, "{s}");
        assert!(
            s["signer"]["subject"].as_str().unwrap().contains("(TEST)"),
            "{s}"
        );
        assert!(
            s["signer"]["issuer"]
                .as_str()
                .unwrap()
                .starts_with("CN=TEST Hoso Public CA 1,"),
            "{s}"
        );
        // No SigningTime object in these signatures.
        assert_eq!(s["signing_time"], Value::Null, "{s}");
        assert_eq!(s["signing_time_claimed"], Value::Null, "{s}");
        assert_eq!(
            s["algorithms"],
            serde_json::json!(["RSA-PKCS1-SHA1", "SHA-1", "c14n"]),
            "{s}"
        );
        // Each weak algorithm is named in a warning, in both languages.
        let warnings = s["warnings"].as_array().unwrap();
        for alg in ["RSA-PKCS1-SHA1", "SHA-1"] {
            assert!(
                warnings.iter().any(|w| w["en"]
                    == format!("weak algorithm {alg} accepted under the legacy policy")
                    && w["vi"]
                        == format!("chấp nhận thuật toán yếu {alg} theo chính sách tài liệu cũ")),
                "{alg}: {s}"
            );
        }
        assert!(
            warnings
                .iter()
                .all(|w| w["en"].is_string() && w["vi"].is_string()),
            "{s}"
        );
        assert_eq!(s["valid"], true, "{s}");
        assert!(
            s["report"].as_str().unwrap().contains("CHỮ KÝ HỢP LỆ"),
            "{s}"
        );
    }
    assert_eq!(
        sigs[1]["signer"]["organization_identifier"],
        "VATVN-0301519977"
    );
}

#[test]
fn sha1_signatures_are_weak_under_the_strict_policy_and_allow_weak_means_legacy() {
    let doc = two_signature_document();
    let doc = doc.to_str().unwrap();
    let strict = hoso(&[
        "verify",
        "--all",
        "--json",
        "--profile",
        "demo",
        "--at",
        AT,
        doc,
    ]);
    assert_eq!(strict.status.code(), Some(1));
    let v = json(&strict);
    assert_eq!(v["valid"], false);
    assert_eq!(v["reason"], "2/2 chữ ký không hợp lệ");
    for s in v["signatures"].as_array().unwrap() {
        assert_eq!(s["integrity"], "invalid", "{s}");
        assert_eq!(s["chain"], "weak", "{s}");
    }
    let text = hoso(&[
        "verify",
        "--all",
        "--profile",
        "demo",
        "--lang",
        "en",
        "--at",
        AT,
        doc,
    ]);
    assert_eq!(text.status.code(), Some(1));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.ends_with("Verdict: NOT accepted — 2 of 2 signatures not valid\n"),
        "{text}"
    );

    let legacy = hoso(&[
        "verify",
        "--all",
        "--profile",
        "demo",
        "--allow-weak",
        "--lang",
        "en",
        "--at",
        AT,
        doc,
    ]);
    assert_eq!(legacy.status.code(), Some(0));
    let text = String::from_utf8(legacy.stdout).unwrap();
    assert_eq!(
        text.matches("Warning: weak algorithm SHA-1 accepted under the legacy policy")
            .count(),
        2,
        "{text}"
    );
    assert!(text.ends_with("Verdict: accepted\n"), "{text}");
}

#[test]
fn a_test_signature_is_trusted_only_under_the_demo_profile() {
    let form = "examples/form.signed.xml";
    // The form policy keeps the demo store.
    let out = hoso(&["verify", "--json", "--at", AT, form]);
    assert_eq!(out.status.code(), Some(0), "{}", json(&out));
    assert_eq!(json(&out)["signatures"][0]["chain"], "trusted");

    for profile in ["national", "government", "received"] {
        let out = hoso(&[
            "verify",
            "--all",
            "--json",
            "--profile",
            profile,
            "--at",
            AT,
            form,
        ]);
        assert_eq!(out.status.code(), Some(1), "{profile}");
        let v = json(&out);
        assert_eq!(v["valid"], false, "{profile}");
        let s = &v["signatures"][0];
        assert_eq!(s["integrity"], "valid", "{profile}: {s}");
        assert_eq!(s["chain"], "untrusted", "{profile}: {s}");
    }
    // `--all` without a profile is the received-documents store: the TEST
    // root is not in it.
    let out = hoso(&["verify", "--all", "--json", "--at", AT, form]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["signatures"][0]["chain"], "untrusted");
    // The demo profile, named, trusts it under --all too.
    let out = hoso(&[
        "verify",
        "--all",
        "--json",
        "--profile",
        "demo",
        "--at",
        AT,
        form,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", json(&out));
    let v = json(&out);
    assert_eq!(v["signatures"][0]["chain"], "trusted");
    assert_eq!(v["signatures"][0]["signing_time_claimed"], true);
    assert_eq!(v["signatures"][0]["signing_time_source"], "xades");
}

#[test]
fn an_unknown_profile_or_policy_is_a_usage_error() {
    for args in [["--profile", "everything"], ["--policy", "lenient"]] {
        let out = hoso(&["verify", args[0], args[1], "examples/form.signed.xml"]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("possible values"), "{err}");
    }
}

/// Received documents are judged at the signing time they claim; `--at`
/// overrides it; the form policy also wants the certificate valid now.
#[test]
fn an_expired_signer_is_judged_at_the_claimed_signing_time() {
    let cert = |path: &str| {
        hoso_pki::Certificate::from_pem(&std::fs::read(common::repo().join(path)).unwrap()).unwrap()
    };
    let key = hoso_dsig::SigningKey::from_pem(
        &std::fs::read(common::repo().join("certs/test/signers/expired.key.pem")).unwrap(),
    )
    .unwrap();
    let mut chain = cert("certs/test/signers/expired.pem");
    chain.extend(cert("certs/test/ca/ca1.pem"));
    let signed_in_2021 = hoso_pki::Timestamp::parse_rfc3339("2021-06-01T09:00:00+07:00").unwrap();
    let form = std::fs::read(common::repo().join("examples/form.xml")).unwrap();
    let signed = hoso_dsig::sign_enveloped(
        &form,
        &key,
        &hoso_dsig::SignOptions::new(chain, signed_in_2021),
    )
    .unwrap();
    let path = common::temp("received-cli", "signed-2021.xml");
    std::fs::write(&path, signed).unwrap();
    let file = path.to_str().unwrap();

    let out = hoso(&["verify", "--all", "--profile", "demo", "--json", file]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["signatures"][0]["chain"], "trusted");

    let out = hoso(&[
        "verify",
        "--all",
        "--profile",
        "demo",
        "--json",
        "--at",
        "2026-11-27T00:00:00Z",
        file,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["signatures"][0]["chain"], "expired");

    let out = hoso(&["verify", "--json", file]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["signatures"][0]["chain"], "expired");
}
