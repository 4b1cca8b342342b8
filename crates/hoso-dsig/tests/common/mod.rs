//! The TEST PKI of `certs/test` and helpers to sign and verify with it.
#![allow(dead_code)] // each test file uses a part

use std::path::{Path, PathBuf};

use hoso_dsig::{SignOptions, SigningKey, VerifyOptions};
use hoso_pki::{Certificate, Timestamp, TrustStore};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn pki(path: &str) -> PathBuf {
    repo().join("certs/test").join(path)
}

pub fn read(path: &str) -> Vec<u8> {
    std::fs::read(pki(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A time inside every TEST certificate's, CRL's and OCSP response's window.
pub fn at() -> Timestamp {
    Timestamp::parse_rfc3339("2030-01-01T00:00:00Z").unwrap()
}

/// The TEST national root as the only anchor; CA 1 and CA 2 known.
pub fn trust() -> TrustStore {
    let mut store = TrustStore::new();
    store.add_pem_file(&pki("ca/root.pem"), true).unwrap();
    store
}

pub fn cert(name: &str) -> Certificate {
    Certificate::from_pem(&read(&format!("{name}.pem")))
        .unwrap()
        .remove(0)
}

pub fn key(name: &str) -> SigningKey {
    SigningKey::from_pem(&read(&format!("{name}.key.pem"))).unwrap()
}

/// The signer's certificate followed by its chain file's certificates.
pub fn chain(signer: &str, chain_file: &str) -> Vec<Certificate> {
    let mut certs = vec![cert(signer)];
    certs.extend(Certificate::from_pem(&read(chain_file)).unwrap());
    certs
}

/// Signs `doc` as `signer` (a stem under certs/test, e.g.
/// "signers/person-cccd") with its CA chain in KeyInfo.
pub fn sign_as(doc: &[u8], signer: &str, chain_file: &str) -> Vec<u8> {
    let options = SignOptions::new(
        chain(signer, chain_file),
        Timestamp::parse_rfc3339("2029-06-01T08:00:00+07:00").unwrap(),
    );
    hoso_dsig::sign_enveloped(doc, &key(signer), &options).unwrap()
}

pub fn options(trust: &TrustStore) -> VerifyOptions<'_> {
    VerifyOptions::new(trust, at())
}

pub const FORM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- Tờ khai đề nghị cấp giấy phép khai thác nước dưới đất -->
<ToKhai xmlns="urn:hoso:test:nuoc-duoi-dat" xmlns:ct="urn:hoso:test:chung" Id="tokhai">
  <ct:NguoiNop loai="caNhan">
    <ct:HoTen>Nguyễn Thị Minh Khai</ct:HoTen>
    <ct:CCCD>001203004567</ct:CCCD>
  </ct:NguoiNop>
  <LuuLuong donVi="m3/ngày">2500</LuuLuong>
  <GhiChu><![CDATA[Giếng số 1 & số 2 < 3.000 m³/ngày]]></GhiChu>
</ToKhai>
"#;
