//! The CMS `SignedData` of a PAdES signature (RFC 5652, CAdES baseline):
//! built for signing, read back for verification.
//!
//! Encoding and the structure checks come from the RustCrypto `cms` and
//! `der` crates.  The signed attributes are verified over their bytes as
//! received (re-tagged as a SET OF), found by a short walk over the DER,
//! because decoding a SET OF sorts it and re-encoding could differ from what
//! the signer signed.

use cms::cert::IssuerAndSerialNumber;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier as Oid, OctetString, SetOfVec, UintRef};
use der::{Any, Decode, Encode, Sequence, Tagged};
use hoso_pki::{Certificate, SignatureScheme};
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;

use crate::pades::{PdfError, PdfRefusal};

pub(crate) const ID_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
const ID_CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
const ID_SIGNING_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.12");
const ID_SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");

const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const SHA1_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
const ECDSA_WITH_SHA1: Oid = Oid::new_unwrap("1.2.840.10045.4.1");
const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
const ED25519: Oid = Oid::new_unwrap("1.3.101.112");

/// A digest algorithm of CMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmsDigest {
    /// SHA-1: weak, refused without the historical opt-in.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl CmsDigest {
    fn oid(self) -> Oid {
        match self {
            CmsDigest::Sha1 => Oid::new_unwrap("1.3.14.3.2.26"),
            CmsDigest::Sha256 => Oid::new_unwrap("2.16.840.1.101.3.4.2.1"),
            CmsDigest::Sha384 => Oid::new_unwrap("2.16.840.1.101.3.4.2.2"),
            CmsDigest::Sha512 => Oid::new_unwrap("2.16.840.1.101.3.4.2.3"),
        }
    }

    fn from_oid(oid: &Oid) -> Option<Self> {
        [
            CmsDigest::Sha1,
            CmsDigest::Sha256,
            CmsDigest::Sha384,
            CmsDigest::Sha512,
        ]
        .into_iter()
        .find(|d| d.oid() == *oid)
    }

    /// The algorithm's name: `SHA-256`.
    pub fn name(self) -> &'static str {
        match self {
            CmsDigest::Sha1 => "SHA-1",
            CmsDigest::Sha256 => "SHA-256",
            CmsDigest::Sha384 => "SHA-384",
            CmsDigest::Sha512 => "SHA-512",
        }
    }

    /// Whether the algorithm is weak (SHA-1).
    pub fn is_weak(self) -> bool {
        self == CmsDigest::Sha1
    }

    pub(crate) fn context(self) -> ring::digest::Context {
        ring::digest::Context::new(match self {
            CmsDigest::Sha1 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            CmsDigest::Sha256 => &ring::digest::SHA256,
            CmsDigest::Sha384 => &ring::digest::SHA384,
            CmsDigest::Sha512 => &ring::digest::SHA512,
        })
    }

    pub(crate) fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut context = self.context();
        context.update(data);
        context.finish().as_ref().to_vec()
    }

    /// AlgorithmIdentifier with absent parameters (RFC 5754).
    fn identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }
}

/// ESS `SigningCertificateV2` (RFC 5035).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<Any>,
}

/// ESS `ESSCertIDv2`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertIdV2 {
    /// DEFAULT sha256: absent (as DER requires) when it is SHA-256.
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// ESS `SigningCertificate` (RFC 2634), SHA-1 certificate hashes.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificateV1 {
    certs: Vec<EssCertIdV1>,
    #[asn1(optional = "true")]
    policies: Option<Any>,
}

/// ESS `ESSCertID`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertIdV1 {
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// ESS `IssuerSerial`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// ECDSA-Sig-Value.
#[derive(Sequence)]
struct EcdsaSig<'a> {
    r: UintRef<'a>,
    s: UintRef<'a>,
}

/// The digest and signature algorithm identifiers hoso writes for a scheme.
pub(crate) fn scheme_algorithms(
    scheme: SignatureScheme,
) -> Result<(CmsDigest, AlgorithmIdentifierOwned), PdfError> {
    let rsa = |oid| AlgorithmIdentifierOwned {
        oid,
        parameters: Some(Any::null()),
    };
    let ecdsa = |oid| AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    };
    Ok(match scheme {
        SignatureScheme::RsaPkcs1Sha256 => (CmsDigest::Sha256, rsa(SHA256_WITH_RSA)),
        SignatureScheme::RsaPkcs1Sha384 => (CmsDigest::Sha384, rsa(SHA384_WITH_RSA)),
        SignatureScheme::RsaPkcs1Sha512 => (CmsDigest::Sha512, rsa(SHA512_WITH_RSA)),
        SignatureScheme::EcdsaP256Sha256 => (CmsDigest::Sha256, ecdsa(ECDSA_WITH_SHA256)),
        SignatureScheme::EcdsaP384Sha384 => (CmsDigest::Sha384, ecdsa(ECDSA_WITH_SHA384)),
        other => return Err(PdfError::UnsupportedScheme(other.name())),
    })
}

