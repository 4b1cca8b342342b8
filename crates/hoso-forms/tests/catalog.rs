//! The embedded catalog: the roadmap's 31 procedures, their limits, tiers,
//! summary counts and the flags on figures not checked against a source.

use hoso_forms::{Catalog, FormsError, Limit, Procedure, Tier};

fn catalog() -> Catalog {
    Catalog::load().expect("the embedded catalog loads")
}

fn number(catalog: &Catalog, n: u8) -> &Procedure {
    catalog.by_number(n).expect("procedure present")
}

fn limit<'a>(p: &'a Procedure, quantity: &str, applies_to: Option<&str>) -> &'a Limit {
    p.limits
        .iter()
        .find(|l| l.quantity == quantity && l.applies_to.as_deref() == applies_to)
        .unwrap_or_else(|| panic!("{}: no limit {quantity} {applies_to:?}", p.id))
}

#[test]
fn lists_31_procedures_numbered_1_to_31_in_order() {
    let catalog = catalog();
    let numbers: Vec<u8> = catalog.procedures().iter().map(|p| p.number).collect();
    assert_eq!(numbers, (1..=31).collect::<Vec<u8>>());
    for p in catalog.procedures() {
        assert_eq!(catalog.get(&p.id), Some(p));
        assert_eq!(p.roadmap_year, 2016, "{}", p.id);
        assert_eq!(p.online_level.current, 3, "{}", p.id);
        // The roadmap names no procedure for level 4.
        assert_eq!(p.online_level.target, None, "{}", p.id);
        assert!(!p.name.vi.is_empty() && !p.name.en.is_empty(), "{}", p.id);
        assert!(!p.lead_agency.vi.is_empty(), "{}", p.id);
        assert!(p.id.is_ascii(), "{}", p.id);
    }
    assert_eq!(catalog.procedures()[0].id, "tnmt-01-tham-do-nuoc-duoi-dat");
}

#[test]
fn tiers_follow_the_numbers() {
    let catalog = catalog();
    for p in catalog.procedures() {
        let expected = if p.number <= 23 {
            Tier::Province
        } else {
            Tier::District
        };
        assert_eq!(p.tier, expected, "{}", p.id);
    }
}

#[test]
fn groundwater_limits_are_3000_cubic_metres_a_day() {
    let catalog = catalog();
    for n in [1, 2] {
        let l = limit(number(&catalog, n), "total_flow", None);
        assert_eq!(l.max_exclusive, Some(3000.0));
        assert_eq!(l.unit, "m3/day");
        assert!(l.verified);
    }
}

#[test]
fn surface_water_limits_depend_on_purpose() {
    let catalog = catalog();
    let p = number(&catalog, 4);
    let agriculture = limit(p, "max_flow", Some("agriculture"));
    assert_eq!(
        (agriculture.max_exclusive, agriculture.unit.as_str()),
        (Some(2.0), "m3/s")
    );
    let power = limit(p, "installed_capacity", Some("hydropower"));
    assert_eq!(
        (power.max_exclusive, power.unit.as_str()),
        (Some(2000.0), "kW")
    );
    let other = limit(p, "max_flow", Some("other"));
    assert_eq!(
        (other.max_exclusive, other.unit.as_str()),
        (Some(50000.0), "m3/day")
    );
}

#[test]
fn waste_water_keeps_the_roadmap_figure_and_records_the_discrepancy() {
    let catalog = catalog();
    let p = number(&catalog, 5);
    let l = limit(p, "discharge_flow", None);
    assert_eq!((l.max_exclusive, l.unit.as_str()), (Some(5000.0), "m3/day"));
    // The 5,000 figure is the older decree's, not checked against its text.
    assert!(!l.verified);
    assert!(
        p.notes
            .iter()
            .any(|n| n.en.contains("3,000") && n.en.contains("5,000"))
    );
}

#[test]
fn summary_counts_meet_the_2016_targets() {
    let summary = catalog().roadmap_summary();
    assert_eq!(summary.level3_year, 2016);
    assert_eq!((summary.level3.actual, summary.level3.target), (31, 31));
    assert_eq!((summary.province.actual, summary.province.target), (23, 23));
    assert_eq!((summary.district.actual, summary.district.target), (8, 8));
    assert_eq!(summary.by_level.len(), 1);
    assert_eq!(
        (summary.by_level[0].level, summary.by_level[0].procedures),
        (3, 31)
    );
    assert_eq!(summary.level4_planned, 0);
    assert_eq!(summary.target_year, 2020);
    assert!(summary.meets_level3_targets());
    assert!(summary.facts_verified > 0 && summary.facts_unverified > 0);
}

