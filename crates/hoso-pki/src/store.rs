//! The trust store, the validation policy and the validation entry point.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::key::{EcdsaEncoding, SigAlg, verify_raw};
use crate::{Certificate, Crl, OcspResponse, PkiError, Timestamp, Validation};

/// Verified (issuer, object) pairs kept before the cache is emptied: a bound
/// on memory for a long-running service fed with ever new certificates.
const CACHE_CAPACITY: usize = 100_000;

/// Trust anchors and known intermediate CAs, with a cache of verified
/// signatures.  `Send + Sync`: build it once, share it behind an `Arc`.
///
/// ```
/// use hoso_pki::{Certificate, ChainStatus, Crl, Policy, RevocationStatus, Timestamp, TrustStore, ValidationInput};
///
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../certs/test");
/// let read = |p: &str| std::fs::read(format!("{dir}/{p}")).unwrap();
///
/// let mut store = TrustStore::new();
/// store.add_pem_file(format!("{dir}/ca/root.pem").as_ref(), true)?;
///
/// let signer = Certificate::from_der(&read("signers/person-cccd.der"))?;
/// let untrusted = Certificate::from_pem(&read("chain-ca1.pem"))?; // e.g. from XML KeyInfo
/// let crls = [Crl::from_der(&read("crl/ca1.crl"))?];
/// let input = ValidationInput {
///     signer: &signer,
///     untrusted: &untrusted,
///     signing_time: Some(Timestamp::parse_rfc3339("2029-12-31T17:00:00+07:00")?),
///     verification_time: Timestamp::parse_rfc3339("2030-01-01T00:00:00Z")?,
///     crls: &crls,
///     ocsp: &[],
/// };
/// let v = store.validate(&Policy::default(), &input);
/// assert!(v.is_trusted(), "{}", v.status);
/// assert_eq!(v.chain.len(), 3);
/// assert!(matches!(v.revocation, RevocationStatus::Good { .. }));
/// assert!(v.warnings.is_empty());
/// # Ok::<(), hoso_pki::PkiError>(())
/// ```
pub struct TrustStore {
    pub(crate) anchors: Vec<Certificate>,
    anchor_fingerprints: HashSet<[u8; 32]>,
    pub(crate) intermediates: Vec<Certificate>,
    intermediate_fingerprints: HashSet<[u8; 32]>,
    verified: RwLock<HashSet<([u8; 32], [u8; 32])>>,
    checks: AtomicU64,
    /// Certificates parsed from documents, by the SHA-256 of their DER: the
    /// same signer and CA certificates arrive in document after document.
    parsed: RwLock<HashMap<[u8; 32], Certificate>>,
}

/// Parsed certificates kept by a store; past this the cache starts over.
const PARSED_CACHE_ENTRIES: usize = 4096;

/// What the validation policy says.  `Policy::default()` is the policy for
/// forms submitted to hoso: no weak algorithms or keys, warn when the
/// revocation status is unknown, and require validity at both the signing
/// and the verification time.
///
/// ```
/// let historical = hoso_pki::Policy { allow_weak: true, check_at_verification_time: false, ..Default::default() };
/// assert_eq!(historical, hoso_pki::Policy::historical());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Accept SHA-1 and RSA keys below `min_rsa_bits` (each with a warning).
    /// Only for historical documents, by explicit opt-in.
    pub allow_weak: bool,
    /// Minimum RSA modulus in bits; default 2048 (Circular 15/2025, Annex I).
    pub min_rsa_bits: usize,
    /// What an unknown revocation status does: warn (default) or fail.
    pub unknown_revocation: UnknownRevocation,
    /// Also require every certificate of the path to be valid at the
    /// verification time (default true).  The signing time, when given, is
    /// always checked first (Annex II).  Set false to verify a historical
    /// document whose certificates have since expired: expiry after the
    /// signing time is then a [`crate::Warning::ExpiredAfterSigning`].
    pub check_at_verification_time: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            allow_weak: false,
            min_rsa_bits: crate::key::MIN_RSA_BITS,
            unknown_revocation: UnknownRevocation::Warn,
            check_at_verification_time: true,
        }
    }
}

impl Policy {
    /// The policy for verifying documents received from elsewhere that may
    /// be old: SHA-1 and small RSA keys accepted with warnings, validity
    /// checked at the signing time only.
    pub fn historical() -> Self {
        Policy {
            allow_weak: true,
            check_at_verification_time: false,
            ..Policy::default()
        }
    }
}