fn encoding(e: der::Error) -> PdfError {
    PdfError::Encoding(e.to_string())
}

fn attribute(oid: Oid, value: Any) -> Result<Attribute, PdfError> {
    let mut values = SetOfVec::new();
    values.insert(value).map_err(encoding)?;
    Ok(Attribute { oid, values })
}

/// The signed attributes: contentType, messageDigest and
/// signingCertificateV2 (no signing-time: PAdES takes it from /M).
pub(crate) fn signed_attributes(
    message_digest: &[u8],
    signer: &x509_cert::Certificate,
    signer_der: &[u8],
) -> Result<SetOfVec<Attribute>, PdfError> {
    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(CmsDigest::Sha256.digest(signer_der)).map_err(encoding)?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    signer.tbs_certificate.issuer.clone(),
                )],
                serial_number: signer.tbs_certificate.serial_number.clone(),
            }),
        }],
        policies: None,
    };
    let mut attrs = SetOfVec::new();
    attrs
        .insert(attribute(
            ID_CONTENT_TYPE,
            Any::encode_from(&ID_DATA).map_err(encoding)?,
        )?)
        .map_err(encoding)?;
    attrs
        .insert(attribute(
            ID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(message_digest).map_err(encoding)?)
                .map_err(encoding)?,
        )?)
        .map_err(encoding)?;
    attrs
        .insert(attribute(
            ID_SIGNING_CERTIFICATE_V2,
            Any::encode_from(&ess).map_err(encoding)?,
        )?)
        .map_err(encoding)?;
    Ok(attrs)
}

/// The DER of the signed attributes as signed: a SET OF (tag 0x31).
pub(crate) fn attributes_der(attrs: &SetOfVec<Attribute>) -> Result<Vec<u8>, PdfError> {
    attrs.to_der().map_err(encoding)
}

/// ECDSA `r || s` (what ring produces) as a DER ECDSA-Sig-Value.
pub(crate) fn ecdsa_der(fixed: &[u8]) -> Result<Vec<u8>, PdfError> {
    let (r, s) = fixed.split_at(fixed.len() / 2);
    let strip = |v: &'_ [u8]| -> Vec<u8> {
        let start = v.iter().position(|b| *b != 0).unwrap_or(v.len() - 1);
        v[start..].to_vec()
    };
    let (r, s) = (strip(r), strip(s));
    EcdsaSig {
        r: UintRef::new(&r).map_err(encoding)?,
        s: UintRef::new(&s).map_err(encoding)?,
    }
    .to_der()
    .map_err(encoding)
}

/// Assembles the ContentInfo of a detached SignedData.
pub(crate) fn assemble(
    digest: CmsDigest,
    signature_algorithm: AlgorithmIdentifierOwned,
    attrs: SetOfVec<Attribute>,
    signature: &[u8],
    signer: &x509_cert::Certificate,
    certificates: &[Certificate],
) -> Result<Vec<u8>, PdfError> {
    let mut certs = SetOfVec::new();
    for cert in certificates {
        let parsed = x509_cert::Certificate::from_der(cert.der()).map_err(encoding)?;
        // The same certificate given twice is written once.
        let choice = cms::cert::CertificateChoices::Certificate(parsed);
        if !certs.iter().any(|c| *c == choice) {
            certs.insert(choice).map_err(encoding)?;
        }
    }
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: signer.tbs_certificate.issuer.clone(),
            serial_number: signer.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: digest.identifier(),
        signed_attrs: Some(attrs),
        signature_algorithm,
        signature: OctetString::new(signature).map_err(encoding)?,
        unsigned_attrs: None,
    };
    let mut digest_algorithms = SetOfVec::new();
    digest_algorithms
        .insert(digest.identifier())
        .map_err(encoding)?;
    let mut signer_infos = SetOfVec::new();
    signer_infos.insert(signer_info).map_err(encoding)?;
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(certs)),
        crls: None,
        signer_infos: SignerInfos(signer_infos),
    };
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(encoding)?,
    }
    .to_der()
    .map_err(encoding)
}

