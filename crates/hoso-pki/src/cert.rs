//! Parsed X.509 certificates.

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use der::{Decode, Encode};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CrlDistributionPoints, ExtendedKeyUsage, KeyUsage,
    SubjectKeyIdentifier,
};

use crate::asn1::{self, SEQUENCE};
use crate::identity::Identity;
use crate::key::{PublicKey, SigAlg};
use crate::name::ParsedName;
use crate::{PkiError, Timestamp};

/// Certificates larger than this are refused before decoding; real ones
/// are a few kilobytes.
const MAX_CERT_BYTES: usize = 1 << 20;

/// id-kp-OCSPSigning.
pub(crate) const EKU_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";

/// A parsed X.509 certificate.  Cloning is cheap (the parsed data is shared).
///
/// Parsing checks the structure, decodes the fields hoso-pki relies on
/// (names, validity, key, basicConstraints, keyUsage, extendedKeyUsage) and
/// refuses duplicate extensions; it does not decide trust — that is
/// [`crate::TrustStore::validate`].
///
/// ```
/// use hoso_pki::Certificate;
///
/// let pem = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../certs/test/signers/person-cccd.pem"));
/// let cert = Certificate::from_pem(pem)?.remove(0);
/// assert_eq!(cert.serial_hex(), "5445535400001001");
/// assert!(cert.subject().starts_with("UID=CCCD:001203004567,CN=Nguyễn Thị Minh Khai (TEST),"));
/// assert_eq!(cert.not_before().to_string(), "2025-01-01T00:00:00Z");
/// assert_eq!(cert.public_key().describe(), "RSA-2048");
/// assert!(!cert.is_ca());
/// # Ok::<(), hoso_pki::PkiError>(())
/// ```
#[derive(Clone)]
pub struct Certificate(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub der: Vec<u8>,
    pub tbs: Range<usize>,
    pub issuer_raw: Range<usize>,
    pub subject_raw: Range<usize>,
    /// The subjectPublicKey BIT STRING's bytes (what OCSP key hashes cover).
    pub key_bits: Range<usize>,
    pub serial: Vec<u8>,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
    pub sig_alg: SigAlg,
    pub signature: Range<usize>,
    pub public_key: PublicKey,
    pub subject: ParsedName,
    pub subject_str: String,
    pub issuer_str: String,
    pub subject_norm: String,
    pub issuer_norm: String,
    pub sha256: [u8; 32],
    pub ext: Extensions,
}

/// The extensions hoso-pki acts on.
#[derive(Default)]
pub(crate) struct Extensions {
    /// (cA, pathLenConstraint)
    pub basic_constraints: Option<(bool, Option<u8>)>,
    pub key_usage: Option<KeyUsage>,
    pub ext_key_usage: Option<Vec<String>>,
    pub subject_key_id: Option<Vec<u8>>,
    pub authority_key_id: Option<Vec<u8>>,
    /// DER of each distributionPoint name in cRLDistributionPoints, to match
    /// a CRL's issuingDistributionPoint.
    pub crl_distribution_points: Vec<Vec<u8>>,
    /// The first critical extension hoso-pki does not process.
    pub unknown_critical: Option<String>,
}

/// Extensions that are understood (processed, or safe to ignore because
/// they only inform).  Anything else marked critical makes the certificate
/// unusable in a path, as RFC 5280 §4.2 requires.  Name constraints and the
/// policy-constraint extensions are deliberately *not* here: hoso-pki does
/// not enforce them, so a CA that depends on them being enforced is refused.
fn is_understood(oid: &str) -> bool {
    matches!(
        oid,
        "2.5.29.19" // basicConstraints
            | "2.5.29.15" // keyUsage
            | "2.5.29.37" // extKeyUsage
            | "2.5.29.14" // subjectKeyIdentifier
            | "2.5.29.35" // authorityKeyIdentifier
            | "2.5.29.17" // subjectAltName
            | "2.5.29.18" // issuerAltName
            | "2.5.29.32" // certificatePolicies (any policy is acceptable)
            | "2.5.29.31" // cRLDistributionPoints
            | "2.5.29.46" // freshestCRL
            | "2.5.29.9" // subjectDirectoryAttributes
            | "2.5.29.16" // privateKeyUsagePeriod
            | "1.3.6.1.5.5.7.1.1" // authorityInfoAccess
            | "1.3.6.1.5.5.7.1.11" // subjectInfoAccess
            | "1.3.6.1.5.5.7.48.1.5" // id-pkix-ocsp-nocheck
    )
}

