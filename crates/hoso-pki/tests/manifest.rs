//! Every certificate of certs/test/MANIFEST.md gives the outcome the
//! manifest expects, at the fixed time 2030-01-01T00:00:00Z unless said.

mod common;

use common::*;
use hoso_pki::{
    Certificate, ChainStatus, Policy, Purpose, RevocationStatus, TrustStore, UnknownRevocation,
    ValidationInput, Warning,
};

fn trusted(stem: &str, chain_file: &str, expect_len: usize) {
    let signer = cert(stem);
    let v = validate(&store(), &Policy::default(), &signer, &chain(chain_file));
    assert_eq!(v.status, ChainStatus::Trusted, "{stem}: {}", v.status);
    assert!(v.is_trusted());
    assert_eq!(v.chain.len(), expect_len, "{stem}: {:?}", subjects(&v));
    assert_eq!(v.chain[0], signer);
    assert_eq!(v.chain.last().unwrap(), &cert("ca/root"));
    // No revocation data was given: unknown, and a warning (Annex II).
    assert_eq!(v.revocation, RevocationStatus::Unknown);
    assert_eq!(v.warnings, vec![Warning::RevocationUnknown], "{stem}");
}

#[test]
fn good_signers_chain_to_the_root() {
    for stem in [
        "signers/person-cccd",
        "signers/person-multi",
        "signers/person-multi-mvrdn",
        "signers/organisation",
        "signers/ed25519",
        "signers/agency",
        "signers/not-a-ca",
    ] {
        trusted(stem, "chain-ca1.pem", 3);
    }
    trusted("signers/person-cmnd", "chain-ca2.pem", 3);
}

#[test]
fn chain_order_in_the_result_is_signer_to_anchor() {
    let v = validate(
        &store(),
        &Policy::default(),
        &cert("signers/person-cmnd"),
        &chain("chain-ca2.pem"),
    );
    assert_eq!(
        subjects(&v),
        [
            "Trần Văn Bình (TEST)",
            "TEST Hoso Public CA 2",
            "TEST Vietnam National Root CA"
        ]
    );
}

#[test]
fn intermediates_can_come_from_the_store() {
    let mut s = store();
    s.add_intermediate(cert("ca/ca1"));
    s.add_intermediate(cert("ca/ca2"));
    for stem in ["signers/person-cccd", "signers/person-cmnd"] {
        let v = validate(&s, &Policy::default(), &cert(stem), &[]);
        assert!(v.is_trusted(), "{stem}: {}", v.status);
    }
}

#[test]
fn without_the_intermediate_there_is_no_path() {
    let signer = cert("signers/person-cccd");
    let v = validate(&store(), &Policy::default(), &signer, &[]);
    assert_eq!(v.status, ChainStatus::NoPathToAnchor);
    assert_eq!(v.chain, vec![signer]);
    assert_eq!(v.revocation, RevocationStatus::NotChecked);
}

#[test]
fn nothing_trusted_in_an_empty_store() {
    // The production configuration never trusts the TEST root: a TEST
    // certificate reaching it must fail as untrusted, even with the whole
    // chain (root included) supplied by the document.
    let mut all = chain("chain-ca1.pem");
    all.push(cert("ca/root"));
    let v = validate(
        &TrustStore::new(),
        &Policy::default(),
        &cert("signers/person-cccd"),
        &all,
    );
    assert_eq!(v.status, ChainStatus::NoPathToAnchor);
    assert_eq!(
        subjects(&v).len(),
        3,
        "the path is shown as far as it was built"
    );
}

#[test]
fn expired_fails_now_and_verifies_in_2021() {
    let signer = cert("signers/expired");
    let v = validate(
        &store(),
        &Policy::default(),
        &signer,
        &chain("chain-ca1.pem"),
    );
    match &v.status {
        ChainStatus::Expired {
            subject,
            not_after,
            at,
        } => {
            assert!(subject.contains("Đỗ Thị Lan (TEST)"));
            assert_eq!(not_after.to_string(), "2022-01-01T00:00:00Z");
            assert_eq!(*at, now());
        }
        other => panic!("{other}"),
    }

    let mut input = ValidationInput::new(&signer, t("2021-06-01T00:00:00Z"));
    let untrusted = chain("chain-ca1.pem");
    input.untrusted = &untrusted;
    let v = store().validate(&Policy::default(), &input);
    assert!(v.is_trusted(), "{}", v.status);
}

