//! Interoperability with xmlsec1, the independent XML-DSig implementation,
//! both ways:
//!
//! * xmlsec1 → hoso: signature templates written here, signed by
//!   `xmlsec1 --sign` with the TEST keys, accepted by [`verify_form`]
//!   trusting only the TEST root, with the right signer identity and the
//!   right "what was signed".
//! * hoso → xmlsec1: documents signed by [`sign_enveloped`] verify with
//!   `xmlsec1 --verify` trusting only the TEST root.
//!
//! What xmlsec1 1.2.37 (OpenSSL) can do, as found by these tests and
//! `xmlsec1 --list-transforms`: C14N 1.0, C14N 1.1 and exclusive C14N, each
//! with and without comments; rsa-sha1/224/256/384/512,
//! ecdsa-sha1/224/256/384/512, hmac-*; sha1/224/256/384/512 digests.  It has
//! **no RSA-PSS** (`http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1`
//! is in the 1.3 series only), so hoso's RSA-PSS signatures are checked against
//! xmlsec1 only when the installed build lists a PSS transform.
//!
//! When xmlsec1 is missing, each test fails under CI (`CI=true`) and prints
//! SKIPPED elsewhere.

mod common;
#[path = "common/xmlsec.rs"]
mod xmlsec;

use std::path::PathBuf;

use common::*;
use hoso_dsig::{
    DigestAlgorithm, Integrity, Refusal, SignOptions, SigningKey, SigningTimeSource,
    sign_enveloped, verify_all, verify_form,
};
use hoso_pki::{ChainStatus, PersonalId, SignatureScheme, Timestamp};
use hoso_xml::{Algorithm, Canonicalizer, Limits, Method, Selection};
use xmlsec::{Scratch, Xmlsec, xmlsec1};

const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const ECDSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
const EXC_C14N_NS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// xmlsec1 knows no Id attributes without a DTD: name the form's.
const FORM_ID_ATTR: [&str; 2] = ["--id-attr:Id", "urn:hoso:test:nuoc-duoi-dat:ToKhai"];
/// And XAdES SignedProperties' (hoso's signatures reference them by Id).
const XADES_ID_ATTR: [&str; 2] = [
    "--id-attr:Id",
    "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
];

/// A TEST signer: key, certificate, issuing CA, expected identity.
struct Signer {
    stem: &'static str,
    ca: &'static str,
    scheme_uri: &'static str,
    scheme: SignatureScheme,
    id: Option<PersonalId>,
}

fn rsa() -> Signer {
    Signer {
        stem: "signers/person-cccd",
        ca: "ca/ca1.pem",
        scheme_uri: RSA_SHA256,
        scheme: SignatureScheme::RsaPkcs1Sha256,
        id: Some(PersonalId::Cccd("001203004567".into())),
    }
}

fn ecdsa() -> Signer {
    Signer {
        stem: "signers/person-cmnd",
        ca: "ca/ca2.pem",
        scheme_uri: ECDSA_SHA256,
        scheme: SignatureScheme::EcdsaP256Sha256,
        id: Some(PersonalId::Cmnd("012345678".into())),
    }
}

impl Signer {
    /// `--privkey-pem KEY,CERT,CA`: xmlsec1 writes both certificates into
    /// an empty X509Data.
    fn key_and_certs(&self) -> Vec<PathBuf> {
        vec![
            pki(&format!("{}.key.pem", self.stem)),
            pki(&format!("{}.pem", self.stem)),
            pki(self.ca),
        ]
    }
}

fn transform(uri: &str) -> String {
    format!("<ds:Transform Algorithm=\"{uri}\"/>")
}

/// A Signature template; xmlsec1 fills DigestValue, SignatureValue and an
/// empty X509Data.
struct Template {
    c14n: String,
    method: String,
    uri: String,
    transforms: Vec<String>,
    digest: String,
    /// Markup inside SignedInfo after CanonicalizationMethod's start (a
    /// comment, InclusiveNamespaces).
    c14n_content: String,
    key_info: String,
    /// More References and Objects (XAdES).
    more_references: String,
    objects: String,
}