impl Certificate {
    /// Parses a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, PkiError> {
        if der.len() > MAX_CERT_BYTES {
            return Err(PkiError::malformed("certificate", "larger than 1 MiB"));
        }
        let bad = |d: &dyn fmt::Display| PkiError::malformed("certificate", d);
        // The typed decode checks the whole structure; the raw walk below
        // finds the exact bytes that were signed and the names as encoded.
        let cert = x509_cert::Certificate::from_der(der).map_err(|e| bad(&e))?;
        let (tbs, outer_alg, signature) = asn1::signed_parts(der).map_err(|e| bad(&e))?;
        let fields = asn1::children(tbs.content).map_err(|e| bad(&e))?;
        let o = usize::from(fields.first().is_some_and(|f| f.tag == 0xa0));
        if fields.len() < o + 6 {
            return Err(bad(&"TBSCertificate is missing fields"));
        }
        let (inner_alg, issuer, subject, spki) =
            (fields[o + 1], fields[o + 2], fields[o + 4], fields[o + 5]);
        if inner_alg.full != outer_alg.full {
            // RFC 5280 §4.1.1.2: the two must be identical; a mismatch is a
            // known way to confuse verifiers about which algorithm applies.
            return Err(bad(
                &"signature algorithm in TBSCertificate differs from the outer one",
            ));
        }
        let (_, spki_rest) = asn1::expect(spki.content, SEQUENCE).map_err(|e| bad(&e))?;
        let (key_bits_tlv, _) = asn1::expect(spki_rest, asn1::BIT_STRING).map_err(|e| bad(&e))?;
        let key_bits = asn1::bit_string_bytes(key_bits_tlv.content).map_err(|e| bad(&e))?;

        let tbs_cert = &cert.tbs_certificate;
        let subject_name = ParsedName::from_name(&tbs_cert.subject);
        let issuer_name = ParsedName::from_name(&tbs_cert.issuer);
        let ext = parse_extensions(tbs_cert.extensions.as_deref().unwrap_or(&[]))?;
        let public_key = PublicKey::from_spki_der(spki.full)?;
        let not_before = to_timestamp(tbs_cert.validity.not_before);
        let not_after = to_timestamp(tbs_cert.validity.not_after);

