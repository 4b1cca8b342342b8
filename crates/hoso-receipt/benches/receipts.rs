//! Fee receipts per second on one thread: rendering, PAdES signing (with the
//! TEST agency's RSA-2048 key), both, and verification.
//!
//! `cargo bench -p hoso-receipt --bench receipts [-- --min-time SECS]`
//! (`scripts/bench-receipts.sh` runs it with an OpenSSL peer).  Each phase
//! warms up, then runs until `--min-time` seconds (default 2) are spent, at
//! least 10 runs; each run is timed on its own and the median and best are
//! printed.  Timings are reported, never asserted.  With `HOSO_BENCH_OUT`
//! set, the receipt is also written there (unsigned and signed) for the
//! script's peer.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use hoso_dsig::{SigningKey, VerifyOptions};
use hoso_pki::{Certificate, Timestamp, TrustStore};
use hoso_receipt::{
    FeeItem, FeeReceipt, Font, PdfSignOptions, fee_receipt_pdf, sign_pdf, verify_pdf,
};

fn receipt(n: u32) -> FeeReceipt {
    FeeReceipt {
        agency: "Sở Tài nguyên và Môi trường tỉnh Tuyên Quang".into(),
        template: "01BLP0-001".into(),
        series: "TQ-26E".into(),
        number: format!("{n:07}"),
        payer: "Công ty TNHH Khai thác Nước ngầm Hàm Yên".into(),
        dossier_code: format!("000.00.21.H59-261127-{n:04}"),
        items: vec![
            FeeItem {
                name: "Phí thẩm định đề án khai thác, sử dụng nước dưới đất".into(),
                amount_vnd: 1_200_000,
            },
            FeeItem {
                name: "Lệ phí cấp giấy phép khai thác nước dưới đất".into(),
                amount_vnd: 150_000,
            },
        ],
        payment_reference: format!("VNPAY-20261127-{n:04}"),
        paid_at: "15 giờ 00 phút, ngày 27/11/2026".into(),
        verify_url: format!(
            "https://dichvucong.tuyenquang.example.gov.vn/bien-lai?so=TQ-26E-{n:07}"
        ),
    }
}

/// A named operation; its argument numbers the run.
type Phase<'a> = (&'static str, Box<dyn FnMut(u32) + 'a>);

struct Stats {
    runs: usize,
    median: Duration,
    best: Duration,
}

fn measure(min_time: Duration, mut f: impl FnMut(u32)) -> Stats {
    let warm = Instant::now();
    let mut i = 0;
    while warm.elapsed() < min_time / 10 || i < 3 {
        f(i);
        i += 1;
    }
    let mut times = Vec::new();
    let start = Instant::now();
    while start.elapsed() < min_time || times.len() < 10 {
        let t = Instant::now();
        f(i);
        times.push(t.elapsed());
        i += 1;
    }
    times.sort();
    Stats {
        runs: times.len(),
        median: times[times.len() / 2],
        best: times[0],
    }
}

fn main() {
    let mut min_time = Duration::from_secs(2);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--min-time" {
            let secs: f64 = args
                .next()
                .and_then(|v| v.parse().ok())
                .expect("--min-time SECS");
            min_time = Duration::from_secs_f64(secs);
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../certs/test");
    let read = |p: &str| std::fs::read(root.join(p)).expect("certs/test");
    let font = Font::load(Path::new(Font::DEFAULT_PATH))
        .expect("install fonts-dejavu-core (apt-get install -y fonts-dejavu-core)");
    let key = SigningKey::from_pem(&read("signers/agency.key.pem")).unwrap();
    let mut certificates = Certificate::from_pem(&read("signers/agency.pem")).unwrap();
    certificates.extend(Certificate::from_pem(&read("chain-ca1.pem")).unwrap());
    let mut options = PdfSignOptions::new(
        certificates,
        Timestamp::parse_rfc3339("2026-11-27T08:00:00Z").unwrap(),
    );
    options.reason = Some("Biên lai thu phí, lệ phí".into());
    let mut trust = TrustStore::new();
    for anchor in Certificate::from_pem(&read("ca/root.pem")).unwrap() {
        trust.add_anchor(anchor);
    }
    let verify_options = VerifyOptions::new(
        &trust,
        Timestamp::parse_rfc3339("2030-01-01T00:00:00Z").unwrap(),
    );

    let unsigned = fee_receipt_pdf(&receipt(0), &font).unwrap();
    let signed = sign_pdf(&unsigned, &key, &options).unwrap();
    assert!(
        verify_pdf(&signed, &verify_options)
            .unwrap()
            .verdict()
            .is_ok()
    );

    // The script's OpenSSL peer signs the same bytes.
    if let Some(dir) = std::env::var_os("HOSO_BENCH_OUT") {
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("fee-receipt.pdf"), &unsigned).unwrap();
        std::fs::write(dir.join("fee-receipt-signed.pdf"), &signed).unwrap();
    }
    println!(
        "fee receipt: {} bytes rendered, {} bytes signed (CMS with agency + CA 1 + root, RSA-2048, SHA-256)",
        unsigned.len(),
        signed.len()
    );
    println!("single thread; min time {:?} per phase", min_time);
    println!();
    println!("| phase | runs | median | best | receipts/s (median) |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let phases: [Phase<'_>; 5] = [
        (
            "render",
            Box::new(|i| {
                black_box(fee_receipt_pdf(&receipt(i), &font).unwrap());
            }),
        ),
        (
            "sign",
            Box::new(|_| {
                black_box(sign_pdf(black_box(&unsigned), &key, &options).unwrap());
            }),
        ),
        (
            "render+sign",
            Box::new(|i| {
                let pdf = fee_receipt_pdf(&receipt(i), &font).unwrap();
                black_box(sign_pdf(&pdf, &key, &options).unwrap());
            }),
        ),
        (
            // What the CMS signature alone costs: ring's RSA-2048 PKCS#1
            // v1.5 over signed attributes of the usual size.
            "RSA-2048 signature only (ring)",
            Box::new(|_| {
                black_box(
                    key.sign(hoso_pki::SignatureScheme::RsaPkcs1Sha256, &[0x31; 250])
                        .unwrap(),
                );
            }),
        ),
        (
            "verify",
            Box::new(|_| {
                black_box(verify_pdf(black_box(&signed), &verify_options).unwrap());
            }),
        ),
    ];
    for (name, mut f) in phases {
        let stats = measure(min_time, &mut f);
        println!(
            "| {name} | {} | {:.3} ms | {:.3} ms | {:.0} |",
            stats.runs,
            stats.median.as_secs_f64() * 1e3,
            stats.best.as_secs_f64() * 1e3,
            1.0 / stats.median.as_secs_f64()
        );
    }
}
