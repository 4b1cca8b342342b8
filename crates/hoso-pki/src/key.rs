//! Public keys, signature schemes and signature verification (via `ring`).

use std::fmt;
use std::sync::Arc;

use der::Decode;
use der::asn1::ObjectIdentifier;
use ring::signature as rs;
use x509_cert::spki::SubjectPublicKeyInfoRef;

use crate::PkiError;
use crate::asn1::{self, INTEGER, SEQUENCE};

/// Minimum RSA modulus size accepted without the weak opt-in
/// (Circular 15/2025/TT-BKHCN, Annex I).
pub const MIN_RSA_BITS: usize = 2048;

/// Key bytes inside a [`PublicKey`]: cheap to clone, compared by value.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct KeyBytes(Arc<[u8]>);

impl KeyBytes {
    /// The encoded key: PKCS#1 `RSAPublicKey` DER for RSA, the uncompressed
    /// SEC1 point (`04 || x || y`) for ECDSA, the 32 raw bytes for Ed25519.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for KeyBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyBytes({} bytes)", self.0.len())
    }
}

/// A public key of a certificate or of a bare key in a signed document.
///
/// ```
/// let der = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../certs/test/signers/person-cmnd.der"));
/// let cert = hoso_pki::Certificate::from_der(der)?;
/// assert_eq!(cert.public_key().describe(), "ECDSA P-256");
/// assert!(matches!(cert.public_key(), hoso_pki::PublicKey::EcP256 { .. }));
/// # Ok::<(), hoso_pki::PkiError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PublicKey {
    /// RSA (rsaEncryption, or an RSASSA-PSS key).
    Rsa {
        /// Modulus size in bits.
        bits: usize,
        /// PKCS#1 `RSAPublicKey` DER.
        key: KeyBytes,
    },
    /// ECDSA on NIST P-256 (secp256r1).
    EcP256 {
        /// Uncompressed SEC1 point.
        point: KeyBytes,
    },
    /// ECDSA on NIST P-384 (secp384r1).
    EcP384 {
        /// Uncompressed SEC1 point.
        point: KeyBytes,
    },
    /// Ed25519.
    Ed25519 {
        /// The 32-byte public key.
        key: KeyBytes,
    },
    /// Any other key: it can be shown, never used to verify.
    Unsupported {
        /// What it is, e.g. "ECDSA secp256k1 (1.3.132.0.10)" or a dotted OID.
        algorithm: String,
    },
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_RSA_PSS: &str = "1.2.840.113549.1.1.10";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";
const OID_ED25519: &str = "1.3.101.112";