        let inner = Inner {
            tbs: asn1::range_in(der, tbs.full),
            issuer_raw: asn1::range_in(der, issuer.full),
            subject_raw: asn1::range_in(der, subject.full),
            key_bits: asn1::range_in(der, key_bits),
            signature: asn1::range_in(der, signature),
            serial: asn1::trim_integer(tbs_cert.serial_number.as_bytes()).to_vec(),
            not_before,
            not_after,
            sig_alg: SigAlg::from_algorithm_identifier(outer_alg.full),
            public_key,
            subject_str: subject_name.to_rfc4514(),
            issuer_str: issuer_name.to_rfc4514(),
            subject_norm: subject_name.normalized(),
            issuer_norm: issuer_name.normalized(),
            subject: subject_name,
            sha256: sha256(der),
            ext,
            der: der.to_vec(),
        };
        Ok(Certificate(Arc::new(inner)))
    }

    /// Parses every `CERTIFICATE` block of a PEM text, in order.  Text
    /// around the blocks and blocks of other labels are skipped; no
    /// certificate block at all is an error.
    pub fn from_pem(pem: &[u8]) -> Result<Vec<Self>, PkiError> {
        let blocks = asn1::pem_blocks(pem, &["CERTIFICATE", "X509 CERTIFICATE"])?;
        if blocks.is_empty() {
            return Err(PkiError::NoPemBlock {
                label: "CERTIFICATE",
            });
        }
        blocks.iter().map(|b| Self::from_der(b)).collect()
    }

    /// The DER encoding, as received.
    pub fn der(&self) -> &[u8] {
        &self.0.der
    }

    /// The subject as an RFC 4514 string in readable UTF-8, most specific
    /// attribute first: `UID=CCCD:001203004567,CN=Nguyễn Thị Minh Khai (TEST),L=…,C=VN`.
    pub fn subject(&self) -> String {
        self.0.subject_str.clone()
    }

    /// The issuer name, formatted like [`Certificate::subject`].
    pub fn issuer(&self) -> String {
        self.0.issuer_str.clone()
    }

    /// The subject Name's DER, as encoded in the certificate.
    pub fn subject_der(&self) -> &[u8] {
        &self.0.der[self.0.subject_raw.clone()]
    }

    /// The issuer Name's DER, as encoded in the certificate.
    pub fn issuer_der(&self) -> &[u8] {
        &self.0.der[self.0.issuer_raw.clone()]
    }

    /// The serial number in upper-case hex without separators, as OpenSSL
    /// prints it (`5445535400001001`).
    pub fn serial_hex(&self) -> String {
        asn1::hex(&self.0.serial).to_uppercase()
    }

    /// The serial number's big-endian bytes (the INTEGER's content).
    pub fn serial_bytes(&self) -> &[u8] {
        &self.0.serial
    }

    /// The serial number in decimal, as XML-DSig's `X509SerialNumber`
    /// writes it.  Negative serials (non-conforming) get a leading `-`.
    pub fn serial_decimal(&self) -> String {
        decimal(&self.0.serial)
    }

    /// Start of the validity period.
    pub fn not_before(&self) -> Timestamp {
        self.0.not_before
    }

    /// End of the validity period (inclusive).
    pub fn not_after(&self) -> Timestamp {
        self.0.not_after
    }

    /// SHA-256 of the DER: the certificate's fingerprint.
    pub fn sha256(&self) -> [u8; 32] {
        self.0.sha256
    }

    /// The subject's public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.0.public_key
    }

    /// Who the certificate names: UID identifiers, organizationIdentifier,
    /// commonName, organizationName.
    pub fn identity(&self) -> Identity {
        Identity::from_subject(&self.0.subject)
    }

    /// Whether basicConstraints says cA TRUE.
    pub fn is_ca(&self) -> bool {
        matches!(self.0.ext.basic_constraints, Some((true, _)))
    }

    /// The name of the algorithm the issuer signed this certificate with,
    /// e.g. `sha256WithRSAEncryption`.
    pub fn signature_algorithm(&self) -> String {
        self.0.sig_alg.name()
    }

    /// Whether issuer and subject are the same name (a root, or a CA's
    /// re-key certificate).
    pub fn is_self_issued(&self) -> bool {
        self.0.subject_norm == self.0.issuer_norm
    }

    /// Checks that `issuer`'s key made this certificate's signature (and
    /// that the names chain).  Cryptography only: no dates, no constraints,
    /// no cache — [`crate::TrustStore::validate`] does all that.  SHA-1 and
    /// RSA keys under 2048 bits are accepted only with `allow_weak`.
    pub fn verify_issued_by(&self, issuer: &Certificate, allow_weak: bool) -> Result<(), PkiError> {
        if self.0.issuer_norm != issuer.0.subject_norm {
            return Err(PkiError::Unsupported(format!(
                "\"{}\" is not the issuer named in the certificate (\"{}\")",
                issuer.subject(),
                self.issuer()
            )));
        }
        crate::key::verify_with_policy(
            issuer.public_key(),
            &self.0.sig_alg,
            self.tbs(),
            self.signature_value(),
            allow_weak,
        )
    }

    pub(crate) fn tbs(&self) -> &[u8] {
        &self.0.der[self.0.tbs.clone()]
    }

    pub(crate) fn signature_value(&self) -> &[u8] {
        &self.0.der[self.0.signature.clone()]
    }

    pub(crate) fn key_bits(&self) -> &[u8] {
        &self.0.der[self.0.key_bits.clone()]
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.0.der == other.0.der
    }
}

impl Eq for Certificate {}

