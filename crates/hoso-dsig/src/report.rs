//! The verification report Annex II of Circular 15/2025 asks a verifier to
//! show — issuer, subject, signing time, integrity, validity — in Vietnamese
//! (the default for people) or English.

use std::fmt::Write as _;

use hoso_pki::{ChainStatus, PersonalId, RevocationStatus};

use crate::verify::{Integrity, SignatureReport, SigningTimeSource, Warning};

/// The language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Vietnamese.
    #[default]
    Vi,
    /// English.
    En,
}

fn pick(lang: Lang, vi: &str, en: &str) -> String {
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => en.to_string(),
    }
}

/// The identity documents of a signer, as people read them.
pub fn describe_id(id: &PersonalId, lang: Lang) -> String {
    match (id, lang) {
        (PersonalId::Cccd(n), Lang::Vi) => format!("Căn cước công dân số {n}"),
        (PersonalId::Cccd(n), Lang::En) => format!("citizen identity card {n}"),
        (PersonalId::Cmnd(n), Lang::Vi) => format!("Chứng minh nhân dân số {n}"),
        (PersonalId::Cmnd(n), Lang::En) => format!("people's identity card {n}"),
        (PersonalId::Passport(n), Lang::Vi) => format!("Hộ chiếu số {n}"),
        (PersonalId::Passport(n), Lang::En) => format!("passport {n}"),
        (PersonalId::TaxCode { code, branch }, lang) => {
            let full = match branch {
                Some(b) => format!("{code}-{b}"),
                None => code.clone(),
            };
            match lang {
                Lang::Vi => format!("Mã số thuế {full}"),
                Lang::En => format!("tax code {full}"),
            }
        }
        (PersonalId::Other { scheme, value }, _) => format!("{scheme}:{value}"),
    }
}

fn integrity_text(report: &SignatureReport, lang: Lang) -> String {
    match (&report.integrity, lang) {
        (Integrity::Valid, Lang::Vi) => "nội dung đã ký không bị thay đổi".into(),
        (Integrity::Valid, Lang::En) => "the signed content is unchanged".into(),
        (Integrity::Invalid(r), Lang::Vi) => format!("KHÔNG TOÀN VẸN: {}", r.vi()),
        (Integrity::Invalid(r), Lang::En) => format!("BROKEN: {r}"),
    }
}

/// The validity line of a report: the certificate path's status, or "not
/// checked" when integrity failed first (`None`).
pub fn validity_text(status: Option<&ChainStatus>, lang: Lang) -> String {
    match (status, lang) {
        (None, _) => pick(
            lang,
            "chưa kiểm tra (chữ ký không toàn vẹn)",
            "not checked (integrity failed)",
        ),
        (Some(ChainStatus::Trusted), _) => pick(
            lang,
            "hợp lệ: chứng thư số còn hiệu lực và được cấp bởi tổ chức cung cấp dịch vụ tin cậy",
            "valid: the certificate was in force and chains to a trusted root",
        ),
        (Some(other), Lang::En) => format!("NOT valid: {other}"),
        (Some(other), Lang::Vi) => format!("KHÔNG hợp lệ: {}", other.vi()),
    }
}

/// The revocation line of a report.
pub fn revocation_text(status: &RevocationStatus, lang: Lang) -> String {
    match status {
        RevocationStatus::Good { source } => match lang {
            Lang::Vi => format!("chưa bị thu hồi (theo {source})"),
            Lang::En => format!("not revoked (per {source})"),
        },
        RevocationStatus::Revoked { at, reason, source } => match lang {
            Lang::Vi => format!(
                "ĐÃ BỊ THU HỒI lúc {at} ({}; theo {source})",
                reason.as_deref().unwrap_or("không rõ lý do")
            ),
            Lang::En => format!(
                "REVOKED at {at} ({}; per {source})",
                reason.as_deref().unwrap_or("no reason given")
            ),
        },
        RevocationStatus::Unknown => pick(
            lang,
            "không xác định được trạng thái thu hồi",
            "revocation status could not be established",
        ),
        RevocationStatus::NotChecked => pick(lang, "chưa kiểm tra", "not checked"),
    }
}

