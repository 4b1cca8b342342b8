//! Fee assessment: the catalog's schedules applied to signed forms, and the
//! start-up checks that refuse a rule the forms cannot satisfy.

use hoso_forms::{Catalog, Definitions, FeeAssessment, FeeOutcome, FeeRules, FormsError, Text};

struct Fixture {
    definitions: Definitions,
    rules: FeeRules,
}

fn fixture() -> Fixture {
    let definitions = Definitions::load().expect("definitions load");
    let catalog = Catalog::load().expect("catalog loads");
    let rules = FeeRules::new(&catalog, &definitions).expect("every fee rule fits its form");
    Fixture { definitions, rules }
}

impl Fixture {
    /// The typical example of a procedure's form with some fields changed,
    /// validated, then assessed.
    fn assess(&self, prefix: &str, changes: &[(&str, &str)]) -> FeeAssessment {
        let definition = self
            .definitions
            .forms()
            .iter()
            .find(|d| d.procedure.starts_with(prefix))
            .unwrap_or_else(|| panic!("no form {prefix}"));
        let mut instance = definition.example();
        for (path, value) in changes {
            assert!(instance.set_text(path, value), "{prefix}: no field {path}");
        }
        let xml = instance.to_xml(definition);
        let form = self
            .definitions
            .validate_xml(xml.as_bytes(), None)
            .unwrap_or_else(|e| panic!("{prefix} {changes:?}: {:?}", e.errors()));
        self.rules.assess(&form).expect("a catalog procedure")
    }
}

fn due(fee: &FeeAssessment) -> Vec<(usize, u64, u64)> {
    assert_eq!(fee.outcome, FeeOutcome::Due, "{fee:?}");
    assert_eq!(
        fee.total_vnd,
        fee.lines.iter().map(|l| l.amount_vnd).sum::<u64>()
    );
    fee.lines
        .iter()
        .map(|l| (l.item, l.quantity, l.amount_vnd))
        .collect()
}

#[test]
fn every_rule_fits_its_form_and_every_example_gets_an_outcome() {
    let f = fixture();
    let mut outcomes = [0usize; 4];
    for definition in f.definitions.forms() {
        let xml = definition.example().to_xml(definition);
        let form = f.definitions.validate_xml(xml.as_bytes(), None).unwrap();
        let fee = f.rules.assess(&form).unwrap();
        assert_eq!(fee.procedure, definition.procedure);
        let kind = match fee.outcome {
            FeeOutcome::Due => {
                assert!(fee.total_vnd > 0, "{fee:?}");
                0
            }
            FeeOutcome::Exempt { .. } => 1,
            FeeOutcome::NoFee => 2,
            FeeOutcome::ByOfficer { .. } => {
                assert!(fee.lines.is_empty() && fee.total_vnd == 0);
                3
            }
        };
        outcomes[kind] += 1;
    }
    // 16 schedules apply from the form; one (tnmt-08) needs an officer, as do
    // the 13 whose local rate is unknown; one procedure charges nothing.
    assert_eq!(outcomes, [16, 0, 1, 14], "due, exempt, no fee, by officer");
}

#[test]
fn single_rate_procedures_charge_their_rate() {
    let f = fixture();
    for (prefix, amount) in [
        ("gtvt-19", 135_000),
        ("vhttdl-12", 650_000),
        ("vhttdl-14", 1_500_000),
        ("tnmt-09", 5_000_000),
        ("huyen-27", 28_000),
    ] {
        assert_eq!(due(&f.assess(prefix, &[])), [(0, 1, amount)], "{prefix}");
    }
    let ceiling = f.assess("huyen-24", &[]);
    assert!(ceiling.lines[0].ceiling && !ceiling.lines[0].verified);
}

