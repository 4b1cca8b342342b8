//! OCSP responses (RFC 6960), basic responses only.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use der::Decode;
use x509_ocsp::{BasicOcspResponse, CertStatus, OcspResponseStatus, ResponderId};

use crate::asn1::{self, SEQUENCE};
use crate::cert::{Certificate, sha256};
use crate::crl::reason_name;
use crate::key::{Hash, SigAlg};
use crate::name::ParsedName;
use crate::{PkiError, Timestamp};

/// Responses larger than this are refused (real ones are a few kilobytes).
const MAX_OCSP_BYTES: usize = 1 << 20;

const OID_OCSP_BASIC: &str = "1.3.6.1.5.5.7.48.1.1";

/// A parsed OCSP response of type `id-pkix-ocsp-basic`.  Cloning is cheap.
///
/// Parsing does not check the signature: a validation checks it against the
/// issuer in the certificate path (or a responder that issuer delegated).
///
/// ```
/// let der = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../certs/test/ocsp/revoked.resp.der"));
/// let resp = hoso_pki::OcspResponse::from_der(der)?;
/// assert_eq!(resp.produced_at().to_string(), "2025-06-02T00:00:00Z");
/// # Ok::<(), hoso_pki::PkiError>(())
/// ```
#[derive(Clone)]
pub struct OcspResponse(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub der: Vec<u8>,
    /// The BasicOCSPResponse, which `tbs` and `signature` index into.
    pub basic: Vec<u8>,
    pub tbs: Range<usize>,
    pub signature: Range<usize>,
    pub sig_alg: SigAlg,
    pub responder: Responder,
    pub produced_at: Timestamp,
    pub certs: Vec<Certificate>,
    pub responses: Vec<Single>,
    pub unusable: Option<String>,
    pub sha256: [u8; 32],
}

pub(crate) enum Responder {
    /// The responder's normalized name.
    ByName(String),
    /// SHA-1 of the responder's public key bits.
    ByKey(Vec<u8>),
}