#[test]
fn expired_with_signing_time_reports_both_times() {
    let signer = cert("signers/expired");
    let untrusted = chain("chain-ca1.pem");
    let input = ValidationInput {
        untrusted: &untrusted,
        signing_time: Some(t("2021-06-01T00:00:00Z")),
        ..ValidationInput::new(&signer, now())
    };
    let expired_after = Warning::ExpiredAfterSigning {
        subject: signer.subject(),
        not_after: signer.not_after(),
        signing_time: t("2021-06-01T00:00:00Z"),
    };

    // Default policy: valid at signing time, expired at verification time
    // → fails at the verification time, and says it was valid when signed.
    let v = store().validate(&Policy::default(), &input);
    assert!(
        matches!(v.status, ChainStatus::Expired { at, .. } if at == now()),
        "{}",
        v.status
    );
    assert!(v.warnings.contains(&expired_after), "{:?}", v.warnings);

    // A verifier of a historical document checks the signing time only.
    let historical = Policy {
        check_at_verification_time: false,
        ..Policy::default()
    };
    let v = store().validate(&historical, &input);
    assert!(v.is_trusted(), "{}", v.status);
    assert!(v.warnings.contains(&expired_after));

    // A signing time outside the validity fails whatever the policy.
    let input = ValidationInput {
        signing_time: Some(t("2023-01-01T00:00:00Z")),
        ..input
    };
    let v = store().validate(&historical, &input);
    assert!(
        matches!(v.status, ChainStatus::Expired { at, .. } if at == t("2023-01-01T00:00:00Z")),
        "{}",
        v.status
    );
}

#[test]
fn not_yet_valid() {
    let v = validate(
        &store(),
        &Policy::default(),
        &cert("signers/not-yet-valid"),
        &chain("chain-ca1.pem"),
    );
    match v.status {
        ChainStatus::NotYetValid { not_before, at, .. } => {
            assert_eq!(not_before.to_string(), "2040-01-01T00:00:00Z");
            assert_eq!(at, now());
        }
        other => panic!("{other}"),
    }
}

#[test]
fn wrong_key_usage_is_refused_for_signing() {
    let v = validate(
        &store(),
        &Policy::default(),
        &cert("signers/wrong-key-usage"),
        &chain("chain-ca1.pem"),
    );
    match &v.status {
        ChainStatus::KeyUsage { detail } => {
            assert!(detail.contains("keyEncipherment"), "{detail}");
            assert!(detail.contains("Bùi Quốc Huy"), "{detail}");
        }
        other => panic!("{other}"),
    }
    assert_eq!(v.chain.len(), 3, "the chain itself was built");
}

#[test]
fn rsa1024_is_weak_unless_allowed() {
    let signer = cert("signers/rsa1024");
    let v = validate(
        &store(),
        &Policy::default(),
        &signer,
        &chain("chain-ca1.pem"),
    );
    match &v.status {
        ChainStatus::WeakKey { subject, detail } => {
            assert!(subject.contains("Đặng Văn Nam"));
            assert!(detail.contains("RSA-1024"), "{detail}");
        }
        other => panic!("{other}"),
    }
    let v = validate(
        &store(),
        &Policy::historical(),
        &signer,
        &chain("chain-ca1.pem"),
    );
    assert!(v.is_trusted(), "{}", v.status);
    assert!(
        v.warnings
            .iter()
            .any(|w| matches!(w, Warning::WeakKey(s) if s.contains("RSA-1024"))),
        "{:?}",
        v.warnings
    );
    // A stricter minimum catches the 2048-bit keys too.
    let strict = Policy {
        min_rsa_bits: 3072,
        ..Policy::default()
    };
    let v = validate(
        &store(),
        &strict,
        &cert("signers/person-cccd"),
        &chain("chain-ca1.pem"),
    );
    assert!(
        matches!(v.status, ChainStatus::WeakKey { .. }),
        "{}",
        v.status
    );
}

