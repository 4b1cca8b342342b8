//! Vietnamese number formatting: digit grouping and reading amounts in words.

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// Word used for a zero tens digit between a hundreds digit and a units digit
/// ("một trăm linh năm"). "lẻ" is the southern variant; "linh" is used on
/// official documents.
const ZERO_TENS: &str = "linh";

/// Formats an amount with Vietnamese digit grouping (dots every three digits).
///
/// ```
/// assert_eq!(hoso_receipt::format_vnd(1_200_000), "1.200.000");
/// assert_eq!(hoso_receipt::format_vnd(0), "0");
/// ```
pub fn format_vnd(vnd: u64) -> String {
    let digits = vnd.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// Reads an amount of Vietnamese đồng in words, as printed on receipts: the
/// first letter is capitalised and the text ends in `" đồng"`.
///
/// The reading follows the usual conventions: "linh" for a zero tens digit
/// ("một trăm linh năm"), "mười" for ten and "mươi" for the other tens,
/// "mốt" for a units one after a tens of twenty or more, "lăm" for a units
/// five after a tens digit, "tư" for a units four after a tens of twenty or
/// more, "không trăm" for an empty hundreds inside a larger number, and the
/// units "nghìn", "triệu", "tỷ" (and "nghìn tỷ", "triệu tỷ", … above that).
///
/// ```
/// use hoso_receipt::amount_in_words;
/// assert_eq!(amount_in_words(1_200_000), "Một triệu hai trăm nghìn đồng");
/// assert_eq!(amount_in_words(1_005), "Một nghìn không trăm linh năm đồng");
/// assert_eq!(amount_in_words(21), "Hai mươi mốt đồng");
/// assert_eq!(amount_in_words(0), "Không đồng");
/// ```
pub fn amount_in_words(vnd: u64) -> String {
    let mut words = Vec::new();
    if vnd == 0 {
        words.push(DIGITS[0]);
    } else {
        read_number(vnd, false, &mut words);
    }
    words.push("đồng");
    capitalise(&words.join(" "))
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Reads `n > 0`. `full` is true when a higher, non-zero part was already
/// read, so the leading group must spell out its zero hundreds.
fn read_number(n: u64, full: bool, out: &mut Vec<&'static str>) {
    const BILLION: u64 = 1_000_000_000;
    if n >= BILLION {
        read_number(n / BILLION, full, out);
        out.push("tỷ");
        let rest = n % BILLION;
        if rest > 0 {
            read_below_billion(rest, true, out);
        }
    } else {
        read_below_billion(n, full, out);
    }
}

/// Reads `0 < n < 1_000_000_000` as groups of millions, thousands and units.
fn read_below_billion(n: u64, mut full: bool, out: &mut Vec<&'static str>) {
    let groups = [
        (n / 1_000_000, Some("triệu")),
        ((n / 1_000) % 1_000, Some("nghìn")),
        (n % 1_000, None),
    ];
    for (group, unit) in groups {
        if group == 0 {
            continue;
        }
        read_group(group, full, out);
        if let Some(unit) = unit {
            out.push(unit);
        }
        full = true;
    }
}

/// Reads one group `0 < g < 1000`.
fn read_group(g: u64, full: bool, out: &mut Vec<&'static str>) {
    let (h, t, u) = (
        (g / 100) as usize,
        ((g / 10) % 10) as usize,
        (g % 10) as usize,
    );
    let has_hundreds = h > 0 || full;
    if has_hundreds {
        out.push(DIGITS[h]);
        out.push("trăm");
    }
    match t {
        0 => {
            if u > 0 {
                if has_hundreds {
                    out.push(ZERO_TENS);
                }
                out.push(DIGITS[u]);
            }
        }
        1 => {
            out.push("mười");
            match u {
                0 => {}
                5 => out.push("lăm"),
                _ => out.push(DIGITS[u]),
            }
        }
        _ => {
            out.push(DIGITS[t]);
            out.push("mươi");
            match u {
                0 => {}
                1 => out.push("mốt"),
                4 => out.push("tư"),
                5 => out.push("lăm"),
                _ => out.push(DIGITS[u]),
            }
        }
    }
}
