//! Documents received from elsewhere in Vietnam, in the shapes Vietnamese
//! software produces, signed at test time by `xmlsec1` (the independent
//! XML-DSig implementation) from templates written here, and verified by
//! [`verify_all`] signature by signature:
//!
//! * an e-invoice (Circular 78/2021) signed by the seller (DSCKS/NBan) and the
//!   tax authority (DSCKS/CQT), and a variant where a tax official (TTCQT)
//!   also signs the seller's Signature element; each signature covers the
//!   invoice data by Id and a ds:Object holding SigningTime;
//! * `id` and `ID` attributes and an Id that starts with a digit;
//! * a Windows-style X509SubjectName hint next to the certificate;
//! * RSA-SHA1 and a 1024-bit RSA key, under the default and the historical
//!   policy;
//! * the producer quirk: the enveloped-signature transform on the Reference
//!   to an Object of the Signature itself, digested as if it were absent.
//!
//! xmlsec1 checks the integrity (`--insecure`) of every signature it can,
//! one at a time with `--node-id`.  When xmlsec1 is missing each test fails
//! under CI (`CI=true`) and prints SKIPPED elsewhere.

mod common;
#[path = "common/xmlsec.rs"]
mod xmlsec;

use std::path::PathBuf;

use base64::Engine as _;
use common::*;
use hoso_dsig::{
    DocumentReport, Integrity, Refusal, SignatureReport, SigningTimeSource, VerifyOptions, Warning,
    form_policy, verify_all,
};
use hoso_pki::{ChainStatus, PersonalId, Policy, Timestamp};
use hoso_xml::{Algorithm, Canonicalizer, Limits, Method, Selection};
use xmlsec::{Scratch, Verdict, Xmlsec, xmlsec1};

const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
const SIGNING_TIME: &str = "2025-03-10T10:11:12";

/// xmlsec1 knows no Id attributes without a DTD: name every one these
/// documents use.
const ID_ATTRS: [&str; 10] = [
    "--id-attr:Id",
    "DLHDon",
    "--id-attr:Id",
    "http://www.w3.org/2000/09/xmldsig#:Signature",
    "--id-attr:Id",
    "http://www.w3.org/2000/09/xmldsig#:Object",
    "--id-attr:id",
    "HSoKhaiThue",
    "--id-attr:ID",
    "PLuc",
];

/// A TEST signer under TEST CA 1.
#[derive(Clone, Copy)]
struct Signer {
    stem: &'static str,
}

const SELLER: Signer = Signer {
    stem: "signers/organisation",
};
const TAX_AUTHORITY: Signer = Signer {
    stem: "signers/agency",
};
const TAX_OFFICIAL: Signer = Signer {
    stem: "signers/person-cccd",
};
const OLD_SIGNER: Signer = Signer {
    stem: "signers/rsa1024",
};

impl Signer {
    /// `--privkey-pem KEY,CERT,CA`: xmlsec1 writes both certificates into
    /// the empty X509Data.
    fn key_and_certs(self) -> Vec<PathBuf> {
        vec![
            pki(&format!("{}.key.pem", self.stem)),
            pki(&format!("{}.pem", self.stem)),
            pki("ca/ca1.pem"),
        ]
    }
}

/// A Reference of a template.
fn reference(uri: &str, transforms: &[&str], digest: &str) -> String {
    let transforms: String = transforms
        .iter()
        .map(|t| format!("<Transform Algorithm=\"{t}\"/>"))
        .collect();
    format!(
        "<Reference URI=\"{uri}\"><Transforms>{transforms}</Transforms>\
         <DigestMethod Algorithm=\"{digest}\"/><DigestValue></DigestValue></Reference>"
    )
}

/// The Id of the Object holding a signature's SigningTime.
fn time_id(sig_id: &str) -> String {
    format!("{sig_id}-SigningTime")
}

