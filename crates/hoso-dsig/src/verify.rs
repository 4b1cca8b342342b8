//! XML-DSig and XAdES verification.

use base64::Engine as _;
use hoso_pki::{
    Certificate, ChainStatus, Crl, EcdsaEncoding, Identity, OcspResponse, Policy, RevocationStatus,
    Timestamp, TrustStore, Validation, ValidationInput,
};
use hoso_xml::{Algorithm, Canonicalizer, IdAttributes, Limits, Method, Selection};

use crate::algorithms::{
    DSIG_NS, DigestAlgorithm, DigestWriter, ENVELOPED, SIGNED_PROPERTIES_TYPE, SignatureAlgorithm,
    XADES_NS, is_hmac,
};
use crate::error::{DsigError, Refusal};
use crate::tree::{self, DocumentIndex, Node, SignatureTree};

const EXC_C14N_NS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// Vietnam's UTC offset, assumed for a signing time written without a zone.
const VIETNAM_OFFSET_MINUTES: i32 = 7 * 60;

/// What a verification needs from the caller: trust, time, revocation data
/// and policy. hoso-dsig reads no clock, file or network on its own.
#[derive(Debug, Clone)]
pub struct VerifyOptions<'a> {
    /// The trust anchors and known intermediates.
    pub trust: &'a TrustStore,
    /// Certificate policy (weak algorithms, revocation, key sizes).
    pub policy: Policy,
    /// The verification time.
    pub at: Timestamp,
    /// CRLs handed in by the caller.
    pub crls: &'a [Crl],
    /// OCSP responses handed in by the caller.
    pub ocsp: &'a [OcspResponse],
    /// Limits of the XML reader.
    pub limits: Limits,
    /// Which attributes carry Ids.
    pub id_attributes: IdAttributes,
    /// Check certificates at the signing time the signature claims (the
    /// default); when false, at [`VerifyOptions::at`] whatever it claims.
    pub use_claimed_signing_time: bool,
}

impl<'a> VerifyOptions<'a> {
    /// Validates a signer's certificate under these options: the path
    /// through `certificates` (the signer among them or not) to a trust
    /// anchor, validity and revocation at the signer's `claimed` signing
    /// time when [`VerifyOptions::use_claimed_signing_time`] allows it, else
    /// at [`VerifyOptions::at`]. XML, JWS and PDF signatures all go through
    /// here, so that each is judged by the same rules.
    pub fn validate_signer(
        &self,
        signer: &Certificate,
        certificates: &[Certificate],
        claimed: Option<Timestamp>,
    ) -> Validation {
        let others: Vec<Certificate> = certificates
            .iter()
            .filter(|c| c.sha256() != signer.sha256())
            .cloned()
            .collect();
        self.trust.validate(
            &self.policy,
            &ValidationInput {
                signer,
                untrusted: &others,
                signing_time: claimed.filter(|_| self.use_claimed_signing_time),
                verification_time: self.at,
                crls: self.crls,
                ocsp: self.ocsp,
            },
        )
    }

    /// Options with the default policy, limits and Id attributes.
    pub fn new(trust: &'a TrustStore, at: Timestamp) -> Self {
        VerifyOptions {
            trust,
            policy: Policy::default(),
            at,
            crls: &[],
            ocsp: &[],
            limits: Limits::default(),
            id_attributes: IdAttributes::default(),
            use_claimed_signing_time: true,
        }
    }
}

/// Whether the digests and the signature value check out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Integrity {
    /// Every digest and the signature value verify.
    Valid,
    /// They do not, or the signature could not be processed.
    Invalid(Refusal),
}

/// Where a signing time comes from: always a claim of the signer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningTimeSource {
    /// XAdES SignedProperties.
    Xades,
    /// A signed `SigningTime` element in a ds:Object (the form Vietnamese
    /// invoicing software uses).
    SignedObject,
    /// The JWS protected header (`sigT`, as in JAdES, or `iat`).
    JwsHeader,
}

