//! PAdES signatures of the receipts: signed with the TEST agency key,
//! checked by hoso's verifier, by poppler's `pdfsig`, by `openssl cms`
//! (the CMS alone, over the signed byte ranges), and still readable by
//! `pdftotext` and by a QR decoder (`zbarimg`); then every way hoso refuses
//! a signature, each with a real bad input.
//!
//! The external tools are required: a missing one fails the test with the
//! package to install.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hoso_dsig::{SigningKey, VerifyOptions};
use hoso_pki::{Certificate, ChainStatus, PersonalId, Policy, Timestamp, TrustStore};
use hoso_receipt::{
    FeeItem, FeeReceipt, Font, PdfError, PdfLimits, PdfRefusal, PdfReport, PdfSignOptions,
    fee_receipt_pdf, sign_pdf, signed_ranges, verify_pdf, verify_pdf_with_limits,
};

/// Inside every TEST certificate's validity.
const AT: &str = "2030-01-01T00:00:00Z";
const SIGNED_AT: &str = "2026-11-27T08:00:00Z";
const AGENCY_CN: &str = "TEST Sở Tài nguyên và Môi trường Tuyên Quang";
const VERIFY_URL: &str = "https://dichvucong.tuyenquang.example.gov.vn/bien-lai?so=TQ-26E-0000042";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn certs(path: &str) -> Vec<Certificate> {
    Certificate::from_pem(&std::fs::read(repo().join("certs/test").join(path)).unwrap()).unwrap()
}

fn key(name: &str) -> SigningKey {
    SigningKey::from_pem(
        &std::fs::read(repo().join(format!("certs/test/signers/{name}.key.pem"))).unwrap(),
    )
    .unwrap()
}

fn time(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap()
}

fn trust() -> TrustStore {
    let mut store = TrustStore::new();
    for root in certs("ca/root.pem") {
        store.add_anchor(root);
    }
    store
}

fn fee() -> FeeReceipt {
    FeeReceipt {
        agency: "Sở Tài nguyên và Môi trường tỉnh Tuyên Quang".into(),
        template: "01BLP0-001".into(),
        series: "TQ-26E".into(),
        number: "0000042".into(),
        payer: "Công ty TNHH Khai thác Nước ngầm Hàm Yên".into(),
        dossier_code: "000.00.21.H59-261127-0042".into(),
        items: vec![FeeItem {
            name: "Phí thẩm định đề án khai thác, sử dụng nước dưới đất".into(),
            amount_vnd: 1_200_000,
        }],
        payment_reference: "VNPAY-20261127-0042".into(),
        paid_at: "15 giờ 00 phút, ngày 27/11/2026".into(),
        verify_url: VERIFY_URL.into(),
    }
}

fn unsigned() -> Vec<u8> {
    let font = Font::load(Path::new(Font::DEFAULT_PATH)).unwrap_or_else(|e| {
        panic!("{e}: install fonts-dejavu-core (apt-get install -y fonts-dejavu-core)")
    });
    fee_receipt_pdf(&fee(), &font).unwrap()
}

fn options(signer: &str, chain: &str, signed_at: &str) -> PdfSignOptions {
    let mut certificates = certs(&format!("signers/{signer}.pem"));
    certificates.extend(certs(chain));
    let mut options = PdfSignOptions::new(certificates, time(signed_at));
    options.reason = Some("Biên lai thu phí, lệ phí".into());
    options.location = Some("Tuyên Quang".into());
    options
}

fn sign_as(pdf: &[u8], signer: &str, chain: &str, signed_at: &str) -> Vec<u8> {
    sign_pdf(pdf, &key(signer), &options(signer, chain, signed_at)).unwrap()
}

/// The fee receipt signed by the TEST agency.
fn signed() -> Vec<u8> {
    sign_as(&unsigned(), "agency", "chain-ca1.pem", SIGNED_AT)
}

fn verify(pdf: &[u8]) -> PdfReport {
    verify_pdf(pdf, &VerifyOptions::new(&trust(), time(AT))).unwrap()
}