#[test]
fn judicial_records_apply_reductions_exemptions_and_extra_copies() {
    let f = fixture();
    for prefix in ["tp-20", "tp-21"] {
        let with = |category: &str, copies: &str| {
            f.assess(
                prefix,
                &[
                    ("request.feeCategory", category),
                    ("request.copies", copies),
                ],
            )
        };
        assert_eq!(due(&with("standard", "2")), [(0, 1, 200_000)]);
        assert_eq!(
            due(&with("standard", "5")),
            [(0, 1, 200_000), (2, 3, 15_000)]
        );
        assert_eq!(with("standard", "5").total_vnd, 215_000);
        assert_eq!(due(&with("student", "1")), [(1, 1, 100_000)]);
        assert_eq!(
            due(&with("meritorious", "3")),
            [(1, 1, 100_000), (2, 1, 5_000)]
        );
        for (code, exemption) in [
            ("child", "Children"),
            ("elderly", "Elderly people"),
            ("disabled", "People with disabilities"),
            ("poorHousehold", "Poor households"),
        ] {
            let fee = with(code, "4");
            assert_eq!(fee.total_vnd, 0);
            assert!(fee.lines.is_empty());
            match &fee.outcome {
                FeeOutcome::Exempt {
                    category,
                    exemption: Text { en, .. },
                } => assert_eq!((category.as_str(), en.as_str()), (code, exemption)),
                other => panic!("{prefix} {code}: {other:?}"),
            }
            assert!(!fee.is_due());
        }
    }
}

#[test]
fn bands_follow_the_declared_quantities() {
    let f = fixture();
    let area = |size: &str| due(&f.assess("tnmt-07", &[("area.size", size)]));
    assert_eq!(area("99.99"), [(0, 1, 4_000_000)]);
    assert_eq!(area("100"), [(1, 1, 10_000_000)]);
    assert_eq!(area("9999"), [(1, 1, 10_000_000)]);

    let karaoke = |commune: &str, rooms: &str| {
        due(&f.assess(
            "vhttdl-16",
            &[
                ("business.address.commune", commune),
                ("business.roomCount", rooms),
            ],
        ))
    };
    assert_eq!(karaoke("Phường Minh Xuân", "5"), [(0, 1, 6_000_000)]);
    assert_eq!(karaoke("Phường Minh Xuân", "6"), [(1, 1, 12_000_000)]);
    assert_eq!(karaoke("Xã Tân Tiến", "5"), [(2, 1, 3_000_000)]);
    assert_eq!(karaoke("Xã Tân Tiến", "12"), [(3, 1, 6_000_000)]);

    for (prefix, with_assets, land_only) in
        [("tnmt-11", 500_000, 100_000), ("huyen-31", 100_000, 25_000)]
    {
        let fee =
            |assets: &str| due(&f.assess(prefix, &[("request.certificateForAssets", assets)]));
        assert_eq!(fee("true"), [(0, 1, with_assets)], "{prefix}");
        assert_eq!(fee("false"), [(1, 1, land_only)], "{prefix}");
    }

    let copies = |n: &str| due(&f.assess("huyen-29", &[("numberOfCopies", n)]));
    assert_eq!(copies("1"), [(1, 1, 8_000)]);
    assert_eq!(copies("20"), [(1, 20, 160_000)]);
}

#[test]
fn schedules_the_form_cannot_decide_go_to_an_officer() {
    let f = fixture();
    // Mining licence bands tell stream sand from other building materials,
    // which the form does not.
    let mining = f.assess("tnmt-08", &[]);
    assert!(
        matches!(mining.outcome, FeeOutcome::ByOfficer { .. }),
        "{mining:?}"
    );
    // The provincial rate is unknown.
    let water = f.assess("tnmt-01", &[]);
    match &water.outcome {
        FeeOutcome::ByOfficer { reason } => assert!(reason.en.contains("People's Council")),
        other => panic!("{other:?}"),
    }
    assert!(!water.is_due());
    assert_eq!(f.assess("huyen-26", &[]).outcome, FeeOutcome::NoFee);
}

/// The catalog with one procedure's assessment replaced.
fn with_assessment(prefix: &str, assessment: serde_json::Value) -> Result<FeeRules, FormsError> {
    let mut catalog: serde_json::Value =
        serde_json::from_str(include_str!("../../../schemas/catalog.json")).unwrap();
    let procedure = catalog["procedures"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["id"].as_str().unwrap().starts_with(prefix))
        .unwrap();
    procedure["fees"]["assessment"] = assessment;
    let catalog = Catalog::from_json(&catalog.to_string())?;
    FeeRules::new(&catalog, &Definitions::load().unwrap())
}