/// The signing time the signature claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningTime {
    /// The claimed time.
    pub time: Timestamp,
    /// Where it was found.
    pub source: SigningTimeSource,
    /// The value as written.
    pub text: String,
}

/// What one Reference covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceReport {
    /// The URI as written.
    pub uri: String,
    /// Path of the element it names (`/` + qualified names).
    pub path: String,
    /// Whether it names the document element.
    pub is_document_element: bool,
    /// Whether it is the XAdES SignedProperties reference.
    pub is_signed_properties: bool,
    /// The digest algorithm.
    pub digest: DigestAlgorithm,
    /// Whether its digest matched (false also when not reached).
    pub digest_ok: bool,
}

/// The algorithms a signature uses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Algorithms {
    /// SignedInfo canonicalization.
    pub canonicalization: Option<Method>,
    /// The signature method.
    pub signature: Option<hoso_pki::SignatureScheme>,
    /// The digest methods of the references.
    pub digests: Vec<DigestAlgorithm>,
}

/// What was signed: the canonical bytes the covering Reference digested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedContent {
    /// Byte offset of the signed element in the document.
    pub element_offset: usize,
    /// Path of the signed element.
    pub element_path: String,
    /// The canonical form that was digested (for an enveloped signature,
    /// without the Signature element; for `URI=""`, the whole document, so
    /// processing instructions outside the document element too). Read the
    /// form from these bytes, not from the original document.
    pub canonical: Vec<u8>,
}

/// The verification of one `ds:Signature`.
#[derive(Debug, Clone)]
pub struct SignatureReport {
    /// 1-based position in document order.
    pub index: usize,
    /// Where the Signature element is.
    pub path: String,
    /// Digests and signature value.
    pub integrity: Integrity,
    /// The References.
    pub references: Vec<ReferenceReport>,
    /// Whether a Reference covers the document element.
    pub covers_document: bool,
    /// What the data Reference covered (the document element's when it
    /// covers it).
    pub signed: Option<SignedContent>,
    /// The certificate whose key verified the signature value.
    pub signer: Option<Certificate>,
    /// The signer's identity.
    pub identity: Option<Identity>,
    /// The certificate path, signer first.
    pub chain: Vec<Certificate>,
    /// The result of path validation (`None` when integrity failed first).
    pub chain_status: Option<ChainStatus>,
    /// Revocation of the signer.
    pub revocation: RevocationStatus,
    /// The claimed signing time.
    pub signing_time: Option<SigningTime>,
    /// The algorithms.
    pub algorithms: Algorithms,
    /// Warnings (in English; see [`crate::report`] for both languages).
    pub warnings: Vec<Warning>,
}

/// Something a verifier should know that does not make the signature invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// A weak algorithm was accepted under the legacy policy.
    WeakAlgorithm(String),
    /// The signing time had no time zone; Vietnam's (UTC+7) was assumed.
    SigningTimeWithoutZone,
    /// An Id value that is not an NCName.
    IdNotNcname(String),
    /// XAdES properties that no Reference signs were ignored.
    UnsignedProperties,
    /// A known producer quirk, accepted: the Reference (its URI) names a
    /// ds:Object of this very Signature and carries the enveloped-signature
    /// transform, yet its digest is that of the Object as it stands (the
    /// transform, applied as written, would leave nothing to digest).
    EnvelopedTransformOnSignedObject(String),
    /// A warning from certificate path validation.
    Pki(hoso_pki::Warning),
}

impl SignatureReport {
    fn new(index: usize, path: String) -> Self {
        SignatureReport {
            index,
            path,
            integrity: Integrity::Invalid(Refusal::Malformed("not verified".into())),
            references: Vec::new(),
            covers_document: false,
            signed: None,
            signer: None,
            identity: None,
            chain: Vec::new(),
            chain_status: None,
            revocation: RevocationStatus::NotChecked,
            signing_time: None,
            algorithms: Algorithms::default(),
            warnings: Vec::new(),
        }
    }