impl PublicKey {
    /// Reads a DER `SubjectPublicKeyInfo`.  A well-formed SPKI of an
    /// algorithm hoso-pki cannot verify with is `Ok(Unsupported)`.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, PkiError> {
        let spki = SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| PkiError::malformed("public key", e))?;
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| PkiError::malformed("public key", "BIT STRING with unused bits"))?;
        let oid = spki.algorithm.oid.to_string();
        let params_oid = spki
            .algorithm
            .parameters
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
            .map(|o| o.to_string());
        Ok(match oid.as_str() {
            OID_RSA | OID_RSA_PSS => Self::rsa_from_pkcs1(bits)?,
            OID_EC => match params_oid.as_deref() {
                Some(OID_P256) => Self::ec_point(bits, 65, |point| PublicKey::EcP256 { point }),
                Some(OID_P384) => Self::ec_point(bits, 97, |point| PublicKey::EcP384 { point }),
                Some(other) => PublicKey::Unsupported {
                    algorithm: format!("ECDSA on curve {other}"),
                },
                None => PublicKey::Unsupported {
                    algorithm: "ECDSA with explicit or implicit curve parameters".into(),
                },
            },
            OID_ED25519 if bits.len() == 32 => PublicKey::Ed25519 {
                key: KeyBytes(bits.into()),
            },
            OID_ED25519 => {
                return Err(PkiError::malformed(
                    "public key",
                    "Ed25519 key is not 32 bytes",
                ));
            }
            other => PublicKey::Unsupported {
                algorithm: match other {
                    "1.2.840.10040.4.1" => "DSA".to_string(),
                    "1.3.101.113" => "Ed448".to_string(),
                    "1.2.643.7.1.1.1.1" | "1.2.643.7.1.1.1.2" => {
                        format!("GOST R 34.10-2012 ({other})")
                    }
                    _ => other.to_string(),
                },
            },
        })
    }

    /// An RSA key from a PKCS#1 `RSAPublicKey` DER.
    pub fn rsa_from_pkcs1(der: &[u8]) -> Result<Self, PkiError> {
        let bad = |d: &str| PkiError::malformed("RSA public key", d);
        let (seq, rest) = asn1::expect(der, SEQUENCE).map_err(bad)?;
        if !rest.is_empty() {
            return Err(bad("data after RSAPublicKey"));
        }
        let (n, rest) = asn1::expect(seq.content, INTEGER).map_err(bad)?;
        let (e, rest) = asn1::expect(rest, INTEGER).map_err(bad)?;
        if !rest.is_empty() {
            return Err(bad("extra fields in RSAPublicKey"));
        }
        let n = asn1::trim_integer(n.content);
        if n.first().is_none_or(|&b| b & 0x80 != 0)
            || e.content.first().is_none_or(|&b| b & 0x80 != 0)
        {
            return Err(bad("negative or empty modulus or exponent"));
        }
        let n = if n[0] == 0 { &n[1..] } else { n };
        let bits = match n.first() {
            Some(&top) => n.len() * 8 - top.leading_zeros() as usize,
            None => 0,
        };
        Ok(PublicKey::Rsa {
            bits,
            key: KeyBytes(der.into()),
        })
    }

    /// An RSA key from its big-endian modulus and public exponent, as XML-DSig
    /// `RSAKeyValue` and JWK carry them.
    pub fn rsa_from_components(modulus: &[u8], exponent: &[u8]) -> Result<Self, PkiError> {
        let strip = |b: &[u8]| -> Vec<u8> {
            let start = b.iter().position(|&x| x != 0).unwrap_or(b.len());
            let mut v = b[start..].to_vec();
            if v.first().is_some_and(|&x| x & 0x80 != 0) {
                v.insert(0, 0);
            }
            v
        };
        let (n, e) = (strip(modulus), strip(exponent));
        if n.is_empty() || e.is_empty() {
            return Err(PkiError::malformed(
                "RSA public key",
                "empty modulus or exponent",
            ));
        }
        let mut content = Vec::with_capacity(n.len() + e.len() + 12);
        asn1::encode_tlv(INTEGER, &n, &mut content);
        asn1::encode_tlv(INTEGER, &e, &mut content);
        let mut der = Vec::with_capacity(content.len() + 6);
        asn1::encode_tlv(SEQUENCE, &content, &mut der);
        Self::rsa_from_pkcs1(&der)
    }

    /// An ECDSA P-256 key from an uncompressed SEC1 point (65 bytes).
    pub fn ec_p256_from_point(point: &[u8]) -> Result<Self, PkiError> {
        match Self::ec_point(point, 65, |point| PublicKey::EcP256 { point }) {
            k @ PublicKey::EcP256 { .. } => Ok(k),
            _ => Err(PkiError::malformed(
                "public key",
                "not an uncompressed P-256 point",
            )),
        }
    }

    /// An ECDSA P-384 key from an uncompressed SEC1 point (97 bytes).
    pub fn ec_p384_from_point(point: &[u8]) -> Result<Self, PkiError> {
        match Self::ec_point(point, 97, |point| PublicKey::EcP384 { point }) {
            k @ PublicKey::EcP384 { .. } => Ok(k),
            _ => Err(PkiError::malformed(
                "public key",
                "not an uncompressed P-384 point",
            )),
        }
    }

    /// An Ed25519 key from its 32 bytes.
    pub fn ed25519_from_bytes(key: &[u8]) -> Result<Self, PkiError> {
        if key.len() != 32 {
            return Err(PkiError::malformed(
                "public key",
                "Ed25519 key is not 32 bytes",
            ));
        }
        Ok(PublicKey::Ed25519 {
            key: KeyBytes(key.into()),
        })
    }

    /// ring verifies uncompressed points only; a compressed point (rare in
    /// certificates) is shown but not used.
    fn ec_point(point: &[u8], len: usize, make: impl FnOnce(KeyBytes) -> PublicKey) -> PublicKey {
        if point.len() == len && point[0] == 4 {
            make(KeyBytes(point.into()))
        } else {
            PublicKey::Unsupported {
                algorithm: format!(
                    "ECDSA P-{} with a compressed or malformed point",
                    (len - 1) * 4
                ),
            }
        }
    }

    /// A short human description: "RSA-2048", "ECDSA P-256", "ECDSA P-384",
    /// "Ed25519", or "unsupported (…)".
    pub fn describe(&self) -> String {
        match self {
            PublicKey::Rsa { bits, .. } => format!("RSA-{bits}"),
            PublicKey::EcP256 { .. } => "ECDSA P-256".into(),
            PublicKey::EcP384 { .. } => "ECDSA P-384".into(),
            PublicKey::Ed25519 { .. } => "Ed25519".into(),
            PublicKey::Unsupported { algorithm } => format!("unsupported ({algorithm})"),
        }
    }
}

