//! Small, strict helpers below the typed decoders: a DER TLV splitter (to
//! find the exact bytes a signature covers), a tolerant PEM reader, hex.
//!
//! Signatures are verified over the bytes *as received*, never over a
//! re-encoding: re-encoding a decoded structure can silently differ from
//! the input and would make the verifier check something else than what
//! was signed.

use crate::PkiError;

/// One DER element: its tag byte, the whole encoding and the content.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    pub full: &'a [u8],
    pub content: &'a [u8],
}

pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;

/// Splits the first DER element off `input`.  Only definite lengths and
/// single-byte tags, which is all X.509, CRLs and OCSP use.
pub(crate) fn read_tlv(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), &'static str> {
    let (&tag, rest) = input.split_first().ok_or("unexpected end of data")?;
    if tag & 0x1f == 0x1f {
        return Err("multi-byte tag");
    }
    let (&first, mut rest) = rest.split_first().ok_or("unexpected end of data")?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 {
            return Err("indefinite length (BER, not DER)");
        }
        if n > 4 || rest.len() < n {
            return Err("length field too long or truncated");
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |l, &b| (l << 8) | usize::from(b));
        rest = &rest[n..];
        len
    };
    if rest.len() < len {
        return Err("element longer than the data");
    }
    let header = input.len() - rest.len();
    let full = &input[..header + len];
    Ok((
        Tlv {
            tag,
            full,
            content: &rest[..len],
        },
        &rest[len..],
    ))
}

/// Reads one element that must have `tag`.
pub(crate) fn expect(input: &[u8], tag: u8) -> Result<(Tlv<'_>, &[u8]), &'static str> {
    let (tlv, rest) = read_tlv(input)?;
    if tlv.tag != tag {
        return Err("unexpected tag");
    }
    Ok((tlv, rest))
}

/// The elements of a constructed element's content, in order.
pub(crate) fn children(mut content: &[u8]) -> Result<Vec<Tlv<'_>>, &'static str> {
    let mut out = Vec::new();
    while !content.is_empty() {
        let (tlv, rest) = read_tlv(content)?;
        out.push(tlv);
        content = rest;
    }
    Ok(out)
}

/// The exact encodings of a signed structure `SEQUENCE { tbs, algorithm,
/// signature BIT STRING, ... }`: the to-be-signed element, the algorithm
/// identifier and the signature bits.  Certificates, CRLs and
/// BasicOCSPResponses share this shape.
pub(crate) fn signed_parts(der: &[u8]) -> Result<(Tlv<'_>, Tlv<'_>, &[u8]), &'static str> {
    let (outer, rest) = expect(der, SEQUENCE)?;
    if !rest.is_empty() {
        return Err("data after the end of the structure");
    }
    let items = children(outer.content)?;
    if items.len() < 3
        || items[0].tag != SEQUENCE
        || items[1].tag != SEQUENCE
        || items[2].tag != BIT_STRING
    {
        return Err("not a signed structure");
    }
    Ok((items[0], items[1], bit_string_bytes(items[2].content)?))
}

/// The bytes of a BIT STRING whose length is a whole number of octets.
pub(crate) fn bit_string_bytes(content: &[u8]) -> Result<&[u8], &'static str> {
    match content.split_first() {
        Some((0, bytes)) => Ok(bytes),
        _ => Err("BIT STRING with unused bits"),
    }
}

/// Where `part` (a sub-slice of `whole`) starts and ends in `whole`.
pub(crate) fn range_in(whole: &[u8], part: &[u8]) -> std::ops::Range<usize> {
    let start = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    start..start + part.len()
}

/// An INTEGER's content with redundant leading zero octets removed, so that
/// serial numbers compare equal however a non-conforming encoder padded
/// them.
pub(crate) fn trim_integer(bytes: &[u8]) -> &[u8] {
    let mut b = bytes;
    while b.len() > 1 && b[0] == 0 && b[1] & 0x80 == 0 {
        b = &b[1..];
    }
    b
}