impl Template {
    fn new(c14n: Method, method: &str, uri: &str) -> Self {
        Template {
            c14n: c14n.uri().into(),
            method: method.into(),
            uri: uri.into(),
            transforms: vec![transform(ENVELOPED), transform(c14n.uri())],
            digest: SHA256.into(),
            c14n_content: String::new(),
            key_info: "<ds:KeyInfo><ds:X509Data/></ds:KeyInfo>".into(),
            more_references: String::new(),
            objects: String::new(),
        }
    }

    fn signature(&self) -> String {
        format!(
            "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"sig\"><ds:SignedInfo>\
             <ds:CanonicalizationMethod Algorithm=\"{}\">{}</ds:CanonicalizationMethod>\
             <ds:SignatureMethod Algorithm=\"{}\"/>\
             <ds:Reference URI=\"{}\"><ds:Transforms>{}</ds:Transforms>\
             <ds:DigestMethod Algorithm=\"{}\"/><ds:DigestValue></ds:DigestValue></ds:Reference>{}\
             </ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>{}{}</ds:Signature>",
            self.c14n,
            self.c14n_content,
            self.method,
            self.uri,
            self.transforms.concat(),
            self.digest,
            self.more_references,
            self.key_info,
            self.objects,
        )
    }

    /// `form` with the template just before the document element's end tag.
    fn in_form(&self, form: &str) -> Vec<u8> {
        let end = form.rfind("</ToKhai>").expect("the form's end tag");
        format!("{}{}{}", &form[..end], self.signature(), &form[end..]).into_bytes()
    }
}

/// The canonical form hoso must report as signed: the form without the
/// signature (which sits at the end of the document element), comments
/// removed.
fn expected_canonical(form: &str, algorithm: Algorithm, prefixes: &[&str]) -> Vec<u8> {
    Canonicalizer::new(Method {
        algorithm,
        with_comments: false,
    })
    .with_inclusive_prefixes(prefixes.iter().copied())
    .to_vec(form.as_bytes(), Selection::document(), &Limits::default())
    .unwrap()
}

/// Signs with xmlsec1 and checks hoso's verdict: accepted, trusted, the
/// signer's identity, and `canonical` as what was signed.
fn xmlsec_signs_hoso_accepts(
    x: &Xmlsec,
    label: &str,
    signer: &Signer,
    template: &[u8],
    canonical: &[u8],
) -> hoso_dsig::AcceptedForm {
    let dir = Scratch::new("interop");
    let signed = x.sign(&dir, template, &signer.key_and_certs(), &FORM_ID_ATTR);
    let trust = trust();
    let accepted = verify_form(&signed, &options(&trust)).unwrap_or_else(|r| {
        panic!(
            "{label}: hoso refused an xmlsec1 signature: {}\n{}",
            r.refusal,
            String::from_utf8_lossy(&signed)
        )
    });
    let sig = &accepted.signature;
    assert_eq!(sig.integrity, Integrity::Valid, "{label}");
    assert_eq!(sig.chain_status, Some(ChainStatus::Trusted), "{label}");
    assert!(sig.covers_document, "{label}");
    assert_eq!(sig.algorithms.signature, Some(signer.scheme), "{label}");
    let signer_cert = cert(signer.stem);
    assert_eq!(
        sig.signer.as_ref().unwrap().der(),
        signer_cert.der(),
        "{label}"
    );
    let ids = &sig.identity.as_ref().expect("an identity").ids;
    assert_eq!(ids.first(), signer.id.as_ref(), "{label}");
    assert_eq!(
        sig.chain.len(),
        if signer.id.is_some() { 3 } else { 2 },
        "{label}"
    );
    assert_eq!(
        String::from_utf8_lossy(&accepted.signed.canonical),
        String::from_utf8_lossy(canonical),
        "{label}: what was signed"
    );
    accepted
}