/// Signature schemes, as used both in X.509 and by XML-DSig/JWS callers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureScheme {
    /// RSASSA-PKCS1-v1_5 with SHA-1 (weak).
    RsaPkcs1Sha1,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RsaPkcs1Sha256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RsaPkcs1Sha384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RsaPkcs1Sha512,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, salt of 32 bytes.
    RsaPssSha256,
    /// RSASSA-PSS with SHA-384, MGF1-SHA-384, salt of 48 bytes.
    RsaPssSha384,
    /// RSASSA-PSS with SHA-512, MGF1-SHA-512, salt of 64 bytes.
    RsaPssSha512,
    /// ECDSA on P-256 with SHA-256.
    EcdsaP256Sha256,
    /// ECDSA on P-384 with SHA-384.
    EcdsaP384Sha384,
    /// ECDSA on P-256 with SHA-384 (XML-DSig's ecdsa-sha384 names the hash,
    /// not the curve; JWS has no such algorithm).
    EcdsaP256Sha384,
    /// ECDSA on P-384 with SHA-256 (XML-DSig's ecdsa-sha256 on a P-384 key).
    EcdsaP384Sha256,
    /// Ed25519 (PureEdDSA).
    Ed25519,
}

/// How an ECDSA signature value is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EcdsaEncoding {
    /// DER `ECDSA-Sig-Value` (X.509, CMS).
    Asn1,
    /// Raw `r || s`, each the size of the curve order (XML-DSig, JWS).
    Fixed,
}

impl SignatureScheme {
    /// SHA-1 schemes: refused unless the weak opt-in is given.
    pub fn is_weak(self) -> bool {
        matches!(self, SignatureScheme::RsaPkcs1Sha1)
    }