#[test]
fn end_entity_as_issuer_is_not_a_ca() {
    let v = validate(
        &store(),
        &Policy::default(),
        &cert("signers/signed-by-not-a-ca"),
        &chain("chain-not-a-ca.pem"),
    );
    match &v.status {
        ChainStatus::NotACa { subject } => {
            assert!(subject.contains("CN=TEST Not A CA"), "{subject}")
        }
        other => panic!("{other}"),
    }
    assert_eq!(v.chain.len(), 4);
}

#[test]
fn impostor_chain_fails_on_signatures() {
    let signer = cert("signers/untrusted-signer");
    for chain_file in ["chain-untrusted.pem", "chain-ca1.pem"] {
        let v = validate(&store(), &Policy::default(), &signer, &chain(chain_file));
        assert!(
            matches!(
                v.status,
                ChainStatus::BadSignature { .. } | ChainStatus::NoPathToAnchor
            ),
            "{chain_file}: {}",
            v.status
        );
        assert!(!v.is_trusted());
        assert!(!v.chain.contains(&cert("ca/root")), "{chain_file}");
    }
    // With the impostor chain, the first failing signature is that of the
    // impostor CA 1 against the real root (as OpenSSL reports it).
    let v = validate(
        &store(),
        &Policy::default(),
        &signer,
        &chain("chain-untrusted.pem"),
    );
    assert_eq!(
        v.status,
        ChainStatus::BadSignature {
            subject: cert("ca/untrusted-ca1").subject()
        }
    );
    // With the real CA 1, the signer's own signature fails.
    let v = validate(
        &store(),
        &Policy::default(),
        &signer,
        &chain("chain-ca1.pem"),
    );
    assert_eq!(
        v.status,
        ChainStatus::BadSignature {
            subject: signer.subject()
        }
    );
}

#[test]
fn impostor_root_in_untrusted_never_becomes_an_anchor() {
    // Even the impostor root itself, sent along, is only a candidate issuer.
    let mut all = chain("chain-untrusted.pem");
    all.push(cert("ca/untrusted-root"));
    let v = validate(
        &store(),
        &Policy::default(),
        &cert("signers/untrusted-signer"),
        &all,
    );
    assert!(!v.is_trusted());
    // Trusting the impostor root instead shows the chain is otherwise sound.
    let mut s = TrustStore::new();
    s.add_anchor(cert("ca/untrusted-root"));
    let v = validate(
        &s,
        &Policy::default(),
        &cert("signers/untrusted-signer"),
        &chain("chain-untrusted.pem"),
    );
    assert!(v.is_trusted(), "{}", v.status);
    // ...and then the real signers do not chain to it.
    let v = validate(
        &s,
        &Policy::default(),
        &cert("signers/person-cccd"),
        &chain("chain-ca1.pem"),
    );
    assert!(!v.is_trusted());
}

#[test]
fn same_name_candidates_are_all_tried() {
    // Both CA 1s (real and impostor) are offered, impostor first: the search
    // must not stop at the first name match.
    let mut untrusted = vec![cert("ca/untrusted-ca1"), cert("ca/untrusted-root")];
    untrusted.extend(chain("chain-ca1.pem"));
    let v = validate(
        &store(),
        &Policy::default(),
        &cert("signers/person-cccd"),
        &untrusted,
    );
    assert!(v.is_trusted(), "{}", v.status);
    assert_eq!(v.chain[1], cert("ca/ca1"));
    let v = validate(
        &store(),
        &Policy::default(),
        &cert("signers/untrusted-signer"),
        &untrusted,
    );
    assert!(!v.is_trusted());
}

