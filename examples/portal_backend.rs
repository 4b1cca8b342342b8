//! A provincial portal's backend receiving a signed application for a
//! groundwater extraction permit (procedure 2): it verifies the signature
//! under the form policy, validates what was signed against the form's
//! definition, and then works with the typed form: who applies, whether the
//! signer is the applicant, what is asked for, and which documents are
//! attached.
//!
//! ```sh
//! cargo run -p hoso-bindings --example portal_backend                 # the committed signed example
//! cargo run -p hoso-bindings --example portal_backend -- FORM.xml     # another signed form
//! ```
//!
//! The trust anchor is the TEST national root of `certs/test/` (the demo
//! trust store); a real portal loads the national and government roots.

use std::error::Error;
use std::path::{Path, PathBuf};

use hoso_bindings::common::{Applicant, IdentityNumber};
use hoso_bindings::tnmt_02_khai_thac_nuoc_duoi_dat::DonKhaiThacNuocDuoiDat;
use hoso_dsig::{VerifyOptions, verify_form};
use hoso_forms::{FormType, Lang};
use hoso_pki::{PersonalId, Timestamp, TrustStore};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            repo().join("examples/forms/tnmt-02-khai-thac-nuoc-duoi-dat/signed.xml")
        });
    let signed = std::fs::read(&path)?;

    // 1. The signature, under the form policy: exactly one signature over
    //    the whole form, by a certificate that chains to a trusted root.
    let mut trust = TrustStore::new();
    trust.add_pem_file(&repo().join("certs/test/ca/root.pem"), true)?;
    let accepted = match verify_form(&signed, &VerifyOptions::new(&trust, Timestamp::now())) {
        Ok(accepted) => accepted,
        Err(refused) => return Err(format!("refused: {}", refused.refusal).into()),
    };
    let signer = accepted.signature.identity.clone().unwrap_or_default();
    println!("Người ký: {}", signer.common_name.as_deref().unwrap_or("?"));

    // 2. The form, read from what was signed (never from the bytes around
    //    the signature), and validated against its definition on the way.
    let form = DonKhaiThacNuocDuoiDat::from_xml(&accepted.signed.canonical)?;

    // 3. Typed access.
    let (applicant, applicant_id) = match &form.applicant {
        Applicant::Organisation(o) => (
            o.name.clone(),
            PersonalId::TaxCode {
                code: o.tax_code.split('-').next().unwrap_or_default().to_owned(),
                branch: o.tax_code.split_once('-').map(|(_, b)| b.to_owned()),
            },
        ),
        Applicant::Person(p) => (
            p.full_name.clone(),
            match &p.identity.number {
                IdentityNumber::Cccd(n) => PersonalId::Cccd(n.clone()),
                IdentityNumber::Cmnd(n) => PersonalId::Cmnd(n.clone()),
                IdentityNumber::Passport(n) => PersonalId::Passport(n.clone()),
            },
        ),
    };
    println!("Tổ chức, cá nhân đề nghị: {applicant}");
    if signer.ids.contains(&applicant_id) {
        println!("Người ký là người đề nghị.");
    } else {
        // A portal would route this to an officer: someone may sign on the
        // applicant's behalf, but only with an authorisation.
        println!(
            "Lưu ý: người ký ({:?}) không phải người đề nghị ({applicant_id:?}).",
            signer.ids
        );
    }
    let extraction = &form.extraction;
    println!(
        "Tổng lưu lượng: {} m³/ngày đêm từ {} giếng, thời hạn {} năm",
        extraction.total_flow,
        extraction.wells.len(),
        extraction.term_years
    );
    for well in &extraction.wells {
        println!(
            "  {}: X {} Y {} (VN-2000, KTT {}°), sâu {} m, {} m³/ngày đêm",
            well.code,
            well.location.x,
            well.location.y,
            well.location.central_meridian,
            well.depth,
            well.flow
        );
    }
    let purposes: Vec<&str> = form
        .works
        .purposes
        .iter()
        .map(|p| p.label(Lang::Vi))
        .collect();
    println!("Mục đích: {}", purposes.join(", "));
    let attachments = &form.attachments;
    for (name, attachment) in [
        ("Sơ đồ vị trí", &attachments.site_map),
        ("Báo cáo giếng", &attachments.well_report),
        ("Chất lượng nước", &attachments.water_quality),
    ] {
        println!(
            "Tệp kèm theo: {name}: {} ({} byte, SHA-256 {}…)",
            attachment.file_name,
            attachment.size,
            &attachment.sha256[..12]
        );
    }
    Ok(())
}
