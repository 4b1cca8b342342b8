//! The REAL Vietnamese CA certificates in ../shared/trust/vn (beside the
//! repository): `certs/trust` holds the same certificates byte for byte, in
//! the same two folders, and the shared manifest lists the same files with
//! the same fingerprints.  The parsing and chaining checks are in
//! `trust_profiles.rs`, on the copies in the repository.  Skipped with a
//! message when the folder is absent, except on CI (CI=true), where its
//! absence is a failure.

use std::path::{Path, PathBuf};

use hoso_pki::{Certificate, Crl};

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

fn repo_trust_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../certs/trust")
}

/// The certificate files (`.pem`) of one folder, sorted.
fn pem_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".pem"))
        .collect();
    files.sort();
    files
}

/// (file, SHA-256) of every row of a manifest, sorted; the file is the
/// second column and the fingerprint the 64-hex-digit column.
fn fingerprints(manifest: &str) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = manifest
        .lines()
        .filter(|l| l.starts_with("| government ") || l.starts_with("| national "))
        .map(|l| {
            let c: Vec<&str> = l.split('|').map(str::trim).collect();
            let sha = c
                .iter()
                .find(|x| x.len() == 64 && x.bytes().all(|b| b.is_ascii_hexdigit()))
                .unwrap_or_else(|| panic!("no SHA-256 in {l}"));
            (format!("{}/{}", c[1], c[2]), sha.to_string())
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn certs_trust_is_a_byte_for_byte_copy() {
    let Some(shared) = trust_dir() else { return };
    let ours = repo_trust_dir();
    for profile in ["national", "government"] {
        let files = pem_files(&shared.join(profile));
        assert_eq!(pem_files(&ours.join(profile)), files, "{profile}");
        for file in files {
            let a = std::fs::read(shared.join(profile).join(&file)).unwrap();
            let b = std::fs::read(ours.join(profile).join(&file)).unwrap();
            assert!(
                a == b,
                "certs/trust/{profile}/{file} differs from the shared copy"
            );
        }
    }
    let read = |d: &Path| std::fs::read_to_string(d.join("MANIFEST.md")).unwrap();
    let theirs = fingerprints(&read(&shared));
    assert_eq!(theirs.len(), 21);
    assert_eq!(fingerprints(&read(&ours)), theirs);
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
