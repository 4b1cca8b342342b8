//! What a validation found: the chain, its status, the revocation status of
//! the signer and warnings — each with English (`Display`) and Vietnamese
//! (`vi()`) text.

use std::fmt;

use crate::{Certificate, Timestamp};

/// The result of [`crate::TrustStore::validate`].
#[derive(Clone, Debug)]
pub struct Validation {
    /// The certification path, signer first and trust anchor last — as far
    /// as it could be built when no path reaches an anchor.
    pub chain: Vec<Certificate>,
    /// Why the path is or is not trusted.  The first failing rule wins.
    pub status: ChainStatus,
    /// The signer's revocation status at the signing time (or at the
    /// verification time when no signing time is given).
    pub revocation: RevocationStatus,
    /// Things a person should know even when the path is trusted.
    pub warnings: Vec<Warning>,
}

impl Validation {
    /// Whether the signer's certificate is trusted under the policy
    /// (`status` is [`ChainStatus::Trusted`]).  Warnings do not change this.
    pub fn is_trusted(&self) -> bool {
        self.status == ChainStatus::Trusted
    }
}

/// Why a certification path is or is not trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainStatus {
    /// A path to a trust anchor satisfies every rule of the policy.
    Trusted,
    /// No path from the signer reaches a trust anchor: an issuer is missing,
    /// or the path ends at a root that is not trusted.
    NoPathToAnchor,
    /// A certificate of the path had expired at the time checked.
    Expired {
        /// The expired certificate.
        subject: String,
        /// Its notAfter.
        not_after: Timestamp,
        /// The time it was checked at (signing or verification time).
        at: Timestamp,
    },
    /// A certificate of the path was not yet valid at the time checked.
    NotYetValid {
        /// The certificate.
        subject: String,
        /// Its notBefore.
        not_before: Timestamp,
        /// The time it was checked at.
        at: Timestamp,
    },
    /// The signer's certificate (or, with a [`Warning::RevokedIssuer`], an
    /// issuer's) was revoked at or before the signing time.
    Revoked {
        /// The revocation time.
        at: Timestamp,
        /// RFC 5280 reason name (`keyCompromise`, ...), when given.
        reason: Option<String>,
    },
    /// No usable CRL or OCSP response, and the policy requires one.
    RevocationUnknown,
    /// A key usage forbids the certificate's role in the path.
    KeyUsage {
        /// Which certificate and which bits.
        detail: String,
    },
    /// An issuer that is not a CA (basicConstraints missing or cA FALSE).
    NotACa {
        /// The issuer.
        subject: String,
    },
    /// A CA's pathLenConstraint is exceeded.
    PathLength {
        /// The CA whose constraint is exceeded.
        subject: String,
    },
    /// A key below the policy's minimum.
    WeakKey {
        /// The certificate.
        subject: String,
        /// The key and the rule.
        detail: String,
    },
    /// A signature algorithm refused by the policy (SHA-1 without the
    /// opt-in) or not supported.
    WeakAlgorithm {
        /// Which algorithm on which certificate.
        detail: String,
    },
    /// A certificate's signature does not verify with the key of any
    /// issuer candidate (for example a forged certificate under a root
    /// with the same name as a trusted one).
    BadSignature {
        /// The certificate whose signature failed.
        subject: String,
    },
    /// A certificate carries a critical extension hoso-pki does not
    /// process (RFC 5280 §4.2 requires refusing it).
    UnsupportedCriticalExtension {
        /// The certificate.
        subject: String,
        /// The extension's OID.
        oid: String,
    },
}

/// The signer's revocation status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevocationStatus {
    /// Not revoked at the time that matters, shown by a usable CRL or OCSP
    /// response.
    Good {
        /// What showed it.
        source: RevocationSource,
    },
    /// Revoked at or before the time that matters.
    Revoked {
        /// The revocation time.
        at: Timestamp,
        /// RFC 5280 reason name, when given.
        reason: Option<String>,
        /// What showed it.
        source: RevocationSource,
    },
    /// No usable revocation data for the signer.
    Unknown,
    /// Not checked: no path was built, or the signer is itself a trust
    /// anchor.
    NotChecked,
}

/// Where a revocation status came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RevocationSource {
    /// A certificate revocation list.
    Crl,
    /// An OCSP response.
    Ocsp,
}

