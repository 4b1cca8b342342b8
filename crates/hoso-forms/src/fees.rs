//! What a dossier owes: the fee schedule of its procedure (from the catalog)
//! applied to the form the applicant signed.
//!
//! A schedule's `assessment` says which of its lines apply to a form and how
//! many times: conditions on form fields (an enumeration code, a yes/no, a
//! number's band, a text's prefix), a per-unit multiplier (`per`, with the
//! first `beyond` units free), and the applicant's declared fee category,
//! some of whose codes are exemptions listed in the schedule. [`FeeRules::new`]
//! checks every rule against the form definitions once, so a path that does
//! not exist, a code the form does not offer or an exemption the form
//! cannot declare is an error at start-up, not a wrong amount later.
//!
//! Assessment lives here rather than in the service because a portal
//! backend embedding the library shows the fee before the applicant signs.
//!
//! ```
//! use hoso_forms::{Catalog, Definitions, FeeOutcome, FeeRules};
//!
//! let catalog = Catalog::load()?;
//! let definitions = Definitions::load()?;
//! let rules = FeeRules::new(&catalog, &definitions)?;
//! let definition = definitions.get("gtvt-19-doi-giay-phep-lai-xe").unwrap();
//! let xml = definition.example().to_xml(definition);
//! let form = definitions.validate_xml(xml.as_bytes(), None).unwrap();
//! let fee = rules.assess(&form).unwrap();
//! assert_eq!(fee.outcome, FeeOutcome::Due);
//! assert_eq!(fee.total_vnd, 135_000);
//! # Ok::<(), hoso_forms::FormsError>(())
//! ```

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::{Catalog, Decimal, Definitions, Field, Form, FormsError, Text, Type, Value};

/// How a schedule applies to a form, as written in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeAssessmentRule {
    /// Path of the enumeration field where the applicant declares a fee
    /// category (`request.feeCategory`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Category codes that pay nothing, each with the index of the
    /// schedule's exemption it claims.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exempt: BTreeMap<String, usize>,
    /// The lines charged when their conditions hold.
    pub lines: Vec<FeeLineRule>,
    /// What a reader of the rule should know (approximations, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// One charged line of an assessment rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeLineRule {
    /// Index of the schedule's item charged.
    pub item: usize,
    /// Every condition must hold; none means always.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<FeeCondition>,
    /// No condition of these may hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless: Vec<FeeCondition>,
    /// Path of a whole-number field the item is charged per unit of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// Units of `per` that are free (the third copy on: `beyond` 2).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub beyond: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A condition on one form field. Exactly one test is given. A field the
/// form leaves out satisfies only `not_in`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeCondition {
    /// Path of the field.
    pub field: String,
    /// The enumeration code is one of these.
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<String>>,
    /// The enumeration code is none of these (or the field is absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_in: Option<Vec<String>>,
    /// The yes/no field has this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is: Option<bool>,
    /// The number is at least this (a decimal written as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<String>,
    /// The number is below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<String>,
    /// The text starts with this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

/// Why a dossier owes what it owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeeOutcome {
    /// The lines are due.
    Due,
    /// The applicant declared an exempt category.
    Exempt {
        /// The declared code.
        category: String,
        /// The schedule's exemption it claims.
        exemption: Text,
    },
    /// The procedure charges nothing.
    NoFee,
    /// The schedule cannot be applied from the form alone: an officer sets
    /// the amount when requesting payment.
    ByOfficer {
        /// Why.
        reason: Text,
    },
}

/// One charged line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeLine {
    /// Index of the schedule's item.
    pub item: usize,
    /// What the line is for.
    pub label: Text,
    /// The item's amount.
    pub unit_vnd: u64,
    /// How many times it is charged.
    pub quantity: u64,
    /// `unit_vnd × quantity`.
    pub amount_vnd: u64,
    /// The amount is a national ceiling, not a verified local rate.
    pub ceiling: bool,
    /// Whether the amount was seen in a source.
    pub verified: bool,
}

/// What a form owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeAssessment {
    /// The procedure.
    pub procedure: String,
    /// Why.
    pub outcome: FeeOutcome,
    /// The lines charged (empty unless `Due`).
    pub lines: Vec<FeeLine>,
    /// Their sum, in đồng.
    pub total_vnd: u64,
}

impl FeeAssessment {
    /// Whether something must be paid before processing goes on.
    pub fn is_due(&self) -> bool {
        self.outcome == FeeOutcome::Due && self.total_vnd > 0
    }
}

/// The fee rules of every procedure, checked against the form definitions.
#[derive(Debug, Clone)]
pub struct FeeRules {
    procedures: HashMap<String, crate::Procedure>,
}

/// What kind of field a path must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Codes,
    Boolean,
    Number,
    Text,
    WholeNumber,
}