/// A Signature template as Vietnamese invoicing software writes it: the
/// dsig namespace as default namespace, inclusive C14N 1.0, one Reference
/// per Id in `covers`, and one to an Object holding SigningTime (without a
/// zone).  `object_transforms` are the transforms of that last Reference.
fn signature(
    sig_id: &str,
    method: &str,
    digest: &str,
    covers: &[&str],
    object_transforms: &[&str],
) -> String {
    let mut references: String = covers
        .iter()
        .map(|id| reference(&format!("#{id}"), &[C14N], digest))
        .collect();
    references.push_str(&reference(
        &format!("#{}", time_id(sig_id)),
        object_transforms,
        digest,
    ));
    format!(
        "<Signature xmlns=\"{DSIG}\" Id=\"{sig_id}\"><SignedInfo>\
         <CanonicalizationMethod Algorithm=\"{C14N}\"/><SignatureMethod Algorithm=\"{method}\"/>\
         {references}</SignedInfo><SignatureValue></SignatureValue>\
         <KeyInfo><X509Data/></KeyInfo>\
         <Object Id=\"{}\"><SignatureProperties><SignatureProperty Target=\"#{sig_id}\">\
         <SigningTime>{SIGNING_TIME}</SigningTime></SignatureProperty></SignatureProperties></Object>\
         </Signature>",
        time_id(sig_id)
    )
}

/// The invoice data every signature of an invoice covers.
const DLHDON: &str = "<DLHDon Id=\"DLHDon-C25TAA-123\"><TTChung><PBan>2.0.1</PBan>\
    <THDon>HÓA ĐƠN GIÁ TRỊ GIA TĂNG</THDon><KHMSHDon>1</KHMSHDon><KHHDon>C25TAA</KHHDon>\
    <SHDon>123</SHDon><NLap>2025-03-10</NLap><DVTTe>VND</DVTTe></TTChung>\
    <NDHDon><NBan><Ten>Công ty TNHH Hồ Sơ Số (TEST)</Ten><MST>0301519977-029</MST>\
    <DChi>Thành phố Tuyên Quang, tỉnh Tuyên Quang</DChi></NBan>\
    <NMua><Ten>Nguyễn Thị Minh Khai</Ten><DChi>Hà Nội</DChi></NMua>\
    <TToan><TgTCThue>1000000</TgTCThue><TgTThue>100000</TgTThue><TgTTTBSo>1100000</TgTTTBSo>\
    <TgTTTBChu>Một triệu một trăm nghìn đồng</TgTTTBChu></TToan></NDHDon></DLHDon>";
const DLHDON_ID: &str = "DLHDon-C25TAA-123";

/// An invoice template: `HDon` with DLHDon and the signature templates
/// under DSCKS, each in its own element (`NBan`, `TTCQT`, `CQT`).
fn invoice(signatures: &[(&str, String)]) -> String {
    let dscks: String = signatures
        .iter()
        .map(|(holder, sig)| format!("<{holder}>{sig}</{holder}>"))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HDon>{DLHDON}<DSCKS>{dscks}</DSCKS></HDon>\n"
    )
}

/// Signs the templates of `document` one after the other (`--node-id`
/// picks the Signature), in the order given.
fn sign_each(x: &Xmlsec, dir: &Scratch, document: &str, signers: &[(&str, Signer)]) -> Vec<u8> {
    let mut doc = document.as_bytes().to_vec();
    for (sig_id, signer) in signers {
        let mut extra: Vec<&str> = ID_ATTRS.to_vec();
        extra.extend(["--node-id", sig_id]);
        doc = x.sign(dir, &doc, &signer.key_and_certs(), &extra);
    }
    doc
}

/// `xmlsec1 --verify --insecure` (integrity alone) of the Signature with
/// Id `sig_id`.
fn xmlsec_verify(x: &Xmlsec, dir: &Scratch, doc: &[u8], sig_id: &str) -> Verdict {
    let mut extra: Vec<&str> = vec!["--insecure"];
    extra.extend(ID_ATTRS);
    extra.extend(["--node-id", sig_id]);
    x.verify(dir, doc, &pki("ca/root.pem"), &[pki("ca/ca1.pem")], &extra)
}

fn verify(doc: &[u8]) -> DocumentReport {
    verify_all(doc, &options(&trust())).expect("the document itself is accepted")
}

fn signing_time() -> Timestamp {
    Timestamp::parse_rfc3339("2025-03-10T10:11:12+07:00").unwrap()
}

