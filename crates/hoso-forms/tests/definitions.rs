//! Every definition under `schemas/forms/` loads, is listed in the crate,
//! follows the catalog, and labels every field in both languages.

use hoso_forms::{Catalog, Definitions, Type};

fn definitions() -> Definitions {
    Definitions::load().unwrap_or_else(|e| panic!("definitions load: {e}"))
}

#[test]
fn every_file_under_schemas_forms_is_compiled_in() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas/forms");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json") && n != "common.json")
        .map(|n| n.trim_end_matches(".json").to_owned())
        .collect();
    on_disk.sort();
    let mut loaded: Vec<String> = definitions()
        .forms()
        .iter()
        .map(|f| f.procedure.clone())
        .collect();
    loaded.sort();
    assert_eq!(loaded, on_disk);
}

#[test]
fn definitions_load_and_name_catalog_procedures() {
    let catalog = Catalog::load().unwrap();
    for form in definitions().forms() {
        assert!(catalog.get(&form.procedure).is_some(), "{}", form.procedure);
        let attachments = form
            .fields
            .iter()
            .find(|f| f.name == "attachments")
            .unwrap_or_else(|| panic!("{}: no attachments field", form.procedure));
        let Type::Group(items) = &*attachments.ty.ty else {
            panic!("{}: attachments is not a group", form.procedure)
        };
        for item in items {
            let named = |t: &hoso_forms::TypeRef| {
                t.name.as_ref().map(|(_, n)| n.as_str()) == Some("Attachment")
            };
            let ok = named(&item.ty) || matches!(&*item.ty.ty, Type::List { of, .. } if named(of));
            assert!(
                ok,
                "{}: attachments.{} is not an Attachment",
                form.procedure, item.name
            );
        }
    }
}
