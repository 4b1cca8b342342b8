//! Working days for dossier appointment dates ("ngày hẹn trả kết quả").
//!
//! A working day of a Vietnamese administrative agency is a Monday to Friday
//! that is not a public holiday, a compensatory day off or a day swapped off by
//! the government, plus the Saturdays the government declares as make-up
//! working days ("ngày làm bù"). [`Calendar::vietnam`] holds that table for
//! [`FIRST_YEAR`]`..=`[`LAST_YEAR`]; configuration adds to it with
//! [`Calendar::with_overrides`].
//!
//! # Rules of the built-in table
//!
//! Public holidays follow the Labour Code: 2012 Code art. 115 for 2015–2020 and
//! 2019 Code art. 112 from 2021. The weekly rest days of administrative agencies
//! are Saturday and Sunday.
//!
//! 1. **New Year's Day**: 1 January.
//! 2. **Tết**: 5 days. In years without an announced schedule (see below) they
//!    are modelled as the two last days of the old lunar year and lunar
//!    1/1–1/3 ([`TET_DAYS_BEFORE`] = 2), because every announced schedule of
//!    2015–2026 took two days before lunar 1/1 (the five weekdays of lunar
//!    1/1 − 2 to 1/1 + 4 once weekends are compensated). *Assumption*: the
//!    government decides the Tết days each year; this model is only the
//!    default for 2027–2035.
//! 3. **Hùng Kings' Commemoration Day**: lunar 3/10.
//! 4. **Reunification Day**: 30 April.
//! 5. **International Labour Day**: 1 May.
//! 6. **National Day**: 2 September, and from 2021 one adjacent day (1 or 3
//!    September, chosen by the government each year). Where no choice has been
//!    announced (2027 onwards) the *assumed* choice is the neighbour that makes
//!    the longer break, as in every announced year 2021–2026: 1 September when
//!    2 September is a Tuesday, Wednesday, Friday or Saturday, 3 September when
//!    it is a Monday, Thursday or Sunday (for a Sunday both choices give the same
//!    days off).
//! 7. **Compensatory days off** (2012 Code art. 115(3), 2019 Code art. 111(3)):
//!    every holiday day of rules 1–6 that falls on a Saturday or Sunday gives a
//!    compensatory day off on the next day that is neither a weekend day nor
//!    already a holiday or compensatory day. Holidays are processed in date order,
//!    so two weekend holidays give two consecutive compensatory days. The rule is
//!    applied to the rule-based Tết days as well, so Tết always costs five
//!    weekdays.
//!
//! # Announced schedules
//!
//! Where the government's announced schedule is known, it replaces the rule
//! for that occasion: the Tết break is then exactly the announced range (all its
//! days are days off, no compensation is computed for it), the National Day
//! adjacent day is the announced one, and announced swaps make a weekday a day
//! off and a Saturday a make-up working day. The table holds (from the
//! announcements of the Government Office, the Ministry of Labour, Invalids and
//! Social Affairs and, from 2025, the Ministry of Home Affairs):
//!
//! | year | announced |
//! | --- | --- |
//! | 2015 | New Year: 2 Jan off, worked Sat 27 Dec 2014; Tết break 15–23 Feb with 16 Feb off, worked Sat 14 Feb; 29 Apr off, worked Sat 25 Apr |
//! | 2016 | Tết break 6–14 Feb, no swap |
//! | 2017 | Tết break 26 Jan–1 Feb (Hùng Kings' day stayed a single day) |
//! | 2018 | Tết break 14–20 Feb (notice 573/TB-VPCP) |
//! | 2019 | New Year: 31 Dec 2018 off, worked Sat 5 Jan; Tết break 2–10 Feb, no swap; 29 Apr off, worked Sat 4 May |
//! | 2020 | Tết break 23–29 Jan |
//! | 2021 | Tết break 10–16 Feb; National Day 2 and 3 Sep |
//! | 2022 | Tết break 29 Jan–6 Feb (days off 31 Jan–4 Feb); National Day 1 and 2 Sep |
//! | 2023 | Tết break 20–26 Jan; National Day 1 and 2 Sep (plus 4 Sep compensatory) |
//! | 2024 | Tết break 8–14 Feb; 29 Apr off, worked Sat 4 May; National Day 2 and 3 Sep |
//! | 2025 | Tết break 25 Jan–2 Feb (days off 27–31 Jan); 2 May off, worked Sat 26 Apr; National Day 1 and 2 Sep |
//! | 2026 | New Year: 2 Jan off, worked Sat 10 Jan; Tết break 14–22 Feb; National Day 1 and 2 Sep with 31 Aug off, worked Sat 22 Aug (notice 9441/TB-BNV) |
//!
//! Everything else, in particular every year from 2027, is rule-based; the
//! government's later decisions must be entered through configuration
//! ([`Calendar::with_overrides`]). Local closures and later changes of the law
//! are not known to the table either.
//!
//! # Lunar calendar
//!
//! [`lunar_new_year`] and [`hung_kings_day`] compute the Vietnamese lunar
//! calendar with the astronomical rules published by Hồ Ngọc Đức: a lunar month
//! starts on the civil day (at the UTC+7 meridian) of a new moon; month 11 is the
//! month containing the December solstice; a lunar year with 13 months between
//! two months 11 takes as leap month the first month after month 11 that
//! contains no major solar term (no multiple of 30° of solar longitude). New
//! moons use the periodic terms of Meeus, *Astronomical Algorithms* (2nd ed.,
//! ch. 49), the Sun's apparent longitude his low-accuracy theory (ch. 25), and
//! ΔT the polynomial approximations of Espenak and Meeus. The results are
//! meaningful from 1968, when the Vietnamese calendar moved to UTC+7 (it was
//! computed for UTC+8 before), to about 2200, and defined (never panicking) for
//! every `u16` year.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use hoso_forms::Date;