/// How the CMS names its signer.
#[derive(Debug)]
pub(crate) enum SignerId {
    IssuerSerial { issuer: Vec<u8>, serial: Vec<u8> },
    KeyId(Vec<u8>),
}

/// A certificate named by an ESS signing-certificate attribute.
#[derive(Debug)]
pub(crate) struct EssCert {
    pub digest: CmsDigest,
    pub hash: Vec<u8>,
    /// (issuer names as DER, serial without leading zeros)
    pub issuer_serial: Option<(Vec<Vec<u8>>, Vec<u8>)>,
}

/// What verification needs from a CMS signature.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub digest: CmsDigest,
    pub message_digest: Vec<u8>,
    /// The signed attributes' DER with the SET OF tag, as signed.
    pub signed_attrs: Vec<u8>,
    pub signature_algorithm: Oid,
    pub signature_parameters: Option<Any>,
    pub signature: Vec<u8>,
    pub certificates: Vec<Vec<u8>>,
    pub signer: SignerId,
    /// From signingCertificateV2 (or, failing that, signingCertificate).
    pub ess: Option<Vec<EssCert>>,
    pub ess_v2: bool,
    /// A CMS signing-time attribute (PAdES baseline forbids it).
    pub has_signing_time: bool,
}

fn bad(what: impl std::fmt::Display) -> PdfRefusal {
    PdfRefusal::BadCms(what.to_string())
}

fn strip_zeros(bytes: &[u8]) -> Vec<u8> {
    let start = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    bytes[start..].to_vec()
}

/// One DER value.
struct Tlv<'a> {
    tag: u8,
    /// Tag, length and content.
    full: &'a [u8],
    content: &'a [u8],
    /// What follows it.
    rest: &'a [u8],
}

/// Reads one DER value: definite lengths only (DER), one-byte tags.
fn tlv(input: &[u8]) -> Option<Tlv<'_>> {
    let tag = *input.first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let first = *input.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | usize::from(*input.get(2 + i)?);
        }
        (len, 2 + n)
    };
    let end = header.checked_add(len)?;
    let full = input.get(..end)?;
    Some(Tlv {
        tag,
        full,
        content: &full[header..],
        rest: &input[end..],
    })
}

/// The length of the DER value at the start of `input`.
pub(crate) fn der_len(input: &[u8]) -> Option<usize> {
    tlv(input).map(|t| t.full.len())
}

/// The raw `[0] IMPLICIT SignedAttributes` of the one SignerInfo.
fn raw_signed_attrs(cms: &[u8]) -> Option<Vec<u8>> {
    let content_info = tlv(cms)?.content;
    let explicit = tlv(tlv(content_info)?.rest)?.content; // after contentType: [0]
    let mut signed_data = tlv(explicit)?.content;
    let mut last = None;
    while !signed_data.is_empty() {
        let field = tlv(signed_data)?;
        signed_data = field.rest;
        last = Some(field);
    }
    let signer_infos = last.filter(|t| t.tag == 0x31)?;
    let mut signer_info = tlv(signer_infos.content)?.content;
    for _ in 0..3 {
        signer_info = tlv(signer_info)?.rest; // version, sid, digestAlgorithm
    }
    let attrs = tlv(signer_info).filter(|t| t.tag == 0xa0)?;
    let mut der = attrs.full.to_vec();
    der[0] = 0x31;
    Some(der)
}

fn single_value<'a>(attr: &'a Attribute, name: &'static str) -> Result<&'a Any, PdfRefusal> {
    match attr.values.as_slice() {
        [one] => Ok(one),
        _ => Err(bad(format!(
            "the {name} attribute must hold exactly one value"
        ))),
    }
}

fn issuer_serial(is: &IssuerSerial) -> Result<(Vec<Vec<u8>>, Vec<u8>), PdfRefusal> {
    let mut names = Vec::new();
    for name in &is.issuer {
        if let GeneralName::DirectoryName(n) = name {
            names.push(n.to_der().map_err(bad)?);
        }
    }
    Ok((names, strip_zeros(is.serial_number.as_bytes())))
}

