//! The generated TypeScript declarations compile with `tsc --strict`, every
//! valid JSON example type-checks as its form type, and representative
//! invalid ones do not (each is marked `@ts-expect-error`, which `tsc`
//! reports as an error when the line has none).
//!
//! `tsc` is the one `scripts/test.sh` installs (`HOSO_TSC`), or `tsc` on the
//! path.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use hoso_forms::{Coverage, Definitions, Field, FormDefinition, Instance, JsonScalar, Type};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn tsc() -> Command {
    let program = std::env::var_os("HOSO_TSC").unwrap_or_else(|| "tsc".into());
    Command::new(program)
}

/// One line of JSON, so that `@ts-expect-error` covers all of it.
fn one_line(instance: &Instance, form: &FormDefinition) -> String {
    let value: serde_json::Value = serde_json::from_str(&instance.to_json(form)).unwrap();
    value.to_string()
}

/// The path and type of the first value of the example whose type `pick`
/// accepts.
fn first(
    fields: &[Field],
    instance: &Instance,
    path: &str,
    pick: &dyn Fn(&Type) -> bool,
) -> Option<(String, Type)> {
    let Instance::Group(members) = instance else {
        return None;
    };
    for field in fields {
        let Some((_, member)) = members.iter().find(|(n, _)| *n == field.name) else {
            continue;
        };
        let here = if path.is_empty() {
            field.name.clone()
        } else {
            format!("{path}.{}", field.name)
        };
        if pick(&field.ty.ty) {
            return Some((here, (*field.ty.ty).clone()));
        }
        let found = match (&*field.ty.ty, member) {
            (Type::Group(inner) | Type::Choice(inner), _) => first(inner, member, &here, pick),
            (Type::List { of, .. }, Instance::List { entries, .. }) if !entries.is_empty() => {
                match &*of.ty {
                    Type::Group(inner) => first(inner, &entries[0], &format!("{here}[0]"), pick),
                    ty if pick(ty) => Some((format!("{here}[0]"), ty.clone())),
                    _ => None,
                }
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Mistakes a type checker must catch, each as (what, instance).
fn mistakes(form: &FormDefinition) -> Vec<(String, Instance)> {
    let base = form.example();
    let mut out = Vec::new();
    let mut change = |what: &str, f: &dyn Fn(&mut Instance) -> bool| {
        let mut i = base.clone();
        if f(&mut i) {
            out.push((what.to_owned(), i));
        }
    };
    let required = form
        .fields
        .iter()
        .find(|f| !f.optional)
        .unwrap()
        .name
        .clone();
    change(&format!("missing {required}"), &|i| i.remove(&required));
    change("unknown field", &|i| {
        let Instance::Group(m) = i else { return false };
        m.push((
            "unexpectedField".into(),
            Instance::Scalar {
                text: "1".into(),
                json: JsonScalar::Number,
            },
        ));
        true
    });
    if let Some((path, _)) = first(&form.fields, &base, "", &|t| matches!(t, Type::Enum(_))) {
        change(&format!("unknown code at {path}"), &|i| {
            i.set_text(&path, "not-a-code")
        });
    }
    if let Some((path, _)) = first(&form.fields, &base, "", &|t| {
        matches!(t, Type::Integer { .. } | Type::Decimal(_))
    }) {
        change(
            &format!("number as text at {path}"),
            &|i| match i.get_mut(&path) {
                Some(Instance::Scalar { json, .. }) => {
                    *json = JsonScalar::String;
                    true
                }
                _ => false,
            },
        );
    }
    if let Some((path, _)) = first(&form.fields, &base, "", &|t| matches!(t, Type::Text(_))) {
        change(
            &format!("text as number at {path}"),
            &|i| match i.get_mut(&path) {
                Some(Instance::Scalar { text, json }) => {
                    *text = "12".into();
                    *json = JsonScalar::Number;
                    true
                }
                _ => false,
            },
        );
    }
    if let Some((path, Type::Choice(options))) =
        first(&form.fields, &base, "", &|t| matches!(t, Type::Choice(_)))
    {
        change(
            &format!("two options at {path}"),
            &|i| match i.get_mut(&path) {
                Some(Instance::Group(m)) if m.len() == 1 => {
                    let (name, value) = m[0].clone();
                    let other = options
                        .iter()
                        .find(|o| o.name != name)
                        .expect("a choice has two options");
                    m.push((other.name.clone(), value));
                    true
                }
                _ => false,
            },
        );
    }
    out
}

#[test]
fn typescript_bindings_compile_strictly_and_type_the_examples() {
    let version = tsc().arg("--version").output().unwrap_or_else(|e| {
        panic!("tsc does not run ({e}); scripts/test.sh installs TypeScript and sets HOSO_TSC")
    });
    assert!(version.status.success(), "tsc --version failed");

    let definitions = Definitions::load().unwrap();
    let src = repo().join("bindings/typescript/src");
    let dir = std::env::temp_dir().join(format!("hoso-ts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    let mut valid = String::new();
    let mut invalid = String::new();
    let mut counts = (0, 0);
    for (n, form) in definitions.forms().iter().enumerate() {
        let import = format!(
            "import type * as f{n} from {:?};\n",
            src.join(&form.procedure).to_string_lossy()
        );
        valid.push_str(&import);
        invalid.push_str(&import);
        let committed = std::fs::read_to_string(
            repo().join(format!("examples/forms/{}/valid.json", form.procedure)),
        )
        .unwrap();
        let _ = writeln!(
            valid,
            "export const typical{n}: f{n}.Form = {};",
            committed.trim_end()
        );
        let everything = form.example_with(Coverage::Everything);
        let _ = writeln!(
            valid,
            "export const everything{n}: f{n}.Form = {};",
            everything.to_json(form).trim_end()
        );
        counts.0 += 2;
        for (m, (what, instance)) in mistakes(form).into_iter().enumerate() {
            let _ = writeln!(
                invalid,
                "// {}: {what}\n// @ts-expect-error",
                form.procedure
            );
            let _ = writeln!(
                invalid,
                "export const bad{n}_{m}: f{n}.Form = {};",
                one_line(&instance, form)
            );
            counts.1 += 1;
        }
    }
    std::fs::write(dir.join("valid.ts"), valid).unwrap();
    std::fs::write(dir.join("invalid.ts"), invalid).unwrap();
    std::fs::write(
        dir.join("tsconfig.json"),
        r#"{
  "compilerOptions": {
    "target": "ES2022", "module": "ES2022", "moduleResolution": "Bundler",
    "strict": true, "noEmit": true, "skipLibCheck": true, "isolatedModules": true
  },
  "files": ["valid.ts", "invalid.ts"]
}
"#,
    )
    .unwrap();

    // The package on its own, then the examples against it.
    for project in [repo().join("bindings/typescript"), dir.clone()] {
        let out = tsc()
            .arg("--strict")
            .arg("--noEmit")
            .arg("-p")
            .arg(&project)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "tsc -p {}:\n{}{}",
            project.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(counts.1 >= 4 * definitions.forms().len(), "{counts:?}");
    eprintln!(
        "{} valid examples type-check, {} invalid ones do not",
        counts.0, counts.1
    );
    let _ = std::fs::remove_dir_all(&dir);
}
