//! The roadmap's procedure catalog, compiled from `schemas/catalog.json`.

use serde::{Deserialize, Serialize};

/// The catalog as compiled into the crate.
const EMBEDDED: &str = include_str!("../../../schemas/catalog.json");

/// How many procedures the roadmap lists.
pub const PROCEDURE_COUNT: usize = 31;

/// The highest procedure number handled by a provincial body; the numbers
/// after it belong to the district People's Committees.
pub const LAST_PROVINCIAL: u8 = 23;

/// Why the catalog could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormsError {
    /// The JSON text does not parse into the catalog's shape.
    #[error("catalog JSON at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the parser reported.
        message: String,
    },
    /// The catalog does not list the roadmap's 31 procedures.
    #[error("procedures: expected {expected} entries, found {found}")]
    Count {
        /// How many the roadmap lists.
        expected: usize,
        /// How many the catalog holds.
        found: usize,
    },
    /// A field holds a value the catalog's rules refuse.
    #[error("{field}: {problem}")]
    Invalid {
        /// Path of the field, for example `procedures[4].tier`.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
}

impl FormsError {
    pub(crate) fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        FormsError::Invalid {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

/// The language of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Vietnamese, the default for people.
    #[default]
    Vi,
    /// English.
    En,
}

/// A text in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in `lang`.
    ///
    /// ```
    /// use hoso_forms::{Catalog, Lang};
    ///
    /// let catalog = Catalog::load()?;
    /// let guide = catalog.get("vhttdl-13-the-huong-dan-vien-noi-dia").unwrap();
    /// assert_eq!(guide.name.get(Lang::En), "Domestic tour guide card");
    /// # Ok::<(), hoso_forms::FormsError>(())
    /// ```
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// Which level of government handles a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// A provincial department (procedures 1–23).
    Province,
    /// A district People's Committee (procedures 24–31).
    District,
}

impl Tier {
    /// The tier's name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Tier::Province, Lang::Vi) => "Tỉnh",
            (Tier::Province, Lang::En) => "Province",
            (Tier::District, Lang::Vi) => "Huyện",
            (Tier::District, Lang::En) => "District",
        }
    }
}

/// Online service level (Decree 43/2011): 3 means forms are filled and
/// submitted online; 4 adds online payment and online delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnlineLevel {
    /// The level the roadmap sets for 2016.
    pub current: u8,
    /// The level planned later, when the roadmap names one for this
    /// procedure (it names none: "some" go to level 4 by 2020).
    pub target: Option<u8>,
}

/// Statutory processing time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessingTime {
    /// Working days from a complete file; `None` where the procedure is a
    /// notice with no decision, or the time is unknown.
    pub working_days: Option<u32>,
    /// Whether the figure was seen in a source.
    pub verified: bool,
    /// Conditions and extensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// One line of a fee schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeItem {
    /// What the fee is for.
    pub label: Text,
    /// Amount in đồng, when known.
    pub amount_vnd: Option<u64>,
    /// The amount is a national ceiling, not the rate charged.
    pub ceiling: bool,
    /// Whether the amount was seen in a source.
    pub verified: bool,
    /// Anything that qualifies the amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// Fees and exemptions of a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeSchedule {
    /// The fee lines; empty when there is no fee or it is unknown (see
    /// `note`).
    pub items: Vec<FeeItem>,
    /// Who pays nothing.
    pub exemptions: Vec<Text>,
    /// Whether the schedule as a whole, for the roadmap period, was seen in
    /// a source.
    pub verified: bool,
    /// Who sets the fee, and what is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// How the schedule applies to a form; without it an officer sets the
    /// amount (see [`crate::FeeRules`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<crate::FeeAssessmentRule>,
}

/// A document to attach to the application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// The document's name.
    pub name: Text,
    /// Whether the requirement was seen in a source.
    pub verified: bool,
}