#[test]
fn ocsp_responder_and_cas() {
    trusted("ocsp/ca1-responder", "chain-ca1.pem", 3);
    // The CAs as targets of a CA check; as document signers their keyUsage
    // (digitalSignature is set on CA 1 and CA 2) also allows signing.
    let s = store();
    for stem in ["ca/ca1", "ca/ca2"] {
        let c = cert(stem);
        let input = ValidationInput::new(&c, now());
        let v = s.validate_for(&Policy::default(), &input, Purpose::CertificateAuthority);
        assert!(v.is_trusted(), "{stem}: {}", v.status);
        assert_eq!(v.chain.len(), 2);
        assert!(s.validate(&Policy::default(), &input).is_trusted());
    }
    // The root as signer: it is an anchor, the path ends at once.
    let root = cert("ca/root");
    let v = s.validate_for(
        &Policy::default(),
        &ValidationInput::new(&root, now()),
        Purpose::CertificateAuthority,
    );
    assert!(v.is_trusted(), "{}", v.status);
    assert_eq!(v.revocation, RevocationStatus::NotChecked);
    // A signer is not a CA.
    let signer = cert("signers/person-cccd");
    let untrusted = chain("chain-ca1.pem");
    let input = ValidationInput {
        untrusted: &untrusted,
        ..ValidationInput::new(&signer, now())
    };
    let v = s.validate_for(&Policy::default(), &input, Purpose::CertificateAuthority);
    assert!(
        matches!(v.status, ChainStatus::NotACa { .. }),
        "{}",
        v.status
    );
}

#[test]
fn unknown_critical_extension_is_refused() {
    let v = validate(
        &store(),
        &Policy::default(),
        &fixture_cert("critical-ext"),
        &chain("chain-ca1.pem"),
    );
    assert_eq!(
        v.status,
        ChainStatus::UnsupportedCriticalExtension {
            subject: fixture_cert("critical-ext").subject(),
            oid: "1.3.6.1.4.1.55555.1".into()
        }
    );
}

#[test]
fn path_length_constraint_is_honoured() {
    // CA 1 has pathlen:0; a sub-CA under it may not issue.
    let mut untrusted = vec![fixture_cert("sub-ca")];
    untrusted.extend(chain("chain-ca1.pem"));
    let v = validate(
        &store(),
        &Policy::default(),
        &fixture_cert("under-sub-ca"),
        &untrusted,
    );
    assert_eq!(
        v.status,
        ChainStatus::PathLength {
            subject: cert("ca/ca1").subject()
        }
    );
    assert_eq!(v.chain.len(), 4);
    // The sub-CA itself, as a leaf, is fine for a CA check.
    let sub = fixture_cert("sub-ca");
    let untrusted = chain("chain-ca1.pem");
    let input = ValidationInput {
        untrusted: &untrusted,
        ..ValidationInput::new(&sub, now())
    };
    let v = store().validate_for(&Policy::default(), &input, Purpose::CertificateAuthority);
    assert!(v.is_trusted(), "{}", v.status);
}

#[test]
fn unknown_revocation_can_fail_by_policy() {
    let policy = Policy {
        unknown_revocation: UnknownRevocation::Fail,
        ..Policy::default()
    };
    let v = validate(
        &store(),
        &policy,
        &cert("signers/person-cccd"),
        &chain("chain-ca1.pem"),
    );
    assert_eq!(v.status, ChainStatus::RevocationUnknown);
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
}

#[test]
fn signing_time_in_the_future_is_warned() {
    let signer = cert("signers/person-cccd");
    let untrusted = chain("chain-ca1.pem");
    let input = ValidationInput {
        untrusted: &untrusted,
        signing_time: Some(t("2031-01-01T00:00:00Z")),
        ..ValidationInput::new(&signer, now())
    };
    let v = store().validate(&Policy::default(), &input);
    assert!(v.is_trusted());
    assert!(
        v.warnings
            .iter()
            .any(|w| matches!(w, Warning::SigningTimeInFuture { .. }))
    );
}