pub(crate) struct Single {
    /// None: a CertID hash algorithm hoso-pki does not compute.
    pub hash: Option<Hash>,
    pub issuer_name_hash: Vec<u8>,
    pub issuer_key_hash: Vec<u8>,
    pub serial: Vec<u8>,
    pub status: SingleStatus,
    pub this_update: Timestamp,
    pub next_update: Option<Timestamp>,
    /// An unsupported critical extension on this response.
    pub unusable: bool,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum SingleStatus {
    Good,
    Revoked {
        at: Timestamp,
        reason: Option<&'static str>,
    },
    Unknown,
}

impl OcspResponse {
    /// Parses a DER `OCSPResponse`.  A response whose status is not
    /// `successful` (tryLater, unauthorized, ...) carries no certificate
    /// status and is [`PkiError::OcspNotSuccessful`].
    pub fn from_der(der: &[u8]) -> Result<Self, PkiError> {
        if der.len() > MAX_OCSP_BYTES {
            return Err(PkiError::malformed("OCSP response", "larger than 1 MiB"));
        }
        let bad = |d: &dyn fmt::Display| PkiError::malformed("OCSP response", d);
        let resp = x509_ocsp::OcspResponse::from_der(der).map_err(|e| bad(&e))?;
        match resp.response_status {
            OcspResponseStatus::Successful => {}
            s => {
                return Err(PkiError::OcspNotSuccessful(match s {
                    OcspResponseStatus::MalformedRequest => "malformedRequest",
                    OcspResponseStatus::InternalError => "internalError",
                    OcspResponseStatus::TryLater => "tryLater",
                    OcspResponseStatus::SigRequired => "sigRequired",
                    _ => "unauthorized",
                }));
            }
        }
        let bytes = resp
            .response_bytes
            .ok_or_else(|| bad(&"successful response without responseBytes"))?;
        if bytes.response_type.to_string() != OID_OCSP_BASIC {
            return Err(PkiError::Unsupported(format!(
                "OCSP response type {}",
                bytes.response_type
            )));
        }
        let basic_der = bytes.response.as_bytes().to_vec();
        let basic = BasicOcspResponse::from_der(&basic_der).map_err(|e| bad(&e))?;

        // The exact signed bytes, and the embedded certificates as encoded.
        let (tbs, alg, signature) = asn1::signed_parts(&basic_der).map_err(|e| bad(&e))?;
        let (outer, _) = asn1::expect(&basic_der, SEQUENCE).map_err(|e| bad(&e))?;
        let mut certs = Vec::new();
        if let Some(list) = asn1::children(outer.content).map_err(|e| bad(&e))?.get(3) {
            if list.tag != 0xa0 {
                return Err(bad(&"unexpected field after the signature"));
            }
            let (seq, _) = asn1::expect(list.content, SEQUENCE).map_err(|e| bad(&e))?;
            for c in asn1::children(seq.content).map_err(|e| bad(&e))? {
                certs.push(Certificate::from_der(c.full)?);
            }
        }

        let data = &basic.tbs_response_data;
        let responder = match &data.responder_id {
            ResponderId::ByName(name) => {
                Responder::ByName(ParsedName::from_name(name).normalized())
            }
            ResponderId::ByKey(hash) => Responder::ByKey(hash.as_bytes().to_vec()),
        };
        let mut unusable = None;
        for e in data.response_extensions.as_deref().unwrap_or(&[]) {
            // The nonce is for online requests; a stored response keeps it.
            if e.critical && e.extn_id.to_string() != "1.3.6.1.5.5.7.48.1.2" {
                unusable = Some(format!("unsupported critical OCSP extension {}", e.extn_id));
            }
        }
        let responses = data
            .responses
            .iter()
            .map(|r| Single {
                hash: Hash::from_oid(&r.cert_id.hash_algorithm.oid.to_string()),
                issuer_name_hash: r.cert_id.issuer_name_hash.as_bytes().to_vec(),
                issuer_key_hash: r.cert_id.issuer_key_hash.as_bytes().to_vec(),
                serial: asn1::trim_integer(r.cert_id.serial_number.as_bytes()).to_vec(),
                status: match r.cert_status {
                    CertStatus::Good(_) => SingleStatus::Good,
                    CertStatus::Revoked(info) => SingleStatus::Revoked {
                        at: generalized(info.revocation_time),
                        reason: info.revocation_reason.map(reason_name),
                    },
                    CertStatus::Unknown(_) => SingleStatus::Unknown,
                },
                this_update: generalized(r.this_update),
                next_update: r.next_update.map(generalized),
                unusable: r
                    .single_extensions
                    .as_deref()
                    .unwrap_or(&[])
                    .iter()
                    .any(|e| e.critical),
            })
            .collect();

        Ok(OcspResponse(Arc::new(Inner {
            tbs: asn1::range_in(&basic_der, tbs.full),
            signature: asn1::range_in(&basic_der, signature),
            sig_alg: SigAlg::from_algorithm_identifier(alg.full),
            responder,
            produced_at: generalized(data.produced_at),
            certs,
            responses,
            unusable,
            sha256: sha256(der),
            der: der.to_vec(),
            basic: basic_der,
        })))
    }

    /// The DER encoding, as received.
    pub fn der(&self) -> &[u8] {
        &self.0.der
    }

    /// producedAt: when the responder signed the response.
    pub fn produced_at(&self) -> Timestamp {
        self.0.produced_at
    }

    /// The certificates the responder included (usually its own).
    pub fn certificates(&self) -> &[Certificate] {
        &self.0.certs
    }

    pub(crate) fn tbs(&self) -> &[u8] {
        &self.0.basic[self.0.tbs.clone()]
    }

    pub(crate) fn signature_value(&self) -> &[u8] {
        &self.0.basic[self.0.signature.clone()]
    }
}

impl fmt::Debug for OcspResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OcspResponse")
            .field("produced_at", &self.0.produced_at)
            .field("responses", &self.0.responses.len())
            .finish()
    }
}

fn generalized(t: x509_ocsp::OcspGeneralizedTime) -> Timestamp {
    Timestamp::from_unix(i64::try_from(t.0.to_unix_duration().as_secs()).unwrap_or(i64::MAX))
}
