//! Enveloped XML signatures, XAdES baseline B-B by default.

use std::fmt::Write as _;

use base64::Engine as _;
use hoso_pki::{Certificate, SignatureScheme, Timestamp};
use hoso_xml::{Algorithm, Canonicalizer, Event, Limits, Method, Reader, Selection};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RsaKeyPair};

use crate::algorithms::{
    DSIG_NS, DigestAlgorithm, DigestWriter, ENVELOPED, SIGNED_PROPERTIES_TYPE, SignatureAlgorithm,
    XADES_NS,
};

/// Why a document could not be signed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The document is refused by the XML reader.
    #[error(transparent)]
    Xml(#[from] hoso_xml::Error),
    /// The key does not parse or is of a kind hoso does not sign with.
    #[error("unusable signing key: {0}")]
    Key(String),
    /// The scheme does not fit the key.
    #[error("the signature algorithm {scheme} does not fit a {key} key")]
    SchemeMismatch {
        /// The scheme asked for.
        scheme: &'static str,
        /// The key's kind.
        key: &'static str,
    },
    /// No certificate was given for the key.
    #[error("a signer certificate is needed: KeyInfo carries the certificate chain")]
    NoCertificate,
    /// The key failed to sign.
    #[error("signing failed")]
    Signing,
    /// The document element is an empty-element tag: there is no form.
    #[error("the document element is empty: there is nothing to sign")]
    EmptyDocument,
    /// A PKCS#12 file gave no signing key: wrong password, damaged,
    /// unsupported protection, or no key with its certificate.
    #[error(transparent)]
    Pkcs12(#[from] crate::pfx::Pkcs12Error),
}

/// A private key hoso can sign with.
pub enum SigningKey {
    /// RSA (PKCS#1 v1.5 or PSS).
    Rsa(RsaKeyPair),
    /// ECDSA P-256.
    EcdsaP256(EcdsaKeyPair),
    /// ECDSA P-384.
    EcdsaP384(EcdsaKeyPair),
    /// Ed25519.
    Ed25519(Ed25519KeyPair),
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind())
    }
}

