//! Revocation checking with the CRLs and OCSP responses the caller has.
//!
//! Every certificate of a built path except the anchor is checked with the
//! data that is about it; the signer's result is the
//! [`RevocationStatus`], an issuer found revoked fails the path.  The time
//! that matters is the signing time when given, else the verification time
//! (Annex II: "revocation at signing time"):
//!
//! * revoked at or before it: revoked;
//! * revoked after it: the signature was made before the revocation, so
//!   good, with [`Warning::RevokedAfterSigning`];
//! * not listed: good only if the data speaks for that time — issued at or
//!   after it, or still current then (nextUpdate not before it).
//!
//! Data is used only when its signature verifies with the issuer's key in
//! the path (a CRL) or with the issuer's key or a responder certificate the
//! issuer signed for OCSP signing (an OCSP response), and when it was
//! issued no later than the verification time.  Data about the path that
//! cannot be used becomes a [`Warning::RevocationDataIgnored`]; data about
//! other certificates is skipped silently.

use crate::cert::EKU_OCSP_SIGNING;
use crate::key::{Hash, SigAlg};
use crate::ocsp::{Responder, Single, SingleStatus};
use crate::{
    Certificate, Crl, OcspResponse, Policy, PublicKey, RevocationSource, RevocationStatus,
    Timestamp, TrustStore, ValidationInput, Warning,
};

pub(crate) struct Found {
    pub signer: RevocationStatus,
    /// The first issuer found revoked: (subject, time, reason).
    pub revoked_issuer: Option<(String, Timestamp, Option<String>)>,
}

/// What one CRL or OCSP response says about one certificate.
struct Evidence {
    revoked: Option<(Timestamp, Option<&'static str>)>,
    /// The data shows the status at the time that matters.
    current: bool,
    source: RevocationSource,
}

struct Ctx<'a> {
    store: &'a TrustStore,
    policy: &'a Policy,
    input: &'a ValidationInput<'a>,
    reference: Timestamp,
}

pub(crate) fn check(
    store: &TrustStore,
    policy: &Policy,
    input: &ValidationInput<'_>,
    path: &[Certificate],
    warnings: &mut Vec<Warning>,
) -> Found {
    let ctx = Ctx {
        store,
        policy,
        input,
        reference: input.signing_time.unwrap_or(input.verification_time),
    };
    let mut found = Found {
        signer: RevocationStatus::Unknown,
        revoked_issuer: None,
    };
    for (i, pair) in path.windows(2).enumerate() {
        let status = ctx.status_of(&pair[0], &pair[1], i == 0, warnings);
        if i == 0 {
            found.signer = status;
        } else if let RevocationStatus::Revoked { at, reason, .. } = status {
            found
                .revoked_issuer
                .get_or_insert((pair[0].subject(), at, reason));
        }
    }
    found
}

