//! Each way a form is refused, with a real bad input in XML and in JSON:
//! the path, the code and, for XML, the line and column.

use hoso_forms::{
    Coverage, Definitions, FormDefinition, Instance, JsonScalar, MAX_ERRORS, MAX_FORM_BYTES,
    Problem, Rejection, Value,
};

const WELLS: &str = "tnmt-02-khai-thac-nuoc-duoi-dat";

fn definitions() -> Definitions {
    Definitions::load().expect("definitions load")
}

fn errors(result: Result<hoso_forms::Form, Rejection>) -> Vec<(String, &'static str)> {
    match result {
        Ok(_) => Vec::new(),
        Err(r) => r
            .errors()
            .iter()
            .map(|e| (e.path.clone(), e.code()))
            .collect(),
    }
}

/// Applies `change` to the typical example and returns the errors of the
/// XML and of the JSON encoding.
fn both(
    d: &Definitions,
    form: &FormDefinition,
    change: impl Fn(&mut Instance),
) -> [Vec<(String, &'static str)>; 2] {
    let mut instance = form.example();
    change(&mut instance);
    [
        errors(d.validate_xml(instance.to_xml(form).as_bytes(), None)),
        errors(d.validate_json(instance.to_json(form).as_bytes(), None)),
    ]
}

/// A change to an example.
type Change = Box<dyn Fn(&mut Instance)>;

fn one(path: &str, code: &'static str) -> Vec<(String, &'static str)> {
    vec![(path.to_owned(), code)]
}

#[test]
fn the_same_mistake_gives_the_same_error_in_both_encodings() {
    let d = definitions();
    let form = d.get(WELLS).unwrap();
    let set = |path: &'static str, value: &'static str| {
        move |i: &mut Instance| assert!(i.set_text(path, value), "{path}")
    };
    let cases: Vec<(Change, &str, &'static str)> = vec![
        (
            Box::new(|i: &mut Instance| assert!(i.remove("works.aquifer"))),
            "works.aquifer",
            "required",
        ),
        (
            Box::new(set("extraction.totalFlow", "3000")),
            "extraction.totalFlow",
            "beyond_competence",
        ),
        (
            Box::new(set("extraction.totalFlow", "0")),
            "extraction.totalFlow",
            "below_minimum",
        ),
        (
            Box::new(set("extraction.termYears", "11")),
            "extraction.termYears",
            "above_maximum",
        ),
        (
            Box::new(set("extraction.wells[1].depth", "1000.5")),
            "extraction.wells[1].depth",
            "above_maximum",
        ),
        (
            Box::new(set("applicant.organisation.taxCode", "500012345")),
            "applicant.organisation.taxCode",
            "pattern",
        ),
        (
            Box::new(set("works.aquiferPressure", "artesian")),
            "works.aquiferPressure",
            "not_in_list",
        ),
        (
            Box::new(set("works.purposes[1]", "mining")),
            "works.purposes[1]",
            "not_in_list",
        ),
        (
            Box::new(set(
                "applicant.organisation.registration.issuedOn",
                "2023-02-29",
            )),
            "applicant.organisation.registration.issuedOn",
            "invalid_date",
        ),
        (Box::new(set("works.name", "")), "works.name", "too_short"),
        (
            Box::new(|i: &mut Instance| {
                let Some(Instance::List { entries, .. }) = i.get_mut("extraction.wells") else {
                    panic!()
                };
                entries.clear();
            }),
            "extraction.wells",
            "too_few_items",
        ),
        (
            Box::new(|i: &mut Instance| {
                let Some(Instance::List { entries, .. }) = i.get_mut("works.purposes") else {
                    panic!()
                };
                entries.resize(6, entries[0].clone());
            }),
            "works.purposes",
            "too_many_items",
        ),
        (
            Box::new(|i: &mut Instance| {
                let Some(Instance::Group(m)) = i.get_mut("applicant") else {
                    panic!()
                };
                m.clear();
            }),
            "applicant",
            "no_choice",
        ),
        (
            Box::new(|i: &mut Instance| {
                let Some(Instance::Group(m)) = i.get_mut("applicant") else {
                    panic!()
                };
                let organisation = m[0].1.clone();
                m.push(("person".into(), organisation));
            }),
            "applicant",
            "several_choices",
        ),
        (
            Box::new(|i: &mut Instance| {
                let Some(Instance::Group(m)) = i.get_mut("works") else {
                    panic!()
                };
                m.push((
                    "depthOfLake".into(),
                    Instance::Scalar {
                        text: "3".into(),
                        json: JsonScalar::Number,
                    },
                ));
            }),
            "works.depthOfLake",
            "unknown_field",
        ),
    ];
    for (change, path, code) in cases {
        let [xml, json] = both(&d, form, change);
        assert_eq!(xml, one(path, code), "XML, {path} {code}");
        assert_eq!(json, one(path, code), "JSON, {path} {code}");
    }
}

#[test]
fn numbers_are_compared_exactly() {
    let d = definitions();
    let form = d.get(WELLS).unwrap();
    let flow = |value: &'static str| {
        both(&d, form, move |i| {
            assert!(i.set_text("extraction.totalFlow", value))
        })
    };
    // In XML the decimal is exact; 2999.9999999999999 is under the limit.
    assert_eq!(flow("2999.9999999999999")[0], vec![]);
    assert_eq!(flow("2999.99"), [vec![], vec![]]);
    assert_eq!(
        flow("3000.000")[0],
        one("extraction.totalFlow", "beyond_competence")
    );
    assert_eq!(
        flow("3e3")[1],
        one("extraction.totalFlow", "beyond_competence")
    );
    assert_eq!(
        flow("3e3")[0],
        one("extraction.totalFlow", "invalid_number")
    );
    // XSD collapses white space around numbers, not inside texts.
    assert_eq!(flow(" 120\n")[0], vec![]);
}

