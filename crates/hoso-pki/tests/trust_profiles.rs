//! The real trust profiles in `certs/trust` (`national`, `government`): every
//! certificate parses, matches its row in `certs/trust/MANIFEST.md`, roots
//! are self-signed, and every intermediate chains to the root the manifest
//! names at a time inside its validity.  That the files are the published
//! ones is `vn_trust.rs`'s check (byte for byte against ../shared/trust/vn).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hoso_pki::{
    Certificate, ChainStatus, Policy, Purpose, Timestamp, TrustStore, ValidationInput, Warning,
};

fn trust_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../certs/trust")
}

/// One row of the manifest.
struct Row {
    profile: String,
    file: String,
    root: bool,
    issued_by: String,
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
    .unwrap_or_else(|| panic!("month in {s}")) as u32
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

fn manifest() -> Vec<Row> {
    let text = std::fs::read_to_string(trust_dir().join("MANIFEST.md")).unwrap();
    let rows: Vec<Row> = text
        .lines()
        .filter(|l| l.starts_with("| government ") || l.starts_with("| national "))
        .map(|l| {
            let c: Vec<&str> = l.split('|').map(str::trim).collect();
            assert!(c[3] == "root" || c[3] == "intermediate", "kind in {l}");
            Row {
                profile: c[1].into(),
                file: c[2].into(),
                root: c[3] == "root",
                issued_by: c[4].into(),
                subject: c[5].into(),
                not_before: openssl_date(c[6]),
                not_after: openssl_date(c[7]),
                sha256: c[8].into(),
            }
        })
        .collect();
    assert_eq!(rows.len(), 21, "manifest rows");
    rows
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn load(row: &Row) -> Certificate {
    let path = trust_dir().join(&row.profile).join(&row.file);
    let mut certs = Certificate::from_pem(&std::fs::read(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", row.file));
    assert_eq!(certs.len(), 1, "{}", row.file);
    certs.remove(0)
}

/// The `.pem` files of one profile folder, sorted.
fn pem_files(profile: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(trust_dir().join(profile))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".pem"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_certificate_parses_and_matches_the_manifest() {
    let rows = manifest();
    // Every file has a row and every row a file.
    for profile in ["national", "government"] {
        let mut listed: Vec<String> = rows
            .iter()
            .filter(|r| r.profile == profile)
            .map(|r| r.file.clone())
            .collect();
        listed.sort();
        assert_eq!(pem_files(profile), listed, "{profile}");
    }
    for row in &rows {
        let c = load(row);
        assert_eq!(hex(&c.sha256()), row.sha256, "{}", row.file);
        assert_eq!(c.not_before(), row.not_before, "{}", row.file);
        assert_eq!(c.not_after(), row.not_after, "{}", row.file);
        assert_eq!(c.is_self_issued(), row.root, "{}", row.file);
        assert_eq!(row.issued_by == "itself", row.root, "{}", row.file);
        assert!(c.is_ca(), "{}", row.file);
        // The manifest writes subjects in DER order; ours are RFC 4514
        // (most specific first). None of these names needs escaping.
        let subject = c.subject();
        let der_order: Vec<&str> = subject.split(',').rev().collect();
        assert_eq!(der_order.join(", "), row.subject, "{}", row.file);
        assert!(!subject.contains("TEST"), "{}", row.file);
    }
    // The directory loader reads the same files.
    let mut s = TrustStore::new();
    assert_eq!(
        s.add_pem_dir(&trust_dir().join("national"), true).unwrap(),
        13
    );
    assert_eq!(
        s.add_pem_dir(&trust_dir().join("government"), true)
            .unwrap(),
        8
    );
}

#[test]
fn roots_are_self_signed() {
    for row in manifest().iter().filter(|r| r.root) {
        let c = load(row);
        // SHA-1 self-signatures (the 2008 and 2010 roots) are checked too.
        c.verify_issued_by(&c, true)
            .unwrap_or_else(|e| panic!("{}: {e}", row.file));
    }
}

#[test]
fn intermediates_chain_to_the_root_the_manifest_names() {
    let rows = manifest();
    let mut store = TrustStore::new();
    for row in rows.iter().filter(|r| r.root) {
        store.add_anchor(load(row));
    }
    let by_file: BTreeMap<&str, &Row> = rows.iter().map(|r| (r.file.as_str(), r)).collect();
    let mut chained: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows.iter().filter(|r| !r.root) {
        let c = load(row);
        let root_row = by_file
            .get(row.issued_by.as_str())
            .unwrap_or_else(|| panic!("{}: no row for {}", row.file, row.issued_by));
        assert!(
            root_row.root,
            "{}: {} is not a root",
            row.file, row.issued_by
        );
        assert_eq!(root_row.profile, row.profile, "{}", row.file);
        let root = load(root_row);
        let mid = Timestamp::from_unix((c.not_before().unix() + c.not_after().unix()) / 2);
        let input = ValidationInput::new(&c, mid);
        // Old subordinates are signed with SHA-1: lawful when issued, so the
        // historical opt-in applies.
        let v = store.validate_for(&Policy::historical(), &input, Purpose::CertificateAuthority);
        assert_eq!(v.status, ChainStatus::Trusted, "{} at {mid}", row.file);
        assert_eq!(v.chain.len(), 2, "{}", row.file);
        assert_eq!(v.chain[1], root, "{}: chained to another root", row.file);
        c.verify_issued_by(&root, true).unwrap();

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
        *chained.entry(row.issued_by.clone()).or_default() += 1;
    }
    let count = |root: &str| chained.get(root).copied().unwrap_or(0);
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
    let dir: &Path = &trust_dir();
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
