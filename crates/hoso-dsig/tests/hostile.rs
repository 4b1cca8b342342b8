//! Hostile documents: each refused for the right reason (the specific
//! [`Refusal`], [`ChainStatus`] or XML error, never just "an error"), and
//! where a document is accepted, what was signed excludes the attacker's
//! content.
//!
//! Bad documents are made three ways:
//! * signed by hoso ([`sign_as`]) and then changed byte by byte;
//! * written here as templates and signed by [`TemplateSigner`], a small
//!   XML-DSig signer over hoso-xml and ring, for shapes hoso's signer does
//!   not make (Reference URI="#id", a Reference to part of the form, odd
//!   transforms, HMAC, SHA-1 digests) — the legitimate signature an
//!   attacker then rearranges without the key;
//! * signed by xmlsec1 where ring cannot sign (rsa-sha1, RSA-1024); those
//!   cases fail under CI and are skipped elsewhere when xmlsec1 is missing.
//!
//! Id resolution in hoso (what the wrapping cases attack): `Id`, `ID`,
//! `id` and `xml:id` on any element of the document, the Signature's own
//! elements included, all count, and one value carried twice anywhere
//! refuses the whole document ([`Refusal::DuplicateId`]).  A Reference may
//! name an element by one Id; the form policy then accepts only the
//! document element (plus the signature's own SignedProperties).

mod common;
#[path = "common/xmlsec.rs"]
mod xmlsec;

use base64::Engine as _;
use common::*;
use hoso_dsig::{
    DigestAlgorithm, DsigError, Integrity, Refusal, RefusedForm, SigningTimeSource, VerifyOptions,
    Warning, sign_enveloped, verify_all, verify_form,
};
use hoso_pki::{ChainStatus, Crl, OcspResponse, Policy, SignatureScheme, Timestamp};
use hoso_xml::{Canonicalizer, ErrorKind, IdAttributes, Limits, Method, Selection, find_id};
use ring::signature::{self, EcdsaKeyPair, RsaKeyPair};

const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const EXC: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const EXC_WITH_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
const HMAC_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256";
const HMAC_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#hmac-sha1";
const DIGEST_MARK: &str = "@DIGEST@";
const SIGNATURE_MARK: &str = "@SIGNATURE@";

// ---------------------------------------------------------------------------
// A template signer: what a signer with a real key (careless, or the
// victim whose signature an attacker later rearranges) could produce.

enum TestKey {
    Rsa(RsaKeyPair),
    Ecdsa(EcdsaKeyPair),
}

fn pem_der(path: &str) -> Vec<u8> {
    let text = String::from_utf8(read(path)).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

impl TestKey {
    fn load(stem: &str) -> Self {
        let der = pem_der(&format!("{stem}.key.pem"));
        if let Ok(k) = RsaKeyPair::from_pkcs8(&der) {
            return TestKey::Rsa(k);
        }
        let rng = ring::rand::SystemRandom::new();
        TestKey::Ecdsa(
            EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &der, &rng)
                .unwrap(),
        )
    }

    fn sign(&self, method: &str, message: &[u8]) -> Vec<u8> {
        let rng = ring::rand::SystemRandom::new();
        match (self, method) {
            (_, HMAC_SHA256 | HMAC_SHA1) => {
                // A made-up shared secret: an HMAC says nothing about who
                // signed, whatever the key.
                let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"made-up shared secret");
                ring::hmac::sign(&key, message).as_ref().to_vec()
            }
            (TestKey::Rsa(k), RSA_SHA256) => {
                let mut out = vec![0; k.public().modulus_len()];
                k.sign(&signature::RSA_PKCS1_SHA256, &rng, message, &mut out)
                    .unwrap();
                out
            }
            (TestKey::Ecdsa(k), "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256") => {
                k.sign(&rng, message).unwrap().as_ref().to_vec()
            }
            // Methods hoso refuses before looking at the value.
            _ => b"not a signature".to_vec(),
        }
    }
}

/// The start of the `ds:Signature` element that holds byte `pos`.
fn signature_start(doc: &str, pos: usize) -> usize {
    let mut end = pos;
    loop {
        let at = doc[..end]
            .rfind("<ds:Signature")
            .expect("inside a ds:Signature");
        if matches!(doc.as_bytes()[at + "<ds:Signature".len()], b' ' | b'>') {
            return at;
        }
        end = at;
    }
}