#[test]
fn xmlsec1_signatures_are_accepted_for_every_c14n_and_both_uri_forms() {
    let Some(x) = xmlsec1("xmlsec1_signatures_are_accepted") else {
        return;
    };
    // c14n11 is registered in 1.2.37 (as "c14n11" and "c14n11-with-comments").
    assert!(x.supports("c14n11"), "{}: no c14n11", x.version);
    for signer in [rsa(), ecdsa()] {
        for algorithm in [Algorithm::ExcC14n10, Algorithm::C14n10, Algorithm::C14n11] {
            let method = Method {
                algorithm,
                with_comments: false,
            };
            for uri in ["", "#tokhai"] {
                let label = format!("{} {} URI={uri:?}", signer.stem, method.name());
                let template = Template::new(method, signer.scheme_uri, uri).in_form(FORM);
                let accepted = xmlsec_signs_hoso_accepts(
                    &x,
                    &label,
                    &signer,
                    &template,
                    &expected_canonical(FORM, algorithm, &[]),
                );
                let sig = &accepted.signature;
                assert_eq!(sig.algorithms.canonicalization, Some(method), "{label}");
                assert_eq!(sig.references.len(), 1, "{label}");
                assert_eq!(sig.references[0].uri, uri, "{label}");
                assert_eq!(sig.references[0].path, "/ToKhai", "{label}");
                assert!(sig.signing_time.is_none(), "{label}: no XAdES here");
            }
        }
    }
}

#[test]
fn xmlsec1_signed_info_with_comments_is_accepted_and_the_comment_is_signed() {
    let Some(x) = xmlsec1("signed_info_with_comments") else {
        return;
    };
    for algorithm in [Algorithm::ExcC14n10, Algorithm::C14n10, Algorithm::C14n11] {
        let with_comments = Method {
            algorithm,
            with_comments: true,
        };
        let signer = rsa();
        let mut template = Template::new(with_comments, RSA_SHA256, "");
        // Reference transforms keep their default: a same-document
        // reference drops comments whatever the transform says.
        template.c14n_content = "<!-- ký ngày 01/06/2029 -->".into();
        let label = format!("SignedInfo {}", with_comments.name());
        let dir = Scratch::new("comments");
        let signed = x.sign(
            &dir,
            &template.in_form(FORM),
            &signer.key_and_certs(),
            &FORM_ID_ATTR,
        );
        let trust = trust();
        let accepted = verify_form(&signed, &options(&trust))
            .unwrap_or_else(|r| panic!("{label}: {}", r.refusal));
        assert_eq!(
            accepted.signature.algorithms.canonicalization,
            Some(with_comments)
        );
        assert_eq!(
            accepted.signed.canonical,
            expected_canonical(FORM, algorithm, &[]),
            "{label}"
        );
        // The comment in SignedInfo was signed, by xmlsec1 and for hoso.
        let changed = String::from_utf8(signed)
            .unwrap()
            .replace("01/06/2029", "02/06/2029");
        let refused = verify_form(changed.as_bytes(), &options(&trust)).unwrap_err();
        assert!(
            matches!(refused.refusal, Refusal::BadSignatureValue(_)),
            "{label}: {:?}",
            refused.refusal
        );
    }
}

#[test]
fn xmlsec1_reference_with_comments_transform_drops_comments_like_hoso() {
    let Some(x) = xmlsec1("reference_with_comments") else {
        return;
    };
    // A comment inside the document element: a same-document reference
    // selects the node-set without comments, even under a #WithComments
    // transform (XML-DSig 4.4.3.3); both implementations must agree.
    let form = FORM.replace(
        "<LuuLuong",
        "<!-- lưu lượng khai thác lớn nhất --><LuuLuong",
    );
    for algorithm in [Algorithm::ExcC14n10, Algorithm::C14n10, Algorithm::C14n11] {
        for uri in ["", "#tokhai"] {
            let with_comments = Method {
                algorithm,
                with_comments: true,
            };
            let without = Method {
                algorithm,
                with_comments: false,
            };
            let mut template = Template::new(without, RSA_SHA256, uri);
            template.transforms = vec![transform(ENVELOPED), transform(with_comments.uri())];
            let label = format!("Reference {} URI={uri:?}", with_comments.name());
            let accepted = xmlsec_signs_hoso_accepts(
                &x,
                &label,
                &rsa(),
                &template.in_form(&form),
                &expected_canonical(&form, algorithm, &[]),
            );
            assert!(
                !String::from_utf8_lossy(&accepted.signed.canonical).contains("lưu lượng"),
                "{label}: comments are never part of what was signed"
            );
        }
    }
}