impl Want {
    fn describe(self) -> &'static str {
        match self {
            Want::Codes => "an enumeration",
            Want::Boolean => "a yes/no field",
            Want::Number => "a number",
            Want::Text => "a text",
            Want::WholeNumber => "a whole number",
        }
    }
}

impl FeeRules {
    /// Checks every procedure's assessment rule against its form definition.
    pub fn new(catalog: &Catalog, definitions: &Definitions) -> Result<FeeRules, FormsError> {
        let mut procedures = HashMap::new();
        for procedure in catalog.procedures() {
            if let Some(rule) = &procedure.fees.assessment {
                let at = |what: &str| format!("{}.fees.assessment.{what}", procedure.id);
                let definition = definitions.get(&procedure.id).ok_or_else(|| {
                    FormsError::invalid(at("lines"), "the procedure has no form definition")
                })?;
                let fields = &definition.fields;
                let items = procedure.fees.items.len();
                if let Some(path) = &rule.category {
                    let codes = resolve(fields, path, Want::Codes)
                        .map_err(|problem| FormsError::invalid(at("category"), problem))?;
                    for (code, exemption) in &rule.exempt {
                        if !codes.iter().any(|c| c == code) {
                            return Err(FormsError::invalid(
                                at(&format!("exempt.{code}")),
                                format!("{path} offers no code {code:?}"),
                            ));
                        }
                        if *exemption >= procedure.fees.exemptions.len() {
                            return Err(FormsError::invalid(
                                at(&format!("exempt.{code}")),
                                format!("the schedule has no exemption {exemption}"),
                            ));
                        }
                    }
                    for i in 0..procedure.fees.exemptions.len() {
                        if !rule.exempt.values().any(|e| *e == i) {
                            return Err(FormsError::invalid(
                                at("exempt"),
                                format!("the form cannot declare the schedule's exemption {i}"),
                            ));
                        }
                    }
                } else if !rule.exempt.is_empty() || !procedure.fees.exemptions.is_empty() {
                    return Err(FormsError::invalid(
                        at("category"),
                        "exemptions need a field where the applicant declares them",
                    ));
                }
                if rule.lines.is_empty() {
                    return Err(FormsError::invalid(at("lines"), "no line"));
                }
                for (l, line) in rule.lines.iter().enumerate() {
                    let at_line = |what: &str| at(&format!("lines[{l}].{what}"));
                    if line.item >= items {
                        return Err(FormsError::invalid(
                            at_line("item"),
                            format!("the schedule has {items} items"),
                        ));
                    }
                    if procedure.fees.items[line.item].amount_vnd.is_none() {
                        return Err(FormsError::invalid(
                            at_line("item"),
                            "the item has no amount",
                        ));
                    }
                    if let Some(path) = &line.per {
                        resolve(fields, path, Want::WholeNumber)
                            .map_err(|problem| FormsError::invalid(at_line("per"), problem))?;
                    } else if line.beyond != 0 {
                        return Err(FormsError::invalid(at_line("beyond"), "needs per"));
                    }
                    let conditions = (line.when.iter().map(|c| ("when", c)).enumerate())
                        .chain(line.unless.iter().map(|c| ("unless", c)).enumerate());
                    for (c, (list, condition)) in conditions {
                        check_condition(fields, condition).map_err(|problem| {
                            FormsError::invalid(at_line(&format!("{list}[{c}]")), problem)
                        })?;
                    }
                }
            }
            procedures.insert(procedure.id.clone(), procedure.clone());
        }
        Ok(FeeRules { procedures })
    }

    /// What a validated form owes; `None` for a procedure not in the
    /// catalog.
    pub fn assess(&self, form: &Form) -> Option<FeeAssessment> {
        let procedure = self.procedures.get(&form.procedure)?;
        let schedule = &procedure.fees;
        let done = |outcome, lines: Vec<FeeLine>| {
            let total_vnd = lines.iter().map(|l| l.amount_vnd).sum();
            Some(FeeAssessment {
                procedure: procedure.id.clone(),
                outcome,
                lines,
                total_vnd,
            })
        };
        let Some(rule) = &schedule.assessment else {
            if schedule.items.is_empty() && schedule.verified {
                return done(FeeOutcome::NoFee, Vec::new());
            }
            let reason = schedule.note.clone().unwrap_or_else(|| Text {
                vi: "Biểu phí của thủ tục cần cán bộ xác định.".into(),
                en: "The procedure's schedule needs an officer to apply it.".into(),
            });
            return done(FeeOutcome::ByOfficer { reason }, Vec::new());
        };
        if let Some(path) = &rule.category
            && let Some(Value::Enum(code)) = form.get(path)
            && let Some(&exemption) = rule.exempt.get(code)
        {
            let outcome = FeeOutcome::Exempt {
                category: code.clone(),
                exemption: schedule.exemptions[exemption].clone(),
            };
            return done(outcome, Vec::new());
        }
        let mut lines = Vec::new();
        for line in &rule.lines {
            if !line.when.iter().all(|c| holds(form, c))
                || line.unless.iter().any(|c| holds(form, c))
            {
                continue;
            }
            let quantity = match &line.per {
                Some(path) => match form.get(path) {
                    Some(Value::Integer(n)) => u64::try_from(*n)
                        .unwrap_or(0)
                        .saturating_sub(u64::from(line.beyond)),
                    _ => 0,
                },
                None => 1,
            };
            if quantity == 0 {
                continue;
            }
            let item = &schedule.items[line.item];
            let unit_vnd = item.amount_vnd.unwrap_or(0);
            lines.push(FeeLine {
                item: line.item,
                label: item.label.clone(),
                unit_vnd,
                quantity,
                amount_vnd: unit_vnd.saturating_mul(quantity),
                ceiling: item.ceiling,
                verified: item.verified,
            });
        }
        if lines.is_empty() {
            let reason = Text {
                vi: "Không dòng nào của biểu phí khớp với tờ khai; cán bộ xác định mức thu.".into(),
                en: "No line of the schedule matches the form; an officer sets the amount.".into(),
            };
            return done(FeeOutcome::ByOfficer { reason }, Vec::new());
        }
        done(FeeOutcome::Due, lines)
    }
}

