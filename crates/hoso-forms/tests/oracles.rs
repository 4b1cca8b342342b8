//! The exported schemas agree with the validator: every example and a
//! corpus of mutations of every form are judged by hoso, by libxml2's
//! `xmllint --schema` on the XSD and by Python's `jsonschema` (draft
//! 2020-12, formats asserted) on the JSON Schema, and the verdicts must be
//! the same. Mutations that mean the same in both encodings must also give
//! the same errors (path and code) in XML and in JSON.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use hoso_forms::{Coverage, Definitions, Field, FormDefinition, Instance, Type};

/// At most this many sites per kind of mutation and form, spread over the
/// form, so that the corpus stays quick to judge.
const SITES_PER_KIND: usize = 8;
/// The issue asks for at least this many failing mutations per form.
const MIN_INVALID_MUTATIONS: usize = 20;

struct Mutation {
    label: String,
    instance: Instance,
    /// Whether the change means the same in XML and JSON, so both must give
    /// the same errors.
    neutral: bool,
}

/// A place in an instance with the definition of what sits there.
struct Site {
    path: String,
    ty: Type,
    optional: bool,
    /// Whether the site is a list entry (which cannot be "missing").
    entry: bool,
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn members(instance: &Instance) -> &[(String, Instance)] {
    match instance {
        Instance::Group(m) => m,
        _ => &[],
    }
}

fn visit_fields(fields: &[Field], instance: &Instance, path: &str, out: &mut Vec<Site>) {
    for field in fields {
        if let Some((_, member)) = members(instance).iter().find(|(n, _)| *n == field.name) {
            let here = join(path, &field.name);
            out.push(Site {
                path: here.clone(),
                ty: (*field.ty.ty).clone(),
                optional: field.optional,
                entry: false,
            });
            visit_type(&field.ty.ty, member, &here, out);
        }
    }
}

fn visit_type(ty: &Type, instance: &Instance, path: &str, out: &mut Vec<Site>) {
    match ty {
        Type::Group(fields) => visit_fields(fields, instance, path, out),
        Type::Choice(options) => visit_fields(options, instance, path, out),
        Type::List { of, .. } => {
            if let Instance::List { entries, .. } = instance {
                for (i, entry) in entries.iter().enumerate() {
                    let here = format!("{path}[{i}]");
                    out.push(Site {
                        path: here.clone(),
                        ty: (*of.ty).clone(),
                        optional: false,
                        entry: true,
                    });
                    visit_type(&of.ty, entry, &here, out);
                }
            }
        }
        _ => {}
    }
}

/// Every `n`-th element so that at most `SITES_PER_KIND` remain, spread
/// from the start of the form to its end.
fn spread(sites: Vec<&Site>) -> Vec<&Site> {
    let step = sites.len().div_ceil(SITES_PER_KIND).max(1);
    sites.into_iter().step_by(step).collect()
}

fn bound_text(value: f64) -> String {
    format!("{value}")
}

fn mutations(form: &FormDefinition) -> Vec<Mutation> {
    let base = form.example_with(Coverage::Everything);
    let mut sites = Vec::new();
    visit_fields(&form.fields, &base, "", &mut sites);
    let mut out = Vec::new();
    let mut push = |label: String, neutral: bool, change: &dyn Fn(&mut Instance) -> bool| {
        let mut instance = base.clone();
        assert!(
            change(&mut instance),
            "{}: mutation {label} found no site",
            form.procedure
        );
        out.push(Mutation {
            label,
            instance,
            neutral,
        });
    };
    let kind = |pred: &dyn Fn(&Site) -> bool| spread(sites.iter().filter(|s| pred(s)).collect());

    for site in kind(&|s| !s.optional && !s.entry) {
        push(format!("missing {}", site.path), true, &|i| {
            i.remove(&site.path)
        });
    }
    for site in kind(&|s| matches!(&s.ty, Type::Text(r) if r.pattern.is_some())) {
        push(format!("pattern {}", site.path), true, &|i| {
            let Some(Instance::Scalar { text, .. }) = i.get_mut(&site.path) else {
                return false;
            };
            text.push_str("/@ \\");
            true
        });
    }
    for site in kind(&|s| matches!(&s.ty, Type::Text(_))) {
        let Type::Text(rule) = &site.ty else {
            unreachable!()
        };
        let long = "ư".repeat(rule.max_length as usize + 1);
        push(format!("too long {}", site.path), true, &|i| {
            i.set_text(&site.path, &long)
        });
    }
    for site in kind(&|s| matches!(&s.ty, Type::Integer { .. } | Type::Decimal(_))) {
        let (below, above) = match &site.ty {
            Type::Integer { min, max, .. } => ((min - 1).to_string(), (max + 1).to_string()),
            Type::Decimal(rule) => (
                if rule.min_exclusive {
                    rule.min.to_string()
                } else {
                    bound_text(rule.min.to_f64() - 1.0)
                },
                if rule.max_exclusive {
                    rule.max.to_string()
                } else {
                    bound_text(rule.max.to_f64() + 1.0)
                },
            ),
            _ => unreachable!(),
        };
        push(format!("below minimum {}", site.path), true, &|i| {
            i.set_text(&site.path, &below)
        });
        push(format!("above maximum {}", site.path), true, &|i| {
            i.set_text(&site.path, &above)
        });
        push(format!("not a number {}", site.path), false, &|i| {
            i.set_text(&site.path, "12abc")
        });
        push(format!("padded number {}", site.path), true, &|i| {
            let Some(Instance::Scalar { text, .. }) = i.get_mut(&site.path) else {
                return false;
            };
            *text = format!(" {text}\n");
            true
        });
    }
    for site in kind(&|s| matches!(&s.ty, Type::Enum(_))) {
        push(format!("not in list {}", site.path), true, &|i| {
            i.set_text(&site.path, "not-a-code")
        });
    }
    let bad_dates = [
        "2023-02-29",
        "2024-13-01",
        "31/12/2024",
        "2024-04-31",
        "0000-01-01",
        "2024-1-05",
    ];
    for (n, site) in kind(&|s| matches!(&s.ty, Type::Date))
        .into_iter()
        .enumerate()
    {
        let date = bad_dates[n % bad_dates.len()];
        push(format!("bad date {date} {}", site.path), true, &|i| {
            i.set_text(&site.path, date)
        });
    }
    for site in kind(&|s| matches!(&s.ty, Type::Boolean)) {
        push(format!("not a boolean {}", site.path), false, &|i| {
            i.set_text(&site.path, "yes")
        });
    }
    let unknown = || Instance::Scalar {
        text: "?".into(),
        json: hoso_forms::JsonScalar::String,
    };
    push("unknown field at the top".into(), true, &|i| {
        let Instance::Group(m) = i else { return false };
        m.push(("unexpectedField".into(), unknown()));
        true
    });
    for site in kind(&|s| matches!(&s.ty, Type::Group(_))) {
        push(format!("unknown field in {}", site.path), true, &|i| {
            let Some(Instance::Group(m)) = i.get_mut(&site.path) else {
                return false;
            };
            m.push(("unexpectedField".into(), unknown()));
            true
        });
    }
    for site in kind(&|s| matches!(&s.ty, Type::Choice(_))) {
        let Type::Choice(options) = &site.ty else {
            unreachable!()
        };
        push(format!("no choice in {}", site.path), true, &|i| {
            let Some(Instance::Group(m)) = i.get_mut(&site.path) else {
                return false;
            };
            m.clear();
            true
        });
        push(format!("two choices in {}", site.path), true, &|i| {
            let Some(Instance::Group(m)) = i.get_mut(&site.path) else {
                return false;
            };
            let (name, value) = m[0].clone();
            let other = options
                .iter()
                .find(|o| o.name != name)
                .expect("two options");
            m.push((other.name.clone(), value));
            true
        });
    }
    for site in kind(&|s| matches!(&s.ty, Type::List { .. })) {
        let Type::List {
            min_items,
            max_items,
            ..
        } = &site.ty
        else {
            unreachable!()
        };
        if *min_items > 0 {
            push(format!("empty list {}", site.path), true, &|i| {
                let Some(Instance::List { entries, .. }) = i.get_mut(&site.path) else {
                    return false;
                };
                entries.clear();
                true
            });
        }
        if *max_items <= 20 {
            let max = *max_items as usize;
            push(format!("too many entries in {}", site.path), true, &|i| {
                let Some(Instance::List { entries, .. }) = i.get_mut(&site.path) else {
                    return false;
                };
                let first = entries[0].clone();
                entries.resize(max + 1, first);
                true
            });
        }
    }
    push("first two fields swapped".into(), false, &|i| {
        let Instance::Group(m) = i else { return false };
        m.swap(0, 1);
        true
    });
    out
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hoso-forms-oracles-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `xmllint --schema` on many files at once: which of them validate.
fn xmllint(schema: &Path, files: &[PathBuf]) -> HashMap<PathBuf, bool> {
    let mut verdicts = HashMap::new();
    for chunk in files.chunks(400) {
        let output = Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(schema)
            .args(chunk)
            .output()
            .expect("xmllint runs (libxml2-utils; scripts/test.sh installs it)");
        let stderr = String::from_utf8_lossy(&output.stderr);
        for line in stderr.lines() {
            if let Some(file) = line.strip_suffix(" validates") {
                verdicts.insert(PathBuf::from(file), true);
            } else if let Some(file) = line.strip_suffix(" fails to validate") {
                verdicts.insert(PathBuf::from(file), false);
            }
        }
    }
    verdicts
}

fn python_jsonschema(manifest: &Path) -> HashMap<PathBuf, bool> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/jsonschema_batch.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(manifest)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "jsonschema_batch.py failed (scripts/test.sh installs the jsonschema package):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let (path, verdict) = line.rsplit_once('\t').expect("path<TAB>verdict");
            (PathBuf::from(path), verdict == "1")
        })
        .collect()
}