#[test]
fn xmlsec1_more_signature_and_digest_methods() {
    let Some(x) = xmlsec1("more_methods") else {
        return;
    };
    let exc = Method {
        algorithm: Algorithm::ExcC14n10,
        with_comments: false,
    };
    let canonical = expected_canonical(FORM, Algorithm::ExcC14n10, &[]);
    // RSA PKCS#1 v1.5 with SHA-384 and SHA-512, and SHA-384/512 digests.
    for (method, scheme, digest) in [
        (
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
            SignatureScheme::RsaPkcs1Sha384,
            "http://www.w3.org/2001/04/xmldsig-more#sha384",
        ),
        (
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
            SignatureScheme::RsaPkcs1Sha512,
            "http://www.w3.org/2001/04/xmlenc#sha512",
        ),
    ] {
        let mut template = Template::new(exc, method, "#tokhai");
        template.digest = digest.into();
        let signer = Signer {
            scheme_uri: method,
            scheme,
            ..rsa()
        };
        let accepted =
            xmlsec_signs_hoso_accepts(&x, method, &signer, &template.in_form(FORM), &canonical);
        assert_eq!(
            accepted.signature.algorithms.digests,
            vec![DigestAlgorithm::from_uri(digest).unwrap()]
        );
    }
    // ECDSA P-384 with SHA-384: the only P-384 key of the TEST PKI is CA 2's
    // (keyUsage digitalSignature, keyCertSign, cRLSign), so CA 2 signs as
    // itself, with no personal identity.
    let ecdsa_sha384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
    let ca2 = Signer {
        stem: "ca/ca2",
        ca: "ca/root.pem",
        scheme_uri: ecdsa_sha384,
        scheme: SignatureScheme::EcdsaP384Sha384,
        id: None,
    };
    let template = Template::new(exc, ecdsa_sha384, "").in_form(FORM);
    let accepted = xmlsec_signs_hoso_accepts(&x, "ca2 ecdsa-sha384", &ca2, &template, &canonical);
    assert!(accepted.signature.identity.unwrap().ids.is_empty());

    // ecdsa-sha384 with a P-256 key is lawful (Circular 15/2025 allows ECDSA
    // of 256 bits or more with SHA-384) and xmlsec1 makes it: the URI names
    // the hash, the key's curve decides the rest.
    let template = Template::new(exc, ecdsa_sha384, "").in_form(FORM);
    let dir = Scratch::new("p256-sha384");
    let signed = x.sign(&dir, &template, &ecdsa().key_and_certs(), &[]);
    let trust = trust();
    let accepted = verify_form(&signed, &options(&trust))
        .unwrap_or_else(|r| panic!("P-256 with ecdsa-sha384: {}", r.refusal));
    assert_eq!(accepted.signature.integrity, hoso_dsig::Integrity::Valid);
    // The same signature with one byte of the signed form changed fails.
    let tampered = String::from_utf8(signed)
        .unwrap()
        .replacen("001203004567", "001203004568", 1);
    assert!(verify_form(tampered.as_bytes(), &options(&trust)).is_err());
}

