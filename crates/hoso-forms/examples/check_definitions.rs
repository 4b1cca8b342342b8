//! Loads form definition files from disk with the shared types and the
//! catalog, and reports the first mistake or a summary of each form. Each
//! form's generated examples must validate, as XML and as JSON, and its
//! invalid example must fail with the error it names.
//!
//! `cargo run -p hoso-forms --example check_definitions -- schemas/forms/tnmt-*.json`

use hoso_forms::{Catalog, Coverage, Definitions, Field, Type};

fn count(fields: &[Field]) -> usize {
    fields
        .iter()
        .map(|f| {
            1 + match &*f.ty.ty {
                Type::Group(inner) | Type::Choice(inner) => count(inner),
                Type::List { of, .. } => match &*of.ty {
                    Type::Group(inner) | Type::Choice(inner) => count(inner),
                    _ => 0,
                },
                _ => 0,
            }
        })
        .sum()
}

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schemas/forms/common.json"
    );
    let common = std::fs::read_to_string(root).expect("schemas/forms/common.json");
    let texts: Vec<(String, String)> = paths
        .iter()
        .filter(|p| !p.ends_with("common.json"))
        .map(|p| {
            let name = p.rsplit('/').next().unwrap_or(p).to_owned();
            (
                name,
                std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}")),
            )
        })
        .collect();
    let sources: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let catalog = Catalog::load().expect("catalog");
    match Definitions::from_sources(&catalog, &common, &sources) {
        Ok(definitions) => {
            let mut failed = false;
            for form in definitions.forms() {
                println!("{}: {} fields", form.procedure, count(&form.fields));
                for coverage in [Coverage::Typical, Coverage::Everything] {
                    let example = form.example_with(coverage);
                    for (encoding, text) in [
                        ("XML", example.to_xml(form)),
                        ("JSON", example.to_json(form)),
                    ] {
                        if let Err(rejection) = definitions.validate(text.as_bytes(), None) {
                            failed = true;
                            eprintln!("  {coverage:?} {encoding} example is refused: {rejection}");
                            for e in rejection.errors() {
                                eprintln!("    {e}");
                            }
                        }
                    }
                }
                let bad = &form.invalid_example;
                let mut example = form.example();
                if !example.set_text(&bad.path, &bad.value) {
                    failed = true;
                    eprintln!(
                        "  invalid_example.path {} is not a value of the example",
                        bad.path
                    );
                    continue;
                }
                for text in [example.to_xml(form), example.to_json(form)] {
                    let errors: Vec<(String, &str)> =
                        match definitions.validate(text.as_bytes(), None) {
                            Ok(_) => Vec::new(),
                            Err(r) => r
                                .errors()
                                .iter()
                                .map(|e| (e.path.clone(), e.code()))
                                .collect(),
                        };
                    if errors != [(bad.path.clone(), bad.code.as_str())] {
                        failed = true;
                        eprintln!(
                            "  invalid_example gives {errors:?}, not [({:?}, {:?})]",
                            bad.path, bad.code
                        );
                    }
                }
            }
            if failed {
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
