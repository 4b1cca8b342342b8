//! Revocation: CRLs and OCSP responses of the TEST PKI, judged at the
//! signing time (Circular 15/2025, Annex II).

mod common;

use common::*;
use hoso_pki::{
    Certificate, ChainStatus, Crl, OcspResponse, PkiError, Policy, RevocationSource,
    RevocationStatus, Timestamp, UnknownRevocation, Validation, ValidationInput, Warning,
};

fn check(
    signer: &str,
    signing_time: Option<&str>,
    crls: &[Crl],
    ocsp: &[OcspResponse],
) -> Validation {
    check_with(&Policy::default(), signer, signing_time, crls, ocsp)
}

fn check_with(
    policy: &Policy,
    signer: &str,
    signing_time: Option<&str>,
    crls: &[Crl],
    ocsp: &[OcspResponse],
) -> Validation {
    let signer = cert(signer);
    let untrusted = chain("chain-ca1.pem");
    let input = ValidationInput {
        signer: &signer,
        untrusted: &untrusted,
        signing_time: signing_time.map(t),
        verification_time: now(),
        crls,
        ocsp,
    };
    store().validate(policy, &input)
}

fn revoked_at() -> Timestamp {
    t("2025-06-01T00:00:00Z")
}

fn is_revoked(v: &Validation, source: RevocationSource) {
    assert_eq!(
        v.status,
        ChainStatus::Revoked {
            at: revoked_at(),
            reason: Some("keyCompromise".into())
        }
    );
    assert_eq!(
        v.revocation,
        RevocationStatus::Revoked {
            at: revoked_at(),
            reason: Some("keyCompromise".into()),
            source
        }
    );
    assert!(!v.is_trusted());
}

#[test]
fn revoked_via_crl() {
    for crl in [
        crl("crl/ca1.crl"),
        Crl::from_pem(&read("crl/ca1.crl.pem")).unwrap(),
    ] {
        let v = check("signers/revoked", None, std::slice::from_ref(&crl), &[]);
        is_revoked(&v, RevocationSource::Crl);
        let v = check("signers/revoked", Some("2025-07-01T00:00:00Z"), &[crl], &[]);
        is_revoked(&v, RevocationSource::Crl);
    }
}

#[test]
fn revoked_via_ocsp() {
    let v = check(
        "signers/revoked",
        None,
        &[],
        &[ocsp("ocsp/revoked.resp.der")],
    );
    is_revoked(&v, RevocationSource::Ocsp);
    let v = check(
        "signers/revoked",
        Some("2025-06-01T00:00:00Z"),
        &[],
        &[ocsp("ocsp/revoked.resp.der")],
    );
    is_revoked(&v, RevocationSource::Ocsp);
}

#[test]
fn signed_before_revocation_is_good_with_a_warning() {
    let signing = Some("2025-01-01T00:00:00Z");
    for (crls, ocsps, source) in [
        (vec![crl("crl/ca1.crl")], vec![], RevocationSource::Crl),
        (
            vec![],
            vec![ocsp("ocsp/revoked.resp.der")],
            RevocationSource::Ocsp,
        ),
    ] {
        let v = check("signers/revoked", signing, &crls, &ocsps);
        assert!(v.is_trusted(), "{}", v.status);
        assert_eq!(v.revocation, RevocationStatus::Good { source });
        let w = Warning::RevokedAfterSigning {
            at: revoked_at(),
            reason: Some("keyCompromise".into()),
            signing_time: t("2025-01-01T00:00:00Z"),
        };
        assert_eq!(v.warnings, vec![w.clone()]);
        assert!(w.to_string().contains("trusted timestamp"), "{w}");
        assert!(w.vi().contains("dấu thời gian"), "{}", w.vi());
    }
}

