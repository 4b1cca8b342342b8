//! Exact decimal numbers, so that a bound such as "under 3,000 m³/day" is
//! compared exactly: binary floating point would let `2999.9999999999999`
//! through or turn `0.1 + 0.2` into a refusal.

use std::cmp::Ordering;
use std::fmt;

/// Longest decimal text accepted, in bytes; longer numbers are refused as
/// malformed rather than stored.
pub const MAX_DECIMAL_TEXT: usize = 64;

/// A decimal number, kept normalized: no leading zeros in the integer part,
/// no trailing zeros in the fraction, and zero is never negative.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    negative: bool,
    /// All significant digits, integer part then fraction; empty for zero.
    digits: String,
    /// How many of `digits` are after the decimal point.
    scale: usize,
}

impl Decimal {
    /// Parses the `xs:decimal` lexical form: an optional sign, digits, an
    /// optional point and fraction (`-1.50`, `.5`, `3.`). No exponent, no
    /// white space.
    ///
    /// ```
    /// use hoso_forms::Decimal;
    /// let d = Decimal::parse_xsd("+0120.50").unwrap();
    /// assert_eq!(d.to_string(), "120.5");
    /// assert!(Decimal::parse_xsd("1e3").is_none());
    /// ```
    pub fn parse_xsd(text: &str) -> Option<Decimal> {
        if text.len() > MAX_DECIMAL_TEXT {
            return None;
        }
        let (negative, rest) = split_sign(text);
        let (int, frac) = match rest.split_once('.') {
            Some((i, f)) => (i, f),
            None => (rest, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Decimal::from_parts(negative, int, frac, 0))
    }

    /// Parses a JSON number as written (`-12.5e3`); the exponent is applied
    /// exactly.
    ///
    /// ```
    /// use hoso_forms::Decimal;
    /// assert_eq!(Decimal::parse_json("2.5E3").unwrap().to_string(), "2500");
    /// ```
    pub fn parse_json(text: &str) -> Option<Decimal> {
        if text.len() > MAX_DECIMAL_TEXT {
            return None;
        }
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
            None => (text, 0),
        };
        if !(-1000..=1000).contains(&exponent) || mantissa.starts_with('+') {
            return None;
        }
        let (negative, rest) = split_sign(mantissa);
        let (int, frac) = match rest.split_once('.') {
            Some((i, f)) if !f.is_empty() => (i, f),
            Some(_) => return None,
            None => (rest, ""),
        };
        if int.is_empty()
            || (int.len() > 1 && int.starts_with('0'))
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        Some(Decimal::from_parts(negative, int, frac, exponent))
    }

    /// The decimal nearest a finite `f64`, through its shortest exact text.
    pub fn from_f64(value: f64) -> Option<Decimal> {
        if !value.is_finite() {
            return None;
        }
        Decimal::parse_xsd(&format!("{value}"))
    }

    /// An integer as a decimal.
    pub fn from_i64(value: i64) -> Decimal {
        Decimal::parse_xsd(&value.to_string()).expect("an integer's text is a decimal")
    }

    /// The nearest `f64`, for display and arithmetic that needs no
    /// exactness.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// The value as an `i64`, when it is a whole number in range.
    pub fn to_i64(&self) -> Option<i64> {
        if self.scale != 0 {
            return None;
        }
        self.to_string().parse().ok()
    }

    /// Whether the value has no fractional part.
    pub fn is_integer(&self) -> bool {
        self.scale == 0
    }

    fn from_parts(negative: bool, int: &str, frac: &str, exponent: i32) -> Decimal {
        let mut digits: String = format!("{int}{frac}");
        let mut scale = frac.len() as i64 - i64::from(exponent);
        if scale < 0 {
            digits.extend(std::iter::repeat_n('0', scale.unsigned_abs() as usize));
            scale = 0;
        }
        let mut scale = scale as usize;
        if digits.len() < scale {
            digits.insert_str(0, &"0".repeat(scale - digits.len()));
        }
        while scale > 0 && digits.ends_with('0') {
            digits.pop();
            scale -= 1;
        }
        let significant = digits.trim_start_matches('0');
        // Keep the leading zeros that sit after the point: they matter.
        let keep = significant.len().max(scale.min(digits.len()));
        let digits = digits[digits.len() - keep..].to_owned();
        let digits = if digits.bytes().all(|b| b == b'0') {
            String::new()
        } else {
            digits
        };
        let scale = if digits.is_empty() { 0 } else { scale };
        Decimal {
            negative: negative && !digits.is_empty(),
            digits,
            scale,
        }
    }

    /// Position of the most significant digit relative to the point, and
    /// the digits without leading zeros.
    fn magnitude(&self) -> (i64, &str) {
        let trimmed = self.digits.trim_start_matches('0');
        let leading = (self.digits.len() - trimmed.len()) as i64;
        (
            self.digits.len() as i64 - self.scale as i64 - leading,
            trimmed,
        )
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        let (ea, da) = self.magnitude();
        let (eb, db) = other.magnitude();
        match (da.is_empty(), db.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        ea.cmp(&eb).then_with(|| {
            let len = da.len().max(db.len());
            let pad = |d: &str| format!("{d:0<len$}");
            pad(da).cmp(&pad(db))
        })
    }
}

fn split_sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.digits.is_empty() {
            return f.write_str("0");
        }
        if self.negative {
            f.write_str("-")?;
        }
        let split = self.digits.len() - self.scale;
        let int = self.digits[..split].trim_start_matches('0');
        f.write_str(if int.is_empty() { "0" } else { int })?;
        if self.scale > 0 {
            write!(f, ".{}", &self.digits[split..])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse_xsd(s).unwrap()
    }

    #[test]
    fn normalizes() {
        for (text, canonical) in [
            ("0", "0"),
            ("-0.000", "0"),
            ("007", "7"),
            ("3.", "3"),
            (".5", "0.5"),
            ("0.050", "0.05"),
            ("-12.340", "-12.34"),
            ("100", "100"),
        ] {
            assert_eq!(d(text).to_string(), canonical, "{text}");
        }
        for bad in ["", ".", "-", "1.2.3", "1e3", " 1", "1,5", "--1", "0x10"] {
            assert!(Decimal::parse_xsd(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn orders_exactly() {
        let ascending = [
            "-3000",
            "-2.5",
            "-0.001",
            "0",
            "0.0001",
            "0.001",
            "0.5",
            "1",
            "2.9999999999999999",
            "3",
            "2999.9999999999999999",
            "3000",
            "3000.0000000000001",
            "50000",
        ];
        let mut sorted: Vec<Decimal> = ascending.iter().map(|s| d(s)).collect();
        sorted.sort();
        let texts: Vec<String> = sorted.iter().map(|x| x.to_string()).collect();
        let expected: Vec<String> = ascending.iter().map(|s| d(s).to_string()).collect();
        assert_eq!(texts, expected);
        assert_eq!(d("3000.000").cmp(&d("3000")), Ordering::Equal);
    }

    #[test]
    fn reads_json_numbers() {
        for (text, canonical) in [
            ("1e3", "1000"),
            ("2.5E-2", "0.025"),
            ("-0", "0"),
            ("3000.0", "3000"),
            ("12E+1", "120"),
        ] {
            assert_eq!(
                Decimal::parse_json(text).unwrap().to_string(),
                canonical,
                "{text}"
            );
        }
        for bad in ["01", "+1", "1.", ".5", "1e", "1e99999"] {
            assert!(Decimal::parse_json(bad).is_none(), "{bad:?}");
        }
    }
}
