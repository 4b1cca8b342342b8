//! Tests of the working-day calendar: the lunar calendar against known dates,
//! day arithmetic, the holiday table against the government's announced
//! schedules, configuration overrides and `add_working_days`.

use hoso_forms::Date;
use hoso_server::calendar::{
    Calendar, FIRST_YEAR, LAST_YEAR, Weekday, date_from_days, days_since_epoch, hung_kings_day,
    lunar_new_year, weekday,
};

fn day(text: &str) -> Date {
    Date::parse(text).unwrap_or_else(|| panic!("bad date {text}"))
}

fn days_between(first: &str, last: &str) -> impl Iterator<Item = Date> + use<> {
    (days_since_epoch(day(first))..=days_since_epoch(day(last))).map(date_from_days)
}

/// Non-working Mondays to Fridays between two dates, inclusive.
fn weekdays_off(calendar: &Calendar, first: &str, last: &str) -> Vec<String> {
    days_between(first, last)
        .filter(|&d| !weekday(d).is_weekend() && !calendar.is_working_day(d))
        .map(|d| d.to_string())
        .collect()
}

// ---------------------------------------------------------------------------
// Lunar calendar

#[test]
fn lunar_new_year_matches_known_dates() {
    let known = [
        (2015, "2015-02-19"),
        (2016, "2016-02-08"),
        (2017, "2017-01-28"),
        (2018, "2018-02-16"),
        (2019, "2019-02-05"),
        (2020, "2020-01-25"),
        (2021, "2021-02-12"),
        (2022, "2022-02-01"),
        (2023, "2023-01-22"),
        (2024, "2024-02-10"),
        (2025, "2025-01-29"),
        (2026, "2026-02-17"),
        (2027, "2027-02-06"),
        (2028, "2028-01-26"),
        (2029, "2029-02-13"),
        // The new moon is at 16:07 UTC on 2 February: 23:07 in Vietnam, but
        // 00:07 on 3 February in China, whose new year is 2030-02-03.
        (2030, "2030-02-02"),
        (2031, "2031-01-23"),
        (2032, "2032-02-11"),
        (2033, "2033-01-31"),
        // After the leap month 11 of 2033.
        (2034, "2034-02-19"),
        (2035, "2035-02-08"),
    ];
    for (year, expected) in known {
        assert_eq!(lunar_new_year(year), day(expected), "Tết {year}");
    }
}

#[test]
fn lunar_new_year_famous_differences_from_the_chinese_calendar() {
    // China: 1985-02-20, 2007-02-18; South Vietnam kept UTC+8 in 1968 (Jan 30).
    assert_eq!(lunar_new_year(1985), day("1985-01-21"));
    assert_eq!(lunar_new_year(2007), day("2007-02-17"));
    assert_eq!(lunar_new_year(1968), day("1968-01-29"));
}

#[test]
fn hung_kings_day_matches_known_dates() {
    let known = [
        (2015, "2015-04-28"),
        (2016, "2016-04-16"),
        (2017, "2017-04-06"),
        (2018, "2018-04-25"),
        (2019, "2019-04-14"),
        (2020, "2020-04-02"),
        (2021, "2021-04-21"),
        (2022, "2022-04-10"),
        (2023, "2023-04-29"),
        (2024, "2024-04-18"),
        (2025, "2025-04-07"),
        (2026, "2026-04-26"),
    ];
    for (year, expected) in known {
        assert_eq!(hung_kings_day(year), day(expected), "Hùng Kings {year}");
    }
}

#[test]
fn lunar_dates_of_the_table_years_are_plausible() {
    for year in FIRST_YEAR..=LAST_YEAR {
        let tet = lunar_new_year(year);
        let hung = hung_kings_day(year);
        assert_eq!(tet.year, year);
        assert!(
            day(&format!("{year}-01-21")) <= tet && tet <= day(&format!("{year}-02-20")),
            "Tết {tet}"
        );
        // Two lunar months and nine days later, three months with a leap
        // month 1 or 2.
        let gap = days_since_epoch(hung) - days_since_epoch(tet);
        assert!((67..=98).contains(&gap), "{year}: {gap} days");
    }
}