    /// A stable short name, e.g. "RSA-PKCS1-SHA256", "ECDSA-P256-SHA256".
    pub fn name(self) -> &'static str {
        match self {
            SignatureScheme::RsaPkcs1Sha1 => "RSA-PKCS1-SHA1",
            SignatureScheme::RsaPkcs1Sha256 => "RSA-PKCS1-SHA256",
            SignatureScheme::RsaPkcs1Sha384 => "RSA-PKCS1-SHA384",
            SignatureScheme::RsaPkcs1Sha512 => "RSA-PKCS1-SHA512",
            SignatureScheme::RsaPssSha256 => "RSA-PSS-SHA256",
            SignatureScheme::RsaPssSha384 => "RSA-PSS-SHA384",
            SignatureScheme::RsaPssSha512 => "RSA-PSS-SHA512",
            SignatureScheme::EcdsaP256Sha256 => "ECDSA-P256-SHA256",
            SignatureScheme::EcdsaP384Sha384 => "ECDSA-P384-SHA384",
            SignatureScheme::EcdsaP256Sha384 => "ECDSA-P256-SHA384",
            SignatureScheme::EcdsaP384Sha256 => "ECDSA-P384-SHA256",
            SignatureScheme::Ed25519 => "Ed25519",
        }
    }

    fn sig_alg(self) -> SigAlg {
        match self {
            SignatureScheme::RsaPkcs1Sha1 => SigAlg::RsaPkcs1(Hash::Sha1),
            SignatureScheme::RsaPkcs1Sha256 => SigAlg::RsaPkcs1(Hash::Sha256),
            SignatureScheme::RsaPkcs1Sha384 => SigAlg::RsaPkcs1(Hash::Sha384),
            SignatureScheme::RsaPkcs1Sha512 => SigAlg::RsaPkcs1(Hash::Sha512),
            SignatureScheme::RsaPssSha256 => SigAlg::RsaPss(Hash::Sha256),
            SignatureScheme::RsaPssSha384 => SigAlg::RsaPss(Hash::Sha384),
            SignatureScheme::RsaPssSha512 => SigAlg::RsaPss(Hash::Sha512),
            SignatureScheme::EcdsaP256Sha256
            | SignatureScheme::EcdsaP384Sha384
            | SignatureScheme::EcdsaP256Sha384
            | SignatureScheme::EcdsaP384Sha256 => SigAlg::Ecdsa(self.ecdsa_hash()),
            SignatureScheme::Ed25519 => SigAlg::Ed25519,
        }
    }

    fn ecdsa_hash(self) -> Hash {
        match self {
            SignatureScheme::EcdsaP384Sha384 | SignatureScheme::EcdsaP256Sha384 => Hash::Sha384,
            _ => Hash::Sha256,
        }
    }

    /// The ECDSA scheme with this scheme's hash on the curve of `key`: for
    /// identifiers (XML-DSig's) that name the hash but not the curve.  Other
    /// schemes and keys are returned unchanged.
    pub fn for_key_curve(self, key: &PublicKey) -> SignatureScheme {
        let sha384 = match self {
            SignatureScheme::EcdsaP256Sha256 | SignatureScheme::EcdsaP384Sha256 => false,
            SignatureScheme::EcdsaP384Sha384 | SignatureScheme::EcdsaP256Sha384 => true,
            other => return other,
        };
        match (key, sha384) {
            (PublicKey::EcP256 { .. }, false) => SignatureScheme::EcdsaP256Sha256,
            (PublicKey::EcP256 { .. }, true) => SignatureScheme::EcdsaP256Sha384,
            (PublicKey::EcP384 { .. }, false) => SignatureScheme::EcdsaP384Sha256,
            (PublicKey::EcP384 { .. }, true) => SignatureScheme::EcdsaP384Sha384,
            _ => self,
        }
    }
}

impl fmt::Display for SignatureScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Verifies `signature` over `message` with `key` (via the `ring` crate).
///
/// RSA keys under 2048 bits are accepted only when `allow_weak`; SHA-1
/// schemes only when `allow_weak`.  The error names the rule that refused:
/// [`PkiError::WeakAlgorithm`], [`PkiError::WeakKey`],
/// [`PkiError::KeyMismatch`], [`PkiError::Unsupported`] or
/// [`PkiError::BadSignature`].  `ecdsa` is ignored for non-ECDSA schemes.
///
/// ```
/// use hoso_pki::{verify_signature, EcdsaEncoding, PkiError, PublicKey, SignatureScheme};
/// use ring::signature::{Ed25519KeyPair, KeyPair};
///
/// let pair = Ed25519KeyPair::from_seed_unchecked(&[7; 32]).unwrap();
/// let key = PublicKey::ed25519_from_bytes(pair.public_key().as_ref())?;
/// let sig = pair.sign(b"to khai");
/// verify_signature(&key, SignatureScheme::Ed25519, EcdsaEncoding::Fixed, b"to khai", sig.as_ref(), false)?;
/// let err = verify_signature(&key, SignatureScheme::Ed25519, EcdsaEncoding::Fixed, b"changed", sig.as_ref(), false);
/// assert!(matches!(err, Err(PkiError::BadSignature)));
/// # Ok::<(), PkiError>(())
/// ```
pub fn verify_signature(
    key: &PublicKey,
    scheme: SignatureScheme,
    ecdsa: EcdsaEncoding,
    message: &[u8],
    signature: &[u8],
    allow_weak: bool,
) -> Result<(), PkiError> {
    if scheme.is_weak() && !allow_weak {
        return Err(PkiError::WeakAlgorithm {
            algorithm: scheme.name(),
        });
    }
    let compatible = matches!(
        (key, scheme),
        (
            PublicKey::Rsa { .. },
            SignatureScheme::RsaPkcs1Sha1
                | SignatureScheme::RsaPkcs1Sha256
                | SignatureScheme::RsaPkcs1Sha384
                | SignatureScheme::RsaPkcs1Sha512
                | SignatureScheme::RsaPssSha256
                | SignatureScheme::RsaPssSha384
                | SignatureScheme::RsaPssSha512
        ) | (
            PublicKey::EcP256 { .. },
            SignatureScheme::EcdsaP256Sha256 | SignatureScheme::EcdsaP256Sha384
        ) | (
            PublicKey::EcP384 { .. },
            SignatureScheme::EcdsaP384Sha384 | SignatureScheme::EcdsaP384Sha256
        ) | (PublicKey::Ed25519 { .. }, SignatureScheme::Ed25519)
            | (PublicKey::Unsupported { .. }, _)
    );
    if !compatible {
        return Err(PkiError::KeyMismatch {
            key: key.describe(),
            scheme: scheme.name(),
        });
    }
    if let PublicKey::Rsa { bits, .. } = key
        && *bits < MIN_RSA_BITS
        && !allow_weak
    {
        return Err(PkiError::WeakKey {
            key: key.describe(),
            min_bits: MIN_RSA_BITS,
        });
    }
    verify_raw(key, scheme.sig_alg(), ecdsa, message, signature)
}

