//! Signing keys from PKCS#12 files (`SigningKey::from_pkcs12`) and from
//! PKCS#8 DER: the three person-cccd containers of certs/test load with
//! the TEST password, give the key of person-cccd and its chain in order,
//! and sign forms that verify; wrong passwords and damaged files are typed
//! errors, never panics.

mod common;

use common::*;
use der::asn1::{AnyRef, OctetStringRef};
use der::{Decode, Encode};
use hoso_dsig::{Integrity, Pkcs12Error, SignError, SignOptions, SigningKey, verify_form};
use hoso_pki::{ChainStatus, PersonalId, Timestamp};

const PASSWORD: &str = "hoso-test";

/// Every person-cccd container: OpenSSL 3 defaults (PBES2/AES-256-CBC,
/// SHA-256 MAC), `-legacy` (3DES key, RC2-40 certificates, SHA-1 MAC) and
/// 3DES throughout.
const FILES: [&str; 3] = [
    "signers/person-cccd.p12",
    "signers/person-cccd.legacy.p12",
    "signers/person-cccd.3des.p12",
];

fn load(file: &str, password: &str) -> Result<(SigningKey, Vec<hoso_pki::Certificate>), SignError> {
    SigningKey::from_pkcs12(&read(file), password)
}

fn sign_and_verify(key: &SigningKey, certs: Vec<hoso_pki::Certificate>, what: &str) {
    let options = SignOptions::new(
        certs,
        Timestamp::parse_rfc3339("2029-06-01T08:00:00+07:00").unwrap(),
    );
    let signed = hoso_dsig::sign_enveloped(FORM.as_bytes(), key, &options).unwrap();
    let trust = trust();
    let accepted = verify_form(&signed, &options_at(&trust))
        .unwrap_or_else(|r| panic!("{what}: {}", r.refusal));
    assert_eq!(accepted.signature.integrity, Integrity::Valid, "{what}");
    assert_eq!(
        accepted.signature.chain_status,
        Some(ChainStatus::Trusted),
        "{what}"
    );
    assert_eq!(
        accepted.signature.identity.unwrap().ids,
        vec![PersonalId::Cccd("001203004567".into())],
        "{what}"
    );
}

fn options_at(trust: &hoso_pki::TrustStore) -> hoso_dsig::VerifyOptions<'_> {
    hoso_dsig::VerifyOptions::new(trust, at())
}

#[test]
fn every_container_gives_the_key_and_the_chain_in_order() {
    let pem_key = key("signers/person-cccd");
    for file in FILES {
        let (key, certs) = load(file, PASSWORD).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(matches!(key, SigningKey::Rsa(_)), "{file}");
        assert_eq!(
            key.public_key_bytes(),
            pem_key.public_key_bytes(),
            "{file}: the key of person-cccd"
        );
        assert_eq!(
            certs,
            vec![cert("signers/person-cccd"), cert("ca/ca1"), cert("ca/root")],
            "{file}: signer, CA 1, root"
        );
        sign_and_verify(&key, certs, file);
    }
}

#[test]
fn a_wrong_password_is_the_wrong_password_error() {
    for file in FILES {
        for wrong in ["", "hoso-tes", "Hoso-test", "hoso-test ", "mật khẩu"] {
            let error = load(file, wrong).unwrap_err();
            assert!(
                matches!(error, SignError::Pkcs12(Pkcs12Error::WrongPassword)),
                "{file} with {wrong:?}: {error:?}"
            );
            assert!(
                error.to_string().contains("wrong password or damaged file"),
                "{error}"
            );
            // The password is never part of the message.
            assert!(wrong.is_empty() || !error.to_string().contains(wrong));
        }
    }
}

/// The PFX of `file` re-encoded without its MacData, as `openssl pkcs12
/// -nomac` writes it: then only decryption can tell a wrong password.
fn without_mac(file: &str) -> Vec<u8> {
    #[derive(der::Sequence)]
    struct Pfx<'a> {
        version: u8,
        auth_safe: AnyRef<'a>,
        mac_data: Option<AnyRef<'a>>,
    }
    let der = read(file);
    let mut pfx = Pfx::from_der(&der).unwrap();
    assert!(pfx.mac_data.is_some());
    pfx.mac_data = None;
    pfx.to_der().unwrap()
}

#[test]
fn without_a_mac_decryption_tells_a_wrong_password() {
    for file in FILES {
        let der = without_mac(file);
        let (loaded, certs) = SigningKey::from_pkcs12(&der, PASSWORD).unwrap();
        assert_eq!(certs.len(), 3, "{file}");
        assert_eq!(certs[0], cert("signers/person-cccd"));
        assert_eq!(
            loaded.public_key_bytes(),
            key("signers/person-cccd").public_key_bytes()
        );
        let error = SigningKey::from_pkcs12(&der, "wrong").unwrap_err();
        assert!(
            matches!(error, SignError::Pkcs12(Pkcs12Error::WrongPassword)),
            "{file}: {error:?}"
        );
    }
}

/// The PFX of `file` with its MAC iteration count set to `iterations`.
fn with_mac_iterations(file: &str, iterations: u32) -> Vec<u8> {
    #[derive(der::Sequence)]
    struct Pfx<'a> {
        version: u8,
        auth_safe: AnyRef<'a>,
        mac_data: MacData<'a>,
    }
    #[derive(der::Sequence)]
    struct MacData<'a> {
        mac: AnyRef<'a>,
        salt: OctetStringRef<'a>,
        iterations: u32,
    }
    let der = read(file);
    let mut pfx = Pfx::from_der(&der).unwrap();
    pfx.mac_data.iterations = iterations;
    pfx.to_der().unwrap()
}

