//! Documents signed by hoso verify in hoso under the form policy, for every
//! kind of signer key, and the verification returns what was signed.

mod common;

use common::*;
use hoso_dsig::{Integrity, verify_form};
use hoso_pki::{ChainStatus, PersonalId};
use hoso_xml::{Canonicalizer, Limits, Method, Selection};

#[test]
fn every_good_signer_is_accepted() {
    let trust = trust();
    for (signer, chain_file) in [
        ("signers/person-cccd", "chain-ca1.pem"),
        ("signers/person-cmnd", "chain-ca2.pem"),
        ("signers/person-multi", "chain-ca1.pem"),
        ("signers/organisation", "chain-ca1.pem"),
        ("signers/agency", "chain-ca1.pem"),
    ] {
        let signed = sign_as(FORM.as_bytes(), signer, chain_file);
        let accepted = verify_form(&signed, &options(&trust))
            .unwrap_or_else(|r| panic!("{signer}: {}", r.refusal));
        assert_eq!(accepted.signature.integrity, Integrity::Valid, "{signer}");
        assert_eq!(
            accepted.signature.chain_status,
            Some(ChainStatus::Trusted),
            "{signer}"
        );
        assert!(accepted.signature.covers_document);
        assert_eq!(
            accepted.signature.chain.len(),
            3,
            "{signer}: signer, CA, root"
        );
        let time = accepted
            .signature
            .signing_time
            .as_ref()
            .expect("XAdES signing time");
        assert_eq!(time.time.to_string(), "2029-06-01T01:00:00Z");
        // What was signed is the canonical form of the form as submitted.
        let expected = Canonicalizer::new(Method::from_name("exc-c14n").unwrap())
            .to_vec(FORM.as_bytes(), Selection::document(), &Limits::default())
            .unwrap();
        assert_eq!(accepted.signed.canonical, expected, "{signer}");
    }
}

#[test]
fn the_identity_comes_from_the_certificate() {
    let trust = trust();
    let signed = sign_as(FORM.as_bytes(), "signers/person-multi", "chain-ca1.pem");
    let accepted = verify_form(&signed, &options(&trust)).unwrap();
    let identity = accepted.signature.identity.unwrap();
    assert_eq!(
        identity.ids,
        vec![
            PersonalId::Cccd("079088001234".into()),
            PersonalId::Passport("C1234567".into())
        ]
    );
    let signed = sign_as(FORM.as_bytes(), "signers/organisation", "chain-ca1.pem");
    let identity = verify_form(&signed, &options(&trust))
        .unwrap()
        .signature
        .identity
        .unwrap();
    assert_eq!(
        identity.ids,
        vec![PersonalId::TaxCode {
            code: "0301519977".into(),
            branch: Some("029".into())
        }]
    );
    assert_eq!(
        identity.organization_identifier.as_deref(),
        Some("VATVN-0301519977")
    );
}

#[test]
fn keys_in_every_pem_form_sign_the_same_way() {
    let trust = trust();
    for key_file in [
        "signers/person-cccd.key.pem",
        "signers/person-cccd.key.pkcs1.pem",
    ] {
        let key = hoso_dsig::SigningKey::from_pem(&read(key_file)).unwrap();
        let options =
            hoso_dsig::SignOptions::new(chain("signers/person-cccd", "chain-ca1.pem"), at());
        let signed = hoso_dsig::sign_enveloped(FORM.as_bytes(), &key, &options).unwrap();
        verify_form(&signed, &common::options(&trust))
            .unwrap_or_else(|r| panic!("{key_file}: {}", r.refusal));
    }
    let key = hoso_dsig::SigningKey::from_pem(&read("signers/person-cmnd.key.sec1.pem")).unwrap();
    let options = hoso_dsig::SignOptions::new(chain("signers/person-cmnd", "chain-ca2.pem"), at());
    let signed = hoso_dsig::sign_enveloped(FORM.as_bytes(), &key, &options).unwrap();
    verify_form(&signed, &common::options(&trust)).unwrap();
}

#[test]
fn every_canonicalization_and_rsa_pss_round_trip() {
    let trust = trust();
    for method in Method::all() {
        let mut options =
            hoso_dsig::SignOptions::new(chain("signers/person-cccd", "chain-ca1.pem"), at());
        options.c14n = method;
        options.scheme = Some(hoso_pki::SignatureScheme::RsaPssSha256);
        let signed =
            hoso_dsig::sign_enveloped(FORM.as_bytes(), &key("signers/person-cccd"), &options)
                .unwrap();
        verify_form(&signed, &common::options(&trust))
            .unwrap_or_else(|r| panic!("{}: {}", method.name(), r.refusal));
    }
}

#[test]
fn without_xades_there_is_no_signing_time() {
    let trust = trust();
    let mut options =
        hoso_dsig::SignOptions::new(chain("signers/person-cccd", "chain-ca1.pem"), at());
    options.xades = false;
    let signed =
        hoso_dsig::sign_enveloped(FORM.as_bytes(), &key("signers/person-cccd"), &options).unwrap();
    let accepted = verify_form(&signed, &common::options(&trust)).unwrap();
    assert!(accepted.signature.signing_time.is_none());
    assert_eq!(accepted.signature.references.len(), 1);
}

/// A document signed while its signer's certificate was valid verifies at
/// the signing time it claims under the received-documents policy, and not
/// under the form policy, which also wants validity today.
#[test]
fn an_expired_signer_verifies_at_its_signing_time_only_under_the_historical_policy() {
    let trust = trust();
    let signed_in_2021 = hoso_pki::Timestamp::parse_rfc3339("2021-06-01T09:00:00+07:00").unwrap();
    let options =
        hoso_dsig::SignOptions::new(chain("signers/expired", "chain-ca1.pem"), signed_in_2021);
    let signed =
        hoso_dsig::sign_enveloped(FORM.as_bytes(), &key("signers/expired"), &options).unwrap();

    let strict = hoso_dsig::verify_all(&signed, &common::options(&trust)).unwrap();
    assert!(
        matches!(
            strict.signatures[0].chain_status,
            Some(ChainStatus::Expired { .. })
        ),
        "{:?}",
        strict.signatures[0].chain_status
    );

    let mut historical = common::options(&trust);
    historical.policy = hoso_pki::Policy::historical();
    let report = hoso_dsig::verify_all(&signed, &historical).unwrap();
    let signature = &report.signatures[0];
    assert_eq!(signature.chain_status, Some(ChainStatus::Trusted));
    assert_eq!(
        signature.signing_time.as_ref().unwrap().time,
        signed_in_2021
    );
    // The expiry since signing is said, not hidden.
    assert!(
        signature.warnings.iter().any(|w| matches!(
            w,
            hoso_dsig::Warning::Pki(hoso_pki::Warning::ExpiredAfterSigning { .. })
        )),
        "{:?}",
        signature.warnings
    );

    // A signing time claimed after the certificate expired is refused.
    let options = hoso_dsig::SignOptions::new(chain("signers/expired", "chain-ca1.pem"), at());
    let late =
        hoso_dsig::sign_enveloped(FORM.as_bytes(), &key("signers/expired"), &options).unwrap();
    let report = hoso_dsig::verify_all(&late, &historical).unwrap();
    assert!(matches!(
        report.signatures[0].chain_status,
        Some(ChainStatus::Expired { .. })
    ));
}