#[test]
fn json_types_are_checked() {
    let d = definitions();
    let form = d.get(WELLS).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&form.example().to_json(form)).unwrap();
    json["extraction"]["totalFlow"] = "1200".into();
    json["extraction"]["termYears"] = 9.5.into();
    json["works"]["hoursPerDay"] = 20.0.into(); // a whole number written as 20.0 is an integer
    json["works"]["name"] = 12.into();
    json["works"]["purposes"] = "domestic".into();
    json["works"]["location"] = serde_json::Value::Null;
    let errs = errors(d.validate_json(json.to_string().as_bytes(), None));
    assert_eq!(
        errs,
        vec![
            ("works.name".to_owned(), "wrong_type"),
            ("works.location".to_owned(), "wrong_type"),
            ("works.purposes".to_owned(), "wrong_type"),
            ("extraction.totalFlow".to_owned(), "wrong_type"),
            ("extraction.termYears".to_owned(), "wrong_type"),
        ]
    );
}

fn example_xml(form: &FormDefinition) -> String {
    form.example().to_xml(form)
}

#[test]
fn xml_only_mistakes_are_placed_by_line_and_column() {
    let d = definitions();
    let form = d.get(WELLS).unwrap();
    let xml = example_xml(form);
    let check = |text: String, expected: &[(&str, &str, usize)]| {
        let rejection = d.validate_xml(text.as_bytes(), None).unwrap_err();
        let got: Vec<(String, &str, usize)> = rejection
            .errors()
            .iter()
            .map(|e| (e.path.clone(), e.code(), e.position.unwrap().line))
            .collect();
        let want: Vec<(String, &str, usize)> = expected
            .iter()
            .map(|(p, c, l)| (p.to_string(), *c, *l))
            .collect();
        assert_eq!(got, want, "{text}");
    };
    let line_of = |needle: &str| xml.lines().position(|l| l.contains(needle)).unwrap() + 1;

    // An attribute the form does not have.
    check(
        xml.replacen("<works>", "<works status=\"draft\">", 1),
        &[("works", "unknown_attribute", line_of("<works>"))],
    );
    // Text between fields.
    check(
        xml.replacen("<works>", "<works>note", 1),
        &[("works", "mixed_content", line_of("<works>"))],
    );
    // Text where fields belong, and fields where a value belongs.
    let works_start = xml.find("<works>").unwrap();
    let works_end = xml.find("</works>").unwrap();
    let flat = format!(
        "{}<works>a text</works>{}",
        &xml[..works_start],
        &xml[works_end + 8..]
    );
    check(flat, &[("works", "not_a_group", line_of("<works>"))]);
    check(
        xml.replacen("<aquifer>", "<aquifer><b>x</b>", 1),
        &[("works.aquifer", "not_a_value", line_of("<aquifer>"))],
    );
    // Out of order, and twice.
    let name_line = xml.lines().find(|l| l.contains("<name>Trạm")).unwrap();
    let swapped = xml.replacen(&format!("{name_line}\n"), "", 1).replacen(
        "    <aquiferPressure>",
        &format!("{name_line}\n    <aquiferPressure>"),
        1,
    );
    let swapped_line = swapped
        .lines()
        .position(|l| l.contains("<name>Trạm"))
        .unwrap()
        + 1;
    check(swapped, &[("works.name", "out_of_order", swapped_line)]);
    check(
        xml.replacen(
            "<hoursPerDay>20</hoursPerDay>",
            "<hoursPerDay>20</hoursPerDay><hoursPerDay>20</hoursPerDay>",
            1,
        ),
        &[(
            "works.hoursPerDay",
            "duplicate_field",
            line_of("<hoursPerDay>"),
        )],
    );
    // Elements in another namespace are not fields, a signature only at the end.
    check(
        xml.replacen("<works>", "<x:works xmlns:x=\"urn:other\"/><works>", 1),
        &[("works", "unknown_field", line_of("<works>"))],
    );
    let dsig = "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/>";
    let root_end = format!("</f:{}>", form.root);
    assert!(
        d.validate_xml(
            xml.replacen(&root_end, &format!("{dsig}{root_end}"), 1)
                .as_bytes(),
            None
        )
        .is_ok()
    );
    check(
        xml.replacen("<works>", &format!("{dsig}<works>"), 1),
        &[("Signature", "unknown_field", line_of("<works>"))],
    );
    // A missing field is placed at its parent.
    let no_aquifer: String = xml
        .lines()
        .filter(|l| !l.contains("<aquifer>"))
        .collect::<Vec<_>>()
        .join("\n");
    check(
        no_aquifer,
        &[("works.aquifer", "required", line_of("<works>"))],
    );
}