impl SigningKey {
    fn kind(&self) -> &'static str {
        match self {
            SigningKey::Rsa(_) => "RSA",
            SigningKey::EcdsaP256(_) => "ECDSA P-256",
            SigningKey::EcdsaP384(_) => "ECDSA P-384",
            SigningKey::Ed25519(_) => "Ed25519",
        }
    }

    /// Reads a PEM private key: PKCS#8 (`PRIVATE KEY`), PKCS#1
    /// (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`).  Encrypted PEM is not
    /// read here; use PKCS#12 for protected keys.
    pub fn from_pem(pem: &[u8]) -> Result<Self, SignError> {
        let (label, der) =
            der::pem::decode_vec(pem).map_err(|e| SignError::Key(format!("not a PEM key: {e}")))?;
        match label {
            "PRIVATE KEY" => Self::from_pkcs8_der(&der),
            "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der)
                .map(SigningKey::Rsa)
                .map_err(|e| SignError::Key(format!("PKCS#1 RSA key: {e}"))),
            "EC PRIVATE KEY" => Self::from_sec1_der(&der),
            "ENCRYPTED PRIVATE KEY" => Err(SignError::Key(
                "encrypted PKCS#8 keys are not read; use a PKCS#12 file".into(),
            )),
            other => Err(SignError::Key(format!(
                "PEM label {other:?} is not a private key"
            ))),
        }
    }

    /// Reads a PKCS#8 DER private key of any supported kind.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, SignError> {
        let rng = SystemRandom::new();
        if let Ok(k) = RsaKeyPair::from_pkcs8(der) {
            return Ok(SigningKey::Rsa(k));
        }
        if let Ok(k) =
            EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, der, &rng)
        {
            return Ok(SigningKey::EcdsaP256(k));
        }
        if let Ok(k) =
            EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P384_SHA384_FIXED_SIGNING, der, &rng)
        {
            return Ok(SigningKey::EcdsaP384(k));
        }
        if let Ok(k) = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der) {
            return Ok(SigningKey::Ed25519(k));
        }
        Err(SignError::Key(
            "PKCS#8 key of an unsupported kind (RSA, ECDSA P-256/P-384 or Ed25519)".into(),
        ))
    }

    /// Reads a PKCS#12 (`.p12` / `.pfx`) file: the private key and the
    /// certificates it holds.  The certificates come signer first (the one
    /// whose public key is the key's), then its issuer, that one's issuer
    /// and so on as far as the file has them, then any others in file
    /// order; duplicates are dropped.
    ///
    /// Reads the OpenSSL 3 default protection (PBES2: PBKDF2-HMAC-SHA-256,
    /// AES-256-CBC; SHA-256 MAC) and the legacy one of Windows, Java and
    /// USB-token tools (`pbeWithSHAAnd3-KeyTripleDES-CBC`, certificates
    /// under `pbeWithSHAAnd40BitRC2-CBC`; SHA-1 MAC).  A wrong password is
    /// [`Pkcs12Error::WrongPassword`](crate::Pkcs12Error::WrongPassword);
    /// protection hoso does not read is
    /// [`Pkcs12Error::Unsupported`](crate::Pkcs12Error::Unsupported).
    pub fn from_pkcs12(der: &[u8], password: &str) -> Result<(Self, Vec<Certificate>), SignError> {
        crate::pfx::signer_from_pkcs12(der, password)
    }

    /// Reads a SEC1 `ECPrivateKey` (P-256 or P-384, with its public key).
    fn from_sec1_der(der: &[u8]) -> Result<Self, SignError> {
        let bad = |why: &str| SignError::Key(format!("SEC1 EC key: {why}"));
        let key: Sec1Key = der::Decode::from_der(der).map_err(|e| bad(&e.to_string()))?;
        let public = key
            .public_key
            .ok_or_else(|| bad("the public key is missing"))?;
        let public = public.as_bytes().ok_or_else(|| bad("bad public key"))?;
        let curve = key.parameters.ok_or_else(|| bad("the curve is missing"))?;
        let rng = SystemRandom::new();
        let (algorithm, wrap): (
            &'static signature::EcdsaSigningAlgorithm,
            fn(EcdsaKeyPair) -> SigningKey,
        ) = match curve.to_string().as_str() {
            "1.2.840.10045.3.1.7" => (
                &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                SigningKey::EcdsaP256,
            ),
            "1.3.132.0.34" => (
                &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
                SigningKey::EcdsaP384,
            ),
            other => return Err(bad(&format!("unsupported curve {other}"))),
        };
        EcdsaKeyPair::from_private_key_and_public_key(
            algorithm,
            key.private_key.as_bytes(),
            public,
            &rng,
        )
        .map(wrap)
        .map_err(|e| bad(&e.to_string()))
    }

    /// The scheme used when none is asked for.
    pub fn default_scheme(&self) -> SignatureScheme {
        match self {
            SigningKey::Rsa(_) => SignatureScheme::RsaPkcs1Sha256,
            SigningKey::EcdsaP256(_) => SignatureScheme::EcdsaP256Sha256,
            SigningKey::EcdsaP384(_) => SignatureScheme::EcdsaP384Sha384,
            SigningKey::Ed25519(_) => SignatureScheme::Ed25519,
        }
    }

    /// The public key bytes as ring reports them, to match a certificate.
    pub fn public_key_bytes(&self) -> Vec<u8> {
        match self {
            SigningKey::Rsa(k) => k.public_key().as_ref().to_vec(),
            SigningKey::EcdsaP256(k) | SigningKey::EcdsaP384(k) => k.public_key().as_ref().to_vec(),
            SigningKey::Ed25519(k) => k.public_key().as_ref().to_vec(),
        }
    }

    /// Signs `message` with `scheme` (which hashes it): RSA PKCS#1 v1.5 or
    /// PSS, ECDSA as the fixed-size `r || s` of XML-DSig and JWS (CMS wants
    /// the DER `ECDSA-Sig-Value`: convert), or Ed25519.  A scheme that does
    /// not fit the key is [`SignError::SchemeMismatch`].
    pub fn sign(&self, scheme: SignatureScheme, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let rng = SystemRandom::new();
        let mismatch = || SignError::SchemeMismatch {
            scheme: scheme.name(),
            key: self.kind(),
        };
        match self {
            SigningKey::Rsa(k) => {
                let padding: &dyn signature::RsaEncoding = match scheme {
                    SignatureScheme::RsaPkcs1Sha256 => &signature::RSA_PKCS1_SHA256,
                    SignatureScheme::RsaPkcs1Sha384 => &signature::RSA_PKCS1_SHA384,
                    SignatureScheme::RsaPkcs1Sha512 => &signature::RSA_PKCS1_SHA512,
                    SignatureScheme::RsaPssSha256 => &signature::RSA_PSS_SHA256,
                    SignatureScheme::RsaPssSha384 => &signature::RSA_PSS_SHA384,
                    SignatureScheme::RsaPssSha512 => &signature::RSA_PSS_SHA512,
                    _ => return Err(mismatch()),
                };
                let mut out = vec![0; k.public().modulus_len()];
                k.sign(padding, &rng, message, &mut out)
                    .map_err(|_| SignError::Signing)?;
                Ok(out)
            }
            SigningKey::EcdsaP256(k) if scheme == SignatureScheme::EcdsaP256Sha256 => Ok(k
                .sign(&rng, message)
                .map_err(|_| SignError::Signing)?
                .as_ref()
                .to_vec()),
            SigningKey::EcdsaP384(k) if scheme == SignatureScheme::EcdsaP384Sha384 => Ok(k
                .sign(&rng, message)
                .map_err(|_| SignError::Signing)?
                .as_ref()
                .to_vec()),
            SigningKey::Ed25519(k) if scheme == SignatureScheme::Ed25519 => {
                Ok(k.sign(message).as_ref().to_vec())
            }
            _ => Err(mismatch()),
        }
    }
}