impl Ctx<'_> {
    fn status_of(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        is_signer: bool,
        warnings: &mut Vec<Warning>,
    ) -> RevocationStatus {
        let mut evidence = Vec::new();
        for resp in self.input.ocsp {
            evidence.extend(self.ocsp_evidence(resp, cert, issuer, warnings));
        }
        for crl in self.input.crls {
            evidence.extend(self.crl_evidence(crl, cert, issuer, warnings));
        }

        let mut revoked: Option<(Timestamp, Option<&'static str>, RevocationSource)> = None;
        let mut later: Option<(Timestamp, Option<&'static str>)> = None;
        let mut good = None;
        for e in evidence {
            match e.revoked {
                Some((at, reason)) if at <= self.reference => {
                    if revoked.is_none_or(|r| at < r.0) {
                        revoked = Some((at, reason, e.source));
                    }
                    continue;
                }
                Some((at, reason)) => {
                    later.get_or_insert((at, reason));
                }
                None => {}
            }
            if e.current {
                good.get_or_insert(e.source);
            }
        }
        if let Some((at, reason, source)) = revoked {
            return RevocationStatus::Revoked {
                at,
                reason: reason.map(str::to_string),
                source,
            };
        }
        match good {
            Some(source) => {
                if let (Some((at, reason)), Some(signing_time), true) =
                    (later, self.input.signing_time, is_signer)
                {
                    warnings.push(Warning::RevokedAfterSigning {
                        at,
                        reason: reason.map(str::to_string),
                        signing_time,
                    });
                }
                RevocationStatus::Good { source }
            }
            None => RevocationStatus::Unknown,
        }
    }

    /// Whether data issued at `this_update` (valid until `next_update`)
    /// shows the status at the reference time.
    fn is_current(&self, this_update: Timestamp, next_update: Option<Timestamp>) -> bool {
        this_update >= self.reference || next_update.is_some_and(|n| n >= self.reference)
    }

    /// The policy on the algorithm of a CRL or OCSP signature and on the
    /// signing key; `Err` with the reason when it refuses.
    fn algorithm_allowed(
        &self,
        alg: &SigAlg,
        signer: &Certificate,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), String> {
        let mut weak = Vec::new();
        if alg.is_weak() {
            weak.push(format!("signed with {}", alg.name()));
        }
        if let PublicKey::Rsa { bits, .. } = signer.public_key()
            && *bits < self.policy.min_rsa_bits
        {
            weak.push(format!("signed with an RSA-{bits} key"));
        }
        if weak.is_empty() {
            return Ok(());
        }
        let what = weak.join(", ");
        if self.policy.allow_weak {
            warnings.push(Warning::WeakAlgorithm(format!("revocation data {what}")));
            Ok(())
        } else {
            Err(what)
        }
    }

    fn crl_evidence(
        &self,
        crl: &Crl,
        cert: &Certificate,
        issuer: &Certificate,
        warnings: &mut Vec<Warning>,
    ) -> Option<Evidence> {
        let c = &crl.0;
        if c.issuer_norm != cert.0.issuer_norm {
            return None;
        }
        let scope = &c.scope;
        if (scope.only_user_certs && cert.is_ca()) || (scope.only_ca_certs && !cert.is_ca()) {
            return None;
        }
        let mut ignore = |why: String| {
            warnings.push(Warning::RevocationDataIgnored(format!(
                "CRL of \"{}\" issued {}: {why}",
                c.issuer_str, c.this_update
            )));
            None
        };
        if let Some(why) = &c.unusable {
            return ignore(why.clone());
        }
        if issuer.0.ext.key_usage.is_some_and(|ku| !ku.crl_sign()) {
            return ignore(format!(
                "the keyUsage of \"{}\" does not allow signing CRLs",
                issuer.subject()
            ));
        }
        let mut local = Vec::new();
        if let Err(why) = self.algorithm_allowed(&c.sig_alg, issuer, &mut local) {
            return ignore(why);
        }
        if let Err(e) = self.store.verify_cached(
            issuer,
            c.sha256,
            &c.sig_alg,
            crl.tbs(),
            crl.signature_value(),
        ) {
            return ignore(format!(
                "its signature does not verify with the key of \"{}\" ({e})",
                issuer.subject()
            ));
        }
        if c.this_update > self.input.verification_time {
            return ignore("issued after the verification time".into());
        }
        // A partial CRL (some reasons only, or one distribution point the
        // certificate does not name) can show a revocation, not its absence.
        let complete = !scope.partial
            && scope
                .distribution_point
                .as_ref()
                .is_none_or(|dp| cert.0.ext.crl_distribution_points.contains(dp));
        let revoked = c.revoked.get(cert.serial_bytes()).map(|r| (r.at, r.reason));
        let current = complete && self.is_current(c.this_update, c.next_update);
        if complete && !current && revoked.is_none() {
            return ignore(format!("too old to show the status at {}", self.reference));
        }
        warnings.extend(local);
        Some(Evidence {
            revoked,
            current,
            source: RevocationSource::Crl,
        })
    }

    fn ocsp_evidence(
        &self,
        resp: &OcspResponse,
        cert: &Certificate,
        issuer: &Certificate,
        warnings: &mut Vec<Warning>,
    ) -> Vec<Evidence> {
        let r = &resp.0;
        let about: Vec<&Single> = r
            .responses
            .iter()
            .filter(|s| is_about(s, cert, issuer))
            .collect();
        if about.is_empty() {
            return Vec::new();
        }
        let mut ignore = |why: String| {
            warnings.push(Warning::RevocationDataIgnored(format!(
                "OCSP response produced at {} about \"{}\": {why}",
                r.produced_at,
                cert.subject()
            )));
            Vec::new()
        };
        if let Some(why) = &r.unusable {
            return ignore(why.clone());
        }
        let signer = match self.responder(resp, issuer) {
            Ok(s) => s,
            Err(why) => return ignore(why),
        };
        let mut local = Vec::new();
        if let Err(why) = self.algorithm_allowed(&r.sig_alg, &signer, &mut local) {
            return ignore(why);
        }
        if let Err(e) = self.store.verify_cached(
            &signer,
            r.sha256,
            &r.sig_alg,
            resp.tbs(),
            resp.signature_value(),
        ) {
            return ignore(format!(
                "its signature does not verify with the key of \"{}\" ({e})",
                signer.subject()
            ));
        }
        let mut out = Vec::new();
        for s in about {
            if s.unusable {
                ignore("unsupported critical extension in the single response".into());
                continue;
            }
            if s.this_update > self.input.verification_time {
                ignore("issued after the verification time".into());
                continue;
            }
            let current = self.is_current(s.this_update, s.next_update);
            let revoked = match s.status {
                SingleStatus::Good => None,
                SingleStatus::Revoked { at, reason } => Some((at, reason)),
                SingleStatus::Unknown => {
                    ignore("the responder does not know the certificate".into());
                    continue;
                }
            };
            if !current && revoked.is_none() {
                ignore(format!("too old to show the status at {}", self.reference));
                continue;
            }
            out.push(Evidence {
                revoked,
                current,
                source: RevocationSource::Ocsp,
            });
        }
        if !out.is_empty() {
            warnings.extend(local);
        }
        out
    }

    /// The certificate whose key must have signed an OCSP response about a
    /// certificate issued by `issuer`: the issuer itself, or a responder
    /// certificate issued by it for id-kp-OCSPSigning (RFC 6960 §4.2.2.2).
    fn responder(&self, resp: &OcspResponse, issuer: &Certificate) -> Result<Certificate, String> {
        let r = &resp.0;
        let named = |c: &Certificate| match &r.responder {
            Responder::ByName(n) => &c.0.subject_norm == n,
            Responder::ByKey(k) => Hash::Sha1.digest(c.key_bits()) == *k,
        };
        if named(issuer) {
            return Ok(issuer.clone());
        }
        let mut why =
            "signed neither by the issuer nor by a responder certificate the issuer authorised"
                .to_string();
        for c in r.certs.iter().chain(self.input.untrusted) {
            if !named(c) {
                continue;
            }
            let delegated =
                c.0.ext
                    .ext_key_usage
                    .as_ref()
                    .is_some_and(|eku| eku.iter().any(|o| o == EKU_OCSP_SIGNING));
            let ku_ok =
                c.0.ext
                    .key_usage
                    .is_none_or(|ku| ku.digital_signature() || ku.non_repudiation());
            if c.0.issuer_norm != issuer.0.subject_norm {
                why = format!(
                    "responder \"{}\" was not issued by \"{}\"",
                    c.subject(),
                    issuer.subject()
                );
            } else if !delegated {
                why = format!(
                    "responder \"{}\" is not authorised for OCSP signing (extendedKeyUsage)",
                    c.subject()
                );
            } else if !ku_ok {
                why = format!(
                    "the keyUsage of responder \"{}\" does not allow signing",
                    c.subject()
                );
            } else if let Some(oid) = &c.0.ext.unknown_critical {
                why = format!(
                    "responder \"{}\" has an unsupported critical extension {oid}",
                    c.subject()
                );
            } else if r.produced_at < c.not_before() || r.produced_at > c.not_after() {
                why = format!(
                    "responder \"{}\" was not valid when the response was produced",
                    c.subject()
                );
            } else if c.0.sig_alg.is_weak() && !self.policy.allow_weak {
                why = format!(
                    "responder \"{}\" is signed with {}",
                    c.subject(),
                    c.signature_algorithm()
                );
            } else if self.store.verify_issued(issuer, c).is_err() {
                why = format!(
                    "responder \"{}\" is not signed by \"{}\"",
                    c.subject(),
                    issuer.subject()
                );
            } else {
                return Ok(c.clone());
            }
        }
        Err(why)
    }
}

/// Whether a single response's CertID names `cert` issued by `issuer`.
fn is_about(s: &Single, cert: &Certificate, issuer: &Certificate) -> bool {
    let Some(h) = s.hash else {
        return false;
    };
    s.serial == cert.serial_bytes()
        && s.issuer_name_hash == h.digest(issuer.subject_der())
        && s.issuer_key_hash == h.digest(issuer.key_bits())
}