impl std::hash::Hash for Certificate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.sha256.hash(state);
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.0.subject_str)
            .field("issuer", &self.0.issuer_str)
            .field("serial", &self.serial_hex())
            .finish()
    }
}

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, data).as_ref());
    out
}

pub(crate) fn to_timestamp(t: x509_cert::time::Time) -> Timestamp {
    // der limits X.509 times to 1970..=9999, so the seconds fit in i64.
    Timestamp::from_unix(i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX))
}

fn parse_extensions(exts: &[x509_cert::ext::Extension]) -> Result<Extensions, PkiError> {
    let mut out = Extensions::default();
    let mut seen = HashSet::new();
    for e in exts {
        let oid = e.extn_id.to_string();
        if !seen.insert(oid.clone()) {
            return Err(PkiError::malformed(
                "certificate",
                format!("extension {oid} appears twice"),
            ));
        }
        let value = e.extn_value.as_bytes();
        let bad = |name: &str, err: der::Error| {
            PkiError::malformed("certificate", format!("extension {name}: {err}"))
        };
        match oid.as_str() {
            "2.5.29.19" => {
                let bc = BasicConstraints::from_der(value)
                    .map_err(|err| bad("basicConstraints", err))?;
                out.basic_constraints = Some((bc.ca, bc.path_len_constraint));
            }
            "2.5.29.15" => {
                out.key_usage =
                    Some(KeyUsage::from_der(value).map_err(|err| bad("keyUsage", err))?);
            }
            "2.5.29.37" => {
                let eku =
                    ExtendedKeyUsage::from_der(value).map_err(|err| bad("extKeyUsage", err))?;
                out.ext_key_usage = Some(eku.0.iter().map(|o| o.to_string()).collect());
            }
            // Key identifiers only order candidate issuers, so a malformed
            // one is ignored rather than making the certificate unusable.
            "2.5.29.14" => {
                out.subject_key_id = SubjectKeyIdentifier::from_der(value)
                    .ok()
                    .map(|k| k.0.as_bytes().to_vec());
            }
            "2.5.29.35" => {
                out.authority_key_id = AuthorityKeyIdentifier::from_der(value)
                    .ok()
                    .and_then(|a| a.key_identifier)
                    .map(|k| k.as_bytes().to_vec());
            }
            "2.5.29.31" => {
                if let Ok(dps) = CrlDistributionPoints::from_der(value) {
                    out.crl_distribution_points = dps
                        .0
                        .iter()
                        .filter_map(|dp| dp.distribution_point.as_ref())
                        .filter_map(|n| n.to_der().ok())
                        .collect();
                }
            }
            _ => {}
        }
        if e.critical && !is_understood(&oid) && out.unknown_critical.is_none() {
            out.unknown_critical = Some(oid);
        }
    }
    Ok(out)
}

/// Big-endian two's-complement bytes to decimal.
fn decimal(bytes: &[u8]) -> String {
    let negative = bytes.first().is_some_and(|&b| b & 0x80 != 0);
    let mut mag: Vec<u8> = if negative {
        // Two's complement: invert and add one.
        let mut v: Vec<u8> = bytes.iter().map(|b| !b).collect();
        for b in v.iter_mut().rev() {
            let (s, carry) = b.overflowing_add(1);
            *b = s;
            if !carry {
                break;
            }
        }
        v
    } else {
        bytes.to_vec()
    };
    let mut digits = Vec::new();
    while mag.iter().any(|&b| b != 0) {
        let mut rem = 0u32;
        for b in mag.iter_mut() {
            let cur = (rem << 8) | u32::from(*b);
            *b = (cur / 10) as u8;
            rem = cur % 10;
        }
        digits.push(b'0' + rem as u8);
    }
    if digits.is_empty() {
        digits.push(b'0');
    }
    if negative {
        digits.push(b'-');
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn decimals() {
        assert_eq!(
            decimal(&[0x54, 0x45, 0x53, 0x54, 0, 0, 0x10, 0x01]),
            "6072351292821344257"
        );
        assert_eq!(decimal(&[0]), "0");
        assert_eq!(decimal(&[0xff]), "-1");
        assert_eq!(decimal(&[0x00, 0x80]), "128");
        assert_eq!(decimal(&[0x80]), "-128");
    }
}