/// Something a person should know about a validation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// The signer's revocation status could not be established (Annex II
    /// requires warning about it).
    RevocationUnknown,
    /// A weak signature algorithm was accepted under the historical opt-in.
    WeakAlgorithm(String),
    /// A weak key was accepted under the historical opt-in.
    WeakKey(String),
    /// The certificate was revoked, but after the signing time: the
    /// signature was made before the revocation.
    RevokedAfterSigning {
        /// The revocation time.
        at: Timestamp,
        /// RFC 5280 reason name, when given.
        reason: Option<String>,
        /// The signing time the status was evaluated at.
        signing_time: Timestamp,
    },
    /// A certificate valid at the signing time is no longer valid at the
    /// verification time.  Whether that fails the validation is
    /// [`crate::Policy::check_at_verification_time`].
    ExpiredAfterSigning {
        /// The certificate.
        subject: String,
        /// Its notAfter.
        not_after: Timestamp,
        /// The signing time.
        signing_time: Timestamp,
    },
    /// The signing time is later than the verification time.
    SigningTimeInFuture {
        /// The claimed signing time.
        signing_time: Timestamp,
        /// The verification time.
        verification_time: Timestamp,
    },
    /// A CRL or OCSP response about a certificate of the path could not be
    /// used (bad signature, unauthorised responder, stale, unsupported).
    RevocationDataIgnored(String),
    /// An issuer's certificate in the path is revoked.
    RevokedIssuer {
        /// The revoked issuer.
        subject: String,
    },
}

fn reason_en(reason: &Option<String>) -> String {
    reason
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default()
}

/// Vietnamese names of the RFC 5280 revocation reasons.
fn reason_vi(reason: &Option<String>) -> String {
    let name = match reason.as_deref() {
        None => return String::new(),
        Some("unspecified") => "không nêu lý do",
        Some("keyCompromise") => "lộ khóa bí mật",
        Some("cACompromise") => "lộ khóa của tổ chức cấp",
        Some("affiliationChanged") => "thay đổi thông tin",
        Some("superseded") => "đã được thay thế",
        Some("cessationOfOperation") => "ngừng hoạt động",
        Some("certificateHold") => "tạm dừng",
        Some("privilegeWithdrawn") => "rút quyền",
        Some("aACompromise") => "lộ khóa của tổ chức cấp thuộc tính",
        Some(other) => other,
    };
    format!(" (lý do: {name})")
}

impl fmt::Display for ChainStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainStatus::Trusted => f.write_str("trusted: the certificate chains to a trust anchor"),
            ChainStatus::NoPathToAnchor => f.write_str("untrusted: no certification path reaches a trust anchor"),
            ChainStatus::Expired { subject, not_after, at } => {
                write!(f, "certificate \"{subject}\" expired at {not_after} (checked at {at})")
            }
            ChainStatus::NotYetValid { subject, not_before, at } => {
                write!(f, "certificate \"{subject}\" is not valid before {not_before} (checked at {at})")
            }
            ChainStatus::Revoked { at, reason } => {
                write!(f, "certificate revoked at {at}{}", reason_en(reason))
            }
            ChainStatus::RevocationUnknown => {
                f.write_str("revocation status unknown: no usable CRL or OCSP response, and the policy requires one")
            }
            ChainStatus::KeyUsage { detail } => write!(f, "key usage does not allow this use: {detail}"),
            ChainStatus::NotACa { subject } => {
                write!(f, "\"{subject}\" issued a certificate but is not a CA (basicConstraints)")
            }
            ChainStatus::PathLength { subject } => {
                write!(f, "the path is longer than the pathLenConstraint of \"{subject}\" allows")
            }
            ChainStatus::WeakKey { subject, detail } => write!(f, "weak key in \"{subject}\": {detail}"),
            ChainStatus::WeakAlgorithm { detail } => write!(f, "algorithm refused: {detail}"),
            ChainStatus::BadSignature { subject } => write!(
                f,
                "the signature on certificate \"{subject}\" does not verify with the key of any issuer of that name"
            ),
            ChainStatus::UnsupportedCriticalExtension { subject, oid } => {
                write!(f, "certificate \"{subject}\" has an unsupported critical extension {oid}")
            }
        }
    }
}

impl ChainStatus {
    /// The status in Vietnamese, for people.
    pub fn vi(&self) -> String {
        match self {
            ChainStatus::Trusted => "Tin cậy: chứng thư số có đường dẫn chứng thực hợp lệ đến chứng thư gốc tin cậy".into(),
            ChainStatus::NoPathToAnchor => {
                "Không tin cậy: không có đường dẫn chứng thực đến chứng thư gốc tin cậy".into()
            }
            ChainStatus::Expired { subject, not_after, at } => {
                format!("Chứng thư số \"{subject}\" đã hết hạn lúc {not_after} (thời điểm kiểm tra {at})")
            }
            ChainStatus::NotYetValid { subject, not_before, at } => {
                format!("Chứng thư số \"{subject}\" chưa có hiệu lực trước {not_before} (thời điểm kiểm tra {at})")
            }
            ChainStatus::Revoked { at, reason } => {
                format!("Chứng thư số đã bị thu hồi lúc {at}{}", reason_vi(reason))
            }
            ChainStatus::RevocationUnknown => {
                "Không xác định được tình trạng thu hồi của chứng thư số (không có CRL hoặc phản hồi OCSP dùng được)"
                    .into()
            }
            ChainStatus::KeyUsage { detail } => format!("Mục đích sử dụng khóa không cho phép: {detail}"),
            ChainStatus::NotACa { subject } => format!(
                "\"{subject}\" đã cấp chứng thư số nhưng không phải là tổ chức cung cấp dịch vụ chứng thực (basicConstraints)"
            ),
            ChainStatus::PathLength { subject } => {
                format!("Đường dẫn chứng thực dài hơn giới hạn pathLenConstraint của \"{subject}\"")
            }
            ChainStatus::WeakKey { subject, detail } => format!("Khóa của \"{subject}\" quá yếu: {detail}"),
            ChainStatus::WeakAlgorithm { detail } => format!("Thuật toán không được chấp nhận: {detail}"),
            ChainStatus::BadSignature { subject } => format!(
                "Chữ ký trên chứng thư số \"{subject}\" không khớp với khóa của tổ chức cấp có tên tương ứng"
            ),
            ChainStatus::UnsupportedCriticalExtension { subject, oid } => format!(
                "Chứng thư số \"{subject}\" có phần mở rộng bắt buộc (critical) không được hỗ trợ: {oid}"
            ),
        }
    }
}

