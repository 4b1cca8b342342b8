//! PAdES baseline B-B signatures (ETSI EN 319 142-1) for the receipts, and
//! their verification under the same PKI policy as forms.
//!
//! Signing appends an incremental update to the PDF: the original bytes are
//! kept as they are, and the update adds a signature dictionary
//! (`/SubFilter /ETSI.CAdES.detached`), an invisible signature field on the
//! first page, new versions of the catalog (with `/AcroForm`) and of that
//! page (with `/Annots`), a cross-reference section and a trailer.  The CMS
//! is a detached SignedData over the `/ByteRange` (everything but the
//! `/Contents` hex string) with the signed attributes contentType,
//! messageDigest and signingCertificateV2; the signing time is `/M`, which is
//! the signer's claim (a B-B signature has no timestamp).
//!
//! Only classic files are read (cross-reference tables, as pdf-writer
//! writes): cross-reference streams and encrypted files are refused with a
//! typed error, never rewritten blindly.

use std::fmt::Write as _;
use std::ops::Range;

use der::Decode;
use hoso_dsig::report::{Lang, describe_id, revocation_text, validity_text};
use hoso_dsig::{SigningKey, VerifyOptions};
use hoso_pki::{
    Certificate, ChainStatus, EcdsaEncoding, Identity, PublicKey, RevocationStatus,
    SignatureScheme, Timestamp,
};

use crate::cms::{self, CmsDigest};
use crate::pdf::{self, Dict, Document, Obj};

/// Digits reserved for each number of `/ByteRange` (files up to 10 GB).
const BYTE_RANGE_DIGITS: usize = 10;

/// Errors that stop signing, or stop a PDF from being read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The input does not start with `%PDF-`.
    #[error("not a PDF file (no %PDF- header)")]
    NotPdf,
    /// The file is larger than the limit.
    #[error("the PDF is {len} bytes, more than the {max} accepted")]
    TooLarge {
        /// Its size.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The file's structure is broken where hoso reads it.
    #[error("malformed PDF at byte {offset}: {what}")]
    Malformed {
        /// Byte offset in the file (0 when not known).
        offset: usize,
        /// What is wrong.
        what: String,
    },
    /// A cross-reference stream (PDF 1.5 compressed structure, or a hybrid
    /// file): hoso reads classic cross-reference tables only.
    #[error(
        "the PDF uses a cross-reference stream (at byte {offset}); only classic xref tables are read"
    )]
    XrefStream {
        /// Where the stream (or the /XRefStm pointing to it) is.
        offset: usize,
    },
    /// The file is encrypted.
    #[error("the PDF is encrypted; encrypted files are not signed or verified")]
    Encrypted,
    /// A structure hoso does not rewrite or read (named).
    #[error("unsupported PDF structure: {0}")]
    Unsupported(String),
    /// A limit of the reader was reached.
    #[error("the PDF has more {what} than the {max} accepted")]
    Limit {
        /// What was counted.
        what: &'static str,
        /// The limit.
        max: usize,
    },
    /// No signer certificate was given.
    #[error("a signer certificate is needed: the CMS carries the certificate chain")]
    NoCertificate,
    /// The first certificate's public key is not the signing key's.
    #[error("the signer certificate does not hold the signing key's public key")]
    KeyMismatch,
    /// A signature scheme hoso does not write in CMS.
    #[error(
        "the signature scheme {0} is not written in PAdES signatures (RSA PKCS#1 v1.5 with SHA-2, ECDSA P-256/P-384)"
    )]
    UnsupportedScheme(&'static str),
    /// The key failed to sign, or does not fit the scheme.
    #[error(transparent)]
    Sign(#[from] hoso_dsig::SignError),
    /// The CMS is larger than the room reserved for it in `/Contents`.
    #[error("the CMS signature needs {needed} bytes but only {reserved} were reserved")]
    ContentsTooSmall {
        /// Its size.
        needed: usize,
        /// The room.
        reserved: usize,
    },
    /// DER encoding failed.
    #[error("cannot encode the CMS signature: {0}")]
    Encoding(String),
}

impl PdfError {
    /// The message in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            PdfError::NotPdf => "không phải tệp PDF (thiếu phần đầu %PDF-)".into(),
            PdfError::TooLarge { len, max } => {
                format!("tệp PDF dài {len} byte, vượt mức {max} byte được chấp nhận")
            }
            PdfError::Malformed { offset, what } => {
                format!("tệp PDF sai cấu trúc tại byte {offset}: {what}")
            }
            PdfError::XrefStream { offset } => format!(
                "tệp PDF dùng luồng tham chiếu chéo (xref stream, tại byte {offset}); chỉ đọc bảng xref cổ điển"
            ),
            PdfError::Encrypted => {
                "tệp PDF đã được mã hóa; không ký hoặc kiểm tra tệp mã hóa".into()
            }
            PdfError::Unsupported(what) => format!("cấu trúc PDF không được hỗ trợ: {what}"),
            PdfError::Limit { what, max } => {
                format!("tệp PDF có nhiều {what} hơn mức {max} được chấp nhận")
            }
            PdfError::NoCertificate => "cần chứng thư số của người ký".into(),
            PdfError::KeyMismatch => {
                "chứng thư số của người ký không chứa khóa công khai của khóa ký".into()
            }
            PdfError::UnsupportedScheme(s) => {
                format!("thuật toán ký {s} không dùng cho chữ ký PAdES")
            }
            PdfError::Sign(e) => format!("không ký được: {e}"),
            PdfError::ContentsTooSmall { needed, reserved } => {
                format!("chữ ký CMS cần {needed} byte nhưng chỉ dành sẵn {reserved} byte")
            }
            PdfError::Encoding(e) => format!("không mã hóa được chữ ký CMS: {e}"),
        }
    }
}