#[test]
fn xmlsec1_exclusive_c14n_with_an_inclusive_prefix_list() {
    let Some(x) = xmlsec1("prefix_list") else {
        return;
    };
    let exc = Method {
        algorithm: Algorithm::ExcC14n10,
        with_comments: false,
    };
    let prefixes =
        format!("<ec:InclusiveNamespaces xmlns:ec=\"{EXC_C14N_NS}\" PrefixList=\"ct\"/>");
    for uri in ["", "#tokhai"] {
        let mut template = Template::new(exc, RSA_SHA256, uri);
        template.c14n_content =
            format!("<ec:InclusiveNamespaces xmlns:ec=\"{EXC_C14N_NS}\" PrefixList=\"ds\"/>");
        template.transforms = vec![
            transform(ENVELOPED),
            format!(
                "<ds:Transform Algorithm=\"{}\">{prefixes}</ds:Transform>",
                exc.uri()
            ),
        ];
        let canonical = expected_canonical(FORM, Algorithm::ExcC14n10, &["ct"]);
        // The prefix list matters: the canonical form differs without it.
        assert_ne!(
            canonical,
            expected_canonical(FORM, Algorithm::ExcC14n10, &[])
        );
        xmlsec_signs_hoso_accepts(
            &x,
            &format!("PrefixList URI={uri:?}"),
            &rsa(),
            &template.in_form(FORM),
            &canonical,
        );
    }
}

#[test]
fn xmlsec1_reference_without_c14n_transform_defaults_to_c14n_10() {
    let Some(x) = xmlsec1("default_c14n") else {
        return;
    };
    let exc = Method {
        algorithm: Algorithm::ExcC14n10,
        with_comments: false,
    };
    for uri in ["", "#tokhai"] {
        let mut template = Template::new(exc, RSA_SHA256, uri);
        template.transforms = vec![transform(ENVELOPED)];
        xmlsec_signs_hoso_accepts(
            &x,
            &format!("enveloped only, URI={uri:?}"),
            &rsa(),
            &template.in_form(FORM),
            &expected_canonical(FORM, Algorithm::C14n10, &[]),
        );
    }
}

fn base64_body(pem_path: &str) -> String {
    String::from_utf8(read(pem_path))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()
}

#[test]
fn xmlsec1_with_certificates_written_in_the_template_issuer_first() {
    let Some(x) = xmlsec1("certs_in_template") else {
        return;
    };
    // KeyInfo filled by the template author (CA first, then the signer):
    // xmlsec1 signs with the bare key and leaves X509Data as written; hoso
    // must find the signer among the certificates by its key.
    for signer in [rsa(), ecdsa()] {
        let mut template = Template::new(
            Method {
                algorithm: Algorithm::C14n11,
                with_comments: false,
            },
            signer.scheme_uri,
            "",
        );
        template.key_info = format!(
            "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate>\
             <ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>",
            base64_body(signer.ca),
            base64_body(&format!("{}.pem", signer.stem)),
        );
        let dir = Scratch::new("certs-in-template");
        let signed = x.sign(
            &dir,
            &template.in_form(FORM),
            &[pki(&format!("{}.key.pem", signer.stem))],
            &[],
        );
        assert_eq!(
            String::from_utf8_lossy(&signed)
                .matches("<ds:X509Certificate>")
                .count(),
            2
        );
        let trust = trust();
        let accepted = verify_form(&signed, &options(&trust))
            .unwrap_or_else(|r| panic!("{}: {}", signer.stem, r.refusal));
        assert_eq!(
            accepted.signature.identity.unwrap().ids.first(),
            signer.id.as_ref()
        );
    }
}