/// A bound a request must respect to fall under this procedure.  A value
/// outside it belongs to another authority or another procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    /// The quantity bounded, for example `total_flow`.
    pub quantity: String,
    /// The purpose the bound applies to (`agriculture`, `hydropower`,
    /// `other`), or `None` for all.
    pub applies_to: Option<String>,
    /// Unit of the bound, for example `m3/day`, `m3/s`, `kW`, `m`.
    pub unit: String,
    /// Smallest allowed value.
    pub min_inclusive: Option<f64>,
    /// The value must stay below this.
    pub max_exclusive: Option<f64>,
    /// Whether the figure was seen in a source.
    pub verified: bool,
    /// What the bound means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// One procedure of the roadmap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// Stable id: ASCII kebab-case, the agency prefix, the two-digit
    /// number, then a short name (`tnmt-01-tham-do-nuoc-duoi-dat`).
    pub id: String,
    /// Position in the roadmap, 1–31.
    pub number: u8,
    /// Code of the procedure in the national database, when known.
    pub national_code: Option<String>,
    /// Official name.
    pub name: Text,
    /// Online level now and planned.
    pub online_level: OnlineLevel,
    /// Province or district.
    pub tier: Tier,
    /// The body that receives and decides.
    pub lead_agency: Text,
    /// Bodies consulted during processing.
    pub co_processing: Vec<Text>,
    /// Statutory processing time.
    pub processing_time: ProcessingTime,
    /// Fees and exemptions.
    pub fees: FeeSchedule,
    /// Documents to attach.
    pub attachments: Vec<Attachment>,
    /// Bounds carried by the procedure's name or its rules.
    pub limits: Vec<Limit>,
    /// Year the roadmap brings the procedure to level 3.
    pub roadmap_year: u16,
    /// Caveats, changes since 2015 and discrepancies between sources.
    pub notes: Vec<Text>,
}

impl Procedure {
    /// Field paths of this procedure's figures that are not verified, for
    /// example `processing_time` or `fees.items[0]`.
    ///
    /// ```
    /// let catalog = hoso_forms::Catalog::load()?;
    /// let unverified = catalog.get("tnmt-01-tham-do-nuoc-duoi-dat").unwrap().unverified_facts();
    /// assert!(unverified.contains(&"processing_time".to_string()));
    /// # Ok::<(), hoso_forms::FormsError>(())
    /// ```
    pub fn unverified_facts(&self) -> Vec<String> {
        self.facts()
            .into_iter()
            .filter(|(_, verified)| !verified)
            .map(|(path, _)| path)
            .collect()
    }

    /// Every flagged figure of the procedure with its `verified` flag.
    fn facts(&self) -> Vec<(String, bool)> {
        let mut facts = vec![
            ("processing_time".to_string(), self.processing_time.verified),
            ("fees".to_string(), self.fees.verified),
        ];
        for (i, item) in self.fees.items.iter().enumerate() {
            facts.push((format!("fees.items[{i}]"), item.verified));
        }
        for (i, attachment) in self.attachments.iter().enumerate() {
            facts.push((format!("attachments[{i}]"), attachment.verified));
        }
        for (i, limit) in self.limits.iter().enumerate() {
            facts.push((format!("limits[{i}]"), limit.verified));
        }
        facts
    }
}

/// What the roadmap decision set out to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roadmap {
    /// The decision the roadmap comes from.
    pub source: Text,
    /// Year of the level-3 step.
    pub level3_year: u16,
    /// Procedures at level 3 in that year.
    pub level3_target: usize,
    /// Of which provincial.
    pub level3_province: usize,
    /// Of which district.
    pub level3_district: usize,
    /// Year of the next step.
    pub target_year: u16,
    /// The next step, in words.
    pub target: Text,
    /// Caveats about the roadmap text.
    pub notes: Vec<Text>,
}

/// A target and what the catalog holds against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Count {
    /// What the roadmap asks for.
    pub target: usize,
    /// What the catalog holds.
    pub actual: usize,
}

/// How many procedures sit at one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LevelCount {
    /// The online level.
    pub level: u8,
    /// Procedures at that level now.
    pub procedures: usize,
}