type Errors = Vec<(String, &'static str)>;

fn verdict(result: Result<hoso_forms::Form, hoso_forms::Rejection>) -> (bool, Errors) {
    match result {
        Ok(_) => (true, Vec::new()),
        Err(r) => (
            false,
            r.errors()
                .iter()
                .map(|e| (e.path.clone(), e.code()))
                .collect(),
        ),
    }
}

#[test]
fn xmllint_and_jsonschema_agree_with_the_validator_on_examples_and_mutations() {
    let definitions = Definitions::load().expect("definitions load");
    let dir = scratch();
    std::fs::write(
        dir.join(hoso_forms::COMMON_XSD_FILE),
        definitions.common_xsd(),
    )
    .unwrap();
    let mut manifest_schemas = serde_json::Map::new();
    let mut manifest_instances = Vec::new();
    // (form, label, xml path, json path, hoso's XML verdict, hoso's JSON verdict)
    let mut cases = Vec::new();
    let mut disagreements = String::new();
    let mut xml_verdicts = HashMap::new();
    for form in definitions.forms() {
        let id = &form.procedure;
        let xsd = dir.join(format!("{id}.xsd"));
        std::fs::write(&xsd, definitions.xsd(form)).unwrap();
        let schema = dir.join(format!("{id}.schema.json"));
        std::fs::write(&schema, definitions.json_schema(form)).unwrap();
        manifest_schemas.insert(id.clone(), schema.to_string_lossy().into());

        let mut corpus = vec![
            Mutation {
                label: "typical example".into(),
                instance: form.example(),
                neutral: true,
            },
            Mutation {
                label: "example with every optional part".into(),
                instance: form.example_with(Coverage::Everything),
                neutral: true,
            },
        ];
        let mut invalid_example = form.example();
        assert!(invalid_example.set_text(&form.invalid_example.path, &form.invalid_example.value));
        corpus.push(Mutation {
            label: "the invalid example".into(),
            instance: invalid_example,
            neutral: true,
        });
        corpus.extend(mutations(form));

        let mut xml_files = Vec::new();
        let mut invalid = 0;
        for (n, m) in corpus.iter().enumerate() {
            let xml_text = m.instance.to_xml(form);
            let json_text = m.instance.to_json(form);
            let xml_path = dir.join(format!("{id}-{n}.xml"));
            let json_path = dir.join(format!("{id}-{n}.json"));
            std::fs::write(&xml_path, &xml_text).unwrap();
            std::fs::write(&json_path, &json_text).unwrap();
            let (xml_ok, xml_errors) = verdict(definitions.validate_xml(xml_text.as_bytes(), None));
            let (json_ok, json_errors) =
                verdict(definitions.validate_json(json_text.as_bytes(), None));
            if m.neutral && xml_errors != json_errors {
                let _ = writeln!(
                    disagreements,
                    "{id}: {}: XML and JSON errors differ:\n    XML  {xml_errors:?}\n    JSON {json_errors:?}",
                    m.label
                );
            }
            if n >= 3 && !(xml_ok && json_ok) {
                invalid += 1;
            }
            manifest_instances.push(serde_json::json!([id, json_path.to_string_lossy()]));
            xml_files.push(xml_path.clone());
            cases.push((
                id.clone(),
                m.label.clone(),
                xml_path,
                json_path,
                xml_ok,
                json_ok,
            ));
        }
        assert!(
            invalid >= MIN_INVALID_MUTATIONS,
            "{id}: only {invalid} invalid mutations (at least {MIN_INVALID_MUTATIONS} wanted)"
        );
        xml_verdicts.extend(xmllint(&xsd, &xml_files));
    }
    let manifest = dir.join("manifest.json");
    std::fs::write(
        &manifest,
        serde_json::json!({ "schemas": manifest_schemas, "instances": manifest_instances })
            .to_string(),
    )
    .unwrap();
    let json_verdicts = python_jsonschema(&manifest);

    let (mut valid, mut refused) = (0, 0);
    for (id, label, xml_path, json_path, xml_ok, json_ok) in &cases {
        let lint = xml_verdicts.get(xml_path).copied();
        if lint != Some(*xml_ok) {
            let _ = writeln!(
                disagreements,
                "{id}: {label}: hoso says XML valid={xml_ok}, xmllint {lint:?} ({})",
                xml_path.display()
            );
        }
        let py = json_verdicts.get(json_path).copied();
        if py != Some(*json_ok) {
            let _ = writeln!(
                disagreements,
                "{id}: {label}: hoso says JSON valid={json_ok}, jsonschema {py:?} ({})",
                json_path.display()
            );
        }
        for ok in [xml_ok, json_ok] {
            if *ok { valid += 1 } else { refused += 1 }
        }
    }
    assert!(disagreements.is_empty(), "{disagreements}");
    eprintln!(
        "{} forms, {} instances in each encoding: {valid} valid and {refused} refused judgements, all agreed",
        definitions.forms().len(),
        cases.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_committed_examples_validate_as_they_say() {
    let definitions = Definitions::load().expect("definitions load");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/forms");
    for form in definitions.forms() {
        let dir = root.join(&form.procedure);
        for name in ["valid.xml", "valid.json"] {
            let bytes = std::fs::read(dir.join(name)).unwrap();
            if let Err(r) = definitions.validate(&bytes, None) {
                panic!("{}/{name}: {r}: {:?}", form.procedure, r.errors());
            }
        }
        let mistake = &form.invalid_example;
        for name in ["invalid.xml", "invalid.json"] {
            let bytes = std::fs::read(dir.join(name)).unwrap();
            let errors: Errors = verdict(definitions.validate(&bytes, None)).1;
            assert_eq!(
                errors,
                vec![(mistake.path.clone(), codes(&mistake.code))],
                "{}/{name}",
                form.procedure
            );
        }
    }
}

/// The code as the validator's static string, so lists compare.
fn codes(code: &str) -> &'static str {
    [
        "required",
        "unknown_field",
        "duplicate_field",
        "out_of_order",
        "not_a_value",
        "not_a_group",
        "wrong_type",
        "too_short",
        "too_long",
        "pattern",
        "not_in_list",
        "below_minimum",
        "above_maximum",
        "beyond_competence",
        "invalid_date",
        "invalid_number",
        "invalid_boolean",
        "too_few_items",
        "too_many_items",
        "no_choice",
        "several_choices",
        "unknown_attribute",
        "mixed_content",
        "wrong_document",
    ]
    .into_iter()
    .find(|c| *c == code)
    .unwrap_or_else(|| panic!("{code} is not an error code"))
}