#[test]
fn xmlsec1_processing_instructions_outside_the_document_element_are_signed() {
    let Some(x) = xmlsec1("pi_outside_root") else {
        return;
    };
    // URI="" is the whole document: PIs before and after the document
    // element are part of what is signed (comments are not).
    let form = FORM.replacen(
        "<!--",
        "<?xml-stylesheet type=\"text/xsl\" href=\"to-khai.xsl\"?>\n<!--",
        1,
    ) + "<?hoso-ghi-chu cuối tài liệu?>\n";
    let exc = Method {
        algorithm: Algorithm::ExcC14n10,
        with_comments: false,
    };
    let canonical = expected_canonical(&form, Algorithm::ExcC14n10, &[]);
    assert!(String::from_utf8_lossy(&canonical).starts_with("<?xml-stylesheet"));
    let template = Template::new(exc, RSA_SHA256, "").in_form(&form);
    let dir = Scratch::new("pi");
    let signed = x.sign(&dir, &template, &rsa().key_and_certs(), &[]);
    let trust = trust();
    let accepted = verify_form(&signed, &options(&trust))
        .unwrap_or_else(|r| panic!("xmlsec1 URI=\"\" with PIs: {}", r.refusal));
    assert_eq!(accepted.signed.canonical, canonical);
    // An added PI outside the document element changes what URI="" signs.
    let mut tampered = signed.clone();
    tampered.extend_from_slice(b"<?xml-stylesheet href=\"evil.xsl\"?>");
    let refused = verify_form(&tampered, &options(&trust)).unwrap_err();
    assert_eq!(refused.refusal, Refusal::DigestMismatch(String::new()));
    // And xmlsec1 accepts hoso's signature over the same document.
    let hoso_signed = sign_as(form.as_bytes(), "signers/person-cccd", "chain-ca1.pem");
    verify_form(&hoso_signed, &options(&trust)).unwrap();
    let verdict = x.verify(
        &dir,
        &hoso_signed,
        &pki("ca/root.pem"),
        &[pki("ca/ca1.pem")],
        &XADES_ID_ATTR,
    );
    assert!(
        verdict.ok(),
        "xmlsec1 on hoso's signature with PIs:\n{}",
        verdict.text
    );
}

