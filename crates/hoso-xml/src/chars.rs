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

/// String equality that never calls `memcmp` for two empty strings.
///
/// Empty strings are common here (the default prefix, "no namespace") and
/// point at a dangling address; some glibc `memcmp` variants read it even
/// for length zero, which measured ~50 times slower than a real comparison.
#[inline(always)]
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.is_empty() || a == b)
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
    /// An `&` is present (a reference, in an attribute value).
    pub has_amp: bool,
    /// Offset of the first `<`, which attribute values must not contain.
    pub first_lt: Option<usize>,
    /// Offset of the first `]]>`, which character data must not contain.
    pub cdata_end: Option<usize>,
}

/// A character XML forbids, at a byte offset within the scanned text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ForbiddenChar {
    pub offset: usize,
    pub code: u32,
}

/// Bytes that need a closer look: C0 controls, the lead byte of U+FFFE and
/// U+FFFF, and the markup characters `&`, `<` and `>`.
const fn special_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[0xEF] = true;
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t
}

static SPECIAL: [bool; 256] = special_table();

/// Checks that `s` holds only characters of the `Char` production and notes
/// what later steps need to know (line ends, references, `<`, `]]>`).
///
/// The text is already valid UTF-8, so the only forbidden characters left are
/// the C0 controls other than tab, LF and CR, and U+FFFE / U+FFFF (encoded
/// `EF BF BE` / `EF BF BF`).  The loop works on 16-byte blocks so that the
/// common case (nothing special) costs one table look-up per byte, with no
/// branch.
#[inline]
pub(crate) fn scan_chars(s: &str) -> Result<CharScan, ForbiddenChar> {
    let bytes = s.as_bytes();
    let mut scan = CharScan::default();
    for (block_index, block) in bytes.chunks(16).enumerate() {
        if !block
            .iter()
            .fold(false, |acc, &b| acc | SPECIAL[b as usize])
        {
            continue;
        }
        let base = block_index * 16;
        for (k, &b) in block.iter().enumerate() {
            let at = base + k;
            match b {
                b'\r' => scan.has_cr = true,
                b'\t' | b'\n' => scan.has_tab_or_lf = true,
                0..=0x1F => {
                    return Err(ForbiddenChar {
                        offset: at,
                        code: u32::from(b),
                    });
                }
                b'&' => scan.has_amp = true,
                b'<' => {
                    scan.first_lt.get_or_insert(at);
                }
                b'>' if at >= 2 && bytes[at - 2..at] == *b"]]" => {
                    scan.cdata_end.get_or_insert(at - 2);
                }
                0xEF if bytes.get(at + 1) == Some(&0xBF)
                    && matches!(bytes.get(at + 2), Some(0xBE | 0xBF)) =>
                {
                    let code = if bytes[at + 2] == 0xBE {
                        0xFFFE
                    } else {
                        0xFFFF
                    };
                    return Err(ForbiddenChar { offset: at, code });
                }
                _ => {}
            }
        }
    }
    Ok(scan)
}

/// What a first pass over the whole document learnt, so that the common
/// case — no carriage returns, no control characters, no `]]>` — needs no
/// per-node character checks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocumentScan {
    /// Some byte might be a character XML forbids or a CR to normalize:
    /// character data must be checked node by node.
    pub needs_char_checks: bool,
    /// `]]>` occurs somewhere (at least as the end of a CDATA section):
    /// text nodes must be searched for it.
    pub has_cdata_end: bool,
}

/// One branch-free pass over the document (32-byte blocks), looking closer
/// only at the rare blocks that hold a control character, `]` or the lead
/// byte of U+F000..U+FFFF.
pub(crate) fn scan_document(bytes: &[u8]) -> DocumentScan {
    let mut scan = DocumentScan {
        needs_char_checks: false,
        has_cdata_end: false,
    };
    for (block_index, block) in bytes.chunks(32).enumerate() {
        // Comparisons rather than a table look-up, so that this vectorizes.
        let special = block.iter().fold(false, |acc, &b| {
            acc | ((b < 0x20) & (b != b'\t') & (b != b'\n')) | (b == 0xEF) | (b == b']')
        });
        if !special {
            continue;
        }
        let base = block_index * 32;
        for (k, &b) in block.iter().enumerate() {
            let at = base + k;
            match b {
                b']' => scan.has_cdata_end |= bytes[at..].starts_with(b"]]>"),
                0xEF => scan.needs_char_checks |= bytes.get(at + 1) == Some(&0xBF),
                0..=0x1F if b != b'\t' && b != b'\n' => scan.needs_char_checks = true,
                _ => {}
            }
        }
        if scan.needs_char_checks && scan.has_cdata_end {
            break;
        }
    }
    scan
}

