//! JWS (RFC 7515) for JSON forms: signed by hoso, verified through the same
//! PKI policy and the same form policy as XML signatures; bad certificates
//! refused as for XML; tampering, unsafe headers and malformed input
//! refused without panics.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::*;
use hoso_dsig::{
    DocumentReport, Integrity, Refusal, SigningTimeSource, VerifyOptions, form_policy, sign_jws,
    verify_form, verify_jws,
};
use hoso_pki::{Certificate, ChainStatus, Crl, PersonalId, SignatureScheme, Timestamp};
use serde_json::{Value, json};

const FORM_JSON: &str = r#"{
  "thuTuc": "cap-giay-phep-khai-thac-nuoc-duoi-dat",
  "nguoiNop": {"loai": "caNhan", "hoTen": "Nguyễn Thị Minh Khai", "cccd": "001203004567"},
  "luuLuong": {"giaTri": 2500, "donVi": "m3/ngày"},
  "ghiChu": "Giếng số 1 & số 2 < 3.000 m³/ngày"
}
"#;

fn signing_time() -> Timestamp {
    Timestamp::parse_rfc3339("2029-06-01T08:00:00+07:00").unwrap()
}

fn jws_as(signer: &str, chain_file: &str, scheme: Option<SignatureScheme>) -> Vec<u8> {
    sign_jws(
        FORM_JSON.as_bytes(),
        &key(signer),
        &chain(signer, chain_file),
        scheme,
        signing_time(),
    )
    .unwrap_or_else(|e| panic!("{signer}: {e}"))
}

fn verify(jws: &[u8]) -> DocumentReport {
    let trust = trust();
    verify_jws(jws, &options(&trust)).unwrap_or_else(|e| panic!("{e}"))
}

/// The refusal of the form policy.
fn refusal(jws: &[u8]) -> Refusal {
    match form_policy(&verify(jws)) {
        Ok(_) => panic!("accepted: {}", String::from_utf8_lossy(jws)),
        Err(refused) => refused.refusal,
    }
}

fn parse(jws: &[u8]) -> serde_json::Map<String, Value> {
    match serde_json::from_slice(jws).unwrap() {
        Value::Object(map) => map,
        other => panic!("{other}"),
    }
}

fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn x5c(signer: &str, chain_file: &str) -> Value {
    Value::Array(
        chain(signer, chain_file)
            .iter()
            .map(|c| Value::String(STANDARD.encode(c.der())))
            .collect(),
    )
}

