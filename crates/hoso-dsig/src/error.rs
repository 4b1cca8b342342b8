//! Why a document or a signature is refused, in English and Vietnamese.

use std::fmt;

/// A reason to refuse a signature (or a whole document), with a message in
/// English (`Display`) and in Vietnamese ([`Refusal::vi`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The document has no `ds:Signature`.
    NoSignature,
    /// The form policy accepts exactly one signature.
    SeveralSignatures(usize),
    /// Two elements carry the same Id.
    DuplicateId(String),
    /// A Reference names no element.
    UnknownReference(String),
    /// A Reference URI other than `""` or `#id`.
    UnsupportedUri(String),
    /// A transform other than enveloped-signature and canonicalization.
    UnsupportedTransform(String),
    /// The transforms are in an order hoso does not process.
    TransformOrder,
    /// An unknown or refused canonicalization method.
    UnsupportedCanonicalization(String),
    /// An unknown signature method.
    UnsupportedSignatureMethod(String),
    /// An HMAC signature method.
    HmacRefused(String),
    /// An unknown digest method.
    UnsupportedDigest(String),
    /// SHA-1 or another weak algorithm without the caller's opt-in.
    WeakAlgorithm(String),
    /// The element structure of the signature is not what XML-DSig says.
    Malformed(String),
    /// A base64 value does not decode.
    BadBase64(&'static str),
    /// No certificate in KeyInfo: keys from KeyValue or KeyName are refused.
    NoCertificate,
    /// A KeyInfo certificate does not parse.
    BadCertificate(String),
    /// A Reference's digest does not match.
    DigestMismatch(String),
    /// The signature value does not verify with the signer's key.
    BadSignatureValue(String),
    /// XAdES SigningCertificate(V2) is missing or does not bind the signer.
    SigningCertificateMismatch,
    /// The signature does not cover the document element.
    PartialCoverage,
    /// A Reference other than to the document element and SignedProperties.
    ExtraReference(String),
    /// A SigningTime value that does not parse.
    BadSigningTime(String),
    /// The signature subtree is larger than hoso accepts.
    SignatureTooLarge,
    /// The signer's certificate is not accepted.
    Untrusted(hoso_pki::ChainStatus),
    /// The document is not well-formed XML or is refused by the reader
    /// (DOCTYPE, limits...), with the reader's typed error and position.
    Xml(hoso_xml::Error),
    /// The input is not a JWS hoso can read: not JSON, not one of the JWS
    /// serializations, no payload, detached content, too large.
    BadJws(String),
    /// A JWS header that is not what RFC 7515 says (not a JSON object, a
    /// parameter of the wrong type or given twice, a certificate in `x5c`
    /// that does not parse, a thumbprint that does not match).
    JwsHeader(String),
    /// A JWS whose `alg` is `none`: it carries no signature.
    AlgNone,
    /// A JWS header parameter that matters to verification (`alg`, `x5c`,
    /// `crit`, the signing time, key references) in the unprotected header,
    /// where the signature does not cover it.
    UnprotectedHeaderParameter(String),
    /// A JWS `crit` names a header parameter hoso does not process.
    UnknownCritical(String),
    /// The protected JWS header carries no `x5c` certificate chain; the key
    /// it names instead (`jwk`, `jku`, `x5u`, `kid`), if any.
    JwsNoCertificate(Option<String>),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoSignature => write!(f, "the document carries no XML signature"),
            Refusal::SeveralSignatures(n) => write!(
                f,
                "the document carries {n} signatures; a submitted form must carry exactly one"
            ),
            Refusal::DuplicateId(id) => {
                write!(f, "the Id {id:?} is carried by more than one element")
            }
            Refusal::UnknownReference(uri) => {
                write!(f, "the reference {uri:?} names no element of the document")
            }
            Refusal::UnsupportedUri(uri) => write!(
                f,
                "the reference URI {uri:?} is not a same-document reference (\"\" or \"#id\")"
            ),
            Refusal::UnsupportedTransform(t) => write!(
                f,
                "the transform {t} is refused: only enveloped-signature and canonicalization are processed"
            ),
            Refusal::TransformOrder => write!(
                f,
                "the transforms must be enveloped-signature and then one canonicalization"
            ),
            Refusal::UnsupportedCanonicalization(c) => {
                write!(f, "the canonicalization method {c} is not supported")
            }
            Refusal::UnsupportedSignatureMethod(m) => {
                write!(f, "the signature method {m} is not supported")
            }
            Refusal::HmacRefused(m) => write!(
                f,
                "the signature method {m} is an HMAC, which cannot identify a signer"
            ),
            Refusal::UnsupportedDigest(d) => write!(f, "the digest method {d} is not supported"),
            Refusal::WeakAlgorithm(a) => write!(
                f,
                "{a} is weak and refused without the explicit opt-in for historical documents"
            ),
            Refusal::Malformed(what) => write!(f, "malformed signature: {what}"),
            Refusal::BadBase64(what) => write!(f, "{what} is not valid base64"),
            Refusal::NoCertificate => write!(
                f,
                "KeyInfo holds no X.509 certificate; keys given as KeyValue or KeyName are refused"
            ),
            Refusal::BadCertificate(e) => write!(f, "a KeyInfo certificate does not parse: {e}"),
            Refusal::DigestMismatch(uri) => write!(
                f,
                "the digest of reference {uri:?} does not match: the signed content was changed"
            ),
            Refusal::BadSignatureValue(e) => write!(
                f,
                "the signature value does not verify with the signer's key: {e}"
            ),
            Refusal::SigningCertificateMismatch => write!(
                f,
                "the XAdES SigningCertificate does not bind the certificate that signed"
            ),
            Refusal::PartialCoverage => {
                write!(f, "the signature does not cover the whole document")
            }
            Refusal::ExtraReference(uri) => write!(
                f,
                "the reference {uri:?} points at something other than the document element"
            ),
            Refusal::BadSigningTime(t) => {
                write!(f, "the signing time {t:?} is not a valid date and time")
            }
            Refusal::SignatureTooLarge => {
                write!(f, "the signature element is larger than hoso accepts")
            }
            Refusal::Untrusted(status) => {
                write!(f, "the signer's certificate is not accepted: {status}")
            }
            Refusal::Xml(e) => write!(f, "the document is refused as XML: {e}"),
            Refusal::BadJws(what) => write!(f, "the document is not a usable JWS: {what}"),
            Refusal::JwsHeader(what) => write!(f, "invalid JWS header: {what}"),
            Refusal::AlgNone => write!(f, "the JWS says alg \"none\": it carries no signature"),
            Refusal::UnprotectedHeaderParameter(name) => write!(
                f,
                "the JWS header parameter {name:?} must be in the protected header, and only there"
            ),
            Refusal::UnknownCritical(name) => write!(
                f,
                "the JWS header lists {name:?} as critical (crit), which hoso does not process"
            ),
            Refusal::JwsNoCertificate(None) => write!(
                f,
                "the protected JWS header carries no x5c certificate chain"
            ),
            Refusal::JwsNoCertificate(Some(given)) => write!(
                f,
                "the protected JWS header carries no x5c certificate chain; the key given by {given} is refused: keys must come from a certificate, and remote keys are never fetched"
            ),
        }
    }
}

