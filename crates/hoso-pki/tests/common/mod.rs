//! Shared helpers: the TEST PKI in certs/test and this crate's extra fixtures.

#![allow(dead_code)]

use std::path::PathBuf;

use hoso_pki::{
    Certificate, Crl, OcspResponse, Policy, Timestamp, TrustStore, Validation, ValidationInput,
};

/// certs/test at the repository root.
pub fn pki_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../certs/test")
}

/// tests/fixtures of this crate.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn read(rel: &str) -> Vec<u8> {
    let p = pki_dir().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub fn fixture(rel: &str) -> Vec<u8> {
    let p = fixtures_dir().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A certificate of the TEST PKI by stem, e.g. "signers/person-cccd".
pub fn cert(stem: &str) -> Certificate {
    Certificate::from_der(&read(&format!("{stem}.der"))).unwrap_or_else(|e| panic!("{stem}: {e}"))
}

pub fn fixture_cert(stem: &str) -> Certificate {
    Certificate::from_der(&fixture(&format!("certs/{stem}.der")))
        .unwrap_or_else(|e| panic!("{stem}: {e}"))
}

/// A chain file: intermediates, issuing CA first.
pub fn chain(name: &str) -> Vec<Certificate> {
    Certificate::from_pem(&read(name)).unwrap()
}

pub fn crl(rel: &str) -> Crl {
    Crl::from_der(&read(rel)).unwrap()
}

pub fn ocsp(rel: &str) -> OcspResponse {
    OcspResponse::from_der(&read(rel)).unwrap()
}

pub fn t(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap()
}

/// The fixed "now" inside every validity window of the TEST PKI.
pub fn now() -> Timestamp {
    t("2030-01-01T00:00:00Z")
}

/// A store trusting only the TEST root.
pub fn store() -> TrustStore {
    let mut s = TrustStore::new();
    s.add_anchor(cert("ca/root"));
    s
}

/// Validates `signer` with `untrusted` intermediates at `now()`, no signing
/// time, no revocation data.
pub fn validate(
    store: &TrustStore,
    policy: &Policy,
    signer: &Certificate,
    untrusted: &[Certificate],
) -> Validation {
    let input = ValidationInput {
        untrusted,
        ..ValidationInput::new(signer, now())
    };
    store.validate(policy, &input)
}

pub fn subjects(v: &Validation) -> Vec<String> {
    v.chain
        .iter()
        .map(|c| c.identity().common_name.unwrap_or_default())
        .collect()
}