/// Why one signature of a PDF (or the whole document, under the receipt
/// policy) is refused, in English (`Display`) and Vietnamese
/// ([`PdfRefusal::vi`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PdfRefusal {
    /// The document carries no signature.
    #[error("the PDF carries no signature")]
    NoSignature,
    /// `/ByteRange` is missing, not four integers, out of bounds, not
    /// starting at 0, or its gap is not exactly the `/Contents` string.
    #[error("malformed /ByteRange: {0}")]
    BadByteRange(String),
    /// `/Contents` is missing, not a hex string, or holds more than the CMS.
    #[error("malformed /Contents: {0}")]
    BadContents(String),
    /// The CMS is larger than the limit.
    #[error("the CMS signature is {len} bytes, more than the {max} accepted")]
    CmsTooLarge {
        /// Its size.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A `/SubFilter` other than ETSI.CAdES.detached or adbe.pkcs7.detached.
    #[error("the signature format /SubFilter /{0} is not supported")]
    UnsupportedSubFilter(String),
    /// The CMS does not parse, or is not what PAdES says.
    #[error("malformed CMS signature: {0}")]
    BadCms(String),
    /// The CMS encapsulates its content: PAdES signatures are detached.
    #[error("the CMS encapsulates content; a PAdES signature must be detached")]
    NotDetached,
    /// An algorithm hoso does not verify.
    #[error("unsupported algorithm: {0}")]
    UnsupportedAlgorithm(String),
    /// SHA-1 (or a key under the minimum size) without the opt-in.
    #[error("{0} is weak and refused without the explicit opt-in for historical documents")]
    WeakAlgorithm(String),
    /// A signed attribute PAdES requires is missing.
    #[error("the signed attribute {0} is missing")]
    MissingAttribute(&'static str),
    /// The digest of the byte ranges is not messageDigest.
    #[error(
        "the digest of the signed bytes does not match: the document was changed after signing"
    )]
    DigestMismatch,
    /// The CMS holds no certificate the SignerInfo names.
    #[error("the CMS does not carry the signer's certificate")]
    NoCertificate,
    /// A certificate of the CMS does not parse.
    #[error("a certificate in the CMS does not parse: {0}")]
    BadCertificate(String),
    /// The signature value does not verify with the signer's key.
    #[error("the signature value does not verify with the signer's key: {0}")]
    BadSignature(String),
    /// signingCertificateV2 is missing (ETSI.CAdES.detached) or does not
    /// name the signer's certificate.
    #[error("the ESS signing-certificate attribute does not bind the certificate that signed")]
    SigningCertificateMismatch,
    /// `/M` is not a PDF date.
    #[error("the signing time /M {0:?} is not a valid PDF date")]
    BadSigningTime(String),
    /// The signer's certificate is not accepted.
    #[error("the signer's certificate is not accepted: {0}")]
    Untrusted(ChainStatus),
    /// Bytes were added after the last signature: it does not cover the
    /// whole document.
    #[error(
        "the last signature does not cover the whole document: {bytes_after} bytes ({updates_after} incremental updates) were added after it"
    )]
    NotWholeDocument {
        /// Bytes after the end of its byte range.
        bytes_after: usize,
        /// Cross-reference sections after it.
        updates_after: usize,
    },
}

impl PdfRefusal {
    /// The message in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            PdfRefusal::NoSignature => "tệp PDF không có chữ ký số".into(),
            PdfRefusal::BadByteRange(w) => format!("/ByteRange sai: {w}"),
            PdfRefusal::BadContents(w) => format!("/Contents sai: {w}"),
            PdfRefusal::CmsTooLarge { len, max } => {
                format!("chữ ký CMS dài {len} byte, vượt mức {max} byte được chấp nhận")
            }
            PdfRefusal::UnsupportedSubFilter(s) => {
                format!("định dạng chữ ký /SubFilter /{s} không được hỗ trợ")
            }
            PdfRefusal::BadCms(w) => format!("chữ ký CMS sai cấu trúc: {w}"),
            PdfRefusal::NotDetached => {
                "chữ ký CMS chứa luôn nội dung; chữ ký PAdES phải tách rời".into()
            }
            PdfRefusal::UnsupportedAlgorithm(a) => format!("thuật toán không được hỗ trợ: {a}"),
            PdfRefusal::WeakAlgorithm(a) => format!(
                "{a} là thuật toán yếu, chỉ chấp nhận khi cho phép rõ ràng đối với tài liệu cũ"
            ),
            PdfRefusal::MissingAttribute(a) => format!("thiếu thuộc tính được ký {a}"),
            PdfRefusal::DigestMismatch => {
                "giá trị băm của phần đã ký không khớp: tài liệu đã bị thay đổi sau khi ký".into()
            }
            PdfRefusal::NoCertificate => "chữ ký CMS không kèm chứng thư số của người ký".into(),
            PdfRefusal::BadCertificate(e) => {
                format!("một chứng thư số trong chữ ký CMS không đọc được: {e}")
            }
            PdfRefusal::BadSignature(e) => {
                format!("giá trị chữ ký không khớp với khóa của người ký: {e}")
            }
            PdfRefusal::SigningCertificateMismatch => {
                "thuộc tính signingCertificate (ESS) không gắn với chứng thư số đã ký".into()
            }
            PdfRefusal::BadSigningTime(t) => {
                format!("thời điểm ký /M {t:?} không phải ngày giờ PDF hợp lệ")
            }
            PdfRefusal::Untrusted(status) => format!(
                "chứng thư số của người ký không được chấp nhận: {}",
                status.vi()
            ),
            PdfRefusal::NotWholeDocument {
                bytes_after,
                updates_after,
            } => format!(
                "chữ ký cuối cùng không bao phủ toàn bộ tài liệu: {bytes_after} byte ({updates_after} lần cập nhật) được thêm vào sau khi ký"
            ),
        }
    }
}

/// How to sign a PDF.
#[derive(Debug, Clone)]
pub struct PdfSignOptions {
    /// The signer's certificate first, then the chain to carry in the CMS.
    pub certificates: Vec<Certificate>,
    /// The signing time written as `/M` (the caller's clock: a claim).
    pub signing_time: Timestamp,
    /// The signature scheme; the key's default when `None`.
    pub scheme: Option<SignatureScheme>,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// `/Name` (readers take the name from the certificate when absent).
    pub name: Option<String>,
    /// Bytes reserved for the CMS in `/Contents`; computed from the
    /// certificates and the key when `None`.
    pub contents_reserve: Option<usize>,
}

impl PdfSignOptions {
    /// Options with the key's default scheme and no reason, location or
    /// name.
    pub fn new(certificates: Vec<Certificate>, signing_time: Timestamp) -> Self {
        PdfSignOptions {
            certificates,
            signing_time,
            scheme: None,
            reason: None,
            location: None,
            name: None,
            contents_reserve: None,
        }
    }
}

/// The limits of PDF verification; every one is a typed error when
/// exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfLimits {
    /// Largest PDF verified ([`PdfError::TooLarge`]); default 64 MiB.
    pub max_pdf_bytes: usize,
    /// Most signatures in one document ([`PdfError::Limit`]); default 16.
    pub max_signatures: usize,
    /// Largest CMS of one signature ([`PdfRefusal::CmsTooLarge`]); default
    /// 512 KiB.
    pub max_cms_bytes: usize,
    /// Most form fields walked to find signatures ([`PdfError::Limit`]);
    /// default 10,000.
    pub max_fields: usize,
}

impl Default for PdfLimits {
    fn default() -> Self {
        PdfLimits {
            max_pdf_bytes: 64 << 20,
            max_signatures: 16,
            max_cms_bytes: 512 << 10,
            max_fields: 10_000,
        }
    }
}

/// The signing time of a PDF signature: `/M`, what the signer's software
/// claims (a B-B signature has no timestamp by a third party).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfSigningTime {
    /// The claimed time.
    pub time: Timestamp,
    /// The value as written (`D:20261127080000Z`).
    pub text: String,
}

