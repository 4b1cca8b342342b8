//! Certificate revocation lists.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use der::{Decode, Encode};
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::CrlReason;
use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;

use crate::Certificate;
use crate::asn1;
use crate::cert::{sha256, to_timestamp};
use crate::key::SigAlg;
use crate::name::ParsedName;
use crate::{PkiError, Timestamp};

/// CRLs larger than this are refused; national CAs' CRLs are far smaller.
const MAX_CRL_BYTES: usize = 64 << 20;

/// A parsed X.509 CRL.  Cloning is cheap.
///
/// Parsing does not check the signature: the CRL is checked against the
/// issuer found in the certificate path when a validation uses it.
///
/// ```
/// let der = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../certs/test/crl/ca1.crl"));
/// let crl = hoso_pki::Crl::from_der(der)?;
/// assert!(crl.issuer().starts_with("CN=TEST Hoso Public CA 1,"));
/// assert_eq!(crl.this_update().to_string(), "2025-06-02T00:00:00Z");
/// assert_eq!(crl.revoked_count(), 1);
/// # Ok::<(), hoso_pki::PkiError>(())
/// ```
#[derive(Clone)]
pub struct Crl(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub der: Vec<u8>,
    pub tbs: Range<usize>,
    pub signature: Range<usize>,
    pub sig_alg: SigAlg,
    pub issuer_str: String,
    pub issuer_norm: String,
    pub this_update: Timestamp,
    pub next_update: Option<Timestamp>,
    pub revoked: HashMap<Vec<u8>, Revoked>,
    pub scope: Scope,
    /// Why the CRL cannot be used to decide anything (an unsupported
    /// critical extension, a delta or indirect CRL).
    pub unusable: Option<String>,
    pub sha256: [u8; 32],
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Revoked {
    pub at: Timestamp,
    pub reason: Option<&'static str>,
}

/// What an issuingDistributionPoint limits the CRL to.
#[derive(Default)]
pub(crate) struct Scope {
    pub only_user_certs: bool,
    pub only_ca_certs: bool,
    /// onlySomeReasons: the CRL can show a revocation, never its absence.
    pub partial: bool,
    /// The distribution point's name (DER): the CRL covers only
    /// certificates whose cRLDistributionPoints name it.
    pub distribution_point: Option<Vec<u8>>,
}

impl Crl {
    /// Parses a DER CRL.
    pub fn from_der(der: &[u8]) -> Result<Self, PkiError> {
        if der.len() > MAX_CRL_BYTES {
            return Err(PkiError::malformed("CRL", "larger than 64 MiB"));
        }
        let bad = |d: &dyn fmt::Display| PkiError::malformed("CRL", d);
        let crl = CertificateList::from_der(der).map_err(|e| bad(&e))?;
        let (tbs, alg, signature) = asn1::signed_parts(der).map_err(|e| bad(&e))?;
        let tbs_list = &crl.tbs_cert_list;
        let issuer = ParsedName::from_name(&tbs_list.issuer);

        let mut unusable = None;
        let mut scope = Scope::default();
        for e in tbs_list.crl_extensions.as_deref().unwrap_or(&[]) {
            match e.extn_id.to_string().as_str() {
                "2.5.29.20" | "2.5.29.35" | "2.5.29.46" | "1.3.6.1.5.5.7.1.1" => {}
                "2.5.29.28" => match IssuingDistributionPoint::from_der(e.extn_value.as_bytes()) {
                    Ok(idp) => {
                        if idp.indirect_crl {
                            unusable = Some("indirect CRL (not supported)".to_string());
                        }
                        if idp.only_contains_attribute_certs {
                            unusable = Some("CRL of attribute certificates".to_string());
                        }
                        scope.only_user_certs = idp.only_contains_user_certs;
                        scope.only_ca_certs = idp.only_contains_ca_certs;
                        scope.partial = idp.only_some_reasons.is_some();
                        scope.distribution_point =
                            idp.distribution_point.and_then(|n| n.to_der().ok());
                    }
                    Err(err) => return Err(bad(&format!("issuingDistributionPoint: {err}"))),
                },
                "2.5.29.27" => unusable = Some("delta CRL (not supported)".to_string()),
                other if e.critical => {
                    unusable = Some(format!("unsupported critical CRL extension {other}"))
                }
                _ => {}
            }
        }

        let mut revoked = HashMap::new();
        for entry in tbs_list.revoked_certificates.as_deref().unwrap_or(&[]) {
            let mut reason = None;
            for e in entry.crl_entry_extensions.as_deref().unwrap_or(&[]) {
                match e.extn_id.to_string().as_str() {
                    "2.5.29.21" => {
                        reason = CrlReason::from_der(e.extn_value.as_bytes())
                            .ok()
                            .map(reason_name);
                    }
                    "2.5.29.24" => {} // invalidityDate: informative
                    "2.5.29.29" => {
                        unusable = Some("CRL entry for another issuer (indirect CRL)".into())
                    }
                    other if e.critical => {
                        unusable = Some(format!("unsupported critical CRL entry extension {other}"))
                    }
                    _ => {}
                }
            }
            // removeFromCRL belongs to delta CRLs: in a base CRL it says
            // the certificate is not revoked.
            if reason == Some("removeFromCRL") {
                continue;
            }
            revoked
                .entry(asn1::trim_integer(entry.serial_number.as_bytes()).to_vec())
                .or_insert(Revoked {
                    at: to_timestamp(entry.revocation_date),
                    reason,
                });
        }

        Ok(Crl(Arc::new(Inner {
            tbs: asn1::range_in(der, tbs.full),
            signature: asn1::range_in(der, signature),
            sig_alg: SigAlg::from_algorithm_identifier(alg.full),
            issuer_str: issuer.to_rfc4514(),
            issuer_norm: issuer.normalized(),
            this_update: to_timestamp(tbs_list.this_update),
            next_update: tbs_list.next_update.map(to_timestamp),
            revoked,
            scope,
            unusable,
            sha256: sha256(der),
            der: der.to_vec(),
        })))
    }

    /// Parses the first `X509 CRL` block of a PEM text.
    pub fn from_pem(pem: &[u8]) -> Result<Self, PkiError> {
        let blocks = asn1::pem_blocks(pem, &["X509 CRL"])?;
        match blocks.first() {
            Some(der) => Self::from_der(der),
            None => Err(PkiError::NoPemBlock { label: "X509 CRL" }),
        }
    }

    /// The DER encoding, as received.
    pub fn der(&self) -> &[u8] {
        &self.0.der
    }

    /// The issuer name (RFC 4514 string, like [`crate::Certificate::subject`]).
    pub fn issuer(&self) -> String {
        self.0.issuer_str.clone()
    }

    /// thisUpdate: when the CRL was issued.
    pub fn this_update(&self) -> Timestamp {
        self.0.this_update
    }

    /// nextUpdate: when the next CRL is due, if the CRL says.
    pub fn next_update(&self) -> Option<Timestamp> {
        self.0.next_update
    }

    /// How many certificates the CRL lists as revoked.
    pub fn revoked_count(&self) -> usize {
        self.0.revoked.len()
    }

    /// Checks that `issuer` signed this CRL (names and signature only; see
    /// [`Certificate::verify_issued_by`]).  Validations check CRLs
    /// themselves; this is for tools that vet CRLs before keeping them.
    pub fn verify_issued_by(&self, issuer: &Certificate, allow_weak: bool) -> Result<(), PkiError> {
        if self.0.issuer_norm != issuer.0.subject_norm {
            return Err(PkiError::Unsupported(format!(
                "\"{}\" is not the issuer of this CRL (\"{}\")",
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
}

impl fmt::Debug for Crl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Crl")
            .field("issuer", &self.0.issuer_str)
            .field("this_update", &self.0.this_update)
            .field("next_update", &self.0.next_update)
            .field("revoked", &self.0.revoked.len())
            .finish()
    }
}

/// RFC 5280's names for the reason codes.
pub(crate) fn reason_name(r: CrlReason) -> &'static str {
    match r {
        CrlReason::Unspecified => "unspecified",
        CrlReason::KeyCompromise => "keyCompromise",
        CrlReason::CaCompromise => "cACompromise",
        CrlReason::AffiliationChanged => "affiliationChanged",
        CrlReason::Superseded => "superseded",
        CrlReason::CessationOfOperation => "cessationOfOperation",
        CrlReason::CertificateHold => "certificateHold",
        CrlReason::RemoveFromCRL => "removeFromCRL",
        CrlReason::PrivilegeWithdrawn => "privilegeWithdrawn",
        CrlReason::AaCompromise => "aACompromise",
    }
}
