//! What is wrong with a form: one entry per problem, with the field path,
//! a stable code and a message in Vietnamese and English.

use std::fmt;

use hoso_xml::Position;

use crate::{Lang, Text};

/// The most problems reported for one form; a form with more is reported
/// truncated, since the first hundred already say what went wrong.
pub const MAX_ERRORS: usize = 100;

/// What a JSON value should have been.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// A string.
    String,
    /// A number.
    Number,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// An object.
    Object,
    /// An array.
    Array,
}

impl JsonKind {
    fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (JsonKind::String, Lang::Vi) => "một chuỗi",
            (JsonKind::String, Lang::En) => "a string",
            (JsonKind::Number, Lang::Vi) => "một số",
            (JsonKind::Number, Lang::En) => "a number",
            (JsonKind::Integer, Lang::Vi) => "một số nguyên",
            (JsonKind::Integer, Lang::En) => "a whole number",
            (JsonKind::Boolean, Lang::Vi) => "true hoặc false",
            (JsonKind::Boolean, Lang::En) => "true or false",
            (JsonKind::Object, Lang::Vi) => "một đối tượng",
            (JsonKind::Object, Lang::En) => "an object",
            (JsonKind::Array, Lang::Vi) => "một mảng",
            (JsonKind::Array, Lang::En) => "an array",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_read_as_people_write_them() {
        let bound = |value: &str, unit: Option<&str>| Bound {
            value: value.into(),
            exclusive: true,
            unit: unit.map(Into::into),
        };
        assert_eq!(
            bound("3000", Some("m3/day")).with_unit(Lang::Vi),
            "3.000 m³/ngày đêm"
        );
        assert_eq!(
            bound("3000", Some("m3/day")).with_unit(Lang::En),
            "3,000 m³/day"
        );
        assert_eq!(
            bound("50000", Some("m3/day")).with_unit(Lang::En),
            "50,000 m³/day"
        );
        assert_eq!(bound("1234567.5", None).with_unit(Lang::Vi), "1.234.567,5");
        assert_eq!(bound("-2.5", Some("m")).with_unit(Lang::En), "-2.5 m");
        assert_eq!(bound("250", Some("mm")).with_unit(Lang::Vi), "250 mm");
        assert_eq!(bound("10", Some("year")).with_unit(Lang::Vi), "10 năm");
    }
}

/// A bound of a number, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// The bound as written in the definition.
    pub value: String,
    /// Whether the bound itself is refused.
    pub exclusive: bool,
    /// The unit, if any.
    pub unit: Option<String>,
}

impl Bound {
    /// The bound as people write it in `lang`: digits grouped (3.000 in
    /// Vietnamese, 3,000 in English) and the unit spelled out.
    fn with_unit(&self, lang: Lang) -> String {
        let number = group_digits(&self.value, lang);
        match &self.unit {
            Some(u) => format!("{number} {}", unit_text(u, lang)),
            None => number,
        }
    }
}