#[test]
fn lunar_functions_never_panic() {
    for year in [
        0,
        1,
        2,
        100,
        1000,
        1582,
        1900,
        2100,
        3000,
        9999,
        10_000,
        u16::MAX,
    ] {
        let _ = lunar_new_year(year);
        let _ = hung_kings_day(year);
    }
}

// ---------------------------------------------------------------------------
// Day arithmetic

#[test]
fn weekday_of_known_dates() {
    assert_eq!(weekday(day("2026-11-27")), Weekday::Friday);
    assert_eq!(weekday(day("2000-01-01")), Weekday::Saturday);
    assert_eq!(weekday(day("2024-02-29")), Weekday::Thursday);
    assert_eq!(weekday(day("1970-01-01")), Weekday::Thursday);
    assert_eq!(weekday(day("0001-01-01")), Weekday::Monday);
    assert_eq!(weekday(day("9999-12-31")), Weekday::Friday);
    assert!(Weekday::Saturday.is_weekend() && Weekday::Sunday.is_weekend());
    assert!(!Weekday::Friday.is_weekend());
}

#[test]
fn days_since_epoch_of_known_dates() {
    assert_eq!(days_since_epoch(day("1970-01-01")), 0);
    assert_eq!(days_since_epoch(day("1969-12-31")), -1);
    assert_eq!(days_since_epoch(day("2000-03-01")), 11_017);
    assert_eq!(days_since_epoch(day("2024-02-29")), 19_782);
    assert_eq!(days_since_epoch(day("0001-01-01")), -719_162);
    assert_eq!(days_since_epoch(day("9999-12-31")), 2_932_896);
}

#[test]
fn day_arithmetic_round_trips_and_counts_every_day() {
    let mut previous = days_since_epoch(day("1899-12-31"));
    for year in 1900..=2100u16 {
        for month in 1..=12u8 {
            for d in 1..=31u8 {
                let text = format!("{year:04}-{month:02}-{d:02}");
                let Some(date) = Date::parse(&text) else {
                    continue;
                };
                let days = days_since_epoch(date);
                assert_eq!(days, previous + 1, "{text}");
                assert_eq!(date_from_days(days), date);
                previous = days;
            }
        }
    }
}

#[test]
fn date_from_days_clamps_to_the_date_range() {
    assert_eq!(date_from_days(i64::MIN), day("0001-01-01"));
    assert_eq!(date_from_days(i64::MAX), day("9999-12-31"));
}

// ---------------------------------------------------------------------------
// The built-in table

#[test]
fn covers_the_table_years() {
    let calendar = Calendar::vietnam();
    assert!(!calendar.covers(2014));
    assert!(calendar.covers(FIRST_YEAR) && calendar.covers(2026) && calendar.covers(LAST_YEAR));
    assert!(!calendar.covers(2036));
}

#[test]
fn weekends_are_not_working_days_and_weekdays_are() {
    let calendar = Calendar::vietnam();
    assert!(!calendar.is_working_day(day("2026-11-28")));
    assert!(!calendar.is_working_day(day("2026-11-29")));
    assert!(calendar.is_working_day(day("2026-11-27")));
    assert!(calendar.is_working_day(day("2026-11-30")));
    // Outside the table only weekends are known.
    assert!(calendar.is_working_day(day("2040-01-02")));
    assert!(!calendar.is_working_day(day("2040-01-07")));
}

#[test]
fn fixed_holidays_are_days_off() {
    let calendar = Calendar::vietnam();
    for text in [
        "2030-01-01",
        "2030-04-30",
        "2030-05-01",
        "2030-09-02",
        "2020-09-02",
        "2025-09-02",
    ] {
        assert!(!calendar.is_working_day(day(text)), "{text}");
    }
    // 2 September has only one day before 2021.
    assert!(calendar.is_working_day(day("2020-09-03")));
    assert!(calendar.is_working_day(day("2020-09-01")));
}

