//! JWS (RFC 7515) for JSON forms, under the same PKI policy and with the
//! same report as XML signatures.
//!
//! * [`verify_jws`] reads the general and the flattened JSON serializations
//!   and the compact serialization, and returns a [`DocumentReport`] with one
//!   [`SignatureReport`] per signature: [`crate::form_policy`] applies to it
//!   unchanged.
//! * [`sign_jws`] writes the flattened JSON serialization with the protected
//!   header `{alg, x5c, sigT}`.
//! * [`is_jws`] tells a JWS from an XML document, to pick the verifier.
//!
//! What a signature must carry, in its **protected** header:
//!
//! * `alg`: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 or EdDSA
//!   (Ed25519).  `none` is [`Refusal::AlgNone`], HS256/384/512 are
//!   [`Refusal::HmacRefused`], anything else is
//!   [`Refusal::UnsupportedSignatureMethod`].
//! * `x5c`: the certificate chain, leaf first, standard base64 DER.  The key
//!   comes from the first certificate, nowhere else: a `jwk`, `jku`, `x5u` or
//!   `kid` without `x5c` is [`Refusal::JwsNoCertificate`], and nothing is
//!   ever fetched.  `x5t` and `x5t#S256`, when present, must match it.
//! * optionally the signing time: `sigT` (RFC 3339, as JAdES writes it) or
//!   else `iat` (NumericDate), reported as [`SigningTimeSource::JwsHeader`].
//! * `crit` may list `sigT` and `b64` (which must then be `true`); any other
//!   name is [`Refusal::UnknownCritical`].
//!
//! The unprotected header is not covered by the signature, so it is not
//! trusted: a parameter that matters to verification there (`alg`, `x5c`,
//! `crit`, the signing time, key references) is
//! [`Refusal::UnprotectedHeaderParameter`], and a name may not be in both
//! headers.  Member names must be unique in the JWS and in its protected
//! header (RFC 7515 allows refusing duplicates; hoso does).
//!
//! ECDSA signatures are raw `r || s` ([`EcdsaEncoding::Fixed`]).  Key sizes,
//! the chain, validity at the signing time and revocation are judged by
//! hoso-pki exactly as for XML signatures.
//!
//! What was signed is the payload: [`SignatureReport::signed`] carries its
//! exact bytes (`element_path` `/payload`, `element_offset` 0, since a JWS
//! payload is not a part of the input's text), and callers read the form
//! from those bytes.  A JWS signature always covers its whole payload, so
//! `covers_document` is always true and `references` is empty.
//!
//! Signature paths are JSON pointers to the signature's object: `/signatures/0`
//! and so on in the general serialization, `/` for the flattened and the
//! compact ones.  [`DocumentReport::document_element_offset`] is 0.
//!
//! ```
//! use hoso_dsig::{SigningKey, VerifyOptions, form_policy, sign_jws, verify_jws};
//! use hoso_pki::{Certificate, Timestamp, TrustStore};
//!
//! let test = concat!(env!("CARGO_MANIFEST_DIR"), "/../../certs/test");
//! let read = |p: &str| std::fs::read(format!("{test}/{p}")).unwrap();
//! let key = SigningKey::from_pem(&read("signers/person-cccd.key.pem"))?;
//! let mut chain = Certificate::from_pem(&read("signers/person-cccd.pem")).unwrap();
//! chain.extend(Certificate::from_pem(&read("chain-ca1.pem")).unwrap());
//! let at = Timestamp::parse_rfc3339("2030-01-01T00:00:00Z").unwrap();
//!
//! let form = br#"{"thuTuc":"cap-phep-nuoc-duoi-dat","luuLuong":2500}"#;
//! let jws = sign_jws(form, &key, &chain, None, at)?;
//!
//! let mut trust = TrustStore::new();
//! trust.add_pem_file(format!("{test}/ca/root.pem").as_ref(), true).unwrap();
//! let report = verify_jws(&jws, &VerifyOptions::new(&trust, at)).unwrap();
//! let accepted = form_policy(&report).unwrap();
//! assert_eq!(accepted.signed.canonical, form);
//! # Ok::<(), hoso_dsig::SignError>(())
//! ```