/// The first year of the built-in holiday table.
pub const FIRST_YEAR: u16 = 2015;
/// The last year of the built-in holiday table.
pub const LAST_YEAR: u16 = 2035;

/// How many of the five statutory Tết days precede lunar 1/1 in years without
/// an announced schedule (the others are lunar 1/1 onwards).
pub const TET_DAYS_BEFORE: i64 = 2;

/// Vietnamese and English name of a day off.
type Names = (&'static str, &'static str);

const NEW_YEAR: Names = ("Tết Dương lịch", "New Year's Day");
const TET: Names = ("Tết Nguyên đán", "Lunar New Year (Tết)");
const HUNG_KINGS: Names = ("Giỗ Tổ Hùng Vương", "Hùng Kings' Commemoration Day");
const REUNIFICATION: Names = ("Ngày Chiến thắng", "Reunification Day");
const LABOUR_DAY: Names = ("Ngày Quốc tế lao động", "International Labour Day");
const NATIONAL_DAY: Names = ("Quốc khánh", "National Day");
const COMPENSATORY: Names = ("Nghỉ bù", "Compensatory day off");
const SWAPPED: Names = ("Nghỉ hoán đổi", "Swapped day off");
const CONFIGURED: Names = ("Ngày nghỉ theo cấu hình", "Configured day off");

// ---------------------------------------------------------------------------
// Day arithmetic

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    /// Thứ Hai.
    Monday,
    /// Thứ Ba.
    Tuesday,
    /// Thứ Tư.
    Wednesday,
    /// Thứ Năm.
    Thursday,
    /// Thứ Sáu.
    Friday,
    /// Thứ Bảy.
    Saturday,
    /// Chủ nhật.
    Sunday,
}

impl Weekday {
    /// Whether this is Saturday or Sunday, the weekly rest days of agencies.
    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }
}