#[test]
fn good_signer_is_good_by_crl_and_by_both_ocsp_responses() {
    let v = check(
        "signers/person-cccd",
        Some("2029-01-01T00:00:00Z"),
        &[crl("crl/ca1.crl")],
        &[],
    );
    assert!(v.is_trusted());
    assert_eq!(
        v.revocation,
        RevocationStatus::Good {
            source: RevocationSource::Crl
        }
    );
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
    for resp in [
        "ocsp/person-cccd.resp.der",
        "ocsp/person-cccd.by-ca1.resp.der",
    ] {
        let v = check("signers/person-cccd", None, &[], &[ocsp(resp)]);
        assert!(v.is_trusted(), "{resp}: {}", v.status);
        assert_eq!(
            v.revocation,
            RevocationStatus::Good {
                source: RevocationSource::Ocsp
            },
            "{resp}"
        );
        assert!(v.warnings.is_empty(), "{resp}: {:?}", v.warnings);
    }
}

#[test]
fn data_about_other_certificates_is_not_evidence() {
    // The OCSP response about `revoked` says nothing about person-cccd;
    // CA 2's and the root's CRLs do not cover CA 1's certificates.
    let v = check(
        "signers/person-cccd",
        None,
        &[crl("crl/ca2.crl")],
        &[ocsp("ocsp/revoked.resp.der")],
    );
    assert_eq!(v.revocation, RevocationStatus::Unknown);
    assert_eq!(v.warnings, vec![Warning::RevocationUnknown]);
}

#[test]
fn the_roots_crl_checks_the_intermediate() {
    // CA 1 is not on the root's CRL: the signer's own status stays unknown,
    // nothing fails, and the CRL was verified (no warning).
    let v = check(
        "signers/person-cccd",
        None,
        &[crl("crl/root.crl"), crl("crl/ca1.crl")],
        &[],
    );
    assert!(v.is_trusted());
    assert_eq!(
        v.revocation,
        RevocationStatus::Good {
            source: RevocationSource::Crl
        }
    );
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
}

#[test]
fn person_cmnd_with_ca2_crl() {
    let signer = cert("signers/person-cmnd");
    let untrusted = chain("chain-ca2.pem");
    let crls = [crl("crl/ca2.crl")];
    let input = ValidationInput {
        untrusted: &untrusted,
        crls: &crls,
        ..ValidationInput::new(&signer, now())
    };
    let v = store().validate(&Policy::default(), &input);
    assert!(v.is_trusted(), "{}", v.status);
    assert_eq!(
        v.revocation,
        RevocationStatus::Good {
            source: RevocationSource::Crl
        }
    );
}

#[test]
fn forged_crl_is_ignored() {
    // A CRL with CA 1's exact name, signed by the impostor CA 1, that does not
    // list `revoked`: it must not make `revoked` look good.
    let forged = Crl::from_der(&fixture("crl/ca1-forged-by-impostor.crl")).unwrap();
    let v = check(
        "signers/revoked",
        Some("2025-07-01T00:00:00Z"),
        std::slice::from_ref(&forged),
        &[],
    );
    assert_eq!(v.revocation, RevocationStatus::Unknown);
    assert!(
        v.warnings
            .iter()
            .any(|w| matches!(w, Warning::RevocationDataIgnored(s) if s.contains("signature does not verify"))),
        "{:?}",
        v.warnings
    );
    // With the real CRL next to it, the revocation is found.
    let v = check(
        "signers/revoked",
        Some("2025-07-01T00:00:00Z"),
        &[forged, crl("crl/ca1.crl")],
        &[],
    );
    is_revoked(&v, RevocationSource::Crl);
}

