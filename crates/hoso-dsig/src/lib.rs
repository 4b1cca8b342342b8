//! XML-DSig and XAdES signatures for hoso, under the Vietnamese PKI rules
//! (Circular 15/2025/TT-BKHCN).
//!
//! * [`verify_form`] applies the submission policy: exactly one signature,
//!   covering the document element, valid, by a trusted signer; it returns
//!   the canonical bytes that were signed, which is what callers must read
//!   the form from.
//! * [`verify_all`] verifies every signature of a received document on its
//!   own and reports each.
//! * [`sign_enveloped`] signs a document with an enveloped XAdES B-B
//!   signature.
//!
//! The caller hands in everything: document bytes, trust store, the
//! verification time, CRLs and OCSP responses.  This crate does no I/O.
//!
//! ```
//! use hoso_dsig::{SignOptions, SigningKey, VerifyOptions, sign_enveloped, verify_form};
//! use hoso_pki::{Certificate, Timestamp, TrustStore};
//!
//! // The TEST PKI of the repository: a signer under TEST CA 1, the TEST root.
//! let key = SigningKey::from_pem(include_bytes!("../../../certs/test/signers/person-cccd.key.pem"))?;
//! let mut chain = Certificate::from_pem(include_bytes!("../../../certs/test/signers/person-cccd.pem"))?;
//! chain.extend(Certificate::from_pem(include_bytes!("../../../certs/test/ca/ca1.pem"))?);
//! let mut trust = TrustStore::new();
//! for root in Certificate::from_pem(include_bytes!("../../../certs/test/ca/root.pem"))? {
//!     trust.add_anchor(root);
//! }
//!
//! let form = "<ToKhai xmlns='urn:hoso:vi-du'><HoTen>Nguyễn Thị Minh Khai</HoTen></ToKhai>";
//! let at = Timestamp::parse_rfc3339("2030-01-01T00:00:00Z")?;
//! let signed = sign_enveloped(form.as_bytes(), &key, &SignOptions::new(chain, at))?;
//!
//! let accepted = verify_form(&signed, &VerifyOptions::new(&trust, at)).expect("accepted");
//! assert_eq!(
//!     String::from_utf8(accepted.signed.canonical)?,
//!     r#"<ToKhai xmlns="urn:hoso:vi-du"><HoTen>Nguyễn Thị Minh Khai</HoTen></ToKhai>"#
//! );
//! let identity = accepted.signature.identity.expect("read from the certificate");
//! assert_eq!(identity.ids, vec![hoso_pki::PersonalId::Cccd("001203004567".into())]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod algorithms;
mod error;
pub mod jws;
mod pfx;
pub mod report;
mod sign;
mod tree;
mod verify;

pub use algorithms::{DSIG_NS, DigestAlgorithm, SignatureAlgorithm, XADES_NS};
pub use error::{DsigError, Refusal};
pub use jws::{sign_jws, verify_jws};
pub use pfx::{MAX_PKCS12_BYTES, Pkcs12Error};
pub use sign::{SignError, SignOptions, SigningKey, sign_enveloped};
pub use tree::MAX_SIGNATURE_NODES;
pub use verify::{
    AcceptedForm, Algorithms, DocumentReport, Integrity, ReferenceReport, RefusedForm,
    SignatureReport, SignedContent, SigningTime, SigningTimeSource, VerifyOptions, Warning,
    form_policy, into_accepted_form, verify_all, verify_form,
};