/// A warning as people read it, in `lang`.
pub fn warning_text(warning: &Warning, lang: Lang) -> String {
    match (warning, lang) {
        (Warning::WeakAlgorithm(a), Lang::Vi) => {
            format!("chấp nhận thuật toán yếu {a} theo chính sách tài liệu cũ")
        }
        (Warning::WeakAlgorithm(a), Lang::En) => {
            format!("weak algorithm {a} accepted under the legacy policy")
        }
        (Warning::SigningTimeWithoutZone, Lang::Vi) => {
            "thời điểm ký không ghi múi giờ; coi là giờ Việt Nam (UTC+7)".into()
        }
        (Warning::SigningTimeWithoutZone, Lang::En) => {
            "the signing time has no zone; Vietnam time (UTC+7) assumed".into()
        }
        (Warning::IdNotNcname(id), Lang::Vi) => {
            format!("mã định danh {id:?} không đúng dạng NCName")
        }
        (Warning::IdNotNcname(id), Lang::En) => format!("the Id {id:?} is not an NCName"),
        (Warning::UnsignedProperties, Lang::Vi) => {
            "thuộc tính XAdES không được ký nên bị bỏ qua".into()
        }
        (Warning::UnsignedProperties, Lang::En) => {
            "XAdES properties that nothing signs were ignored".into()
        }
        (Warning::EnvelopedTransformOnSignedObject(uri), Lang::Vi) => format!(
            "tham chiếu {uri:?} trỏ tới một Object nằm trong chính chữ ký nhưng khai báo phép biến đổi enveloped-signature (lỗi quen thuộc của một số phần mềm hóa đơn); đã kiểm tra giá trị băm của Object như phần mềm ký đã tính"
        ),
        (Warning::EnvelopedTransformOnSignedObject(uri), Lang::En) => format!(
            "the reference {uri:?} names an Object inside the signature itself yet carries the enveloped-signature transform (a known quirk of some invoicing software); the Object's digest was checked as the producer computed it"
        ),
        (Warning::Pki(w), Lang::Vi) => w.vi(),
        (Warning::Pki(w), Lang::En) => w.to_string(),
    }
}

/// Renders one signature's report as text.
pub fn render(report: &SignatureReport, lang: Lang) -> String {
    let mut out = String::new();
    let heading = pick(lang, "Chữ ký", "Signature");
    let _ = writeln!(out, "{heading} {} ({})", report.index, report.path);
    let line = |out: &mut String, vi: &str, en: &str, value: String| {
        let _ = writeln!(out, "  {}: {value}", pick(lang, vi, en));
    };
    match &report.signer {
        Some(signer) => {
            line(&mut out, "Người ký", "Subject", signer.subject());
            line(&mut out, "Tổ chức cấp chứng thư", "Issuer", signer.issuer());
            if let Some(identity) = &report.identity
                && !identity.ids.is_empty()
            {
                let ids: Vec<String> = identity
                    .ids
                    .iter()
                    .map(|id| describe_id(id, lang))
                    .collect();
                line(&mut out, "Định danh", "Identity", ids.join("; "));
            }
            line(
                &mut out,
                "Hiệu lực chứng thư",
                "Certificate validity",
                format!("{} – {}", signer.not_before(), signer.not_after()),
            );
        }
        None => line(
            &mut out,
            "Người ký",
            "Subject",
            pick(lang, "không xác định", "unknown"),
        ),
    }
    let time = match &report.signing_time {
        Some(t) => {
            let source = match (t.source, lang) {
                (SigningTimeSource::Xades, Lang::Vi) => "do người ký khai trong XAdES",
                (SigningTimeSource::Xades, Lang::En) => "claimed by the signer in XAdES",
                (SigningTimeSource::SignedObject, Lang::Vi) => "do người ký khai trong phần đã ký",
                (SigningTimeSource::SignedObject, Lang::En) => {
                    "claimed by the signer in a signed object"
                }
                (SigningTimeSource::JwsHeader, Lang::Vi) => {
                    "do người ký khai trong phần đầu JWS được bảo vệ"
                }
                (SigningTimeSource::JwsHeader, Lang::En) => {
                    "claimed by the signer in the JWS protected header"
                }
            };
            format!("{} ({source})", t.time)
        }
        None => pick(lang, "không có", "none given"),
    };
    line(&mut out, "Thời điểm ký", "Signing time", time);
    line(
        &mut out,
        "Tính toàn vẹn",
        "Integrity",
        integrity_text(report, lang),
    );
    let coverage = if report.covers_document {
        pick(lang, "toàn bộ tài liệu", "the whole document")
    } else {
        let paths: Vec<&str> = report.references.iter().map(|r| r.path.as_str()).collect();
        match lang {
            Lang::Vi => format!("một phần tài liệu: {}", paths.join(", ")),
            Lang::En => format!("part of the document: {}", paths.join(", ")),
        }
    };
    line(&mut out, "Phạm vi ký", "Covers", coverage);
    line(
        &mut out,
        "Hiệu lực",
        "Validity",
        validity_text(report.chain_status.as_ref(), lang),
    );
    line(
        &mut out,
        "Thu hồi",
        "Revocation",
        revocation_text(&report.revocation, lang),
    );
    let mut algorithms = Vec::new();
    if let Some(s) = report.algorithms.signature {
        algorithms.push(s.name().to_string());
    }
    algorithms.extend(
        report
            .algorithms
            .digests
            .iter()
            .map(|d| d.name().to_string()),
    );
    if let Some(c) = report.algorithms.canonicalization {
        algorithms.push(c.name().to_string());
    }
    line(&mut out, "Thuật toán", "Algorithms", algorithms.join(", "));
    for w in &report.warnings {
        line(&mut out, "Cảnh báo", "Warning", warning_text(w, lang));
    }
    let verdict = if report.is_valid() {
        pick(lang, "CHỮ KÝ HỢP LỆ", "SIGNATURE VALID")
    } else {
        pick(lang, "CHỮ KÝ KHÔNG HỢP LỆ", "SIGNATURE NOT VALID")
    };
    let _ = writeln!(out, "  => {verdict}");
    out
}