#[test]
fn compensatory_days_follow_weekend_holidays() {
    let calendar = Calendar::vietnam();
    // 2 September 2018 was a Sunday.
    assert!(!calendar.is_working_day(day("2018-09-03")));
    assert!(calendar.is_working_day(day("2018-09-04")));
    // 1 January 2022 was a Saturday, 1 January 2023 a Sunday.
    assert!(!calendar.is_working_day(day("2022-01-03")));
    assert!(!calendar.is_working_day(day("2023-01-02")));
    // 30 April and 1 May 2022 on Saturday and Sunday: Monday and Tuesday off.
    assert_eq!(
        weekdays_off(&calendar, "2022-04-25", "2022-05-06"),
        ["2022-05-02", "2022-05-03"]
    );
    // 2023: Hùng Kings' day on Saturday 29 April, 30 April a Sunday, 1 May a
    // Monday: five days off in a row, compensated on Tuesday and Wednesday.
    assert_eq!(
        weekdays_off(&calendar, "2023-04-24", "2023-05-05"),
        ["2023-05-01", "2023-05-02", "2023-05-03"]
    );
    // Hùng Kings' day on Sunday 26 April 2026.
    assert!(!calendar.is_working_day(day("2026-04-27")));
    let holidays = calendar.holidays(2026);
    let compensatory = holidays
        .iter()
        .find(|(date, ..)| *date == day("2026-04-27"))
        .expect("listed");
    assert_eq!(
        (compensatory.1, compensatory.2),
        ("Nghỉ bù", "Compensatory day off")
    );
}

#[test]
fn announced_tet_breaks() {
    let calendar = Calendar::vietnam();
    let announced = [
        (2015, "2015-02-16..2015-02-20,2015-02-23"),
        (2016, "2016-02-08..2016-02-12"),
        (2017, "2017-01-26..2017-01-27,2017-01-30..2017-02-01"),
        (2018, "2018-02-14..2018-02-16,2018-02-19..2018-02-20"),
        (2019, "2019-02-04..2019-02-08"),
        (2020, "2020-01-23..2020-01-24,2020-01-27..2020-01-29"),
        (2021, "2021-02-10..2021-02-12,2021-02-15..2021-02-16"),
        (2022, "2022-01-31..2022-02-04"),
        (2023, "2023-01-20,2023-01-23..2023-01-26"),
        (2024, "2024-02-08..2024-02-09,2024-02-12..2024-02-14"),
        (2025, "2025-01-27..2025-01-31"),
        (2026, "2026-02-16..2026-02-20"),
    ];
    for (year, ranges) in announced {
        let mut expected = Vec::new();
        for range in ranges.split(',') {
            let (first, last) = range.split_once("..").unwrap_or((range, range));
            expected.extend(
                days_between(first, last)
                    .filter(|&d| !weekday(d).is_weekend())
                    .map(|d| d.to_string()),
            );
        }
        let window = (format!("{year}-01-10"), format!("{year}-03-05"));
        assert_eq!(
            weekdays_off(&calendar, &window.0, &window.1),
            expected,
            "Tết {year}"
        );
    }
}

#[test]
fn rule_based_tet_is_two_days_before_and_three_after_with_compensation() {
    let calendar = Calendar::vietnam();
    // Lunar 1/1 of 2030 is Saturday 2 February: Thursday 31 January and
    // Friday 1 February, the weekend, Monday, then Tuesday and Wednesday
    // compensate for the weekend.
    assert_eq!(lunar_new_year(2030), day("2030-02-02"));
    assert_eq!(
        weekdays_off(&calendar, "2030-01-10", "2030-03-05"),
        [
            "2030-01-31",
            "2030-02-01",
            "2030-02-04",
            "2030-02-05",
            "2030-02-06"
        ]
    );
    // Every rule-based year has exactly five weekdays off around Tết.
    for year in 2027..=LAST_YEAR {
        let tet = days_since_epoch(lunar_new_year(year));
        let off = (tet - 2..=tet + 7)
            .map(date_from_days)
            .filter(|&d| !weekday(d).is_weekend() && !calendar.is_working_day(d))
            .count();
        assert_eq!(off, 5, "{year}");
    }
}