/// Reads a CMS signature of a PDF.
pub(crate) fn parse(cms: &[u8]) -> Result<Parsed, PdfRefusal> {
    let content_info = ContentInfo::from_der(cms).map_err(bad)?;
    if content_info.content_type != ID_SIGNED_DATA {
        return Err(bad(format!(
            "the content type is {}, not signedData",
            content_info.content_type
        )));
    }
    let signed: SignedData = content_info.content.decode_as().map_err(bad)?;
    if signed.encap_content_info.econtent_type != ID_DATA {
        return Err(bad("the encapsulated content type is not id-data"));
    }
    if signed.encap_content_info.econtent.is_some() {
        return Err(PdfRefusal::NotDetached);
    }
    let signer_info = match signed.signer_infos.0.as_slice() {
        [one] => one,
        [] => return Err(bad("the SignedData has no SignerInfo")),
        several => {
            return Err(bad(format!(
                "the SignedData has {} SignerInfos; a PAdES signature has one",
                several.len()
            )));
        }
    };
    let digest = CmsDigest::from_oid(&signer_info.digest_alg.oid).ok_or_else(|| {
        PdfRefusal::UnsupportedAlgorithm(format!("digest algorithm {}", signer_info.digest_alg.oid))
    })?;
    let attrs = signer_info
        .signed_attrs
        .as_ref()
        .ok_or(PdfRefusal::MissingAttribute("signed attributes"))?;
    let mut content_type = None;
    let mut message_digest = None;
    let mut ess = None;
    let mut ess_v1 = None;
    let mut has_signing_time = false;
    let mut seen = Vec::new();
    for attr in attrs.iter() {
        if seen.contains(&attr.oid) {
            return Err(bad(format!(
                "the signed attribute {} appears twice",
                attr.oid
            )));
        }
        seen.push(attr.oid);
        match attr.oid {
            ID_CONTENT_TYPE => {
                content_type = Some(
                    single_value(attr, "contentType")?
                        .decode_as::<Oid>()
                        .map_err(bad)?,
                );
            }
            ID_MESSAGE_DIGEST => {
                message_digest = Some(
                    single_value(attr, "messageDigest")?
                        .decode_as::<OctetString>()
                        .map_err(bad)?
                        .into_bytes(),
                );
            }
            ID_SIGNING_CERTIFICATE_V2 => {
                let value: SigningCertificateV2 = single_value(attr, "signingCertificateV2")?
                    .decode_as()
                    .map_err(bad)?;
                let mut certs = Vec::new();
                for id in &value.certs {
                    certs.push(EssCert {
                        digest: match &id.hash_algorithm {
                            None => CmsDigest::Sha256,
                            Some(alg) => CmsDigest::from_oid(&alg.oid).ok_or_else(|| {
                                PdfRefusal::UnsupportedAlgorithm(format!(
                                    "signingCertificateV2 hash {}",
                                    alg.oid
                                ))
                            })?,
                        },
                        hash: id.cert_hash.as_bytes().to_vec(),
                        issuer_serial: id.issuer_serial.as_ref().map(issuer_serial).transpose()?,
                    });
                }
                ess = Some(certs);
            }
            ID_SIGNING_CERTIFICATE => {
                let value: SigningCertificateV1 = single_value(attr, "signingCertificate")?
                    .decode_as()
                    .map_err(bad)?;
                let mut certs = Vec::new();
                for id in &value.certs {
                    certs.push(EssCert {
                        digest: CmsDigest::Sha1,
                        hash: id.cert_hash.as_bytes().to_vec(),
                        issuer_serial: id.issuer_serial.as_ref().map(issuer_serial).transpose()?,
                    });
                }
                ess_v1 = Some(certs);
            }
            ID_SIGNING_TIME => has_signing_time = true,
            _ => {}
        }
    }
    if content_type.ok_or(PdfRefusal::MissingAttribute("contentType"))? != ID_DATA {
        return Err(bad("the contentType attribute is not id-data"));
    }
    let message_digest = message_digest.ok_or(PdfRefusal::MissingAttribute("messageDigest"))?;
    let signed_attrs =
        raw_signed_attrs(cms).ok_or_else(|| bad("the signed attributes cannot be located"))?;
    let signer = match &signer_info.sid {
        SignerIdentifier::IssuerAndSerialNumber(is) => SignerId::IssuerSerial {
            issuer: is.issuer.to_der().map_err(bad)?,
            serial: strip_zeros(is.serial_number.as_bytes()),
        },
        SignerIdentifier::SubjectKeyIdentifier(ski) => SignerId::KeyId(ski.0.as_bytes().to_vec()),
    };
    let mut certificates = Vec::new();
    if let Some(set) = &signed.certificates {
        for choice in set.0.iter() {
            if let cms::cert::CertificateChoices::Certificate(cert) = choice {
                certificates.push(cert.to_der().map_err(bad)?);
            }
        }
    }
    let ess_v2 = ess.is_some();
    Ok(Parsed {
        digest,
        message_digest,
        signed_attrs,
        signature_algorithm: signer_info.signature_algorithm.oid,
        signature_parameters: signer_info.signature_algorithm.parameters.clone(),
        signature: signer_info.signature.as_bytes().to_vec(),
        certificates,
        signer,
        ess: ess.or(ess_v1),
        ess_v2,
        has_signing_time,
    })
}

