//! Path building and path checks.
//!
//! Building is a bounded depth-first search from the signer towards the
//! anchors.  Issuer candidates are found by name (anchors first, then the
//! store's intermediates, then the certificates that came with the
//! document), but a candidate is only followed once it has verified the
//! child's signature: a certificate with a trusted root's exact name,
//! serial and key identifiers but another key leads nowhere.  Each complete
//! path is checked against the policy; the first that passes wins, else the
//! first complete path's failure is reported, else the most telling dead
//! end (a signature that failed against an anchor beats one that failed
//! against an untrusted certificate, which beats a missing issuer).

use std::collections::HashSet;

use x509_cert::ext::pkix::KeyUsage;

use crate::revocation;
use crate::store::Purpose;
use crate::{
    Certificate, ChainStatus, PkiError, Policy, PublicKey, RevocationStatus, TrustStore,
    UnknownRevocation, Validation, ValidationInput, Warning,
};

/// Longest path, signer and anchor included.
pub(crate) const MAX_PATH_LEN: usize = 8;

/// Issuer candidates tried in one validation (each a signature check,
/// cached or not): bounds the work an attacker can cause with many
/// certificates of the same name.
const MAX_TRIES: usize = 64;

struct Found {
    chain: Vec<Certificate>,
    status: ChainStatus,
    warnings: Vec<Warning>,
}

struct DeadEnd {
    chain: Vec<Certificate>,
    status: ChainStatus,
    /// 3: a signature failed against an anchor; 2: against another
    /// candidate, or an unsupported algorithm; 1: no issuer found.
    class: u8,
}

struct Search<'a> {
    store: &'a TrustStore,
    policy: &'a Policy,
    input: &'a ValidationInput<'a>,
    purpose: Purpose,
    tries: usize,
    first_complete: Option<Found>,
    dead_end: Option<DeadEnd>,
}

pub(crate) fn validate(
    store: &TrustStore,
    policy: &Policy,
    input: &ValidationInput<'_>,
    purpose: Purpose,
) -> Validation {
    let mut search = Search {
        store,
        policy,
        input,
        purpose,
        tries: 0,
        first_complete: None,
        dead_end: None,
    };
    let mut path = vec![input.signer.clone()];
    let found = search.dfs(&mut path);
    let (chain, mut status, mut warnings, complete) = match found.or(search.first_complete) {
        Some(f) => (f.chain, f.status, f.warnings, true),
        None => match search.dead_end {
            Some(d) => (d.chain, d.status, Vec::new(), false),
            None => (
                vec![input.signer.clone()],
                ChainStatus::NoPathToAnchor,
                Vec::new(),
                false,
            ),
        },
    };
    if let Some(st) = input.signing_time
        && st > input.verification_time
    {
        warnings.push(Warning::SigningTimeInFuture {
            signing_time: st,
            verification_time: input.verification_time,
        });
    }

    // Revocation needs the issuers, so it is checked on complete paths
    // only; it is reported even when the path failed for another reason.
    let revocation = if complete && chain.len() > 1 {
        let found = revocation::check(store, policy, input, &chain, &mut warnings);
        if let RevocationStatus::Revoked { at, reason, .. } = &found.signer
            && status == ChainStatus::Trusted
        {
            status = ChainStatus::Revoked {
                at: *at,
                reason: reason.clone(),
            };
        }
        if let Some((subject, at, reason)) = found.revoked_issuer {
            warnings.push(Warning::RevokedIssuer { subject });
            if status == ChainStatus::Trusted {
                status = ChainStatus::Revoked { at, reason };
            }
        }
        if found.signer == RevocationStatus::Unknown {
            if policy.unknown_revocation == UnknownRevocation::Fail
                && status == ChainStatus::Trusted
            {
                status = ChainStatus::RevocationUnknown;
            } else {
                warnings.push(Warning::RevocationUnknown);
            }
        }
        found.signer
    } else {
        RevocationStatus::NotChecked
    };
    Validation {
        chain,
        status,
        revocation,
        warnings,
    }
}