/// The number of days from 1970-01-01 to `day` (negative before it), in the
/// proleptic Gregorian calendar.
///
/// Out-of-range fields are not rejected: they count on arithmetically (day 0
/// of a month is the last day of the month before).
///
/// ```
/// use hoso_forms::Date;
/// use hoso_server::calendar::{date_from_days, days_since_epoch};
/// let day = Date::parse("2000-03-01").unwrap();
/// assert_eq!(days_since_epoch(day), 11_017);
/// assert_eq!(date_from_days(11_017), day);
/// ```
pub fn days_since_epoch(day: Date) -> i64 {
    let month = i64::from(day.month);
    // Count years from March, so that the leap day is the last day of a year.
    let year = i64::from(day.year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = (month + 9).rem_euclid(12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day.day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719 468 days lie between 0000-03-01 and 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` days after 1970-01-01; the inverse of [`days_since_epoch`].
///
/// Results are clamped to the range of [`Date`], 0001-01-01 to 9999-12-31.
pub fn date_from_days(days: i64) -> Date {
    const MIN: i64 = -719_162; // 0001-01-01
    const MAX: i64 = 2_932_896; // 9999-12-31
    let days = days.clamp(MIN, MAX);
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    // The clamp keeps every field in range, so the conversions cannot fail.
    Date {
        year: u16::try_from(year).unwrap_or(9999),
        month: u8::try_from(month).unwrap_or(12),
        day: u8::try_from(day).unwrap_or(31),
    }
}

/// The day of the week of `day`.
///
/// ```
/// use hoso_forms::Date;
/// use hoso_server::calendar::{weekday, Weekday};
/// assert_eq!(weekday(Date::parse("2026-11-27").unwrap()), Weekday::Friday);
/// ```
pub fn weekday(day: Date) -> Weekday {
    weekday_of(days_since_epoch(day))
}

fn weekday_of(days: i64) -> Weekday {
    // 1970-01-01 was a Thursday.
    match (days + 3).rem_euclid(7) {
        0 => Weekday::Monday,
        1 => Weekday::Tuesday,
        2 => Weekday::Wednesday,
        3 => Weekday::Thursday,
        4 => Weekday::Friday,
        5 => Weekday::Saturday,
        _ => Weekday::Sunday,
    }
}

const fn ymd(year: u16, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

// ---------------------------------------------------------------------------
// Astronomy and the Vietnamese lunar calendar

/// Julian day number of 1970-01-01.
const UNIX_EPOCH_JDN: i64 = 2_440_588;
/// Vietnam's time zone, in days.
const TIME_ZONE: f64 = 7.0 / 24.0;
/// Mean synodic month, in days.
const SYNODIC_MONTH: f64 = 29.530_588_861;
/// Julian ephemeris day of the mean new moon number 0 (2000-01-06).
const NEW_MOON_EPOCH: f64 = 2_451_550.097_66;

/// ΔT = TT − UT in seconds for a (fractional) year, from the polynomial
/// approximations of Espenak and Meeus.
fn delta_t_seconds(year: f64) -> f64 {
    let u = (year - 1820.0) / 100.0;
    let long_term = -20.0 + 32.0 * u * u;
    if !(1900.0..2150.0).contains(&year) {
        long_term
    } else if year < 1920.0 {
        let t = year - 1900.0;
        -2.79 + t * (1.494_119 + t * (-0.059_893_9 + t * (0.006_196_6 - 0.000_197 * t)))
    } else if year < 1941.0 {
        let t = year - 1920.0;
        21.20 + t * (0.844_93 + t * (-0.076_100 + t * 0.002_093_6))
    } else if year < 1961.0 {
        let t = year - 1950.0;
        29.07 + 0.407 * t - t * t / 233.0 + t * t * t / 2547.0
    } else if year < 1986.0 {
        let t = year - 1975.0;
        45.45 + 1.067 * t - t * t / 260.0 - t * t * t / 718.0
    } else if year < 2005.0 {
        let t = year - 2000.0;
        63.86
            + t * (0.3345
                + t * (-0.060_374 + t * (0.001_727_5 + t * (0.000_651_814 + t * 0.000_023_735_99))))
    } else if year < 2050.0 {
        let t = year - 2000.0;
        62.92 + t * (0.322_17 + t * 0.005_589)
    } else {
        long_term - 0.5628 * (2150.0 - year)
    }
}

/// ΔT in days at a Julian day.
fn delta_t_days(jd: f64) -> f64 {
    delta_t_seconds(2000.0 + (jd - 2_451_545.0) / 365.25) / 86_400.0
}

/// Julian ephemeris day (TT) of the true new moon number `k`, counted from the
/// new moon of 2000-01-06 (Meeus ch. 49).
fn new_moon_jde(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let (t2, t3, t4) = (t * t, t * t * t, t * t * t * t);
    let rad = |degrees: f64| degrees.rem_euclid(360.0).to_radians();
    let mean = NEW_MOON_EPOCH + SYNODIC_MONTH * k + 0.000_154_37 * t2 - 0.000_000_150 * t3
        + 0.000_000_000_73 * t4;
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    // Sun's mean anomaly, Moon's mean anomaly, Moon's argument of latitude,
    // longitude of the Moon's ascending node.
    let m = rad(2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3);
    let mm = rad(
        201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4,
    );
    let f = rad(
        160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4,
    );
    let node = rad(124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3);
    let periodic = [
        (-0.407_20, mm),
        (0.172_41 * e, m),
        (0.016_08, 2.0 * mm),
        (0.010_39, 2.0 * f),
        (0.007_39 * e, mm - m),
        (-0.005_14 * e, mm + m),
        (0.002_08 * e * e, 2.0 * m),
        (-0.001_11, mm - 2.0 * f),
        (-0.000_57, mm + 2.0 * f),
        (0.000_56 * e, 2.0 * mm + m),
        (-0.000_42, 3.0 * mm),
        (0.000_42 * e, m + 2.0 * f),
        (0.000_38 * e, m - 2.0 * f),
        (-0.000_24 * e, 2.0 * mm - m),
        (-0.000_17, node),
        (-0.000_07, mm + 2.0 * m),
        (0.000_04, 2.0 * mm - 2.0 * f),
        (0.000_04, 3.0 * m),
        (0.000_03, mm + m - 2.0 * f),
        (0.000_03, 2.0 * mm + 2.0 * f),
        (-0.000_03, mm + m + 2.0 * f),
        (0.000_03, mm - m + 2.0 * f),
        (-0.000_02, mm - m - 2.0 * f),
        (-0.000_02, 3.0 * mm + m),
        (0.000_02, 4.0 * mm),
    ];
    let planetary = [
        (0.000_325, 299.77 + 0.107_408 * k - 0.009_173 * t2),
        (0.000_165, 251.88 + 0.016_321 * k),
        (0.000_164, 251.83 + 26.651_886 * k),
        (0.000_126, 349.42 + 36.412_478 * k),
        (0.000_110, 84.66 + 18.206_239 * k),
        (0.000_062, 141.74 + 53.303_771 * k),
        (0.000_060, 207.14 + 2.453_732 * k),
        (0.000_056, 154.84 + 7.306_860 * k),
        (0.000_047, 34.52 + 27.261_239 * k),
        (0.000_042, 207.19 + 0.121_824 * k),
        (0.000_040, 291.34 + 1.844_379 * k),
        (0.000_037, 161.72 + 24.198_154 * k),
        (0.000_035, 239.56 + 25.513_099 * k),
        (0.000_023, 331.55 + 3.592_518 * k),
    ];
    mean + periodic.iter().map(|&(c, arg)| c * arg.sin()).sum::<f64>()
        + planetary
            .iter()
            .map(|&(c, arg)| c * rad(arg).sin())
            .sum::<f64>()
}

/// The Sun's apparent geocentric longitude in degrees, `0..360`, at a Julian
/// ephemeris day (Meeus ch. 25, low accuracy: about 0.01°).
fn sun_longitude(jde: f64) -> f64 {
    let t = (jde - 2_451_545.0) / 36_525.0;
    let mean_longitude = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t * t;
    let anomaly = (357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t * t)
        .rem_euclid(360.0)
        .to_radians();
    let center = (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * anomaly.sin()
        + (0.019_993 - 0.000_101 * t) * (2.0 * anomaly).sin()
        + 0.000_289 * (3.0 * anomaly).sin();
    let node = (125.04 - 1934.136 * t).rem_euclid(360.0).to_radians();
    (mean_longitude + center - 0.005_69 - 0.004_78 * node.sin()).rem_euclid(360.0)
}

/// The local (UTC+7) Julian day number of the day on which new moon `k` falls.
fn new_moon_day(k: i64) -> i64 {
    let jde = new_moon_jde(k);
    let ut = jde - delta_t_days(jde);
    (ut + 0.5 + TIME_ZONE).floor() as i64
}

/// The major solar term sector (`0..12`, 30° each) of the Sun at the local
/// midnight that starts the day with Julian day number `jdn`.
fn solar_sector(jdn: i64) -> i64 {
    let ut = jdn as f64 - 0.5 - TIME_ZONE;
    (sun_longitude(ut + delta_t_days(ut)) / 30.0).floor() as i64
}

/// The local Julian day number of the day containing the December solstice of
/// `year`.
fn december_solstice_day(year: i64) -> i64 {
    let mut jd = (days_since_epoch_parts(year, 12, 21) + UNIX_EPOCH_JDN) as f64;
    // Newton steps on the longitude; the Sun moves about 0.9856° a day.
    for _ in 0..6 {
        let error =
            (270.0 - sun_longitude(jd + delta_t_days(jd)) + 180.0).rem_euclid(360.0) - 180.0;
        jd += error / 0.985_647;
    }
    (jd + 0.5 + TIME_ZONE).floor() as i64
}

fn days_since_epoch_parts(year: i64, month: u8, day: u8) -> i64 {
    // The year is that of a u16 shifted by at most one, so the clamp never bites
    // for real inputs; it only keeps the conversion total.
    let year = u16::try_from(year.clamp(0, i64::from(u16::MAX))).unwrap_or(0);
    days_since_epoch(ymd(year, month, day))
}

/// The number `k` of the new moon that starts lunar month 11 (the month that
/// contains the December solstice) of Gregorian `year`.
fn month_11(year: i64) -> i64 {
    let solstice = december_solstice_day(year);
    let mut k = ((solstice as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64;
    for _ in 0..4 {
        if new_moon_day(k) > solstice {
            k -= 1;
        } else if new_moon_day(k + 1) <= solstice {
            k += 1;
        } else {
            break;
        }
    }
    k
}

/// The Julian day numbers of lunar 1/1 and of the first day of lunar month 3
/// of the lunar year that starts in Gregorian `year`.
fn lunar_year_start(year: u16) -> (i64, i64) {
    let year = i64::from(year);
    let first = month_11(year - 1);
    let months = month_11(year) - first;
    // Index (in months after month 11) of the leap month, if this lunar year
    // has 13 months: the first month without a major solar term.
    let leap = if months == 13 {
        (1..=12).find(|&i| {
            solar_sector(new_moon_day(first + i)) == solar_sector(new_moon_day(first + i + 1))
        })
    } else {
        None
    };
    let index = |month: i64| {
        // Month 12 follows month 11; month m (1..=10) is m + 1 months after it.
        let plain = month + 1;
        plain + i64::from(leap.is_some_and(|l| l <= plain))
    };
    (
        new_moon_day(first + index(1)),
        new_moon_day(first + index(3)),
    )
}

fn date_from_jdn(jdn: i64) -> Date {
    date_from_days(jdn - UNIX_EPOCH_JDN)
}

/// The lunar new year (lunar 1/1, "mùng 1 Tết") of a Gregorian year, in the
/// Vietnamese calendar (UTC+7).
///
/// ```
/// use hoso_server::calendar::lunar_new_year;
/// assert_eq!(lunar_new_year(2024).to_string(), "2024-02-10");
/// // The Vietnamese calendar differs from the Chinese one (2007-02-18) here.
/// assert_eq!(lunar_new_year(2007).to_string(), "2007-02-17");
/// ```
pub fn lunar_new_year(year: u16) -> Date {
    date_from_jdn(lunar_year_start(year).0)
}

/// The Hùng Kings' commemoration day (lunar 3/10, "Giỗ Tổ Hùng Vương") of a
/// Gregorian year, in the Vietnamese calendar (UTC+7).
///
/// ```
/// use hoso_server::calendar::hung_kings_day;
/// assert_eq!(hung_kings_day(2025).to_string(), "2025-04-07");
/// ```
pub fn hung_kings_day(year: u16) -> Date {
    date_from_jdn(lunar_year_start(year).1 + 9)
}

// ---------------------------------------------------------------------------
// Holiday table

/// An announced schedule that replaces the rule for some occasions of a year.
struct Announced {
    year: u16,
    /// The Tết break, first and last day; all its days are days off.
    tet: Option<(Date, Date)>,
    /// The day of September added to 2 September (from 2021).
    national_day_extra: Option<u8>,
    /// Swaps: (weekday given off, Saturday worked instead).
    swaps: &'static [(Date, Date)],
}

/// Schedules announced by the government, checked against its announcements
/// (see the module documentation).
const ANNOUNCED: &[Announced] = &[
    Announced {
        year: 2015,
        tet: Some((ymd(2015, 2, 15), ymd(2015, 2, 23))),
        national_day_extra: None,
        swaps: &[
            (ymd(2015, 1, 2), ymd(2014, 12, 27)),
            (ymd(2015, 2, 16), ymd(2015, 2, 14)),
            (ymd(2015, 4, 29), ymd(2015, 4, 25)),
        ],
    },
    Announced {
        year: 2016,
        tet: Some((ymd(2016, 2, 6), ymd(2016, 2, 14))),
        national_day_extra: None,
        swaps: &[],
    },
    Announced {
        year: 2017,
        tet: Some((ymd(2017, 1, 26), ymd(2017, 2, 1))),
        national_day_extra: None,
        swaps: &[],
    },
    Announced {
        year: 2018,
        tet: Some((ymd(2018, 2, 14), ymd(2018, 2, 20))),
        national_day_extra: None,
        swaps: &[],
    },
    Announced {
        year: 2019,
        tet: Some((ymd(2019, 2, 2), ymd(2019, 2, 10))),
        national_day_extra: None,
        swaps: &[
            (ymd(2018, 12, 31), ymd(2019, 1, 5)),
            (ymd(2019, 4, 29), ymd(2019, 5, 4)),
        ],
    },
    Announced {
        year: 2020,
        tet: Some((ymd(2020, 1, 23), ymd(2020, 1, 29))),
        national_day_extra: None,
        swaps: &[],
    },
    Announced {
        year: 2021,
        tet: Some((ymd(2021, 2, 10), ymd(2021, 2, 16))),
        national_day_extra: Some(3),
        swaps: &[],
    },
    Announced {
        year: 2022,
        tet: Some((ymd(2022, 1, 29), ymd(2022, 2, 6))),
        national_day_extra: Some(1),
        swaps: &[],
    },
    Announced {
        year: 2023,
        tet: Some((ymd(2023, 1, 20), ymd(2023, 1, 26))),
        national_day_extra: Some(1),
        swaps: &[],
    },
    Announced {
        year: 2024,
        tet: Some((ymd(2024, 2, 8), ymd(2024, 2, 14))),
        national_day_extra: Some(3),
        swaps: &[(ymd(2024, 4, 29), ymd(2024, 5, 4))],
    },
    Announced {
        year: 2025,
        tet: Some((ymd(2025, 1, 25), ymd(2025, 2, 2))),
        national_day_extra: Some(1),
        swaps: &[(ymd(2025, 5, 2), ymd(2025, 4, 26))],
    },
    Announced {
        year: 2026,
        tet: Some((ymd(2026, 2, 14), ymd(2026, 2, 22))),
        national_day_extra: Some(1),
        swaps: &[
            (ymd(2026, 1, 2), ymd(2026, 1, 10)),
            (ymd(2026, 8, 31), ymd(2026, 8, 22)),
        ],
    },
];

/// The assumed neighbour of 2 September (1 or 3) where none was announced: the
/// one that makes the longer break.
fn default_national_day_extra(year: u16) -> u8 {
    match weekday(ymd(year, 9, 2)) {
        Weekday::Monday | Weekday::Thursday | Weekday::Sunday => 3,
        _ => 1,
    }
}

fn is_weekend_day(days: i64) -> bool {
    weekday_of(days).is_weekend()
}

/// Builds the built-in table.
fn build_vietnam() -> Calendar {
    let mut days_off: BTreeMap<Date, Names> = BTreeMap::new();
    let mut working_days = BTreeSet::new();
    // Holiday days subject to the weekend compensation rule.
    let mut statutory: Vec<Date> = Vec::new();
    for year in FIRST_YEAR..=LAST_YEAR {
        let announced = ANNOUNCED.iter().find(|a| a.year == year);
        let mut holidays = vec![(ymd(year, 1, 1), NEW_YEAR)];
        match announced.and_then(|a| a.tet) {
            Some((first, last)) => {
                // The announced break already includes its compensation.
                for days in days_since_epoch(first)..=days_since_epoch(last) {
                    days_off.insert(date_from_days(days), TET);
                }
            }
            None => {
                let new_year = days_since_epoch(lunar_new_year(year));
                for days in new_year - TET_DAYS_BEFORE..new_year + 5 - TET_DAYS_BEFORE {
                    holidays.push((date_from_days(days), TET));
                }
            }
        }
        holidays.push((hung_kings_day(year), HUNG_KINGS));
        holidays.push((ymd(year, 4, 30), REUNIFICATION));
        holidays.push((ymd(year, 5, 1), LABOUR_DAY));
        holidays.push((ymd(year, 9, 2), NATIONAL_DAY));
        if year >= 2021 {
            let extra = announced
                .and_then(|a| a.national_day_extra)
                .unwrap_or_else(|| default_national_day_extra(year));
            holidays.push((ymd(year, 9, extra), NATIONAL_DAY));
        }
        for (day, names) in holidays {
            days_off.insert(day, names);
            statutory.push(day);
        }
    }
    statutory.sort_unstable();
    statutory.dedup();
    for holiday in statutory {
        let days = days_since_epoch(holiday);
        if !is_weekend_day(days) {
            continue;
        }
        let mut next = days + 1;
        while is_weekend_day(next) || days_off.contains_key(&date_from_days(next)) {
            next += 1;
        }
        days_off.insert(date_from_days(next), COMPENSATORY);
    }
    for announced in ANNOUNCED {
        for &(off, worked) in announced.swaps {
            days_off.insert(off, SWAPPED);
            working_days.insert(worked);
        }
    }
    Calendar {
        days_off,
        working_days,
    }
}

/// Working days and days off of Vietnamese administrative agencies.
///
/// A day is a working day when it is a configured or built-in make-up working
/// day, or else when it is a Monday to Friday that is not a day off (holiday,
/// compensatory, swapped or configured day off). See the [module
/// documentation](self) for the built-in rules.
///
/// ```
/// use hoso_forms::Date;
/// use hoso_server::calendar::Calendar;
/// let calendar = Calendar::vietnam();
/// let day = |text| Date::parse(text).unwrap();
/// // 2 September 2018 was a Sunday, so Monday 3 September was off.
/// assert!(!calendar.is_working_day(day("2018-09-03")));
/// // Received on Wednesday before the Tết break (8–14 February 2024).
/// assert_eq!(calendar.add_working_days(day("2024-02-07"), 5), day("2024-02-21"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Days off other than ordinary weekends, with their names.
    days_off: BTreeMap<Date, Names>,
    /// Days that are working days whatever their weekday (make-up days).
    working_days: BTreeSet<Date>,
}

impl Calendar {
    /// The built-in Vietnamese calendar for [`FIRST_YEAR`]`..=`[`LAST_YEAR`].
    ///
    /// The table is computed once per process and cloned.
    pub fn vietnam() -> Calendar {
        static TABLE: OnceLock<Calendar> = OnceLock::new();
        TABLE.get_or_init(build_vietnam).clone()
    }

    /// Adds days off and make-up working days from configuration.
    ///
    /// Days off win over the built-in working days (a built-in make-up Saturday
    /// listed here becomes a day off again); make-up working days turn a weekend
    /// day or a holiday into a working day. A date in both lists is a day off.
    /// A configured day off that is already a built-in day off keeps its name;
    /// the others are named "Ngày nghỉ theo cấu hình" / "Configured day off".
    /// Built-in compensatory days are not recomputed: configuration that
    /// changes a holiday lists the compensatory day to change as well.
    ///
    /// ```
    /// use hoso_forms::Date;
    /// use hoso_server::calendar::Calendar;
    /// let day = |text| Date::parse(text).unwrap();
    /// let calendar = Calendar::vietnam()
    ///     .with_overrides(&[day("2030-11-25")], &[day("2030-11-30")]);
    /// assert!(!calendar.is_working_day(day("2030-11-25"))); // a Monday
    /// assert!(calendar.is_working_day(day("2030-11-30"))); // a Saturday
    /// ```
    pub fn with_overrides(mut self, days_off: &[Date], working_days: &[Date]) -> Calendar {
        for &day in working_days {
            self.days_off.remove(&day);
            self.working_days.insert(day);
        }
        for &day in days_off {
            self.working_days.remove(&day);
            self.days_off.entry(day).or_insert(CONFIGURED);
        }
        self
    }

    /// Whether `day` is a working day.
    pub fn is_working_day(&self, day: Date) -> bool {
        if self.working_days.contains(&day) {
            return true;
        }
        !self.days_off.contains_key(&day) && !weekday(day).is_weekend()
    }

    /// The date `n` working days after `received` (the day of receipt itself
    /// does not count, whatever time it is received). `n = 0` gives the next
    /// working day on or after `received`.
    ///
    /// For `n ≥ 1` the result `r` is the working day after `received` such that
    /// exactly `n` working days lie in `(received, r]`; for `n = 0` it is the
    /// first working day in `[received, …)`. The search is bounded (weekends
    /// alone leave five working days a week apart from the finitely many days
    /// off) and results are clamped to 9999-12-31.
    ///
    /// ```
    /// use hoso_forms::Date;
    /// use hoso_server::calendar::Calendar;
    /// let calendar = Calendar::vietnam();
    /// let day = |text| Date::parse(text).unwrap();
    /// // Received on Saturday 6 June 2026: the next working day is Monday.
    /// assert_eq!(calendar.add_working_days(day("2026-06-06"), 0), day("2026-06-08"));
    /// assert_eq!(calendar.add_working_days(day("2026-06-06"), 1), day("2026-06-08"));
    /// assert_eq!(calendar.add_working_days(day("2026-06-05"), 1), day("2026-06-08"));
    /// ```
    pub fn add_working_days(&self, received: Date, n: u32) -> Date {
        let start = days_since_epoch(received);
        // In any 7 consecutive days at least 5 are weekdays, and only the
        // days off can make a weekday a non-working day: this many days always
        // hold n + 1 working days.
        let needed = i64::from(n) + 1 + self.days_off.len() as i64;
        let limit = 7 * (needed / 5 + 2);
        let mut remaining = n;
        let mut days = if n == 0 { start } else { start + 1 };
        let last = start + limit;
        while days < last {
            let day = date_from_days(days);
            if self.is_working_day(day) {
                if remaining <= 1 {
                    return day;
                }
                remaining -= 1;
            }
            if day == ymd(9999, 12, 31) {
                return day;
            }
            days += 1;
        }
        date_from_days(last)
    }

    /// Holidays (days off other than ordinary weekends) of a year, in order,
    /// with a short Vietnamese and English name: public holidays (including
    /// those falling on a weekend, and every day of an announced Tết break),
    /// compensatory days ("Nghỉ bù"), swapped days ("Nghỉ hoán đổi") and
    /// configured days off ("Ngày nghỉ theo cấu hình"). Make-up working days
    /// are not listed.
    ///
    /// ```
    /// use hoso_server::calendar::Calendar;
    /// let holidays = Calendar::vietnam().holidays(2030);
    /// assert_eq!(holidays[0].0.to_string(), "2030-01-01");
    /// assert_eq!(holidays[0].2, "New Year's Day");
    /// ```
    pub fn holidays(&self, year: u16) -> Vec<(Date, &'static str, &'static str)> {
        self.days_off
            .range(ymd(year, 1, 1)..=ymd(year, 12, 31))
            .map(|(&day, &(vi, en))| (day, vi, en))
            .collect()
    }

    /// Whether `year` is inside the built-in table (outside it only weekends
    /// and configured days are known; callers warn).
    pub fn covers(&self, year: u16) -> bool {
        (FIRST_YEAR..=LAST_YEAR).contains(&year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeus_new_moon_example() {
        // Meeus example 49.a: the new moon of 1977 February is k = -283,
        // JDE 2443192.65118.
        assert!((new_moon_jde(-283) - 2_443_192.651_18).abs() < 0.000_01);
    }

    #[test]
    fn meeus_sun_longitude_example() {
        // Meeus example 25.a: 1992 October 13.0 TD, apparent longitude 199.90895°.
        assert!((sun_longitude(2_448_908.5) - 199.908_95).abs() < 0.000_1);
    }

    #[test]
    fn default_national_day_extra_matches_announcements() {
        for announced in ANNOUNCED {
            if let Some(extra) = announced.national_day_extra {
                assert_eq!(default_national_day_extra(announced.year), extra);
            }
        }
    }

    #[test]
    fn swaps_give_a_weekday_and_take_a_saturday() {
        for announced in ANNOUNCED {
            for &(off, worked) in announced.swaps {
                assert!(!weekday(off).is_weekend(), "{off}");
                assert_eq!(weekday(worked), Weekday::Saturday, "{worked}");
            }
        }
    }

    #[test]
    fn announced_tet_breaks_contain_tet_and_five_weekdays() {
        for announced in ANNOUNCED {
            let (first, last) = announced.tet.expect("every announced year has Tết");
            let new_year = lunar_new_year(announced.year);
            assert!(first < new_year && new_year <= last, "{}", announced.year);
            let weekdays = (days_since_epoch(first)..=days_since_epoch(last))
                .filter(|&d| !is_weekend_day(d))
                .count();
            // Five Tết days plus the days swapped into the break.
            let swapped = announced
                .swaps
                .iter()
                .filter(|(off, _)| first <= *off && *off <= last)
                .count();
            // 2015: Tết 17–21 Feb (Sat 21 compensated on Mon 23) and the swap.
            assert_eq!(weekdays, 5 + swapped, "{}", announced.year);
        }
    }
}
