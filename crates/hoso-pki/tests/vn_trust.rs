//! The REAL Vietnamese CA certificates in ../shared/trust/vn (beside the
//! repository; not copied into it): every file parses, matches its manifest
//! row, and every subordinate CA chains to its root at a time inside its
//! validity.  Skipped with a message when the folder is absent, except on CI
//! (CI=true), where its absence is a failure.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use hoso_pki::{
    Certificate, ChainStatus, Crl, Policy, Purpose, Timestamp, TrustStore, ValidationInput, Warning,
};

fn trust_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/trust/vn");
    if dir.join("MANIFEST.md").is_file() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} is missing on CI", dir.display());
    }
    eprintln!(
        "skipping: {} not found (the real Vietnamese CA certificates live beside the repository)",
        dir.display()
    );
    None
}

struct Row {
    group: String,
    file: String,
    root: bool,
    subject: String,
    not_before: Timestamp,
    not_after: Timestamp,
    sha256: String,
}

/// "Aug 22 08:06:36 2018 GMT", as OpenSSL prints dates.
fn openssl_date(s: &str) -> Timestamp {
    let p: Vec<&str> = s.split_whitespace().collect();
    assert_eq!(p.len(), 5, "{s}");
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == p[0])
    .unwrap() as u32
        + 1;
    let hms: Vec<u32> = p[2].split(':').map(|x| x.parse().unwrap()).collect();
    Timestamp::from_utc(
        p[3].parse().unwrap(),
        month,
        p[1].parse().unwrap(),
        hms[0],
        hms[1],
        hms[2],
    )
    .unwrap()
}