#[test]
fn a_hostile_iteration_count_is_refused_before_any_work() {
    let der = with_mac_iterations("signers/person-cccd.p12", i32::MAX as u32);
    // Finishing at all shows no work was done: 2^31 iterations would take
    // hours.
    let error = SigningKey::from_pkcs12(&der, PASSWORD).unwrap_err();
    assert!(
        matches!(error, SignError::Pkcs12(Pkcs12Error::Limit(_))),
        "{error:?}"
    );
    assert!(error.to_string().contains("iteration count"), "{error}");

    let error =
        SigningKey::from_pkcs12(&with_mac_iterations("signers/person-cccd.p12", 0), PASSWORD)
            .unwrap_err();
    assert!(
        matches!(error, SignError::Pkcs12(Pkcs12Error::Malformed(_))),
        "{error:?}"
    );
}

#[test]
fn a_changed_mac_iteration_count_fails_the_integrity_check() {
    let der = with_mac_iterations("signers/person-cccd.3des.p12", 2049);
    let error = SigningKey::from_pkcs12(&der, PASSWORD).unwrap_err();
    assert!(
        matches!(error, SignError::Pkcs12(Pkcs12Error::WrongPassword)),
        "{error:?}"
    );
}

#[test]
fn damaged_files_are_clean_errors() {
    let not_pkcs12: [&[u8]; 5] = [
        b"",
        b"\x30",
        b"\x30\x80\x00\x00",
        b"-----BEGIN PKCS12-----\nMIIB\n-----END PKCS12-----\n",
        &[0xff; 64],
    ];
    for bytes in not_pkcs12 {
        let error = SigningKey::from_pkcs12(bytes, PASSWORD).unwrap_err();
        assert!(
            matches!(error, SignError::Pkcs12(Pkcs12Error::Malformed(_))),
            "{bytes:?}: {error:?}"
        );
        assert!(
            error.to_string().starts_with("not a readable PKCS#12 file"),
            "{error}"
        );
    }
    // A certificate is DER too, but not a PFX.
    let error = SigningKey::from_pkcs12(&read("signers/person-cccd.der"), PASSWORD).unwrap_err();
    assert!(
        matches!(error, SignError::Pkcs12(Pkcs12Error::Malformed(_))),
        "{error:?}"
    );

    for file in FILES {
        let der = read(file);
        // Every truncation.
        for len in 0..der.len() {
            let error = SigningKey::from_pkcs12(&der[..len], PASSWORD).unwrap_err();
            assert!(
                matches!(error, SignError::Pkcs12(_)),
                "{file} cut at {len}: {error:?}"
            );
        }
        // Trailing garbage.
        let mut longer = der.clone();
        longer.extend_from_slice(b"\0\0");
        assert!(SigningKey::from_pkcs12(&longer, PASSWORD).is_err());
        // A byte changed here and there: an error (the MAC, or the
        // structure), never a panic and never a key.
        for at in (0..der.len()).step_by(61) {
            let mut bad = der.clone();
            bad[at] ^= 0x5a;
            let error = SigningKey::from_pkcs12(&bad, PASSWORD).unwrap_err();
            assert!(
                matches!(error, SignError::Pkcs12(_)),
                "{file} changed at {at}: {error:?}"
            );
        }
        // The same changes in a file without a MAC get as far as the
        // decryption or the certificate parser, and still end in an error
        // or, where the change hit nothing that matters, in the right key.
        let unprotected = without_mac(file);
        for at in (0..unprotected.len()).step_by(241) {
            let mut bad = unprotected.clone();
            bad[at] ^= 0x5a;
            if let Ok((loaded, certs)) = SigningKey::from_pkcs12(&bad, PASSWORD) {
                assert!(
                    certs
                        .first()
                        .is_some_and(|c| c.public_key() == cert("signers/person-cccd").public_key())
                );
                assert_eq!(
                    loaded.public_key_bytes(),
                    key("signers/person-cccd").public_key_bytes()
                );
            }
        }
    }
}

#[test]
fn an_oversized_file_is_refused_by_its_size() {
    let huge = vec![0x30; hoso_dsig::MAX_PKCS12_BYTES + 1];
    let error = SigningKey::from_pkcs12(&huge, PASSWORD).unwrap_err();
    assert!(
        matches!(error, SignError::Pkcs12(Pkcs12Error::Limit(_))),
        "{error:?}"
    );
}

#[test]
fn the_pkcs8_der_key_file_is_pkcs8() {
    let der = read("signers/person-cccd.key.der");
    let from_der = SigningKey::from_pkcs8_der(&der).expect("person-cccd.key.der is PKCS#8");
    assert_eq!(
        from_der.public_key_bytes(),
        key("signers/person-cccd").public_key_bytes()
    );
    // The same bytes as the PEM file's.
    let pem = read("signers/person-cccd.key.pem");
    let (label, pem_der) = der::pem::decode_vec(&pem).unwrap();
    assert_eq!(label, "PRIVATE KEY");
    assert_eq!(pem_der, der);
    sign_and_verify(
        &from_der,
        chain("signers/person-cccd", "chain-ca1.pem"),
        "key.der",
    );
}
