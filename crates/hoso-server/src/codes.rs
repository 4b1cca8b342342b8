//! Dossier codes and lookup secrets.
//!
//! A code is readable and says what and when (`02-261127-7KQ4M2XP`: the
//! procedure's number, the day of receipt in Vietnam, and 8 random
//! characters), but reveals neither the volume nor the next code. The
//! secret is 128 random bits: together with the code it opens the public
//! lookup, and only its SHA-256 is stored.

use ring::rand::{SecureRandom, SystemRandom};

/// Crockford's base 32: no I, L, O, U, so codes read aloud unambiguously.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    SystemRandom::new()
        .fill(&mut bytes)
        .expect("the system random generator works");
    bytes
}

fn base32(bytes: &[u8], chars: usize) -> String {
    let mut out = String::with_capacity(chars);
    let mut acc: u64 = 0;
    let mut bits = 0;
    let mut input = bytes.iter();
    while out.len() < chars {
        if bits < 5 {
            acc = (acc << 8) | u64::from(*input.next().unwrap_or(&0));
            bits += 8;
        }
        bits -= 5;
        out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
    }
    out
}

/// A new dossier code for procedure `number`, received on the Vietnamese
/// calendar day `day` (`YYYY-MM-DD`).
pub fn new_code(number: u8, day: &str) -> String {
    let yymmdd: String = day.chars().filter(char::is_ascii_digit).skip(2).collect();
    format!("{number:02}-{yymmdd}-{}", base32(&random_bytes::<5>(), 8))
}

/// A fee receipt's public id: 128 random bits in base32 (26 characters),
/// so that knowing one receipt's id tells nothing of another's.
pub fn new_receipt_id() -> String {
    base32(&random_bytes::<16>(), 26)
}

/// Whether `id` has the shape of a receipt id.
pub fn is_receipt_id(id: &str) -> bool {
    id.len() == 26
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// The same code with a fresh random part.
pub fn reroll(code: &str) -> String {
    let stem = code.rsplit_once('-').map_or(code, |(stem, _)| stem);
    format!("{stem}-{}", base32(&random_bytes::<5>(), 8))
}

/// Whether `code` has the shape of a dossier code.
pub fn is_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    matches!(parts.as_slice(), [n, day, random]
        if n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit())
        && day.len() == 6 && day.bytes().all(|b| b.is_ascii_digit())
        && random.len() == 8 && random.bytes().all(|b| ALPHABET.contains(&b)))
}

/// A new lookup secret: 26 characters of base 32 (128 bits), grouped.
pub fn new_secret() -> String {
    let raw = base32(&random_bytes::<17>(), 26);
    raw.as_bytes()
        .chunks(5)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("-")
}

/// SHA-256 of a secret as typed: case and separators do not matter.
pub fn secret_hash(secret: &str) -> Vec<u8> {
    let normalized: String = secret
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    ring::digest::digest(&ring::digest::SHA256, normalized.as_bytes())
        .as_ref()
        .to_vec()
}

/// Compares two secret hashes in constant time.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_their_shape_and_differ() {
        let a = new_code(2, "2026-11-27");
        let b = new_code(2, "2026-11-27");
        assert!(a.starts_with("02-261127-"), "{a}");
        assert!(is_code(&a) && is_code(&b), "{a} {b}");
        assert_ne!(a, b);
        let c = reroll(&a);
        assert!(is_code(&c) && c != a && c[..10] == a[..10]);
        for bad in [
            "",
            "02-261127",
            "2-261127-ABCDEFGH",
            "02-261127-ABCDEFGI",
            "02-2611270-ABCDEFGH",
        ] {
            assert!(!is_code(bad), "{bad}");
        }
    }

    #[test]
    fn secrets_are_long_and_hash_the_same_however_typed() {
        let s = new_secret();
        assert_eq!(s.chars().filter(|c| *c != '-').count(), 26);
        assert_eq!(
            secret_hash(&s),
            secret_hash(&s.to_lowercase().replace('-', " "))
        );
        assert_ne!(secret_hash(&s), secret_hash(&new_secret()));
        assert!(same_secret(&secret_hash(&s), &secret_hash(&s)));
        assert!(!same_secret(&secret_hash(&s), &secret_hash("x")));
    }
}