#[test]
fn tampered_crl_and_ocsp_are_ignored() {
    let mut der = read("crl/ca1.crl");
    let last = der.len() - 1;
    der[last] ^= 1;
    let bad_crl = Crl::from_der(&der).unwrap();
    let v = check("signers/revoked", None, &[bad_crl], &[]);
    assert_eq!(v.revocation, RevocationStatus::Unknown);
    assert!(
        v.warnings
            .iter()
            .any(|w| matches!(w, Warning::RevocationDataIgnored(_)))
    );

    let mut der = read("ocsp/revoked.resp.der");
    // Change producedAt (2025 → 2026): the signed data no longer matches
    // the responder's signature.
    let pos = der
        .windows(15)
        .position(|w| w == b"20250602000000Z")
        .unwrap();
    der[pos + 3] = b'6';
    let bad = OcspResponse::from_der(&der).unwrap();
    let v = check("signers/revoked", None, &[], &[bad]);
    assert_eq!(v.revocation, RevocationStatus::Unknown);
    assert!(
        v.warnings.iter().any(
            |w| matches!(w, Warning::RevocationDataIgnored(s) if s.contains("does not verify"))
        ),
        "{:?}",
        v.warnings
    );
}

#[test]
fn ocsp_from_an_unauthorised_signer_is_ignored() {
    let resp = OcspResponse::from_der(&fixture("ocsp/revoked-good-unauthorised.resp.der")).unwrap();
    let v = check(
        "signers/revoked",
        Some("2025-07-01T00:00:00Z"),
        &[],
        std::slice::from_ref(&resp),
    );
    assert_eq!(v.revocation, RevocationStatus::Unknown);
    assert!(
        v.warnings
            .iter()
            .any(|w| matches!(w, Warning::RevocationDataIgnored(s) if s.contains("not authorised for OCSP signing"))),
        "{:?}",
        v.warnings
    );
    let v = check(
        "signers/revoked",
        Some("2025-07-01T00:00:00Z"),
        &[],
        &[resp, ocsp("ocsp/revoked.resp.der")],
    );
    is_revoked(&v, RevocationSource::Ocsp);
}

#[test]
fn stale_crl_cannot_show_good() {
    let stale = Crl::from_der(&fixture("crl/ca1-stale-2021.crl")).unwrap();
    // January 2021 says nothing about 2025-07.
    let v = check(
        "signers/person-cccd",
        Some("2029-01-01T00:00:00Z"),
        std::slice::from_ref(&stale),
        &[],
    );
    assert_eq!(v.revocation, RevocationStatus::Unknown);
    assert!(
        v.warnings
            .iter()
            .any(|w| matches!(w, Warning::RevocationDataIgnored(s) if s.contains("too old"))),
        "{:?}",
        v.warnings
    );
    // ...but it was current for a document signed in January 2021 with the
    // certificate that was valid then.
    let signer = cert("signers/expired");
    let untrusted = chain("chain-ca1.pem");
    let crls = [stale];
    let input = ValidationInput {
        untrusted: &untrusted,
        signing_time: Some(t("2021-01-15T00:00:00Z")),
        crls: &crls,
        ..ValidationInput::new(&signer, now())
    };
    let v = store().validate(&Policy::historical(), &input);
    assert!(v.is_trusted(), "{}", v.status);
    assert_eq!(
        v.revocation,
        RevocationStatus::Good {
            source: RevocationSource::Crl
        }
    );
}

#[test]
fn data_issued_after_the_verification_time_is_ignored() {
    let signer = cert("signers/person-cccd");
    let untrusted = chain("chain-ca1.pem");
    let crls = [crl("crl/ca1.crl")];
    let input = ValidationInput {
        untrusted: &untrusted,
        crls: &crls,
        ..ValidationInput::new(&signer, t("2025-03-01T00:00:00Z"))
    };
    let v = store().validate(&Policy::default(), &input);
    assert_eq!(v.revocation, RevocationStatus::Unknown);
    assert!(
        v.warnings
            .iter()
            .any(|w| matches!(w, Warning::RevocationDataIgnored(s) if s.contains("after")))
    );
}