    /// Whether integrity is valid and the signer chains to a trust anchor
    /// under the policy.
    pub fn is_valid(&self) -> bool {
        self.integrity == Integrity::Valid
            && matches!(self.chain_status, Some(ChainStatus::Trusted))
    }
}

/// Every signature of a document, each verified on its own.
#[derive(Debug, Clone)]
pub struct DocumentReport {
    /// The signatures in document order.
    pub signatures: Vec<SignatureReport>,
    /// Byte offset of the document element.
    pub document_element_offset: usize,
}

impl DocumentReport {
    /// Whether every signature is valid (and there is at least one).
    pub fn all_valid(&self) -> bool {
        !self.signatures.is_empty() && self.signatures.iter().all(SignatureReport::is_valid)
    }
}

/// Verifies every signature of `input` independently (received documents:
/// invoices, tax filings).  Fails only when the document itself is refused
/// (malformed XML, duplicate Ids); each signature's problems are in its
/// report.
pub fn verify_all(input: &[u8], options: &VerifyOptions<'_>) -> Result<DocumentReport, DsigError> {
    let index = tree::index(input, &options.limits, &options.id_attributes)?;
    let signatures = index
        .signatures
        .iter()
        .enumerate()
        .map(|(i, sig)| verify_signature(input, &index, sig, i + 1, options))
        .collect();
    Ok(DocumentReport {
        signatures,
        document_element_offset: index.root_offset,
    })
}

/// A form accepted under the submission policy.
#[derive(Debug, Clone)]
pub struct AcceptedForm {
    /// The one signature, valid and trusted (its `signed` has moved to
    /// [`AcceptedForm::signed`]).
    pub signature: SignatureReport,
    /// The canonical bytes of the signed form: read the form from these.
    pub signed: SignedContent,
}

/// A form refused under the submission policy.
#[derive(Debug, Clone)]
pub struct RefusedForm {
    /// Why.
    pub refusal: Refusal,
    /// The signature reports, when the document got that far.
    pub report: Option<DocumentReport>,
}

/// Verifies a submitted form: accepted only when exactly one signature
/// covers the document element, references nothing else (but its XAdES
/// SignedProperties), verifies, and chains to a trust anchor.
pub fn verify_form(input: &[u8], options: &VerifyOptions<'_>) -> Result<AcceptedForm, RefusedForm> {
    let report = verify_all(input, options).map_err(|e| RefusedForm {
        refusal: match e {
            DsigError::Refused { refusal, .. } => refusal,
            DsigError::Xml(x) => Refusal::Xml(x),
        },
        report: None,
    })?;
    into_accepted_form(report)
}

/// The submission policy applied to a document's report (see
/// [`verify_form`]).
pub fn form_policy(report: &DocumentReport) -> Result<AcceptedForm, RefusedForm> {
    match policy_refusal(report) {
        Some(refusal) => Err(RefusedForm {
            refusal,
            report: Some(report.clone()),
        }),
        None => Ok(accept(report.signatures[0].clone())),
    }
}

/// [`form_policy`] taking the report by value: nothing is copied.
pub fn into_accepted_form(mut report: DocumentReport) -> Result<AcceptedForm, RefusedForm> {
    match policy_refusal(&report) {
        Some(refusal) => Err(RefusedForm {
            refusal,
            report: Some(report),
        }),
        None => Ok(accept(report.signatures.swap_remove(0))),
    }
}

/// The signed content moves out of the report into [`AcceptedForm::signed`]
/// (so the canonical bytes are held once).
fn accept(mut signature: SignatureReport) -> AcceptedForm {
    let signed = signature.signed.take().expect("checked by policy_refusal");
    AcceptedForm { signature, signed }
}