/// [`verify_raw`] after the weak rules of [`verify_signature`].
pub(crate) fn verify_with_policy(
    key: &PublicKey,
    alg: &SigAlg,
    message: &[u8],
    signature: &[u8],
    allow_weak: bool,
) -> Result<(), PkiError> {
    if !allow_weak {
        if alg.is_weak() {
            return Err(PkiError::WeakAlgorithm {
                algorithm: match alg {
                    SigAlg::Ecdsa(_) => "ecdsa-with-SHA1",
                    _ => "sha1WithRSAEncryption",
                },
            });
        }
        if let PublicKey::Rsa { bits, .. } = key
            && *bits < MIN_RSA_BITS
        {
            return Err(PkiError::WeakKey {
                key: key.describe(),
                min_bits: MIN_RSA_BITS,
            });
        }
    }
    verify_raw(key, alg.clone(), EcdsaEncoding::Asn1, message, signature)
}

/// Hash functions of signature algorithms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub(crate) fn digest(self, data: &[u8]) -> Vec<u8> {
        let alg = match self {
            Hash::Sha1 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            Hash::Sha256 => &ring::digest::SHA256,
            Hash::Sha384 => &ring::digest::SHA384,
            Hash::Sha512 => &ring::digest::SHA512,
        };
        ring::digest::digest(alg, data).as_ref().to_vec()
    }

    pub(crate) fn from_oid(oid: &str) -> Option<Hash> {
        Some(match oid {
            "1.3.14.3.2.26" => Hash::Sha1,
            "2.16.840.1.101.3.4.2.1" => Hash::Sha256,
            "2.16.840.1.101.3.4.2.2" => Hash::Sha384,
            "2.16.840.1.101.3.4.2.3" => Hash::Sha512,
            _ => return None,
        })
    }
}

/// The signature algorithm of a certificate, CRL or OCSP response.  Wider
/// than [`SignatureScheme`]: X.509 pairs ECDSA hashes and curves freely.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum SigAlg {
    RsaPkcs1(Hash),
    RsaPss(Hash),
    Ecdsa(Hash),
    Ed25519,
    Unsupported(String),
}

impl SigAlg {
    /// Reads a DER `AlgorithmIdentifier` (whole TLV).
    pub(crate) fn from_algorithm_identifier(der: &[u8]) -> SigAlg {
        match parse_algorithm_identifier(der) {
            Ok(alg) => alg,
            Err(e) => SigAlg::Unsupported(format!("malformed algorithm identifier ({e})")),
        }
    }

    pub(crate) fn is_weak(&self) -> bool {
        matches!(
            self,
            SigAlg::RsaPkcs1(Hash::Sha1) | SigAlg::RsaPss(Hash::Sha1) | SigAlg::Ecdsa(Hash::Sha1)
        )
    }

    /// The conventional name ("sha256WithRSAEncryption", ...).
    pub(crate) fn name(&self) -> String {
        let h = |h: &Hash| match h {
            Hash::Sha1 => "sha1",
            Hash::Sha256 => "sha256",
            Hash::Sha384 => "sha384",
            Hash::Sha512 => "sha512",
        };
        match self {
            SigAlg::RsaPkcs1(x) => format!("{}WithRSAEncryption", h(x)),
            SigAlg::RsaPss(x) => format!("RSASSA-PSS with {}", h(x).to_uppercase()),
            SigAlg::Ecdsa(x) => format!("ecdsa-with-{}", h(x).to_uppercase()),
            SigAlg::Ed25519 => "Ed25519".into(),
            SigAlg::Unsupported(s) => s.clone(),
        }
    }
}