/// SEC1 `ECPrivateKey` (RFC 5915).
#[derive(der::Sequence)]
struct Sec1Key {
    #[allow(dead_code)] // checked by the decoder's schema, not read
    version: u8,
    private_key: der::asn1::OctetString,
    #[asn1(context_specific = "0", optional = "true")]
    parameters: Option<der::asn1::ObjectIdentifier>,
    #[asn1(context_specific = "1", optional = "true")]
    public_key: Option<der::asn1::BitString>,
}

/// How to sign.
#[derive(Debug, Clone)]
pub struct SignOptions {
    /// The signer's certificate first, then the chain to include in KeyInfo.
    pub certificates: Vec<Certificate>,
    /// Canonicalization of SignedInfo and of the references (exclusive by
    /// default).
    pub c14n: Method,
    /// The signature scheme; the key's default when `None`.
    pub scheme: Option<SignatureScheme>,
    /// The digest of the references.
    pub digest: DigestAlgorithm,
    /// Add XAdES B-B properties (SigningTime, SigningCertificateV2).
    pub xades: bool,
    /// The signing time to claim (the caller's clock).
    pub signing_time: Timestamp,
    /// Reader limits.
    pub limits: Limits,
}

impl SignOptions {
    /// XAdES B-B with exclusive canonicalization and SHA-256.
    pub fn new(certificates: Vec<Certificate>, signing_time: Timestamp) -> Self {
        SignOptions {
            certificates,
            c14n: Method {
                algorithm: Algorithm::ExcC14n10,
                with_comments: false,
            },
            scheme: None,
            digest: DigestAlgorithm::Sha256,
            xades: true,
            signing_time,
            limits: Limits::default(),
        }
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Where the signature goes (just before the document element's end tag)
/// and the Ids already taken.
struct Placement {
    insert_at: usize,
    ids: Vec<String>,
}

fn placement(input: &[u8], limits: &Limits) -> Result<Placement, SignError> {
    let mut reader = Reader::new(input, *limits)?;
    let ids_attrs = hoso_xml::IdAttributes::default();
    let mut ids = Vec::new();
    let mut insert_at = None;
    while let Some(event) = reader.next()? {
        match event {
            Event::Start(e) => {
                ids.extend(
                    e.attributes()
                        .filter(|a| ids_attrs.is_id(a.namespace(), a.local_name()))
                        .map(|a| a.value().to_string()),
                );
                if e.depth() == 1 && e.is_empty() {
                    return Err(SignError::EmptyDocument);
                }
            }
            Event::End(end) if end.depth == 1 && insert_at.is_none() => {
                insert_at = Some(reader.event_offset());
            }
            _ => {}
        }
    }
    Ok(Placement {
        insert_at: insert_at.expect("a well-formed document has a document element"),
        ids,
    })
}

struct Parts<'a> {
    id: &'a str,
    c14n: Method,
    scheme: SignatureScheme,
    digest: DigestAlgorithm,
    document_digest: &'a str,
    properties_digest: Option<&'a str>,
    signature_value: &'a str,
    certificates: &'a [Certificate],
    properties: Option<&'a str>,
}

fn transform(out: &mut String, method: Method) {
    let _ = write!(out, "<ds:Transform Algorithm=\"{}\"/>", method.uri());
}

/// The Signature element, as text.
fn signature_xml(p: &Parts<'_>) -> String {
    let mut s = String::new();
    let _ = write!(s, "<ds:Signature xmlns:ds=\"{DSIG_NS}\" Id=\"{}\">", p.id);
    s.push_str("<ds:SignedInfo>");
    let _ = write!(
        s,
        "<ds:CanonicalizationMethod Algorithm=\"{}\"/>",
        p.c14n.uri()
    );
    let _ = write!(
        s,
        "<ds:SignatureMethod Algorithm=\"{}\"/>",
        SignatureAlgorithm::uri_of(p.scheme)
    );
    s.push_str("<ds:Reference URI=\"\"><ds:Transforms>");
    let _ = write!(s, "<ds:Transform Algorithm=\"{ENVELOPED}\"/>");
    transform(&mut s, p.c14n);
    let _ = write!(
        s,
        "</ds:Transforms><ds:DigestMethod Algorithm=\"{}\"/><ds:DigestValue>{}</ds:DigestValue></ds:Reference>",
        p.digest.uri(),
        p.document_digest
    );
    if let Some(digest) = p.properties_digest {
        let _ = write!(
            s,
            "<ds:Reference Type=\"{SIGNED_PROPERTIES_TYPE}\" URI=\"#{}-signed-properties\"><ds:Transforms>",
            p.id
        );
        transform(&mut s, p.c14n);
        let _ = write!(
            s,
            "</ds:Transforms><ds:DigestMethod Algorithm=\"{}\"/><ds:DigestValue>{digest}</ds:DigestValue></ds:Reference>",
            p.digest.uri()
        );
    }
    s.push_str("</ds:SignedInfo>");
    let _ = write!(
        s,
        "<ds:SignatureValue>{}</ds:SignatureValue>",
        p.signature_value
    );
    s.push_str("<ds:KeyInfo><ds:X509Data>");
    for cert in p.certificates {
        let _ = write!(
            s,
            "<ds:X509Certificate>{}</ds:X509Certificate>",
            b64(cert.der())
        );
    }
    s.push_str("</ds:X509Data></ds:KeyInfo>");
    if let Some(properties) = p.properties {
        s.push_str(properties);
    }
    s.push_str("</ds:Signature>");
    s
}

fn xades_properties(
    id: &str,
    signer: &Certificate,
    time: Timestamp,
    digest: DigestAlgorithm,
) -> String {
    format!(
        "<ds:Object><xades:QualifyingProperties xmlns:xades=\"{XADES_NS}\" Target=\"#{id}\">\
         <xades:SignedProperties Id=\"{id}-signed-properties\"><xades:SignedSignatureProperties>\
         <xades:SigningTime>{time}</xades:SigningTime>\
         <xades:SigningCertificateV2><xades:Cert><xades:CertDigest>\
         <ds:DigestMethod Algorithm=\"{}\"/><ds:DigestValue>{}</ds:DigestValue>\
         </xades:CertDigest></xades:Cert></xades:SigningCertificateV2>\
         </xades:SignedSignatureProperties></xades:SignedProperties>\
         </xades:QualifyingProperties></ds:Object>",
        digest.uri(),
        b64(&digest.digest(signer.der())),
    )
}

/// Assembles the signed document from the original and a Signature element.
fn assemble(input: &[u8], place: &Placement, signature: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + signature.len());
    out.extend_from_slice(&input[..place.insert_at]);
    out.extend_from_slice(signature.as_bytes());
    out.extend_from_slice(&input[place.insert_at..]);
    out
}

/// Offset of the element whose `Id` is `id` (one of the signature's own
/// elements, which we wrote).
fn offset_of_id(doc: &[u8], id: &str, limits: &Limits) -> Result<usize, SignError> {
    Ok(hoso_xml::find_id(
        doc,
        id,
        &hoso_xml::IdAttributes::new(["Id"]),
        limits,
    )?)
}

fn offset_of_signed_info(
    doc: &[u8],
    signature_offset: usize,
    limits: &Limits,
) -> Result<usize, SignError> {
    let mut reader = Reader::new(doc, *limits)?;
    while let Some(event) = reader.next()? {
        if let Event::Start(e) = event
            && e.offset() > signature_offset
            && e.namespace() == DSIG_NS
            && e.local_name() == "SignedInfo"
        {
            return Ok(e.offset());
        }
    }
    unreachable!("the signature we inserted has a SignedInfo")
}

/// Signs `input` with an enveloped signature in its document element:
/// `Reference URI=""` with the enveloped-signature transform, the
/// certificate chain in KeyInfo and, unless turned off, XAdES B-B
/// properties.  Returns the signed document.
pub fn sign_enveloped(
    input: &[u8],
    key: &SigningKey,
    options: &SignOptions,
) -> Result<Vec<u8>, SignError> {
    let signer = options
        .certificates
        .first()
        .ok_or(SignError::NoCertificate)?;
    let scheme = options.scheme.unwrap_or_else(|| key.default_scheme());
    let place = placement(input, &options.limits)?;
    let mut reference_c14n = options.c14n;
    reference_c14n.with_comments = false;
    let document = Canonicalizer::new(reference_c14n).write(
        input,
        Selection::document(),
        &options.limits,
        DigestWriter::new(options.digest, false),
    )?;
    let document_digest = b64(&document.finish());
    // An Id no element of the document carries yet.
    let mut id = format!(
        "hoso-sig-{}",
        &document_digest.replace(['+', '/', '='], "")[..10]
    );
    while place.ids.iter().any(|taken| taken.starts_with(&id)) {
        id.push('x');
    }
    let properties = options
        .xades
        .then(|| xades_properties(&id, signer, options.signing_time, options.digest));
    let mut parts = Parts {
        id: &id,
        c14n: options.c14n,
        scheme,
        digest: options.digest,
        document_digest: &document_digest,
        properties_digest: properties.as_ref().map(|_| ""),
        signature_value: "",
        certificates: &options.certificates,
        properties: properties.as_deref(),
    };
    let properties_digest;
    if properties.is_some() {
        let draft = assemble(input, &place, &signature_xml(&parts));
        let at = offset_of_id(&draft, &format!("{id}-signed-properties"), &options.limits)?;
        let c14n = Canonicalizer::new(reference_c14n).write(
            &draft,
            Selection::subtree(at),
            &options.limits,
            DigestWriter::new(options.digest, false),
        )?;
        properties_digest = b64(&c14n.finish());
        parts.properties_digest = Some(&properties_digest);
    }
    let draft = assemble(input, &place, &signature_xml(&parts));
    let signature_at = offset_of_id(&draft, &id, &options.limits)?;
    let signed_info_at = offset_of_signed_info(&draft, signature_at, &options.limits)?;
    let signed_info = Canonicalizer::new(options.c14n).to_vec(
        &draft,
        Selection::subtree(signed_info_at),
        &options.limits,
    )?;
    let value = b64(&key.sign(scheme, &signed_info)?);
    parts.signature_value = &value;
    Ok(assemble(input, &place, &signature_xml(&parts)))
}