fn refusal(pdf: &[u8]) -> PdfRefusal {
    verify(pdf).verdict().unwrap_err()
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hoso-receipt-pades");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs an external tool; a missing tool fails with the package to install.
fn run(tool: &str, package: &str, args: &[&str]) -> Output {
    Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{tool}` ({e}): install {package} (apt-get install -y {package})")
    })
}

fn pdfsig(pdf: &Path) -> String {
    let out = run("pdfsig", "poppler-utils", &[pdf.to_str().unwrap()]);
    // pdfsig exits non-zero when a signature is not valid; its report is
    // what the tests read.
    String::from_utf8(out.stdout).unwrap() + &String::from_utf8_lossy(&out.stderr)
}

/// Position of `needle` in `haystack`, searching from `from`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> usize {
    from + haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{:?} not found", String::from_utf8_lossy(needle)))
}

/// The CMS of the last signature: (offset of its first hex digit, DER).
fn cms_of(pdf: &[u8]) -> (usize, Vec<u8>) {
    let at = pdf.windows(11).rposition(|w| w == b"/Contents <").unwrap() + 11;
    let end = find(pdf, b">", at);
    let hex = std::str::from_utf8(&pdf[at..end]).unwrap();
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    // 30 82 LL LL: a long-form length of two bytes.
    assert_eq!(&bytes[..2], &[0x30, 0x82]);
    let len = 4 + usize::from(u16::from_be_bytes([bytes[2], bytes[3]]));
    assert!(bytes[len..].iter().all(|b| *b == 0), "zero padding");
    (at, bytes[..len].to_vec())
}

/// Rewrites the last `/ByteRange [...]` in place (same length, padded).
fn set_byte_range(pdf: &[u8], text: &str) -> Vec<u8> {
    let at = pdf.windows(12).rposition(|w| w == b"/ByteRange [").unwrap() + 12;
    let end = find(pdf, b"]", at);
    assert!(text.len() <= end - at);
    let mut out = pdf.to_vec();
    let padded = format!("{text:<width$}", width = end - at);
    out[at..end].copy_from_slice(padded.as_bytes());
    out
}

fn byte_range(pdf: &[u8]) -> [usize; 4] {
    verify(pdf).signatures.last().unwrap().byte_range
}

#[test]
fn a_signed_fee_receipt_verifies_and_says_who_signed_when() {
    let original = unsigned();
    let signed = signed();
    assert!(
        signed.starts_with(&original),
        "an incremental update keeps the rendered bytes"
    );
    assert_eq!(
        signed,
        self::signed(),
        "RSA PKCS#1 v1.5 signing is deterministic"
    );

    let report = verify(&signed);
    assert_eq!(report.verdict(), Ok(()));
    assert_eq!(report.signatures.len(), 1);
    let sig = &report.signatures[0];
    assert!(sig.is_valid());
    assert!(sig.covers_whole_document);
    assert_eq!((sig.bytes_after, sig.updates_after), (0, 0));
    assert_eq!(sig.signed_len, signed.len());
    assert_eq!(sig.field, "Signature1");
    assert_eq!(sig.sub_filter, "ETSI.CAdES.detached");
    assert_eq!(sig.signer_name.as_deref(), Some(AGENCY_CN));
    assert_eq!(
        sig.identity.as_ref().unwrap().ids,
        vec![PersonalId::TaxCode {
            code: "5000123459".into(),
            branch: None
        }]
    );
    let when = sig.signing_time.as_ref().unwrap();
    assert_eq!(when.time, time(SIGNED_AT));
    assert_eq!(when.text, "D:20261127080000Z");
    assert_eq!(sig.reason.as_deref(), Some("Biên lai thu phí, lệ phí"));
    assert_eq!(sig.location.as_deref(), Some("Tuyên Quang"));
    assert_eq!(sig.chain_status, Some(ChainStatus::Trusted));
    assert_eq!(sig.chain.len(), 3, "agency, CA 1, root");
    assert_eq!(sig.algorithm_names(), ["RSA-PKCS1-SHA256", "SHA-256"]);

    let vi = sig.render(hoso_dsig::report::Lang::Vi);
    assert!(vi.contains("Định danh: Mã số thuế 5000123459"), "{vi}");
    assert!(
        vi.contains("Thời điểm ký: 2026-11-27T08:00:00Z (do người ký khai trong /M"),
        "{vi}"
    );
    assert!(vi.contains("Phạm vi ký: toàn bộ tài liệu"), "{vi}");
    assert!(vi.contains("=> CHỮ KÝ HỢP LỆ"), "{vi}");
    let en = sig.render(hoso_dsig::report::Lang::En);
    assert!(en.contains("Issuer: CN=TEST Hoso Public CA 1"), "{en}");
    assert!(en.contains("=> SIGNATURE VALID"), "{en}");
}

#[test]
fn pdfsig_finds_the_signature_valid_and_the_signer() {
    let path = write("signed.pdf", &signed());
    let report = pdfsig(&path);
    for line in [
        "Signature #1:",
        &format!("Signer Certificate Common Name: {AGENCY_CN}"),
        "Signing Time: Nov 27 2026 08:00:00",
        "Signing Hash Algorithm: SHA-256",
        "Signature Type: ETSI.CAdES.detached",
        "Total document signed",
        "Signature Validation: Signature is Valid.",
        // pdfsig cannot know the TEST root: poppler looks in the NSS
        // database, where it is not.
        "Certificate Validation: Certificate issuer isn't Trusted.",
    ] {
        assert!(report.contains(line), "missing {line:?} in:\n{report}");
    }
    assert!(!report.contains("Not total document signed"), "{report}");
}

#[test]
fn an_ecdsa_signature_verifies_in_hoso_and_pdfsig() {
    let signed = sign_as(&unsigned(), "person-cmnd", "chain-ca2.pem", SIGNED_AT);
    let report = verify(&signed);
    assert_eq!(report.verdict(), Ok(()));
    assert_eq!(
        report.signatures[0].algorithm_names(),
        ["ECDSA-P256-SHA256", "SHA-256"]
    );
    let out = pdfsig(&write("ecdsa.pdf", &signed));
    assert!(
        out.contains("Signature Validation: Signature is Valid."),
        "{out}"
    );
    assert!(
        out.contains("Signer Certificate Common Name: Trần Văn Bình (TEST)"),
        "{out}"
    );
}

#[test]
fn openssl_verifies_the_cms_over_the_signed_byte_ranges() {
    let signed = signed();
    let report = verify(&signed);
    let [first, second] = signed_ranges(&signed, &report.signatures[0]);
    let content = [first, second].concat();
    let [_, a, b, _] = report.signatures[0].byte_range;
    assert_eq!(
        content.len(),
        signed.len() - (b - a),
        "all but the /Contents string"
    );
    let (_, cms) = cms_of(&signed);
    let sig = write("openssl-sig.der", &cms);
    let content_path = write("openssl-content.bin", &content);
    let root = repo().join("certs/test/ca/root.pem");
    let chain = repo().join("certs/test/chain-ca1.pem");
    let out = run(
        "openssl",
        "openssl",
        &[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            sig.to_str().unwrap(),
            "-content",
            content_path.to_str().unwrap(),
            "-CAfile",
            root.to_str().unwrap(),
            "-certfile",
            chain.to_str().unwrap(),
            "-purpose",
            "any",
            "-attime",
            &time(AT).unix().to_string(),
            "-out",
            "/dev/null",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "openssl cms -verify failed: {stderr}");
    assert!(stderr.contains("CMS Verification successful"), "{stderr}");

    // The structure PAdES B-B asks for: the three signed attributes, no
    // CMS signing-time (the time is /M), the chain in certificates.
    let out = run(
        "openssl",
        "openssl",
        &[
            "cms",
            "-cmsout",
            "-print",
            "-inform",
            "DER",
            "-in",
            sig.to_str().unwrap(),
        ],
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "contentType: pkcs7-signedData",
        "version: 1",
        "d.issuerAndSerialNumber",
        "algorithm: sha256 (2.16.840.1.101.3.4.2.1)",
        "object: contentType (1.2.840.113549.1.9.3)",
        "object: messageDigest (1.2.840.113549.1.9.4)",
        "object: id-smime-aa-signingCertificateV2 (1.2.840.113549.1.9.16.2.47)",
        "algorithm: sha256WithRSAEncryption (1.2.840.113549.1.1.11)",
        "eContent: <ABSENT>",
    ] {
        assert!(
            printed.contains(needle),
            "missing {needle:?} in:\n{printed}"
        );
    }
    assert!(!printed.contains("signingTime"), "{printed}");
}

#[test]
fn pdftotext_still_reads_the_vietnamese_text() {
    let path = write("signed-text.pdf", &signed());
    let out = run(
        "pdftotext",
        "poppler-utils",
        &["-raw", "-enc", "UTF-8", path.to_str().unwrap(), "-"],
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Sở Tài nguyên và Môi trường tỉnh Tuyên Quang",
        "Công ty TNHH Khai thác Nước ngầm Hàm Yên",
        "Phí thẩm định đề án khai thác, sử dụng nước dưới đất",
        "Một triệu hai trăm nghìn đồng",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in {text}");
    }
}

#[test]
fn the_qr_code_of_the_signed_receipt_decodes_to_the_verification_url() {
    let path = write("signed-qr.pdf", &signed());
    let prefix = path.with_extension("");
    let out = run(
        "pdftoppm",
        "poppler-utils",
        &[
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            path.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = prefix.with_extension("png");
    let out = run(
        "zbarimg",
        "zbar-tools",
        &["--raw", "-q", png.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "zbarimg found no code: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim_end(),
        VERIFY_URL
    );
}

#[test]
fn a_byte_changed_in_the_signed_range_is_a_digest_mismatch_for_hoso_and_pdfsig() {
    let mut pdf = signed();
    // The document information's /Producer: plain text, so the file still
    // parses after the change.
    let at = find(&pdf, b"(hoso-receipt)", 0) + 1;
    pdf[at] = b'H';
    assert_eq!(refusal(&pdf), PdfRefusal::DigestMismatch);
    let out = pdfsig(&write("tampered.pdf", &pdf));
    assert!(
        out.contains("Signature Validation: Digest Mismatch."),
        "{out}"
    );

    // A byte of the compressed page content.
    let mut pdf = signed();
    let at = find(&pdf, b"stream\n", 0) + 20;
    pdf[at] ^= 0x01;
    assert_eq!(refusal(&pdf), PdfRefusal::DigestMismatch);
    let out = pdfsig(&write("tampered-content.pdf", &pdf));
    assert!(
        out.contains("Signature Validation: Digest Mismatch."),
        "{out}"
    );
}

#[test]
fn a_changed_signature_value_does_not_verify() {
    let mut pdf = signed();
    let (hex_at, cms) = cms_of(&pdf);
    // The RSA signature value is the last 256 bytes of the CMS (no unsigned
    // attributes follow it).
    let last = hex_at + 2 * (cms.len() - 1);
    pdf[last] = if pdf[last] == b'0' { b'1' } else { b'0' };
    assert!(
        matches!(refusal(&pdf), PdfRefusal::BadSignature(_)),
        "{:?}",
        refusal(&pdf)
    );
    let out = pdfsig(&write("bad-value.pdf", &pdf));
    assert!(!out.contains("Signature is Valid"), "{out}");
}

#[test]
fn a_wrong_byte_range_is_refused() {
    let pdf = signed();
    let [_, a, b, c] = byte_range(&pdf);
    for (text, why) in [
        (format!("1 {a} {b} {c}"), "does not start at byte 0"),
        (
            format!("0 {} {} {}", a + 2, b - 2, c + 2),
            "is not exactly the /Contents string",
        ),
        (
            format!("0 {a} {b} {}", c + 1),
            "reaches past the end of the file",
        ),
        (format!("0 {a} {b}"), "not four integers"),
        (format!("0 {b} {a} {c}"), "the gap is empty or reversed"),
    ] {
        let changed = set_byte_range(&pdf, &text);
        match refusal(&changed) {
            PdfRefusal::BadByteRange(what) => assert!(what.contains(why), "{text}: {what}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    // A range that leaves out the end of the file: the signature then
    // covers part of the document only, and the digest no longer matches.
    let changed = set_byte_range(&pdf, &format!("0 {a} {b} {}", c - 10));
    assert_eq!(refusal(&changed), PdfRefusal::DigestMismatch);
}

#[test]
fn a_signer_under_an_impostor_root_is_untrusted() {
    let pdf = sign_as(
        &unsigned(),
        "untrusted-signer",
        "chain-untrusted.pem",
        SIGNED_AT,
    );
    let report = verify(&pdf);
    assert!(
        report.signatures[0].integrity.is_ok(),
        "the CMS itself is sound"
    );
    match report.verdict() {
        Err(PdfRefusal::Untrusted(status)) => {
            assert_ne!(status, ChainStatus::Trusted);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_expired_signer_is_refused() {
    // Signed while the certificate was valid (2021): still refused under
    // the form policy, which also checks validity at the verification time.
    let pdf = sign_as(
        &unsigned(),
        "expired",
        "chain-ca1.pem",
        "2021-06-01T00:00:00Z",
    );
    match refusal(&pdf) {
        PdfRefusal::Untrusted(ChainStatus::Expired { subject, .. }) => {
            assert!(subject.contains("Đỗ Thị Lan"), "{subject}")
        }
        other => panic!("{other:?}"),
    }
    // Signed after it expired: refused at the signing time too.
    let pdf = sign_as(&unsigned(), "expired", "chain-ca1.pem", SIGNED_AT);
    match refusal(&pdf) {
        PdfRefusal::Untrusted(ChainStatus::Expired { at, .. }) => {
            assert_eq!(at, time(SIGNED_AT))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_rsa_1024_signer_is_refused_as_weak() {
    // ring does not sign with RSA-1024: the CMS is made by openssl.
    let pdf = with_openssl_cms(&signed(), "rsa1024", "sha256");
    match refusal(&pdf) {
        PdfRefusal::WeakAlgorithm(what) => assert!(what.contains("RSA-1024"), "{what}"),
        other => panic!("{other:?}"),
    }
    // The historical policy admits it, with a warning.
    let trust = trust();
    let options = VerifyOptions {
        policy: Policy::historical(),
        ..VerifyOptions::new(&trust, time(AT))
    };
    let report = verify_pdf(&pdf, &options).unwrap();
    assert_eq!(report.verdict(), Ok(()));
    assert_eq!(
        report.signatures[0].signer_name.as_deref(),
        Some("Đặng Văn Nam (TEST)")
    );
    assert!(
        report.signatures[0].warnings.iter().any(|w| matches!(
            w,
            hoso_receipt::PdfWarning::Pki(hoso_pki::Warning::WeakKey(_))
        )),
        "{:?}",
        report.signatures[0].warnings
    );
}

/// An incremental update that changes the document information after the
/// signature, as an editor would append it.
fn append_update(pdf: &[u8]) -> Vec<u8> {
    let startxref = {
        let at = pdf.windows(9).rposition(|w| w == b"startxref").unwrap() + 9;
        let text = std::str::from_utf8(&pdf[at..]).unwrap();
        text.split_whitespace().next().unwrap().to_string()
    };
    let mut out = pdf.to_vec();
    let info_at = out.len();
    out.extend_from_slice(b"3 0 obj\n<</Title (Changed after signing)>>\nendobj\n");
    let xref_at = out.len();
    out.extend_from_slice(
        format!(
            "xref\n3 1\n{info_at:010} 00000 n\r\ntrailer\n<</Size 14/Root 1 0 R/Info 3 0 R/Prev {startxref}>>\nstartxref\n{xref_at}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

#[test]
fn bytes_after_the_signature_mean_it_does_not_cover_the_whole_document() {
    let signed = signed();
    let updated = append_update(&signed);
    let report = verify(&updated);
    let sig = &report.signatures[0];
    assert!(sig.integrity.is_ok(), "the signed revision is intact");
    assert!(sig.is_valid());
    assert!(!sig.covers_whole_document);
    assert_eq!(sig.signed_len, signed.len());
    assert_eq!(sig.updates_after, 1);
    assert_eq!(
        report.verdict(),
        Err(PdfRefusal::NotWholeDocument {
            bytes_after: updated.len() - signed.len(),
            updates_after: 1,
        })
    );
    let out = pdfsig(&write("updated.pdf", &updated));
    assert!(out.contains("Not total document signed"), "{out}");

    // Bytes that are no update at all are reported the same way.
    let mut trailing = signed.clone();
    trailing.extend_from_slice(b"% trailing garbage\n");
    assert_eq!(
        refusal(&trailing),
        PdfRefusal::NotWholeDocument {
            bytes_after: 19,
            updates_after: 0,
        }
    );
}

#[test]
fn a_second_signature_covers_the_first() {
    let once = signed();
    let twice = sign_as(
        &once,
        "organisation",
        "chain-ca1.pem",
        "2026-11-28T08:00:00Z",
    );
    assert!(twice.starts_with(&once));
    let report = verify(&twice);
    assert_eq!(report.verdict(), Ok(()));
    assert_eq!(report.signatures.len(), 2);
    let (first, second) = (&report.signatures[0], &report.signatures[1]);
    assert_eq!(first.field, "Signature1");
    assert_eq!(second.field, "Signature2");
    assert!(first.is_valid() && second.is_valid());
    assert!(!first.covers_whole_document);
    assert_eq!(first.updates_after, 1);
    assert!(second.covers_whole_document);
    let out = pdfsig(&write("twice.pdf", &twice));
    assert_eq!(out.matches("Signature is Valid.").count(), 2, "{out}");

    let limits = PdfLimits {
        max_signatures: 1,
        ..PdfLimits::default()
    };
    let err = verify_pdf_with_limits(&twice, &VerifyOptions::new(&trust(), time(AT)), &limits)
        .unwrap_err();
    assert!(
        matches!(
            err,
            PdfError::Limit {
                what: "signatures",
                max: 1
            }
        ),
        "{err}"
    );
}

#[test]
fn a_pdf_without_signature_is_refused() {
    let report = verify(&unsigned());
    assert!(report.signatures.is_empty());
    assert_eq!(report.verdict(), Err(PdfRefusal::NoSignature));
}

/// `pdf` with its (last) CMS replaced by one that `openssl cms -sign`
/// made over the same byte ranges, with `-cades` (signingCertificateV2),
/// the digest `md`, the TEST signer `signer` and the chain of CA 1.
fn with_openssl_cms(pdf: &[u8], signer: &str, md: &str) -> Vec<u8> {
    let report = verify(pdf);
    let [first, second] = signed_ranges(pdf, report.signatures.last().unwrap());
    let content = write("splice-content.bin", &[first, second].concat());
    let (hex_at, _) = cms_of(pdf);
    let room = find(pdf, b">", hex_at) - hex_at;
    let signers = repo().join("certs/test/signers");
    let out_path = write(&format!("splice-{signer}-{md}.der"), b"");
    let out = run(
        "openssl",
        "openssl",
        &[
            "cms",
            "-sign",
            "-binary",
            "-cades",
            "-md",
            md,
            "-outform",
            "DER",
            "-in",
            content.to_str().unwrap(),
            "-signer",
            signers.join(format!("{signer}.pem")).to_str().unwrap(),
            "-inkey",
            signers.join(format!("{signer}.key.pem")).to_str().unwrap(),
            "-certfile",
            repo().join("certs/test/chain-ca1.pem").to_str().unwrap(),
            "-out",
            out_path.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let der = std::fs::read(&out_path).unwrap();
    let hex: String = der.iter().map(|b| format!("{b:02X}")).collect();
    assert!(hex.len() <= room);
    let mut spliced = pdf.to_vec();
    spliced[hex_at..hex_at + room].fill(b'0');
    spliced[hex_at..hex_at + hex.len()].copy_from_slice(hex.as_bytes());
    spliced
}

#[test]
fn a_sha1_cms_is_refused_as_weak_and_an_openssl_cades_cms_is_accepted() {
    // hoso's CMS replaced by openssl's over the same byte ranges: SHA-1 is
    // refused by the form policy; SHA-256 with `-cades` verifies.
    let pdf = signed();
    match refusal(&with_openssl_cms(&pdf, "agency", "sha1")) {
        PdfRefusal::WeakAlgorithm(what) => assert_eq!(what, "SHA-1"),
        other => panic!("{other:?}"),
    }
    let by_openssl = verify(&with_openssl_cms(&pdf, "agency", "sha256"));
    assert_eq!(by_openssl.verdict(), Ok(()));
    // openssl adds a CMS signing-time, which PAdES forbids: a warning.
    assert!(
        by_openssl.signatures[0]
            .warnings
            .contains(&hoso_receipt::PdfWarning::CmsSigningTimeIgnored)
    );
}

#[test]
fn files_hoso_cannot_read_are_refused_with_a_typed_error() {
    let trust = trust();
    let options = VerifyOptions::new(&trust, time(AT));
    let signer = options_for_agency();

    // A cross-reference stream (PDF 1.5 compressed structure).
    let xref_stream = b"%PDF-1.5\n1 0 obj\n<</Type /XRef /Size 2 /W [1 2 1] /Root 2 0 R /Length 0>>\nstream\n\nendstream\nendobj\nstartxref\n9\n%%EOF\n";
    assert!(matches!(
        verify_pdf(xref_stream, &options),
        Err(PdfError::XrefStream { offset: 9 })
    ));
    assert!(matches!(
        sign_pdf(xref_stream, &key("agency"), &signer),
        Err(PdfError::XrefStream { .. })
    ));

    // An encrypted file: the trailer names an /Encrypt dictionary.
    let pdf = unsigned();
    let at = find(&pdf, b"trailer", 0);
    let mut encrypted = pdf[..at].to_vec();
    let rest = String::from_utf8_lossy(&pdf[at..]).replacen("/Root", "/Encrypt 99 0 R /Root", 1);
    encrypted.extend_from_slice(rest.as_bytes());
    assert!(matches!(
        verify_pdf(&encrypted, &options),
        Err(PdfError::Encrypted)
    ));
    assert!(matches!(
        sign_pdf(&encrypted, &key("agency"), &signer),
        Err(PdfError::Encrypted)
    ));

    assert!(matches!(
        verify_pdf(b"<xml/>", &options),
        Err(PdfError::NotPdf)
    ));
    let cut = &pdf[..pdf.len() - 40];
    assert!(matches!(
        verify_pdf(cut, &options),
        Err(PdfError::Malformed { .. })
    ));

    let signed = signed();
    let small = PdfLimits {
        max_pdf_bytes: 1000,
        ..PdfLimits::default()
    };
    assert!(matches!(
        verify_pdf_with_limits(&signed, &options, &small),
        Err(PdfError::TooLarge { max: 1000, .. })
    ));
    let small = PdfLimits {
        max_cms_bytes: 1000,
        ..PdfLimits::default()
    };
    let report = verify_pdf_with_limits(&signed, &options, &small).unwrap();
    assert!(matches!(
        report.verdict(),
        Err(PdfRefusal::CmsTooLarge { max: 1000, .. })
    ));
}

fn options_for_agency() -> PdfSignOptions {
    options("agency", "chain-ca1.pem", SIGNED_AT)
}

#[test]
fn signing_refuses_a_certificate_that_does_not_hold_the_key() {
    let err = sign_pdf(
        &unsigned(),
        &key("agency"),
        &options("person-cccd", "chain-ca1.pem", SIGNED_AT),
    )
    .unwrap_err();
    assert!(matches!(err, PdfError::KeyMismatch), "{err}");
    let err = sign_pdf(
        &unsigned(),
        &key("agency"),
        &PdfSignOptions::new(Vec::new(), time(SIGNED_AT)),
    )
    .unwrap_err();
    assert!(matches!(err, PdfError::NoCertificate), "{err}");

    let mut too_small = options_for_agency();
    too_small.contents_reserve = Some(1000);
    let err = sign_pdf(&unsigned(), &key("agency"), &too_small).unwrap_err();
    assert!(
        matches!(err, PdfError::ContentsTooSmall { reserved: 1000, .. }),
        "{err}"
    );

    // RSASSA-PSS would need its parameters in the CMS: not written.
    let mut pss = options_for_agency();
    pss.scheme = Some(hoso_pki::SignatureScheme::RsaPssSha256);
    let err = sign_pdf(&unsigned(), &key("agency"), &pss).unwrap_err();
    assert!(
        matches!(err, PdfError::UnsupportedScheme("RSA-PSS-SHA256")),
        "{err}"
    );
}

#[test]
fn damaged_files_are_refused_without_panicking() {
    // Untrusted input never panics: bytes changed at pseudo-random places
    // (structure, dictionaries, the CMS) and files cut short.
    let signed = signed();
    let trust = trust();
    let options = VerifyOptions::new(&trust, time(AT));
    let mut seed: u64 = 0x2026_1127;
    let mut next = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    // Most of the interesting bytes are in the update at the end.
    let update = signed.len() - 15_200;
    let mut accepted = 0;
    for i in 0..1500 {
        let mut pdf = signed.clone();
        let at = if i % 2 == 0 {
            next() % signed.len()
        } else {
            update + next() % (signed.len() - update)
        };
        pdf[at] = [b'0', b' ', b'/', b'<', b'>', b'R', b'9', 0x80][next() % 8];
        if let Ok(report) = verify_pdf(&pdf, &options)
            && report.verdict().is_ok()
        {
            accepted += 1;
            // Only bytes outside what is signed: the /Contents string (the
            // padding, or the copies of CA certificates that the CMS
            // carries unsigned and that path building does not need).
            let [_, a, b, _] = byte_range(&signed);
            assert!(pdf == signed || (a..b).contains(&at), "byte {at}");
        }
    }
    assert!(accepted < 1500);
    for cut in (0..signed.len()).step_by(97) {
        let _ = verify_pdf(&signed[..cut], &options);
    }
}