/// The offset of the first occurrence of `close` (which ends with `>`) in
/// `hay`.  `>` is rare inside comments, PIs and CDATA sections, so finding it
/// first is cheaper than setting up a substring search for each one.
pub(crate) fn find_terminator(hay: &[u8], close: &[u8]) -> Option<usize> {
    let lead = close.len() - 1;
    memchr::memchr_iter(b'>', hay)
        .find(|&i| i >= lead && hay[i - lead..=i] == *close)
        .map(|i| i - lead)
}

/// Splits a qualified name into prefix and local part, checking both are
/// NCNames (one pass over ASCII names, the general check otherwise).
pub(crate) fn split_qname(qname: &str) -> Option<(&str, &str)> {
    let bytes = qname.as_bytes();
    let first = *bytes.first()?;
    let mut colon = None;
    let mut ascii_ok =
        first < 0x80 && first != b':' && ASCII_NAME[first as usize] & NAME_START != 0;
    if ascii_ok {
        for (i, &b) in bytes.iter().enumerate().skip(1) {
            if b >= 0x80 {
                ascii_ok = false;
                break;
            }
            if b == b':' {
                if colon.is_some() || i + 1 == bytes.len() {
                    return None;
                }
                let next = bytes[i + 1];
                if next < 0x80 && (next == b':' || ASCII_NAME[next as usize] & NAME_START == 0) {
                    return None;
                }
                colon = Some(i);
            } else if ASCII_NAME[b as usize] & NAME_CHAR == 0 {
                return None;
            }
        }
    }
    if !ascii_ok {
        colon = memchr::memchr(b':', bytes);
        let ok = match colon {
            None => is_ncname(qname),
            Some(i) => is_ncname(&qname[..i]) && is_ncname(&qname[i + 1..]),
        };
        if !ok {
            return None;
        }
    }
    Some(match colon {
        None => ("", qname),
        Some(i) => (&qname[..i], &qname[i + 1..]),
    })
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
    fn qnames() {
        assert_eq!(split_qname("a"), Some(("", "a")));
        assert_eq!(split_qname("p:a"), Some(("p", "a")));
        assert_eq!(split_qname("đ:ơn"), Some(("đ", "ơn")));
        assert_eq!(split_qname("p:a9.-_"), Some(("p", "a9.-_")));
        for bad in [
            "", ":a", "a:", "a:b:c", "a::b", "1a", "p:1a", "p:-a", "a b", "đ:1",
        ] {
            assert_eq!(split_qname(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn scans_markup_characters() {
        let scan = scan_chars("a]]>b<c&d").unwrap();
        assert_eq!(
            (scan.cdata_end, scan.first_lt, scan.has_amp),
            (Some(1), Some(5), true)
        );
        let at_block_edge = format!("{}]]>", "x".repeat(14));
        assert_eq!(scan_chars(&at_block_edge).unwrap().cdata_end, Some(14));
        assert_eq!(scan_chars("]>]]").unwrap().cdata_end, None);
    }

    #[test]
    fn document_scan() {
        let clean = scan_document("<a>\n\tđơn ] ]> x</a>".as_bytes());
        assert!(!clean.needs_char_checks && !clean.has_cdata_end);
        assert!(scan_document(b"<a>\r\n</a>").needs_char_checks);
        assert!(scan_document(b"<a>\0</a>").needs_char_checks);
        assert!(scan_document("<a>\u{FFFE}</a>".as_bytes()).needs_char_checks);
        assert!(!scan_document("<a>\u{F8FF}\u{FEFF}</a>".as_bytes()).needs_char_checks);
        let long = format!("{}]]>", "x".repeat(31));
        assert!(scan_document(long.as_bytes()).has_cdata_end);
    }

    #[test]
    fn terminators() {
        assert_eq!(find_terminator(b" a -- b -->x", b"-->"), Some(8));
        assert_eq!(find_terminator(b"a > b ?>", b"?>"), Some(6));
        assert_eq!(find_terminator(b"]>", b"]]>"), None);
        assert_eq!(find_terminator(b"", b"?>"), None);
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
