//! Character classes of XML 1.0 (fifth edition) and Namespaces in XML 1.0.

/// Byte classes for the ASCII fast path of name checking.
const NAME_START: u8 = 1;
const NAME_CHAR: u8 = 2;

const fn ascii_name_table() -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let start = c.is_ascii_alphabetic() || c == b'_' || c == b':';
        let other = c.is_ascii_digit() || c == b'-' || c == b'.';
        t[b] = if start {
            NAME_START | NAME_CHAR
        } else if other {
            NAME_CHAR
        } else {
            0
        };
        b += 1;
    }
    t
}

static ASCII_NAME: [u8; 128] = ascii_name_table();

fn is_name_start_char(c: char) -> bool {
    match c as u32 {
        0..=0x7F => ASCII_NAME[c as usize] & NAME_START != 0,
        0xC0..=0xD6
        | 0xD8..=0xF6
        | 0xF8..=0x2FF
        | 0x370..=0x37D
        | 0x37F..=0x1FFF
        | 0x200C..=0x200D
        | 0x2070..=0x218F
        | 0x2C00..=0x2FEF
        | 0x3001..=0xD7FF
        | 0xF900..=0xFDCF
        | 0xFDF0..=0xFFFD
        | 0x10000..=0xEFFFF => true,
        _ => false,
    }
}

fn is_name_char(c: char) -> bool {
    match c as u32 {
        0..=0x7F => ASCII_NAME[c as usize] & NAME_CHAR != 0,
        0xB7 | 0x300..=0x36F | 0x203F..=0x2040 => true,
        _ => is_name_start_char(c),
    }
}

/// Whether `s` matches the `Name` production.
pub(crate) fn is_name(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    if bytes.is_ascii() {
        return ASCII_NAME[bytes[0] as usize] & NAME_START != 0
            && bytes[1..]
                .iter()
                .all(|&b| ASCII_NAME[b as usize] & NAME_CHAR != 0);
    }
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
}

/// Whether `s` matches the `NCName` production (a Name without colons).
pub(crate) fn is_ncname(s: &str) -> bool {
    !s.contains(':') && is_name(s)
}

/// Whether `c` matches the `Char` production.
pub(crate) fn is_xml_char(c: u32) -> bool {
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Whether `b` is XML white space (`S`).
#[inline]
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// What [`scan_chars`] found in a run of character data.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct CharScan {
    /// A carriage return is present: line ends need normalizing.
    pub has_cr: bool,
    /// A tab or line feed is present (relevant for attribute normalization).
    pub has_tab_or_lf: bool,
}

/// A character XML forbids, at a byte offset within the scanned text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ForbiddenChar {
    pub offset: usize,
    pub code: u32,
}

/// Checks that `s` holds only characters of the `Char` production and reports
/// whether line-end or white-space normalization will be needed.
///
/// The text is already valid UTF-8, so the only forbidden characters left are
/// the C0 controls other than tab, LF and CR, and U+FFFE / U+FFFF (encoded
/// `EF BF BE` / `EF BF BF`).  The loop works on 16-byte blocks so that the
/// common case (nothing special) costs one vectorizable comparison per byte.
#[inline]
pub(crate) fn scan_chars(s: &str) -> Result<CharScan, ForbiddenChar> {
    let bytes = s.as_bytes();
    let mut scan = CharScan::default();
    let mut i = 0;
    while i < bytes.len() {
        let end = (i + 16).min(bytes.len());
        let block = &bytes[i..end];
        let flagged = block.iter().fold(false, |acc, &b| acc | (b < 0x20) | (b == 0xEF));
        if flagged {
            for (k, &b) in block.iter().enumerate() {
                match b {
                    b'\r' => scan.has_cr = true,
                    b'\t' | b'\n' => scan.has_tab_or_lf = true,
                    0..=0x1F => {
                        return Err(ForbiddenChar {
                            offset: i + k,
                            code: u32::from(b),
                        });
                    }
                    0xEF => {
                        let at = i + k;
                        if bytes.get(at + 1) == Some(&0xBF)
                            && matches!(bytes.get(at + 2), Some(0xBE | 0xBF))
                        {
                            let code = if bytes[at + 2] == 0xBE { 0xFFFE } else { 0xFFFF };
                            return Err(ForbiddenChar { offset: at, code });
                        }
                    }
                    _ => {}
                }
            }
        }
        i = end;
    }
    Ok(scan)
}

/// Whether a namespace name is a relative URI reference (it has no scheme).
/// Canonical XML requires failing on those.
pub(crate) fn is_relative_uri(uri: &str) -> bool {
    if uri.is_empty() {
        return false;
    }
    let Some(colon) = uri.find(':') else {
        return true;
    };
    let scheme = &uri.as_bytes()[..colon];
    !(scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_name("a"));
        assert!(is_name("_x.y-z9"));
        assert!(is_name("ns:a"));
        assert!(is_name("Tên_đơn"));
        assert!(!is_name(""));
        assert!(!is_name("9a"));
        assert!(!is_name("-a"));
        assert!(!is_name("a b"));
        assert!(!is_name("a\u{D7}"));
        assert!(is_ncname("a.b"));
        assert!(!is_ncname("a:b"));
    }

    #[test]
    fn chars() {
        assert!(scan_chars("plain text ệ").is_ok());
        let scan = scan_chars("a\r\nb").unwrap();
        assert!(scan.has_cr && scan.has_tab_or_lf);
        let err = scan_chars("abc\u{0}").unwrap_err();
        assert_eq!((err.offset, err.code), (3, 0));
        let err = scan_chars("x\u{FFFF}").unwrap_err();
        assert_eq!((err.offset, err.code), (1, 0xFFFF));
        assert!(scan_chars("\u{FFFD}\u{FEFF}").is_ok());
        let long = format!("{}\u{1}", "a".repeat(40));
        assert_eq!(scan_chars(&long).unwrap_err().offset, 40);
    }

    #[test]
    fn relative_uris() {
        assert!(!is_relative_uri("http://example.com/a"));
        assert!(!is_relative_uri("urn:x"));
        assert!(!is_relative_uri(""));
        assert!(is_relative_uri("foo"));
        assert!(is_relative_uri("../a:b"));
        assert!(is_relative_uri("1a:b"));
    }
}
