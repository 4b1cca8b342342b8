//! Who signed: identities and readable names of the TEST signers.

mod common;

use common::*;
use hoso_pki::{Identity, PersonalId};

fn id(stem: &str) -> Identity {
    cert(stem).identity()
}

#[test]
fn cccd() {
    let i = id("signers/person-cccd");
    assert_eq!(i.ids, vec![PersonalId::Cccd("001203004567".into())]);
    assert_eq!(
        i.common_name.as_deref(),
        Some("Nguyễn Thị Minh Khai (TEST)")
    );
    assert_eq!(i.organization, None);
    assert_eq!(i.organization_identifier, None);
    assert_eq!(i.ids[0].kind_vi(), "Căn cước công dân");
}

#[test]
fn cmnd() {
    assert_eq!(
        id("signers/person-cmnd").ids,
        vec![PersonalId::Cmnd("012345678".into())]
    );
}

#[test]
fn multiple_uids_in_der_order() {
    assert_eq!(
        id("signers/person-multi").ids,
        vec![
            PersonalId::Cccd("079088001234".into()),
            PersonalId::Passport("C1234567".into())
        ]
    );
    // One multi-valued RDN: DER sorts the SET, so HC comes first.
    assert_eq!(
        id("signers/person-multi-mvrdn").ids,
        vec![
            PersonalId::Passport("B7654321".into()),
            PersonalId::Cccd("048190000321".into())
        ]
    );
}

#[test]
fn tax_codes_and_organisation_identifier() {
    let i = id("signers/organisation");
    assert_eq!(
        i.ids,
        vec![PersonalId::TaxCode {
            code: "0301519977".into(),
            branch: Some("029".into())
        }]
    );
    assert_eq!(
        i.organization_identifier.as_deref(),
        Some("VATVN-0301519977")
    );
    assert_eq!(
        i.organization.as_deref(),
        Some("Công ty TNHH Hồ Sơ Số (TEST)")
    );
    assert_eq!(
        id("signers/agency").ids,
        vec![PersonalId::TaxCode {
            code: "5000123459".into(),
            branch: None
        }]
    );
    assert_eq!(
        id("signers/not-a-ca").ids[0].to_string(),
        "MST:0301519977-030"
    );
}

#[test]
fn every_signer_has_an_identity() {
    for stem in [
        "ed25519",
        "expired",
        "not-yet-valid",
        "wrong-key-usage",
        "revoked",
        "rsa1024",
        "signed-by-not-a-ca",
        "untrusted-signer",
    ] {
        let i = id(&format!("signers/{stem}"));
        assert_eq!(i.ids.len(), 1, "{stem}");
        assert!(
            matches!(i.ids[0], PersonalId::Cccd(_)),
            "{stem}: {:?}",
            i.ids
        );
        assert!(i.common_name.unwrap().contains("(TEST)"), "{stem}");
    }
    // CAs carry no personal identifier.
    assert!(id("ca/ca1").ids.is_empty());
}

#[test]
fn names_are_readable_rfc4514() {
    let c = cert("signers/person-cccd");
    assert_eq!(
        c.subject(),
        "UID=CCCD:001203004567,CN=Nguyễn Thị Minh Khai (TEST),L=Thành phố Tuyên Quang,ST=Tuyên Quang,C=VN"
    );
    assert_eq!(
        c.issuer(),
        "CN=TEST Hoso Public CA 1,O=TEST Công ty Cổ phần Chứng thực Hồ Sơ,L=Quận Cầu Giấy,ST=Hà Nội,C=VN"
    );
    assert_eq!(
        cert("signers/person-multi-mvrdn").subject(),
        "UID=HC:B7654321+UID=CCCD:048190000321,CN=Phạm Thu Hà (TEST),L=Quận Hải Châu,ST=Thành phố Đà Nẵng,C=VN"
    );
    assert!(
        cert("signers/organisation")
            .subject()
            .starts_with("UID=MST:0301519977-029,organizationIdentifier=VATVN-0301519977,CN=")
    );
    // The DER of the names is as encoded, so it can be compared bytewise.
    assert_eq!(c.issuer_der(), cert("ca/ca1").subject_der());
    assert_eq!(
        cert("ca/untrusted-root").subject_der(),
        cert("ca/root").subject_der()
    );
}

#[test]
fn certificate_accessors() {
    let c = cert("signers/person-cccd");
    assert_eq!(c.serial_hex(), "5445535400001001");
    assert_eq!(c.serial_decimal(), "6072351292821344257");
    assert_eq!(c.not_after().to_string(), "2036-12-31T23:59:59Z");
    assert_eq!(c.signature_algorithm(), "sha256WithRSAEncryption");
    assert_eq!(
        cert("signers/person-cmnd").signature_algorithm(),
        "ecdsa-with-SHA384"
    );
    assert!(cert("ca/root").is_self_issued() && cert("ca/root").is_ca());
    assert!(!c.is_self_issued());
    let fp = c.sha256();
    assert_eq!(
        fp,
        ring::digest::digest(&ring::digest::SHA256, c.der()).as_ref()
    );
    // PEM and DER give the same certificate.
    assert_eq!(
        hoso_pki::Certificate::from_pem(&read("signers/person-cccd.pem")).unwrap(),
        vec![c]
    );
    let keys: Vec<String> = [
        "person-cccd",
        "person-multi",
        "person-cmnd",
        "ed25519",
        "rsa1024",
    ]
    .iter()
    .map(|s| cert(&format!("signers/{s}")).public_key().describe())
    .collect();
    assert_eq!(
        keys,
        ["RSA-2048", "RSA-3072", "ECDSA P-256", "Ed25519", "RSA-1024"]
    );
    assert_eq!(cert("ca/ca2").public_key().describe(), "ECDSA P-384");
    assert_eq!(cert("ca/root").public_key().describe(), "RSA-4096");
}