/// Groups the integer digits of a decimal text by thousands.
fn group_digits(value: &str, lang: Lang) -> String {
    let (separator, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let (sign, rest) = match value.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", value),
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 && int.len() > 4 {
            out.push(separator);
        }
        out.push(c);
    }
    if int.len() == 4 {
        // 3000 reads better as 3.000 / 3,000 too.
        out.insert(sign.len() + 1, separator);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// The unit codes of the definitions, as a reader expects them.
fn unit_text(unit: &str, lang: Lang) -> &str {
    let vi = lang == Lang::Vi;
    match unit {
        "m3/day" if vi => "m³/ngày đêm",
        "m3/day" => "m³/day",
        "m3/s" => "m³/s",
        "m3/h" => "m³/h",
        "m3" => "m³",
        "m3/year" if vi => "m³/năm",
        "m3/year" => "m³/year",
        "m2" => "m²",
        "t/year" if vi => "tấn/năm",
        "t/year" => "t/year",
        "t" if vi => "tấn",
        "h/day" if vi => "giờ/ngày",
        "day/year" if vi => "ngày/năm",
        "degree" => "°",
        "year" if vi => "năm",
        "year" => "years",
        "month" if vi => "tháng",
        "month" => "months",
        "min" if vi => "phút",
        "persons" if vi => "người",
        "copies" if vi => "bản",
        "rooms" if vi => "phòng",
        "beds" if vi => "giường",
        "storeys" if vi => "tầng",
        "well" if vi => "giếng",
        "well" => "wells",
        "pieces" if vi => "chiếc",
        "outfits" if vi => "bộ",
        "computers" if vi => "máy",
        "byte" => "byte",
        "VND" => "đồng",
        other => other,
    }
}

/// One kind of problem.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A required field is absent.
    Missing,
    /// A field the form does not have.
    Unknown {
        /// The name as written (with its prefix for a namespaced element).
        name: String,
    },
    /// A field given twice.
    Duplicate,
    /// In XML, a field placed before one that precedes it in the form.
    OutOfOrder,
    /// Nested fields where a single value belongs.
    NotAValue,
    /// A single value where nested fields belong.
    NotAGroup,
    /// In JSON, a value of the wrong type.
    WrongType {
        /// What it should be.
        expected: JsonKind,
    },
    /// A text shorter than allowed.
    TooShort {
        /// Fewest characters.
        min: u32,
    },
    /// A text longer than allowed.
    TooLong {
        /// Most characters.
        max: u32,
    },
    /// A text that does not have the required format.
    Pattern {
        /// What the format is.
        hint: Option<Text>,
    },
    /// A code that is not in the list.
    NotInList {
        /// The allowed codes.
        allowed: Vec<String>,
    },
    /// A number under the lower bound.
    BelowMinimum(Bound),
    /// A number over the upper bound.
    AboveMaximum(Bound),
    /// A number at or over the province's competence: another authority's
    /// procedure.
    BeyondCompetence {
        /// The limit.
        limit: Bound,
        /// Who decides instead.
        authority: Text,
    },
    /// Not a real date in `YYYY-MM-DD`.
    InvalidDate,
    /// Not a number of the expected kind.
    InvalidNumber {
        /// Whether a whole number was expected.
        integer: bool,
    },
    /// Not `true`, `false`, `1` or `0`.
    InvalidBoolean,
    /// A list with too few entries.
    TooFewItems {
        /// Fewest entries.
        min: u32,
    },
    /// A list with too many entries.
    TooManyItems {
        /// Most entries.
        max: u32,
    },
    /// A choice with no option given.
    NoChoice {
        /// The options.
        options: Vec<String>,
    },
    /// A choice with more than one option given.
    SeveralChoices {
        /// The options given.
        given: Vec<String>,
    },
    /// In XML, an attribute the form does not have.
    Attribute {
        /// Its name as written.
        name: String,
    },
    /// In XML, text between nested fields.
    MixedContent,
    /// The document is another kind of document.
    WrongDocument {
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
}

impl Problem {
    /// The stable code of the problem, for programs.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Missing => "required",
            Problem::Unknown { .. } => "unknown_field",
            Problem::Duplicate => "duplicate_field",
            Problem::OutOfOrder => "out_of_order",
            Problem::NotAValue => "not_a_value",
            Problem::NotAGroup => "not_a_group",
            Problem::WrongType { .. } => "wrong_type",
            Problem::TooShort { .. } => "too_short",
            Problem::TooLong { .. } => "too_long",
            Problem::Pattern { .. } => "pattern",
            Problem::NotInList { .. } => "not_in_list",
            Problem::BelowMinimum(_) => "below_minimum",
            Problem::AboveMaximum(_) => "above_maximum",
            Problem::BeyondCompetence { .. } => "beyond_competence",
            Problem::InvalidDate => "invalid_date",
            Problem::InvalidNumber { .. } => "invalid_number",
            Problem::InvalidBoolean => "invalid_boolean",
            Problem::TooFewItems { .. } => "too_few_items",
            Problem::TooManyItems { .. } => "too_many_items",
            Problem::NoChoice { .. } => "no_choice",
            Problem::SeveralChoices { .. } => "several_choices",
            Problem::Attribute { .. } => "unknown_attribute",
            Problem::MixedContent => "mixed_content",
            Problem::WrongDocument { .. } => "wrong_document",
        }
    }

    /// What is wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            Problem::Missing => pick(
                vi,
                "Thiếu trường bắt buộc.",
                "This required field is missing.",
            ),
            Problem::Unknown { name } => {
                if vi {
                    format!("Mẫu không có trường {name}.")
                } else {
                    format!("The form has no field {name}.")
                }
            }
            Problem::Duplicate => pick(
                vi,
                "Trường được ghi nhiều lần.",
                "The field is given more than once.",
            ),
            Problem::OutOfOrder => pick(
                vi,
                "Trường không đúng thứ tự của mẫu.",
                "The field is out of the form's order.",
            ),
            Problem::NotAValue => pick(
                vi,
                "Trường này là một giá trị, không chứa trường con.",
                "This field holds a value, not nested fields.",
            ),
            Problem::NotAGroup => pick(
                vi,
                "Trường này gồm các trường con, không phải một giá trị.",
                "This field holds nested fields, not a value.",
            ),
            Problem::WrongType { expected } => {
                if vi {
                    format!("Sai kiểu dữ liệu: cần {}.", expected.text(lang))
                } else {
                    format!("Wrong type: expected {}.", expected.text(lang))
                }
            }
            Problem::TooShort { min } => {
                if vi {
                    format!("Cần ít nhất {min} ký tự.")
                } else {
                    format!("At least {min} characters are needed.")
                }
            }
            Problem::TooLong { max } => {
                if vi {
                    format!("Dài quá {max} ký tự.")
                } else {
                    format!("Longer than {max} characters.")
                }
            }
            Problem::Pattern { hint } => match (hint, vi) {
                (Some(h), true) => format!("Sai định dạng: cần {}.", h.vi),
                (Some(h), false) => format!("Wrong format: expected {}.", h.en),
                (None, true) => "Sai định dạng.".into(),
                (None, false) => "Wrong format.".into(),
            },
            Problem::NotInList { allowed } => {
                if vi {
                    format!(
                        "Giá trị không có trong danh mục; chọn một trong: {}.",
                        allowed.join(", ")
                    )
                } else {
                    format!("Not an allowed code; use one of: {}.", allowed.join(", "))
                }
            }
            Problem::BelowMinimum(b) => match (b.exclusive, vi) {
                (true, true) => format!("Phải lớn hơn {}.", b.with_unit(lang)),
                (false, true) => format!("Không được nhỏ hơn {}.", b.with_unit(lang)),
                (true, false) => format!("Must be more than {}.", b.with_unit(lang)),
                (false, false) => format!("Must be at least {}.", b.with_unit(lang)),
            },
            Problem::AboveMaximum(b) => match (b.exclusive, vi) {
                (true, true) => format!("Phải nhỏ hơn {}.", b.with_unit(lang)),
                (false, true) => format!("Không được lớn hơn {}.", b.with_unit(lang)),
                (true, false) => format!("Must be less than {}.", b.with_unit(lang)),
                (false, false) => format!("Must be at most {}.", b.with_unit(lang)),
            },
            Problem::BeyondCompetence { limit, authority } => {
                if vi {
                    format!(
                        "Từ {} trở lên không thuộc thẩm quyền của tỉnh; hồ sơ này thuộc thẩm quyền của {}.",
                        limit.with_unit(lang),
                        authority.vi
                    )
                } else {
                    format!(
                        "{} or more is beyond the province's competence; this request belongs to {}.",
                        limit.with_unit(lang),
                        authority.en
                    )
                }
            }
            Problem::InvalidDate => pick(
                vi,
                "Ngày không hợp lệ: cần một ngày có thật, dạng YYYY-MM-DD.",
                "Not a valid date: a real day written YYYY-MM-DD is expected.",
            ),
            Problem::InvalidNumber { integer: true } => {
                pick(vi, "Không phải số nguyên.", "Not a whole number.")
            }
            Problem::InvalidNumber { integer: false } => pick(
                vi,
                "Không phải số thập phân (dùng dấu chấm, ví dụ 1250.5).",
                "Not a decimal number (use a point, for example 1250.5).",
            ),
            Problem::InvalidBoolean => pick(vi, "Cần true hoặc false.", "Expected true or false."),
            Problem::TooFewItems { min } => {
                if vi {
                    format!("Cần ít nhất {min} mục.")
                } else {
                    format!("At least {min} entries are needed.")
                }
            }
            Problem::TooManyItems { max } => {
                if vi {
                    format!("Nhiều hơn {max} mục.")
                } else {
                    format!("More than {max} entries.")
                }
            }
            Problem::NoChoice { options } => {
                if vi {
                    format!("Cần chọn một trong: {}.", options.join(", "))
                } else {
                    format!("One of these is needed: {}.", options.join(", "))
                }
            }
            Problem::SeveralChoices { given } => {
                if vi {
                    format!("Chỉ được chọn một, nhưng có: {}.", given.join(", "))
                } else {
                    format!(
                        "Only one may be given, but there are: {}.",
                        given.join(", ")
                    )
                }
            }
            Problem::Attribute { name } => {
                if vi {
                    format!("Mẫu không có thuộc tính {name}.")
                } else {
                    format!("The form has no attribute {name}.")
                }
            }
            Problem::MixedContent => pick(
                vi,
                "Có văn bản xen giữa các trường con.",
                "There is text between nested fields.",
            ),
            Problem::WrongDocument { expected, found } => {
                if vi {
                    format!("Cần tài liệu {expected}, nhưng nhận được {found}.")
                } else {
                    format!("Expected a {expected} document, found {found}.")
                }
            }
        }
    }
}

