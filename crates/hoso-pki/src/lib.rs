//! X.509 trust for hoso: trust anchors, path building, validity at a time,
//! key usage policy, CRL and OCSP, and the signer's Vietnamese identity.
//!
//! The rules are those of Circular 15/2025/TT-BKHCN (Annex I: RSA ≥ 2048 or
//! ECDSA ≥ 256 bits, SHA-2; Annex II: the signing time must lie in the
//! validity, revocation is judged at the signing time, an unknown status is
//! warned about) on top of the essentials of RFC 5280 and RFC 6960.
//!
//! * [`Certificate`], [`Crl`], [`OcspResponse`] parse DER (and PEM).
//! * [`TrustStore::validate`] builds a path from a signer to an anchor,
//!   verifying every signature on the way, applies a [`Policy`] and checks
//!   revocation with the data the caller passes; it returns a
//!   [`Validation`] with the chain, a [`ChainStatus`], the
//!   [`RevocationStatus`] and [`Warning`]s, each in English and Vietnamese.
//! * [`verify_signature`] verifies a document signature with a
//!   [`PublicKey`] under the same algorithm rules.
//! * [`Certificate::identity`] reads `CCCD:`, `CMND:`, `HC:` and `MST:`
//!   identifiers into an [`Identity`].
//!
//! This crate does no network I/O and reads no clock except
//! [`Timestamp::now`]; files are read only by
//! [`TrustStore::add_pem_file`] and [`TrustStore::add_pem_dir`].
//!
//! ```
//! use hoso_pki::{Certificate, ChainStatus, PersonalId, Policy, Timestamp, TrustStore, ValidationInput};
//!
//! let test = concat!(env!("CARGO_MANIFEST_DIR"), "/../../certs/test");
//! let mut store = TrustStore::new();
//! store.add_pem_file(format!("{test}/ca/root.pem").as_ref(), true)?;
//! store.add_pem_file(format!("{test}/ca/ca1.pem").as_ref(), false)?;
//!
//! let signer = Certificate::from_pem(&std::fs::read(format!("{test}/signers/person-cccd.pem")).unwrap())?.remove(0);
//! let v = store.validate(&Policy::default(), &ValidationInput::new(&signer, Timestamp::parse_rfc3339("2030-01-01T00:00:00Z")?));
//! assert_eq!(v.status, ChainStatus::Trusted);
//! assert_eq!(v.warnings.len(), 1, "no revocation data was given: {:?}", v.warnings);
//! assert_eq!(signer.identity().ids, vec![PersonalId::Cccd("001203004567".into())]);
//! # Ok::<(), hoso_pki::PkiError>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod asn1;
mod cert;
mod crl;
mod error;
mod identity;
mod key;
mod name;
mod ocsp;
mod path;
pub mod profiles;
mod report;
mod revocation;
mod store;
mod time;

pub use cert::Certificate;
pub use crl::Crl;
pub use error::PkiError;
pub use identity::{Identity, PersonalId};
pub use key::{
    EcdsaEncoding, KeyBytes, MIN_RSA_BITS, PublicKey, SignatureScheme, verify_signature,
};
pub use ocsp::OcspResponse;
pub use report::{ChainStatus, RevocationSource, RevocationStatus, Validation, Warning};
pub use store::{Policy, Purpose, TrustStore, UnknownRevocation, ValidationInput};
pub use time::Timestamp;
