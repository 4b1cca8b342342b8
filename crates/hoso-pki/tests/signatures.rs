//! Signature verification for every scheme: OpenSSL-made signatures
//! (tests/fixtures/make-fixtures.sh) as the independent oracle, ring-made
//! signatures for round trips, and the refusals.

mod common;

use common::*;
use hoso_pki::{EcdsaEncoding, PkiError, PublicKey, SignatureScheme, verify_signature};
use ring::rand::SystemRandom;
use ring::signature::{self as rs, KeyPair};

use EcdsaEncoding::{Asn1, Fixed};
use SignatureScheme::*;

fn message() -> Vec<u8> {
    fixture("sig/message.txt")
}

fn key(stem: &str) -> PublicKey {
    cert(stem).public_key().clone()
}

fn pkcs8(rel: &str) -> Vec<u8> {
    let pem = String::from_utf8(read(rel)).unwrap();
    let (label, der) = der::pem::decode_vec(pem.as_bytes()).unwrap();
    assert_eq!(label, "PRIVATE KEY");
    der
}

/// DER ECDSA-Sig-Value → r || s, each `n` bytes (what XML-DSig and JWS use).
fn der_to_fixed(sig: &[u8], n: usize) -> Vec<u8> {
    assert_eq!(sig[0], 0x30);
    let mut rest = &sig[2..];
    if sig[1] & 0x80 != 0 {
        rest = &sig[2 + usize::from(sig[1] & 0x7f)..];
    }
    let mut out = Vec::new();
    for _ in 0..2 {
        assert_eq!(rest[0], 0x02);
        let len = usize::from(rest[1]);
        let int = &rest[2..2 + len];
        let int = &int[int.len().saturating_sub(n)..];
        out.extend(std::iter::repeat_n(0, n - int.len()));
        out.extend_from_slice(int);
        rest = &rest[2 + len..];
    }
    out
}

struct Case {
    file: &'static str,
    key: &'static str,
    scheme: SignatureScheme,
    /// Accepted without the weak opt-in.
    strong: bool,
}

const CASES: &[Case] = &[
    Case {
        file: "rsa-pkcs1-sha1",
        key: "signers/person-cccd",
        scheme: RsaPkcs1Sha1,
        strong: false,
    },
    Case {
        file: "rsa-pkcs1-sha256",
        key: "signers/person-cccd",
        scheme: RsaPkcs1Sha256,
        strong: true,
    },
    Case {
        file: "rsa-pkcs1-sha384",
        key: "signers/person-cccd",
        scheme: RsaPkcs1Sha384,
        strong: true,
    },
    Case {
        file: "rsa-pkcs1-sha512",
        key: "signers/person-cccd",
        scheme: RsaPkcs1Sha512,
        strong: true,
    },
    Case {
        file: "rsa-pss-sha256",
        key: "signers/person-cccd",
        scheme: RsaPssSha256,
        strong: true,
    },
    Case {
        file: "rsa-pss-sha384",
        key: "signers/person-cccd",
        scheme: RsaPssSha384,
        strong: true,
    },
    Case {
        file: "rsa-pss-sha512",
        key: "signers/person-cccd",
        scheme: RsaPssSha512,
        strong: true,
    },
    Case {
        file: "rsa1024-pkcs1-sha256",
        key: "signers/rsa1024",
        scheme: RsaPkcs1Sha256,
        strong: false,
    },
    Case {
        file: "rsa1024-pkcs1-sha1",
        key: "signers/rsa1024",
        scheme: RsaPkcs1Sha1,
        strong: false,
    },
    Case {
        file: "ecdsa-p256-sha256.der",
        key: "signers/person-cmnd",
        scheme: EcdsaP256Sha256,
        strong: true,
    },
    Case {
        file: "ecdsa-p384-sha384.der",
        key: "ca/ca2",
        scheme: EcdsaP384Sha384,
        strong: true,
    },
    Case {
        file: "ed25519",
        key: "signers/ed25519",
        scheme: Ed25519,
        strong: true,
    },
];