/// What an unknown revocation status does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum UnknownRevocation {
    /// A [`crate::Warning::RevocationUnknown`]; the path can still be trusted
    /// (Annex II: "warn when the status cannot be established").
    #[default]
    Warn,
    /// [`crate::ChainStatus::RevocationUnknown`].
    Fail,
}

/// What the signer's certificate is validated for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Signing documents: keyUsage, when present, must include
    /// digitalSignature or nonRepudiation.
    #[default]
    DocumentSigning,
    /// Checking that a CA certificate chains to an anchor (administration,
    /// trust-list checks): the target must be a CA with keyCertSign.
    CertificateAuthority,
}

/// The inputs of one validation.  Everything comes from the caller: the
/// time, the certificates that came with the document, the revocation data.
#[derive(Clone, Copy, Debug)]
pub struct ValidationInput<'a> {
    /// The certificate whose trust is in question.
    pub signer: &'a Certificate,
    /// Certificates that came with the document (XML KeyInfo, CMS
    /// certificates): candidates for intermediates, never trust anchors.
    pub untrusted: &'a [Certificate],
    /// When the document says it was signed (XAdES SigningTime, a
    /// timestamp).  Validity and revocation are judged at this time first.
    pub signing_time: Option<Timestamp>,
    /// Now, or the time a re-verification is done for.
    pub verification_time: Timestamp,
    /// CRLs the caller has (none are fetched).
    pub crls: &'a [Crl],
    /// OCSP responses the caller has (none are fetched).
    pub ocsp: &'a [OcspResponse],
}

impl<'a> ValidationInput<'a> {
    /// An input with no extra certificates, no signing time and no
    /// revocation data.
    pub fn new(signer: &'a Certificate, verification_time: Timestamp) -> Self {
        ValidationInput {
            signer,
            untrusted: &[],
            signing_time: None,
            verification_time,
            crls: &[],
            ocsp: &[],
        }
    }
}

impl Default for TrustStore {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TrustStore")
            .field("anchors", &self.anchors.len())
            .field("intermediates", &self.intermediates.len())
            .field("signature_checks", &self.signature_checks())
            .finish()
    }
}

impl TrustStore {
    /// An empty store: nothing is trusted.
    pub fn new() -> Self {
        TrustStore {
            anchors: Vec::new(),
            anchor_fingerprints: HashSet::new(),
            intermediates: Vec::new(),
            intermediate_fingerprints: HashSet::new(),
            verified: RwLock::new(HashSet::new()),
            checks: AtomicU64::new(0),
            parsed: RwLock::new(HashMap::new()),
        }
    }

