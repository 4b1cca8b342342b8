//! The procedure catalog of hoso: the 31 procedures that the Tuyên Quang
//! roadmap put online at level 3 in 2016, with who handles them, how long
//! they take, what they cost, what must be attached and the limits that
//! decide whether a request belongs to the province at all.
//!
//! The data lives once, in `schemas/catalog.json`, and is compiled into the
//! crate. [`Catalog::load`] parses and checks it; nothing here prints, exits
//! or reads the environment.
//!
//! Every figure carries a `verified` flag. A figure taken from general
//! knowledge of the law rather than from a source seen during research is
//! flagged `false`, and callers should present it as such.
//!
//! ```
//! use hoso_forms::{Catalog, Tier};
//!
//! let catalog = Catalog::load()?;
//! let wells = catalog.get("tnmt-02-khai-thac-nuoc-duoi-dat").unwrap();
//! assert_eq!(wells.number, 2);
//! assert_eq!(wells.tier, Tier::Province);
//! assert_eq!(wells.limits[0].max_exclusive, Some(3000.0));
//! # Ok::<(), hoso_forms::FormsError>(())
//! ```

mod catalog;

pub use catalog::*;
mod decimal;
mod fees;

pub use fees::{
    FeeAssessment, FeeAssessmentRule, FeeCondition, FeeLine, FeeLineRule, FeeOutcome, FeeRules,
};
mod definition;
mod embedded;
mod pattern;

pub use decimal::Decimal;
pub use definition::{
    COMMON_NAMESPACE, Competence, DEFAULT_MAX_LENGTH, DEFAULT_MIN_LENGTH, DecimalRule, Definitions,
    EnumValue, Field, FormDefinition, InvalidExample, TextRule, Type, TypeRef, TypeScope,
};
mod errors;
mod model;
mod sample;
mod validate;

pub use errors::{Bound, FieldError, JsonKind, MAX_ERRORS, Problem};
pub use model::{Date, Form, ManifestEntry, Value};
pub use sample::{Coverage, Instance, JsonScalar};
pub use validate::{MAX_FORM_BYTES, MAX_FORM_DEPTH, Rejection, form_limits};
mod json_schema;
mod xsd;

pub use xsd::COMMON_XSD_FILE;
mod binding;
pub mod codegen;

pub use binding::{BindingError, FormType, ProcedureTag, SchemaTag};
