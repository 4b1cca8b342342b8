//! Untrusted input never panics: truncated, bit-flipped and random DER and
//! PEM, odd times, and many same-name certificates.

mod common;

use common::*;
use hoso_pki::{Certificate, Crl, OcspResponse, Policy, Timestamp, TrustStore, ValidationInput};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn der_files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["ca", "signers", "crl", "ocsp"] {
        let mut entries: Vec<_> = std::fs::read_dir(pki_dir().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("der" | "crl")))
            .collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            out.push((format!("{dir}/{name}"), std::fs::read(&p).unwrap()));
        }
    }
    assert!(out.len() > 20);
    out
}

/// Parses `data` as every kind; returns whether any parse succeeded.
fn parse_all(data: &[u8]) -> bool {
    let a = Certificate::from_der(data).is_ok();
    let b = Crl::from_der(data).is_ok();
    let c = OcspResponse::from_der(data).is_ok();
    let _ = Certificate::from_pem(data);
    let _ = Crl::from_pem(data);
    a || b || c
}

#[test]
fn every_truncation_is_an_error() {
    for (name, der) in der_files() {
        for len in 0..der.len() {
            assert!(!parse_all(&der[..len]), "{name} truncated to {len} parsed");
        }
        // Trailing data is refused too.
        let mut longer = der.clone();
        longer.push(0);
        assert!(!parse_all(&longer), "{name} with a trailing byte parsed");
    }
}

#[test]
fn bit_flips_never_panic() {
    let store = store();
    let untrusted = chain("chain-ca1.pem");
    let revoked = cert("signers/revoked");
    let mut validated = 0;
    for (name, der) in der_files() {
        for i in 0..der.len() {
            let mut d = der.clone();
            d[i] ^= 1 << (i % 8);
            let revocation_data = name.starts_with("crl/") || name.ends_with(".resp.der");
            // Whatever parses must also survive a validation.
            if revocation_data || name.ends_with(".req.der") {
                // not a certificate
            } else if let Ok(c) = Certificate::from_der(&d) {
                let _ = (
                    c.subject(),
                    c.issuer(),
                    c.identity(),
                    c.serial_decimal(),
                    c.public_key().describe(),
                );
                if i % 11 == 0 {
                    let v = store.validate(
                        &Policy::default(),
                        &ValidationInput {
                            untrusted: &untrusted,
                            ..ValidationInput::new(&c, now())
                        },
                    );
                    let _ = (v.status.to_string(), v.status.vi());
                    validated += 1;
                }
            }
            if revocation_data {
                let crls: Vec<Crl> = Crl::from_der(&d).into_iter().collect();
                let ocsp: Vec<OcspResponse> = OcspResponse::from_der(&d).into_iter().collect();
                if (!crls.is_empty() || !ocsp.is_empty()) && i % 5 == 0 {
                    let v = store.validate(
                        &Policy::default(),
                        &ValidationInput {
                            untrusted: &untrusted,
                            crls: &crls,
                            ocsp: &ocsp,
                            ..ValidationInput::new(&revoked, now())
                        },
                    );
                    // A flipped bit can make the data unusable (unknown), never
                    // make `revoked` good.
                    assert!(
                        !matches!(v.revocation, hoso_pki::RevocationStatus::Good { .. }),
                        "{name} flipped at {i}: {}",
                        v.revocation
                    );
                }
            }
        }
    }
    assert!(validated > 50, "{validated}");
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x004e_6775_79e1_bb85);
    for round in 0..20_000 {
        let len = (rng.next() % 300) as usize;
        let mut data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Often start like a SEQUENCE so the decoders go deeper.
        if round % 2 == 0 && !data.is_empty() {
            data[0] = 0x30;
            if data.len() > 1 {
                data[1] = (len.saturating_sub(2)).min(127) as u8;
            }
        }
        parse_all(&data);
    }
}

#[test]
fn spliced_certificates_never_panic() {
    // Halves of real certificates glued together: well-formed prefixes with
    // wrong insides.
    let files = der_files();
    let mut rng = Rng(7);
    for _ in 0..5_000 {
        let (_, a) = &files[(rng.next() % files.len() as u64) as usize];
        let (_, b) = &files[(rng.next() % files.len() as u64) as usize];
        let cut_a = (rng.next() % a.len() as u64) as usize;
        let cut_b = (rng.next() % b.len() as u64) as usize;
        let mut d = a[..cut_a].to_vec();
        d.extend_from_slice(&b[cut_b..]);
        parse_all(&d);
    }
}