/// Something a verifier should know that does not make the signature
/// invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PdfWarning {
    /// A weak algorithm was accepted under the legacy policy.
    WeakAlgorithm(String),
    /// The signature has no `/M`: certificates were checked at the
    /// verification time.
    NoSigningTime,
    /// The CMS carries a signing-time attribute, which PAdES baseline
    /// signatures must not; `/M` was used.
    CmsSigningTimeIgnored,
    /// adbe.pkcs7.detached without an ESS signing-certificate attribute:
    /// nothing binds the certificate to the signature (PAdES would).
    NoSigningCertificateAttribute,
    /// A warning from certificate path validation.
    Pki(hoso_pki::Warning),
}

impl PdfWarning {
    /// The warning as people read it, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            // Worded as for XML signatures.
            (PdfWarning::WeakAlgorithm(a), _) => hoso_dsig::report::warning_text(
                &hoso_dsig::Warning::WeakAlgorithm(a.clone()),
                lang,
            ),
            (PdfWarning::NoSigningTime, Lang::Vi) => {
                "chữ ký không ghi thời điểm ký (/M); chứng thư số được kiểm tra tại thời điểm kiểm tra".into()
            }
            (PdfWarning::NoSigningTime, Lang::En) => {
                "the signature gives no signing time (/M); certificates were checked at the verification time".into()
            }
            (PdfWarning::CmsSigningTimeIgnored, Lang::Vi) => {
                "chữ ký CMS có thuộc tính signing-time (PAdES không cho phép); dùng /M".into()
            }
            (PdfWarning::CmsSigningTimeIgnored, Lang::En) => {
                "the CMS carries a signing-time attribute, which PAdES forbids; /M was used".into()
            }
            (PdfWarning::NoSigningCertificateAttribute, Lang::Vi) => {
                "chữ ký adbe.pkcs7.detached không có thuộc tính signingCertificate: không có gì gắn chứng thư số với chữ ký".into()
            }
            (PdfWarning::NoSigningCertificateAttribute, Lang::En) => {
                "adbe.pkcs7.detached without a signing-certificate attribute: nothing binds the certificate to the signature".into()
            }
            (PdfWarning::Pki(w), Lang::Vi) => w.vi(),
            (PdfWarning::Pki(w), Lang::En) => w.to_string(),
        }
    }
}

/// The verification of one signature of a PDF.
#[derive(Debug, Clone)]
pub struct PdfSignatureReport {
    /// 1-based position, in the order the signatures were made (by the
    /// end of their byte range).
    pub index: usize,
    /// The signature field's name (`/T`).
    pub field: String,
    /// `/SubFilter`.
    pub sub_filter: String,
    /// `/ByteRange` as read: `[0, a, b, c]`.
    pub byte_range: [usize; 4],
    /// Length of the revision the signature covers (`b + c`): read what was
    /// signed from the first `signed_len` bytes of the file.
    pub signed_len: usize,
    /// Whether the byte range reaches the end of the file: the signature
    /// covers the whole document as it is.
    pub covers_whole_document: bool,
    /// Bytes of the file after the signed revision.
    pub bytes_after: usize,
    /// Incremental updates (cross-reference sections) after the signed
    /// revision.
    pub updates_after: usize,
    /// Digest, signature and ESS checks: `Ok` when they all hold.
    pub integrity: Result<(), PdfRefusal>,
    /// The certificate whose key verified the signature.
    pub signer: Option<Certificate>,
    /// The signer's common name.
    pub signer_name: Option<String>,
    /// The signer's identity (UID, organizationIdentifier).
    pub identity: Option<Identity>,
    /// The certificate path, signer first.
    pub chain: Vec<Certificate>,
    /// The result of path validation (`None` when integrity failed first).
    pub chain_status: Option<ChainStatus>,
    /// Revocation of the signer.
    pub revocation: RevocationStatus,
    /// `/M`: the signing time the signer claims.
    pub signing_time: Option<PdfSigningTime>,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// `/Name`.
    pub name: Option<String>,
    /// The digest algorithm of the CMS.
    pub digest: Option<CmsDigest>,
    /// The signature scheme of the CMS.
    pub scheme: Option<SignatureScheme>,
    /// Warnings.
    pub warnings: Vec<PdfWarning>,
}

impl PdfSignatureReport {
    fn new(field: String) -> Self {
        PdfSignatureReport {
            index: 0,
            field,
            sub_filter: String::new(),
            byte_range: [0; 4],
            signed_len: 0,
            covers_whole_document: false,
            bytes_after: 0,
            updates_after: 0,
            integrity: Err(PdfRefusal::BadCms("not verified".into())),
            signer: None,
            signer_name: None,
            identity: None,
            chain: Vec::new(),
            chain_status: None,
            revocation: RevocationStatus::NotChecked,
            signing_time: None,
            reason: None,
            location: None,
            name: None,
            digest: None,
            scheme: None,
            warnings: Vec::new(),
        }
    }

    /// Whether integrity holds and the signer chains to a trust anchor
    /// under the policy (coverage is the document's question: see
    /// [`PdfReport::verdict`]).
    pub fn is_valid(&self) -> bool {
        self.integrity.is_ok() && self.chain_status == Some(ChainStatus::Trusted)
    }

    /// Why this signature is not valid, if it is not.
    pub fn refusal(&self) -> Option<PdfRefusal> {
        if let Err(refusal) = &self.integrity {
            return Some(refusal.clone());
        }
        match &self.chain_status {
            Some(ChainStatus::Trusted) => None,
            Some(ChainStatus::WeakKey { subject, detail }) => Some(PdfRefusal::WeakAlgorithm(
                format!("the key of {subject} ({detail})"),
            )),
            Some(ChainStatus::WeakAlgorithm { detail }) => {
                Some(PdfRefusal::WeakAlgorithm(detail.clone()))
            }
            Some(status) => Some(PdfRefusal::Untrusted(status.clone())),
            None => Some(PdfRefusal::BadCms("the signer was not validated".into())),
        }
    }

