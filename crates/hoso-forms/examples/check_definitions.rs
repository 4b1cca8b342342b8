//! Loads form definition files from disk with the shared types and the
//! catalog, and reports the first mistake or a summary of each form.
//!
//! `cargo run -p hoso-forms --example check_definitions -- schemas/forms/tnmt-*.json`

use hoso_forms::{Catalog, Definitions, Field, Type};

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
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas/forms/common.json");
    let common = std::fs::read_to_string(root).expect("schemas/forms/common.json");
    let texts: Vec<(String, String)> = paths
        .iter()
        .filter(|p| !p.ends_with("common.json"))
        .map(|p| {
            let name = p.rsplit('/').next().unwrap_or(p).to_owned();
            (name, std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}")))
        })
        .collect();
    let sources: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let catalog = Catalog::load().expect("catalog");
    match Definitions::from_sources(&catalog, &common, &sources) {
        Ok(definitions) => {
            for form in definitions.forms() {
                println!("{}: {} fields", form.procedure, count(&form.fields));
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