#[test]
fn openssl_signatures_verify() {
    let msg = message();
    for c in CASES {
        let sig = fixture(&format!("sig/{}.sig", c.file));
        let k = key(c.key);
        verify_signature(&k, c.scheme, Asn1, &msg, &sig, true)
            .unwrap_or_else(|e| panic!("{}: {e}", c.file));
        let strict = verify_signature(&k, c.scheme, Asn1, &msg, &sig, false);
        if c.strong {
            strict.unwrap_or_else(|e| panic!("{}: {e}", c.file));
        } else {
            assert!(
                matches!(
                    strict,
                    Err(PkiError::WeakAlgorithm { .. } | PkiError::WeakKey { .. })
                ),
                "{}: {strict:?}",
                c.file
            );
        }
    }
}

#[test]
fn weak_refusals_name_their_rule() {
    let msg = message();
    let sha1 = fixture("sig/rsa-pkcs1-sha1.sig");
    match verify_signature(
        &key("signers/person-cccd"),
        RsaPkcs1Sha1,
        Asn1,
        &msg,
        &sha1,
        false,
    ) {
        Err(PkiError::WeakAlgorithm { algorithm }) => assert_eq!(algorithm, "RSA-PKCS1-SHA1"),
        other => panic!("{other:?}"),
    }
    let small = fixture("sig/rsa1024-pkcs1-sha256.sig");
    match verify_signature(
        &key("signers/rsa1024"),
        RsaPkcs1Sha256,
        Asn1,
        &msg,
        &small,
        false,
    ) {
        Err(e @ PkiError::WeakKey { .. }) => {
            assert_eq!(
                e.to_string(),
                "weak key refused: RSA-1024 is below the minimum of 2048 bits"
            )
        }
        other => panic!("{other:?}"),
    }
    assert!(RsaPkcs1Sha1.is_weak());
    assert!(!RsaPkcs1Sha256.is_weak() && !Ed25519.is_weak());
}

#[test]
fn ecdsa_fixed_encoding() {
    let msg = message();
    for (file, k, scheme, n) in [
        (
            "ecdsa-p256-sha256.der",
            "signers/person-cmnd",
            EcdsaP256Sha256,
            32,
        ),
        ("ecdsa-p384-sha384.der", "ca/ca2", EcdsaP384Sha384, 48),
    ] {
        let der_sig = fixture(&format!("sig/{file}.sig"));
        let fixed = der_to_fixed(&der_sig, n);
        assert_eq!(fixed.len(), 2 * n);
        verify_signature(&key(k), scheme, Fixed, &msg, &fixed, false).unwrap();
        // Each encoding is refused where the other is expected.
        assert!(verify_signature(&key(k), scheme, Asn1, &msg, &fixed, false).is_err());
        assert!(verify_signature(&key(k), scheme, Fixed, &msg, &der_sig, false).is_err());
    }
}

#[test]
fn bad_signatures_are_rejected() {
    let mut changed = message();
    changed[0] ^= 0x20;
    for c in CASES {
        let sig = fixture(&format!("sig/{}.sig", c.file));
        let k = key(c.key);
        let r = verify_signature(&k, c.scheme, Asn1, &changed, &sig, true);
        assert!(
            matches!(r, Err(PkiError::BadSignature)),
            "{}: {r:?}",
            c.file
        );
        let mut flipped = sig.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 1;
        assert!(
            verify_signature(&k, c.scheme, Asn1, &message(), &flipped, true).is_err(),
            "{}",
            c.file
        );
        assert!(
            verify_signature(&k, c.scheme, Asn1, &message(), &sig[..sig.len() - 1], true).is_err()
        );
        assert!(verify_signature(&k, c.scheme, Asn1, &message(), &[], true).is_err());
    }
    // Another key of the same type.
    let sig = fixture("sig/rsa-pkcs1-sha256.sig");
    let r = verify_signature(
        &key("signers/person-multi"),
        RsaPkcs1Sha256,
        Asn1,
        &message(),
        &sig,
        false,
    );
    assert!(matches!(r, Err(PkiError::BadSignature)));
    // PSS verified as PKCS#1 and vice versa.
    let pss = fixture("sig/rsa-pss-sha256.sig");
    assert!(
        verify_signature(
            &key("signers/person-cccd"),
            RsaPkcs1Sha256,
            Asn1,
            &message(),
            &pss,
            false
        )
        .is_err()
    );
    assert!(
        verify_signature(
            &key("signers/person-cccd"),
            RsaPssSha256,
            Asn1,
            &message(),
            &sig,
            false
        )
        .is_err()
    );
    // The right signature with the wrong hash.
    assert!(
        verify_signature(
            &key("signers/person-cccd"),
            RsaPkcs1Sha384,
            Asn1,
            &message(),
            &sig,
            false
        )
        .is_err()
    );
}