    /// The report as people read it (Annex II of Circular 15/2025: signer,
    /// issuer, signing time, integrity, validity), in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let pick = |vi: &str, en: &str| match lang {
            Lang::Vi => vi.to_string(),
            Lang::En => en.to_string(),
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} ({})",
            pick("Chữ ký", "Signature"),
            self.index,
            self.field
        );
        let mut line = |vi: &str, en: &str, value: String| {
            let label = match lang {
                Lang::Vi => vi,
                Lang::En => en,
            };
            let _ = writeln!(out, "  {label}: {value}");
        };
        match &self.signer {
            Some(signer) => {
                line("Người ký", "Subject", signer.subject());
                line("Tổ chức cấp chứng thư", "Issuer", signer.issuer());
                if let Some(identity) = &self.identity
                    && !identity.ids.is_empty()
                {
                    let ids: Vec<String> = identity
                        .ids
                        .iter()
                        .map(|id| describe_id(id, lang))
                        .collect();
                    line("Định danh", "Identity", ids.join("; "));
                }
                line(
                    "Hiệu lực chứng thư",
                    "Certificate validity",
                    format!("{} – {}", signer.not_before(), signer.not_after()),
                );
            }
            None => line("Người ký", "Subject", pick("không xác định", "unknown")),
        }
        let time = match &self.signing_time {
            Some(t) => format!(
                "{} ({})",
                t.time,
                pick(
                    "do người ký khai trong /M của chữ ký PDF",
                    "claimed by the signer in the PDF signature's /M"
                )
            ),
            None => pick("không có", "none given"),
        };
        line("Thời điểm ký", "Signing time", time);
        if let Some(reason) = &self.reason {
            line("Lý do", "Reason", reason.clone());
        }
        if let Some(location) = &self.location {
            line("Nơi ký", "Location", location.clone());
        }
        let integrity = match (&self.integrity, lang) {
            (Ok(()), Lang::Vi) => "nội dung đã ký không bị thay đổi".to_string(),
            (Ok(()), Lang::En) => "the signed content is unchanged".to_string(),
            (Err(r), Lang::Vi) => format!("KHÔNG TOÀN VẸN: {}", r.vi()),
            (Err(r), Lang::En) => format!("BROKEN: {r}"),
        };
        line("Tính toàn vẹn", "Integrity", integrity);
        let coverage = if self.covers_whole_document {
            pick("toàn bộ tài liệu", "the whole document")
        } else {
            match lang {
                Lang::Vi => format!(
                    "một phiên bản trước của tài liệu ({} byte đầu); {} byte ({} lần cập nhật) được thêm vào sau khi ký",
                    self.signed_len, self.bytes_after, self.updates_after
                ),
                Lang::En => format!(
                    "an earlier revision (the first {} bytes); {} bytes ({} incremental updates) were added after signing",
                    self.signed_len, self.bytes_after, self.updates_after
                ),
            }
        };
        line("Phạm vi ký", "Covers", coverage);
        line(
            "Hiệu lực",
            "Validity",
            validity_text(self.chain_status.as_ref(), lang),
        );
        line(
            "Thu hồi",
            "Revocation",
            revocation_text(&self.revocation, lang),
        );
        line(
            "Thuật toán",
            "Algorithms",
            self.algorithm_names().join(", "),
        );
        for warning in &self.warnings {
            line("Cảnh báo", "Warning", warning.text(lang));
        }
        let verdict = if self.is_valid() {
            pick("CHỮ KÝ HỢP LỆ", "SIGNATURE VALID")
        } else {
            pick("CHỮ KÝ KHÔNG HỢP LỆ", "SIGNATURE NOT VALID")
        };
        let _ = writeln!(out, "  => {verdict}");
        out
    }

    /// The names of the algorithms used: `["RSA-PKCS1-SHA256", "SHA-256"]`.
    pub fn algorithm_names(&self) -> Vec<&'static str> {
        self.scheme
            .map(SignatureScheme::name)
            .into_iter()
            .chain(self.digest.map(CmsDigest::name))
            .collect()
    }
}

/// Every signature of a PDF, each verified on its own.
#[derive(Debug, Clone)]
pub struct PdfReport {
    /// The signatures in the order they were made.
    pub signatures: Vec<PdfSignatureReport>,
    /// The file's size.
    pub file_len: usize,
}

impl PdfReport {
    /// The receipt policy: at least one signature, every signature valid
    /// and trusted, and the last one covering the whole document (nothing
    /// was added after it).  The first reason to refuse, if any.
    pub fn verdict(&self) -> Result<(), PdfRefusal> {
        let last = self.signatures.last().ok_or(PdfRefusal::NoSignature)?;
        if let Some(refusal) = self.signatures.iter().find_map(|s| s.refusal()) {
            return Err(refusal);
        }
        if !last.covers_whole_document {
            return Err(PdfRefusal::NotWholeDocument {
                bytes_after: last.bytes_after,
                updates_after: last.updates_after,
            });
        }
        Ok(())
    }

    /// Whether every signature is valid (and there is at least one),
    /// whatever it covers: what `--all` accepts for received documents.
    pub fn all_valid(&self) -> bool {
        !self.signatures.is_empty() && self.signatures.iter().all(|s| s.is_valid())
    }
}

// ---------------------------------------------------------------- signing