use std::collections::HashSet;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hoso_pki::{Certificate, EcdsaEncoding, RevocationStatus, SignatureScheme, Timestamp};
use serde_json::{Map, Value};

use crate::error::{DsigError, Refusal};
use crate::sign::{SignError, SigningKey};
use crate::verify::{
    Algorithms, DocumentReport, Integrity, SignatureReport, SignedContent, SigningTime,
    SigningTimeSource, VerifyOptions, Warning,
};

/// Signatures one JWS in the general serialization may carry.
pub const MAX_JWS_SIGNATURES: usize = 100;

/// Certificates one `x5c` may carry.
pub const MAX_X5C_CERTIFICATES: usize = 16;

/// The JWS algorithms hoso signs and verifies with (RFC 7518, RFC 8037).
const ALGORITHMS: [(&str, SignatureScheme); 9] = [
    ("RS256", SignatureScheme::RsaPkcs1Sha256),
    ("RS384", SignatureScheme::RsaPkcs1Sha384),
    ("RS512", SignatureScheme::RsaPkcs1Sha512),
    ("PS256", SignatureScheme::RsaPssSha256),
    ("PS384", SignatureScheme::RsaPssSha384),
    ("PS512", SignatureScheme::RsaPssSha512),
    ("ES256", SignatureScheme::EcdsaP256Sha256),
    ("ES384", SignatureScheme::EcdsaP384Sha384),
    ("EdDSA", SignatureScheme::Ed25519),
];

/// Header parameters that decide how a signature is verified: only the
/// protected header may carry them.
const PROTECTED_ONLY: [&str; 11] = [
    "alg", "crit", "x5c", "x5t", "x5t#S256", "x5u", "jwk", "jku", "b64", "sigT", "iat",
];

/// Ways of naming a key other than `x5c`, refused without it.
const OTHER_KEY_SOURCES: [&str; 4] = ["jwk", "jku", "x5u", "kid"];

/// The names `crit` may list: those hoso processes.
const UNDERSTOOD_CRITICAL: [&str; 2] = ["sigT", "b64"];

/// Where each signature's report says it is in the flattened and compact
/// serializations.
const TOP_LEVEL: &str = "/";

/// Whether `input` looks like a JWS rather than XML: a JSON object (first
/// non-space byte `{`) or the compact serialization (three base64url parts
/// separated by dots).  A cheap test for choosing a verifier, not a check.
pub fn is_jws(input: &[u8]) -> bool {
    let text = input.trim_ascii();
    text.first() == Some(&b'{') || is_compact(text)
}

fn is_compact(text: &[u8]) -> bool {
    text.iter().filter(|&&b| b == b'.').count() == 2
        && text
            .iter()
            .all(|&b| b == b'.' || b == b'-' || b == b'_' || b.is_ascii_alphanumeric())
}

/// A value shown in a message: cut to 64 characters.
fn shown(text: &str) -> String {
    match text.char_indices().nth(64) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn bad_jws(detail: impl Into<String>) -> DsigError {
    DsigError::Refused {
        refusal: Refusal::BadJws(detail.into()),
        offset: None,
    }
}

/// One signature as it appears in the JWS, before any check.
struct Entry {
    /// JSON pointer of the signature's object.
    path: String,
    /// The parts, or why they cannot be read.
    parts: Result<Parts, Refusal>,
}

struct Parts {
    /// The protected header as written (base64url), when there is one.
    protected: Option<String>,
    /// The unprotected header (empty when absent).
    header: Map<String, Value>,
    /// The signature as written (base64url).
    signature: String,
}

/// A JWS read from its serialization.
struct Jws {
    /// The payload as written (base64url).
    payload: String,
    entries: Vec<Entry>,
}

/// Verifies every signature of a JWS (general or flattened JSON
/// serialization, or compact serialization), each on its own, under
/// `options` (trust, time, revocation data, policy; `options.limits` bounds
/// the input size).  Fails only when the input is not a usable JWS; each
/// signature's problems are in its report.  Apply [`crate::form_policy`] to
/// the result for a submitted form.  See the [module documentation](self)
/// for what a signature must carry.
pub fn verify_jws(input: &[u8], options: &VerifyOptions<'_>) -> Result<DocumentReport, DsigError> {
    let max = options.limits.max_document_bytes;
    if input.len() > max {
        return Err(bad_jws(format!("the input is larger than {max} bytes")));
    }
    let text = input.trim_ascii();
    let jws = if text.first() == Some(&b'{') {
        read_json(text)?
    } else if is_compact(text) {
        read_compact(text)
    } else {
        return Err(bad_jws(
            "neither a JSON serialization (an object) nor the compact serialization",
        ));
    };
    if jws.payload.is_empty() {
        return Err(bad_jws(
            "the payload is empty: detached content is not processed",
        ));
    }
    let payload = URL_SAFE_NO_PAD
        .decode(&jws.payload)
        .map_err(|_| DsigError::Refused {
            refusal: Refusal::BadBase64("the JWS payload (base64url)"),
            offset: None,
        })?;
    let signatures = jws
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| verify_entry(entry, i + 1, &jws.payload, &payload, options))
        .collect();
    Ok(DocumentReport {
        signatures,
        document_element_offset: 0,
    })
}