#[test]
fn keys_and_schemes_must_match() {
    let msg = message();
    let sig = fixture("sig/ecdsa-p256-sha256.der.sig");
    for (k, scheme) in [
        ("signers/person-cmnd", RsaPkcs1Sha256),
        ("signers/person-cmnd", EcdsaP384Sha384),
        ("signers/person-cmnd", Ed25519),
        ("signers/person-cccd", EcdsaP256Sha256),
        ("signers/ed25519", RsaPssSha256),
    ] {
        let r = verify_signature(&key(k), scheme, Asn1, &msg, &sig, true);
        assert!(
            matches!(r, Err(PkiError::KeyMismatch { .. })),
            "{k} {scheme}: {r:?}"
        );
    }
    let unsupported = PublicKey::Unsupported {
        algorithm: "DSA".into(),
    };
    let r = verify_signature(&unsupported, RsaPkcs1Sha256, Asn1, &msg, &sig, true);
    assert!(matches!(r, Err(PkiError::Unsupported(_))), "{r:?}");
}

#[test]
fn ring_signatures_round_trip() {
    let rng = SystemRandom::new();
    let msg = b"Don de nghi cap giay phep (TEST)";

    // person-cccd.key.der is the same key as the PEM, in PKCS#8 DER.
    let rsa = rs::RsaKeyPair::from_pkcs8(&pkcs8("signers/person-cccd.key.pem")).unwrap();
    assert_eq!(
        read("signers/person-cccd.key.der"),
        pkcs8("signers/person-cccd.key.pem")
    );
    let rsa_key = key("signers/person-cccd");
    for (enc, scheme) in [
        (
            &rs::RSA_PKCS1_SHA256 as &'static dyn rs::RsaEncoding,
            RsaPkcs1Sha256,
        ),
        (&rs::RSA_PKCS1_SHA384, RsaPkcs1Sha384),
        (&rs::RSA_PKCS1_SHA512, RsaPkcs1Sha512),
        (&rs::RSA_PSS_SHA256, RsaPssSha256),
        (&rs::RSA_PSS_SHA384, RsaPssSha384),
        (&rs::RSA_PSS_SHA512, RsaPssSha512),
    ] {
        let mut sig = vec![0; rsa.public().modulus_len()];
        rsa.sign(enc, &rng, msg, &mut sig).unwrap();
        verify_signature(&rsa_key, scheme, Asn1, msg, &sig, false)
            .unwrap_or_else(|e| panic!("{scheme}: {e}"));
    }

    for (alg, scheme, enc, pkcs8_file, cert_stem) in [
        (
            &rs::ECDSA_P256_SHA256_FIXED_SIGNING,
            EcdsaP256Sha256,
            Fixed,
            "signers/person-cmnd.key.pem",
            "signers/person-cmnd",
        ),
        (
            &rs::ECDSA_P256_SHA256_ASN1_SIGNING,
            EcdsaP256Sha256,
            Asn1,
            "signers/person-cmnd.key.pem",
            "signers/person-cmnd",
        ),
        (
            &rs::ECDSA_P384_SHA384_FIXED_SIGNING,
            EcdsaP384Sha384,
            Fixed,
            "ca/ca2.key.pem",
            "ca/ca2",
        ),
        (
            &rs::ECDSA_P384_SHA384_ASN1_SIGNING,
            EcdsaP384Sha384,
            Asn1,
            "ca/ca2.key.pem",
            "ca/ca2",
        ),
    ] {
        let pair = rs::EcdsaKeyPair::from_pkcs8(alg, &pkcs8(pkcs8_file), &rng).unwrap();
        let sig = pair.sign(&rng, msg).unwrap();
        let k = key(cert_stem);
        verify_signature(&k, scheme, enc, msg, sig.as_ref(), false)
            .unwrap_or_else(|e| panic!("{scheme}: {e}"));
        // The same point as a bare key (XML-DSig ECKeyValue, JWK).
        let bare = match scheme {
            EcdsaP256Sha256 => PublicKey::ec_p256_from_point(pair.public_key().as_ref()).unwrap(),
            _ => PublicKey::ec_p384_from_point(pair.public_key().as_ref()).unwrap(),
        };
        assert_eq!(bare, k);
    }

    let ed =
        rs::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&pkcs8("signers/ed25519.key.pem")).unwrap();
    let sig = ed.sign(msg);
    verify_signature(
        &key("signers/ed25519"),
        Ed25519,
        Fixed,
        msg,
        sig.as_ref(),
        false,
    )
    .unwrap();
    assert_eq!(
        PublicKey::ed25519_from_bytes(ed.public_key().as_ref()).unwrap(),
        key("signers/ed25519")
    );
}