impl Search<'_> {
    fn dfs(&mut self, path: &mut Vec<Certificate>) -> Option<Found> {
        let cur = path.last()?.clone();
        if self.store.is_anchor(&cur) {
            let (status, warnings) = self.evaluate(path);
            let found = Found {
                chain: path.clone(),
                status,
                warnings,
            };
            if found.status == ChainStatus::Trusted {
                return Some(found);
            }
            if self.first_complete.is_none() {
                self.first_complete = Some(found);
            }
            return None;
        }
        if path.len() >= MAX_PATH_LEN {
            self.dead_end(path, ChainStatus::NoPathToAnchor, 1);
            return None;
        }
        let candidates = self.candidates(&cur, path);
        if candidates.is_empty() {
            self.dead_end(path, ChainStatus::NoPathToAnchor, 1);
        }
        for (candidate, is_anchor) in candidates {
            if self.tries >= MAX_TRIES {
                self.dead_end(path, ChainStatus::NoPathToAnchor, 1);
                return None;
            }
            self.tries += 1;
            match self.store.verify_issued(&candidate, &cur) {
                Ok(()) => {
                    path.push(candidate);
                    if let Some(found) = self.dfs(path) {
                        return Some(found);
                    }
                    path.pop();
                }
                Err(PkiError::BadSignature | PkiError::KeyMismatch { .. }) => {
                    let status = ChainStatus::BadSignature {
                        subject: cur.subject(),
                    };
                    self.dead_end(path, status, if is_anchor { 3 } else { 2 });
                }
                Err(PkiError::WeakKey { key, .. }) => {
                    let status = ChainStatus::WeakKey {
                        subject: candidate.subject(),
                        detail: format!("{key} cannot verify signatures"),
                    };
                    self.dead_end(path, status, 2);
                }
                Err(e) => {
                    let detail = format!(
                        "{} on \"{}\": {e}",
                        cur.signature_algorithm(),
                        cur.subject()
                    );
                    self.dead_end(path, ChainStatus::WeakAlgorithm { detail }, 2);
                }
            }
        }
        None
    }

    fn dead_end(&mut self, path: &[Certificate], status: ChainStatus, class: u8) {
        let better = match &self.dead_end {
            None => true,
            // Signature failures: the first (nearest the signer) is the
            // most direct explanation.  Missing issuers: the longest path
            // shows how far it got.
            Some(d) => {
                class > d.class || (class == 1 && d.class == 1 && path.len() > d.chain.len())
            }
        };
        if better {
            self.dead_end = Some(DeadEnd {
                chain: path.to_vec(),
                status,
                class,
            });
        }
    }

    /// Issuer candidates for `cur`: anchors, then the store's
    /// intermediates, then the document's certificates; within each group
    /// those whose key identifier matches first.  Certificates already in
    /// the path (or with the same name and key as one) are left out, so the
    /// search cannot loop.
    fn candidates(&self, cur: &Certificate, path: &[Certificate]) -> Vec<(Certificate, bool)> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let sources = self
            .store
            .anchors
            .iter()
            .map(|c| (c, true))
            .chain(self.store.intermediates.iter().map(|c| (c, false)))
            .chain(self.input.untrusted.iter().map(|c| (c, false)));
        for (c, is_anchor) in sources {
            if c.0.subject_norm != cur.0.issuer_norm || !seen.insert(c.sha256()) {
                continue;
            }
            let in_path = path.iter().any(|p| {
                p.sha256() == c.sha256()
                    || (p.0.subject_norm == c.0.subject_norm && p.key_bits() == c.key_bits())
            });
            if !in_path {
                out.push((c.clone(), is_anchor));
            }
        }
        let aki = cur.0.ext.authority_key_id.as_deref();
        out.sort_by_key(|(c, is_anchor)| {
            (
                !is_anchor,
                aki.is_none() || c.0.ext.subject_key_id.as_deref() != aki,
            )
        });
        out
    }

    /// The policy checks of a complete path (revocation aside), in order;
    /// the first failure is the status.
    fn evaluate(&self, path: &[Certificate]) -> (ChainStatus, Vec<Warning>) {
        let mut warnings = Vec::new();
        match self.evaluate_into(path, &mut warnings) {
            Ok(()) => (ChainStatus::Trusted, warnings),
            Err(status) => (status, warnings),
        }
    }

    fn evaluate_into(
        &self,
        path: &[Certificate],
        warnings: &mut Vec<Warning>,
    ) -> Result<(), ChainStatus> {
        let n = path.len();
        let policy = self.policy;
        let signer = &path[0];

        // RFC 5280 §4.2: a critical extension that is not processed makes
        // the certificate unusable.  The anchor is trusted as configured.
        for c in &path[..n - 1] {
            if let Some(oid) = &c.0.ext.unknown_critical {
                return Err(ChainStatus::UnsupportedCriticalExtension {
                    subject: c.subject(),
                    oid: oid.clone(),
                });
            }
        }

        // Issuers must be CAs allowed to sign certificates.  An anchor
        // without basicConstraints (a version 1 root) is accepted because
        // it was configured as trusted; one that says cA FALSE is not.
        for (i, c) in path.iter().enumerate().skip(1) {
            match c.0.ext.basic_constraints {
                Some((true, _)) => {}
                None if i == n - 1 => {}
                _ => {
                    return Err(ChainStatus::NotACa {
                        subject: c.subject(),
                    });
                }
            }
            if let Some(ku) = c.0.ext.key_usage
                && !ku.key_cert_sign()
            {
                return Err(ChainStatus::KeyUsage {
                    detail: format!(
                        "\"{}\" issued a certificate but its keyUsage ({}) lacks keyCertSign",
                        c.subject(),
                        key_usage_names(ku)
                    ),
                });
            }
        }
        // pathLenConstraint counts the non-self-issued intermediates below
        // the CA (the signer is not counted).
        for (i, c) in path.iter().enumerate().skip(1) {
            if let Some((_, Some(max))) = c.0.ext.basic_constraints {
                let below = path[1..i].iter().filter(|c| !c.is_self_issued()).count();
                if below > usize::from(max) {
                    return Err(ChainStatus::PathLength {
                        subject: c.subject(),
                    });
                }
            }
        }

        self.check_validity(path, warnings)?;

        // Algorithms of the signatures that were verified (the anchor's own
        // signature is not), and every key in the path.
        for c in &path[..n - 1] {
            if c.0.sig_alg.is_weak() {
                let detail = format!("{} on \"{}\"", c.signature_algorithm(), c.subject());
                if policy.allow_weak {
                    warnings.push(Warning::WeakAlgorithm(detail));
                } else {
                    return Err(ChainStatus::WeakAlgorithm { detail });
                }
            }
        }
        for (i, c) in path.iter().enumerate() {
            match c.public_key() {
                PublicKey::Rsa { bits, .. } if *bits < policy.min_rsa_bits => {
                    let detail = format!(
                        "RSA-{bits} is below the minimum of {} bits",
                        policy.min_rsa_bits
                    );
                    if policy.allow_weak {
                        warnings.push(Warning::WeakKey(format!("\"{}\": {detail}", c.subject())));
                    } else {
                        return Err(ChainStatus::WeakKey {
                            subject: c.subject(),
                            detail,
                        });
                    }
                }
                PublicKey::Unsupported { algorithm } if i == 0 => {
                    return Err(ChainStatus::WeakAlgorithm {
                        detail: format!(
                            "\"{}\" has a key hoso cannot verify with: {algorithm}",
                            c.subject()
                        ),
                    });
                }
                _ => {}
            }
        }

        match self.purpose {
            Purpose::DocumentSigning => {
                if let Some(ku) = signer.0.ext.key_usage
                    && !(ku.digital_signature() || ku.non_repudiation())
                {
                    return Err(ChainStatus::KeyUsage {
                        detail: format!(
                            "\"{}\": keyUsage ({}) allows neither digitalSignature nor nonRepudiation",
                            signer.subject(),
                            key_usage_names(ku)
                        ),
                    });
                }
            }
            Purpose::CertificateAuthority => {
                if !signer.is_ca() {
                    return Err(ChainStatus::NotACa {
                        subject: signer.subject(),
                    });
                }
                if let Some(ku) = signer.0.ext.key_usage
                    && !ku.key_cert_sign()
                {
                    return Err(ChainStatus::KeyUsage {
                        detail: format!(
                            "\"{}\": keyUsage ({}) lacks keyCertSign",
                            signer.subject(),
                            key_usage_names(ku)
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// Validity of every certificate of the path.
    ///
    /// The signing time, when given, is checked first and always: Annex II
    /// requires the signing time to lie in the validity, and a historical
    /// document is judged by when it was signed.  The verification time is
    /// checked next; a certificate that was valid when the document was
    /// signed but has expired since gives a warning, and fails the path only
    /// when `check_at_verification_time` is set (the default: a submission
    /// signed with a certificate that has since expired is not accepted
    /// without the caller saying it verifies a historical document).  The
    /// signing time alone proves nothing when it is the signer's own claim,
    /// so only a caller with a trusted timestamp (or a document accepted
    /// earlier) should turn that check off.
    fn check_validity(
        &self,
        path: &[Certificate],
        warnings: &mut Vec<Warning>,
    ) -> Result<(), ChainStatus> {
        let input = self.input;
        if let Some(st) = input.signing_time {
            for c in path {
                check_at(c, st)?;
            }
        }
        let vt = input.verification_time;
        for c in path {
            if let Err(status) = check_at(c, vt) {
                let Some(st) = input.signing_time else {
                    return Err(status);
                };
                if matches!(status, ChainStatus::Expired { .. }) {
                    warnings.push(Warning::ExpiredAfterSigning {
                        subject: c.subject(),
                        not_after: c.not_after(),
                        signing_time: st,
                    });
                }
                if self.policy.check_at_verification_time {
                    return Err(status);
                }
            }
        }
        Ok(())
    }
}

fn check_at(c: &Certificate, at: crate::Timestamp) -> Result<(), ChainStatus> {
    if at < c.not_before() {
        Err(ChainStatus::NotYetValid {
            subject: c.subject(),
            not_before: c.not_before(),
            at,
        })
    } else if at > c.not_after() {
        Err(ChainStatus::Expired {
            subject: c.subject(),
            not_after: c.not_after(),
            at,
        })
    } else {
        Ok(())
    }
}

fn key_usage_names(ku: KeyUsage) -> String {
    let names = [
        (ku.digital_signature(), "digitalSignature"),
        (ku.non_repudiation(), "nonRepudiation"),
        (ku.key_encipherment(), "keyEncipherment"),
        (ku.data_encipherment(), "dataEncipherment"),
        (ku.key_agreement(), "keyAgreement"),
        (ku.key_cert_sign(), "keyCertSign"),
        (ku.crl_sign(), "cRLSign"),
        (ku.encipher_only(), "encipherOnly"),
        (ku.decipher_only(), "decipherOnly"),
    ];
    let set: Vec<&str> = names
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, n)| *n)
        .collect();
    if set.is_empty() {
        "none".into()
    } else {
        set.join(", ")
    }
}