#[test]
fn announced_swaps_and_make_up_saturdays() {
    let calendar = Calendar::vietnam();
    let swaps = [
        ("2015-01-02", "2014-12-27"),
        ("2015-02-16", "2015-02-14"),
        ("2015-04-29", "2015-04-25"),
        ("2018-12-31", "2019-01-05"),
        ("2019-04-29", "2019-05-04"),
        ("2024-04-29", "2024-05-04"),
        ("2025-05-02", "2025-04-26"),
        ("2026-01-02", "2026-01-10"),
        ("2026-08-31", "2026-08-22"),
    ];
    for (off, worked) in swaps {
        assert!(!calendar.is_working_day(day(off)), "{off}");
        assert_eq!(weekday(day(worked)), Weekday::Saturday);
        assert!(calendar.is_working_day(day(worked)), "{worked}");
    }
    // Tết 2019 (2–10 February) had no make-up Saturday.
    assert!(!calendar.is_working_day(day("2019-01-26")));
    assert!(!calendar.is_working_day(day("2019-02-16")));
}

#[test]
fn announced_national_day_breaks() {
    let calendar = Calendar::vietnam();
    let expected: [(u16, &[&str]); 6] = [
        (2021, &["2021-09-02", "2021-09-03"]),
        (2022, &["2022-09-01", "2022-09-02"]),
        (2023, &["2023-09-01", "2023-09-04"]),
        (2024, &["2024-09-02", "2024-09-03"]),
        (2025, &["2025-09-01", "2025-09-02"]),
        (2026, &["2026-08-31", "2026-09-01", "2026-09-02"]),
    ];
    for (year, days) in expected {
        assert_eq!(
            weekdays_off(
                &calendar,
                &format!("{year}-08-20"),
                &format!("{year}-09-10")
            ),
            days,
            "{year}"
        );
    }
}

#[test]
fn each_year_has_the_statutory_number_of_weekdays_off() {
    let calendar = Calendar::vietnam();
    for year in FIRST_YEAR..=LAST_YEAR {
        let days = || days_between(&format!("{year}-01-01"), &format!("{year}-12-31"));
        let weekdays_off = days()
            .filter(|&d| !weekday(d).is_weekend() && !calendar.is_working_day(d))
            .count();
        let working_weekends = days()
            .filter(|&d| weekday(d).is_weekend() && calendar.is_working_day(d))
            .count();
        let statutory = if year <= 2020 { 10 } else { 11 };
        // Swaps whose two days lie in different years.
        let adjustment: i64 = match year {
            2015 => 1,  // 2 January off, worked 27 December 2014
            2018 => 1,  // 31 December off, worked 5 January 2019
            2019 => -1, // the other half
            _ => 0,
        };
        assert_eq!(
            weekdays_off as i64 - working_weekends as i64,
            statutory + adjustment,
            "{year}"
        );
    }
}

#[test]
fn holidays_are_ordered_named_and_complete() {
    let calendar = Calendar::vietnam();
    for year in FIRST_YEAR..=LAST_YEAR {
        let holidays = calendar.holidays(year);
        assert!(holidays.windows(2).all(|w| w[0].0 < w[1].0), "{year}");
        for (date, vi, en) in &holidays {
            assert_eq!(date.year, year);
            assert!(!calendar.is_working_day(*date), "{date}");
            assert!(!vi.is_empty() && !en.is_empty());
        }
        let listed: Vec<Date> = holidays.iter().map(|h| h.0).collect();
        for date in days_between(&format!("{year}-01-01"), &format!("{year}-12-31")) {
            if !weekday(date).is_weekend() && !calendar.is_working_day(date) {
                assert!(listed.contains(&date), "{date} not listed");
            }
        }
    }
    let names: Vec<(String, &str, &str)> = calendar
        .holidays(2024)
        .into_iter()
        .map(|(d, vi, en)| (d.to_string(), vi, en))
        .collect();
    let expect = |date: &str, vi: &str, en: &str| {
        assert!(
            names.iter().any(|n| n.0 == date && n.1 == vi && n.2 == en),
            "{date} {vi} {en} in {names:?}"
        );
    };
    expect("2024-01-01", "Tết Dương lịch", "New Year's Day");
    expect("2024-02-10", "Tết Nguyên đán", "Lunar New Year (Tết)");
    expect(
        "2024-04-18",
        "Giỗ Tổ Hùng Vương",
        "Hùng Kings' Commemoration Day",
    );
    expect("2024-04-29", "Nghỉ hoán đổi", "Swapped day off");
    expect("2024-04-30", "Ngày Chiến thắng", "Reunification Day");
    expect(
        "2024-05-01",
        "Ngày Quốc tế lao động",
        "International Labour Day",
    );
    expect("2024-09-02", "Quốc khánh", "National Day");
    expect("2024-09-03", "Quốc khánh", "National Day");
    // Make-up working days are not listed.
    assert!(!names.iter().any(|n| n.0 == "2024-05-04"));
}