/// Signs `pdf` with a PAdES baseline B-B signature, appended as an
/// incremental update; the original bytes are kept unchanged at the start
/// of the result.
///
/// The signer's certificate (first of [`PdfSignOptions::certificates`])
/// must hold the key's public key.  RSA keys sign with PKCS#1 v1.5
/// (sha256WithRSAEncryption by default), ECDSA keys with
/// ecdsa-with-SHA256 (P-256) or ecdsa-with-SHA384 (P-384).
///
/// ```
/// use hoso_dsig::{SigningKey, VerifyOptions};
/// use hoso_pki::{Certificate, Timestamp, TrustStore};
/// use hoso_receipt::{FeeReceipt, Font, PdfSignOptions, fee_receipt_pdf, sign_pdf, verify_pdf};
///
/// let test = concat!(env!("CARGO_MANIFEST_DIR"), "/../../certs/test");
/// let read = |p: &str| std::fs::read(format!("{test}/{p}")).unwrap();
/// let font = Font::load(Font::DEFAULT_PATH.as_ref())?;
/// let receipt = FeeReceipt { number: "0000042".into(), ..Default::default() };
/// let pdf = fee_receipt_pdf(&receipt, &font)?;
///
/// // The TEST agency key, its certificate, then CA 1 and the root.
/// let key = SigningKey::from_pem(&read("signers/agency.key.pem"))?;
/// let mut certificates = Certificate::from_pem(&read("signers/agency.pem"))?;
/// certificates.extend(Certificate::from_pem(&read("chain-ca1.pem"))?);
/// let mut options =
///     PdfSignOptions::new(certificates, Timestamp::parse_rfc3339("2026-11-27T08:00:00Z")?);
/// options.reason = Some("Biên lai thu phí, lệ phí".into());
/// let signed = sign_pdf(&pdf, &key, &options)?;
/// assert!(signed.starts_with(&pdf), "an incremental update");
///
/// let mut trust = TrustStore::new();
/// trust.add_anchor(Certificate::from_pem(&read("ca/root.pem"))?.remove(0));
/// let at = Timestamp::parse_rfc3339("2030-01-01T00:00:00Z")?;
/// let report = verify_pdf(&signed, &VerifyOptions::new(&trust, at))?;
/// assert_eq!(report.verdict(), Ok(()));
/// assert_eq!(
///     report.signatures[0].signer_name.as_deref(),
///     Some("TEST Sở Tài nguyên và Môi trường Tuyên Quang")
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign_pdf(
    pdf: &[u8],
    key: &SigningKey,
    options: &PdfSignOptions,
) -> Result<Vec<u8>, PdfError> {
    let signer = options
        .certificates
        .first()
        .ok_or(PdfError::NoCertificate)?;
    let key_bytes = key.public_key_bytes();
    let matches = match signer.public_key() {
        PublicKey::Rsa { key, .. } => key.as_bytes() == key_bytes.as_slice(),
        PublicKey::EcP256 { point } | PublicKey::EcP384 { point } => {
            point.as_bytes() == key_bytes.as_slice()
        }
        PublicKey::Ed25519 { key } => key.as_bytes() == key_bytes.as_slice(),
        _ => false,
    };
    if !matches {
        return Err(PdfError::KeyMismatch);
    }
    let scheme = options.scheme.unwrap_or_else(|| key.default_scheme());
    let (digest, signature_algorithm) = cms::scheme_algorithms(scheme)?;
    let signer_x509 = x509_cert::Certificate::from_der(signer.der())
        .map_err(|e| PdfError::Encoding(e.to_string()))?;

    let reserve = options.contents_reserve.unwrap_or_else(|| {
        let certs: usize = options.certificates.iter().map(|c| c.der().len()).sum();
        (certs + key_bytes.len() + 2048).div_ceil(1024) * 1024
    });

    let (mut out, placeholder, contents_at) = incremental_update(pdf, options, reserve)?;

    // The byte range: everything but the /Contents hex string.
    let gap_start = contents_at;
    let gap_end = contents_at + 2 + 2 * reserve;
    let ranges = [0, gap_start, gap_end, out.len() - gap_end];
    let mut text = format!("{} {} {} {}", ranges[0], ranges[1], ranges[2], ranges[3]);
    if text.len() > BYTE_RANGE_PLACEHOLDER.len() {
        return Err(PdfError::Limit {
            what: "bytes (for /ByteRange)",
            max: 10usize.pow(BYTE_RANGE_DIGITS as u32) - 1,
        });
    }
    while text.len() < BYTE_RANGE_PLACEHOLDER.len() {
        text.push(' ');
    }
    out[placeholder..placeholder + text.len()].copy_from_slice(text.as_bytes());

    let mut context = digest.context();
    context.update(&out[..gap_start]);
    context.update(&out[gap_end..]);
    let message_digest = context.finish();

    let attrs = cms::signed_attributes(message_digest.as_ref(), &signer_x509, signer.der())?;
    let to_sign = cms::attributes_der(&attrs)?;
    let raw = key.sign(scheme, &to_sign)?;
    let signature = match scheme {
        SignatureScheme::EcdsaP256Sha256 | SignatureScheme::EcdsaP384Sha384 => {
            cms::ecdsa_der(&raw)?
        }
        _ => raw,
    };
    let cms = cms::assemble(
        digest,
        signature_algorithm,
        attrs,
        &signature,
        &signer_x509,
        &options.certificates,
    )?;
    if cms.len() > reserve {
        return Err(PdfError::ContentsTooSmall {
            needed: cms.len(),
            reserved: reserve,
        });
    }
    let hex = to_hex(&cms);
    out[gap_start + 1..gap_start + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(out)
}

const BYTE_RANGE_PLACEHOLDER: &str = "0 0000000000 0000000000 0000000000";

fn to_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02X}");
    }
    s
}

/// `D:YYYYMMDDHHmmSSZ`.
fn pdf_date(t: Timestamp) -> String {
    let (y, mo, d, h, mi, s) = t.to_utc();
    format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z")
}