/// A signature that is valid and trusted, by `signer`, with the signing
/// time of its Object (a claim without a zone).
fn assert_valid(report: &SignatureReport, signer: &str, ids: &[PersonalId]) {
    assert_eq!(report.integrity, Integrity::Valid, "{report:#?}");
    assert_eq!(
        report.chain_status,
        Some(ChainStatus::Trusted),
        "{report:#?}"
    );
    assert!(report.is_valid());
    assert_eq!(
        report.signer.as_ref().unwrap().sha256(),
        cert(signer).sha256(),
        "signed by {signer}"
    );
    assert_eq!(report.identity.as_ref().unwrap().ids, ids);
    let time = report.signing_time.as_ref().expect("a SigningTime object");
    assert_eq!(time.source, SigningTimeSource::SignedObject);
    assert_eq!(time.text, SIGNING_TIME);
    assert_eq!(time.time, signing_time());
    assert!(
        report.warnings.contains(&Warning::SigningTimeWithoutZone),
        "{:?}",
        report.warnings
    );
    assert!(!report.covers_document);
    assert!(report.references.iter().all(|r| r.digest_ok));
}

fn seller_id() -> Vec<PersonalId> {
    vec![PersonalId::TaxCode {
        code: "0301519977".into(),
        branch: Some("029".into()),
    }]
}

fn agency_id() -> Vec<PersonalId> {
    vec![PersonalId::TaxCode {
        code: "5000123459".into(),
        branch: None,
    }]
}

fn paths(report: &SignatureReport) -> Vec<&str> {
    report.references.iter().map(|r| r.path.as_str()).collect()
}

fn refusal(report: &SignatureReport) -> &Refusal {
    match &report.integrity {
        Integrity::Invalid(r) => r,
        Integrity::Valid => panic!("signature {} should be invalid", report.index),
    }
}

fn replace_once(doc: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(doc.to_vec()).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from:?} once in the document"
    );
    text.replacen(from, to, 1).into_bytes()
}

#[test]
fn invoice_signed_by_seller_and_tax_authority_each_verified_on_its_own() {
    let Some(x) = xmlsec1("invoice_two_signatures") else {
        return;
    };
    let dir = Scratch::new("invoice-two");
    let template = invoice(&[
        (
            "NBan",
            signature("NBan", RSA_SHA256, SHA256, &[DLHDON_ID], &[C14N]),
        ),
        (
            "CQT",
            signature("CQT", RSA_SHA256, SHA256, &[DLHDON_ID], &[C14N]),
        ),
    ]);
    let doc = sign_each(
        &x,
        &dir,
        &template,
        &[("NBan", SELLER), ("CQT", TAX_AUTHORITY)],
    );

    let report = verify(&doc);
    assert_eq!(report.signatures.len(), 2);
    let [seller, tax] = report.signatures.as_slice() else {
        unreachable!()
    };
    assert_eq!(seller.index, 1);
    assert_eq!(seller.path, "/HDon/DSCKS/NBan/Signature");
    assert_valid(seller, "signers/organisation", &seller_id());
    assert_eq!(
        paths(seller),
        ["/HDon/DLHDon", "/HDon/DSCKS/NBan/Signature/Object"]
    );
    assert_eq!(tax.index, 2);
    assert_eq!(tax.path, "/HDon/DSCKS/CQT/Signature");
    assert_valid(tax, "signers/agency", &agency_id());
    assert_eq!(
        paths(tax),
        ["/HDon/DLHDon", "/HDon/DSCKS/CQT/Signature/Object"]
    );
    assert!(report.all_valid());
    // What was signed is the invoice data, read from the canonical bytes.
    let signed = seller.signed.as_ref().expect("the DLHDon reference");
    assert_eq!(signed.element_path, "/HDon/DLHDon");
    assert!(
        signed
            .canonical
            .starts_with(b"<DLHDon Id=\"DLHDon-C25TAA-123\">")
    );
    // The form policy (one signature over the document) refuses it.
    assert_eq!(
        form_policy(&report).unwrap_err().refusal,
        Refusal::SeveralSignatures(2)
    );

    for sig_id in ["NBan", "CQT"] {
        let verdict = xmlsec_verify(&x, &dir, &doc, sig_id);
        assert!(verdict.ok(), "xmlsec1 on {sig_id}: {}", verdict.text);
    }

    // A changed amount breaks both signatures, in hoso and in xmlsec1.
    let tampered = replace_once(
        &doc,
        "<TgTTTBSo>1100000</TgTTTBSo>",
        "<TgTTTBSo>1900000</TgTTTBSo>",
    );
    let report = verify(&tampered);
    for sig in &report.signatures {
        assert_eq!(
            refusal(sig),
            &Refusal::DigestMismatch(format!("#{DLHDON_ID}"))
        );
        assert!(!sig.is_valid());
    }
    for sig_id in ["NBan", "CQT"] {
        let verdict = xmlsec_verify(&x, &dir, &tampered, sig_id);
        assert!(
            !verdict.ok(),
            "xmlsec1 on tampered {sig_id}: {}",
            verdict.text
        );
    }
}