fn pick(vi: bool, v: &str, e: &str) -> String {
    if vi { v.into() } else { e.into() }
}

/// One problem of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field path from the document element (`applicant.person.fullName`,
    /// `extraction.wells[1].depth`); empty for the document itself.
    pub path: String,
    /// The field's label, when the path names a field of the form.
    pub label: Option<Text>,
    /// What is wrong.
    pub problem: Problem,
    /// Where in an XML document (the element concerned, or its parent for
    /// a missing field); `None` for JSON.
    pub position: Option<Position>,
}

impl FieldError {
    /// The stable code of the problem.
    pub fn code(&self) -> &'static str {
        self.problem.code()
    }

    /// The message in `lang`, with the field's label.
    ///
    /// ```
    /// let definitions = hoso_forms::Definitions::load()?;
    /// let json = br#"{"procedure": "tnmt-02-khai-thac-nuoc-duoi-dat"}"#;
    /// let rejection = definitions.validate_json(json, None).unwrap_err();
    /// let first = &rejection.errors()[0];
    /// assert_eq!(first.path, "applicant");
    /// assert_eq!(first.code(), "required");
    /// assert!(first.message(hoso_forms::Lang::Vi).starts_with("Tổ chức, cá nhân đề nghị cấp phép"));
    /// # Ok::<(), hoso_forms::FormsError>(())
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        match &self.label {
            Some(label) => format!("{}: {}", label.get(lang), self.problem.message(lang)),
            None => self.problem.message(lang),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(document)"
        } else {
            &self.path
        };
        match &self.position {
            Some(p) => write!(
                f,
                "{p}: {path}: {}: {}",
                self.code(),
                self.message(Lang::En)
            ),
            None => write!(f, "{path}: {}: {}", self.code(), self.message(Lang::En)),
        }
    }
}