/// Why the submission policy refuses the report, if it does.
fn policy_refusal(report: &DocumentReport) -> Option<Refusal> {
    let signature = match report.signatures.as_slice() {
        [] => return Some(Refusal::NoSignature),
        [one] => one,
        several => return Some(Refusal::SeveralSignatures(several.len())),
    };
    if let Integrity::Invalid(refusal) = &signature.integrity {
        return Some(refusal.clone());
    }
    if let Some(extra) = signature
        .references
        .iter()
        .find(|r| !r.is_document_element && !r.is_signed_properties)
    {
        return Some(Refusal::ExtraReference(extra.uri.clone()));
    }
    if !signature.covers_document {
        return Some(Refusal::PartialCoverage);
    }
    match &signature.chain_status {
        Some(ChainStatus::Trusted) => {}
        Some(status) => return Some(Refusal::Untrusted(status.clone())),
        None => {
            return Some(Refusal::Malformed(
                "the signer's certificate was not validated".into(),
            ));
        }
    }
    // A reference covering the document element keeps what it signed; should
    // that ever not hold, refuse rather than panic on untrusted input.
    if signature.signed.is_none() {
        return Some(Refusal::PartialCoverage);
    }
    None
}

fn verify_signature(
    input: &[u8],
    index: &DocumentIndex,
    sig: &SignatureTree,
    position: usize,
    options: &VerifyOptions<'_>,
) -> SignatureReport {
    let mut report = SignatureReport::new(position, sig.path.clone());
    let key_info = match check_integrity(input, index, sig, options, &mut report) {
        Ok(certs) => {
            report.integrity = Integrity::Valid;
            certs
        }
        Err(refusal) => {
            report.integrity = Integrity::Invalid(refusal);
            Vec::new()
        }
    };
    if report.integrity == Integrity::Valid {
        let signer = report.signer.clone().expect("integrity needs a signer");
        let validation = options.validate_signer(
            &signer,
            &key_info,
            report.signing_time.as_ref().map(|t| t.time),
        );
        report.identity = Some(signer.identity());
        report.chain = validation.chain;
        report.chain_status = Some(validation.status);
        report.revocation = validation.revocation;
        report
            .warnings
            .extend(validation.warnings.into_iter().map(Warning::Pki));
    }
    report
}

fn child<'t>(sig: &'t SignatureTree, node: &'t Node, local: &str) -> Option<&'t Node> {
    sig.children(node).find(|n| n.is(DSIG_NS, local))
}

fn decode_base64(text: &str, what: &'static str) -> Result<Vec<u8>, Refusal> {
    let engine = &base64::engine::general_purpose::STANDARD;
    let bytes = text.as_bytes();
    let decoded = if bytes.iter().any(u8::is_ascii_whitespace) {
        // Base64 in XML is often wrapped in lines.
        let compact: Vec<u8> = bytes
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        engine.decode(compact)
    } else {
        engine.decode(bytes)
    };
    decoded.map_err(|_| Refusal::BadBase64(what))
}

fn key_info_certificates(
    sig: &SignatureTree,
    trust: &TrustStore,
) -> Result<Vec<Certificate>, Refusal> {
    let Some(key_info) = child(sig, sig.root(), "KeyInfo") else {
        return Ok(Vec::new());
    };
    let mut certs = Vec::new();
    for node in sig.descendants(key_info) {
        if node.is(DSIG_NS, "X509Certificate") {
            let der = decode_base64(&node.text, "an X509Certificate")?;
            certs.push(
                trust
                    .parse_certificate(&der)
                    .map_err(|e| Refusal::BadCertificate(e.to_string()))?,
            );
        }
    }
    Ok(certs)
}

/// The certificates of KeyInfo that issued no other certificate of KeyInfo:
/// the candidates for the signer, in document order.
fn leaf_candidates(certs: &[Certificate]) -> Vec<&Certificate> {
    certs
        .iter()
        .filter(|c| {
            !certs
                .iter()
                .any(|other| other.sha256() != c.sha256() && other.issuer_der() == c.subject_der())
        })
        .collect()
}

struct Transforms {
    enveloped: bool,
    method: Option<Method>,
    prefixes: Vec<String>,
}