fn parse_algorithm_identifier(der: &[u8]) -> Result<SigAlg, &'static str> {
    let (seq, _) = asn1::expect(der, SEQUENCE)?;
    let items = asn1::children(seq.content)?;
    let oid_tlv = items
        .first()
        .filter(|t| t.tag == 0x06)
        .ok_or("no algorithm OID")?;
    let oid = ObjectIdentifier::from_bytes(oid_tlv.content).map_err(|_| "bad OID")?;
    let params = items.get(1);
    let null_or_absent = params.is_none_or(|p| p.tag == 0x05 && p.content.is_empty());
    let absent = params.is_none();
    let oid_s = oid.to_string();
    Ok(match oid_s.as_str() {
        // RSA PKCS#1 v1.5: parameters NULL (or, non-conforming, absent).
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" if null_or_absent => SigAlg::RsaPkcs1(Hash::Sha1),
        "1.2.840.113549.1.1.11" if null_or_absent => SigAlg::RsaPkcs1(Hash::Sha256),
        "1.2.840.113549.1.1.12" if null_or_absent => SigAlg::RsaPkcs1(Hash::Sha384),
        "1.2.840.113549.1.1.13" if null_or_absent => SigAlg::RsaPkcs1(Hash::Sha512),
        "1.2.840.113549.1.1.10" => match params {
            Some(p) => pss_params(p.full)?,
            None => return Err("RSASSA-PSS without parameters"),
        },
        // ECDSA and Ed25519: parameters absent.
        "1.2.840.10045.4.1" if absent => SigAlg::Ecdsa(Hash::Sha1),
        "1.2.840.10045.4.3.2" if absent => SigAlg::Ecdsa(Hash::Sha256),
        "1.2.840.10045.4.3.3" if absent => SigAlg::Ecdsa(Hash::Sha384),
        "1.2.840.10045.4.3.4" if absent => SigAlg::Ecdsa(Hash::Sha512),
        "1.3.101.112" if absent => SigAlg::Ed25519,
        _ => SigAlg::Unsupported(format!("signature algorithm {oid_s}")),
    })
}

/// RSASSA-PSS-params: ring supports MGF1 with the message hash and a salt
/// as long as the hash, trailer 1; anything else is unsupported.
fn pss_params(der: &[u8]) -> Result<SigAlg, &'static str> {
    let (seq, _) = asn1::expect(der, SEQUENCE)?;
    let mut hash = Hash::Sha1;
    let mut mgf_hash = Hash::Sha1;
    let mut salt = 20usize;
    for item in asn1::children(seq.content)? {
        let (inner, _) = asn1::read_tlv(item.content)?;
        match item.tag {
            0xa0 => hash = hash_of_algorithm_identifier(inner.full)?,
            0xa1 => {
                let (mgf, _) = asn1::expect(inner.full, SEQUENCE)?;
                let parts = asn1::children(mgf.content)?;
                let mgf_oid = parts.first().ok_or("MGF without OID")?;
                if mgf_oid.content != [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08] {
                    return Err("MGF other than MGF1");
                }
                mgf_hash =
                    hash_of_algorithm_identifier(parts.get(1).ok_or("MGF1 without hash")?.full)?;
            }
            0xa2 => {
                if inner.tag != INTEGER || inner.content.len() > 2 {
                    return Err("bad PSS salt length");
                }
                salt = inner
                    .content
                    .iter()
                    .fold(0usize, |s, &b| (s << 8) | usize::from(b));
            }
            0xa3 => {
                if inner.content != [1] {
                    return Err("PSS trailer field other than 1");
                }
            }
            _ => return Err("unknown field in RSASSA-PSS parameters"),
        }
    }
    let hash_len = match hash {
        Hash::Sha1 => 20,
        Hash::Sha256 => 32,
        Hash::Sha384 => 48,
        Hash::Sha512 => 64,
    };
    if mgf_hash != hash || salt != hash_len {
        return Ok(SigAlg::Unsupported(
            "RSASSA-PSS with a mask hash or salt length other than the message hash's".into(),
        ));
    }
    Ok(SigAlg::RsaPss(hash))
}

