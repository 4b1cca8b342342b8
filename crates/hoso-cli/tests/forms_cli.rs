//! `hoso schema` and `hoso validate`: the printed schemas are the committed
//! exports, the committed examples validate as they say (signed ones from
//! what was signed), and every way a form is refused maps to its exit code.

mod common;

use common::{AT, hoso, repo, temp};
use hoso_forms::Definitions;
use serde_json::Value;

fn definitions() -> Definitions {
    Definitions::load().expect("definitions load")
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            stdout(output),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn schema_prints_the_committed_exports() {
    let d = definitions();
    for form in d.forms().iter().step_by(5) {
        let id = &form.procedure;
        for (format, file) in [
            ("xsd", format!("schemas/xsd/{id}.xsd")),
            ("json", format!("schemas/json/{id}.schema.json")),
        ] {
            let out = hoso(&["schema", "--procedure", id, "--format", format]);
            assert!(out.status.success(), "{id} {format}");
            assert_eq!(
                stdout(&out),
                std::fs::read_to_string(repo().join(file)).unwrap()
            );
        }
    }
    let out = hoso(&["schema", "--common", "--format", "xsd"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        std::fs::read_to_string(repo().join("schemas/xsd/common.xsd")).unwrap()
    );
}

#[test]
fn schema_usage_errors_exit_2() {
    for args in [
        &[
            "schema",
            "--procedure",
            "no-such-procedure",
            "--format",
            "xsd",
        ][..],
        &["schema", "--common", "--format", "json"],
        &["schema", "--format", "xsd"],
        &[
            "schema",
            "--procedure",
            "tp-20-ly-lich-tu-phap-so-1",
            "--format",
            "rng",
        ],
    ] {
        let out = hoso(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn every_signed_example_verifies_and_carries_exactly_the_valid_example() {
    let d = definitions();
    let trust = {
        let mut store = hoso_pki::TrustStore::new();
        store
            .add_pem_file(&repo().join("certs/test/ca/root.pem"), true)
            .unwrap();
        store
    };
    let at = hoso_pki::Timestamp::parse_rfc3339(AT).unwrap();
    for form in d.forms() {
        let dir = format!("examples/forms/{}", form.procedure);
        let signed = format!("{dir}/signed.xml");
        let out = hoso(&["verify", "--at", AT, &signed]);
        assert!(
            out.status.success(),
            "hoso verify {signed}:\n{}",
            stdout(&out)
        );
        let out = hoso(&["validate", "--json", "--at", AT, &signed]);
        assert!(
            out.status.success(),
            "hoso validate {signed}:\n{}",
            stdout(&out)
        );
        let report = json(&out);
        assert_eq!(report["procedure"], form.procedure.as_str());
        assert!(
            report["signed"]["signer"]
                .as_str()
                .unwrap()
                .contains("(TEST)")
        );

        // What was signed is the valid example, field for field; stale
        // signed examples are remade by scripts/sign-form-examples.sh.
        let bytes = std::fs::read(repo().join(&signed)).unwrap();
        let options = hoso_dsig::VerifyOptions::new(&trust, at);
        let accepted = hoso_dsig::verify_form(&bytes, &options)
            .unwrap_or_else(|r| panic!("{signed}: {}", r.refusal));
        let from_signature = d.validate_xml(&accepted.signed.canonical, None).unwrap();
        let valid = std::fs::read(repo().join(format!("{dir}/valid.xml"))).unwrap();
        assert_eq!(
            from_signature,
            d.validate_xml(&valid, None).unwrap(),
            "{signed} is stale: run scripts/sign-form-examples.sh"
        );
    }
}

#[test]
fn valid_and_invalid_examples_exit_0_and_1_with_the_errors_listed() {
    let d = definitions();
    let form = d.get("tnmt-05-xa-nuoc-thai").unwrap();
    let dir = "examples/forms/tnmt-05-xa-nuoc-thai";
    for file in ["valid.xml", "valid.json"] {
        let out = hoso(&["validate", &format!("{dir}/{file}")]);
        assert_eq!(out.status.code(), Some(0), "{file}");
        assert!(
            stdout(&out).contains("hợp lệ — tnmt-05-xa-nuoc-thai"),
            "{}",
            stdout(&out)
        );
    }
    for file in ["invalid.xml", "invalid.json"] {
        let out = hoso(&["validate", "--json", &format!("{dir}/{file}")]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let report = json(&out);
        assert_eq!(report["valid"], false);
        let errors = report["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{report}");
        assert_eq!(errors[0]["path"], form.invalid_example.path.as_str());
        assert_eq!(errors[0]["code"], "beyond_competence");
        let vi = errors[0]["message"]["vi"].as_str().unwrap();
        let en = errors[0]["message"]["en"].as_str().unwrap();
        assert!(vi.contains("không thuộc thẩm quyền của tỉnh"), "{vi}");
        assert!(en.contains("beyond the province's competence"), "{en}");
        // XML errors say where; JSON ones cannot.
        assert_eq!(errors[0].get("line").is_some(), file.ends_with(".xml"));
    }
    let out = hoso(&["validate", "--lang", "en", &format!("{dir}/invalid.xml")]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("invalid, 1 problem(s)"), "{text}");
    assert!(
        text.contains(&format!(
            "{} [beyond_competence]",
            form.invalid_example.path
        )),
        "{text}"
    );
}

#[test]
fn the_procedure_comes_from_the_document_or_the_option() {
    let valid = "examples/forms/tp-20-ly-lich-tu-phap-so-1/valid.json";
    let out = hoso(&[
        "validate",
        "--procedure",
        "tp-20-ly-lich-tu-phap-so-1",
        valid,
    ]);
    assert_eq!(out.status.code(), Some(0));
    // Named as another procedure's form, it is that form's wrong document.
    let out = hoso(&[
        "validate",
        "--json",
        "--procedure",
        "tp-21-ly-lich-tu-phap-so-2",
        valid,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["procedure"], "tp-21-ly-lich-tu-phap-so-2");
    assert!(
        report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["path"] == "procedure" && e["code"] == "wrong_document"),
        "{report}"
    );
    let xml = "examples/forms/tp-20-ly-lich-tu-phap-so-1/valid.xml";
    let out = hoso(&[
        "validate",
        "--json",
        "--procedure",
        "tp-21-ly-lich-tu-phap-so-2",
        xml,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["errors"][0]["code"], "wrong_document");
}

#[test]
fn documents_that_are_no_form_exit_1_and_usage_errors_exit_2() {
    let cases: [(&str, &[u8], &str); 4] = [
        ("not-xml.xml", b"<a><b></a>", "not_well_formed"),
        ("not-json.json", b"{\"procedure\": ", "not_json"),
        (
            "other.xml",
            b"<invoice xmlns=\"urn:example\"/>",
            "unknown_form",
        ),
        ("no-procedure.json", b"{\"applicant\": {}}", "unknown_form"),
    ];
    for (name, bytes, code) in cases {
        let path = temp("forms-cli", name);
        std::fs::write(&path, bytes).unwrap();
        let out = hoso(&["validate", "--json", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert_eq!(json(&out)["errors"][0]["code"], code, "{name}");
    }
    let out = hoso(&["validate", "examples/forms/nope/valid.xml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = hoso(&[
        "validate",
        "--procedure",
        "nope",
        "examples/forms/tp-20-ly-lich-tu-phap-so-1/valid.xml",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_tampered_signed_form_is_refused_before_its_fields_are_read() {
    let signed = std::fs::read_to_string(
        repo().join("examples/forms/tnmt-02-khai-thac-nuoc-duoi-dat/signed.xml"),
    )
    .unwrap();
    // Still a valid form, but not the one that was signed.
    let tampered = signed.replacen(
        "<totalFlow>1130.5</totalFlow>",
        "<totalFlow>1130.6</totalFlow>",
        1,
    );
    assert_ne!(tampered, signed);
    let path = temp("forms-cli", "tampered.xml");
    std::fs::write(&path, tampered).unwrap();
    let out = hoso(&["validate", "--at", AT, path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("the signature is not accepted"));
    // Untrusted under the real national roots.
    let signed_path = "examples/forms/tnmt-02-khai-thac-nuoc-duoi-dat/signed.xml";
    let out = hoso(&["validate", "--profile", "national", "--at", AT, signed_path]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn codegen_writes_the_committed_bindings() {
    for (lang, committed) in [
        ("rust", "bindings/rust/src"),
        ("typescript", "bindings/typescript"),
    ] {
        let out_dir = temp("forms-cli", &format!("codegen-{lang}"));
        let out = hoso(&[
            "codegen",
            "--lang",
            lang,
            "--out",
            out_dir.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{lang}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut stack = vec![out_dir.clone()];
        let mut files = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path.strip_prefix(&out_dir).unwrap();
                let expected = std::fs::read_to_string(repo().join(committed).join(rel)).unwrap();
                assert_eq!(
                    std::fs::read_to_string(&path).unwrap(),
                    expected,
                    "{lang}: {}",
                    rel.display()
                );
                files += 1;
            }
        }
        assert!(files > 31, "{lang}: {files} files");
    }
    // One procedure: its module, the shared types and the list of modules.
    let out_dir = temp("forms-cli", "codegen-one");
    let out = hoso(&[
        "codegen",
        "--lang",
        "rust",
        "--procedure",
        "tp-20-ly-lich-tu-phap-so-1",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["common.rs", "lib.rs", "tp_20_ly_lich_tu_phap_so_1.rs"]
    );
    let out = hoso(&[
        "codegen",
        "--lang",
        "rust",
        "--procedure",
        "nope",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_json_form_signed_as_a_jws_validates_from_its_payload() {
    let jws = temp("forms-cli", "signed.jws.json");
    let out = hoso(&[
        "sign",
        "--key",
        "certs/test/signers/person-cccd.key.pem",
        "--cert",
        "certs/test/signers/person-cccd.pem",
        "--chain",
        "certs/test/chain-ca1.pem",
        "--output",
        jws.to_str().unwrap(),
        "examples/forms/tp-20-ly-lich-tu-phap-so-1/valid.json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = hoso(&["validate", "--json", "--at", AT, jws.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stdout(&out));
    let report = json(&out);
    assert_eq!(report["procedure"], "tp-20-ly-lich-tu-phap-so-1");
    assert!(
        report["signed"]["signer"]
            .as_str()
            .unwrap()
            .contains("CCCD:001203004567")
    );
    // Signed over an invalid form: the signature holds, the form does not.
    let bad = temp("forms-cli", "invalid.jws.json");
    let out = hoso(&[
        "sign",
        "--key",
        "certs/test/signers/person-cccd.key.pem",
        "--cert",
        "certs/test/signers/person-cccd.pem",
        "--chain",
        "certs/test/chain-ca1.pem",
        "--output",
        bad.to_str().unwrap(),
        "examples/forms/tp-20-ly-lich-tu-phap-so-1/invalid.json",
    ]);
    assert!(out.status.success());
    let out = hoso(&["validate", "--json", "--at", AT, bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["errors"][0]["code"], "above_maximum");
    assert!(report["signed"]["signer"].is_string());
}