fn parse_transforms(sig: &SignatureTree, reference: &Node) -> Result<Transforms, Refusal> {
    let mut transforms = Transforms {
        enveloped: false,
        method: None,
        prefixes: Vec::new(),
    };
    let Some(list) = child(sig, reference, "Transforms") else {
        return Ok(transforms);
    };
    for transform in sig.children(list) {
        if !transform.is(DSIG_NS, "Transform") {
            return Err(Refusal::Malformed(format!(
                "unexpected element {} in Transforms",
                transform.local
            )));
        }
        let algorithm = transform
            .attr("Algorithm")
            .ok_or_else(|| Refusal::Malformed("a Transform without Algorithm".into()))?;
        if transforms.method.is_some() {
            return Err(Refusal::TransformOrder);
        }
        if algorithm == ENVELOPED {
            if transforms.enveloped {
                return Err(Refusal::TransformOrder);
            }
            transforms.enveloped = true;
        } else if let Some(method) = Method::from_uri(algorithm) {
            transforms.method = Some(method);
            transforms.prefixes = inclusive_prefixes(sig, transform, method);
        } else {
            return Err(Refusal::UnsupportedTransform(algorithm.to_string()));
        }
    }
    Ok(transforms)
}

fn inclusive_prefixes(sig: &SignatureTree, node: &Node, method: Method) -> Vec<String> {
    if method.algorithm != Algorithm::ExcC14n10 {
        return Vec::new();
    }
    sig.children(node)
        .find(|n| n.is(EXC_C14N_NS, "InclusiveNamespaces"))
        .and_then(|n| n.attr("PrefixList"))
        .map(|list| list.split_ascii_whitespace().map(String::from).collect())
        .unwrap_or_default()
}

fn check_weak(
    name: &str,
    weak: bool,
    options: &VerifyOptions<'_>,
    report: &mut SignatureReport,
) -> Result<(), Refusal> {
    if weak {
        if !options.policy.allow_weak {
            return Err(Refusal::WeakAlgorithm(name.to_string()));
        }
        report
            .warnings
            .push(Warning::WeakAlgorithm(name.to_string()));
    }
    Ok(())
}