fn manifest(dir: &std::path::Path) -> Vec<Row> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.md")).unwrap();
    let rows: Vec<Row> = text
        .lines()
        .filter(|l| l.starts_with("| government ") || l.starts_with("| national "))
        .map(|l| {
            let c: Vec<&str> = l.split('|').map(str::trim).collect();
            Row {
                group: c[1].into(),
                file: c[2].into(),
                root: c[3] == "root",
                subject: c[4].into(),
                not_before: openssl_date(c[5]),
                not_after: openssl_date(c[6]),
                sha256: c[7].into(),
            }
        })
        .collect();
    assert_eq!(rows.len(), 21, "manifest rows");
    rows
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn load(dir: &std::path::Path, row: &Row) -> Certificate {
    let path = dir.join(&row.group).join(&row.file);
    let mut certs = Certificate::from_pem(&std::fs::read(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", row.file));
    assert_eq!(certs.len(), 1, "{}", row.file);
    certs.remove(0)
}

#[test]
fn every_certificate_parses_and_matches_the_manifest() {
    let Some(dir) = trust_dir() else { return };
    for row in manifest(&dir) {
        let c = load(&dir, &row);
        assert_eq!(hex(&c.sha256()), row.sha256, "{}", row.file);
        assert_eq!(c.not_before(), row.not_before, "{}", row.file);
        assert_eq!(c.not_after(), row.not_after, "{}", row.file);
        assert_eq!(c.is_self_issued(), row.root, "{}", row.file);
        assert!(c.is_ca(), "{}", row.file);
        // The manifest writes subjects in DER order; ours are RFC 4514
        // (most specific first). None of these names needs escaping.
        let subject = c.subject();
        let der_order: Vec<&str> = subject.split(',').rev().collect();
        assert_eq!(der_order.join(", "), row.subject, "{}", row.file);
        assert!(!c.subject().contains("TEST"));
    }
    // The loaders read the same files.
    let mut s = TrustStore::new();
    assert_eq!(s.add_pem_dir(&dir.join("national"), true).unwrap(), 13);
    assert_eq!(s.add_pem_dir(&dir.join("government"), true).unwrap(), 8);
}

#[test]
fn subordinates_chain_to_their_roots() {
    let Some(dir) = trust_dir() else { return };
    let rows = manifest(&dir);
    let mut store = TrustStore::new();
    let mut roots = BTreeMap::new();
    for row in rows.iter().filter(|r| r.root) {
        let c = load(&dir, row);
        roots.insert(c.subject(), row.file.clone());
        store.add_anchor(c);
    }
    assert_eq!(roots.len(), 6);

    let mut chained: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows.iter().filter(|r| !r.root) {
        let c = load(&dir, row);
        // The root the manifest's names say issued it.
        let root_file = roots
            .get(&c.issuer())
            .unwrap_or_else(|| panic!("{}: no root named {}", row.file, c.issuer()));
        let mid = Timestamp::from_unix((c.not_before().unix() + c.not_after().unix()) / 2);
        let input = ValidationInput::new(&c, mid);
        // Old subordinates are signed with SHA-1: lawful when issued, so the
        // historical opt-in applies.
        let v = store.validate_for(&Policy::historical(), &input, Purpose::CertificateAuthority);
        assert_eq!(v.status, ChainStatus::Trusted, "{} at {mid}", row.file);
        assert_eq!(v.chain.len(), 2, "{}", row.file);
        assert_eq!(roots[&v.chain[1].subject()], *root_file, "{}", row.file);
        c.verify_issued_by(&v.chain[1], true).unwrap();

        // The strict policy refuses exactly the SHA-1 ones.
        let strict = store.validate_for(&Policy::default(), &input, Purpose::CertificateAuthority);
        let sha1 = c.signature_algorithm().starts_with("sha1");
        assert_eq!(
            strict.is_trusted(),
            !sha1,
            "{}: {}",
            row.file,
            strict.status
        );
        if sha1 {
            assert!(
                matches!(strict.status, ChainStatus::WeakAlgorithm { .. }),
                "{}",
                row.file
            );
            assert!(
                v.warnings
                    .iter()
                    .any(|w| matches!(w, Warning::WeakAlgorithm(_))),
                "{}",
                row.file
            );
        }
        chained
            .entry(root_file.clone())
            .or_default()
            .push(row.file.clone());
    }
    let count = |root: &str| chained.get(root).map_or(0, Vec::len);
    assert_eq!(count("MIC_National_Root_CA.pem"), 8, "{chained:?}");
    assert_eq!(count("Vietnam_National_Root_CA.pem"), 1, "{chained:?}");
    assert_eq!(
        count("Co_quan_chung_thuc_so_chuyen_dung_Chinh_phu_RootCA.pem"),
        5,
        "{chained:?}"
    );
    assert_eq!(
        count("RootCA_chuyen_dung_Chinh_phu_G2.pem"),
        1,
        "{chained:?}"
    );
}

#[test]
fn expired_licensed_cas_still_verify_at_their_signing_time() {
    let Some(dir) = trust_dir() else { return };
    let mut store = TrustStore::new();
    store
        .add_pem_file(&dir.join("national/MIC_National_Root_CA.pem"), true)
        .unwrap();
    let bkav = Certificate::from_pem(&std::fs::read(dir.join("national/BkavCA.pem")).unwrap())
        .unwrap()
        .remove(0);
    let input = ValidationInput {
        signing_time: Some(common::t("2018-03-01T00:00:00Z")),
        ..ValidationInput::new(&bkav, common::t("2026-01-01T00:00:00Z"))
    };
    // Expired in 2020: refused for a fresh submission...
    let v = store.validate_for(
        &Policy {
            allow_weak: true,
            ..Policy::default()
        },
        &input,
        Purpose::CertificateAuthority,
    );
    assert!(
        matches!(v.status, ChainStatus::Expired { .. }),
        "{}",
        v.status
    );
    // ...trusted for a document signed in 2018.
    let v = store.validate_for(&Policy::historical(), &input, Purpose::CertificateAuthority);
    assert!(v.is_trusted(), "{}", v.status);
    assert!(
        v.warnings
            .iter()
            .any(|w| matches!(w, Warning::ExpiredAfterSigning { .. }))
    );
}

#[test]
fn g3_crl_is_signed_by_g3() {
    let Some(dir) = trust_dir() else { return };
    let crl = Crl::from_der(
        &std::fs::read(dir.join("national/Vietnam_National_Root_CA_G3.crl")).unwrap(),
    )
    .unwrap();
    let g3 = Certificate::from_pem(
        &std::fs::read(dir.join("national/Vietnam_National_Root_CA_G3.pem")).unwrap(),
    )
    .unwrap()
    .remove(0);
    assert_eq!(crl.issuer(), g3.subject());
    assert_eq!(crl.this_update().to_string(), "2024-12-25T02:43:39Z");
    assert_eq!(
        crl.next_update().unwrap().to_string(),
        "2025-06-25T02:43:39Z"
    );
    assert_eq!(crl.revoked_count(), 0);
    crl.verify_issued_by(&g3, false).unwrap();
    let other = Certificate::from_pem(
        &std::fs::read(dir.join("national/Vietnam_National_Root_CA.pem")).unwrap(),
    )
    .unwrap()
    .remove(0);
    assert!(crl.verify_issued_by(&other, true).is_err());
}
