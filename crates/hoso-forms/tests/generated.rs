//! The exported schemas, the examples and the Rust and TypeScript bindings
//! are generated from the definitions and committed; this test fails when
//! one is stale, missing or left over. `HOSO_BLESS=1 cargo test -p hoso-forms --test generated`
//! rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hoso_forms::Definitions;
use hoso_forms::codegen::Language;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every generated file, by path relative to the repository.
fn expected() -> BTreeMap<String, String> {
    let definitions = Definitions::load().expect("definitions load");
    let mut files = BTreeMap::new();
    files.insert(
        "schemas/xsd/common.xsd".to_owned(),
        definitions.common_xsd(),
    );
    for form in definitions.forms() {
        let id = &form.procedure;
        files.insert(format!("schemas/xsd/{id}.xsd"), definitions.xsd(form));
        files.insert(
            format!("schemas/json/{id}.schema.json"),
            definitions.json_schema(form),
        );
        let valid = form.example();
        files.insert(format!("examples/forms/{id}/valid.xml"), valid.to_xml(form));
        files.insert(
            format!("examples/forms/{id}/valid.json"),
            valid.to_json(form),
        );
        let mut invalid = form.example();
        let mistake = &form.invalid_example;
        assert!(
            invalid.set_text(&mistake.path, &mistake.value),
            "{id}: invalid_example.path {} is not a value of the example",
            mistake.path
        );
        files.insert(
            format!("examples/forms/{id}/invalid.xml"),
            invalid.to_xml(form),
        );
        files.insert(
            format!("examples/forms/{id}/invalid.json"),
            invalid.to_json(form),
        );
    }
    for (language, dir) in [
        (Language::Rust, "bindings/rust/src"),
        (Language::TypeScript, "bindings/typescript"),
    ] {
        for file in definitions
            .generate(language, &[])
            .expect("bindings generate")
        {
            files.insert(format!("{dir}/{}", file.path), file.text);
        }
    }
    files
}

/// Generated files on disk, except the signed examples (made by
/// `scripts/sign-form-examples.sh` and checked by the CLI tests) and the
/// bindings' hand-written package files.
fn on_disk() -> Vec<String> {
    let mut found = Vec::new();
    for (dir, suffixes) in [
        ("schemas/xsd", &[".xsd"][..]),
        ("schemas/json", &[".schema.json"][..]),
        (
            "examples/forms",
            &["valid.xml", "valid.json", "invalid.xml", "invalid.json"][..],
        ),
    ] {
        let mut stack = vec![repo().join(dir)];
        while let Some(path) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&path) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(rel) = path.strip_prefix(repo()) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    let name = rel.rsplit('/').next().unwrap_or_default().to_owned();
                    if suffixes
                        .iter()
                        .any(|s| name == *s || (s.starts_with('.') && name.ends_with(s)))
                    {
                        found.push(rel);
                    }
                }
            }
        }
    }
    found
}

#[test]
fn committed_exports_and_examples_are_current() {
    let expected = expected();
    let bless = std::env::var_os("HOSO_BLESS").is_some();
    let mut stale = Vec::new();
    for (rel, text) in &expected {
        let path = repo().join(rel);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, text).unwrap();
            } else {
                stale.push(rel.clone());
            }
        }
    }
    for rel in on_disk() {
        if !expected.contains_key(&rel) {
            if bless {
                std::fs::remove_file(repo().join(&rel)).unwrap();
            } else {
                stale.push(format!("{rel} (no longer generated)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files (regenerate with HOSO_BLESS=1 cargo test -p hoso-forms --test generated):\n  {}",
        stale.join("\n  ")
    );
}