fn read_compact(text: &[u8]) -> Jws {
    // `is_compact` checked the bytes are ASCII base64url and two dots.
    let text = String::from_utf8_lossy(text);
    let mut parts = text.split('.').map(str::to_string);
    let (protected, payload, signature) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    Jws {
        payload,
        entries: vec![Entry {
            path: TOP_LEVEL.into(),
            parts: Ok(Parts {
                protected: Some(protected),
                header: Map::new(),
                signature,
            }),
        }],
    }
}

fn read_json(text: &[u8]) -> Result<Jws, DsigError> {
    let value: Value =
        serde_json::from_slice(text).map_err(|e| bad_jws(format!("not valid JSON: {e}")))?;
    if let Some(name) = duplicate_member(text) {
        return Err(bad_jws(format!(
            "the member {:?} appears twice in one object",
            shown(&name)
        )));
    }
    let Value::Object(mut top) = value else {
        return Err(bad_jws("the JSON value is not an object"));
    };
    let payload = match top.remove("payload") {
        Some(Value::String(p)) => p,
        Some(_) => return Err(bad_jws("the payload member is not a string")),
        None => {
            return Err(bad_jws(
                "no payload member: detached content is not processed",
            ));
        }
    };
    let entries = match top.remove("signatures") {
        Some(_)
            if ["protected", "header", "signature"]
                .iter()
                .any(|m| top.contains_key(*m)) =>
        {
            return Err(bad_jws(
                "both the general (signatures) and the flattened (signature) serialization",
            ));
        }
        Some(Value::Array(list)) => {
            if list.is_empty() {
                return Err(bad_jws("the signatures array is empty"));
            }
            if list.len() > MAX_JWS_SIGNATURES {
                return Err(bad_jws(format!(
                    "more than {MAX_JWS_SIGNATURES} signatures"
                )));
            }
            list.into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let path = format!("/signatures/{i}");
                    let parts = match item {
                        Value::Object(object) => parts_of(object),
                        _ => Err(Refusal::Malformed(format!("{path} is not a JSON object"))),
                    };
                    Entry { path, parts }
                })
                .collect()
        }
        Some(_) => return Err(bad_jws("the signatures member is not an array")),
        None if top.contains_key("signature") => vec![Entry {
            path: TOP_LEVEL.into(),
            parts: parts_of(top),
        }],
        None => {
            return Err(bad_jws(
                "no signatures (general serialization) or signature (flattened serialization) member",
            ));
        }
    };
    Ok(Jws { payload, entries })
}

/// The protected header, unprotected header and signature of one signature
/// object (other members are ignored, as RFC 7515 §7.2.1 says).
fn parts_of(mut object: Map<String, Value>) -> Result<Parts, Refusal> {
    let protected = match object.remove("protected") {
        Some(Value::String(p)) => Some(p),
        Some(_) => return Err(Refusal::Malformed("protected is not a string".into())),
        None => None,
    };
    let header = match object.remove("header") {
        Some(Value::Object(h)) => h,
        Some(_) => {
            return Err(Refusal::Malformed(
                "header (the unprotected header) is not a JSON object".into(),
            ));
        }
        None => Map::new(),
    };
    let signature = match object.remove("signature") {
        Some(Value::String(s)) => s,
        Some(_) => return Err(Refusal::Malformed("signature is not a string".into())),
        None => return Err(Refusal::Malformed("no signature member".into())),
    };
    Ok(Parts {
        protected,
        header,
        signature,
    })
}