#[test]
fn tax_official_signature_also_covers_the_seller_signature() {
    let Some(x) = xmlsec1("invoice_three_signatures") else {
        return;
    };
    let dir = Scratch::new("invoice-three");
    let template = invoice(&[
        (
            "NBan",
            signature("NBan", RSA_SHA256, SHA256, &[DLHDON_ID], &[C14N]),
        ),
        (
            "TTCQT",
            signature("TTCQT", RSA_SHA256, SHA256, &[DLHDON_ID, "NBan"], &[C14N]),
        ),
        (
            "CQT",
            signature("CQT", RSA_SHA256, SHA256, &[DLHDON_ID], &[C14N]),
        ),
    ]);
    let doc = sign_each(
        &x,
        &dir,
        &template,
        &[
            ("NBan", SELLER),
            ("TTCQT", TAX_OFFICIAL),
            ("CQT", TAX_AUTHORITY),
        ],
    );

    let report = verify(&doc);
    let [seller, official, tax] = report.signatures.as_slice() else {
        panic!("three signatures: {report:#?}")
    };
    assert_valid(seller, "signers/organisation", &seller_id());
    assert_valid(
        official,
        "signers/person-cccd",
        &[PersonalId::Cccd("001203004567".into())],
    );
    assert_eq!(
        paths(official),
        [
            "/HDon/DLHDon",
            "/HDon/DSCKS/NBan/Signature",
            "/HDon/DSCKS/TTCQT/Signature/Object"
        ]
    );
    assert_valid(tax, "signers/agency", &agency_id());
    assert!(report.all_valid());
    assert_eq!(
        form_policy(&report).unwrap_err().refusal,
        Refusal::SeveralSignatures(3)
    );
    for sig_id in ["NBan", "TTCQT", "CQT"] {
        let verdict = xmlsec_verify(&x, &dir, &doc, sig_id);
        assert!(verdict.ok(), "xmlsec1 on {sig_id}: {}", verdict.text);
    }

    // A changed seller signing time breaks the seller's signature and the
    // official's (which signed the seller's Signature), not the tax
    // authority's.
    let tampered = replace_once(
        &doc,
        "<SignatureProperty Target=\"#NBan\"><SigningTime>2025-03-10T10:11:12</SigningTime>",
        "<SignatureProperty Target=\"#NBan\"><SigningTime>2025-03-09T10:11:12</SigningTime>",
    );
    let report = verify(&tampered);
    assert_eq!(
        refusal(&report.signatures[0]),
        &Refusal::DigestMismatch("#NBan-SigningTime".into())
    );
    assert_eq!(
        refusal(&report.signatures[1]),
        &Refusal::DigestMismatch("#NBan".into())
    );
    assert!(report.signatures[2].is_valid());
    for (sig_id, ok) in [("NBan", false), ("TTCQT", false), ("CQT", true)] {
        let verdict = xmlsec_verify(&x, &dir, &tampered, sig_id);
        assert_eq!(
            verdict.ok(),
            ok,
            "xmlsec1 on tampered {sig_id}: {}",
            verdict.text
        );
    }
}