fn check_integrity(
    input: &[u8],
    index: &DocumentIndex,
    sig: &SignatureTree,
    options: &VerifyOptions<'_>,
    report: &mut SignatureReport,
) -> Result<Vec<Certificate>, Refusal> {
    let root = sig.root();
    let mut children = sig.children(root);
    let signed_info = children
        .next()
        .filter(|n| n.is(DSIG_NS, "SignedInfo"))
        .ok_or_else(|| {
            Refusal::Malformed("SignedInfo must be the first child of Signature".into())
        })?;
    let signature_value = children
        .next()
        .filter(|n| n.is(DSIG_NS, "SignatureValue"))
        .ok_or_else(|| Refusal::Malformed("SignatureValue must follow SignedInfo".into()))?;
    for rest in children {
        if !(rest.is(DSIG_NS, "KeyInfo") || rest.is(DSIG_NS, "Object")) {
            return Err(Refusal::Malformed(format!(
                "unexpected element {} in Signature",
                rest.local
            )));
        }
    }

    // SignedInfo: CanonicalizationMethod, SignatureMethod, Reference+.
    let mut parts = sig.children(signed_info);
    let c14n_node = parts
        .next()
        .filter(|n| n.is(DSIG_NS, "CanonicalizationMethod"))
        .ok_or_else(|| {
            Refusal::Malformed("SignedInfo must start with CanonicalizationMethod".into())
        })?;
    let c14n_uri = c14n_node.attr("Algorithm").unwrap_or_default();
    let c14n = Method::from_uri(c14n_uri)
        .ok_or_else(|| Refusal::UnsupportedCanonicalization(c14n_uri.to_string()))?;
    report.algorithms.canonicalization = Some(c14n);
    let method_node = parts
        .next()
        .filter(|n| n.is(DSIG_NS, "SignatureMethod"))
        .ok_or_else(|| {
            Refusal::Malformed("SignatureMethod must follow CanonicalizationMethod".into())
        })?;
    let method_uri = method_node.attr("Algorithm").unwrap_or_default();
    if is_hmac(method_uri) {
        return Err(Refusal::HmacRefused(method_uri.to_string()));
    }
    let algorithm = SignatureAlgorithm::from_uri(method_uri)
        .ok_or_else(|| Refusal::UnsupportedSignatureMethod(method_uri.to_string()))?;
    report.algorithms.signature = Some(algorithm.scheme);
    check_weak(
        algorithm.scheme.name(),
        algorithm.scheme.is_weak(),
        options,
        report,
    )?;
    let references: Vec<&Node> = parts.collect();
    if references.is_empty() || references.iter().any(|r| !r.is(DSIG_NS, "Reference")) {
        return Err(Refusal::Malformed(
            "SignedInfo must hold one or more References after SignatureMethod".into(),
        ));
    }

    // The signer: a KeyInfo certificate whose key verifies SignatureValue
    // over the canonical SignedInfo.
    let certs = key_info_certificates(sig, options.trust)?;
    if certs.is_empty() {
        return Err(Refusal::NoCertificate);
    }
    let signed_info_c14n =
        Canonicalizer::new(c14n).with_inclusive_prefixes(inclusive_prefixes(sig, c14n_node, c14n));
    let signed_info_bytes = match &signed_info.context {
        Some(context) => {
            signed_info_c14n.write_element(input, context, None, &options.limits, Vec::new())
        }
        None => signed_info_c14n.to_vec(
            input,
            Selection::subtree(signed_info.offset),
            &options.limits,
        ),
    }
    .map_err(|e| Refusal::Malformed(e.to_string()))?;
    let value = decode_base64(&signature_value.text, "SignatureValue")?;
    let mut first_error = None;
    for candidate in leaf_candidates(&certs) {
        match hoso_pki::verify_signature(
            candidate.public_key(),
            // ecdsa-sha256/384 name the hash; the curve is the key's.
            algorithm.scheme.for_key_curve(candidate.public_key()),
            EcdsaEncoding::Fixed,
            &signed_info_bytes,
            &value,
            // The scheme's weakness was judged above (check_weak); the key's
            // size is judged with the path (ChainStatus::WeakKey, under the
            // policy's min_rsa_bits), so that a small key is refused as such
            // and not as a signature value that "does not verify".
            true,
        ) {
            Ok(()) => {
                report.signer = Some(candidate.clone());
                break;
            }
            Err(e) => {
                first_error.get_or_insert(e.to_string());
            }
        }
    }
    if report.signer.is_none() {
        return Err(Refusal::BadSignatureValue(first_error.unwrap_or_default()));
    }

    let mut signed_properties: Option<&Node> = None;
    let mut signed_objects: Vec<&Node> = Vec::new();
    for reference in references {
        check_reference(
            input,
            index,
            sig,
            reference,
            options,
            report,
            &mut signed_properties,
            &mut signed_objects,
        )?;
    }
    report.signing_time = signing_time(sig, signed_properties, &signed_objects, report)?;
    if let Some(properties) = signed_properties {
        check_signing_certificate(sig, properties, options, report)?;
    } else if sig
        .descendants(root)
        .iter()
        .any(|n| n.is(XADES_NS, "SignedProperties"))
    {
        report.warnings.push(Warning::UnsignedProperties);
    }
    Ok(certs)
}