/// Counts by level and tier against the roadmap's targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoadmapSummary {
    /// Year of the level-3 step.
    pub level3_year: u16,
    /// Procedures at level 3.
    pub level3: Count,
    /// Provincial procedures.
    pub province: Count,
    /// District procedures.
    pub district: Count,
    /// Procedures by current level, lowest first.
    pub by_level: Vec<LevelCount>,
    /// Procedures with level 4 named as their target.
    pub level4_planned: usize,
    /// Year of the next step.
    pub target_year: u16,
    /// The next step, in words.
    pub target: Text,
    /// Flagged figures seen in a source.
    pub facts_verified: usize,
    /// Flagged figures not yet checked against a source.
    pub facts_unverified: usize,
}

impl RoadmapSummary {
    /// Whether the catalog meets the level-3 targets (total and per tier).
    pub fn meets_level3_targets(&self) -> bool {
        self.level3.actual == self.level3.target
            && self.province.actual == self.province.target
            && self.district.actual == self.district.target
    }
}

/// The checked catalog of the roadmap's procedures, in roadmap order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    catalog_version: u32,
    roadmap: Roadmap,
    procedures: Vec<Procedure>,
}

impl Catalog {
    /// The catalog compiled into the crate, parsed and checked.
    ///
    /// ```
    /// let catalog = hoso_forms::Catalog::load()?;
    /// assert_eq!(catalog.procedures().len(), 31);
    /// # Ok::<(), hoso_forms::FormsError>(())
    /// ```
    pub fn load() -> Result<Catalog, FormsError> {
        Catalog::from_json(EMBEDDED)
    }

    /// Parses and checks a catalog in the format of `schemas/catalog.json`:
    /// 31 procedures, well-formed unique ids, numbers 1–31 each once, tiers
    /// that match the numbers.
    ///
    /// ```
    /// let err = hoso_forms::Catalog::from_json("{}").unwrap_err();
    /// assert!(matches!(err, hoso_forms::FormsError::Json { .. }));
    /// ```
    pub fn from_json(text: &str) -> Result<Catalog, FormsError> {
        let mut catalog: Catalog = serde_json::from_str(text).map_err(|e| FormsError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        catalog.check()?;
        catalog.procedures.sort_by_key(|p| p.number);
        Ok(catalog)
    }

    fn check(&self) -> Result<(), FormsError> {
        if self.procedures.len() != PROCEDURE_COUNT {
            return Err(FormsError::Count {
                expected: PROCEDURE_COUNT,
                found: self.procedures.len(),
            });
        }
        let mut seen_numbers = [false; PROCEDURE_COUNT + 1];
        let mut seen_ids = std::collections::HashSet::new();
        for (i, p) in self.procedures.iter().enumerate() {
            let at = |field: &str| format!("procedures[{i}].{field}");
            if !(1..=PROCEDURE_COUNT).contains(&usize::from(p.number)) {
                return Err(FormsError::invalid(
                    at("number"),
                    format!("{} is outside 1–{PROCEDURE_COUNT}", p.number),
                ));
            }
            if std::mem::replace(&mut seen_numbers[usize::from(p.number)], true) {
                return Err(FormsError::invalid(
                    at("number"),
                    format!("{} appears twice", p.number),
                ));
            }
            check_id(&p.id, p.number).map_err(|problem| FormsError::invalid(at("id"), problem))?;
            if !seen_ids.insert(p.id.as_str()) {
                return Err(FormsError::invalid(
                    at("id"),
                    format!("{} appears twice", p.id),
                ));
            }
            let tier = if p.number <= LAST_PROVINCIAL {
                Tier::Province
            } else {
                Tier::District
            };
            if p.tier != tier {
                return Err(FormsError::invalid(
                    at("tier"),
                    format!("procedure {} is {:?}, not {:?}", p.number, tier, p.tier),
                ));
            }
            let level = p.online_level;
            if !(1..=4).contains(&level.current) {
                return Err(FormsError::invalid(
                    at("online_level.current"),
                    format!("level {} does not exist", level.current),
                ));
            }
            if let Some(target) = level.target
                && !(level.current..=4).contains(&target)
            {
                return Err(FormsError::invalid(
                    at("online_level.target"),
                    format!("level {target} is not between {} and 4", level.current),
                ));
            }
            for (j, limit) in p.limits.iter().enumerate() {
                if limit.min_inclusive.is_none() && limit.max_exclusive.is_none() {
                    return Err(FormsError::invalid(
                        at(&format!("limits[{j}]")),
                        "a limit needs a minimum or a maximum",
                    ));
                }
            }
        }
        Ok(())
    }

    /// All procedures, in roadmap order.
    pub fn procedures(&self) -> &[Procedure] {
        &self.procedures
    }

    /// The procedure with this id.
    ///
    /// ```
    /// let catalog = hoso_forms::Catalog::load()?;
    /// assert_eq!(catalog.get("tp-20-ly-lich-tu-phap-so-1").unwrap().number, 20);
    /// assert!(catalog.get("no-such-procedure").is_none());
    /// # Ok::<(), hoso_forms::FormsError>(())
    /// ```
    pub fn get(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id == id)
    }