impl fmt::Display for RevocationSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RevocationSource::Crl => "CRL",
            RevocationSource::Ocsp => "OCSP",
        })
    }
}

impl fmt::Display for RevocationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevocationStatus::Good { source } => write!(f, "not revoked ({source})"),
            RevocationStatus::Revoked { at, reason, source } => {
                write!(f, "revoked at {at}{} ({source})", reason_en(reason))
            }
            RevocationStatus::Unknown => f.write_str("revocation status unknown"),
            RevocationStatus::NotChecked => f.write_str("revocation not checked"),
        }
    }
}

impl RevocationStatus {
    /// The status in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            RevocationStatus::Good { source } => format!("Chưa bị thu hồi (theo {source})"),
            RevocationStatus::Revoked { at, reason, source } => {
                format!(
                    "Đã bị thu hồi lúc {at}{} (theo {source})",
                    reason_vi(reason)
                )
            }
            RevocationStatus::Unknown => "Không xác định được tình trạng thu hồi".into(),
            RevocationStatus::NotChecked => "Chưa kiểm tra tình trạng thu hồi".into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::RevocationUnknown => f.write_str(
                "the revocation status of the signer's certificate could not be established",
            ),
            Warning::WeakAlgorithm(s) => {
                write!(f, "weak algorithm accepted for a historical document: {s}")
            }
            Warning::WeakKey(s) => write!(f, "weak key accepted for a historical document: {s}"),
            Warning::RevokedAfterSigning {
                at,
                reason,
                signing_time,
            } => {
                write!(
                    f,
                    "the certificate was revoked at {at}{}, after the signing time {signing_time}: the signature was made before the revocation",
                    reason_en(reason)
                )?;
                if reason.as_deref() == Some("keyCompromise") {
                    f.write_str("; as the key was compromised, only a trusted timestamp proves the signing time")?;
                }
                Ok(())
            }
            Warning::ExpiredAfterSigning {
                subject,
                not_after,
                signing_time,
            } => write!(
                f,
                "certificate \"{subject}\" was valid at the signing time {signing_time} but expired at {not_after}"
            ),
            Warning::SigningTimeInFuture {
                signing_time,
                verification_time,
            } => write!(
                f,
                "the signing time {signing_time} is after the verification time {verification_time}"
            ),
            Warning::RevocationDataIgnored(s) => write!(f, "revocation data ignored: {s}"),
            Warning::RevokedIssuer { subject } => {
                write!(f, "the issuer certificate \"{subject}\" is revoked")
            }
        }
    }
}

impl Warning {
    /// The warning in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            Warning::RevocationUnknown => {
                "Không xác định được tình trạng thu hồi của chứng thư số người ký".into()
            }
            Warning::WeakAlgorithm(s) => format!("Chấp nhận thuật toán yếu cho văn bản cũ: {s}"),
            Warning::WeakKey(s) => format!("Chấp nhận khóa yếu cho văn bản cũ: {s}"),
            Warning::RevokedAfterSigning {
                at,
                reason,
                signing_time,
            } => {
                let mut s = format!(
                    "Chứng thư số bị thu hồi lúc {at}{}, sau thời điểm ký {signing_time}: chữ ký được tạo trước khi thu hồi",
                    reason_vi(reason)
                );
                if reason.as_deref() == Some("keyCompromise") {
                    s.push_str("; do khóa bị lộ, chỉ dấu thời gian tin cậy mới chứng minh được thời điểm ký");
                }
                s
            }
            Warning::ExpiredAfterSigning {
                subject,
                not_after,
                signing_time,
            } => format!(
                "Chứng thư số \"{subject}\" còn hiệu lực tại thời điểm ký {signing_time} nhưng đã hết hạn lúc {not_after}"
            ),
            Warning::SigningTimeInFuture {
                signing_time,
                verification_time,
            } => format!(
                "Thời điểm ký {signing_time} muộn hơn thời điểm kiểm tra {verification_time}"
            ),
            Warning::RevocationDataIgnored(s) => format!("Bỏ qua dữ liệu thu hồi: {s}"),
            Warning::RevokedIssuer { subject } => {
                format!("Chứng thư số của tổ chức cấp \"{subject}\" đã bị thu hồi")
            }
        }
    }
}
