//! Typed errors of hoso-pki: what was refused and by which rule.

use std::path::PathBuf;

/// An error from parsing PKI data, loading trust material or verifying a
/// signature.
///
/// Chain validation does not return errors: it returns a
/// [`crate::Validation`] whose [`crate::ChainStatus`] says why a chain is not
/// trusted.  `PkiError` is for inputs that cannot be used at all and for
/// [`crate::verify_signature`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PkiError {
    /// DER that does not decode as the expected structure.
    #[error("malformed {what}: {detail}")]
    Malformed {
        /// What was being decoded ("certificate", "CRL", "OCSP response", ...).
        what: &'static str,
        /// Why it does not decode.
        detail: String,
    },
    /// PEM input without a block of the expected label.
    #[error("no PEM block labelled {label:?} in the input")]
    NoPemBlock {
        /// The label looked for, e.g. `CERTIFICATE`.
        label: &'static str,
    },
    /// A PEM block that is not valid (bad base64, missing END line).
    #[error("malformed PEM: {0}")]
    Pem(String),
    /// A date-time that is not valid RFC 3339 / xs:dateTime, or lacks a zone
    /// where one is required.
    #[error("invalid date-time {input:?}: {reason}")]
    InvalidTime {
        /// The input (cut to 64 characters).
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Reading trust material from a file or directory failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A trust-material file whose content could not be used.
    #[error("{}: {source}", path.display())]
    InFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with its content.
        #[source]
        source: Box<PkiError>,
    },
    /// A signature scheme refused as weak (SHA-1) without the explicit
    /// opt-in for historical documents.
    #[error(
        "weak algorithm refused: {algorithm} (SHA-1 is accepted only with the explicit opt-in for historical documents)"
    )]
    WeakAlgorithm {
        /// The scheme's or algorithm's name ("RSA-PKCS1-SHA1",
        /// "sha1WithRSAEncryption").
        algorithm: &'static str,
    },
    /// A key refused as too small.
    #[error("weak key refused: {key} is below the minimum of {min_bits} bits")]
    WeakKey {
        /// The key, e.g. "RSA-1024".
        key: String,
        /// The minimum size that applied.
        min_bits: usize,
    },
    /// The key cannot make signatures of the requested scheme (an EC key
    /// with an RSA scheme, a P-384 key with ECDSA P-256, ...).
    #[error("key {key} cannot verify {scheme} signatures")]
    KeyMismatch {
        /// The key.
        key: String,
        /// The scheme.
        scheme: &'static str,
    },
    /// An algorithm, key type or structure that hoso-pki does not support.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The signature is not a valid signature over the message with the key.
    #[error("the signature does not verify with the given key")]
    BadSignature,
    /// An OCSP response whose status is not `successful`; it carries no
    /// certificate status.
    #[error("OCSP responder answered {0}: the response holds no certificate status")]
    OcspNotSuccessful(&'static str),
}

impl PkiError {
    pub(crate) fn malformed(what: &'static str, detail: impl std::fmt::Display) -> Self {
        PkiError::Malformed {
            what,
            detail: detail.to_string(),
        }
    }
}