// ---------------------------------------------------------------------------
// Overrides

#[test]
fn overrides_add_days_off() {
    let calendar = Calendar::vietnam().with_overrides(&[day("2030-11-25"), day("2040-03-05")], &[]);
    assert!(!calendar.is_working_day(day("2030-11-25")));
    assert!(!calendar.is_working_day(day("2040-03-05")));
    assert!(calendar.is_working_day(day("2030-11-26")));
    assert!(calendar.holidays(2030).contains(&(
        day("2030-11-25"),
        "Ngày nghỉ theo cấu hình",
        "Configured day off"
    )));
    assert_eq!(
        calendar.holidays(2040),
        [(
            day("2040-03-05"),
            "Ngày nghỉ theo cấu hình",
            "Configured day off"
        )]
    );
    // A configured day that is already a holiday keeps its name.
    let again = Calendar::vietnam().with_overrides(&[day("2030-04-30")], &[]);
    assert_eq!(again, Calendar::vietnam());
}

#[test]
fn overrides_add_working_days() {
    let calendar = Calendar::vietnam().with_overrides(&[], &[day("2030-04-30"), day("2030-11-30")]);
    // A holiday and a Saturday become working days.
    assert!(calendar.is_working_day(day("2030-04-30")));
    assert!(calendar.is_working_day(day("2030-11-30")));
    assert!(
        !calendar
            .holidays(2030)
            .iter()
            .any(|h| h.0 == day("2030-04-30"))
    );
    // The built-in table is unchanged.
    assert!(!Calendar::vietnam().is_working_day(day("2030-04-30")));
}

#[test]
fn configured_days_off_win() {
    // Over a built-in make-up Saturday.
    let calendar = Calendar::vietnam().with_overrides(&[day("2024-05-04")], &[]);
    assert!(!calendar.is_working_day(day("2024-05-04")));
    // Over a configured working day.
    let calendar = Calendar::vietnam().with_overrides(&[day("2031-03-03")], &[day("2031-03-03")]);
    assert!(!calendar.is_working_day(day("2031-03-03")));
}

// ---------------------------------------------------------------------------
// add_working_days

#[test]
fn add_working_days_across_tet() {
    let calendar = Calendar::vietnam();
    // Received Wednesday 7 February 2024; the Tết break is 8–14 February.
    assert_eq!(
        calendar.add_working_days(day("2024-02-07"), 1),
        day("2024-02-15")
    );
    assert_eq!(
        calendar.add_working_days(day("2024-02-07"), 5),
        day("2024-02-21")
    );
    // Received during the break.
    assert_eq!(
        calendar.add_working_days(day("2024-02-10"), 0),
        day("2024-02-15")
    );
}

#[test]
fn add_working_days_across_reunification_and_labour_day() {
    let calendar = Calendar::vietnam();
    // 2024: off Saturday 27 April – Wednesday 1 May, Saturday 4 May worked.
    assert_eq!(
        calendar.add_working_days(day("2024-04-26"), 1),
        day("2024-05-02")
    );
    assert_eq!(
        calendar.add_working_days(day("2024-04-26"), 3),
        day("2024-05-04")
    );
    assert_eq!(
        calendar.add_working_days(day("2024-04-26"), 4),
        day("2024-05-06")
    );
    // 2030 (rule-based): Tuesday 30 April and Wednesday 1 May.
    assert_eq!(
        calendar.add_working_days(day("2030-04-29"), 1),
        day("2030-05-02")
    );
}

