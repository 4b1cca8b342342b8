//! `hoso catalog`: the table and the JSON.

mod common;

use common::hoso;

#[test]
fn json_lists_31_procedures_and_the_summary() {
    let out = hoso(&["catalog", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let procedures = value["catalog"]["procedures"].as_array().unwrap();
    assert_eq!(procedures.len(), 31);
    assert_eq!(procedures[0]["id"], "tnmt-01-tham-do-nuoc-duoi-dat");
    assert_eq!(value["summary"]["province"]["actual"], 23);
    assert_eq!(value["summary"]["district"]["actual"], 8);
    assert_eq!(value["summary"]["level3"]["target"], 31);
}

#[test]
fn table_is_vietnamese_by_default_and_english_on_request() {
    let out = hoso(&["catalog"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("tnmt-01-tham-do-nuoc-duoi-dat"));
    assert!(text.contains("Cấp giấy phép thăm dò nước dưới đất"));
    assert!(text.contains("Tổng hợp lộ trình"));
    assert!(text.contains("31/31"));

    let out = hoso(&["catalog", "--lang", "en"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Groundwater exploration permit"));
    assert!(text.contains("Roadmap summary"));
}