impl Refusal {
    /// The message in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            Refusal::NoSignature => "tài liệu không có chữ ký số XML".into(),
            Refusal::SeveralSignatures(n) => format!("tài liệu có {n} chữ ký; hồ sơ nộp trực tuyến phải có đúng một chữ ký"),
            Refusal::DuplicateId(id) => format!("mã định danh (Id) {id:?} xuất hiện ở nhiều hơn một phần tử"),
            Refusal::UnknownReference(uri) => format!("tham chiếu {uri:?} không trỏ tới phần tử nào của tài liệu"),
            Refusal::UnsupportedUri(uri) => format!("URI tham chiếu {uri:?} không phải tham chiếu trong cùng tài liệu (\"\" hoặc \"#id\")"),
            Refusal::UnsupportedTransform(t) => format!("phép biến đổi {t} bị từ chối: chỉ xử lý enveloped-signature và chuẩn hóa"),
            Refusal::TransformOrder => "các phép biến đổi phải là enveloped-signature rồi đến một phép chuẩn hóa".into(),
            Refusal::UnsupportedCanonicalization(c) => format!("phương pháp chuẩn hóa {c} không được hỗ trợ"),
            Refusal::UnsupportedSignatureMethod(m) => format!("thuật toán ký {m} không được hỗ trợ"),
            Refusal::HmacRefused(m) => format!("thuật toán ký {m} là HMAC, không xác định được người ký"),
            Refusal::UnsupportedDigest(d) => format!("thuật toán băm {d} không được hỗ trợ"),
            Refusal::WeakAlgorithm(a) => format!("{a} là thuật toán yếu, chỉ chấp nhận khi cho phép rõ ràng đối với tài liệu cũ"),
            Refusal::Malformed(what) => format!("chữ ký sai cấu trúc: {what}"),
            Refusal::BadBase64(what) => format!("{what} không phải dữ liệu base64 hợp lệ"),
            Refusal::NoCertificate => "KeyInfo không chứa chứng thư số X.509; khóa cho dưới dạng KeyValue hoặc KeyName bị từ chối".into(),
            Refusal::BadCertificate(e) => format!("một chứng thư số trong KeyInfo không đọc được: {e}"),
            Refusal::DigestMismatch(uri) => format!("giá trị băm của tham chiếu {uri:?} không khớp: nội dung đã ký đã bị thay đổi"),
            Refusal::BadSignatureValue(e) => format!("giá trị chữ ký không khớp với khóa của người ký: {e}"),
            Refusal::SigningCertificateMismatch => "SigningCertificate (XAdES) không gắn với chứng thư số đã ký".into(),
            Refusal::PartialCoverage => "chữ ký không bao phủ toàn bộ tài liệu".into(),
            Refusal::ExtraReference(uri) => format!("tham chiếu {uri:?} trỏ tới phần khác ngoài phần tử gốc của tài liệu"),
            Refusal::BadSigningTime(t) => format!("thời điểm ký {t:?} không phải ngày giờ hợp lệ"),
            Refusal::SignatureTooLarge => "phần tử chữ ký lớn hơn mức hoso chấp nhận".into(),
            Refusal::Untrusted(status) => format!("chứng thư số của người ký không được chấp nhận: {}", status.vi()),
            // The reader's own message (position, what, why) is in English.
            Refusal::Xml(e) => format!("tài liệu không phải XML hợp lệ hoặc bị từ chối: {e}"),
            Refusal::BadJws(what) => format!("tài liệu không phải chữ ký JWS dùng được: {what}"),
            Refusal::JwsHeader(what) => format!("phần đầu (header) của JWS không hợp lệ: {what}"),
            Refusal::AlgNone => "JWS khai báo alg \"none\": tài liệu không có chữ ký".into(),
            Refusal::UnprotectedHeaderParameter(name) => format!("tham số {name:?} của JWS phải nằm trong phần đầu được bảo vệ (protected header), và chỉ ở đó"),
            Refusal::UnknownCritical(name) => format!("JWS đánh dấu tham số {name:?} là bắt buộc xử lý (crit) nhưng hoso không xử lý tham số này"),
            Refusal::JwsNoCertificate(None) => "phần đầu được bảo vệ của JWS không có chuỗi chứng thư số x5c".into(),
            Refusal::JwsNoCertificate(Some(given)) => format!("phần đầu được bảo vệ của JWS không có chuỗi chứng thư số x5c; khóa cho qua {given} bị từ chối: khóa phải lấy từ chứng thư số, và hoso không tải khóa từ xa"),
        }
    }
}

/// An error that stops verification of the whole document.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DsigError {
    /// The document is not well-formed or is refused by the XML reader.
    #[error(transparent)]
    Xml(#[from] hoso_xml::Error),
    /// A refusal that concerns the whole document.
    #[error("{refusal}")]
    Refused {
        /// Why.
        refusal: Refusal,
        /// Byte offset of the element concerned, when there is one.
        offset: Option<usize>,
    },
}