fn hash_of_algorithm_identifier(der: &[u8]) -> Result<Hash, &'static str> {
    let (seq, _) = asn1::expect(der, SEQUENCE)?;
    let items = asn1::children(seq.content)?;
    let oid = items
        .first()
        .filter(|t| t.tag == 0x06)
        .ok_or("no hash OID")?;
    let oid = ObjectIdentifier::from_bytes(oid.content).map_err(|_| "bad OID")?;
    Hash::from_oid(&oid.to_string()).ok_or("unsupported hash")
}

/// Verifies a signature cryptographically, with no policy on weak
/// algorithms or key sizes: the callers apply their policy first and report
/// it with their own words.  Keys are limited only by what ring can do.
pub(crate) fn verify_raw(
    key: &PublicKey,
    alg: SigAlg,
    ecdsa: EcdsaEncoding,
    message: &[u8],
    signature: &[u8],
) -> Result<(), PkiError> {
    let unsupported = |what: String| Err(PkiError::Unsupported(what));
    let (algorithm, key_bytes): (&'static dyn rs::VerificationAlgorithm, &[u8]) = match (key, &alg)
    {
        (PublicKey::Rsa { bits, key }, SigAlg::RsaPkcs1(h)) => {
            let legacy = *bits < 2048;
            let a: &'static dyn rs::VerificationAlgorithm = match (h, legacy) {
                (Hash::Sha1, true) => &rs::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
                (Hash::Sha1, false) => &rs::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
                (Hash::Sha256, true) => &rs::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
                (Hash::Sha256, false) => &rs::RSA_PKCS1_2048_8192_SHA256,
                (Hash::Sha384, false) => &rs::RSA_PKCS1_2048_8192_SHA384,
                (Hash::Sha512, true) => &rs::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
                (Hash::Sha512, false) => &rs::RSA_PKCS1_2048_8192_SHA512,
                (Hash::Sha384, true) => {
                    return unsupported(format!("{} with an RSA key under 2048 bits", alg.name()));
                }
            };
            check_rsa_size(*bits)?;
            (a, key.as_bytes())
        }
        (PublicKey::Rsa { bits, key }, SigAlg::RsaPss(h)) => {
            let a: &'static dyn rs::VerificationAlgorithm = match h {
                Hash::Sha256 => &rs::RSA_PSS_2048_8192_SHA256,
                Hash::Sha384 => &rs::RSA_PSS_2048_8192_SHA384,
                Hash::Sha512 => &rs::RSA_PSS_2048_8192_SHA512,
                Hash::Sha1 => return unsupported("RSASSA-PSS with SHA-1".into()),
            };
            if *bits < 2048 {
                return unsupported("RSASSA-PSS with an RSA key under 2048 bits".into());
            }
            check_rsa_size(*bits)?;
            (a, key.as_bytes())
        }
        (PublicKey::EcP256 { point }, SigAlg::Ecdsa(h)) => {
            let a: &'static dyn rs::VerificationAlgorithm = match (h, ecdsa) {
                (Hash::Sha256, EcdsaEncoding::Asn1) => &rs::ECDSA_P256_SHA256_ASN1,
                (Hash::Sha256, EcdsaEncoding::Fixed) => &rs::ECDSA_P256_SHA256_FIXED,
                (Hash::Sha384, EcdsaEncoding::Asn1) => &rs::ECDSA_P256_SHA384_ASN1,
                (Hash::Sha384, EcdsaEncoding::Fixed) => {
                    // ring has this pair in its DER form only.
                    let der = fixed_to_asn1(signature, 32).ok_or(PkiError::BadSignature)?;
                    return verify_ring(
                        &rs::ECDSA_P256_SHA384_ASN1,
                        point.as_bytes(),
                        message,
                        &der,
                    );
                }
                _ => return unsupported(format!("{} with a P-256 key", alg.name())),
            };
            (a, point.as_bytes())
        }
        (PublicKey::EcP384 { point }, SigAlg::Ecdsa(h)) => {
            let a: &'static dyn rs::VerificationAlgorithm = match (h, ecdsa) {
                (Hash::Sha384, EcdsaEncoding::Asn1) => &rs::ECDSA_P384_SHA384_ASN1,
                (Hash::Sha384, EcdsaEncoding::Fixed) => &rs::ECDSA_P384_SHA384_FIXED,
                (Hash::Sha256, EcdsaEncoding::Asn1) => &rs::ECDSA_P384_SHA256_ASN1,
                (Hash::Sha256, EcdsaEncoding::Fixed) => {
                    let der = fixed_to_asn1(signature, 48).ok_or(PkiError::BadSignature)?;
                    return verify_ring(
                        &rs::ECDSA_P384_SHA256_ASN1,
                        point.as_bytes(),
                        message,
                        &der,
                    );
                }
                _ => return unsupported(format!("{} with a P-384 key", alg.name())),
            };
            (a, point.as_bytes())
        }
        (PublicKey::Ed25519 { key }, SigAlg::Ed25519) => (&rs::ED25519, key.as_bytes()),
        (PublicKey::Unsupported { algorithm }, _) => {
            return unsupported(format!("key algorithm {algorithm}"));
        }
        (_, SigAlg::Unsupported(what)) => return unsupported(what.clone()),
        (k, a) => {
            return Err(PkiError::KeyMismatch {
                key: k.describe(),
                scheme: match a {
                    SigAlg::RsaPkcs1(_) => "RSA PKCS#1 v1.5",
                    SigAlg::RsaPss(_) => "RSASSA-PSS",
                    SigAlg::Ecdsa(_) => "ECDSA",
                    SigAlg::Ed25519 => "Ed25519",
                    SigAlg::Unsupported(_) => "unsupported",
                },
            });
        }
    };
    verify_ring(algorithm, key_bytes, message, signature)
}

