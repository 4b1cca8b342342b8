//! The algorithms hoso accepts, by their XML-DSig identifiers.  Anything not
//! listed here is refused by name.

use hoso_pki::SignatureScheme;

/// XML-DSig namespace.
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// XAdES 1.3.2 namespace.
pub const XADES_NS: &str = "http://uri.etsi.org/01903/v1.3.2#";
/// The Reference Type of XAdES SignedProperties.
pub const SIGNED_PROPERTIES_TYPE: &str = "http://uri.etsi.org/01903#SignedProperties";
/// The enveloped-signature transform.
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// A digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// SHA-1: weak, only for historical documents.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

const DIGESTS: [(&str, DigestAlgorithm); 4] = [
    (
        "http://www.w3.org/2000/09/xmldsig#sha1",
        DigestAlgorithm::Sha1,
    ),
    (
        "http://www.w3.org/2001/04/xmlenc#sha256",
        DigestAlgorithm::Sha256,
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#sha384",
        DigestAlgorithm::Sha384,
    ),
    (
        "http://www.w3.org/2001/04/xmlenc#sha512",
        DigestAlgorithm::Sha512,
    ),
];

impl DigestAlgorithm {
    /// The algorithm with this identifier.
    pub fn from_uri(uri: &str) -> Option<Self> {
        DIGESTS.iter().find(|d| d.0 == uri).map(|d| d.1)
    }

    /// The XML-DSig identifier.
    pub fn uri(self) -> &'static str {
        DIGESTS
            .iter()
            .find(|d| d.1 == self)
            .map(|d| d.0)
            .expect("listed")
    }

    /// Whether the algorithm is too weak for new signatures.
    pub fn is_weak(self) -> bool {
        self == DigestAlgorithm::Sha1
    }

    /// A short name ("SHA-256").
    pub fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha1 => "SHA-1",
            DigestAlgorithm::Sha256 => "SHA-256",
            DigestAlgorithm::Sha384 => "SHA-384",
            DigestAlgorithm::Sha512 => "SHA-512",
        }
    }

    pub(crate) fn ring(self) -> &'static ring::digest::Algorithm {
        match self {
            DigestAlgorithm::Sha1 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            DigestAlgorithm::Sha256 => &ring::digest::SHA256,
            DigestAlgorithm::Sha384 => &ring::digest::SHA384,
            DigestAlgorithm::Sha512 => &ring::digest::SHA512,
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        ring::digest::digest(self.ring(), data).as_ref().to_vec()
    }
}

/// A signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignatureAlgorithm {
    /// The scheme, as hoso-pki verifies it.
    pub scheme: SignatureScheme,
}

const SIGNATURES: [(&str, SignatureScheme); 10] = [
    (
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        SignatureScheme::RsaPkcs1Sha1,
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        SignatureScheme::RsaPkcs1Sha256,
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
        SignatureScheme::RsaPkcs1Sha384,
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
        SignatureScheme::RsaPkcs1Sha512,
    ),
    (
        "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
        SignatureScheme::RsaPssSha256,
    ),
    (
        "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1",
        SignatureScheme::RsaPssSha384,
    ),
    (
        "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1",
        SignatureScheme::RsaPssSha512,
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
        SignatureScheme::EcdsaP256Sha256,
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
        SignatureScheme::EcdsaP384Sha384,
    ),
    (
        "http://www.w3.org/2021/04/xmldsig-more#eddsa-ed25519",
        SignatureScheme::Ed25519,
    ),
];

impl SignatureAlgorithm {
    /// The algorithm with this identifier.
    pub fn from_uri(uri: &str) -> Option<Self> {
        SIGNATURES
            .iter()
            .find(|s| s.0 == uri)
            .map(|s| SignatureAlgorithm { scheme: s.1 })
    }

    /// The XML-DSig identifier of a scheme.
    pub fn uri_of(scheme: SignatureScheme) -> &'static str {
        SIGNATURES
            .iter()
            .find(|s| s.1 == scheme)
            .map(|s| s.0)
            .expect("listed")
    }
}

/// Whether a SignatureMethod identifier names an HMAC, which proves nothing
/// about who signed and is refused outright.
pub fn is_hmac(uri: &str) -> bool {
    uri.contains("hmac")
}
/// A sink that hashes canonical bytes as they stream and, when asked, keeps
/// a copy (what was signed, for the caller to read).
pub(crate) struct DigestWriter {
    context: ring::digest::Context,
    copy: Option<Vec<u8>>,
}

impl DigestWriter {
    pub(crate) fn new(algorithm: DigestAlgorithm, keep_copy: bool) -> Self {
        DigestWriter {
            context: ring::digest::Context::new(algorithm.ring()),
            copy: keep_copy.then(Vec::new),
        }
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.finish_with_copy().0
    }

    pub(crate) fn finish_with_copy(self) -> (Vec<u8>, Option<Vec<u8>>) {
        (self.context.finish().as_ref().to_vec(), self.copy)
    }
}

impl std::io::Write for DigestWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.context.update(buf);
        if let Some(copy) = &mut self.copy {
            copy.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