fn verify_entry(
    entry: Entry,
    index: usize,
    payload_b64: &str,
    payload: &[u8],
    options: &VerifyOptions<'_>,
) -> SignatureReport {
    let mut report = SignatureReport {
        index,
        path: entry.path,
        integrity: Integrity::Invalid(Refusal::Malformed("not verified".into())),
        references: Vec::new(),
        covers_document: true,
        signed: None,
        signer: None,
        identity: None,
        chain: Vec::new(),
        chain_status: None,
        revocation: RevocationStatus::NotChecked,
        signing_time: None,
        algorithms: Algorithms::default(),
        warnings: Vec::new(),
    };
    let checked = entry
        .parts
        .and_then(|parts| check_integrity(&parts, payload_b64, options, &mut report));
    let certificates = match checked {
        Ok(certificates) => certificates,
        Err(refusal) => {
            report.integrity = Integrity::Invalid(refusal);
            return report;
        }
    };
    let Some((signer, rest)) = certificates.split_first() else {
        report.integrity = Integrity::Invalid(Refusal::JwsHeader("x5c is empty".into()));
        return report;
    };
    report.integrity = Integrity::Valid;
    report.signed = Some(SignedContent {
        element_offset: 0,
        element_path: "/payload".into(),
        canonical: payload.to_vec(),
    });
    let validation =
        options.validate_signer(signer, rest, report.signing_time.as_ref().map(|t| t.time));
    report.signer = Some(signer.clone());
    report.identity = Some(signer.identity());
    report.chain = validation.chain;
    report.chain_status = Some(validation.status);
    report.revocation = validation.revocation;
    report
        .warnings
        .extend(validation.warnings.into_iter().map(Warning::Pki));
    report
}

/// Checks one signature's headers and value; returns the `x5c`
/// certificates, the signer first.
fn check_integrity(
    parts: &Parts,
    payload_b64: &str,
    options: &VerifyOptions<'_>,
    report: &mut SignatureReport,
) -> Result<Vec<Certificate>, Refusal> {
    let unprotected = &parts.header;
    if let Some(name) = PROTECTED_ONLY
        .iter()
        .find(|name| unprotected.contains_key(**name))
    {
        return Err(Refusal::UnprotectedHeaderParameter(name.to_string()));
    }
    let Some(protected_b64) = &parts.protected else {
        return Err(Refusal::JwsHeader(
            "there is no protected header: alg and x5c must be protected".into(),
        ));
    };
    let header_bytes = URL_SAFE_NO_PAD
        .decode(protected_b64)
        .map_err(|_| Refusal::BadBase64("the JWS protected header (base64url)"))?;
    let protected = match serde_json::from_slice::<Value>(&header_bytes) {
        Ok(Value::Object(map)) => map,
        Ok(_) => {
            return Err(Refusal::JwsHeader(
                "the protected header is not a JSON object".into(),
            ));
        }
        Err(e) => {
            return Err(Refusal::JwsHeader(format!(
                "the protected header is not JSON: {e}"
            )));
        }
    };
    if let Some(name) = duplicate_member(&header_bytes) {
        return Err(Refusal::JwsHeader(format!(
            "the protected header carries {:?} twice",
            shown(&name)
        )));
    }
    if let Some(name) = unprotected.keys().find(|k| protected.contains_key(*k)) {
        return Err(Refusal::JwsHeader(format!(
            "{:?} is in both the protected and the unprotected header",
            shown(name)
        )));
    }

    let scheme = match protected.get("alg") {
        Some(Value::String(alg)) => scheme_of(alg)?,
        Some(_) => return Err(Refusal::JwsHeader("alg is not a string".into())),
        None => {
            return Err(Refusal::JwsHeader("the protected header has no alg".into()));
        }
    };
    report.algorithms.signature = Some(scheme);
    check_critical(&protected)?;
    if let Some(b64) = protected.get("b64")
        && b64 != &Value::Bool(true)
    {
        return Err(Refusal::JwsHeader(
            "b64 other than true (an unencoded payload, RFC 7797) is not processed".into(),
        ));
    }
    let certificates = x5c(&protected, unprotected)?;
    let Some(signer) = certificates.first() else {
        return Err(Refusal::JwsHeader("x5c is empty".into()));
    };
    check_thumbprint(&protected, "x5t#S256", &ring::digest::SHA256, signer)?;
    check_thumbprint(
        &protected,
        "x5t",
        &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        signer,
    )?;
    report.signing_time = signing_time(&protected)?;

    let signature = URL_SAFE_NO_PAD
        .decode(&parts.signature)
        .map_err(|_| Refusal::BadBase64("the JWS signature (base64url)"))?;
    let signing_input = format!("{protected_b64}.{payload_b64}");
    hoso_pki::verify_signature(
        signer.public_key(),
        scheme,
        EcdsaEncoding::Fixed,
        signing_input.as_bytes(),
        &signature,
        options.policy.allow_weak,
    )
    .map_err(|e| Refusal::BadSignatureValue(e.to_string()))?;
    Ok(certificates)
}