#[test]
fn what_xml_allows_around_the_values_is_accepted() {
    let d = definitions();
    let form = d.get(WELLS).unwrap();
    let xml = example_xml(form);
    let variants = [
        xml.replacen("<works>", "<!-- comment --><works><?pi data?>", 1),
        xml.replacen("<aquifer>Tầng", "<aquifer><![CDATA[Tầng]]>", 1),
        xml.replacen("<hoursPerDay>20<", "<hoursPerDay>&#50;0<", 1),
        xml.replacen(
            &format!("<f:{} ", form.root),
            &format!(
                "<f:{} xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{} {}.xsd\" ",
                form.root,
                form.namespace(),
                WELLS
            ),
            1,
        ),
    ];
    for v in variants {
        let valid = d
            .validate_xml(v.as_bytes(), None)
            .unwrap_or_else(|r| panic!("{r}: {:?}\n{v}", r.errors()));
        assert_eq!(valid.get("works.hoursPerDay"), Some(&Value::Integer(20)));
    }
}

#[test]
fn documents_of_another_kind_are_named_as_such() {
    let d = definitions();
    let form = d.get(WELLS).unwrap();
    let other = d.get("tnmt-01-tham-do-nuoc-duoi-dat").unwrap();
    let xml = example_xml(form);
    match d.validate_xml(xml.as_bytes(), Some(&other.procedure)) {
        Err(Rejection::Invalid {
            procedure, errors, ..
        }) => {
            assert_eq!(procedure, other.procedure);
            assert!(matches!(errors[0].problem, Problem::WrongDocument { .. }));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        d.validate_xml(b"<form xmlns='urn:hoso:form:none:1'/>", None),
        Err(Rejection::UnknownForm { .. })
    ));
    assert!(matches!(
        d.validate_xml(b"<a>", None),
        Err(Rejection::Xml(_))
    ));
    assert!(matches!(
        d.validate_json(b"[1,", None),
        Err(Rejection::Json { .. })
    ));
    let mut json: serde_json::Value = serde_json::from_str(&form.example().to_json(form)).unwrap();
    json["$schema"] = other.json_schema_id().into();
    assert_eq!(
        errors(d.validate_json(json.to_string().as_bytes(), None)),
        one("$schema", "wrong_document")
    );
    json.as_object_mut().unwrap().remove("procedure");
    json["$schema"] = form.json_schema_id().into();
    // Without "procedure" the $schema names the form; the field is still required.
    assert_eq!(
        errors(d.validate_json(json.to_string().as_bytes(), None)),
        one("procedure", "required")
    );
}

