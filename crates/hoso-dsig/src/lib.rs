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