/// Writes the update with a zeroed `/Contents` of `reserve` bytes; returns
/// the new file, the offset of the `/ByteRange` placeholder and that of the
/// `<` of `/Contents`.
fn incremental_update(
    pdf: &[u8],
    options: &PdfSignOptions,
    reserve: usize,
) -> Result<(Vec<u8>, usize, usize), PdfError> {
    let doc = Document::parse(pdf)?;
    let (root, root_gen) = doc.root_ref()?;
    let mut catalog = doc.dict(&Obj::Ref(root, root_gen), "the catalog")?;
    let (page_num, mut page) = doc.first_page(&catalog)?;

    let size = match doc.trailer.get(b"Size") {
        Some(Obj::Int(n)) if *n > 0 && *n < i64::from(u32::MAX) - 2 => *n as u32,
        _ => {
            return Err(PdfError::Malformed {
                offset: doc.startxref,
                what: "the trailer has no valid /Size".into(),
            });
        }
    };
    let sig_num = size;
    let field_num = size + 1;

    // The AcroForm, inline in the new catalog: existing fields plus ours.
    let mut acroform = match catalog.get(b"AcroForm") {
        Some(obj) => doc.dict(obj, "/AcroForm")?,
        None => Dict::default(),
    };
    let mut fields = doc.array(acroform.get(b"Fields"), "/AcroForm /Fields")?;
    let mut names = Vec::new();
    for field in &fields {
        if let Ok(Obj::Dict(d)) = doc.resolve(field)
            && let Some(Obj::Str(span)) = d.get(b"T")
        {
            names.push(pdf::text_string(&pdf::string_bytes(pdf, span)));
        }
    }
    let field_name = (1..)
        .map(|n| format!("Signature{n}"))
        .find(|n| !names.contains(n))
        .expect("an unused name exists");
    fields.push(Obj::Ref(field_num, 0));
    let flags = match acroform.get(b"SigFlags") {
        Some(Obj::Int(f)) => f | 3,
        _ => 3,
    };
    acroform.set(b"Fields", Obj::Array(fields));
    acroform.set(b"SigFlags", Obj::Int(flags));
    catalog.set(b"AcroForm", Obj::Dict(acroform));

    let mut annots = doc.array(page.get(b"Annots"), "the page's /Annots")?;
    annots.push(Obj::Ref(field_num, 0));
    page.set(b"Annots", Obj::Array(annots));

    let mut out = Vec::with_capacity(pdf.len() + 2 * reserve + 4096);
    out.extend_from_slice(pdf);
    if !matches!(pdf.last(), Some(b'\n' | b'\r')) {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, u16, usize)> = Vec::new();

    // The signature dictionary.
    offsets.push((sig_num, 0, out.len()));
    out.extend_from_slice(format!("{sig_num} 0 obj\n").as_bytes());
    out.extend_from_slice(
        b"<</Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n/ByteRange [",
    );
    let byte_range_at = out.len();
    out.extend_from_slice(BYTE_RANGE_PLACEHOLDER.as_bytes());
    out.extend_from_slice(b"]\n/Contents ");
    let contents_at = out.len();
    out.push(b'<');
    out.resize(out.len() + 2 * reserve, b'0');
    out.extend_from_slice(b">\n/M ");
    out.extend_from_slice(pdf::encode_text(&pdf_date(options.signing_time)).as_slice());
    for (key, value) in [
        ("Name", &options.name),
        ("Reason", &options.reason),
        ("Location", &options.location),
    ] {
        if let Some(value) = value {
            out.extend_from_slice(format!("\n/{key} ").as_bytes());
            out.extend_from_slice(&pdf::encode_text(value));
        }
    }
    out.extend_from_slice(b">>\nendobj\n");

    // The invisible signature field and its widget, on the first page.
    offsets.push((field_num, 0, out.len()));
    out.extend_from_slice(
        format!(
            "{field_num} 0 obj\n<</Type /Annot\n/Subtype /Widget\n/FT /Sig\n/Rect [0 0 0 0]\n/F 132\n/P {page_num} {} R\n/T ",
            doc.generation(page_num)
        )
        .as_bytes(),
    );
    out.extend_from_slice(&pdf::encode_text(&field_name));
    out.extend_from_slice(format!("\n/V {sig_num} 0 R>>\nendobj\n").as_bytes());

    // New versions of the catalog and of the page.
    for (num, dict) in [(root, &catalog), (page_num, &page)] {
        let generation = doc.generation(num);
        offsets.push((num, generation, out.len()));
        out.extend_from_slice(format!("{num} {generation} obj\n").as_bytes());
        pdf::write_dict(dict, pdf, &mut out);
        out.extend_from_slice(b"\nendobj\n");
    }

    // The cross-reference section, in runs of consecutive numbers.
    offsets.sort_by_key(|(num, _, _)| *num);
    let xref_at = out.len();
    out.extend_from_slice(b"xref\n");
    let mut i = 0;
    while i < offsets.len() {
        let mut j = i + 1;
        while j < offsets.len() && offsets[j].0 == offsets[j - 1].0 + 1 {
            j += 1;
        }
        out.extend_from_slice(format!("{} {}\n", offsets[i].0, j - i).as_bytes());
        for (_, generation, offset) in &offsets[i..j] {
            out.extend_from_slice(format!("{offset:010} {generation:05} n\r\n").as_bytes());
        }
        i = j;
    }
    let mut trailer = Dict::default();
    trailer.set(b"Size", Obj::Int(i64::from(field_num) + 1));
    trailer.set(b"Root", Obj::Ref(root, root_gen));
    for key in [&b"Info"[..], b"ID"] {
        if let Some(value) = doc.trailer.get(key) {
            trailer.set(key, value.clone());
        }
    }
    trailer.set(b"Prev", Obj::Int(doc.startxref as i64));
    out.extend_from_slice(b"trailer\n");
    pdf::write_dict(&trailer, pdf, &mut out);
    out.extend_from_slice(format!("\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    Ok((out, byte_range_at, contents_at))
}

// ----------------------------------------------------------- verification

/// Verifies every signature of a PDF with the default [`PdfLimits`]; see
/// [`verify_pdf_with_limits`].
///
/// ```no_run
/// use hoso_dsig::VerifyOptions;
/// use hoso_pki::{Certificate, Timestamp, TrustStore};
///
/// let mut trust = TrustStore::new();
/// for root in Certificate::from_pem(&std::fs::read("certs/test/ca/root.pem")?)? {
///     trust.add_anchor(root);
/// }
/// let at = Timestamp::parse_rfc3339("2030-01-01T00:00:00Z")?;
/// let report = hoso_receipt::verify_pdf(&std::fs::read("receipt.pdf")?, &VerifyOptions::new(&trust, at))?;
/// match report.verdict() {
///     Ok(()) => println!("{}", report.signatures[0].signer_name.as_deref().unwrap_or("?")),
///     Err(refusal) => println!("refused: {}", refusal.vi()),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_pdf(pdf: &[u8], options: &VerifyOptions<'_>) -> Result<PdfReport, PdfError> {
    verify_pdf_with_limits(pdf, options, &PdfLimits::default())
}

/// Verifies every signature of a PDF on its own, under the certificate
/// policy of `options` (the same trust store, [`hoso_pki::Policy`],
/// revocation data and verification time as forms).
///
/// Each signature's byte range must start at 0, lie in the file, and leave
/// out exactly its `/Contents` hex string; the digest of the ranges must be
/// the CMS messageDigest; the signature must verify over the signed
/// attributes; signingCertificateV2 must name the signer's certificate; and
/// the certificate is validated with [`hoso_pki::TrustStore::validate`] at
/// the `/M` signing time (when [`VerifyOptions::use_claimed_signing_time`])
/// and the verification time.  Each problem is in that signature's report;
/// an `Err` means the file itself is refused (not a PDF, too large,
/// malformed, encrypted, a cross-reference stream, too many signatures).
/// [`PdfReport::verdict`] applies the receipt policy.
pub fn verify_pdf_with_limits(
    pdf: &[u8],
    options: &VerifyOptions<'_>,
    limits: &PdfLimits,
) -> Result<PdfReport, PdfError> {
    if pdf.len() > limits.max_pdf_bytes {
        return Err(PdfError::TooLarge {
            len: pdf.len(),
            max: limits.max_pdf_bytes,
        });
    }
    let doc = Document::parse(pdf)?;
    let sites = signature_sites(&doc, limits)?;
    let mut signatures: Vec<PdfSignatureReport> = sites
        .into_iter()
        .map(|site| verify_one(&doc, site, options, limits))
        .collect();
    signatures.sort_by_key(|s| s.signed_len);
    for (i, s) in signatures.iter_mut().enumerate() {
        s.index = i + 1;
    }
    Ok(PdfReport {
        signatures,
        file_len: pdf.len(),
    })
}

/// A signature field with its value.
struct Site {
    field: String,
    dict: Dict,
}

/// Finds the signature fields of the AcroForm (walking /Kids) and their
/// signature dictionaries.
fn signature_sites(doc: &Document<'_>, limits: &PdfLimits) -> Result<Vec<Site>, PdfError> {
    let (root, generation) = doc.root_ref()?;
    let catalog = doc.dict(&Obj::Ref(root, generation), "the catalog")?;
    let Some(acroform) = catalog.get(b"AcroForm") else {
        return Ok(Vec::new());
    };
    let acroform = doc.dict(acroform, "/AcroForm")?;
    // (field, inherited /FT, parent's name, depth)
    let mut stack: Vec<(Obj, Option<Vec<u8>>, String, usize)> = doc
        .array(acroform.get(b"Fields"), "/AcroForm /Fields")?
        .into_iter()
        .rev()
        .map(|f| (f, None, String::new(), 0))
        .collect();
    let mut sites: Vec<Site> = Vec::new();
    let mut seen_refs = std::collections::HashSet::new();
    let mut visited = 0usize;
    while let Some((field, inherited, parent, depth)) = stack.pop() {
        if let Obj::Ref(num, generation) = field
            && !seen_refs.insert((num, generation))
        {
            continue; // a field reached twice (or a /Kids cycle)
        }
        visited += 1;
        if visited > limits.max_fields {
            return Err(PdfError::Limit {
                what: "form fields",
                max: limits.max_fields,
            });
        }
        if depth > pdf::MAX_DEPTH {
            return Err(PdfError::Malformed {
                offset: 0,
                what: "form fields nested too deeply".into(),
            });
        }
        let Obj::Dict(dict) = doc.resolve(&field)? else {
            continue;
        };
        let field_type = dict.name(b"FT").map(<[u8]>::to_vec).or(inherited);
        let partial = match dict.get(b"T") {
            Some(Obj::Str(span)) => pdf::text_string(&pdf::string_bytes(doc.data, span)),
            _ => String::new(),
        };
        let name = match (parent.is_empty(), partial.is_empty()) {
            (true, _) => partial,
            (false, true) => parent.clone(),
            (false, false) => format!("{parent}.{partial}"),
        };
        let kids = doc.array(dict.get(b"Kids"), "/Kids")?;
        // Kids that are widgets only (no /T) belong to this field.
        if !kids.is_empty() && field_type.as_deref() != Some(b"Sig") {
            for kid in kids.into_iter().rev() {
                stack.push((kid, field_type.clone(), name.clone(), depth + 1));
            }
            continue;
        }
        if field_type.as_deref() != Some(b"Sig") {
            continue;
        }
        let Some(value) = dict.get(b"V") else {
            continue; // an empty signature field
        };
        let value = doc.dict(value, "a signature field's /V")?;
        if sites.iter().any(|s| s.dict.span == value.span) {
            continue;
        }
        if sites.len() >= limits.max_signatures {
            return Err(PdfError::Limit {
                what: "signatures",
                max: limits.max_signatures,
            });
        }
        sites.push(Site {
            field: name,
            dict: value,
        });
    }
    Ok(sites)
}

fn text_entry(doc: &Document<'_>, dict: &Dict, key: &[u8]) -> Option<String> {
    match dict.get(key) {
        Some(Obj::Str(span)) => Some(pdf::text_string(&pdf::string_bytes(doc.data, span))),
        _ => None,
    }
}

/// Parses a PDF date `D:YYYYMMDDHHmmSSOHH'mm'` (fields after the year
/// optional; no zone: UTC, as PDF 2.0 says).
fn parse_pdf_date(text: &str) -> Option<Timestamp> {
    let s = text.strip_prefix("D:").unwrap_or(text);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 || digits.len() > 14 || !digits.len().is_multiple_of(2) {
        return None;
    }
    let field = |at: usize, default: u32| -> u32 {
        digits
            .get(at..at + 2)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let year: i64 = digits[..4].parse().ok()?;
    let time = Timestamp::from_utc(
        year,
        field(4, 1),
        field(6, 1),
        field(8, 0),
        field(10, 0),
        field(12, 0),
    )?;
    let zone = &s[digits.len()..];
    let offset = match zone.chars().next() {
        None | Some('Z') => {
            if zone.len() > 1 && !zone[1..].trim_matches(|c| c == '0' || c == '\'').is_empty() {
                return None;
            }
            0
        }
        Some(sign @ ('+' | '-')) => {
            let rest: String = zone[1..].chars().filter(|c| *c != '\'').collect();
            if rest.len() < 2 || rest.len() > 4 || !rest.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let hours: i64 = rest[..2].parse().ok()?;
            let minutes: i64 = if rest.len() == 4 {
                rest[2..].parse().ok()?
            } else {
                0
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            let total = hours * 3600 + minutes * 60;
            if sign == '+' { total } else { -total }
        }
        Some(_) => return None,
    };
    Some(time.plus_seconds(-offset))
}

fn verify_one(
    doc: &Document<'_>,
    site: Site,
    options: &VerifyOptions<'_>,
    limits: &PdfLimits,
) -> PdfSignatureReport {
    let mut report = PdfSignatureReport::new(site.field);
    let dict = &site.dict;
    report.sub_filter = dict
        .name(b"SubFilter")
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    report.reason = text_entry(doc, dict, b"Reason");
    report.location = text_entry(doc, dict, b"Location");
    report.name = text_entry(doc, dict, b"Name");
    let certificates = match check_integrity(doc, dict, options, limits, &mut report) {
        Ok(certs) => {
            report.integrity = Ok(());
            certs
        }
        Err(refusal) => {
            report.integrity = Err(refusal);
            Vec::new()
        }
    };
    let len = doc.data.len();
    report.covers_whole_document = report.signed_len == len && report.signed_len > 0;
    report.bytes_after = len.saturating_sub(report.signed_len);
    report.updates_after = doc
        .sections
        .iter()
        .filter(|s| **s >= report.signed_len)
        .count();
    if report.integrity.is_ok()
        && let Some(signer) = report.signer.clone()
    {
        let validation = options.validate_signer(
            &signer,
            &certificates,
            report.signing_time.as_ref().map(|t| t.time),
        );
        let identity = signer.identity();
        report.signer_name = identity.common_name.clone();
        report.identity = Some(identity);
        report.chain = validation.chain;
        report.chain_status = Some(validation.status);
        report.revocation = validation.revocation;
        report
            .warnings
            .extend(validation.warnings.into_iter().map(PdfWarning::Pki));
    }
    report
}

fn weak(
    name: &str,
    options: &VerifyOptions<'_>,
    report: &mut PdfSignatureReport,
) -> Result<(), PdfRefusal> {
    if !options.policy.allow_weak {
        return Err(PdfRefusal::WeakAlgorithm(name.to_string()));
    }
    report
        .warnings
        .push(PdfWarning::WeakAlgorithm(name.to_string()));
    Ok(())
}

/// The checks up to the signer's certificate; returns the CMS certificates.
fn check_integrity(
    doc: &Document<'_>,
    dict: &Dict,
    options: &VerifyOptions<'_>,
    limits: &PdfLimits,
    report: &mut PdfSignatureReport,
) -> Result<Vec<Certificate>, PdfRefusal> {
    let data = doc.data;
    let cades = match report.sub_filter.as_str() {
        "ETSI.CAdES.detached" => true,
        "adbe.pkcs7.detached" => false,
        other => return Err(PdfRefusal::UnsupportedSubFilter(other.to_string())),
    };
    let range = byte_range(dict, data.len())?;
    report.byte_range = range;
    report.signed_len = range[2] + range[3];
    let contents = match dict.get(b"Contents") {
        Some(Obj::Str(span)) if data[span.start] == b'<' => span.clone(),
        Some(_) => {
            return Err(PdfRefusal::BadContents(
                "not a hex string written in the signature dictionary".into(),
            ));
        }
        None => return Err(PdfRefusal::BadContents("missing".into())),
    };
    if contents != (range[1]..range[2]) {
        return Err(PdfRefusal::BadByteRange(format!(
            "the gap {}..{} is not exactly the /Contents string at {}..{}",
            range[1], range[2], contents.start, contents.end
        )));
    }
    // Everything else of the signature dictionary must be signed.
    if dict.span.end > report.signed_len {
        return Err(PdfRefusal::BadByteRange(
            "the signature dictionary lies partly outside the signed bytes".into(),
        ));
    }
    let hex_len = contents.len() - 2;
    if hex_len / 2 > limits.max_cms_bytes {
        return Err(PdfRefusal::CmsTooLarge {
            len: hex_len / 2,
            max: limits.max_cms_bytes,
        });
    }
    let bytes = pdf::string_bytes(data, &contents);
    let cms_len = cms::der_len(&bytes)
        .ok_or_else(|| PdfRefusal::BadContents("does not start with a DER value".into()))?;
    if bytes[cms_len..].iter().any(|b| *b != 0) {
        return Err(PdfRefusal::BadContents(
            "bytes other than zero padding follow the CMS".into(),
        ));
    }
    let cms_der = &bytes[..cms_len];

    report.signing_time = match text_entry(doc, dict, b"M") {
        Some(text) => Some(PdfSigningTime {
            time: parse_pdf_date(text.trim())
                .ok_or_else(|| PdfRefusal::BadSigningTime(text.clone()))?,
            text,
        }),
        None => {
            report.warnings.push(PdfWarning::NoSigningTime);
            None
        }
    };

    let parsed = cms::parse(cms_der)?;
    report.digest = Some(parsed.digest);
    if parsed.digest.is_weak() {
        weak(parsed.digest.name(), options, report)?;
    }
    let scheme = cms::scheme_of(
        &parsed.signature_algorithm,
        parsed.signature_parameters.as_ref(),
        parsed.digest,
    )?;
    report.scheme = Some(scheme);
    if scheme.is_weak() {
        weak(scheme.name(), options, report)?;
    }
    if parsed.has_signing_time {
        report.warnings.push(PdfWarning::CmsSigningTimeIgnored);
    }

    // The digest of the byte ranges.
    let mut context = parsed.digest.context();
    context.update(&data[..range[1]]);
    context.update(&data[range[2]..range[2] + range[3]]);
    if context.finish().as_ref() != parsed.message_digest.as_slice() {
        return Err(PdfRefusal::DigestMismatch);
    }

    let mut certificates = Vec::with_capacity(parsed.certificates.len());
    for der in &parsed.certificates {
        certificates.push(
            options
                .trust
                .parse_certificate(der)
                .map_err(|e| PdfRefusal::BadCertificate(e.to_string()))?,
        );
    }
    let signer = certificates
        .iter()
        .find(|c| cms::names_signer(&parsed.signer, c))
        .cloned()
        .ok_or(PdfRefusal::NoCertificate)?;
    let scheme = scheme.for_key_curve(signer.public_key());
    report.scheme = Some(scheme);
    hoso_pki::verify_signature(
        signer.public_key(),
        scheme,
        EcdsaEncoding::Asn1,
        &parsed.signed_attrs,
        &parsed.signature,
        // The scheme's weakness was judged above; the key's size is judged
        // with the path (ChainStatus::WeakKey under the policy), as for
        // XML signatures.
        true,
    )
    .map_err(|e| PdfRefusal::BadSignature(e.to_string()))?;
    report.signer = Some(signer.clone());

    match &parsed.ess {
        Some(ids) => {
            if !ids.iter().any(|id| cms::ess_matches(id, &signer)) {
                return Err(PdfRefusal::SigningCertificateMismatch);
            }
            if let Some(weak_hash) = ids.iter().find(|id| id.digest.is_weak()) {
                // ESS v1 names certificates by SHA-1 only.
                weak(weak_hash.digest.name(), options, report)?;
            }
            if cades && !parsed.ess_v2 {
                return Err(PdfRefusal::MissingAttribute("signingCertificateV2"));
            }
        }
        None if cades => return Err(PdfRefusal::MissingAttribute("signingCertificateV2")),
        None => report
            .warnings
            .push(PdfWarning::NoSigningCertificateAttribute),
    }
    Ok(certificates)
}

/// Reads and checks `/ByteRange`: `[0 a b c]` with `0 < a < b`, `b + c`
/// within the file.
fn byte_range(dict: &Dict, len: usize) -> Result<[usize; 4], PdfRefusal> {
    let bad = |what: &str| PdfRefusal::BadByteRange(what.to_string());
    let Some(Obj::Array(items)) = dict.get(b"ByteRange") else {
        return Err(bad("missing or not an array"));
    };
    let mut range = [0usize; 4];
    if items.len() != 4 {
        return Err(bad(
            "not four integers (one signed gap is the only form read)",
        ));
    }
    for (slot, item) in range.iter_mut().zip(items) {
        match item {
            Obj::Int(n) if *n >= 0 => {
                *slot = usize::try_from(*n).map_err(|_| bad("a number out of range"))?;
            }
            _ => return Err(bad("not four non-negative integers")),
        }
    }
    if range[0] != 0 {
        return Err(bad("does not start at byte 0"));
    }
    if range[1] == 0 || range[2] < range[1] + 2 {
        return Err(bad("the gap is empty or reversed"));
    }
    match range[2].checked_add(range[3]) {
        Some(end) if end <= len => {}
        _ => return Err(bad("reaches past the end of the file")),
    }
    Ok(range)
}

/// The two byte ranges of `pdf` that a signature covers (its
/// `/ByteRange`), for callers that hash them or hand them to another tool
/// (`openssl cms -verify -content`).
pub fn signed_ranges<'a>(pdf: &'a [u8], report: &PdfSignatureReport) -> [&'a [u8]; 2] {
    let [_, a, b, c] = report.byte_range;
    let first: Range<usize> = 0..a.min(pdf.len());
    let second: Range<usize> = b.min(pdf.len())..(b + c).min(pdf.len());
    [&pdf[first], &pdf[second]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates() {
        let t = |s: &str| parse_pdf_date(s).map(|t| t.to_string());
        assert_eq!(
            t("D:20261127080000Z").as_deref(),
            Some("2026-11-27T08:00:00Z")
        );
        assert_eq!(
            t("D:20261127150000+07'00'").as_deref(),
            Some("2026-11-27T08:00:00Z")
        );
        assert_eq!(t("D:20261127").as_deref(), Some("2026-11-27T00:00:00Z"));
        assert_eq!(t("D:2026").as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(t("D:20261327"), None);
        assert_eq!(t("D:20261127080000X"), None);
        assert_eq!(t("yesterday"), None);
        assert_eq!(pdf_date(Timestamp::from_unix(0)), "D:19700101000000Z");
    }
}