#[test]
fn lowercase_id_upper_id_and_an_id_starting_with_a_digit() {
    let Some(x) = xmlsec1("id_attributes") else {
        return;
    };
    let dir = Scratch::new("ids");
    let sig = signature(
        "CKy",
        RSA_SHA256,
        SHA256,
        &["hskt-2025", "0123-PL01"],
        &[C14N],
    );
    let template = format!(
        "<TKhai><HSoKhaiThue id=\"hskt-2025\"><MST>0301519977-029</MST><KyKKhai>03/2025</KyKKhai>\
         </HSoKhaiThue><PLuc ID=\"0123-PL01\"><Dong>Thuế GTGT phải nộp: 100000</Dong></PLuc>\
         <CKyDTu>{sig}</CKyDTu></TKhai>"
    );
    let doc = sign_each(&x, &dir, &template, &[("CKy", SELLER)]);

    let report = verify(&doc);
    let [sig] = report.signatures.as_slice() else {
        panic!("one signature")
    };
    assert_valid(sig, "signers/organisation", &seller_id());
    assert_eq!(
        paths(sig),
        [
            "/TKhai/HSoKhaiThue",
            "/TKhai/PLuc",
            "/TKhai/CKyDTu/Signature/Object"
        ]
    );
    assert!(
        sig.warnings
            .contains(&Warning::IdNotNcname("0123-PL01".into())),
        "{:?}",
        sig.warnings
    );
    assert!(
        !sig.warnings
            .contains(&Warning::IdNotNcname("hskt-2025".into()))
    );
    let verdict = xmlsec_verify(&x, &dir, &doc, "CKy");
    assert!(verdict.ok(), "xmlsec1: {}", verdict.text);

    // Only `Id`: the lowercase id no longer resolves.
    let trust = trust();
    let mut only_id = options(&trust);
    only_id.id_attributes = hoso_xml::IdAttributes::new(["Id"]);
    let report = verify_all(&doc, &only_id).unwrap();
    assert_eq!(
        refusal(&report.signatures[0]),
        &Refusal::UnknownReference("#hskt-2025".into())
    );

    // The same Id on an `id` and an `ID` attribute refuses the document.
    let duplicate = replace_once(&doc, "ID=\"0123-PL01\"", "ID=\"hskt-2025\"");
    let err = verify_all(&duplicate, &options(&trust)).unwrap_err();
    assert!(
        matches!(&err, hoso_dsig::DsigError::Refused { refusal: Refusal::DuplicateId(id), .. } if id == "hskt-2025"),
        "{err:?}"
    );
}

/// A Windows-style subject name (CryptoAPI's rendering): `OID.` prefixes,
/// `S=` and `E=`, longer than 64 characters.
const WINDOWS_SUBJECT: &str = "OID.0.9.2342.19200300.100.1.1=MST:0301519977-029, \
    CN=Công ty TNHH Hồ Sơ Số (TEST), OU=Chi nhánh Tuyên Quang, O=Công ty TNHH Hồ Sơ Số (TEST), \
    L=Thành phố Tuyên Quang, S=Tuyên Quang, C=VN, E=ketoan@hososo.test";

#[test]
fn windows_style_subject_name_hint_is_ignored() {
    let Some(x) = xmlsec1("subject_name_hint") else {
        return;
    };
    assert!(WINDOWS_SUBJECT.chars().count() > 64);
    let dir = Scratch::new("hint");
    let template = invoice(&[(
        "NBan",
        signature("NBan", RSA_SHA256, SHA256, &[DLHDON_ID], &[C14N]),
    )]);
    let signed = sign_each(&x, &dir, &template, &[("NBan", SELLER)]);
    // KeyInfo is not signed: the hint goes in front of the certificates, as
    // Windows signing tools write it.
    let doc = replace_once(
        &signed,
        "<X509Data>",
        &format!("<X509Data><X509SubjectName>{WINDOWS_SUBJECT}</X509SubjectName>"),
    );
    assert_eq!(
        String::from_utf8_lossy(&doc)
            .matches("<X509SubjectName>")
            .count(),
        1
    );

    let report = verify(&doc);
    assert_valid(&report.signatures[0], "signers/organisation", &seller_id());
    assert_eq!(report.signatures[0].chain.len(), 3, "signer, CA 1, root");

    // A hint naming someone else changes nothing either: the chain is built
    // from the certificates.
    let other = replace_once(&doc, "MST:0301519977-029, CN=", "MST:9999999999, CN=");
    assert!(verify(&other).signatures[0].is_valid());

    let verdict = xmlsec_verify(&x, &dir, &signed, "NBan");
    assert!(verdict.ok(), "xmlsec1 without the hint: {}", verdict.text);
    let verdict = xmlsec_verify(&x, &dir, &doc, "NBan");
    assert!(verdict.ok(), "xmlsec1 with the hint: {}", verdict.text);
}