#[allow(clippy::too_many_arguments)]
fn check_reference<'t>(
    input: &[u8],
    index: &DocumentIndex,
    sig: &'t SignatureTree,
    reference: &'t Node,
    options: &VerifyOptions<'_>,
    report: &mut SignatureReport,
    signed_properties: &mut Option<&'t Node>,
    signed_objects: &mut Vec<&'t Node>,
) -> Result<(), Refusal> {
    let uri = reference
        .attr("URI")
        .ok_or_else(|| Refusal::Malformed("a Reference without URI".into()))?;
    let (offset, path) = if uri.is_empty() {
        (index.root_offset, format!("/{}", index.root_name))
    } else if let Some(id) = uri
        .strip_prefix('#')
        .filter(|id| !id.starts_with("xpointer("))
    {
        let target = index
            .ids
            .get(id)
            .ok_or_else(|| Refusal::UnknownReference(uri.to_string()))?;
        if target.not_ncname {
            report.warnings.push(Warning::IdNotNcname(id.to_string()));
        }
        (target.offset, target.path.clone())
    } else {
        return Err(Refusal::UnsupportedUri(uri.to_string()));
    };
    let transforms = parse_transforms(sig, reference)?;
    let mut parts = sig
        .children(reference)
        .filter(|n| !n.is(DSIG_NS, "Transforms"));
    let digest_node = parts
        .next()
        .filter(|n| n.is(DSIG_NS, "DigestMethod"))
        .ok_or_else(|| Refusal::Malformed("a Reference without DigestMethod".into()))?;
    let digest_value_node = parts
        .next()
        .filter(|n| n.is(DSIG_NS, "DigestValue"))
        .ok_or_else(|| Refusal::Malformed("a Reference without DigestValue".into()))?;
    let digest_uri = digest_node.attr("Algorithm").unwrap_or_default();
    let digest = DigestAlgorithm::from_uri(digest_uri)
        .ok_or_else(|| Refusal::UnsupportedDigest(digest_uri.to_string()))?;
    report.algorithms.digests.push(digest);
    check_weak(digest.name(), digest.is_weak(), options, report)?;
    let expected = decode_base64(&digest_value_node.text, "DigestValue")?;

    let in_signature = sig.by_offset(offset);
    let is_signed_properties = reference.attr("Type") == Some(SIGNED_PROPERTIES_TYPE);
    if is_signed_properties {
        match in_signature {
            Some(node) if node.is(XADES_NS, "SignedProperties") => *signed_properties = Some(node),
            _ => {
                return Err(Refusal::Malformed(
                    "the SignedProperties reference must name xades:SignedProperties of this signature".into(),
                ));
            }
        }
    } else if let Some(node) = in_signature {
        signed_objects.push(node);
    }
    // A Signature that is itself the document element (an enveloping
    // signature) covers no form: its own elements are never "the document".
    let is_document_element = offset == index.root_offset && in_signature.is_none();
    let keep = !is_signed_properties && in_signature.is_none();

    // A same-document reference selects a node-set without comments, whatever
    // the canonicalization transform says (XML-DSig 4.4.3.3).
    let mut method = transforms.method.unwrap_or(Method {
        algorithm: Algorithm::C14n10,
        with_comments: false,
    });
    method.with_comments = false;
    // URI="" is the whole document (XML-DSig 4.3.3.2), not only its
    // element: processing instructions before and after the document
    // element are signed too (as sign_enveloped and xmlsec1 sign them).
    let mut selection = if uri.is_empty() {
        Selection::document()
    } else {
        Selection::subtree(offset)
    };
    // Some invoicing software puts the enveloped-signature transform on a
    // Reference to an Object of the Signature itself and digests the Object
    // as it stands: verify that digest, and say so (a warning) if it holds.
    let quirk = transforms.enveloped && in_signature.is_some_and(|node| in_object(sig, node));
    if transforms.enveloped && !quirk {
        selection = selection.excluding(sig.root().offset);
    }
    let sink = DigestWriter::new(digest, keep);
    let canonicalizer = Canonicalizer::new(method).with_inclusive_prefixes(transforms.prefixes);
    // Elements of the signature itself (SignedProperties, Objects) are read
    // from their captured context; document content is read whole.
    let sink = match in_signature.and_then(|node| node.context.as_ref()) {
        Some(context) => {
            canonicalizer.write_element(input, context, selection.excluding, &options.limits, sink)
        }
        None => canonicalizer.write(input, selection, &options.limits, sink),
    }
    .map_err(|e| Refusal::Malformed(e.to_string()))?;
    let (actual, copy) = sink.finish_with_copy();
    let digest_ok = actual == expected;
    report.references.push(ReferenceReport {
        uri: uri.to_string(),
        path: path.clone(),
        is_document_element,
        is_signed_properties,
        digest,
        digest_ok,
    });
    // Coverage is what the reference names, whether or not its digest holds.
    if is_document_element {
        report.covers_document = true;
    }
    if !digest_ok {
        return Err(Refusal::DigestMismatch(uri.to_string()));
    }
    if quirk {
        report
            .warnings
            .push(Warning::EnvelopedTransformOnSignedObject(uri.to_string()));
    }
    if let Some(canonical) = copy
        && (report.signed.is_none() || is_document_element)
    {
        report.signed = Some(SignedContent {
            element_offset: offset,
            element_path: path,
            canonical,
        });
    }
    Ok(())
}

