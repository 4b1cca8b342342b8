//! Text patterns that mean the same to hoso, to an XSD validator and to a
//! JSON Schema validator.
//!
//! XSD patterns are implicitly anchored and know no `^`/`$`; ECMA-262 ones
//! (JSON Schema) are not anchored; `\d`, `\w` and `.` differ between them
//! on non-ASCII text. A definition may therefore only use a portable subset:
//! literal characters, escaped metacharacters, bracket classes of literals
//! and ranges, groups, alternation and the quantifiers `? * + {n} {n,} {n,m}`.
//! Every export anchors the pattern in its own way.

use regex::Regex;

/// Checks that `pattern` stays within the portable subset.
pub(crate) fn check_portable(pattern: &str) -> Result<(), String> {
    let mut chars = pattern.chars().peekable();
    let mut depth = 0usize;
    let mut atom_before = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) if "\\.-+*?()[]{}|^$/".contains(e) => atom_before = true,
                Some(e) => return Err(format!("the escape \\{e} is not portable; write a class")),
                None => return Err("the pattern ends with a lone backslash".into()),
            },
            '[' => {
                if chars.peek() == Some(&'^') {
                    chars.next();
                }
                let mut empty = true;
                loop {
                    match chars.next() {
                        None => return Err("a class is not closed".into()),
                        Some(']') if !empty => break,
                        Some('\\') => match chars.next() {
                            Some(e) if "\\-[]^".contains(e) => {}
                            _ => {
                                return Err(
                                    "only \\\\ \\- \\[ \\] \\^ may be escaped in a class".into()
                                );
                            }
                        },
                        Some('[') => {
                            return Err("class subtraction and nesting are not portable".into());
                        }
                        Some(_) => {}
                    }
                    empty = false;
                }
                atom_before = true;
            }
            '(' => {
                if chars.peek() == Some(&'?') {
                    return Err("(? groups are not portable".into());
                }
                depth += 1;
                atom_before = false;
            }
            ')' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or("a group closes that never opened")?;
                atom_before = true;
            }
            '|' => atom_before = false,
            '?' | '*' | '+' => {
                if !atom_before {
                    return Err(format!("{c} follows nothing"));
                }
                atom_before = false;
            }
            '{' => {
                if !atom_before {
                    return Err("{ follows nothing".into());
                }
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(d) if d.is_ascii_digit() || d == ',' => inner.push(d),
                        _ => return Err("a count is {n} or {n,m}".into()),
                    }
                }
                let ok = match inner.split_once(',') {
                    None => inner.parse::<u16>().is_ok(),
                    Some((a, "")) => a.parse::<u16>().is_ok(),
                    Some((a, b)) => {
                        matches!((a.parse::<u16>(), b.parse::<u16>()), (Ok(a), Ok(b)) if a <= b)
                    }
                };
                if !ok {
                    return Err("a count is {n} or {n,m} with n ≤ m".into());
                }
                atom_before = false;
            }
            '.' | '^' | '$' => {
                return Err(format!(
                    "{c} means different things in XSD and ECMA-262; escape it or use a class"
                ));
            }
            '}' | ']' => return Err(format!("a lone {c} is not portable; escape it")),
            _ => atom_before = true,
        }
    }
    if depth != 0 {
        return Err("a group is not closed".into());
    }
    Regex::new(&anchored(pattern)).map_err(|e| e.to_string())?;
    Ok(())
}

/// The pattern anchored at both ends, for ECMA-262 and the regex crate.
pub(crate) fn anchored(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

/// A compiled portable pattern.
#[derive(Debug, Clone)]
pub(crate) struct Pattern(Regex);

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl Pattern {
    pub(crate) fn new(pattern: &str) -> Pattern {
        Pattern(Regex::new(&anchored(pattern)).expect("definitions are checked when loaded"))
    }

    pub(crate) fn matches(&self, text: &str) -> bool {
        self.0.is_match(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_portable_subset() {
        for p in [
            "[0-9]{12}",
            "[0-9]{9}|[0-9]{12}",
            "[0-9]{10}(-[0-9]{3})?",
            "[A-Z][0-9]{7}",
            "\\+?[0-9 ]{8,15}",
            "[^@ ]+@[^@ ]+\\.[a-z]{2,}",
        ] {
            check_portable(p).unwrap_or_else(|e| panic!("{p}: {e}"));
        }
    }

    #[test]
    fn refuses_what_is_not_portable() {
        for p in [
            "\\d{12}",
            "^[0-9]+$",
            "a.b",
            "(?i)abc",
            "[a-z-[aeiou]]",
            "*a",
            "a{3,1}",
            "(ab",
            "ab)",
            "a}",
        ] {
            assert!(check_portable(p).is_err(), "{p}");
        }
    }

    #[test]
    fn matches_whole_values_only() {
        let p = Pattern::new("[0-9]{9}|[0-9]{12}");
        assert!(p.matches("123456789"));
        assert!(p.matches("123456789012"));
        assert!(!p.matches("1234567890"));
        assert!(!p.matches("123456789\n"));
    }
}
