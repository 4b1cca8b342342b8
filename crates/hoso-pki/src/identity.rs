//! Who signed: the identifiers Vietnamese certificates carry in the
//! subject's UID attribute (`CCCD:`, `CMND:`, `HC:`, `MST:`) and in
//! organizationIdentifier.

use std::fmt;

use crate::name::{OID_CN, OID_O, OID_ORG_ID, OID_UID, ParsedName};

/// The identity in a certificate's subject.
///
/// ```
/// use hoso_pki::{Certificate, PersonalId};
///
/// let der = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../certs/test/signers/organisation.der"));
/// let id = Certificate::from_der(der)?.identity();
/// assert_eq!(id.ids, vec![PersonalId::TaxCode { code: "0301519977".into(), branch: Some("029".into()) }]);
/// assert_eq!(id.organization_identifier.as_deref(), Some("VATVN-0301519977"));
/// # Ok::<(), hoso_pki::PkiError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    /// Identifiers from UID attributes, in the order of the subject's DER
    /// encoding (within a multi-valued RDN, the DER order of the SET).
    pub ids: Vec<PersonalId>,
    /// organizationIdentifier (2.5.4.97) as written, e.g. `VATVN-0301519977`.
    pub organization_identifier: Option<String>,
    /// The most specific commonName.
    pub common_name: Option<String>,
    /// The most specific organizationName.
    pub organization: Option<String>,
}

/// One identifier of a person or an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PersonalId {
    /// Căn cước công dân / căn cước: 12 digits.
    Cccd(String),
    /// Chứng minh nhân dân: 9 or 12 digits.
    Cmnd(String),
    /// Hộ chiếu (passport) number.
    Passport(String),
    /// Mã số thuế: 10 digits, with a 3-digit branch (`0301519977-029`).
    TaxCode {
        /// The 10-digit code of the taxpayer.
        code: String,
        /// The dependent unit's 3 digits, when present.
        branch: Option<String>,
    },
    /// Anything else, or a known prefix whose value has the wrong shape
    /// (kept so that nothing the certificate says is lost).
    Other {
        /// The text before the first colon (empty when there is none).
        scheme: String,
        /// The text after it.
        value: String,
    },
}

impl PersonalId {
    /// Reads one UID value such as `CCCD:001203004567`.  The prefix is
    /// matched without regard to case and spaces around the parts are
    /// ignored; a value that does not have the expected shape becomes
    /// [`PersonalId::Other`].
    pub fn parse_uid(uid: &str) -> PersonalId {
        let (scheme, value) = match uid.split_once(':') {
            Some((s, v)) => (s.trim(), v.trim()),
            None => ("", uid.trim()),
        };
        let digits = |s: &str, lens: &[usize]| {
            lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        match scheme.to_ascii_uppercase().as_str() {
            "CCCD" if digits(value, &[12]) => PersonalId::Cccd(value.into()),
            "CMND" if digits(value, &[9, 12]) => PersonalId::Cmnd(value.into()),
            // Vietnamese passports are a letter and 7 digits; foreign ones
            // vary, so any 5 to 20 letters and digits are accepted.
            "HC" if (5..=20).contains(&value.len())
                && value.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                PersonalId::Passport(value.into())
            }
            "MST" => match value.split_once('-') {
                None if digits(value, &[10]) => PersonalId::TaxCode {
                    code: value.into(),
                    branch: None,
                },
                Some((code, branch)) if digits(code, &[10]) && digits(branch, &[3]) => {
                    PersonalId::TaxCode {
                        code: code.into(),
                        branch: Some(branch.into()),
                    }
                }
                _ => PersonalId::Other {
                    scheme: scheme.into(),
                    value: value.into(),
                },
            },
            _ => PersonalId::Other {
                scheme: scheme.into(),
                value: value.into(),
            },
        }
    }

    /// The kind in Vietnamese, for reports: "Căn cước công dân",
    /// "Chứng minh nhân dân", "Hộ chiếu", "Mã số thuế", or the scheme.
    pub fn kind_vi(&self) -> &str {
        match self {
            PersonalId::Cccd(_) => "Căn cước công dân",
            PersonalId::Cmnd(_) => "Chứng minh nhân dân",
            PersonalId::Passport(_) => "Hộ chiếu",
            PersonalId::TaxCode { .. } => "Mã số thuế",
            PersonalId::Other { scheme, .. } => scheme,
        }
    }
}

/// As written in certificates: `CCCD:001203004567`, `MST:0301519977-029`.
impl fmt::Display for PersonalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PersonalId::Cccd(v) => write!(f, "CCCD:{v}"),
            PersonalId::Cmnd(v) => write!(f, "CMND:{v}"),
            PersonalId::Passport(v) => write!(f, "HC:{v}"),
            PersonalId::TaxCode { code, branch: None } => write!(f, "MST:{code}"),
            PersonalId::TaxCode {
                code,
                branch: Some(b),
            } => write!(f, "MST:{code}-{b}"),
            PersonalId::Other { scheme, value } if scheme.is_empty() => f.write_str(value),
            PersonalId::Other { scheme, value } => write!(f, "{scheme}:{value}"),
        }
    }
}

impl Identity {
    pub(crate) fn from_subject(name: &ParsedName) -> Self {
        Identity {
            ids: name.values(OID_UID).map(PersonalId::parse_uid).collect(),
            organization_identifier: name.values(OID_ORG_ID).next().map(str::to_string),
            common_name: name.values(OID_CN).last().map(str::to_string),
            organization: name.values(OID_O).last().map(str::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(
            PersonalId::parse_uid("CCCD:001203004567"),
            PersonalId::Cccd("001203004567".into())
        );
        assert_eq!(
            PersonalId::parse_uid(" cccd : 001203004567 "),
            PersonalId::Cccd("001203004567".into())
        );
        assert_eq!(
            PersonalId::parse_uid("CMND:012345678"),
            PersonalId::Cmnd("012345678".into())
        );
        assert_eq!(
            PersonalId::parse_uid("CMND:012345678901"),
            PersonalId::Cmnd("012345678901".into())
        );
        assert_eq!(
            PersonalId::parse_uid("HC:C1234567"),
            PersonalId::Passport("C1234567".into())
        );
        assert_eq!(
            PersonalId::parse_uid("MST:0301519977"),
            PersonalId::TaxCode {
                code: "0301519977".into(),
                branch: None
            }
        );
        for other in [
            "CCCD:12345",
            "CMND:1234567890",
            "MST:0301519977-29",
            "MST:030151997",
            "HC:",
            "BHXH:123",
            "abc",
        ] {
            assert!(
                matches!(PersonalId::parse_uid(other), PersonalId::Other { .. }),
                "{other}"
            );
        }
        assert_eq!(
            PersonalId::parse_uid("CCCD:12345").to_string(),
            "CCCD:12345"
        );
        assert_eq!(
            PersonalId::parse_uid("MST:0301519977-029").to_string(),
            "MST:0301519977-029"
        );
    }
}