/// person-cccd's RSA key, for crafting JWS that hoso's signer would not
/// write.
fn rsa_key() -> ring::signature::RsaKeyPair {
    let pem = String::from_utf8(read("signers/person-cccd.key.pem")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    ring::signature::RsaKeyPair::from_pkcs8(&STANDARD.decode(body).unwrap()).unwrap()
}

/// An RS256 JWS signed by `openssl dgst` with `signer`'s key: ring does not
/// sign with keys under 2048 bits, and the RSA-1024 case needs a signature.
fn openssl_rs256(signer: &str, chain_file: &str) -> Vec<u8> {
    use std::io::Write as _;
    let header =
        json!({"alg": "RS256", "x5c": x5c(signer, chain_file), "sigT": "2029-06-01T01:00:00Z"});
    let protected = b64url(&serde_json::to_vec(&header).unwrap());
    let payload = b64url(FORM_JSON.as_bytes());
    let mut child = std::process::Command::new("openssl")
        .args(["dgst", "-sha256", "-binary", "-sign"])
        .arg(pki(&format!("{signer}.key.pem")))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("openssl runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{protected}.{payload}").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    serde_json::to_vec(
        &json!({"protected": protected, "payload": payload, "signature": b64url(&out.stdout)}),
    )
    .unwrap()
}

/// A flattened JWS with this protected header (and unprotected header),
/// RS256-signed by person-cccd's key whatever `alg` says.
fn craft(protected: &Value, unprotected: Option<Value>) -> Vec<u8> {
    let protected = b64url(&serde_json::to_vec(protected).unwrap());
    let payload = b64url(FORM_JSON.as_bytes());
    let input = format!("{protected}.{payload}");
    let key = rsa_key();
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .unwrap();
    let mut jws =
        json!({"protected": protected, "payload": payload, "signature": b64url(&signature)});
    if let Some(header) = unprotected {
        jws["header"] = header;
    }
    serde_json::to_vec(&jws).unwrap()
}

fn good_header() -> Value {
    json!({"alg": "RS256", "x5c": x5c("signers/person-cccd", "chain-ca1.pem"), "sigT": "2029-06-01T01:00:00Z"})
}

#[test]
fn every_algorithm_round_trips_and_is_accepted_by_the_form_policy() {
    for (signer, chain_file, scheme, alg) in [
        ("signers/person-cccd", "chain-ca1.pem", None, "RS256"),
        (
            "signers/person-cccd",
            "chain-ca1.pem",
            Some(SignatureScheme::RsaPkcs1Sha384),
            "RS384",
        ),
        (
            "signers/person-cccd",
            "chain-ca1.pem",
            Some(SignatureScheme::RsaPkcs1Sha512),
            "RS512",
        ),
        (
            "signers/person-cccd",
            "chain-ca1.pem",
            Some(SignatureScheme::RsaPssSha256),
            "PS256",
        ),
        (
            "signers/person-multi",
            "chain-ca1.pem",
            Some(SignatureScheme::RsaPssSha384),
            "PS384",
        ),
        (
            "signers/organisation",
            "chain-ca1.pem",
            Some(SignatureScheme::RsaPssSha512),
            "PS512",
        ),
        ("signers/person-cmnd", "chain-ca2.pem", None, "ES256"),
        ("signers/ed25519", "chain-ca1.pem", None, "EdDSA"),
    ] {
        let jws = jws_as(signer, chain_file, scheme);
        let object = parse(&jws);
        assert_eq!(
            object.keys().collect::<Vec<_>>(),
            ["payload", "protected", "signature"],
            "flattened serialization"
        );
        let header: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(object["protected"].as_str().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header["alg"], alg, "{signer}");
        assert_eq!(header["sigT"], "2029-06-01T01:00:00Z");
        assert_eq!(header["x5c"], x5c(signer, chain_file));
        assert_eq!(header.as_object().unwrap().len(), 3, "{header}");

        let report = verify(&jws);
        let accepted =
            form_policy(&report).unwrap_or_else(|r| panic!("{signer} {alg}: {}", r.refusal));
        let signature = &accepted.signature;
        assert_eq!(signature.index, 1);
        assert_eq!(signature.path, "/");
        assert_eq!(signature.integrity, Integrity::Valid);
        assert_eq!(signature.chain_status, Some(ChainStatus::Trusted));
        assert!(signature.covers_document);
        assert!(signature.references.is_empty());
        assert_eq!(signature.chain.len(), 3, "{signer}: signer, CA, root");
        assert_eq!(signature.signer.as_ref().unwrap().der(), cert(signer).der());
        assert_eq!(
            signature.algorithms.signature,
            Some(scheme.unwrap_or_else(|| key(signer).default_scheme()))
        );
        let time = signature.signing_time.as_ref().unwrap();
        assert_eq!(time.time.to_string(), "2029-06-01T01:00:00Z");
        assert_eq!(time.source, SigningTimeSource::JwsHeader);
        assert_eq!(time.text, "2029-06-01T01:00:00Z");
        // What was signed is the payload, byte for byte.
        assert_eq!(accepted.signed.canonical, FORM_JSON.as_bytes());
        assert_eq!(accepted.signed.element_path, "/payload");
        // ECDSA is raw r || s.
        if alg == "ES256" {
            let sig = URL_SAFE_NO_PAD
                .decode(object["signature"].as_str().unwrap())
                .unwrap();
            assert_eq!(sig.len(), 64);
        }
    }
}

#[test]
fn the_report_names_the_signer_in_both_languages() {
    let report = verify(&jws_as("signers/person-cmnd", "chain-ca2.pem", None));
    let signature = &report.signatures[0];
    assert_eq!(
        signature.identity.as_ref().unwrap().ids,
        vec![PersonalId::Cmnd("012345678".into())]
    );
    let vi = hoso_dsig::report::render(signature, hoso_dsig::report::Lang::Vi);
    assert!(vi.contains("Chứng minh nhân dân số 012345678"), "{vi}");
    assert!(vi.contains("phần đầu JWS được bảo vệ"), "{vi}");
    assert!(vi.contains("CHỮ KÝ HỢP LỆ"), "{vi}");
    let en = hoso_dsig::report::render(signature, hoso_dsig::report::Lang::En);
    assert!(en.contains("ECDSA-P256-SHA256"), "{en}");
    assert!(en.contains("the whole document"), "{en}");
}

#[test]
fn es384_verifies_with_a_p384_key() {
    // No TEST end entity has a P-384 key: CA 2's own key signs, so the
    // signature verifies but the certificate may not sign documents.
    let certs = Certificate::from_pem(&read("chain-ca2.pem")).unwrap();
    let jws = sign_jws(
        FORM_JSON.as_bytes(),
        &key("ca/ca2"),
        &certs,
        None,
        signing_time(),
    )
    .unwrap();
    let report = verify(&jws);
    let signature = &report.signatures[0];
    assert_eq!(signature.integrity, Integrity::Valid);
    assert_eq!(
        signature.algorithms.signature,
        Some(SignatureScheme::EcdsaP384Sha384)
    );
    assert_eq!(signature.chain.len(), 2, "CA 2, root");
}

#[test]
fn the_compact_and_general_serializations_verify_too() {
    let jws = jws_as("signers/person-cccd", "chain-ca1.pem", None);
    let object = parse(&jws);
    let part = |name: &str| object[name].as_str().unwrap().to_string();
    let compact = format!(
        "{}.{}.{}\n",
        part("protected"),
        part("payload"),
        part("signature")
    );
    let accepted = form_policy(&verify(compact.as_bytes())).unwrap();
    assert_eq!(accepted.signed.canonical, FORM_JSON.as_bytes());
    assert_eq!(accepted.signature.path, "/");

    let entry = json!({"protected": part("protected"), "header": {"kid": "person-cccd"}, "signature": part("signature")});
    let general = json!({"payload": part("payload"), "signatures": [entry]});
    let accepted = form_policy(&verify(&serde_json::to_vec(&general).unwrap())).unwrap();
    assert_eq!(accepted.signature.path, "/signatures/0");

    // Two signers: each verified on its own; the form policy wants one.
    let other = parse(&jws_as("signers/person-cmnd", "chain-ca2.pem", None));
    let second = json!({"protected": other["protected"], "signature": other["signature"]});
    let general = json!({"payload": part("payload"), "signatures": [entry, second]});
    let report = verify(&serde_json::to_vec(&general).unwrap());
    assert!(report.all_valid());
    assert_eq!(report.signatures[1].index, 2);
    assert_eq!(report.signatures[1].path, "/signatures/1");
    assert_eq!(
        form_policy(&report).unwrap_err().refusal,
        Refusal::SeveralSignatures(2)
    );
}

/// Signs the XML form and the JSON form with the same signer and time;
/// both must be refused with the same refusal.
fn refused_like_xml(signer: &str, chain_file: &str, crls: &[Crl]) -> Refusal {
    let trust = trust();
    let options = VerifyOptions {
        crls,
        ..options(&trust)
    };
    let xml = sign_as(FORM.as_bytes(), signer, chain_file);
    let xml_refusal = verify_form(&xml, &options)
        .map(|_| ())
        .expect_err("XML accepted")
        .refusal;
    let jws = jws_as(signer, chain_file, None);
    let report = verify_jws(&jws, &options).unwrap();
    let jws_refusal = form_policy(&report)
        .map(|_| ())
        .expect_err("JWS accepted")
        .refusal;
    assert_eq!(jws_refusal, xml_refusal, "{signer}");
    jws_refusal
}

#[test]
fn bad_certificates_are_refused_as_for_xml() {
    let untrusted = |r: Refusal| match r {
        Refusal::Untrusted(status) => status,
        other => panic!("{other}"),
    };
    assert!(matches!(
        untrusted(refused_like_xml("signers/expired", "chain-ca1.pem", &[])),
        ChainStatus::Expired { .. }
    ));
    assert!(matches!(
        untrusted(refused_like_xml(
            "signers/not-yet-valid",
            "chain-ca1.pem",
            &[]
        )),
        ChainStatus::NotYetValid { .. }
    ));
    assert!(matches!(
        untrusted(refused_like_xml(
            "signers/wrong-key-usage",
            "chain-ca1.pem",
            &[]
        )),
        ChainStatus::KeyUsage { .. }
    ));
    let crl = Crl::from_der(&read("crl/ca1.crl")).unwrap();
    assert!(matches!(
        untrusted(refused_like_xml("signers/revoked", "chain-ca1.pem", &[crl])),
        ChainStatus::Revoked { .. }
    ));
    assert!(matches!(
        untrusted(refused_like_xml(
            "signers/untrusted-signer",
            "chain-untrusted.pem",
            &[]
        )),
        ChainStatus::BadSignature { .. } | ChainStatus::NoPathToAnchor
    ));
    assert!(matches!(
        untrusted(refused_like_xml(
            "signers/signed-by-not-a-ca",
            "chain-not-a-ca.pem",
            &[]
        )),
        ChainStatus::NotACa { .. } | ChainStatus::PathLength { .. }
    ));
    // A 1024-bit key: the signature value is refused by hoso-pki's key
    // policy, the call and the message XML verification uses (neither ring
    // nor hoso signs with such a key, so there is no XML twin to compare).
    let jws = openssl_rs256("signers/rsa1024", "chain-ca1.pem");
    assert_eq!(
        refusal(&jws),
        Refusal::BadSignatureValue(
            hoso_pki::PkiError::WeakKey {
                key: "RSA-1024".into(),
                min_bits: 2048
            }
            .to_string()
        )
    );
}

#[test]
fn the_historical_policy_accepts_a_small_key_with_a_warning() {
    let trust = trust();
    let options = VerifyOptions {
        policy: hoso_pki::Policy::historical(),
        ..options(&trust)
    };
    let jws = openssl_rs256("signers/rsa1024", "chain-ca1.pem");
    let report = verify_jws(&jws, &options).unwrap();
    assert!(report.signatures[0].is_valid());
    assert!(!report.signatures[0].warnings.is_empty());
}

#[test]
fn tampering_breaks_integrity() {
    let jws = jws_as("signers/person-cccd", "chain-ca1.pem", None);
    let object = parse(&jws);
    let with = |name: &str, value: String| {
        let mut changed = object.clone();
        changed.insert(name.into(), Value::String(value));
        serde_json::to_vec(&changed).unwrap()
    };
    let bad_signature = |jws: &[u8]| {
        let report = verify(jws);
        match &report.signatures[0].integrity {
            Integrity::Invalid(Refusal::BadSignatureValue(_)) => {}
            other => panic!("{other:?}"),
        }
        assert!(report.signatures[0].signed.is_none());
        assert!(report.signatures[0].chain_status.is_none());
    };

    let payload = FORM_JSON.replace("2500", "25000");
    bad_signature(&with("payload", b64url(payload.as_bytes())));

    let header = URL_SAFE_NO_PAD
        .decode(object["protected"].as_str().unwrap())
        .unwrap();
    let header = String::from_utf8(header)
        .unwrap()
        .replace("2029-06-01", "2029-05-01");
    bad_signature(&with("protected", b64url(header.as_bytes())));

    let mut signature = URL_SAFE_NO_PAD
        .decode(object["signature"].as_str().unwrap())
        .unwrap();
    signature[17] ^= 1;
    bad_signature(&with("signature", b64url(&signature)));

    // The original still verifies.
    form_policy(&verify(&jws)).unwrap();
}

#[test]
fn unsafe_headers_are_refused() {
    // A well-formed, validly signed header is accepted (the baseline).
    form_policy(&verify(&craft(&good_header(), None))).unwrap();

    let mut none = good_header();
    none["alg"] = json!("none");
    assert_eq!(refusal(&craft(&none, None)), Refusal::AlgNone);

    // alg none with an empty signature, as an attacker would send it.
    let protected = b64url(br#"{"alg":"none"}"#);
    let unsigned =
        json!({"protected": protected, "payload": b64url(FORM_JSON.as_bytes()), "signature": ""});
    assert_eq!(
        refusal(&serde_json::to_vec(&unsigned).unwrap()),
        Refusal::AlgNone
    );

    // HS256 keyed with the signer's certificate (the key-confusion attack).
    let mut hs = good_header();
    hs["alg"] = json!("HS256");
    let protected = b64url(&serde_json::to_vec(&hs).unwrap());
    let payload = b64url(FORM_JSON.as_bytes());
    let mac = ring::hmac::sign(
        &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, cert("signers/person-cccd").der()),
        format!("{protected}.{payload}").as_bytes(),
    );
    let hs = json!({"protected": protected, "payload": payload, "signature": b64url(mac.as_ref())});
    assert_eq!(
        refusal(&serde_json::to_vec(&hs).unwrap()),
        Refusal::HmacRefused("HS256".into())
    );

    let mut other = good_header();
    other["alg"] = json!("ES512");
    assert_eq!(
        refusal(&craft(&other, None)),
        Refusal::UnsupportedSignatureMethod("ES512".into())
    );

    // alg only in the unprotected header.
    let mut no_alg = good_header();
    no_alg.as_object_mut().unwrap().remove("alg");
    assert_eq!(
        refusal(&craft(&no_alg, Some(json!({"alg": "RS256"})))),
        Refusal::UnprotectedHeaderParameter("alg".into())
    );
    // x5c, crit or the signing time in the unprotected header.
    let mut no_x5c = good_header();
    let chain = no_x5c.as_object_mut().unwrap().remove("x5c").unwrap();
    assert_eq!(
        refusal(&craft(&no_x5c, Some(json!({ "x5c": chain })))),
        Refusal::UnprotectedHeaderParameter("x5c".into())
    );
    assert_eq!(
        refusal(&craft(
            &good_header(),
            Some(json!({"sigT": "2020-01-01T00:00:00Z"}))
        )),
        Refusal::UnprotectedHeaderParameter("sigT".into())
    );
    // A harmless unprotected parameter is ignored, but not one that is also
    // protected.
    form_policy(&verify(&craft(&good_header(), Some(json!({"kid": "k1"}))))).unwrap();
    let mut kid = good_header();
    kid["kid"] = json!("k1");
    assert!(matches!(
        refusal(&craft(&kid, Some(json!({"kid": "k2"})))),
        Refusal::JwsHeader(_)
    ));

    // Keys not from a certificate.
    let jwk = json!({"alg": "RS256", "jwk": {"kty": "RSA", "n": "AQAB", "e": "AQAB"}});
    assert_eq!(
        refusal(&craft(&jwk, None)),
        Refusal::JwsNoCertificate(Some("jwk".into()))
    );
    for name in ["jku", "x5u"] {
        let remote = json!({"alg": "RS256", name: "https://example.invalid/keys"});
        assert_eq!(
            refusal(&craft(&remote, None)),
            Refusal::JwsNoCertificate(Some(name.into()))
        );
    }
    assert_eq!(
        refusal(&craft(&json!({"alg": "RS256"}), Some(json!({"kid": "k1"})))),
        Refusal::JwsNoCertificate(Some("kid".into()))
    );
    assert_eq!(
        refusal(&craft(&json!({"alg": "RS256"}), None)),
        Refusal::JwsNoCertificate(None)
    );

    // crit: sigT is understood; anything else is refused.
    let mut crit = good_header();
    crit["crit"] = json!(["sigT"]);
    form_policy(&verify(&craft(&crit, None))).unwrap();
    crit["crit"] = json!(["sigT", "exp"]);
    crit["exp"] = json!(1);
    assert_eq!(
        refusal(&craft(&crit, None)),
        Refusal::UnknownCritical("exp".into())
    );
    crit["crit"] = json!([]);
    assert!(matches!(
        refusal(&craft(&crit, None)),
        Refusal::JwsHeader(_)
    ));
    let mut b64 = good_header();
    b64["b64"] = json!(false);
    b64["crit"] = json!(["b64"]);
    assert!(matches!(refusal(&craft(&b64, None)), Refusal::JwsHeader(_)));

    // Thumbprints must name the signer.
    let mut x5t = good_header();
    x5t["x5t#S256"] = json!(b64url(
        ring::digest::digest(&ring::digest::SHA256, cert("signers/person-cccd").der()).as_ref()
    ));
    form_policy(&verify(&craft(&x5t, None))).unwrap();
    x5t["x5t#S256"] = json!(b64url(&[0; 32]));
    assert!(matches!(refusal(&craft(&x5t, None)), Refusal::JwsHeader(_)));

    // A key in x5c that is not the one that signed.
    let mut wrong = good_header();
    wrong["x5c"] = x5c("signers/agency", "chain-ca1.pem");
    assert!(matches!(
        refusal(&craft(&wrong, None)),
        Refusal::BadSignatureValue(_)
    ));
}

#[test]
fn signing_time_from_iat_and_bad_times() {
    let mut iat = good_header();
    iat.as_object_mut().unwrap().remove("sigT");
    iat["iat"] = json!(1_874_970_000);
    let report = verify(&craft(&iat, None));
    let time = report.signatures[0].signing_time.as_ref().unwrap();
    assert_eq!(time.time, Timestamp::from_unix(1_874_970_000));
    assert_eq!(time.source, SigningTimeSource::JwsHeader);
    assert!(report.signatures[0].is_valid());

    // Without a signing time the chain is judged at the verification time.
    let mut none = good_header();
    none.as_object_mut().unwrap().remove("sigT");
    let report = verify(&craft(&none, None));
    assert!(report.signatures[0].signing_time.is_none());
    assert!(report.signatures[0].is_valid());

    for bad in [json!("2029-06-01T08:00:00"), json!("yesterday"), json!(12)] {
        let mut header = good_header();
        header["sigT"] = bad;
        assert!(matches!(
            refusal(&craft(&header, None)),
            Refusal::BadSigningTime(_)
        ));
    }
    for bad in [json!("1874970000"), json!(1e300), json!(-1e300)] {
        let mut header = iat.clone();
        header["iat"] = bad;
        assert!(matches!(
            refusal(&craft(&header, None)),
            Refusal::BadSigningTime(_)
        ));
    }
    // The signing time is checked against the certificate: expired signers
    // signed in 2021 are trusted as of then (with the historical policy).
    let store = trust();
    let historical = VerifyOptions {
        policy: hoso_pki::Policy::historical(),
        ..options(&store)
    };
    let jws = sign_jws(
        FORM_JSON.as_bytes(),
        &key("signers/expired"),
        &chain("signers/expired", "chain-ca1.pem"),
        None,
        Timestamp::parse_rfc3339("2021-06-01T00:00:00Z").unwrap(),
    )
    .unwrap();
    assert!(verify_jws(&jws, &historical).unwrap().signatures[0].is_valid());
}

fn document_refusal(input: &[u8]) -> Refusal {
    let trust = trust();
    match verify_jws(input, &options(&trust)) {
        Err(hoso_dsig::DsigError::Refused { refusal, .. }) => refusal,
        Err(other) => panic!("{other}"),
        Ok(report) => panic!("verified: {report:?}"),
    }
}

fn signature_refusal(input: &[u8]) -> Refusal {
    match &verify(input).signatures[0].integrity {
        Integrity::Invalid(refusal) => refusal.clone(),
        Integrity::Valid => panic!("valid"),
    }
}

#[test]
fn malformed_input_is_refused_without_panicking() {
    let good = parse(&jws_as("signers/person-cccd", "chain-ca1.pem", None));
    let without = |name: &str| {
        let mut object = good.clone();
        object.remove(name);
        serde_json::to_vec(&object).unwrap()
    };
    let with = |name: &str, value: Value| {
        let mut object = good.clone();
        object.insert(name.into(), value);
        serde_json::to_vec(&object).unwrap()
    };
    let bad_jws = |input: &[u8]| match document_refusal(input) {
        Refusal::BadJws(detail) => detail,
        other => panic!("{other}"),
    };

    assert!(bad_jws(b"{not json").contains("not valid JSON"));
    assert!(bad_jws(b"{} trailing").contains("not valid JSON"));
    assert!(bad_jws(b"").contains("neither"));
    assert!(bad_jws(b"[1, 2]").contains("neither"));
    assert!(bad_jws(b"<x/>").contains("neither"));
    assert!(bad_jws(&without("payload")).contains("payload"));
    assert!(bad_jws(&without("signature")).contains("signature"));
    assert!(bad_jws(&with("payload", json!(""))).contains("detached"));
    assert!(bad_jws(&with("payload", json!(42))).contains("payload"));
    assert!(bad_jws(&with("signatures", json!([]))).contains("both"));
    assert!(bad_jws(br#"{"payload":"e30","signatures":[]}"#).contains("empty"));
    assert!(bad_jws(br#"{"payload":"e30","signatures":{}}"#).contains("not an array"));
    let many = json!({"payload": "e30", "signatures": vec![json!({}); 101]});
    assert!(bad_jws(&serde_json::to_vec(&many).unwrap()).contains("more than"));
    assert_eq!(
        document_refusal(&with("payload", json!("not base64!"))),
        Refusal::BadBase64("the JWS payload (base64url)")
    );
    // Padding and standard-alphabet characters are not base64url.
    let padded = format!("{}=", good["payload"].as_str().unwrap());
    assert!(matches!(
        document_refusal(&with("payload", json!(padded))),
        Refusal::BadBase64(_)
    ));

    // Duplicate members, which JSON readers resolve differently.
    let text = String::from_utf8(serde_json::to_vec(&good).unwrap()).unwrap();
    let duplicated = text.replacen(
        "{\"payload\"",
        &format!("{{\"payload\":\"{}\",\"payload\"", b64url(b"{\"other\":1}")),
        1,
    );
    assert!(bad_jws(duplicated.as_bytes()).contains("twice"));

    // Deep nesting hits serde_json's recursion limit, not the stack.
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(bad_jws(deep.as_bytes()).contains("recursion limit"));
    let deep = format!("{}{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    assert!(bad_jws(deep.as_bytes()).contains("not valid JSON"));

    // Too large for the limits.
    let store = trust();
    let mut small = options(&store);
    small.limits.max_document_bytes = 100;
    let big = serde_json::to_vec(&good).unwrap();
    assert!(matches!(
        verify_jws(&big, &small),
        Err(hoso_dsig::DsigError::Refused {
            refusal: Refusal::BadJws(_),
            ..
        })
    ));

    // Problems of one signature are that signature's.
    assert!(matches!(
        signature_refusal(&with("protected", json!("%%%"))),
        Refusal::BadBase64(_)
    ));
    assert!(matches!(
        signature_refusal(&with("protected", json!(b64url(b"[1]")))),
        Refusal::JwsHeader(_)
    ));
    assert!(matches!(
        signature_refusal(&with("protected", json!(b64url(b"{\"alg\":")))),
        Refusal::JwsHeader(_)
    ));
    assert!(matches!(
        signature_refusal(&with("protected", json!(7))),
        Refusal::Malformed(_)
    ));
    assert!(matches!(
        signature_refusal(&with("signature", json!("***"))),
        Refusal::BadBase64(_)
    ));
    assert!(matches!(
        signature_refusal(&with("header", json!("kid"))),
        Refusal::Malformed(_)
    ));
    assert!(matches!(
        signature_refusal(&without("protected")),
        Refusal::JwsHeader(_)
    ));
    let general = json!({"payload": good["payload"], "signatures": [42]});
    assert!(matches!(
        signature_refusal(&serde_json::to_vec(&general).unwrap()),
        Refusal::Malformed(_)
    ));
    let header = |h: Value| {
        let mut h2 = good_header();
        for (k, v) in h.as_object().unwrap() {
            h2[k] = v.clone();
        }
        craft(&h2, None)
    };
    let header_refusal = |h: Value| match signature_refusal(&header(h)) {
        Refusal::JwsHeader(detail) => detail,
        other => panic!("{other}"),
    };
    assert!(header_refusal(json!({"alg": 1})).contains("alg"));
    assert!(header_refusal(json!({"x5c": "MII"})).contains("x5c"));
    assert!(header_refusal(json!({"x5c": []})).contains("empty"));
    assert!(header_refusal(json!({"x5c": [1]})).contains("x5c[0]"));
    assert!(header_refusal(json!({"x5c": ["AAAA"]})).contains("x5c[0]"));
    assert!(header_refusal(json!({"x5c": vec!["AAAA"; 17]})).contains("more than"));
    assert_eq!(
        signature_refusal(&header(json!({"x5c": ["-_-_"]}))),
        Refusal::BadBase64("an x5c certificate (standard base64)")
    );
    // A protected header with a duplicate parameter.
    let protected = format!(
        "{{\"alg\":\"RS256\",\"alg\":\"none\",\"x5c\":{}}}",
        x5c("signers/person-cccd", "chain-ca1.pem")
    );
    let dup = json!({"protected": b64url(protected.as_bytes()), "payload": good["payload"], "signature": good["signature"]});
    assert!(header_text(&serde_json::to_vec(&dup).unwrap()).contains("twice"));

    // Every single-byte change of a valid JWS is refused or reported, and
    // none panics.
    let bytes = jws_as("signers/person-cmnd", "chain-ca2.pem", None);
    for i in (0..bytes.len()).step_by(7) {
        for replacement in [b'"', b'A', b'{', 0xff] {
            let mut changed = bytes.clone();
            changed[i] = replacement;
            if changed == bytes {
                continue;
            }
            if let Ok(report) = verify_jws(&changed, &options(&store)) {
                assert!(form_policy(&report).is_err(), "byte {i}");
            }
        }
    }
}

fn header_text(input: &[u8]) -> String {
    match signature_refusal(input) {
        Refusal::JwsHeader(detail) => detail,
        other => panic!("{other}"),
    }
}

#[test]
fn signing_refuses_what_it_cannot_do() {
    let certs = chain("signers/person-cccd", "chain-ca1.pem");
    let k = key("signers/person-cccd");
    let at = signing_time();
    assert!(matches!(
        sign_jws(FORM_JSON.as_bytes(), &k, &[], None, at),
        Err(hoso_dsig::SignError::NoCertificate)
    ));
    assert!(matches!(
        sign_jws(b"", &k, &certs, None, at),
        Err(hoso_dsig::SignError::EmptyDocument)
    ));
    assert!(matches!(
        sign_jws(
            FORM_JSON.as_bytes(),
            &k,
            &certs,
            Some(SignatureScheme::RsaPkcs1Sha1),
            at
        ),
        Err(hoso_dsig::SignError::Key(_))
    ));
    assert!(matches!(
        sign_jws(
            FORM_JSON.as_bytes(),
            &k,
            &certs,
            Some(SignatureScheme::EcdsaP256Sha256),
            at
        ),
        Err(hoso_dsig::SignError::SchemeMismatch { .. })
    ));
    // A certificate that does not hold the key.
    assert!(matches!(
        sign_jws(
            FORM_JSON.as_bytes(),
            &k,
            &chain("signers/agency", "chain-ca1.pem"),
            None,
            at
        ),
        Err(hoso_dsig::SignError::Key(_))
    ));
}

/// `openssl` as the oracle: it verifies the signatures hoso writes over the
/// JWS signing input, with the signer's certificate key, and hoso verifies
/// one that openssl wrote.
#[test]
fn openssl_agrees_with_the_signatures() {
    form_policy(&verify(&openssl_rs256(
        "signers/person-cccd",
        "chain-ca1.pem",
    )))
    .unwrap();

    let dir = std::env::temp_dir().join(format!("hoso-jws-openssl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (signer, chain_file, scheme, args) in [
        (
            "signers/person-cccd",
            "chain-ca1.pem",
            SignatureScheme::RsaPkcs1Sha256,
            &["dgst", "-sha256"][..],
        ),
        (
            "signers/person-cccd",
            "chain-ca1.pem",
            SignatureScheme::RsaPssSha256,
            &[
                "dgst",
                "-sha256",
                "-sigopt",
                "rsa_padding_mode:pss",
                "-sigopt",
                "rsa_pss_saltlen:32",
            ][..],
        ),
        (
            "signers/person-cmnd",
            "chain-ca2.pem",
            SignatureScheme::EcdsaP256Sha256,
            &["dgst", "-sha256"][..],
        ),
        (
            "signers/ed25519",
            "chain-ca1.pem",
            SignatureScheme::Ed25519,
            &["pkeyutl", "-rawin"][..],
        ),
    ] {
        let object = parse(&jws_as(signer, chain_file, Some(scheme)));
        let input = format!(
            "{}.{}",
            object["protected"].as_str().unwrap(),
            object["payload"].as_str().unwrap()
        );
        let mut signature = URL_SAFE_NO_PAD
            .decode(object["signature"].as_str().unwrap())
            .unwrap();
        if scheme == SignatureScheme::EcdsaP256Sha256 {
            signature = ecdsa_der(&signature);
        }
        let name = signer.replace('/', "-");
        let public = dir.join(format!("{name}.pub.pem"));
        let out = std::process::Command::new("openssl")
            .args(["x509", "-pubkey", "-noout", "-in"])
            .arg(pki(&format!("{signer}.pem")))
            .output()
            .unwrap();
        std::fs::write(&public, out.stdout).unwrap();
        let input_file = dir.join(format!("{name}.input"));
        std::fs::write(&input_file, &input).unwrap();
        let signature_file = dir.join(format!("{name}.sig"));
        std::fs::write(&signature_file, &signature).unwrap();
        let mut command = std::process::Command::new("openssl");
        command.args(args);
        if args[0] == "dgst" {
            command
                .arg("-verify")
                .arg(&public)
                .arg("-signature")
                .arg(&signature_file)
                .arg(&input_file);
        } else {
            command
                .arg("-verify")
                .arg("-pubin")
                .arg("-inkey")
                .arg(&public)
                .arg("-sigfile")
                .arg(&signature_file)
                .arg("-in")
                .arg(&input_file);
        }
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "{signer} {scheme}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Raw `r || s` to a DER ECDSA-Sig-Value (short lengths: P-256 and P-384).
fn ecdsa_der(raw: &[u8]) -> Vec<u8> {
    let integer = |bytes: &[u8]| {
        let mut v: Vec<u8> = bytes.iter().copied().skip_while(|&b| b == 0).collect();
        if v.first().is_none_or(|&b| b & 0x80 != 0) {
            v.insert(0, 0);
        }
        let mut out = vec![0x02, v.len() as u8];
        out.extend(v);
        out
    };
    let (r, s) = raw.split_at(raw.len() / 2);
    let body = [integer(r), integer(s)].concat();
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}