#[test]
fn limits_are_enforced_and_errors_capped() {
    let d = definitions();
    let form = d.get(WELLS).unwrap();
    let big = vec![b' '; MAX_FORM_BYTES + 1];
    assert_eq!(
        d.validate_xml(&big, None),
        Err(Rejection::TooLarge {
            max: MAX_FORM_BYTES
        })
    );
    assert_eq!(
        d.validate_json(&big, None),
        Err(Rejection::TooLarge {
            max: MAX_FORM_BYTES
        })
    );

    let deep_xml = format!(
        "<f:{r} xmlns:f='{ns}'>{}{}</f:{r}>",
        "<works>".repeat(100),
        "</works>".repeat(100),
        r = form.root,
        ns = form.namespace()
    );
    match d.validate_xml(deep_xml.as_bytes(), None) {
        Err(Rejection::Xml(e)) => assert!(e.to_string().contains("depth"), "{e}"),
        other => panic!("{other:?}"),
    }
    let deep_json = format!("{}{}", "{\"a\":".repeat(1000), "}".repeat(1000));
    assert!(matches!(
        d.validate_json(deep_json.as_bytes(), Some(WELLS)),
        Err(Rejection::Json { .. })
    ));

    // Many bad entries: the report stops at MAX_ERRORS and says so.
    let mut instance = form.example_with(Coverage::Typical);
    let Some(Instance::List { entries, .. }) = instance.get_mut("extraction.wells") else {
        panic!()
    };
    entries.resize(100, entries[0].clone());
    for i in 0..100 {
        instance.set_text(&format!("extraction.wells[{i}].depth"), "-1");
        instance.set_text(&format!("extraction.wells[{i}].flow"), "-1");
    }
    match d.validate_xml(instance.to_xml(form).as_bytes(), None) {
        Err(Rejection::Invalid {
            errors, truncated, ..
        }) => {
            assert_eq!(errors.len(), MAX_ERRORS);
            assert!(truncated);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_valid_form_reads_into_the_typed_model() {
    let d = definitions();
    let form = d.get(WELLS).unwrap();
    let example = form.example();
    let from_xml = d
        .validate_xml(example.to_xml(form).as_bytes(), None)
        .unwrap();
    let from_json = d
        .validate_json(example.to_json(form).as_bytes(), None)
        .unwrap();
    assert_eq!(from_xml, from_json);
    assert_eq!(
        from_xml
            .get("extraction.totalFlow")
            .unwrap()
            .as_text()
            .unwrap(),
        "1130.5"
    );
    assert_eq!(
        from_xml.get("extraction.termYears"),
        Some(&Value::Integer(10))
    );
    assert_eq!(
        from_xml.get("works.purposes[1]"),
        Some(&Value::Enum("industrial".into()))
    );
    match from_xml.get("applicant") {
        Some(Value::Choice(option, _)) => assert_eq!(option, "organisation"),
        other => panic!("{other:?}"),
    }
    assert!(from_xml.get("applicant.person").is_none());
}