/// Encodes `value` as a DER length + content with `tag` (used to build
/// RSAPublicKey from a modulus and exponent).
pub(crate) fn encode_tlv(tag: u8, content: &[u8], out: &mut Vec<u8>) {
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// The decoded blocks of a PEM text with one of `labels`, in order.
///
/// Tolerant where real files vary (CRLF, any line width, text between
/// blocks, RFC 1421 header lines) and strict where it matters (a block must
/// end with the matching END line; its body must be base64).
pub(crate) fn pem_blocks(input: &[u8], labels: &[&str]) -> Result<Vec<Vec<u8>>, PkiError> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let mut out = Vec::new();
    let mut rest = input;
    while let Some(pos) = find(rest, BEGIN) {
        let after = &rest[pos + BEGIN.len()..];
        let close =
            find(after, b"-----").ok_or_else(|| PkiError::Pem("unterminated BEGIN line".into()))?;
        let label = &after[..close];
        let body_start = &after[close + 5..];
        let mut end_line = b"-----END ".to_vec();
        end_line.extend_from_slice(label);
        end_line.extend_from_slice(b"-----");
        let end = find(body_start, &end_line).ok_or_else(|| {
            PkiError::Pem(format!(
                "no END line for {}",
                String::from_utf8_lossy(label)
            ))
        })?;
        if labels.iter().any(|l| l.as_bytes() == label) {
            out.push(base64_body(&body_start[..end])?);
        }
        rest = &body_start[end + end_line.len()..];
    }
    Ok(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes a PEM body: base64 lines, skipping RFC 1421 headers (lines with
/// a colon) and whitespace.
fn base64_body(body: &[u8]) -> Result<Vec<u8>, PkiError> {
    let mut out = Vec::with_capacity(body.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0u32;
    let mut padding = 0usize;
    for line in body.split(|&b| b == b'\n') {
        if line.contains(&b':') {
            continue;
        }
        for &c in line {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' => {
                    padding += 1;
                    continue;
                }
                b' ' | b'\t' | b'\r' => continue,
                _ => return Err(PkiError::Pem("invalid character in base64 body".into())),
            };
            if padding > 0 {
                return Err(PkiError::Pem("base64 data after '=' padding".into()));
            }
            acc = (acc << 6) | u32::from(v);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
    }
    if padding > 2 || bits >= 6 {
        return Err(PkiError::Pem("truncated base64 body".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlv_lengths() {
        let (t, rest) = read_tlv(&[0x30, 0x03, 1, 2, 3, 9]).unwrap();
        assert_eq!(
            (t.tag, t.content, rest),
            (0x30, &[1u8, 2, 3][..], &[9u8][..])
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend(std::iter::repeat_n(7, 0x80));
        assert_eq!(read_tlv(&long).unwrap().0.content.len(), 0x80);
        assert!(read_tlv(&[0x30, 0x80, 0, 0]).is_err());
        assert!(read_tlv(&[0x30, 0x05, 1]).is_err());
        assert!(read_tlv(&[0x1f, 0x01, 0]).is_err());
        assert!(read_tlv(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_err());
        assert!(read_tlv(&[]).is_err());
    }

    #[test]
    fn encode_round_trips() {
        for len in [0usize, 1, 127, 128, 255, 256, 70_000] {
            let content = vec![0xabu8; len];
            let mut out = Vec::new();
            encode_tlv(0x04, &content, &mut out);
            let (t, rest) = read_tlv(&out).unwrap();
            assert!(rest.is_empty());
            assert_eq!(t.content.len(), len);
        }
    }

    #[test]
    fn pem_tolerates_layout() {
        let pem = b"junk\r\n-----BEGIN X-----\r\nProc-Type: 4\r\n\r\naGVs\r\nbG8=\r\n-----END X-----\n-----BEGIN Y-----\nAA==\n-----END Y-----";
        assert_eq!(pem_blocks(pem, &["X"]).unwrap(), vec![b"hello".to_vec()]);
        assert!(pem_blocks(b"-----BEGIN X-----\naGVs", &["X"]).is_err());
        assert!(pem_blocks(b"-----BEGIN X-----\na*Vs\n-----END X-----", &["X"]).is_err());
        assert!(pem_blocks(b"-----BEGIN X-----\naGVsb\n-----END X-----", &["X"]).is_err());
        assert!(pem_blocks(b"nothing here", &["X"]).unwrap().is_empty());
    }

    #[test]
    fn integers_trim() {
        assert_eq!(trim_integer(&[0, 0, 0x7f]), &[0x7f]);
        assert_eq!(trim_integer(&[0, 0x80]), &[0, 0x80]);
        assert_eq!(trim_integer(&[0]), &[0]);
    }
}