/// Figures the reference marks unverified ([U]), by procedure number and
/// field path: each must carry `verified: false`.
#[test]
fn every_unverified_figure_is_flagged() {
    let catalog = catalog();
    let unverified: &[(u8, &[&str])] = &[
        // New water permits: 10 + 30 + 5 days; fees set by the province.
        (1, &["processing_time", "fees", "attachments[0]"]),
        (2, &["processing_time", "fees"]),
        (3, &["processing_time", "fees"]),
        (4, &["processing_time", "fees", "attachments[0]"]),
        (5, &["processing_time", "fees", "limits[0]"]),
        (6, &["fees"]),
        (7, &["processing_time", "attachments[0]"]),
        (8, &["processing_time", "attachments[0]"]),
        (10, &["processing_time", "fees", "attachments[0]"]),
        (
            11,
            &["processing_time", "fees", "fees.items[0]", "fees.items[1]"],
        ),
        (12, &["fees"]),
        (13, &["fees"]),
        (14, &["attachments[0]"]),
        (15, &["fees"]),
        (17, &["processing_time", "fees", "attachments[0]"]),
        (18, &["processing_time", "fees", "attachments[0]"]),
        (22, &["fees"]),
        (23, &["fees"]),
        (
            24,
            &["processing_time", "fees", "fees.items[0]", "attachments[0]"],
        ),
        (25, &["processing_time", "fees", "attachments[0]"]),
        (27, &["fees"]),
        (28, &["fees"]),
        (29, &["attachments[0]"]),
        (30, &["processing_time", "fees", "fees.items[0]"]),
        (
            31,
            &["processing_time", "fees", "fees.items[0]", "fees.items[1]"],
        ),
    ];
    for (n, paths) in unverified {
        let p = number(&catalog, *n);
        let flagged = p.unverified_facts();
        for path in *paths {
            assert!(
                flagged.iter().any(|f| f == path),
                "procedure {n}: {path} must be flagged unverified, flagged: {flagged:?}"
            );
        }
    }
    // And figures seen in a source stay verified.
    let verified: &[(u8, &str)] = &[
        (1, "limits[0]"),
        (6, "processing_time"),
        (7, "fees.items[0]"),
        (16, "processing_time"),
        (19, "processing_time"),
        (19, "fees.items[0]"),
        (20, "processing_time"),
        (20, "fees.items[0]"),
        (27, "processing_time"),
    ];
    for (n, path) in verified {
        let flagged = number(&catalog, *n).unverified_facts();
        assert!(
            !flagged.iter().any(|f| f == path),
            "procedure {n}: {path} is verified"
        );
    }
}

#[test]
fn known_figures_carry_over() {
    let catalog = catalog();
    assert_eq!(number(&catalog, 19).processing_time.working_days, Some(5));
    assert_eq!(number(&catalog, 19).fees.items[0].amount_vnd, Some(135_000));
    let lltp = number(&catalog, 20);
    assert_eq!(lltp.fees.items[0].amount_vnd, Some(200_000));
    assert!(!lltp.fees.exemptions.is_empty());
    assert_eq!(lltp.co_processing[0].en, "Provincial Police");
    assert_eq!(number(&catalog, 8).co_processing.len(), 3);
    assert_eq!(number(&catalog, 9).co_processing.len(), 3);
    // No unknown amount is presented as a figure.
    for p in catalog.procedures() {
        for item in &p.fees.items {
            assert!(item.amount_vnd.is_some() || item.note.is_some(), "{}", p.id);
        }
        assert!(
            p.national_code.is_none(),
            "{}: no code in the reference",
            p.id
        );
    }
}

fn mutate(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Catalog, FormsError> {
    let text = include_str!("../../../schemas/catalog.json");
    let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
    edit(&mut value);
    Catalog::from_json(&value.to_string())
}

fn invalid_field(result: Result<Catalog, FormsError>) -> String {
    match result {
        Err(FormsError::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

#[test]
fn refuses_a_wrong_count() {
    let err = mutate(|v| {
        v["procedures"].as_array_mut().unwrap().pop();
    })
    .unwrap_err();
    assert_eq!(
        err,
        FormsError::Count {
            expected: 31,
            found: 30
        }
    );
}

#[test]
fn refuses_duplicate_numbers_bad_ids_and_wrong_tiers() {
    let field = invalid_field(mutate(|v| v["procedures"][1]["number"] = 1.into()));
    assert_eq!(field, "procedures[1].number");
    let field = invalid_field(mutate(|v| v["procedures"][2]["number"] = 32.into()));
    assert_eq!(field, "procedures[2].number");
    let field = invalid_field(mutate(|v| {
        v["procedures"][3]["id"] = "TNMT-04-Nuoc-Mat".into();
    }));
    assert_eq!(field, "procedures[3].id");
    let field = invalid_field(mutate(|v| {
        v["procedures"][3]["id"] = "tnmt-05-nuoc-mat".into();
    }));
    assert_eq!(field, "procedures[3].id");
    let field = invalid_field(mutate(|v| v["procedures"][24]["tier"] = "province".into()));
    assert_eq!(field, "procedures[24].tier");
    let field = invalid_field(mutate(|v| {
        v["procedures"][0]["online_level"]["target"] = 2.into();
    }));
    assert_eq!(field, "procedures[0].online_level.target");
}

#[test]
fn refuses_malformed_json_with_a_position() {
    match Catalog::from_json("{\"procedures\": [}") {
        Err(FormsError::Json { line, .. }) => assert_eq!(line, 1),
        other => panic!("{other:?}"),
    }
}