#[test]
fn rules_that_do_not_fit_the_form_are_refused_at_start_up() {
    use serde_json::json;
    let judicial = |exempt: serde_json::Value, lines: serde_json::Value| json!({ "category": "request.feeCategory", "exempt": exempt, "lines": lines });
    let all_exempt =
        json!({"child": 0, "elderly": 1, "disabled": 2, "poorHousehold": 3, "hardshipCommune": 4});
    let cases = [
        (
            "gtvt-19",
            json!({ "lines": [{ "item": 3 }] }),
            "gtvt-19-doi-giay-phep-lai-xe.fees.assessment.lines[0].item",
            "the schedule has 1 items",
        ),
        (
            "gtvt-19",
            json!({ "lines": [] }),
            "gtvt-19-doi-giay-phep-lai-xe.fees.assessment.lines",
            "no line",
        ),
        (
            "tnmt-07",
            json!({ "lines": [{ "item": 0, "when": [{ "field": "area.volume", "below": "1" }] }] }),
            "tnmt-07-tham-do-khoang-san.fees.assessment.lines[0].when[0]",
            "area.volume: the form has no field \"volume\" here",
        ),
        (
            "tnmt-07",
            json!({ "lines": [{ "item": 0, "when": [{ "field": "area.size", "below": "1", "at_least": "0" }] }] }),
            "tnmt-07-tham-do-khoang-san.fees.assessment.lines[0].when[0]",
            "give exactly one of in, not_in, is, at_least, below, prefix",
        ),
        (
            "tnmt-07",
            json!({ "lines": [{ "item": 0, "unless": [{ "field": "area.size", "is": true }] }] }),
            "tnmt-07-tham-do-khoang-san.fees.assessment.lines[0].unless[0]",
            "area.size is not a yes/no field",
        ),
        (
            "tnmt-07",
            json!({ "lines": [{ "item": 0, "when": [{ "field": "area.size", "below": "1e3" }] }] }),
            "tnmt-07-tham-do-khoang-san.fees.assessment.lines[0].when[0]",
            "\"1e3\" is not a decimal",
        ),
        (
            "tnmt-07",
            json!({ "lines": [{ "item": 0, "per": "area.size" }] }),
            "tnmt-07-tham-do-khoang-san.fees.assessment.lines[0].per",
            "area.size is not a whole number",
        ),
        (
            "tnmt-07",
            json!({ "lines": [{ "item": 0, "beyond": 2 }] }),
            "tnmt-07-tham-do-khoang-san.fees.assessment.lines[0].beyond",
            "needs per",
        ),
        (
            "tp-20",
            judicial(
                all_exempt.clone(),
                json!([{ "item": 1, "when": [{ "field": "request.feeCategory", "in": ["veteran"] }] }]),
            ),
            "tp-20-ly-lich-tu-phap-so-1.fees.assessment.lines[0].when[0]",
            "request.feeCategory offers no code \"veteran\"",
        ),
        (
            "tp-20",
            judicial(
                json!({"child": 0, "elderly": 1, "disabled": 2, "poorHousehold": 3}),
                json!([{ "item": 0 }]),
            ),
            "tp-20-ly-lich-tu-phap-so-1.fees.assessment.exempt",
            "the form cannot declare the schedule's exemption 4",
        ),
        (
            "tp-20",
            judicial(
                json!({"child": 0, "elderly": 1, "disabled": 2, "poorHousehold": 3, "hardshipCommune": 5}),
                json!([{ "item": 0 }]),
            ),
            "tp-20-ly-lich-tu-phap-so-1.fees.assessment.exempt.hardshipCommune",
            "the schedule has no exemption 5",
        ),
        (
            "tp-20",
            json!({ "lines": [{ "item": 0 }] }),
            "tp-20-ly-lich-tu-phap-so-1.fees.assessment.category",
            "exemptions need a field where the applicant declares them",
        ),
    ];
    for (prefix, assessment, field, problem) in cases {
        match with_assessment(prefix, assessment.clone()) {
            Err(FormsError::Invalid {
                field: got_field,
                problem: got_problem,
            }) => assert_eq!(
                (got_field.as_str(), got_problem.as_str()),
                (field, problem),
                "{assessment}"
            ),
            other => panic!("{assessment}: {other:?}"),
        }
    }
    // An unknown key is a parse error with its position.
    let err = with_assessment("gtvt-19", json!({ "lines": [{ "item": 0, "price": 1 }] }));
    assert!(matches!(err, Err(FormsError::Json { .. })), "{err:?}");
}