/// The signature scheme a CMS signature algorithm names (the digest
/// algorithm completes rsaEncryption); ECDSA schemes are refined to the
/// key's curve by the caller.
pub(crate) fn scheme_of(
    oid: &Oid,
    parameters: Option<&Any>,
    digest: CmsDigest,
) -> Result<SignatureScheme, PdfRefusal> {
    // RSA identifiers carry NULL or no parameters; anything else is refused.
    let rsa_params_ok = parameters.is_none_or(|p| p.tag() == der::Tag::Null);
    let unsupported = |what: &str| PdfRefusal::UnsupportedAlgorithm(what.to_string());
    let scheme = match *oid {
        RSA_ENCRYPTION | SHA1_WITH_RSA | SHA256_WITH_RSA | SHA384_WITH_RSA | SHA512_WITH_RSA
            if !rsa_params_ok =>
        {
            return Err(unsupported("RSA signature algorithm with parameters"));
        }
        RSA_ENCRYPTION => match digest {
            CmsDigest::Sha1 => SignatureScheme::RsaPkcs1Sha1,
            CmsDigest::Sha256 => SignatureScheme::RsaPkcs1Sha256,
            CmsDigest::Sha384 => SignatureScheme::RsaPkcs1Sha384,
            CmsDigest::Sha512 => SignatureScheme::RsaPkcs1Sha512,
        },
        SHA1_WITH_RSA => SignatureScheme::RsaPkcs1Sha1,
        SHA256_WITH_RSA => SignatureScheme::RsaPkcs1Sha256,
        SHA384_WITH_RSA => SignatureScheme::RsaPkcs1Sha384,
        SHA512_WITH_RSA => SignatureScheme::RsaPkcs1Sha512,
        ECDSA_WITH_SHA256 => SignatureScheme::EcdsaP256Sha256,
        ECDSA_WITH_SHA384 => SignatureScheme::EcdsaP384Sha384,
        ECDSA_WITH_SHA1 => return Err(PdfRefusal::WeakAlgorithm("ecdsa-with-SHA1".into())),
        ECDSA_WITH_SHA512 => return Err(unsupported("ecdsa-with-SHA512")),
        RSASSA_PSS => return Err(unsupported("RSASSA-PSS in CMS")),
        ED25519 => {
            return Err(unsupported(
                "Ed25519 (outside Circular 15/2025 Annex I: RSA or ECDSA)",
            ));
        }
        other => return Err(unsupported(&format!("signature algorithm {other}"))),
    };
    Ok(scheme)
}

/// Whether the ESS certificate identifier names `cert`.
pub(crate) fn ess_matches(ess: &EssCert, cert: &Certificate) -> bool {
    if ess.digest.digest(cert.der()) != ess.hash {
        return false;
    }
    match &ess.issuer_serial {
        None => true,
        Some((issuers, serial)) => {
            let issuer = Name::from_der(cert.issuer_der()).and_then(|n| n.to_der());
            *serial == strip_zeros(cert.serial_bytes())
                && issuer.is_ok_and(|issuer| issuers.contains(&issuer))
        }
    }
}

/// Whether `cert` is the one the SignerIdentifier names.
pub(crate) fn names_signer(id: &SignerId, cert: &Certificate) -> bool {
    match id {
        SignerId::IssuerSerial { issuer, serial } => {
            let cert_issuer = Name::from_der(cert.issuer_der()).and_then(|n| n.to_der());
            *serial == strip_zeros(cert.serial_bytes()) && cert_issuer.is_ok_and(|i| i == *issuer)
        }
        SignerId::KeyId(key_id) => {
            // hoso-pki does not expose the subjectKeyIdentifier; read it.
            x509_cert::Certificate::from_der(cert.der())
                .ok()
                .and_then(|c| c.tbs_certificate.extensions)
                .into_iter()
                .flatten()
                .find(|e| e.extn_id == Oid::new_unwrap("2.5.29.14"))
                .and_then(|e| OctetString::from_der(e.extn_value.as_bytes()).ok())
                .is_some_and(|ski| ski.as_bytes() == key_id.as_slice())
        }
    }
}