/// The scheme of a JWS `alg`, or why it is refused.
fn scheme_of(alg: &str) -> Result<SignatureScheme, Refusal> {
    if let Some((_, scheme)) = ALGORITHMS.iter().find(|(name, _)| *name == alg) {
        return Ok(*scheme);
    }
    if alg.eq_ignore_ascii_case("none") {
        Err(Refusal::AlgNone)
    } else if alg.starts_with("HS") {
        Err(Refusal::HmacRefused(shown(alg)))
    } else {
        Err(Refusal::UnsupportedSignatureMethod(shown(alg)))
    }
}

/// The JWS `alg` of a scheme, `None` for schemes JWS does not name (SHA-1).
fn alg_of(scheme: SignatureScheme) -> Option<&'static str> {
    ALGORITHMS
        .iter()
        .find(|(_, s)| *s == scheme)
        .map(|(name, _)| *name)
}

/// RFC 7515 §4.1.11: `crit` is a non-empty array of names the header
/// carries; each must be one hoso processes.
fn check_critical(protected: &Map<String, Value>) -> Result<(), Refusal> {
    let Some(crit) = protected.get("crit") else {
        return Ok(());
    };
    let names = match crit {
        Value::Array(names) if !names.is_empty() => names,
        _ => {
            return Err(Refusal::JwsHeader(
                "crit is not a non-empty array of names".into(),
            ));
        }
    };
    for name in names {
        let Value::String(name) = name else {
            return Err(Refusal::JwsHeader(
                "crit holds something other than a name".into(),
            ));
        };
        if !UNDERSTOOD_CRITICAL.contains(&name.as_str()) {
            return Err(Refusal::UnknownCritical(shown(name)));
        }
        if !protected.contains_key(name) {
            return Err(Refusal::JwsHeader(format!(
                "crit lists {name:?}, which the protected header does not carry"
            )));
        }
    }
    Ok(())
}

/// The `x5c` certificates, the signer first.
fn x5c(
    protected: &Map<String, Value>,
    unprotected: &Map<String, Value>,
) -> Result<Vec<Certificate>, Refusal> {
    let Some(value) = protected.get("x5c") else {
        let given = OTHER_KEY_SOURCES
            .iter()
            .find(|name| protected.contains_key(**name) || unprotected.contains_key(**name));
        return Err(Refusal::JwsNoCertificate(given.map(|s| s.to_string())));
    };
    let Value::Array(items) = value else {
        return Err(Refusal::JwsHeader("x5c is not an array".into()));
    };
    if items.is_empty() {
        return Err(Refusal::JwsHeader("x5c is empty".into()));
    }
    if items.len() > MAX_X5C_CERTIFICATES {
        return Err(Refusal::JwsHeader(format!(
            "x5c holds more than {MAX_X5C_CERTIFICATES} certificates"
        )));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::String(text) = item else {
                return Err(Refusal::JwsHeader(format!("x5c[{i}] is not a string")));
            };
            let der = STANDARD
                .decode(text)
                .map_err(|_| Refusal::BadBase64("an x5c certificate (standard base64)"))?;
            Certificate::from_der(&der)
                .map_err(|e| Refusal::JwsHeader(format!("x5c[{i}] is not a certificate: {e}")))
        })
        .collect()
}

