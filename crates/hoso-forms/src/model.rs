//! The typed model every valid form becomes, whichever encoding it came in.

use std::fmt;

use crate::Decimal;

/// A calendar date of the proleptic Gregorian calendar, years 1–9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1–9999.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month.
    pub day: u8,
}

impl Date {
    /// Parses exactly `YYYY-MM-DD` and checks that the day exists.
    ///
    /// ```
    /// use hoso_forms::Date;
    /// assert!(Date::parse("2024-02-29").is_some());
    /// assert!(Date::parse("2023-02-29").is_none());
    /// assert!(Date::parse("2024-2-9").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = &b[range];
            if !part.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(part.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0')))
        };
        let year = number(0..4)?;
        let month = u8::try_from(number(5..7)?).ok()?;
        let day = u8::try_from(number(8..10)?).ok()?;
        if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A validated value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A text.
    Text(String),
    /// A whole number, within the field's bounds.
    Integer(i64),
    /// A decimal, within the field's bounds.
    Decimal(Decimal),
    /// A date.
    Date(Date),
    /// Yes or no.
    Boolean(bool),
    /// The code of an enumeration.
    Enum(String),
    /// The fields given, in the definition's order.
    Group(Vec<(String, Value)>),
    /// The option given and its value.
    Choice(String, Box<Value>),
    /// The entries of a list.
    List(Vec<Value>),
}

impl Value {
    /// The value at a path below this one (`wells[1].depth`).
    pub fn get(&self, path: &str) -> Option<&Value> {
        let mut here = self;
        for step in path.split('.') {
            let (name, indexes) = match step.find('[') {
                Some(i) => (&step[..i], &step[i..]),
                None => (step, ""),
            };
            if !name.is_empty() {
                here = match here {
                    Value::Group(fields) => &fields.iter().find(|(n, _)| n == name)?.1,
                    Value::Choice(option, value) if option == name => value,
                    _ => return None,
                };
            }
            for index in indexes.split_terminator(']') {
                let i: usize = index.strip_prefix('[')?.parse().ok()?;
                here = match here {
                    Value::List(items) => items.get(i)?,
                    _ => return None,
                };
            }
        }
        Some(here)
    }

    /// The text of a text, enumeration, number, date or boolean, as it would
    /// be written in the form.
    pub fn as_text(&self) -> Option<String> {
        Some(match self {
            Value::Text(s) | Value::Enum(s) => s.clone(),
            Value::Integer(n) => n.to_string(),
            Value::Decimal(d) => d.to_string(),
            Value::Date(d) => d.to_string(),
            Value::Boolean(b) => b.to_string(),
            _ => return None,
        })
    }
}

/// A form that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The catalog id of its procedure.
    pub procedure: String,
    /// The fields of the document element.
    pub fields: Value,
}

/// One file of a form's attachment manifest (the shared `Attachment`
/// type): the file the signer meant, by name, media type, size and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    /// The manifest field (`siteMap`), with the index for an entry of a
    /// list (`wellLogs[1]`).
    pub field: String,
    /// The file name declared.
    pub file_name: String,
    /// The media type declared.
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

impl Form {
    /// The value at a field path (`applicant.person.fullName`,
    /// `extraction.wells[0].depth`).
    pub fn get(&self, path: &str) -> Option<&Value> {
        self.fields.get(path)
    }

    /// The files the form's `attachments` group lists, in the form's
    /// order; a list of files gives one entry per file.
    ///
    /// ```
    /// let definitions = hoso_forms::Definitions::load()?;
    /// let xml = std::fs::read("../../examples/forms/tnmt-02-khai-thac-nuoc-duoi-dat/valid.xml")?;
    /// let form = definitions.validate_xml(&xml, None).unwrap();
    /// let files = form.attachments();
    /// assert!(!files.is_empty());
    /// assert!(files.iter().all(|f| f.sha256.len() == 64 && f.size > 0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn attachments(&self) -> Vec<ManifestEntry> {
        let mut out = Vec::new();
        let Some(Value::Group(fields)) = self.get("attachments") else {
            return out;
        };
        let entry = |field: String, value: &Value| -> Option<ManifestEntry> {
            let text = |p: &str| value.get(p).and_then(Value::as_text);
            Some(ManifestEntry {
                field,
                file_name: text("fileName")?,
                media_type: text("mediaType")?,
                size: text("size")?.parse().ok()?,
                sha256: text("sha256")?,
            })
        };
        for (name, value) in fields {
            match value {
                Value::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        out.extend(entry(format!("{name}[{i}]"), item));
                    }
                }
                other => out.extend(entry(name.clone(), other)),
            }
        }
        out
    }
}