#[test]
fn xmlsec1_signs_a_xades_template_and_hoso_reads_the_signing_time() {
    let Some(x) = xmlsec1("xades_template") else {
        return;
    };
    let signer = rsa();
    let exc = Method {
        algorithm: Algorithm::ExcC14n10,
        with_comments: false,
    };
    let cert_digest = base64_encode(&DigestAlgorithm::Sha256.digest(cert(signer.stem).der()));
    let mut template = Template::new(exc, RSA_SHA256, "");
    template.more_references = format!(
        "<ds:Reference Type=\"http://uri.etsi.org/01903#SignedProperties\" URI=\"#sp\">\
         <ds:Transforms>{}</ds:Transforms><ds:DigestMethod Algorithm=\"{SHA256}\"/>\
         <ds:DigestValue></ds:DigestValue></ds:Reference>",
        transform(exc.uri())
    );
    template.objects = format!(
        "<ds:Object><xades:QualifyingProperties xmlns:xades=\"http://uri.etsi.org/01903/v1.3.2#\" Target=\"#sig\">\
         <xades:SignedProperties Id=\"sp\"><xades:SignedSignatureProperties>\
         <xades:SigningTime>2029-06-01T08:00:00+07:00</xades:SigningTime>\
         <xades:SigningCertificateV2><xades:Cert><xades:CertDigest>\
         <ds:DigestMethod Algorithm=\"{SHA256}\"/><ds:DigestValue>{cert_digest}</ds:DigestValue>\
         </xades:CertDigest></xades:Cert></xades:SigningCertificateV2>\
         </xades:SignedSignatureProperties></xades:SignedProperties>\
         </xades:QualifyingProperties></ds:Object>"
    );
    let dir = Scratch::new("xades");
    let mut extra: Vec<&str> = FORM_ID_ATTR.to_vec();
    extra.extend(XADES_ID_ATTR);
    let signed = x.sign(
        &dir,
        &template.in_form(FORM),
        &signer.key_and_certs(),
        &extra,
    );
    let trust = trust();
    let accepted = verify_form(&signed, &options(&trust))
        .unwrap_or_else(|r| panic!("xmlsec1 XAdES: {}", r.refusal));
    let time = accepted.signature.signing_time.unwrap();
    assert_eq!(time.source, SigningTimeSource::Xades);
    assert_eq!(time.time.to_string(), "2029-06-01T01:00:00Z");
    assert_eq!(accepted.signature.references.len(), 2);
    assert!(accepted.signature.references[1].is_signed_properties);
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The PSS transform names xmlsec1 builds may register (xmlsec 1.3 adds
/// them); 1.2.37 has none.
fn xmlsec1_has_rsa_pss(x: &Xmlsec) -> bool {
    x.transforms().iter().any(|t| t.contains("pss"))
}

#[test]
fn hoso_signatures_verify_in_xmlsec1() {
    let Some(x) = xmlsec1("hoso_signatures_verify_in_xmlsec1") else {
        return;
    };
    let mut schemes = vec![
        (
            "signers/person-cccd",
            "chain-ca1.pem",
            "ca/ca1.pem",
            SignatureScheme::RsaPkcs1Sha256,
        ),
        (
            "signers/person-cccd",
            "chain-ca1.pem",
            "ca/ca1.pem",
            SignatureScheme::RsaPkcs1Sha512,
        ),
        (
            "signers/person-cmnd",
            "chain-ca2.pem",
            "ca/ca2.pem",
            SignatureScheme::EcdsaP256Sha256,
        ),
        // CA 2's own P-384 key (see xmlsec1_more_signature_and_digest_methods).
        (
            "ca/ca2",
            "ca/root.pem",
            "ca/root.pem",
            SignatureScheme::EcdsaP384Sha384,
        ),
    ];
    if xmlsec1_has_rsa_pss(&x) {
        schemes.push((
            "signers/person-cccd",
            "chain-ca1.pem",
            "ca/ca1.pem",
            SignatureScheme::RsaPssSha256,
        ));
    } else {
        eprintln!(
            "{}: no RSA-PSS (sha256-rsa-MGF1) transform; hoso's RSA-PSS signatures are checked by hoso only",
            x.version
        );
    }
    let trust = trust();
    let dir = Scratch::new("hoso-to-xmlsec1");
    let mut checked = 0;
    for (stem, chain_file, ca, scheme) in schemes {
        for method in Method::all() {
            for xades in [true, false] {
                let mut options = SignOptions::new(
                    chain(stem, chain_file),
                    Timestamp::parse_rfc3339("2029-06-01T08:00:00+07:00").unwrap(),
                );
                options.scheme = Some(scheme);
                options.c14n = method;
                options.xades = xades;
                let key = SigningKey::from_pem(&read(&format!("{stem}.key.pem"))).unwrap();
                let signed = sign_enveloped(FORM.as_bytes(), &key, &options).unwrap();
                let label = format!("{stem} {} {} xades={xades}", scheme.name(), method.name());
                // hoso itself, first.
                let report = verify_all(&signed, &common::options(&trust)).unwrap();
                assert!(
                    report.all_valid(),
                    "{label}: {:?}",
                    report.signatures[0].integrity
                );
                let verdict = x.verify(
                    &dir,
                    &signed,
                    &pki("ca/root.pem"),
                    &[pki(ca)],
                    &XADES_ID_ATTR,
                );
                assert!(
                    verdict.ok(),
                    "{label}: xmlsec1 refused hoso's signature:\n{}\n{}",
                    verdict.text,
                    String::from_utf8_lossy(&signed)
                );
                assert!(
                    verdict.text.contains("SignedInfo References (ok/all): ")
                        && verdict.text.contains(if xades { "2/2" } else { "1/1" }),
                    "{label}: {}",
                    verdict.text
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 48);
}

#[test]
fn xmlsec1_refuses_what_hoso_refuses_after_tampering() {
    // The oracle is not a rubber stamp: a changed value in hoso's signed
    // form fails in xmlsec1 too.
    let Some(x) = xmlsec1("tampering") else {
        return;
    };
    let signed = sign_as(FORM.as_bytes(), "signers/person-cccd", "chain-ca1.pem");
    let tampered = String::from_utf8(signed)
        .unwrap()
        .replace(">2500<", ">2999<");
    let dir = Scratch::new("tampered");
    let verdict = x.verify(
        &dir,
        tampered.as_bytes(),
        &pki("ca/root.pem"),
        &[pki("ca/ca1.pem")],
        &XADES_ID_ATTR,
    );
    assert!(!verdict.success && !verdict.ok(), "{}", verdict.text);
    let trust = trust();
    assert_eq!(
        verify_form(tampered.as_bytes(), &options(&trust))
            .unwrap_err()
            .refusal,
        Refusal::DigestMismatch(String::new())
    );
}