/// `x5t` / `x5t#S256`, when present, must be the signer's thumbprint.
fn check_thumbprint(
    protected: &Map<String, Value>,
    name: &str,
    digest: &'static ring::digest::Algorithm,
    signer: &Certificate,
) -> Result<(), Refusal> {
    let Some(value) = protected.get(name) else {
        return Ok(());
    };
    let matches = match value {
        Value::String(text) => URL_SAFE_NO_PAD
            .decode(text)
            .is_ok_and(|t| t == ring::digest::digest(digest, signer.der()).as_ref()),
        _ => false,
    };
    if matches {
        Ok(())
    } else {
        Err(Refusal::JwsHeader(format!(
            "{name} is not the thumbprint of the first x5c certificate"
        )))
    }
}

/// The latest NumericDate accepted for `iat`: 9999-12-31T23:59:59Z.
const MAX_NUMERIC_DATE: f64 = 253_402_300_799.0;

/// `sigT` (JAdES, RFC 3339 with a zone) or else `iat` (NumericDate).
fn signing_time(protected: &Map<String, Value>) -> Result<Option<SigningTime>, Refusal> {
    if let Some(value) = protected.get("sigT") {
        let Value::String(text) = value else {
            return Err(Refusal::BadSigningTime(shown(&value.to_string())));
        };
        let time =
            Timestamp::parse_rfc3339(text).map_err(|_| Refusal::BadSigningTime(shown(text)))?;
        return Ok(Some(SigningTime {
            time,
            source: SigningTimeSource::JwsHeader,
            text: text.clone(),
        }));
    }
    if let Some(value) = protected.get("iat") {
        let text = value.to_string();
        let secs = match value {
            Value::Number(n) => n.as_i64().map(|s| s as f64).or_else(|| n.as_f64()),
            _ => None,
        }
        .filter(|s| s.is_finite() && (-MAX_NUMERIC_DATE..=MAX_NUMERIC_DATE).contains(s))
        .ok_or_else(|| Refusal::BadSigningTime(shown(&text)))?;
        return Ok(Some(SigningTime {
            time: Timestamp::from_unix(secs.floor() as i64),
            source: SigningTimeSource::JwsHeader,
            text,
        }));
    }
    Ok(None)
}