#[test]
fn rsa_key_from_components() {
    // XML-DSig RSAKeyValue carries modulus and exponent: the same key.
    let k = key("signers/person-cccd");
    let PublicKey::Rsa { bits, key: bytes } = &k else {
        panic!()
    };
    assert_eq!(*bits, 2048);
    let pkcs1 = bytes.as_bytes();
    // SEQUENCE (82 01 0a) { INTEGER (82 01 01) 00 n..., INTEGER 01 00 01 }
    let n = &pkcs1[9..9 + 256];
    let rebuilt = PublicKey::rsa_from_components(n, &[1, 0, 1]).unwrap();
    assert_eq!(rebuilt, k);
    // Leading zeros in the input do not change the key.
    let mut padded = vec![0, 0];
    padded.extend_from_slice(n);
    assert_eq!(
        PublicKey::rsa_from_components(&padded, &[0, 1, 0, 1]).unwrap(),
        k
    );
    verify_signature(
        &rebuilt,
        RsaPkcs1Sha256,
        Asn1,
        &message(),
        &fixture("sig/rsa-pkcs1-sha256.sig"),
        false,
    )
    .unwrap();
    assert!(PublicKey::rsa_from_components(&[], &[1]).is_err());
    assert!(PublicKey::ec_p256_from_point(&[4; 64]).is_err());
    assert!(PublicKey::ed25519_from_bytes(&[0; 31]).is_err());
    // The SPKI of a certificate parses to the same key.
    let spki = {
        let c = cert("signers/person-cmnd");
        // The SPKI is the TBS field after the subject; find it by its OID.
        let der = c.der().to_vec();
        let at = der
            .windows(9)
            .position(|w| w == [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01])
            .unwrap();
        // SEQUENCE { SEQUENCE { OID, OID }, BIT STRING }: back up over the
        // two SEQUENCE headers (2 bytes each for this short key).
        der[at - 4..at - 4 + 2 + usize::from(der[at - 3])].to_vec()
    };
    assert_eq!(
        PublicKey::from_spki_der(&spki).unwrap(),
        key("signers/person-cmnd")
    );
}

#[test]
fn scheme_names() {
    let names: Vec<&str> = CASES.iter().map(|c| c.scheme.name()).collect();
    assert!(names.contains(&"RSA-PSS-SHA384"));
    assert_eq!(EcdsaP256Sha256.to_string(), "ECDSA-P256-SHA256");
}