    /// Parses a DER certificate, answering from a cache of certificates
    /// parsed before (keyed by the SHA-256 of the DER, so equal bytes give
    /// the same certificate).  Use it for certificates that arrive with
    /// documents, such as XML-DSig KeyInfo or JWS `x5c`.
    ///
    /// ```
    /// let store = hoso_pki::TrustStore::new();
    /// assert!(store.parse_certificate(b"not DER").is_err());
    /// ```
    pub fn parse_certificate(&self, der: &[u8]) -> Result<Certificate, PkiError> {
        let key = crate::cert::sha256(der);
        if let Some(cert) = self.parsed.read().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(cert);
        }
        let cert = Certificate::from_der(der)?;
        if let Ok(mut cache) = self.parsed.write() {
            if cache.len() >= PARSED_CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(key, cert.clone());
        }
        Ok(cert)
    }

    /// Trusts `cert` as an anchor: a path that reaches it ends there, and
    /// its own signature is not checked.  Adding the same certificate twice
    /// has no effect.
    pub fn add_anchor(&mut self, cert: Certificate) {
        if self.anchor_fingerprints.insert(cert.sha256()) {
            self.anchors.push(cert);
        }
    }

    /// Adds a known CA that is not an anchor (a licensed CA under a root):
    /// a candidate issuer for every validation, trusted only through a
    /// path to an anchor.
    pub fn add_intermediate(&mut self, cert: Certificate) {
        if self.intermediate_fingerprints.insert(cert.sha256()) {
            self.intermediates.push(cert);
        }
    }

    /// Adds every certificate of a PEM file (or a single DER certificate)
    /// as anchors or intermediates; returns how many were new.  File I/O is
    /// done only here, for trust material the caller names explicitly.
    pub fn add_pem_file(&mut self, path: &Path, as_anchor: bool) -> Result<usize, PkiError> {
        let data = std::fs::read(path).map_err(|source| PkiError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let certs = if data.windows(11).any(|w| w == b"-----BEGIN ") {
            Certificate::from_pem(&data)
        } else {
            Certificate::from_der(&data).map(|c| vec![c])
        }
        .map_err(|e| PkiError::InFile {
            path: path.to_path_buf(),
            source: Box::new(e),
        })?;
        let before = self.anchors.len() + self.intermediates.len();
        for cert in certs {
            if as_anchor {
                self.add_anchor(cert);
            } else {
                self.add_intermediate(cert);
            }
        }
        Ok(self.anchors.len() + self.intermediates.len() - before)
    }

    /// Adds the certificates of every `*.pem`, `*.crt`, `*.cer` and `*.der`
    /// file directly in `dir` (not in subdirectories), in file-name order;
    /// returns how many were new.  Other files (CRLs, manifests) and PEM
    /// files without a `CERTIFICATE` block (keys) are skipped; a certificate
    /// that does not parse is an error, so a broken trust list is noticed.
    pub fn add_pem_dir(&mut self, dir: &Path, as_anchor: bool) -> Result<usize, PkiError> {
        let io = |source| PkiError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            if path.is_file() && matches!(ext.as_str(), "pem" | "crt" | "cer" | "der") {
                files.push(path);
            }
        }
        files.sort();
        let mut added = 0;
        for f in files {
            match self.add_pem_file(&f, as_anchor) {
                Ok(n) => added += n,
                // A PEM file with no certificate in it (a key, a CRL) is not
                // a certificate file: skipped, like other extensions.
                Err(PkiError::InFile { source, .. })
                    if matches!(*source, PkiError::NoPemBlock { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(added)
    }

    /// The trust anchors, in the order added.
    pub fn anchors(&self) -> &[Certificate] {
        &self.anchors
    }

    /// The known intermediates, in the order added.
    pub fn intermediates(&self) -> &[Certificate] {
        &self.intermediates
    }

    /// Validates `input.signer` for signing documents: builds a path to an
    /// anchor, checks it against `policy`, and checks revocation with the
    /// data given.  Never fails: the result says what was found.
    pub fn validate(&self, policy: &Policy, input: &ValidationInput<'_>) -> Validation {
        crate::path::validate(self, policy, input, Purpose::DocumentSigning)
    }

    /// Like [`TrustStore::validate`] for another [`Purpose`].
    pub fn validate_for(
        &self,
        policy: &Policy,
        input: &ValidationInput<'_>,
        purpose: Purpose,
    ) -> Validation {
        crate::path::validate(self, policy, input, purpose)
    }

    /// How many signatures (on certificates, CRLs and OCSP responses) this
    /// store has verified cryptographically; verifications answered from
    /// the cache are not counted.
    pub fn signature_checks(&self) -> u64 {
        self.checks.load(Ordering::Relaxed)
    }

    pub(crate) fn is_anchor(&self, cert: &Certificate) -> bool {
        self.anchor_fingerprints.contains(&cert.sha256())
    }

    /// Verifies `signature` over `tbs` (an object with fingerprint
    /// `object`) with `issuer`'s key, answering from the cache when the pair
    /// was verified before.  Only successes are cached.
    pub(crate) fn verify_cached(
        &self,
        issuer: &Certificate,
        object: [u8; 32],
        alg: &SigAlg,
        tbs: &[u8],
        signature: &[u8],
    ) -> Result<(), PkiError> {
        let key = (issuer.sha256(), object);
        // A poisoned lock only means another thread panicked while holding
        // it; the set itself is still a valid set of verified pairs.
        if self
            .verified
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&key)
        {
            return Ok(());
        }
        self.checks.fetch_add(1, Ordering::Relaxed);
        verify_raw(
            issuer.public_key(),
            alg.clone(),
            EcdsaEncoding::Asn1,
            tbs,
            signature,
        )?;
        let mut set = self.verified.write().unwrap_or_else(|e| e.into_inner());
        if set.len() >= CACHE_CAPACITY {
            set.clear();
        }
        set.insert(key);
        Ok(())
    }

    /// Verifies that `issuer` signed `child`.
    pub(crate) fn verify_issued(
        &self,
        issuer: &Certificate,
        child: &Certificate,
    ) -> Result<(), PkiError> {
        self.verify_cached(
            issuer,
            child.sha256(),
            &child.0.sig_alg,
            child.tbs(),
            child.signature_value(),
        )
    }
}
