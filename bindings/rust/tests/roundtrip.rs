//! Every generated form type round-trips its committed examples: parse →
//! serialize gives the same bytes, in XML and in JSON, both encodings give
//! the same value, and the value validates. The example with every optional
//! part (and the other option of each choice) round-trips too, and the
//! committed invalid examples are refused with the error their definition
//! names.

use std::fmt::Debug;
use std::path::Path;

use hoso_forms::{Coverage, FormType};

fn read(procedure: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/forms")
        .join(procedure)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("examples are UTF-8")
}

fn roundtrip<F: FormType + PartialEq + Debug>() {
    let id = F::PROCEDURE;
    let json = read(id, "valid.json");
    let from_json = F::from_json(&json).unwrap_or_else(|e| panic!("{id}: valid.json: {e}"));
    assert_eq!(
        from_json.to_json(),
        text(&json),
        "{id}: JSON out differs from JSON in"
    );
    from_json.validate().unwrap_or_else(|e| panic!("{id}: {e}"));

    let xml = read(id, "valid.xml");
    let from_xml = F::from_xml(&xml).unwrap_or_else(|e| panic!("{id}: valid.xml: {e}"));
    assert_eq!(
        from_xml, from_json,
        "{id}: the XML and JSON examples differ as values"
    );
    let written = from_xml.to_xml().unwrap();
    assert_eq!(written, text(&xml), "{id}: XML out differs from XML in");

    // Every optional part and the last option of each choice.
    let definition = F::definition().unwrap();
    let everything = definition.example_with(Coverage::Everything);
    let json = everything.to_json(definition);
    let value = F::from_json(json.as_bytes()).unwrap_or_else(|e| panic!("{id}: full example: {e}"));
    assert_eq!(value.to_json(), json, "{id}: full example");
    assert_eq!(
        value.to_xml().unwrap(),
        everything.to_xml(definition),
        "{id}: full example as XML"
    );
    value
        .validate()
        .unwrap_or_else(|e| panic!("{id}: full example: {e}"));

    // The invalid examples fit the types (their mistakes are values) but
    // not the definition.
    let mistake = &definition.invalid_example;
    for (name, parsed) in [
        ("invalid.json", F::from_json(&read(id, "invalid.json"))),
        ("invalid.xml", F::from_xml(&read(id, "invalid.xml"))),
    ] {
        let refused = match parsed {
            Ok(value) => value.validate().map(|_| ()),
            Err(e) => Err(e),
        };
        match refused {
            Err(hoso_forms::BindingError::Rejected(r)) => {
                let codes: Vec<(&str, &str)> = r
                    .errors()
                    .iter()
                    .map(|e| (e.path.as_str(), e.code()))
                    .collect();
                assert_eq!(
                    codes,
                    [(mistake.path.as_str(), mistake.code.as_str())],
                    "{id}: {name}"
                );
            }
            // A value the type cannot hold (a code outside an enumeration,
            // a day that does not exist) is refused when read, naming it.
            Err(hoso_forms::BindingError::Json(e)) => {
                assert!(
                    ["not_in_list", "invalid_date"].contains(&mistake.code.as_str()),
                    "{id}: {name}: {e}"
                );
                assert!(e.to_string().contains(&mistake.value), "{id}: {name}: {e}");
            }
            other => panic!("{id}: {name}: {other:?}"),
        }
    }
}

macro_rules! check {
    ($form:ty) => {
        roundtrip::<$form>();
    };
}

#[test]
fn every_form_round_trips_its_examples_in_both_encodings() {
    hoso_bindings::for_each_form!(check);
}

#[test]
fn typed_access_reads_like_the_form() {
    use hoso_bindings::common::{Applicant, IdentityNumber, WaterUse};
    use hoso_bindings::tnmt_02_khai_thac_nuoc_duoi_dat::DonKhaiThacNuocDuoiDat;

    let form =
        DonKhaiThacNuocDuoiDat::from_xml(&read("tnmt-02-khai-thac-nuoc-duoi-dat", "valid.xml"))
            .unwrap();
    assert_eq!(form.extraction.total_flow.to_string(), "1130.5");
    assert_eq!(form.extraction.wells.len(), 2);
    assert_eq!(
        form.works.purposes,
        [WaterUse::Domestic, WaterUse::Industrial]
    );
    assert_eq!(
        WaterUse::Domestic.label(hoso_forms::Lang::Vi),
        "Cấp nước sinh hoạt"
    );
    let Applicant::Organisation(organisation) = &form.applicant else {
        panic!("the example's applicant is an organisation")
    };
    assert_eq!(organisation.tax_code, "5000123456");
    assert!(matches!(
        organisation.representative.identity.number,
        IdentityNumber::Cccd(ref n) if n == "008090001234"
    ));

    // A change made through the types is checked by the definition.
    let mut changed = form.clone();
    changed.extraction.total_flow = hoso_forms::Decimal::parse_xsd("3000").unwrap();
    let Err(hoso_forms::BindingError::Rejected(r)) = changed.validate() else {
        panic!("3000 m³/day is beyond the province")
    };
    assert_eq!(r.errors()[0].code(), "beyond_competence");
}

#[test]
fn decimals_travel_exactly_in_xml() {
    use hoso_bindings::tnmt_02_khai_thac_nuoc_duoi_dat::DonKhaiThacNuocDuoiDat;
    let xml = String::from_utf8(read("tnmt-02-khai-thac-nuoc-duoi-dat", "valid.xml")).unwrap();
    // Under the limit by 10^-13: a double would round it to 3000.
    let precise = xml.replace(
        "<totalFlow>1130.5</totalFlow>",
        "<totalFlow>2999.9999999999999</totalFlow>",
    );
    let form = DonKhaiThacNuocDuoiDat::from_xml(precise.as_bytes()).unwrap();
    assert_eq!(form.extraction.total_flow.to_string(), "2999.9999999999999");
    assert_eq!(form.to_xml().unwrap(), precise);
    form.validate().unwrap();
    // JSON numbers are doubles: the value is written as a string rather
    // than rounded, and read back as the same decimal.
    let json = form.to_json();
    assert!(
        json.contains("\"totalFlow\": \"2999.9999999999999\""),
        "{json}"
    );
    assert_eq!(
        DonKhaiThacNuocDuoiDat::from_json(json.as_bytes()).unwrap(),
        form
    );
    // A number a double carries is a number, never a string.
    let plain = String::from_utf8(read("tnmt-02-khai-thac-nuoc-duoi-dat", "valid.json")).unwrap();
    let as_text = plain.replace("\"totalFlow\": 1130.5", "\"totalFlow\": \"1130.5\"");
    assert!(DonKhaiThacNuocDuoiDat::from_json(as_text.as_bytes()).is_err());
}
