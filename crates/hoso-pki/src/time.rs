//! Points in time: Unix seconds, shown and parsed as RFC 3339 / xs:dateTime.
//!
//! The calendar arithmetic is the proleptic Gregorian "days from civil"
//! algorithm (H. Hinnant); it is small enough that a date library would add
//! more code than it saves.

use std::fmt;

use crate::PkiError;

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z (leap
/// seconds are not counted, as in X.509 and POSIX).
///
/// Displayed as RFC 3339 in UTC: `2025-06-01T00:00:00Z`.
///
/// ```
/// use hoso_pki::Timestamp;
///
/// let t = Timestamp::parse_rfc3339("2025-06-01T07:00:00+07:00")?;
/// assert_eq!(t.to_string(), "2025-06-01T00:00:00Z");
/// assert_eq!(t, Timestamp::from_unix(1_748_736_000));
/// // A value without a zone is the caller's decision:
/// assert!(Timestamp::parse_rfc3339("2025-06-01T07:00:00").is_err());
/// let (t2, zoned) = Timestamp::parse_with_default_offset("2025-06-01T07:00:00", 7 * 60)?;
/// assert_eq!((t2, zoned), (t, false));
/// # Ok::<(), hoso_pki::PkiError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Timestamp(i64);

/// Inputs longer than this are refused before parsing: no valid
/// date-time comes near it, and error messages stay short.
const MAX_INPUT: usize = 64;

/// The largest zone offset accepted, in minutes (RFC 3339 allows ±23:59).
const MAX_OFFSET_MINUTES: i32 = 23 * 60 + 59;

impl Timestamp {
    /// The time `secs` seconds after the Unix epoch (negative: before it).
    pub const fn from_unix(secs: i64) -> Self {
        Timestamp(secs)
    }

    /// Seconds since the Unix epoch.
    pub const fn unix(self) -> i64 {
        self.0
    }

    /// The current time from the system clock.  This is the only place
    /// hoso-pki reads a clock; every validation takes its time from the
    /// caller, so tests and re-verifications can pass a fixed one.
    pub fn now() -> Self {
        match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => Timestamp(i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
            Err(e) => Timestamp(-i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX)),
        }
    }

    /// Builds a time from UTC calendar fields; `None` when a field is out
    /// of range.
    pub fn from_utc(
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Option<Self> {
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
            || !(-1_000_000..=1_000_000).contains(&year)
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        Some(Timestamp(
            days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second),
        ))
    }

    /// Parses an RFC 3339 date-time or an xs:dateTime that carries a zone:
    /// `2025-06-01T07:00:00+07:00`, `2025-06-01T00:00:00Z`, with an optional
    /// fraction of a second (dropped: validity is counted in whole seconds).
    /// Surrounding ASCII whitespace is ignored, as XML's whitespace collapse
    /// would.  A value without a zone is refused: which zone it means is the
    /// caller's decision, see [`Timestamp::parse_with_default_offset`].
    pub fn parse_rfc3339(s: &str) -> Result<Self, PkiError> {
        match parse(s, None)? {
            (t, true) => Ok(t),
            (_, false) => Err(invalid(
                s,
                "no time zone (add Z or an offset such as +07:00)",
            )),
        }
    }

    /// Like [`Timestamp::parse_rfc3339`], but a value without a zone is read
    /// at `offset_minutes` east of UTC (Vietnam: `7 * 60`).  The flag says
    /// whether the value carried its own zone, so a report can say the zone
    /// was assumed.
    pub fn parse_with_default_offset(
        s: &str,
        offset_minutes: i32,
    ) -> Result<(Self, bool), PkiError> {
        if !(-MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES).contains(&offset_minutes) {
            return Err(invalid(s, "default offset out of range (at most ±23:59)"));
        }
        parse(s, Some(offset_minutes))
    }

    /// The UTC calendar fields (year, month, day, hour, minute, second).
    pub fn to_utc(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        // rem_euclid keeps secs in 0..86400, so these fit in u32.
        let secs = secs as u32;
        (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }

    /// The time `secs` seconds later (saturating).
    pub fn plus_seconds(self, secs: i64) -> Self {
        Timestamp(self.0.saturating_add(secs))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.to_utc();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

fn invalid(input: &str, reason: &'static str) -> PkiError {
    PkiError::InvalidTime {
        input: input.chars().take(MAX_INPUT).collect(),
        reason,
    }
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12); // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // The ranges of doy and mp keep these small and positive.
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A cursor over the ASCII bytes of a date-time.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, min: usize, max: usize) -> Option<i64> {
        let start = self.i;
        while self.i < self.b.len() && self.i - start < max && self.b[self.i].is_ascii_digit() {
            self.i += 1;
        }
        if self.i - start < min {
            return None;
        }
        Some(
            self.b[start..self.i]
                .iter()
                .fold(0i64, |n, c| n * 10 + i64::from(c - b'0')),
        )
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
}

fn parse(s: &str, default_offset: Option<i32>) -> Result<(Timestamp, bool), PkiError> {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    if t.len() > MAX_INPUT {
        return Err(invalid(s, "too long for a date-time"));
    }
    let mut c = Cursor {
        b: t.as_bytes(),
        i: 0,
    };
    // xs:dateTime allows years beyond 9999 (more digits); RFC 3339 has four.
    let year = c
        .digits(4, 9)
        .ok_or_else(|| invalid(s, "expected a year of at least four digits"))?;
    if !c.eat(b'-') {
        return Err(invalid(s, "expected '-' after the year"));
    }
    let month = c
        .digits(2, 2)
        .ok_or_else(|| invalid(s, "expected a two-digit month"))?;
    if !c.eat(b'-') {
        return Err(invalid(s, "expected '-' after the month"));
    }
    let day = c
        .digits(2, 2)
        .ok_or_else(|| invalid(s, "expected a two-digit day"))?;
    if !(c.eat(b'T') || c.eat(b't')) {
        return Err(invalid(s, "expected 'T' between date and time"));
    }
    let hour = c
        .digits(2, 2)
        .ok_or_else(|| invalid(s, "expected a two-digit hour"))?;
    if !c.eat(b':') {
        return Err(invalid(s, "expected ':' after the hour"));
    }
    let minute = c
        .digits(2, 2)
        .ok_or_else(|| invalid(s, "expected two-digit minutes"))?;
    if !c.eat(b':') {
        return Err(invalid(s, "expected ':' after the minutes"));
    }
    let second = c
        .digits(2, 2)
        .ok_or_else(|| invalid(s, "expected two-digit seconds"))?;
    let mut fraction_zero = true;
    if c.eat(b'.') {
        let start = c.i;
        while c.peek().is_some_and(|b| b.is_ascii_digit()) {
            fraction_zero &= c.peek() == Some(b'0');
            c.i += 1;
        }
        if c.i == start {
            return Err(invalid(s, "expected digits after '.'"));
        }
    }
    let offset = match c.peek() {
        None => None,
        Some(b'Z' | b'z') => {
            c.i += 1;
            Some(0)
        }
        Some(sign @ (b'+' | b'-')) => {
            c.i += 1;
            let oh = c
                .digits(2, 2)
                .ok_or_else(|| invalid(s, "expected a two-digit offset hour"))?;
            if !c.eat(b':') {
                return Err(invalid(s, "expected ':' in the zone offset"));
            }
            let om = c
                .digits(2, 2)
                .ok_or_else(|| invalid(s, "expected two-digit offset minutes"))?;
            if om > 59 || oh * 60 + om > i64::from(MAX_OFFSET_MINUTES) {
                return Err(invalid(s, "zone offset out of range"));
            }
            let m = (oh * 60 + om) as i32;
            Some(if sign == b'-' { -m } else { m })
        }
        Some(_) => return Err(invalid(s, "unexpected character after the time")),
    };
    if c.i != c.b.len() {
        return Err(invalid(s, "unexpected characters after the zone"));
    }
    if !(1..=12).contains(&month) {
        return Err(invalid(s, "month out of range"));
    }
    // The bounds check above keeps the casts lossless.
    let (month, day32) = (month as u32, day.clamp(0, 99) as u32);
    if day32 == 0 || day32 > days_in_month(year, month) {
        return Err(invalid(s, "day out of range for the month"));
    }
    // xs:dateTime allows 24:00:00 for the end of a day; RFC 3339 allows a
    // leap second 60, which POSIX time folds into the next second.
    let end_of_day = hour == 24 && minute == 0 && second == 0 && fraction_zero;
    if (hour > 23 && !end_of_day) || minute > 59 || second > 60 {
        return Err(invalid(s, "time of day out of range"));
    }
    let (offset, zoned) = match (offset, default_offset) {
        (Some(o), _) => (o, true),
        (None, Some(d)) => (d, false),
        (None, None) => (0, false),
    };
    let secs = days_from_civil(year, month, day32) * 86_400 + hour * 3600 + minute * 60 + second
        - i64::from(offset) * 60;
    Ok((Timestamp(secs), zoned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_dates() {
        assert_eq!(Timestamp::from_unix(0).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp::from_unix(951_782_400).to_string(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(Timestamp::from_unix(-1).to_string(), "1969-12-31T23:59:59Z");
        assert_eq!(
            Timestamp::from_utc(2036, 12, 31, 23, 59, 59)
                .unwrap()
                .to_string(),
            "2036-12-31T23:59:59Z"
        );
        assert!(Timestamp::from_utc(2025, 2, 29, 0, 0, 0).is_none());
    }

    #[test]
    fn round_trip_every_day_of_four_centuries() {
        let start = days_from_civil(1900, 1, 1);
        for day in start..start + 146_097 {
            let t = Timestamp::from_unix(day * 86_400 + 45_296);
            let (y, m, d, h, mi, s) = t.to_utc();
            assert_eq!(Timestamp::from_utc(y, m, d, h, mi, s), Some(t));
        }
    }

    #[test]
    fn parses_zones_fractions_and_quirks() {
        let z = Timestamp::parse_rfc3339("2025-06-01T00:00:00Z").unwrap();
        assert_eq!(
            Timestamp::parse_rfc3339("2025-06-01T07:00:00+07:00").unwrap(),
            z
        );
        assert_eq!(
            Timestamp::parse_rfc3339(" 2025-05-31T20:30:00.999-03:30\n").unwrap(),
            z
        );
        assert_eq!(Timestamp::parse_rfc3339("2025-05-31T24:00:00Z").unwrap(), z);
        assert_eq!(Timestamp::parse_rfc3339("2025-05-31t23:59:60z").unwrap(), z);
        for bad in [
            "",
            "2025-06-01",
            "2025-06-01T00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2025-06-01T24:00:01Z",
            "2025-06-01T00:00:00+24:00",
            "2025-06-01T00:00:00.Z",
            "2025-06-01T00:00:00Zjunk",
            "२०२५-06-01T00:00:00Z",
            "2025-06-01T00:00:00",
        ] {
            assert!(Timestamp::parse_rfc3339(bad).is_err(), "{bad:?}");
        }
        let (t, zoned) = Timestamp::parse_with_default_offset("2025-06-01T07:00:00", 420).unwrap();
        assert_eq!((t, zoned), (z, false));
        let (t, zoned) = Timestamp::parse_with_default_offset("2025-06-01T00:00:00Z", 420).unwrap();
        assert_eq!((t, zoned), (z, true));
    }
}