fn verify_ring(
    algorithm: &'static dyn rs::VerificationAlgorithm,
    key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), PkiError> {
    rs::UnparsedPublicKey::new(algorithm, key)
        .verify(message, signature)
        .map_err(|_| PkiError::BadSignature)
}

/// A raw `r || s` ECDSA signature (each `half` bytes) as a DER
/// `ECDSA-Sig-Value`; `None` when its length is not `2 * half`.
fn fixed_to_asn1(signature: &[u8], half: usize) -> Option<Vec<u8>> {
    if signature.len() != 2 * half {
        return None;
    }
    let integer = |bytes: &[u8]| {
        let trimmed = &bytes[bytes
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(bytes.len() - 1)..];
        let mut out = vec![0x02];
        let pad = trimmed[0] & 0x80 != 0;
        out.push((trimmed.len() + usize::from(pad)) as u8);
        if pad {
            out.push(0);
        }
        out.extend_from_slice(trimmed);
        out
    };
    let (r, s) = signature.split_at(half);
    let body = [integer(r), integer(s)].concat();
    // Both curves here keep the body under 128 bytes: short-form lengths.
    let mut der = vec![0x30, body.len() as u8];
    der.extend_from_slice(&body);
    Some(der)
}

fn check_rsa_size(bits: usize) -> Result<(), PkiError> {
    if bits < 1024 {
        return Err(PkiError::WeakKey {
            key: format!("RSA-{bits}"),
            min_bits: 1024,
        });
    }
    if bits > 8192 {
        return Err(PkiError::Unsupported(format!(
            "RSA-{bits}: keys over 8192 bits"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod ecdsa_encoding_tests {
    use super::fixed_to_asn1;

    #[test]
    fn raw_signatures_become_der() {
        let mut raw = vec![0u8; 64];
        raw[31] = 1; // r = 1
        raw[32] = 0x80; // s has its high bit set: a 0x00 pad byte
        let der = fixed_to_asn1(&raw, 32).unwrap();
        assert_eq!(&der[..5], &[0x30, 38, 0x02, 1, 1]);
        assert_eq!(&der[5..8], &[0x02, 33, 0x00]);
        assert_eq!(der.len(), 2 + 38);
        assert!(fixed_to_asn1(&raw[..63], 32).is_none());
        // r = 0 still encodes as one zero byte.
        let zero = fixed_to_asn1(&[0u8; 64], 32).unwrap();
        assert_eq!(zero, vec![0x30, 6, 0x02, 1, 0, 0x02, 1, 0]);
    }
}