    /// The procedure with this roadmap number.
    pub fn by_number(&self, number: u8) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.number == number)
    }

    /// The roadmap's targets.
    pub fn roadmap(&self) -> &Roadmap {
        &self.roadmap
    }

    /// Counts by level and tier against the roadmap's targets.
    ///
    /// ```
    /// let summary = hoso_forms::Catalog::load()?.roadmap_summary();
    /// assert_eq!((summary.province.actual, summary.district.actual), (23, 8));
    /// assert!(summary.meets_level3_targets());
    /// # Ok::<(), hoso_forms::FormsError>(())
    /// ```
    pub fn roadmap_summary(&self) -> RoadmapSummary {
        let count_tier = |tier| self.procedures.iter().filter(|p| p.tier == tier).count();
        let mut by_level: Vec<LevelCount> = Vec::new();
        for p in &self.procedures {
            let level = p.online_level.current;
            match by_level.iter_mut().find(|c| c.level == level) {
                Some(c) => c.procedures += 1,
                None => by_level.push(LevelCount {
                    level,
                    procedures: 1,
                }),
            }
        }
        by_level.sort_by_key(|c| c.level);
        let facts: Vec<bool> = self
            .procedures
            .iter()
            .flat_map(|p| p.facts().into_iter().map(|(_, verified)| verified))
            .collect();
        let facts_verified = facts.iter().filter(|v| **v).count();
        let r = &self.roadmap;
        RoadmapSummary {
            level3_year: r.level3_year,
            level3: Count {
                target: r.level3_target,
                actual: self
                    .procedures
                    .iter()
                    .filter(|p| p.online_level.current >= 3 && p.roadmap_year <= r.level3_year)
                    .count(),
            },
            province: Count {
                target: r.level3_province,
                actual: count_tier(Tier::Province),
            },
            district: Count {
                target: r.level3_district,
                actual: count_tier(Tier::District),
            },
            by_level,
            level4_planned: self
                .procedures
                .iter()
                .filter(|p| p.online_level.target == Some(4))
                .count(),
            target_year: r.target_year,
            target: r.target.clone(),
            facts_verified,
            facts_unverified: facts.len() - facts_verified,
        }
    }
}

/// Checks an id: lower-case ASCII words joined by single hyphens, the
/// second word being the two-digit roadmap number.
fn check_id(id: &str, number: u8) -> Result<(), String> {
    let words: Vec<&str> = id.split('-').collect();
    let well_formed = words.len() >= 3
        && words.iter().all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if !well_formed {
        return Err(format!(
            "{id:?} is not lower-case ASCII kebab-case with at least three words"
        ));
    }
    if words[1] != format!("{number:02}") {
        return Err(format!(
            "{id:?} does not carry the number {number:02} as its second word"
        ));
    }
    Ok(())
}