/// Whether `node` is a ds:Object child of the Signature or lies inside one.
fn in_object(sig: &SignatureTree, node: &Node) -> bool {
    sig.children(sig.root())
        .filter(|object| object.is(DSIG_NS, "Object"))
        .any(|object| {
            object.offset == node.offset
                || sig
                    .descendants(object)
                    .iter()
                    .any(|inner| inner.offset == node.offset)
        })
}

fn parse_time(
    text: &str,
    source: SigningTimeSource,
    report: &mut SignatureReport,
) -> Result<SigningTime, Refusal> {
    let trimmed = text.trim();
    let (time, zoned) = Timestamp::parse_with_default_offset(trimmed, VIETNAM_OFFSET_MINUTES)
        .map_err(|_| Refusal::BadSigningTime(trimmed.to_string()))?;
    if !zoned {
        report.warnings.push(Warning::SigningTimeWithoutZone);
    }
    Ok(SigningTime {
        time,
        source,
        text: trimmed.to_string(),
    })
}

fn signing_time(
    sig: &SignatureTree,
    signed_properties: Option<&Node>,
    signed_objects: &[&Node],
    report: &mut SignatureReport,
) -> Result<Option<SigningTime>, Refusal> {
    if let Some(properties) = signed_properties
        && let Some(node) = sig
            .descendants(properties)
            .into_iter()
            .find(|n| n.is(XADES_NS, "SigningTime"))
    {
        return parse_time(&node.text, SigningTimeSource::Xades, report).map(Some);
    }
    for object in signed_objects {
        let found = std::iter::once(*object)
            .chain(sig.descendants(object))
            .find(|n| n.local == "SigningTime");
        if let Some(node) = found {
            return parse_time(&node.text, SigningTimeSource::SignedObject, report).map(Some);
        }
    }
    Ok(None)
}

/// XAdES SigningCertificateV2 (or the older SigningCertificate) must name
/// the certificate whose key signed, by digest.
fn check_signing_certificate(
    sig: &SignatureTree,
    properties: &Node,
    options: &VerifyOptions<'_>,
    report: &mut SignatureReport,
) -> Result<(), Refusal> {
    let signer = report.signer.clone().expect("the signer is known");
    let holder = sig
        .descendants(properties)
        .into_iter()
        .find(|n| n.is(XADES_NS, "SigningCertificateV2") || n.is(XADES_NS, "SigningCertificate"))
        .ok_or(Refusal::SigningCertificateMismatch)?;
    for cert in sig.children(holder).filter(|n| n.is(XADES_NS, "Cert")) {
        let Some(digest_node) = sig.children(cert).find(|n| n.is(XADES_NS, "CertDigest")) else {
            continue;
        };
        let method = sig
            .children(digest_node)
            .find(|n| n.is(DSIG_NS, "DigestMethod"))
            .and_then(|n| n.attr("Algorithm"))
            .and_then(DigestAlgorithm::from_uri);
        let value = sig
            .children(digest_node)
            .find(|n| n.is(DSIG_NS, "DigestValue"));
        let (Some(method), Some(value)) = (method, value) else {
            continue;
        };
        check_weak(method.name(), method.is_weak(), options, report)?;
        if decode_base64(&value.text, "CertDigest")? == method.digest(signer.der()) {
            return Ok(());
        }
    }
    Err(Refusal::SigningCertificateMismatch)
}
