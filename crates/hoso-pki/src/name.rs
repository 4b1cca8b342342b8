//! Distinguished names: readable RFC 4514 strings, a normalized form for
//! matching issuers, and the attributes the identity is read from.

use x509_cert::der::{Tag, Tagged};
use x509_cert::name::Name;

use crate::asn1::hex;

/// One attribute value: text when it is a string type we can decode, else
/// the raw DER (shown as `#hex` per RFC 4514).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    Text(String),
    Raw(Vec<u8>),
}

/// A parsed name: RDNs in DER order, each a list of (OID, value) in the
/// order of the encoded SET.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ParsedName {
    pub rdns: Vec<Vec<(String, Value)>>,
}

impl ParsedName {
    pub(crate) fn from_name(name: &Name) -> Self {
        let rdns = name
            .0
            .iter()
            .map(|rdn| {
                rdn.0
                    .iter()
                    .map(|atv| {
                        let value = match decode_string(atv.value.tag(), atv.value.value()) {
                            Some(s) => Value::Text(s),
                            None => {
                                let mut raw = Vec::new();
                                // Re-encoding an Any cannot fail for a value
                                // that was just decoded; an empty raw value
                                // is the harmless fallback.
                                let _ = der::Encode::encode_to_vec(&atv.value, &mut raw);
                                Value::Raw(raw)
                            }
                        };
                        (atv.oid.to_string(), value)
                    })
                    .collect()
            })
            .collect();
        ParsedName { rdns }
    }

    /// RFC 4514 string: most specific RDN first, multi-valued RDNs joined
    /// with `+`, UTF-8 kept readable, special and control characters
    /// escaped.
    pub(crate) fn to_rfc4514(&self) -> String {
        let mut out = String::new();
        for (i, rdn) in self.rdns.iter().rev().enumerate() {
            if i > 0 {
                out.push(',');
            }
            for (j, (oid, value)) in rdn.iter().enumerate() {
                if j > 0 {
                    out.push('+');
                }
                out.push_str(short_name(oid).unwrap_or(oid));
                out.push('=');
                match value {
                    Value::Text(s) => escape_into(s, &mut out),
                    Value::Raw(raw) => {
                        out.push('#');
                        out.push_str(&hex(raw));
                    }
                }
            }
        }
        out
    }

    /// A form for comparing names: RDNs in DER order, attributes sorted,
    /// text values with whitespace collapsed and case folded (RFC 5280
    /// §7.1, simplified).  Looser than byte equality on purpose: it only
    /// selects candidate issuers, every one of which still has to verify
    /// the signature.
    pub(crate) fn normalized(&self) -> String {
        let mut out = String::new();
        for rdn in &self.rdns {
            let mut parts: Vec<String> = rdn
                .iter()
                .map(|(oid, v)| match v {
                    Value::Text(s) => {
                        format!(
                            "{oid}={}",
                            s.split_whitespace()
                                .collect::<Vec<_>>()
                                .join(" ")
                                .to_lowercase()
                        )
                    }
                    Value::Raw(raw) => format!("{oid}=#{}", hex(raw)),
                })
                .collect();
            parts.sort();
            out.push_str(&parts.join("\u{1}"));
            out.push('\u{2}');
        }
        out
    }

    /// Every text value of attribute `oid`, in DER order.
    pub(crate) fn values<'a>(&'a self, oid: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.rdns
            .iter()
            .flatten()
            .filter(move |(o, _)| o == oid)
            .filter_map(|(_, v)| match v {
                Value::Text(s) => Some(s.as_str()),
                Value::Raw(_) => None,
            })
    }
}

pub(crate) const OID_CN: &str = "2.5.4.3";
pub(crate) const OID_O: &str = "2.5.4.10";
pub(crate) const OID_UID: &str = "0.9.2342.19200300.100.1.1";
pub(crate) const OID_ORG_ID: &str = "2.5.4.97";

fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        // Not in RFC 4514's table; the names OpenSSL prints.
        "2.5.4.4" => "SN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.12" => "title",
        "2.5.4.17" => "postalCode",
        "2.5.4.42" => "GN",
        "2.5.4.43" => "initials",
        "2.5.4.46" => "dnQualifier",
        "2.5.4.65" => "pseudonym",
        "2.5.4.97" => "organizationIdentifier",
        "1.2.840.113549.1.9.1" => "emailAddress",
        _ => return None,
    })
}

fn escape_into(s: &str, out: &mut String) {
    let last = s.chars().count().saturating_sub(1);
    for (i, c) in s.chars().enumerate() {
        match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            // Control characters would let a certificate forge lines in a
            // log or a terminal; show them as hex escapes.
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
}

/// Decodes the ASN.1 string types used in names (der 0.7 has no
/// UniversalString, so names using it do not parse at all).  Vietnamese issuers are
/// not always careful about string types, so byte strings that are valid
/// UTF-8 are read as UTF-8 whatever their tag says, else as Latin-1.
pub(crate) fn decode_string(tag: Tag, bytes: &[u8]) -> Option<String> {
    let utf8_or_latin1 = |b: &[u8]| match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => b.iter().map(|&c| char::from(c)).collect(),
    };
    match tag {
        Tag::Utf8String => std::str::from_utf8(bytes).ok().map(str::to_string),
        Tag::PrintableString
        | Tag::Ia5String
        | Tag::VisibleString
        | Tag::NumericString
        | Tag::TeletexString => Some(utf8_or_latin1(bytes)),
        Tag::BmpString => {
            if !bytes.len().is_multiple_of(2) {
                return None;
            }
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let mut s = String::new();
        escape_into("#a, b+c \n", &mut s);
        assert_eq!(s, "\\#a\\, b\\+c \\0A");
        let mut s = String::new();
        escape_into(" x ", &mut s);
        assert_eq!(s, "\\ x\\ ");
    }

    #[test]
    fn strings() {
        assert_eq!(
            decode_string(Tag::BmpString, &[0, b'H', 0x1e, 0xa1]).as_deref(),
            Some("Hạ")
        );
        assert_eq!(
            decode_string(Tag::TeletexString, &[0xe9]).as_deref(),
            Some("é")
        );
        assert_eq!(decode_string(Tag::Utf8String, &[0xff]), None);
        assert_eq!(decode_string(Tag::BmpString, &[0]), None);
        assert_eq!(decode_string(Tag::Integer, &[1]), None);
    }
}