#[test]
fn unknown_status_fails_only_by_policy() {
    let fail = Policy {
        unknown_revocation: UnknownRevocation::Fail,
        ..Policy::default()
    };
    let v = check_with(&fail, "signers/person-cccd", None, &[], &[]);
    assert_eq!(v.status, ChainStatus::RevocationUnknown);
    let v = check_with(
        &fail,
        "signers/person-cccd",
        None,
        &[crl("crl/ca1.crl")],
        &[],
    );
    assert!(v.is_trusted());
}

#[test]
fn revocation_is_reported_even_when_the_path_fails() {
    // The expired path fails on dates, and the CRL still says the signer is
    // not revoked (it was issued after the signing time).
    let v = check(
        "signers/expired",
        Some("2021-06-01T00:00:00Z"),
        &[crl("crl/ca1.crl")],
        &[],
    );
    assert!(matches!(v.status, ChainStatus::Expired { .. }));
    assert_eq!(
        v.revocation,
        RevocationStatus::Good {
            source: RevocationSource::Crl
        }
    );
}

#[test]
fn parsing_revocation_data() {
    let c = crl("crl/ca1.crl");
    assert_eq!(c.revoked_count(), 1);
    assert_eq!(c.next_update(), Some(t("2036-12-31T23:59:59Z")));
    assert_eq!(crl("crl/root.crl").revoked_count(), 0);
    assert!(matches!(
        Crl::from_pem(b"no pem"),
        Err(PkiError::NoPemBlock { .. })
    ));
    let r = ocsp("ocsp/person-cccd.resp.der");
    assert_eq!(r.certificates().len(), 1);
    assert_eq!(r.certificates()[0], cert("ocsp/ca1-responder"));
    let by_ca1: Vec<Certificate> = ocsp("ocsp/person-cccd.by-ca1.resp.der")
        .certificates()
        .to_vec();
    assert_eq!(by_ca1, vec![cert("ca/ca1")]);
    // An OCSP request is not a response.
    assert!(OcspResponse::from_der(&read("ocsp/revoked.req.der")).is_err());
    // tryLater: OCSPResponse { responseStatus 3 }.
    assert!(matches!(
        OcspResponse::from_der(&[0x30, 0x03, 0x0a, 0x01, 0x03]),
        Err(PkiError::OcspNotSuccessful("tryLater"))
    ));
}

#[test]
fn revocation_texts_in_both_languages() {
    let v = check("signers/revoked", None, &[crl("crl/ca1.crl")], &[]);
    assert!(
        v.status
            .to_string()
            .contains("revoked at 2025-06-01T00:00:00Z (keyCompromise)"),
        "{}",
        v.status
    );
    assert!(
        v.status.vi().contains("lộ khóa bí mật"),
        "{}",
        v.status.vi()
    );
    assert!(v.revocation.vi().contains("CRL"));
}

#[test]
fn revoked_intermediate_fails_the_path() {
    // The root's CRL of fixtures/: CA 1 revoked at 2026-01-01 (cACompromise).
    let root_crl = Crl::from_der(&fixture("crl/root-revokes-ca1.crl")).unwrap();
    let ca1_at = t("2026-01-01T00:00:00Z");
    let v = check(
        "signers/person-cccd",
        Some("2027-01-01T00:00:00Z"),
        &[root_crl.clone(), crl("crl/ca1.crl")],
        &[],
    );
    assert_eq!(
        v.status,
        ChainStatus::Revoked {
            at: ca1_at,
            reason: Some("cACompromise".into())
        }
    );
    assert_eq!(
        v.revocation,
        RevocationStatus::Good {
            source: RevocationSource::Crl
        },
        "the signer itself is not revoked"
    );
    assert!(v.warnings.contains(&Warning::RevokedIssuer {
        subject: cert("ca/ca1").subject()
    }));
    // Signed before CA 1 was revoked: trusted.
    let v = check(
        "signers/person-cccd",
        Some("2025-07-01T00:00:00Z"),
        &[root_crl],
        &[ocsp("ocsp/person-cccd.resp.der")],
    );
    assert!(v.is_trusted(), "{}", v.status);
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
}