/// The first member name that appears twice in one object of `json`, which
/// serde_json has already parsed (so it is well-formed and not nested
/// deeper than its recursion limit).  serde_json keeps the last of
/// duplicates; RFC 7515 §4 lets a verifier refuse them instead, and hoso
/// does, so that no other reader sees a different header or payload.
fn duplicate_member(json: &[u8]) -> Option<String> {
    enum Frame {
        Object {
            names: HashSet<String>,
            at_name: bool,
        },
        Array,
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while let Some(&byte) = json.get(i) {
        match byte {
            b'{' => stack.push(Frame::Object {
                names: HashSet::new(),
                at_name: true,
            }),
            b'[' => stack.push(Frame::Array),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Frame::Object { at_name, .. }) = stack.last_mut() {
                    *at_name = true;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while let Some(&b) = json.get(i) {
                    match b {
                        b'"' => break,
                        b'\\' => i += 2,
                        _ => i += 1,
                    }
                }
                if let Some(Frame::Object { names, at_name }) = stack.last_mut()
                    && *at_name
                {
                    *at_name = false;
                    // Unreachable for parsed JSON; refused rather than passed.
                    let raw = json.get(start..=i.min(json.len() - 1)).unwrap_or_default();
                    let Ok(name) = serde_json::from_slice::<String>(raw) else {
                        return Some(String::from_utf8_lossy(raw).into_owned());
                    };
                    if names.contains(&name) {
                        return Some(name);
                    }
                    names.insert(name);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Signs `payload` (the JSON form, as bytes) as a JWS in the flattened JSON
/// serialization: `{"payload", "protected", "signature"}`, with the
/// protected header `{"alg", "sigT", "x5c"}`.
///
/// `certificates` is the signer's certificate first, then the chain to
/// carry in `x5c`; `scheme` defaults to the key's usual one; `signing_time`
/// is claimed as `sigT` (the caller's clock).  The signature is checked
/// against the first certificate's key before it is returned, so a
/// certificate that does not belong to the key is an error.
pub fn sign_jws(
    payload: &[u8],
    key: &SigningKey,
    certificates: &[Certificate],
    scheme: Option<SignatureScheme>,
    signing_time: Timestamp,
) -> Result<Vec<u8>, SignError> {
    let signer = certificates.first().ok_or(SignError::NoCertificate)?;
    if payload.is_empty() {
        return Err(SignError::EmptyDocument);
    }
    let scheme = scheme.unwrap_or_else(|| key.default_scheme());
    let alg = alg_of(scheme).ok_or_else(|| {
        SignError::Key(format!(
            "{} has no JWS algorithm (RFC 7518); use SHA-256 or stronger",
            scheme.name()
        ))
    })?;
    let mut header = Map::new();
    header.insert("alg".into(), Value::String(alg.into()));
    header.insert("sigT".into(), Value::String(signing_time.to_string()));
    header.insert(
        "x5c".into(),
        Value::Array(
            certificates
                .iter()
                .map(|c| Value::String(STANDARD.encode(c.der())))
                .collect(),
        ),
    );
    let header = serde_json::to_vec(&Value::Object(header)).map_err(|_| SignError::Signing)?;
    let protected = URL_SAFE_NO_PAD.encode(header);
    let payload_b64 = URL_SAFE_NO_PAD.encode(payload);
    let signing_input = format!("{protected}.{payload_b64}");
    let signature = key.sign(scheme, signing_input.as_bytes())?;
    hoso_pki::verify_signature(
        signer.public_key(),
        scheme,
        EcdsaEncoding::Fixed,
        signing_input.as_bytes(),
        &signature,
        true,
    )
    .map_err(|e| {
        SignError::Key(format!(
            "the first certificate does not hold the signing key: {e}"
        ))
    })?;
    let mut jws = Map::new();
    jws.insert("payload".into(), Value::String(payload_b64));
    jws.insert("protected".into(), Value::String(protected));
    jws.insert(
        "signature".into(),
        Value::String(URL_SAFE_NO_PAD.encode(signature)),
    );
    serde_json::to_vec(&Value::Object(jws)).map_err(|_| SignError::Signing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_members_are_found_at_any_depth() {
        let cases: [(&str, Option<&str>); 7] = [
            (r#"{"a":1,"b":2}"#, None),
            (r#"{"a":1,"a":2}"#, Some("a")),
            (r#"{"a":{"b":1},"b":{"a":1}}"#, None),
            (r#"[{"x":"a","a":"x"},{"x":1,"\u0078":2}]"#, Some("x")),
            (r#"{"s":"\"a\":1,","a":[1,"a","a"]}"#, None),
            (r#"{"k\\":1,"k\\":2}"#, Some("k\\")),
            (r#"{"o":{"p":{},"p":[]}}"#, Some("p")),
        ];
        for (json, expected) in cases {
            serde_json::from_str::<Value>(json).unwrap();
            assert_eq!(
                duplicate_member(json.as_bytes()).as_deref(),
                expected,
                "{json}"
            );
        }
    }

    #[test]
    fn algorithms_map_both_ways() {
        for (name, scheme) in ALGORITHMS {
            assert_eq!(scheme_of(name), Ok(scheme));
            assert_eq!(alg_of(scheme), Some(name));
        }
        assert_eq!(alg_of(SignatureScheme::RsaPkcs1Sha1), None);
        assert_eq!(scheme_of("none"), Err(Refusal::AlgNone));
        assert_eq!(scheme_of("NONE"), Err(Refusal::AlgNone));
        assert_eq!(
            scheme_of("HS256"),
            Err(Refusal::HmacRefused("HS256".into()))
        );
        assert_eq!(
            scheme_of("ES512"),
            Err(Refusal::UnsupportedSignatureMethod("ES512".into()))
        );
    }

    #[test]
    fn compact_is_recognised_by_its_shape() {
        assert!(is_jws(b"  {\"payload\":\"\"}"));
        assert!(is_jws(b"eyJhbGciOiJFUzI1NiJ9.e30.c2ln\n"));
        assert!(!is_jws(b"<a>x.y.z</a>"));
        assert!(!is_jws(b"a.b"));
        assert!(!is_jws(b"a.b.c.d"));
        assert!(!is_jws(b""));
    }
}