#[test]
fn sha1_and_rsa1024_refused_by_default_accepted_under_the_historical_policy() {
    let Some(x) = xmlsec1("sha1_rsa1024") else {
        return;
    };
    let dir = Scratch::new("sha1");
    let template = invoice(&[(
        "NBan",
        signature("NBan", RSA_SHA1, SHA1, &[DLHDON_ID], &[C14N]),
    )]);
    let doc = sign_each(&x, &dir, &template, &[("NBan", OLD_SIGNER)]);
    let verdict = xmlsec_verify(&x, &dir, &doc, "NBan");
    assert!(verdict.ok(), "xmlsec1: {}", verdict.text);

    // Refused by default, on the signature method first.
    let report = verify(&doc);
    assert_eq!(
        refusal(&report.signatures[0]),
        &Refusal::WeakAlgorithm("RSA-PKCS1-SHA1".into())
    );
    assert_eq!(report.signatures[0].chain_status, None);

    // Accepted under the historical policy, with warnings on the signature.
    let trust = trust();
    let historical = VerifyOptions {
        policy: Policy::historical(),
        ..options(&trust)
    };
    assert!(historical.policy.allow_weak);
    let report = verify_all(&doc, &historical).unwrap();
    let sig = &report.signatures[0];
    assert_eq!(sig.integrity, Integrity::Valid, "{sig:#?}");
    assert_eq!(sig.chain_status, Some(ChainStatus::Trusted), "{sig:#?}");
    assert_eq!(sig.signing_time.as_ref().unwrap().time, signing_time());
    for weak in ["RSA-PKCS1-SHA1", "SHA-1"] {
        assert!(
            sig.warnings.contains(&Warning::WeakAlgorithm(weak.into())),
            "{weak}: {:?}",
            sig.warnings
        );
    }
    assert!(
        sig.warnings
            .iter()
            .any(|w| matches!(w, Warning::Pki(hoso_pki::Warning::WeakKey(_)))),
        "a warning for the 1024-bit key: {:?}",
        sig.warnings
    );

    // The 1024-bit key alone (SHA-256 everywhere) is refused by default as
    // a weak key.
    let dir = Scratch::new("rsa1024");
    let template = invoice(&[(
        "NBan",
        signature("NBan", RSA_SHA256, SHA256, &[DLHDON_ID], &[C14N]),
    )]);
    let doc = sign_each(&x, &dir, &template, &[("NBan", OLD_SIGNER)]);
    let report = verify(&doc);
    let sig = &report.signatures[0];
    assert_eq!(sig.integrity, Integrity::Valid);
    assert!(
        matches!(sig.chain_status, Some(ChainStatus::WeakKey { .. })),
        "{:?}",
        sig.chain_status
    );
    assert!(!sig.is_valid());
    let report = verify_all(&doc, &historical).unwrap();
    assert!(
        report.signatures[0].is_valid(),
        "{:#?}",
        report.signatures[0]
    );
    assert!(
        report.signatures[0]
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::Pki(hoso_pki::Warning::WeakKey(_)))),
        "{:?}",
        report.signatures[0].warnings
    );
}

/// Replaces SignatureValue with a new RSA-PKCS1-SHA256 value over the
/// (inclusive C14N 1.0) SignedInfo, by `signer`'s key: what a producer
/// does after writing its References.
fn resign(doc: &[u8], signer: Signer) -> Vec<u8> {
    let text = String::from_utf8(doc.to_vec()).unwrap();
    let start = text.find("<SignedInfo").expect("SignedInfo");
    let signed_info = Canonicalizer::new(Method {
        algorithm: Algorithm::C14n10,
        with_comments: false,
    })
    .to_vec(doc, Selection::subtree(start), &Limits::default())
    .unwrap();
    let pem = String::from_utf8(read(&format!("{}.key.pem", signer.stem))).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    let key = ring::signature::RsaKeyPair::from_pkcs8(&der).unwrap();
    let mut value = vec![0; key.public().modulus_len()];
    key.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        &signed_info,
        &mut value,
    )
    .unwrap();
    let open = text.find("<SignatureValue>").unwrap() + "<SignatureValue>".len();
    let close = text.find("</SignatureValue>").unwrap();
    format!(
        "{}{}{}",
        &text[..open],
        base64::engine::general_purpose::STANDARD.encode(value),
        &text[close..]
    )
    .into_bytes()
}