fn holds(form: &Form, condition: &FeeCondition) -> bool {
    let value = form.get(&condition.field);
    if let Some(codes) = &condition.not_in {
        return !matches!(value, Some(Value::Enum(c)) if codes.contains(c));
    }
    let Some(value) = value else {
        return false;
    };
    if let Some(codes) = &condition.one_of {
        return matches!(value, Value::Enum(c) if codes.contains(c));
    }
    if let Some(expected) = condition.is {
        return *value == Value::Boolean(expected);
    }
    if let Some(prefix) = &condition.prefix {
        return matches!(value, Value::Text(t) if t.starts_with(prefix.as_str()));
    }
    let number = match value {
        Value::Integer(n) => Decimal::from_i64(*n),
        Value::Decimal(d) => d.clone(),
        _ => return false,
    };
    let bound = |text: &Option<String>| text.as_deref().and_then(Decimal::parse_xsd);
    if let Some(min) = bound(&condition.at_least) {
        return number >= min;
    }
    if let Some(max) = bound(&condition.below) {
        return number < max;
    }
    false
}

fn check_condition(fields: &[Field], c: &FeeCondition) -> Result<(), String> {
    let tests = [
        c.one_of.is_some(),
        c.not_in.is_some(),
        c.is.is_some(),
        c.at_least.is_some(),
        c.below.is_some(),
        c.prefix.is_some(),
    ];
    if tests.iter().filter(|t| **t).count() != 1 {
        return Err("give exactly one of in, not_in, is, at_least, below, prefix".into());
    }
    if let Some(codes) = c.one_of.as_ref().or(c.not_in.as_ref()) {
        let offered = resolve(fields, &c.field, Want::Codes)?;
        if let Some(code) = codes.iter().find(|code| !offered.contains(code)) {
            return Err(format!("{} offers no code {code:?}", c.field));
        }
    } else if c.is.is_some() {
        resolve(fields, &c.field, Want::Boolean)?;
    } else if c.prefix.is_some() {
        resolve(fields, &c.field, Want::Text)?;
    } else {
        resolve(fields, &c.field, Want::Number)?;
        let bound = c.at_least.as_ref().or(c.below.as_ref()).expect("one test");
        if Decimal::parse_xsd(bound).is_none() {
            return Err(format!("{bound:?} is not a decimal"));
        }
    }
    Ok(())
}

/// Finds the field at a dotted path (through groups and choice options, not
/// into lists) and checks its kind; for an enumeration, returns its codes.
fn resolve(fields: &[Field], path: &str, want: Want) -> Result<Vec<String>, String> {
    let mut here = fields;
    let mut steps = path.split('.').peekable();
    while let Some(step) = steps.next() {
        let field = here
            .iter()
            .find(|f| f.name == step)
            .ok_or_else(|| format!("{path}: the form has no field {step:?} here"))?;
        let ty = field.ty.ty.as_ref();
        if steps.peek().is_some() {
            here = match ty {
                Type::Group(inner) | Type::Choice(inner) => inner,
                _ => return Err(format!("{path}: {step} holds no fields")),
            };
            continue;
        }
        return match (want, ty) {
            (Want::Codes, Type::Enum(values)) => {
                Ok(values.iter().map(|v| v.code.clone()).collect())
            }
            (Want::Boolean, Type::Boolean)
            | (Want::Number, Type::Integer { .. } | Type::Decimal(_))
            | (Want::WholeNumber, Type::Integer { .. })
            | (Want::Text, Type::Text(_)) => Ok(Vec::new()),
            _ => Err(format!("{path} is not {}", want.describe())),
        };
    }
    Err(format!("{path}: empty path"))
}