fn attr<'d>(tag: &'d str, name: &str) -> Option<&'d str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The digest a Reference needs, as a signer computes it; `None` for what
/// hoso refuses anyway (other URIs and transforms, unknown digests), which
/// gets a dummy value.
fn reference_digest(doc: &str, sig_start: usize, reference: &str) -> Option<String> {
    let limits = Limits::default();
    let uri = attr(reference, "URI")?;
    let mut selection = if uri.is_empty() {
        Selection::document()
    } else {
        let id = uri.strip_prefix('#').filter(|id| !id.contains('('))?;
        Selection::subtree(find_id(doc.as_bytes(), id, &IdAttributes::default(), &limits).ok()?)
    };
    let algorithms: Vec<&str> = reference
        .match_indices(" Algorithm=\"")
        .map(|(i, _)| {
            let rest = &reference[i + 12..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let (digest, transforms) = algorithms.split_last()?;
    let mut method = Method::from_name("c14n").unwrap();
    for t in transforms {
        if *t == ENVELOPED {
            selection = selection.excluding(sig_start);
        } else {
            method = Method::from_uri(t)?;
        }
    }
    method.with_comments = false;
    let digest = DigestAlgorithm::from_uri(digest)?;
    let bytes = Canonicalizer::new(method)
        .to_vec(doc.as_bytes(), selection, &limits)
        .unwrap();
    Some(b64(&digest.digest(&bytes)))
}

/// Signs the first Signature of `doc` whose SignatureValue is still
/// [`SIGNATURE_MARK`]: every [`DIGEST_MARK`] in it, then the value over
/// the canonical SignedInfo.
fn sign_template(doc: &str, key: &TestKey) -> String {
    let mut doc = doc.to_string();
    let sig_start = signature_start(&doc, doc.find(SIGNATURE_MARK).expect("a template"));
    while let Some(mark) = doc[sig_start..]
        .find(DIGEST_MARK)
        .map(|i| i + sig_start)
        .filter(|&m| m < doc.find(SIGNATURE_MARK).unwrap())
    {
        let ref_start = doc[..mark].rfind("<ds:Reference ").unwrap();
        let value = reference_digest(&doc, sig_start, &doc[ref_start..mark])
            .unwrap_or_else(|| b64(b"not computed"));
        doc.replace_range(mark..mark + DIGEST_MARK.len(), &value);
    }
    let signed_info = doc[sig_start..].find("<ds:SignedInfo").unwrap() + sig_start;
    let c14n_tag = &doc[doc[signed_info..]
        .find("<ds:CanonicalizationMethod")
        .unwrap()
        + signed_info..];
    let c14n = attr(c14n_tag, "Algorithm").unwrap();
    let method_tag = &doc[doc[signed_info..].find("<ds:SignatureMethod").unwrap() + signed_info..];
    let method = attr(method_tag, "Algorithm").unwrap().to_string();
    let value = match Method::from_uri(c14n) {
        Some(c14n) => {
            let bytes = Canonicalizer::new(c14n)
                .to_vec(
                    doc.as_bytes(),
                    Selection::subtree(signed_info),
                    &Limits::default(),
                )
                .unwrap();
            key.sign(&method, &bytes)
        }
        None => b"not signed".to_vec(),
    };
    doc.replacen(SIGNATURE_MARK, &b64(&value), 1)
}

fn transform(uri: &str) -> String {
    format!("<ds:Transform Algorithm=\"{uri}\"/>")
}

/// A Reference to fill in.
fn reference(uri: &str, transforms: &[String], digest: &str) -> String {
    format!(
        "<ds:Reference URI=\"{uri}\"><ds:Transforms>{}</ds:Transforms>\
         <ds:DigestMethod Algorithm=\"{digest}\"/><ds:DigestValue>{DIGEST_MARK}</ds:DigestValue></ds:Reference>",
        transforms.concat()
    )
}

/// The usual enveloped Reference with exclusive canonicalization.
fn enveloped(uri: &str) -> String {
    reference(uri, &[transform(ENVELOPED), transform(EXC)], SHA256)
}

/// KeyInfo with the certificates of `stem` and its chain file.
fn x509_key_info(stem: &str, chain_file: &str) -> String {
    let certs: String = chain(stem, chain_file)
        .iter()
        .map(|c| format!("<ds:X509Certificate>{}</ds:X509Certificate>", b64(c.der())))
        .collect();
    format!("<ds:KeyInfo><ds:X509Data>{certs}</ds:X509Data></ds:KeyInfo>")
}

fn signature_template(c14n: &str, method: &str, references: &str, key_info: &str) -> String {
    format!(
        "<ds:Signature xmlns:ds=\"{DSIG}\"><ds:SignedInfo>\
         <ds:CanonicalizationMethod Algorithm=\"{c14n}\"/><ds:SignatureMethod Algorithm=\"{method}\"/>\
         {references}</ds:SignedInfo><ds:SignatureValue>{SIGNATURE_MARK}</ds:SignatureValue>{key_info}</ds:Signature>"
    )
}

/// `form` with `signature` at the end of the document element.
fn in_form(form: &str, signature: &str) -> String {
    let end = form.rfind("</ToKhai>").unwrap();
    format!("{}{signature}{}", &form[..end], &form[end..])
}

/// `form` signed by person-cccd with these References.
fn signed_template(form: &str, c14n: &str, method: &str, references: &str) -> String {
    let sig = signature_template(
        c14n,
        method,
        references,
        &x509_key_info("signers/person-cccd", "chain-ca1.pem"),
    );
    sign_template(&in_form(form, &sig), &TestKey::load("signers/person-cccd"))
}

// ---------------------------------------------------------------------------
// Helpers over hoso's verdict.

fn hoso_signed() -> String {
    String::from_utf8(sign_as(
        FORM.as_bytes(),
        "signers/person-cccd",
        "chain-ca1.pem",
    ))
    .unwrap()
}

fn refused_with(doc: &str, options: &VerifyOptions<'_>) -> RefusedForm {
    match verify_form(doc.as_bytes(), options) {
        Ok(accepted) => panic!(
            "accepted, signed:\n{}\ndocument:\n{doc}",
            String::from_utf8_lossy(&accepted.signed.canonical)
        ),
        Err(refused) => refused,
    }
}

fn refusal(doc: &str) -> Refusal {
    let trust = trust();
    refused_with(doc, &options(&trust)).refusal
}

fn accepted_canonical(doc: &str) -> String {
    let trust = trust();
    let accepted = verify_form(doc.as_bytes(), &options(&trust))
        .unwrap_or_else(|r| panic!("refused: {}\n{doc}", r.refusal));
    String::from_utf8(accepted.signed.canonical).unwrap()
}

fn xml_error(doc: &str) -> ErrorKind {
    let trust = trust();
    match verify_all(doc.as_bytes(), &options(&trust)) {
        Err(DsigError::Xml(e)) => e.kind,
        Err(other) => panic!("not an XML error: {other:?}"),
        Ok(report) => panic!("read: {} signatures", report.signatures.len()),
    }
}

/// Replaces the first character of the content of `<ds:{element}>` by
/// another base64 character.
fn tweak_base64(doc: &str, element: &str) -> String {
    let open = format!("<ds:{element}>");
    let at = doc.find(&open).unwrap() + open.len();
    let first = doc.as_bytes()[at];
    let other = if first == b'A' { "B" } else { "A" };
    format!("{}{other}{}", &doc[..at], &doc[at + 1..])
}

/// The Signature element of a signed document.
fn signature_of(doc: &str) -> &str {
    let start = signature_start(doc, doc.find("<ds:SignedInfo").unwrap());
    let end = doc.rfind("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    &doc[start..end]
}

/// The form's document element start tag, its content and the rest.
fn form_parts() -> (&'static str, &'static str, &'static str, &'static str) {
    let open = FORM.find("<ToKhai").unwrap();
    let body = FORM[open..].find('>').unwrap() + open + 1;
    let end = FORM.rfind("</ToKhai>").unwrap();
    (
        &FORM[..open],
        &FORM[open..body],
        &FORM[body..end],
        &FORM[end..],
    )
}

/// The attacker's version of the form's content.
fn evil_body() -> String {
    let (_, _, body, _) = form_parts();
    let evil = body.replace(">2500<", ">2999<");
    assert_ne!(evil, body);
    evil
}

/// A legitimate signature over the form by Id (`URI="#tokhai"`).
fn signed_by_id() -> String {
    let doc = signed_template(FORM, EXC, RSA_SHA256, &enveloped("#tokhai"));
    accepted_canonical(&doc); // the starting point is a good signature
    doc
}

fn report_of(refused: &RefusedForm) -> &hoso_dsig::SignatureReport {
    &refused.report.as_ref().expect("a report").signatures[0]
}

// ---------------------------------------------------------------------------
// Changed content.

#[test]
fn changed_content_is_refused_by_digest_or_signature_value() {
    let doc = hoso_signed();
    accepted_canonical(&doc);
    let cases = [
        ("changed text", doc.replacen(">2500<", ">2999<", 1)),
        (
            "changed attribute value",
            doc.replacen("loai=\"caNhan\"", "loai=\"toChuc\"", 1),
        ),
        (
            "added element",
            doc.replacen("<GhiChu>", "<ThemVao>1</ThemVao><GhiChu>", 1),
        ),
        (
            "removed element",
            doc.replacen("<LuuLuong donVi=\"m3/ngày\">2500</LuuLuong>", "", 1),
        ),
        (
            "added attribute",
            doc.replacen("<LuuLuong ", "<LuuLuong toiDa=\"9999\" ", 1),
        ),
        ("changed CDATA", doc.replacen("Giếng số 1", "Giếng số 7", 1)),
        (
            "changed namespace",
            doc.replacen("urn:hoso:test:chung", "urn:hoso:test:khac", 1),
        ),
    ];
    for (what, changed) in cases {
        assert_ne!(changed, doc, "{what}");
        assert_eq!(
            refusal(&changed),
            Refusal::DigestMismatch(String::new()),
            "{what}"
        );
    }
    // The signing time in SignedProperties is signed by its own Reference.
    let changed = doc.replacen(
        "<xades:SigningTime>2029-06-01T01:00:00Z",
        "<xades:SigningTime>2029-05-01T01:00:00Z",
        1,
    );
    assert_ne!(changed, doc);
    match refusal(&changed) {
        Refusal::DigestMismatch(uri) => assert!(uri.ends_with("-signed-properties"), "{uri}"),
        other => panic!("changed signing time: {other:?}"),
    }
    // DigestValue lives in SignedInfo: changing it breaks the signature
    // value before any digest is compared.
    for element in ["DigestValue", "SignatureValue"] {
        let changed = tweak_base64(&doc, element);
        assert!(
            matches!(refusal(&changed), Refusal::BadSignatureValue(_)),
            "changed {element}: {:?}",
            refusal(&changed)
        );
    }
}

#[test]
fn rewrites_that_canonicalization_undoes_stay_valid() {
    // Not every byte change is tampering: the same infoset verifies.
    let doc = hoso_signed();
    let expected = accepted_canonical(&doc);
    for (what, rewritten) in [
        (
            "single quotes",
            doc.replacen("loai=\"caNhan\"", "loai='caNhan'", 1),
        ),
        (
            "character reference",
            doc.replacen(">2500<", ">&#50;500<", 1),
        ),
        (
            "whitespace in a start tag",
            doc.replacen("<LuuLuong donVi", "<LuuLuong   donVi", 1),
        ),
    ] {
        assert_ne!(rewritten, doc, "{what}");
        assert_eq!(accepted_canonical(&rewritten), expected, "{what}");
    }
}

// ---------------------------------------------------------------------------
// Signature wrapping.

#[test]
fn wrapping_signed_form_moved_into_an_object_under_an_evil_root() {
    // The signed ToKhai (Id="tokhai") goes into a ds:Object of its own
    // signature; a new ToKhai without Id, with the attacker's values, is the
    // document element.  The digest still matches (the moved element is
    // byte-for-byte what was signed), so only the form policy stops it.
    let doc = signed_by_id();
    let (prolog, open, body, rest) = form_parts();
    let signature = signature_of(&doc);
    let evil_open = open.replace(" Id=\"tokhai\"", "");
    let moved = signature.replace(
        "</ds:Signature>",
        &format!("<ds:Object>{open}{body}</ToKhai></ds:Object></ds:Signature>"),
    );
    let attack = format!("{prolog}{evil_open}{}{moved}{rest}", evil_body());
    let refused = refused_with(&attack, &options(&trust()));
    assert_eq!(refused.refusal, Refusal::ExtraReference("#tokhai".into()));
    let sig = report_of(&refused);
    assert_eq!(
        sig.integrity,
        Integrity::Valid,
        "the digest holds: a real attack"
    );
    assert!(!sig.covers_document);
    assert!(
        sig.signed.is_none(),
        "an element of the signature is not the form"
    );
    assert!(!sig.references[0].is_document_element);
}

#[test]
fn wrapping_evil_root_takes_the_signed_id_and_the_original_hides_inside() {
    // The evil root carries Id="tokhai"; the signed original hides in an
    // extension element of the evil form.  Duplicate Ids refuse the
    // document before any signature is looked at.
    let doc = signed_by_id();
    let (prolog, open, body, rest) = form_parts();
    let signature = signature_of(&doc);
    let attack = format!(
        "{prolog}{open}{}<PhuLuc>{open}{body}</ToKhai></PhuLuc>{signature}{rest}",
        evil_body()
    );
    assert_eq!(refusal(&attack), Refusal::DuplicateId("tokhai".into()));
    // verify_all refuses the document, too: received documents are not
    // read past duplicate Ids.
    let trust = trust();
    assert!(matches!(
        verify_all(attack.as_bytes(), &options(&trust)),
        Err(DsigError::Refused {
            refusal: Refusal::DuplicateId(_),
            ..
        })
    ));
}

#[test]
fn wrapping_signed_form_wrapped_in_a_new_root() {
    // The signed ToKhai, unchanged with its signature inside, becomes a
    // child of a new document element with the attacker's content.
    let doc = signed_by_id();
    let (prolog, _, _, _) = form_parts();
    let signed_element = &doc[prolog.len()..doc.rfind("</ToKhai>").unwrap() + 9];
    let attack = format!(
        "{prolog}<HoSo xmlns=\"urn:hoso:test:nuoc-duoi-dat\"><LuuLuong>2999</LuuLuong>{signed_element}</HoSo>"
    );
    let refused = refused_with(&attack, &options(&trust()));
    assert_eq!(refused.refusal, Refusal::ExtraReference("#tokhai".into()));
    let sig = report_of(&refused);
    assert_eq!(
        sig.integrity,
        Integrity::Valid,
        "the digest holds: a real attack"
    );
    assert!(!sig.covers_document);
    assert_eq!(sig.references[0].path, "/HoSo/ToKhai");

    // A URI="" signature cannot be wrapped: it is the whole document.
    let doc = hoso_signed();
    let (prolog, _, _, _) = form_parts();
    let signed_element = &doc[prolog.len()..doc.rfind("</ToKhai>").unwrap() + 9];
    let attack = format!(
        "{prolog}<HoSo xmlns=\"urn:hoso:test:nuoc-duoi-dat\"><LuuLuong>2999</LuuLuong>{signed_element}</HoSo>"
    );
    assert_eq!(refusal(&attack), Refusal::DigestMismatch(String::new()));
}

#[test]
fn wrapping_a_second_signature() {
    // The applicant's signed form, signed again by someone else (a valid,
    // trusted organisation).  The second signature verifies; the first no
    // longer does (its URI="" now covers the second).  The form policy
    // refuses on the count alone: which signer speaks for the form would be
    // ambiguous.
    let doc = hoso_signed();
    let options_org = hoso_dsig::SignOptions::new(
        chain("signers/organisation", "chain-ca1.pem"),
        Timestamp::parse_rfc3339("2029-06-02T08:00:00+07:00").unwrap(),
    );
    let twice = sign_enveloped(doc.as_bytes(), &key("signers/organisation"), &options_org).unwrap();
    let twice = String::from_utf8(twice).unwrap();
    let trust = trust();
    let report = verify_all(twice.as_bytes(), &options(&trust)).unwrap();
    assert_eq!(report.signatures.len(), 2);
    assert_eq!(
        report.signatures[0].integrity,
        Integrity::Invalid(Refusal::DigestMismatch(String::new()))
    );
    assert!(report.signatures[1].is_valid());
    assert_eq!(refusal(&twice), Refusal::SeveralSignatures(2));

    // A signature pasted from another signed document, next to the real one.
    let other = String::from_utf8(sign_as(
        FORM.replace(">2500<", ">2999<").as_bytes(),
        "signers/organisation",
        "chain-ca1.pem",
    ))
    .unwrap();
    let pasted = doc.replacen("<GhiChu>", &format!("{}<GhiChu>", signature_of(&other)), 1);
    assert_eq!(refusal(&pasted), Refusal::SeveralSignatures(2));
}

#[test]
fn wrapping_a_reference_to_part_of_the_form() {
    // A signature over ct:NguoiNop only (URI="#nguoinop"): the rest of the
    // form is unsigned, so the attacker's flow value verifies as far as the
    // digests go; the form policy refuses the partial coverage.
    let form = FORM.replace("<ct:NguoiNop ", "<ct:NguoiNop Id=\"nguoinop\" ");
    let refs = reference("#nguoinop", &[transform(EXC)], SHA256);
    let doc = signed_template(&form, EXC, RSA_SHA256, &refs);
    let attack = doc.replacen(">2500<", ">2999<", 1);
    let refused = refused_with(&attack, &options(&trust()));
    assert_eq!(refused.refusal, Refusal::ExtraReference("#nguoinop".into()));
    let sig = report_of(&refused);
    assert_eq!(
        sig.integrity,
        Integrity::Valid,
        "the changed value is unsigned"
    );
    assert!(!sig.covers_document);
    assert_eq!(sig.references[0].path, "/ToKhai/ct:NguoiNop");
    let signed = sig.signed.as_ref().expect("what the reference covered");
    assert!(!String::from_utf8_lossy(&signed.canonical).contains("LuuLuong"));
}

#[test]
fn wrapping_content_outside_the_document_element() {
    let doc = hoso_signed();
    // An element or text after the document element: not well-formed.
    for appended in ["<ToKhai><LuuLuong>2999</LuuLuong></ToKhai>", "2999"] {
        let attack = format!("{doc}{appended}");
        assert!(
            matches!(xml_error(&attack), ErrorKind::ContentOutsideRoot(_)),
            "{appended}"
        );
        assert!(
            matches!(refusal(&attack), Refusal::Xml(e) if matches!(e.kind, ErrorKind::ContentOutsideRoot(_))),
            "{appended}"
        );
    }
    // A comment: comments are never signed; the document still verifies
    // and what was signed does not hold the comment.
    let attack = format!("{doc}<!-- LuuLuong: 2999 -->");
    let canonical = accepted_canonical(&attack);
    assert!(!canonical.contains("2999") && canonical.contains(">2500<"));
    // A processing instruction: URI="" signs the whole document, PIs
    // outside the document element included.
    let attack = format!("{doc}<?xml-stylesheet href=\"gia-mao.xsl\"?>");
    assert_eq!(refusal(&attack), Refusal::DigestMismatch(String::new()));
    // A URI="#tokhai" signature signs the element only: the PI verifies and
    // is not part of what was signed.
    let attack = format!("{}<?xml-stylesheet href=\"gia-mao.xsl\"?>", signed_by_id());
    assert!(!accepted_canonical(&attack).contains("gia-mao"));
}

#[test]
fn wrapping_duplicate_ids_under_every_id_attribute_name() {
    // The evil document element carries the signed Id under another Id
    // attribute name (lowercase id, ID, xml:id) while the signed original
    // sits in a ds:Object with Id="tokhai": a verifier that knew only `Id`
    // would digest the original while the application read the evil root.
    let doc = signed_by_id();
    let (prolog, open, body, rest) = form_parts();
    let signature = signature_of(&doc);
    for name in ["id", "ID", "xml:id", "Id"] {
        let evil_open = open.replace(" Id=\"tokhai\"", &format!(" {name}=\"tokhai\""));
        let moved = signature.replace(
            "</ds:Signature>",
            &format!("<ds:Object>{open}{body}</ToKhai></ds:Object></ds:Signature>"),
        );
        let attack = format!("{prolog}{evil_open}{}{moved}{rest}", evil_body());
        assert_eq!(
            refusal(&attack),
            Refusal::DuplicateId("tokhai".into()),
            "{name}"
        );
    }
    // Two Id attributes with the same value on one element also count twice.
    let attack = doc.replacen(" Id=\"tokhai\"", " Id=\"tokhai\" id=\"tokhai\"", 1);
    assert_eq!(refusal(&attack), Refusal::DuplicateId("tokhai".into()));
}

#[test]
fn wrapping_object_embedded_copy_with_the_same_id() {
    // The document element keeps Id="tokhai" but holds the attacker's
    // values; a copy of the signed original with the same Id rides in a
    // ds:Object, hoping the Reference resolves to it.
    let doc = signed_by_id();
    let (prolog, open, body, rest) = form_parts();
    let signature = signature_of(&doc);
    let with_copy = signature.replace(
        "</ds:Signature>",
        &format!("<ds:Object>{open}{body}</ToKhai></ds:Object></ds:Signature>"),
    );
    let attack = format!("{prolog}{open}{}{with_copy}{rest}", evil_body());
    assert_eq!(refusal(&attack), Refusal::DuplicateId("tokhai".into()));
}

#[test]
fn wrapping_unsigned_xades_properties_are_ignored_or_refused() {
    let doc = hoso_signed();
    // Forged QualifyingProperties without an Id, placed first: nothing
    // references them, so the signing time still comes from the signed
    // SignedProperties.
    let forged = "<ds:Object><xades:QualifyingProperties xmlns:xades=\"http://uri.etsi.org/01903/v1.3.2#\">\
         <xades:SignedProperties><xades:SignedSignatureProperties>\
         <xades:SigningTime>2020-01-01T00:00:00Z</xades:SigningTime>\
         </xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object>";
    let attack = doc.replacen("</ds:KeyInfo>", &format!("</ds:KeyInfo>{forged}"), 1);
    let trust = trust();
    let accepted = verify_form(attack.as_bytes(), &options(&trust)).unwrap();
    let time = accepted.signature.signing_time.unwrap();
    assert_eq!(time.source, SigningTimeSource::Xades);
    assert_eq!(time.time.to_string(), "2029-06-01T01:00:00Z");
    // The same forgery with the real SignedProperties' Id: duplicate.
    let id = attr(&doc[doc.find("<xades:SignedProperties ").unwrap()..], "Id").unwrap();
    assert!(id.ends_with("-signed-properties"), "{id}");
    let attack = doc.replacen(
        "</ds:KeyInfo>",
        &format!(
            "</ds:KeyInfo>{}",
            forged.replace(
                "<xades:SignedProperties>",
                &format!("<xades:SignedProperties Id=\"{id}\">")
            )
        ),
        1,
    );
    assert_eq!(refusal(&attack), Refusal::DuplicateId(id.to_string()));
}

#[test]
fn wrapping_an_enveloping_signature_is_not_a_form() {
    // The form inside a ds:Object of a Signature that is the document
    // element (an enveloping signature), legitimately signed: what is
    // signed is part of the signature, not the document element.
    let (_, open, body, _) = form_parts();
    let object = format!("<ds:Object>{open}{body}</ToKhai></ds:Object>");
    let sig = signature_template(
        EXC,
        RSA_SHA256,
        &reference("#tokhai", &[transform(EXC)], SHA256),
        &x509_key_info("signers/person-cccd", "chain-ca1.pem"),
    )
    .replace("</ds:Signature>", &format!("{object}</ds:Signature>"));
    let doc = sign_template(&sig, &TestKey::load("signers/person-cccd"));
    let refused = refused_with(&doc, &options(&trust()));
    assert_eq!(refused.refusal, Refusal::ExtraReference("#tokhai".into()));
    assert_eq!(report_of(&refused).integrity, Integrity::Valid);
    // URI="" with the enveloped-signature transform, when the signature is
    // the document element, signs nothing at all: it does not cover a
    // document element, and the form policy refuses it (this used to make
    // form_policy panic).
    let sig = signature_template(
        EXC,
        RSA_SHA256,
        &enveloped(""),
        &x509_key_info("signers/person-cccd", "chain-ca1.pem"),
    )
    .replace("</ds:Signature>", &format!("{object}</ds:Signature>"));
    let doc = sign_template(&sig, &TestKey::load("signers/person-cccd"));
    let refused = refused_with(&doc, &options(&trust()));
    assert_eq!(refused.refusal, Refusal::ExtraReference(String::new()));
    let sig = report_of(&refused);
    assert_eq!(sig.integrity, Integrity::Valid);
    assert!(!sig.covers_document && sig.signed.is_none());
}

// ---------------------------------------------------------------------------
// Comments.

#[test]
fn comments_injected_into_signed_text_are_not_signed_and_not_read() {
    // The SAML-style truncation: a comment splits a value so that a reader
    // taking the first text node sees part of it.  Comments are not
    // signed, so the signature holds; what was signed has the whole value
    // and no comment.
    let doc = hoso_signed();
    let attack = doc
        .replacen(">001203004567<", ">0012030<!-- -->04567<", 1)
        .replacen(
            "Nguyễn Thị Minh Khai</ct:HoTen>",
            "Nguyễn Thị <!--Trần Văn Bình-->Minh Khai</ct:HoTen>",
            1,
        );
    assert_ne!(attack, doc);
    let canonical = accepted_canonical(&attack);
    assert!(canonical.contains("<ct:CCCD>001203004567</ct:CCCD>"));
    assert!(canonical.contains("<ct:HoTen>Nguyễn Thị Minh Khai</ct:HoTen>"));
    assert!(!canonical.contains("<!--") && !canonical.contains("Trần Văn Bình"));
}

#[test]
fn comments_in_signed_info_count_only_with_a_with_comments_method() {
    // Without comments: a comment added to SignedInfo changes nothing.
    let doc = hoso_signed();
    let attack = doc.replacen("<ds:SignedInfo>", "<ds:SignedInfo><!-- x -->", 1);
    accepted_canonical(&attack);
    // With comments: the comment is part of the signed bytes.
    let doc = signed_template(FORM, EXC_WITH_COMMENTS, RSA_SHA256, &enveloped(""));
    accepted_canonical(&doc);
    let attack = doc.replacen("<ds:SignedInfo>", "<ds:SignedInfo><!-- x -->", 1);
    assert!(matches!(refusal(&attack), Refusal::BadSignatureValue(_)));
}

// ---------------------------------------------------------------------------
// Algorithms and keys.

#[test]
fn hmac_signature_methods_are_refused() {
    for method in [HMAC_SHA256, HMAC_SHA1] {
        let doc = signed_template(FORM, EXC, method, &enveloped(""));
        assert_eq!(refusal(&doc), Refusal::HmacRefused(method.into()));
    }
}

#[test]
fn keys_not_given_as_a_certificate_are_refused() {
    let doc = hoso_signed();
    let start = doc.find("<ds:KeyInfo>").unwrap();
    let end = doc.find("</ds:KeyInfo>").unwrap() + "</ds:KeyInfo>".len();
    let cert = cert("signers/person-cccd");
    for key_info in [
        // KeyName: a name the verifier would have to look up.
        "<ds:KeyInfo><ds:KeyName>person-cccd</ds:KeyName></ds:KeyInfo>".to_string(),
        // KeyValue: a bare key, trusted by nobody.
        "<ds:KeyInfo><ds:KeyValue><ds:RSAKeyValue><ds:Modulus>AQAB</ds:Modulus>\
         <ds:Exponent>AQAB</ds:Exponent></ds:RSAKeyValue></ds:KeyValue></ds:KeyInfo>"
            .to_string(),
        // Certificate references without the certificate.
        format!(
            "<ds:KeyInfo><ds:X509Data><ds:X509SubjectName>CN=x</ds:X509SubjectName>\
             <ds:X509IssuerSerial><ds:X509IssuerName>CN=y</ds:X509IssuerName>\
             <ds:X509SerialNumber>{}</ds:X509SerialNumber></ds:X509IssuerSerial></ds:X509Data></ds:KeyInfo>",
            cert.serial_decimal()
        ),
        // No KeyInfo at all.
        String::new(),
    ] {
        let attack = format!("{}{key_info}{}", &doc[..start], &doc[end..]);
        assert_eq!(refusal(&attack), Refusal::NoCertificate, "{key_info}");
    }
}

#[test]
fn a_certificate_of_someone_else_is_refused() {
    // KeyInfo is not signed: an attacker swaps in another trusted person's
    // certificate chain to claim their identity.  Their key does not verify
    // the signature value.
    let doc = hoso_signed();
    let start = doc.find("<ds:KeyInfo>").unwrap();
    let end = doc.find("</ds:KeyInfo>").unwrap() + "</ds:KeyInfo>".len();
    for (stem, chain_file) in [
        ("signers/person-multi", "chain-ca1.pem"),
        ("signers/person-cmnd", "chain-ca2.pem"),
    ] {
        let attack = format!(
            "{}{}{}",
            &doc[..start],
            x509_key_info(stem, chain_file),
            &doc[end..]
        );
        assert!(
            matches!(refusal(&attack), Refusal::BadSignatureValue(_)),
            "{stem}: {:?}",
            refusal(&attack)
        );
    }
}

#[test]
fn unknown_algorithms_are_refused_by_name() {
    let md5 = "http://www.w3.org/2001/04/xmldsig-more#md5";
    let doc = signed_template(
        FORM,
        EXC,
        RSA_SHA256,
        &reference("", &[transform(ENVELOPED)], md5),
    );
    assert_eq!(refusal(&doc), Refusal::UnsupportedDigest(md5.into()));
    let rsa_md5 = "http://www.w3.org/2001/04/xmldsig-more#rsa-md5";
    let doc = signed_template(FORM, EXC, rsa_md5, &enveloped(""));
    assert_eq!(
        refusal(&doc),
        Refusal::UnsupportedSignatureMethod(rsa_md5.into())
    );
    let base64 = "http://www.w3.org/2000/09/xmldsig#base64";
    let doc = signed_template(FORM, base64, RSA_SHA256, &enveloped(""));
    assert_eq!(
        refusal(&doc),
        Refusal::UnsupportedCanonicalization(base64.into())
    );
}

#[test]
fn sha1_digest_needs_the_explicit_opt_in() {
    let doc = signed_template(
        FORM,
        EXC,
        RSA_SHA256,
        &reference("", &[transform(ENVELOPED), transform(EXC)], SHA1),
    );
    assert_eq!(refusal(&doc), Refusal::WeakAlgorithm("SHA-1".into()));
    let trust = trust();
    let mut legacy = options(&trust);
    legacy.policy.allow_weak = true;
    let accepted = verify_form(doc.as_bytes(), &legacy).unwrap();
    assert!(
        accepted
            .signature
            .warnings
            .contains(&Warning::WeakAlgorithm("SHA-1".into())),
        "{:?}",
        accepted.signature.warnings
    );
}

/// A template signed by xmlsec1 with `key_and_certs`.
fn xmlsec_signed(test: &str, template: &str, key_and_certs: &[&str]) -> Option<String> {
    let x = xmlsec::xmlsec1(test)?;
    let dir = xmlsec::Scratch::new(test);
    let files: Vec<_> = key_and_certs.iter().map(|f| pki(f)).collect();
    let template = template
        .replace(DIGEST_MARK, "")
        .replace(SIGNATURE_MARK, "");
    let signed = x.sign(&dir, template.as_bytes(), &files, &[]);
    Some(String::from_utf8(signed).unwrap())
}

#[test]
fn rsa_sha1_needs_the_explicit_opt_in() {
    // ring does not sign with SHA-1: xmlsec1 does.
    let sig = signature_template(
        EXC,
        RSA_SHA1,
        &enveloped(""),
        "<ds:KeyInfo><ds:X509Data/></ds:KeyInfo>",
    );
    let Some(doc) = xmlsec_signed(
        "rsa_sha1",
        &in_form(FORM, &sig),
        &[
            "signers/person-cccd.key.pem",
            "signers/person-cccd.pem",
            "ca/ca1.pem",
        ],
    ) else {
        return;
    };
    assert_eq!(
        refusal(&doc),
        Refusal::WeakAlgorithm("RSA-PKCS1-SHA1".into())
    );
    let trust = trust();
    let mut legacy = options(&trust);
    legacy.policy.allow_weak = true;
    let accepted = verify_form(doc.as_bytes(), &legacy)
        .unwrap_or_else(|r| panic!("rsa-sha1 with allow_weak: {}", r.refusal));
    assert!(
        accepted
            .signature
            .warnings
            .contains(&Warning::WeakAlgorithm("RSA-PKCS1-SHA1".into())),
        "{:?}",
        accepted.signature.warnings
    );
    assert_eq!(
        accepted.signature.algorithms.signature,
        Some(SignatureScheme::RsaPkcs1Sha1)
    );
}

// ---------------------------------------------------------------------------
// Signers.

fn signed_by(stem: &str, chain_file: &str) -> String {
    String::from_utf8(sign_as(FORM.as_bytes(), stem, chain_file)).unwrap()
}

fn untrusted_status(refused: Refusal) -> ChainStatus {
    match refused {
        Refusal::Untrusted(status) => status,
        other => panic!("not a certificate refusal: {other:?}"),
    }
}

#[test]
fn signers_refused_for_their_certificate() {
    let at = |s: &str| Timestamp::parse_rfc3339(s).unwrap();
    let signing_time = at("2029-06-01T01:00:00Z");
    let status = untrusted_status(refusal(&signed_by("signers/expired", "chain-ca1.pem")));
    assert!(
        matches!(&status, ChainStatus::Expired { not_after, at, .. }
            if *not_after == Timestamp::parse_rfc3339("2022-01-01T00:00:00Z").unwrap() && *at == signing_time),
        "{status:?}"
    );
    let status = untrusted_status(refusal(&signed_by(
        "signers/not-yet-valid",
        "chain-ca1.pem",
    )));
    assert!(
        matches!(&status, ChainStatus::NotYetValid { at, .. } if *at == signing_time),
        "{status:?}"
    );
    let status = untrusted_status(refusal(&signed_by(
        "signers/wrong-key-usage",
        "chain-ca1.pem",
    )));
    assert!(
        matches!(&status, ChainStatus::KeyUsage { detail } if detail.contains("digitalSignature")),
        "{status:?}"
    );
    let status = untrusted_status(refusal(&signed_by(
        "signers/signed-by-not-a-ca",
        "chain-not-a-ca.pem",
    )));
    assert!(
        matches!(&status, ChainStatus::NotACa { subject } if subject.contains("TEST Not A CA")),
        "{status:?}"
    );
}

#[test]
fn the_impostor_root_is_not_an_anchor() {
    // untrusted-signer chains to a root with the trusted root's exact name,
    // serial and key identifiers but another key: its CA's signature fails
    // against the real anchor.
    let status = untrusted_status(refusal(&signed_by(
        "signers/untrusted-signer",
        "chain-untrusted.pem",
    )));
    assert!(
        matches!(&status, ChainStatus::BadSignature { subject } if subject.contains("TEST Hoso Public CA 1")),
        "{status:?}"
    );
    // With the impostor's root among the KeyInfo certificates it is still
    // only an untrusted certificate, never an anchor.
    let mut certs = chain("signers/untrusted-signer", "chain-untrusted.pem");
    certs.push(cert("ca/untrusted-root"));
    let options = hoso_dsig::SignOptions::new(
        certs,
        Timestamp::parse_rfc3339("2029-06-01T08:00:00+07:00").unwrap(),
    );
    let doc = sign_enveloped(FORM.as_bytes(), &key("signers/untrusted-signer"), &options).unwrap();
    let status = untrusted_status(refusal(&String::from_utf8(doc).unwrap()));
    assert!(
        matches!(&status, ChainStatus::BadSignature { .. }),
        "{status:?}"
    );
}

#[test]
fn revoked_signers_are_refused_by_crl_and_by_ocsp() {
    let doc = signed_by("signers/revoked", "chain-ca1.pem");
    let trust = trust();
    let revoked_at = Timestamp::parse_rfc3339("2025-06-01T00:00:00Z").unwrap();
    let crl = [Crl::from_der(&read("crl/ca1.crl")).unwrap()];
    let ocsp = [OcspResponse::from_der(&read("ocsp/revoked.resp.der")).unwrap()];
    let mut by_crl = options(&trust);
    by_crl.crls = &crl;
    let mut by_ocsp = options(&trust);
    by_ocsp.ocsp = &ocsp;
    for (what, options) in [("CRL", by_crl), ("OCSP", by_ocsp)] {
        let status = untrusted_status(refused_with(&doc, &options).refusal);
        assert_eq!(
            status,
            ChainStatus::Revoked {
                at: revoked_at,
                reason: Some("keyCompromise".into())
            },
            "{what}"
        );
    }
    // Without revocation data the same document is accepted with a warning
    // (Annex II: warn when the status cannot be established).
    let accepted = verify_form(doc.as_bytes(), &options(&trust)).unwrap();
    assert!(
        accepted
            .signature
            .warnings
            .contains(&Warning::Pki(hoso_pki::Warning::RevocationUnknown))
    );
}

#[test]
fn a_missing_intermediate_leaves_no_path() {
    // KeyInfo holds the signer only, and the store knows no CA 1.
    let options = hoso_dsig::SignOptions::new(
        vec![cert("signers/person-cccd")],
        Timestamp::parse_rfc3339("2029-06-01T08:00:00+07:00").unwrap(),
    );
    let doc = sign_enveloped(FORM.as_bytes(), &key("signers/person-cccd"), &options).unwrap();
    let refused = refusal(&String::from_utf8(doc).unwrap());
    assert_eq!(refused, Refusal::Untrusted(ChainStatus::NoPathToAnchor));
}

#[test]
fn an_rsa_1024_signer_is_refused_for_its_key() {
    // ring does not sign with RSA-1024: xmlsec1 does.  The signature value
    // is sound; the key is too small (Circular 15/2025: RSA ≥ 2048).
    let sig = signature_template(
        EXC,
        RSA_SHA256,
        &enveloped(""),
        "<ds:KeyInfo><ds:X509Data/></ds:KeyInfo>",
    );
    let Some(doc) = xmlsec_signed(
        "rsa1024",
        &in_form(FORM, &sig),
        &[
            "signers/rsa1024.key.pem",
            "signers/rsa1024.pem",
            "ca/ca1.pem",
        ],
    ) else {
        return;
    };
    let refused = refused_with(&doc, &options(&trust()));
    let status = untrusted_status(refused.refusal.clone());
    assert!(
        matches!(&status, ChainStatus::WeakKey { detail, .. } if detail.contains("RSA-1024")),
        "{status:?}"
    );
    assert_eq!(report_of(&refused).integrity, Integrity::Valid);
    // The historical policy accepts it, with a warning.
    let trust = trust();
    let mut legacy = options(&trust);
    legacy.policy = Policy {
        allow_weak: true,
        ..Policy::default()
    };
    let accepted = verify_form(doc.as_bytes(), &legacy).unwrap();
    assert!(
        accepted
            .signature
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::Pki(hoso_pki::Warning::WeakKey(_)))),
        "{:?}",
        accepted.signature.warnings
    );
}

// ---------------------------------------------------------------------------
// DTDs and entities.

#[test]
fn doctypes_and_entities_are_refused() {
    let doc = hoso_signed();
    let decl_end = doc.find("?>").unwrap() + 2;
    let (decl, rest) = doc.split_at(decl_end);
    for doctype in [
        "<!DOCTYPE ToKhai>",
        // XXE: a file and a URL.
        "<!DOCTYPE ToKhai [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
        "<!DOCTYPE ToKhai SYSTEM \"http://evil.example/tokhai.dtd\">",
        // Billion laughs.
        "<!DOCTYPE ToKhai [<!ENTITY a \"ha\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\
         <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>",
        // Parameter entities.
        "<!DOCTYPE ToKhai [<!ENTITY % p SYSTEM \"http://evil.example/p.dtd\"> %p;]>",
        // An Id declared by the DTD (ID attribute type): never read.
        "<!DOCTYPE ToKhai [<!ATTLIST LuuLuong ma ID #IMPLIED>]>",
    ] {
        let attack = format!("{decl}\n{doctype}{rest}");
        assert_eq!(xml_error(&attack), ErrorKind::DoctypeRefused, "{doctype}");
        assert!(
            matches!(refusal(&attack), Refusal::Xml(e) if e.kind == ErrorKind::DoctypeRefused),
            "{doctype}"
        );
    }
    // An entity reference without a DTD is not expanded.
    let attack = doc.replacen(">2500<", ">&xxe;<", 1);
    assert_eq!(xml_error(&attack), ErrorKind::UnknownEntity("xxe".into()));
}

// ---------------------------------------------------------------------------
// Transforms and URIs.

#[test]
fn transforms_other_than_enveloped_and_c14n_are_refused() {
    for (uri, content) in [
        (
            "http://www.w3.org/TR/1999/REC-xpath-19991116",
            "<ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath>",
        ),
        (
            "http://www.w3.org/2002/06/xmldsig-filter2",
            "<dsig-xpath:XPath xmlns:dsig-xpath=\"http://www.w3.org/2002/06/xmldsig-filter2\" Filter=\"subtract\">//LuuLuong</dsig-xpath:XPath>",
        ),
        (
            "http://www.w3.org/TR/1999/REC-xslt-19991116",
            "<xsl:stylesheet xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" version=\"1.0\"/>",
        ),
        ("http://www.w3.org/2000/09/xmldsig#base64", ""),
    ] {
        let with = format!("<ds:Transform Algorithm=\"{uri}\">{content}</ds:Transform>");
        let refs = reference("", &[transform(ENVELOPED), with], SHA256);
        let doc = signed_template(FORM, EXC, RSA_SHA256, &refs);
        assert_eq!(
            refusal(&doc),
            Refusal::UnsupportedTransform(uri.into()),
            "{uri}"
        );
    }
    // Canonicalization before the enveloped-signature transform.
    let refs = reference("", &[transform(EXC), transform(ENVELOPED)], SHA256);
    let doc = signed_template(FORM, EXC, RSA_SHA256, &refs);
    assert_eq!(refusal(&doc), Refusal::TransformOrder);
}

#[test]
fn references_outside_the_document_are_refused() {
    for uri in [
        "http://evil.example/to-khai.xml",
        "file:///etc/passwd",
        "to-khai.xml",
        "#xpointer(/)",
        "#xpointer(id('tokhai'))",
    ] {
        let doc = signed_template(FORM, EXC, RSA_SHA256, &enveloped(uri));
        assert_eq!(refusal(&doc), Refusal::UnsupportedUri(uri.into()), "{uri}");
    }
    let doc = signed_template(FORM, EXC, RSA_SHA256, &enveloped("#khong-co"));
    assert_eq!(refusal(&doc), Refusal::UnknownReference("#khong-co".into()));
}

// ---------------------------------------------------------------------------
// Sizes and encodings.

#[test]
fn an_oversized_signature_is_refused() {
    // Objects are not signed: an attacker can stuff them.  A Signature is
    // kept in memory, so its size is bounded.
    let doc = hoso_signed();
    let stuffing = "<a/>".repeat(hoso_dsig::MAX_SIGNATURE_NODES);
    let attack = doc.replacen(
        "</ds:KeyInfo>",
        &format!("</ds:KeyInfo><ds:Object>{stuffing}</ds:Object>"),
        1,
    );
    let trust = trust();
    assert!(matches!(
        verify_all(attack.as_bytes(), &options(&trust)),
        Err(DsigError::Refused {
            refusal: Refusal::SignatureTooLarge,
            ..
        })
    ));
    assert_eq!(refusal(&attack), Refusal::SignatureTooLarge);
}

#[test]
fn values_that_are_not_base64_are_refused() {
    let doc = hoso_signed();
    let at = doc.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
    let attack = format!("{}!{}", &doc[..at], &doc[at + 1..]);
    assert_eq!(refusal(&attack), Refusal::BadBase64("SignatureValue"));
    let at = doc.find("<ds:X509Certificate>").unwrap() + "<ds:X509Certificate>".len();
    let attack = format!("{}!{}", &doc[..at], &doc[at + 1..]);
    assert_eq!(refusal(&attack), Refusal::BadBase64("an X509Certificate"));
    // A certificate that is base64 but not DER.
    let end = doc.find("</ds:X509Certificate>").unwrap();
    let attack = format!("{}{}{}", &doc[..at], b64(b"not a certificate"), &doc[end..]);
    assert!(matches!(refusal(&attack), Refusal::BadCertificate(_)));
}