#[test]
fn hostile_pem() {
    for pem in [
        &b""[..],
        b"-----BEGIN CERTIFICATE-----",
        b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----",
        b"-----BEGIN CERTIFICATE-----\n====\n-----END CERTIFICATE-----",
        b"-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----",
        b"-----BEGIN CERTIFICATE-----\n\xff\xfe\n-----END CERTIFICATE-----",
        b"-----BEGIN -----BEGIN CERTIFICATE-----",
        b"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----",
    ] {
        assert!(
            Certificate::from_pem(pem).is_err(),
            "{:?}",
            String::from_utf8_lossy(pem)
        );
        assert!(Crl::from_pem(pem).is_err());
    }
    // A valid block after garbage still parses; a broken one after a good
    // one fails the whole input.
    let good = read("signers/person-cccd.pem");
    let mut text = b"garbage\n-----BEGIN NOTHING-----\nAA==\n-----END NOTHING-----\n".to_vec();
    text.extend_from_slice(&good);
    assert_eq!(Certificate::from_pem(&text).unwrap().len(), 1);
    text.extend_from_slice(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assert!(Certificate::from_pem(&text).is_err());
}

#[test]
fn hostile_times() {
    let mut rng = Rng(99);
    let alphabet = b"0123456789-:TZ+.tz ";
    for _ in 0..50_000 {
        let len = (rng.next() % 40) as usize;
        let s: String = (0..len)
            .map(|_| char::from(alphabet[(rng.next() % alphabet.len() as u64) as usize]))
            .collect();
        let _ = Timestamp::parse_rfc3339(&s);
        let _ = Timestamp::parse_with_default_offset(&s, 420);
    }
    for s in [
        "999999999-12-31T23:59:59Z",
        "0000-01-01T00:00:00Z",
        &"9".repeat(10_000),
    ] {
        let _ = Timestamp::parse_rfc3339(s);
    }
    assert!(Timestamp::parse_with_default_offset("2025-01-01T00:00:00", 24 * 60).is_err());
    for secs in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX] {
        let _ = Timestamp::from_unix(secs).to_string();
    }
}

#[test]
fn many_same_name_candidates_are_bounded() {
    // 300 certificates with CA 1's name and distinct (broken) signatures:
    // the search gives up after a bounded number of tries.
    let ca1 = read("ca/ca1.der");
    let mut fakes = Vec::new();
    for i in 0..300usize {
        let mut d = ca1.clone();
        let at = d.len() - 1 - (i % 200);
        d[at] = d[at].wrapping_add(1 + (i / 200) as u8);
        if let Ok(c) = Certificate::from_der(&d) {
            fakes.push(c);
        }
    }
    assert!(fakes.len() >= 200);
    let s = store();
    let signer = cert("signers/person-cccd");
    let v = s.validate(
        &Policy::default(),
        &ValidationInput {
            untrusted: &fakes,
            ..ValidationInput::new(&signer, now())
        },
    );
    // Every fake has CA 1's key, so each verifies the signer and then fails
    // against the root: at most 64 candidates are tried in all.
    assert!(!v.is_trusted());
    assert!(
        s.signature_checks() <= 64 + 1,
        "{} checks",
        s.signature_checks()
    );

    let empty = TrustStore::new();
    let v = empty.validate(
        &Policy::default(),
        &ValidationInput {
            untrusted: &fakes,
            ..ValidationInput::new(&signer, now())
        },
    );
    assert!(!v.is_trusted());
}

#[test]
fn algorithm_substitution_is_refused() {
    // RFC 5280 §4.1.1.2: the outer signatureAlgorithm must equal the one in
    // TBSCertificate. Change the outer one (the last sha256WithRSAEncryption
    // OID) to sha384WithRSAEncryption.
    let mut der = read("signers/person-cccd.der");
    let oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
    let at = der.windows(oid.len()).rposition(|w| w == oid).unwrap();
    der[at + oid.len() - 1] = 0x0c;
    let err = Certificate::from_der(&der).unwrap_err();
    assert!(
        err.to_string().contains("differs from the outer one"),
        "{err}"
    );
}