#[test]
fn producer_quirk_enveloped_transform_on_the_signing_time_object() {
    let Some(x) = xmlsec1("producer_quirk") else {
        return;
    };
    let dir = Scratch::new("quirk");
    let template = invoice(&[(
        "NBan",
        signature("NBan", RSA_SHA256, SHA256, &[DLHDON_ID], &[C14N]),
    )]);
    let plain = sign_each(&x, &dir, &template, &[("NBan", SELLER)]);
    // The producer's output: the Object's digest as it stands, yet the
    // enveloped-signature transform on its Reference, signed as such.
    let object_reference = "<Reference URI=\"#NBan-SigningTime\"><Transforms>";
    let quirk = resign(
        &replace_once(
            &plain,
            object_reference,
            &format!("{object_reference}<Transform Algorithm=\"{ENVELOPED}\"/>"),
        ),
        SELLER,
    );
    assert_ne!(quirk, plain);

    let report = verify(&quirk);
    let sig = &report.signatures[0];
    assert_valid(sig, "signers/organisation", &seller_id());
    assert!(
        sig.warnings
            .contains(&Warning::EnvelopedTransformOnSignedObject(
                "#NBan-SigningTime".into()
            )),
        "{:?}",
        sig.warnings
    );
    let en = hoso_dsig::report::render(sig, hoso_dsig::report::Lang::En);
    assert!(
        en.contains("known quirk of some invoicing software"),
        "{en}"
    );
    let vi = hoso_dsig::report::render(sig, hoso_dsig::report::Lang::Vi);
    assert!(vi.contains("phần mềm hóa đơn"), "{vi}");
    // Without the quirk, no such warning.
    let report = verify(&plain);
    assert!(report.signatures[0].is_valid());
    assert!(
        !report.signatures[0]
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::EnvelopedTransformOnSignedObject(_)))
    );

    // A changed Object: the digest it was accepted on no longer holds.
    let tampered = replace_once(
        &quirk,
        "<SigningTime>2025-03-10T10:11:12</SigningTime>",
        "<SigningTime>2024-03-10T10:11:12</SigningTime>",
    );
    let report = verify(&tampered);
    assert_eq!(
        refusal(&report.signatures[0]),
        &Refusal::DigestMismatch("#NBan-SigningTime".into())
    );
    assert!(report.signatures[0].signing_time.is_none());

    // xmlsec1 checks the plain document; it applies the transform as written
    // to the quirk, and so refuses it.
    let verdict = xmlsec_verify(&x, &dir, &plain, "NBan");
    assert!(
        verdict.ok(),
        "xmlsec1 on the plain document: {}",
        verdict.text
    );
    let verdict = xmlsec_verify(&x, &dir, &quirk, "NBan");
    assert!(!verdict.ok(), "xmlsec1 on the quirk: {}", verdict.text);
}

#[test]
fn enveloped_transform_on_own_object_as_xmlsec1_applies_it_signs_nothing_and_is_refused() {
    let Some(x) = xmlsec1("enveloped_own_object") else {
        return;
    };
    let dir = Scratch::new("own-object");
    let template = invoice(&[(
        "NBan",
        signature("NBan", RSA_SHA256, SHA256, &[DLHDON_ID], &[ENVELOPED, C14N]),
    )]);
    let doc = sign_each(&x, &dir, &template, &[("NBan", SELLER)]);
    // xmlsec1 removes the Signature, and so the Object inside it, before
    // digesting: the Reference covers nothing.
    let verdict = xmlsec_verify(&x, &dir, &doc, "NBan");
    assert!(verdict.ok(), "xmlsec1: {}", verdict.text);
    // hoso refuses a SigningTime that nothing signs.
    let report = verify(&doc);
    assert_eq!(
        refusal(&report.signatures[0]),
        &Refusal::DigestMismatch("#NBan-SigningTime".into())
    );
    assert!(report.signatures[0].signing_time.is_none());
}