#[test]
fn add_working_days_across_a_year_end() {
    let calendar = Calendar::vietnam();
    // 1 January 2031 is a Wednesday.
    assert_eq!(
        calendar.add_working_days(day("2030-12-31"), 1),
        day("2031-01-02")
    );
    assert_eq!(
        calendar.add_working_days(day("2030-12-27"), 3),
        day("2031-01-02")
    );
    // Into the years outside the table: only weekends.
    assert_eq!(
        calendar.add_working_days(day("2035-12-28"), 5),
        day("2036-01-04")
    );
}

#[test]
fn add_zero_working_days() {
    let calendar = Calendar::vietnam();
    // A Saturday gives the Monday.
    assert_eq!(
        calendar.add_working_days(day("2026-06-06"), 0),
        day("2026-06-08")
    );
    // A working day gives itself, a make-up Saturday too.
    assert_eq!(
        calendar.add_working_days(day("2026-06-08"), 0),
        day("2026-06-08")
    );
    assert_eq!(
        calendar.add_working_days(day("2024-05-04"), 0),
        day("2024-05-04")
    );
}

/// Over every day of the table and n = 0..=40: with W(a, b) the number of
/// working days d with a <= d < b, r = add_working_days(d, n) is a working day
/// and
/// - for n >= 1: r > d and W(d + 1, r) = n - 1 (so exactly n working days lie in
///   (d, r], n - 1 of them strictly between d and r);
/// - for n = 0: r >= d and W(d, r) = 0.
#[test]
fn add_working_days_property_over_the_table() {
    let calendar = Calendar::vietnam();
    let first = days_since_epoch(day("2015-01-01"));
    let last = days_since_epoch(day("2035-12-31"));
    // Counted to well past the table, so that results in 2036 are covered.
    let end = last + 200;
    // prefix[i] = W(first, first + i)
    let mut prefix = vec![0i64];
    for days in first..=end {
        let working = calendar.is_working_day(date_from_days(days));
        prefix.push(prefix.last().copied().unwrap_or(0) + i64::from(working));
    }
    let w = |a: i64, b: i64| prefix[(b - first) as usize] - prefix[(a - first) as usize];
    for d in first..=last {
        let received = date_from_days(d);
        for n in 0..=40u32 {
            let result = calendar.add_working_days(received, n);
            let r = days_since_epoch(result);
            assert!(calendar.is_working_day(result), "{received} + {n}");
            if n == 0 {
                assert!(r >= d && w(d, r) == 0, "{received} + 0 = {result}");
            } else {
                assert!(
                    r > d && w(d + 1, r) == i64::from(n) - 1,
                    "{received} + {n} = {result}"
                );
            }
        }
    }
}

#[test]
fn add_working_days_is_fast_and_bounded() {
    let calendar = Calendar::vietnam();
    let start = std::time::Instant::now();
    for (received, n) in [
        ("2015-01-01", 1000),
        ("2034-06-01", 1000),
        ("2026-11-27", 999),
    ] {
        let result = calendar.add_working_days(day(received), n);
        assert!(calendar.is_working_day(result));
        let working = days_between(received, &result.to_string())
            .skip(1)
            .filter(|&d| calendar.is_working_day(d))
            .count();
        assert_eq!(working, n as usize, "{received} + {n}");
    }
    // A configuration that closes every day of a whole year still terminates.
    let closed: Vec<Date> = days_between("2040-01-01", "2040-12-31").collect();
    let calendar = calendar.with_overrides(&closed, &[]);
    assert_eq!(
        calendar.add_working_days(day("2039-12-31"), 1),
        day("2041-01-01")
    );
    // Results are clamped at the end of the date range.
    assert_eq!(
        calendar.add_working_days(day("9999-12-20"), 1000),
        day("9999-12-31")
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}