#[test]
fn verified_signatures_are_cached() {
    let s = store();
    let untrusted = chain("chain-ca1.pem");
    let signers: Vec<Certificate> = ["person-cccd", "person-multi", "organisation", "agency"]
        .iter()
        .map(|n| cert(&format!("signers/{n}")))
        .collect();
    assert_eq!(s.signature_checks(), 0);
    let v = validate(&s, &Policy::default(), &signers[0], &untrusted);
    assert!(v.is_trusted());
    // signer←CA 1 and CA 1←root.
    assert_eq!(s.signature_checks(), 2);
    for _ in 0..3 {
        let v = validate(&s, &Policy::default(), &signers[0], &untrusted);
        assert!(v.is_trusted());
    }
    assert_eq!(
        s.signature_checks(),
        2,
        "the same document again costs nothing"
    );
    for signer in &signers[1..] {
        assert!(validate(&s, &Policy::default(), signer, &untrusted).is_trusted());
    }
    // Each new signer costs one check; CA 1←root comes from the cache.
    assert_eq!(s.signature_checks(), 2 + 3);
}

#[test]
fn failed_signatures_are_not_cached_as_good() {
    let s = store();
    let untrusted = chain("chain-ca1.pem");
    let signer = cert("signers/untrusted-signer");
    for _ in 0..2 {
        let v = validate(&s, &Policy::default(), &signer, &untrusted);
        assert!(!v.is_trusted());
    }
    let checks = s.signature_checks();
    assert!(validate(&s, &Policy::default(), &signer, &untrusted).status != ChainStatus::Trusted);
    assert!(
        s.signature_checks() > checks,
        "a failure is checked again, not remembered as success"
    );
}

#[test]
fn store_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<TrustStore>();
    assert_send_sync::<Certificate>();
    let s = std::sync::Arc::new(store());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let s = s.clone();
            std::thread::spawn(move || {
                let v = validate(
                    &s,
                    &Policy::default(),
                    &cert("signers/person-cccd"),
                    &chain("chain-ca1.pem"),
                );
                v.is_trusted()
            })
        })
        .collect();
    for h in handles {
        assert!(h.join().unwrap());
    }
}

#[test]
fn loading_from_files_and_directories() {
    let mut s = TrustStore::new();
    assert_eq!(
        s.add_pem_file(&pki_dir().join("chain-ca1.pem"), false)
            .unwrap(),
        2
    );
    assert_eq!(
        s.add_pem_file(&pki_dir().join("chain-ca1.pem"), false)
            .unwrap(),
        0,
        "no duplicates"
    );
    assert_eq!(
        s.add_pem_file(&pki_dir().join("ca/root.der"), true)
            .unwrap(),
        1,
        "DER accepted"
    );
    assert_eq!(s.anchors().len(), 1);
    assert_eq!(s.intermediates().len(), 2);
    let v = validate(&s, &Policy::default(), &cert("signers/person-cccd"), &[]);
    assert!(v.is_trusted());

    let mut d = TrustStore::new();
    // ca/ holds root, ca1, ca2, untrusted-root, untrusted-ca1 as .pem and .der
    // (the same certificates twice) and keys (skipped by extension).
    assert_eq!(d.add_pem_dir(&pki_dir().join("ca"), false).unwrap(), 5);
    let err = d
        .add_pem_file(&pki_dir().join("missing.pem"), true)
        .unwrap_err();
    assert!(err.to_string().contains("missing.pem"), "{err}");
    let err = d
        .add_pem_file(&pki_dir().join("MANIFEST.md"), true)
        .unwrap_err();
    assert!(err.to_string().contains("MANIFEST.md"), "{err}");
}

#[test]
fn texts_exist_in_both_languages() {
    let v = validate(
        &store(),
        &Policy::default(),
        &cert("signers/expired"),
        &chain("chain-ca1.pem"),
    );
    assert!(v.status.to_string().contains("expired"), "{}", v.status);
    assert!(v.status.vi().contains("hết hạn"), "{}", v.status.vi());
    for w in &v.warnings {
        assert!(!w.to_string().is_empty() && !w.vi().is_empty());
    }
    assert_eq!(
        Warning::RevocationUnknown.vi(),
        "Không xác định được tình trạng thu hồi của chứng thư số người ký"
    );
}
