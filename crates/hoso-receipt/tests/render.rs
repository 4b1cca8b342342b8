//! Renders both receipts and checks them with poppler's `pdftotext` and
//! `pdfinfo`, plus determinism, subsetting and font errors.

use std::path::{Path, PathBuf};
use std::process::Command;

use hoso_receipt::{
    FeeItem, FeeReceipt, Font, ReceiptError, SubmissionReceipt, amount_in_words, fee_receipt_pdf,
    format_vnd, submission_receipt_pdf,
};

fn font() -> Font {
    Font::load(Path::new(Font::DEFAULT_PATH)).unwrap_or_else(|e| {
        panic!("{e}: install fonts-dejavu-core (apt-get install -y fonts-dejavu-core)")
    })
}

fn submission() -> SubmissionReceipt {
    SubmissionReceipt {
        agency: "Bộ phận Một cửa Ủy ban nhân dân phường Đống Đa".into(),
        dossier_code: "000.00.15.H26-250612-0007".into(),
        applicant: "Nguyễn Thị Ngọc Hữu".into(),
        procedure: "Đăng ký thành lập hộ kinh doanh và cấp Giấy chứng nhận đăng ký hộ \
                    kinh doanh lần đầu theo quy định của Luật Doanh nghiệp"
            .into(),
        documents: vec![
            "Giấy đề nghị đăng ký hộ kinh doanh (bản chính)".into(),
            "Bản sao Căn cước công dân của chủ hộ kinh doanh".into(),
            "Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh, \
             có chữ ký của tất cả các thành viên đủ 18 tuổi trở lên"
                .into(),
            "Hợp đồng thuê nhà ở số 12 phố Hồ Đắc Di (bản sao chứng thực)".into(),
        ],
        received_at: "09 giờ 15 phút, ngày 12/06/2025".into(),
        appointment: "16 giờ 00 phút, ngày 17/06/2025".into(),
        verify_url: "https://dichvucong.example.gov.vn/tra-cuu?ma=000.00.15.H26-250612-0007".into(),
    }
}

fn fee() -> FeeReceipt {
    FeeReceipt {
        agency: "Ủy ban nhân dân phường Đống Đa".into(),
        template: "01BLP0-001".into(),
        series: "AA-25E".into(),
        number: "0000123".into(),
        payer: "Trần Văn Đức".into(),
        dossier_code: "000.00.15.H26-250612-0007".into(),
        items: vec![
            FeeItem {
                name: "Lệ phí đăng ký hộ kinh doanh".into(),
                amount_vnd: 100_000,
            },
            FeeItem {
                name: "Phí cung cấp thông tin về đăng ký hộ kinh doanh, bản sao \
                       Giấy chứng nhận và trích lục hồ sơ lưu trữ"
                    .into(),
                amount_vnd: 1_050_000,
            },
            FeeItem {
                name: "Phí thẩm định hồ sơ".into(),
                amount_vnd: 50_000,
            },
        ],
        payment_reference: "VNPAY-20250612-8841-ỮỖĐ".into(),
        paid_at: "09 giờ 20 phút, ngày 12/06/2025".into(),
        verify_url: "https://dichvucong.example.gov.vn/bien-lai?so=AA-25E-0000123".into(),
    }
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hoso-receipt");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a poppler tool; panics with an install hint when it is missing.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `{tool}` ({e}): install poppler-utils (apt-get install -y poppler-utils)")
        });
    assert!(
        output.status.success(),
        "{tool} failed on {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("poppler output is UTF-8")
}

fn pdftotext(pdf: &Path) -> String {
    poppler("pdftotext", &["-raw", "-enc", "UTF-8"], pdf)
}

fn pdfinfo(pdf: &Path) -> String {
    let output = Command::new("pdfinfo").arg(pdf).output().unwrap_or_else(|e| {
        panic!("cannot run `pdfinfo` ({e}): install poppler-utils (apt-get install -y poppler-utils)")
    });
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "pdfinfo reported problems: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_contains_all(text: &str, needles: &[&str]) {
    let hay = normalise(text);
    for needle in needles {
        let needle = normalise(needle);
        assert!(
            hay.contains(&needle),
            "extracted text lacks {needle:?}\n--- extracted ---\n{text}"
        );
    }
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let path = out_dir().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn submission_receipt_round_trips_through_pdftotext() {
    let r = submission();
    let pdf = submission_receipt_pdf(&r, &font()).unwrap();
    let path = write("submission.pdf", &pdf);
    let text = pdftotext(&path);
    let mut needles = vec![
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        r.agency.as_str(),
        r.dossier_code.as_str(),
        r.applicant.as_str(),
        r.procedure.as_str(),
        r.received_at.as_str(),
        r.appointment.as_str(),
        r.verify_url.as_str(),
        "Thành phần hồ sơ gồm:",
    ];
    needles.extend(r.documents.iter().map(String::as_str));
    assert_contains_all(&text, &needles);
    // Precomposed Vietnamese letters come back as single code points (NFC).
    for ch in ['ỗ', 'ữ', 'Đ', 'ủ', 'ệ', 'ạ', 'Ủ', 'ắ'] {
        let data = format!("{r:?}");
        if data.contains(ch) {
            assert!(text.contains(ch), "{ch} missing from extracted text");
        }
    }
}

#[test]
fn fee_receipt_round_trips_through_pdftotext() {
    let r = fee();
    let pdf = fee_receipt_pdf(&r, &font()).unwrap();
    let path = write("fee.pdf", &pdf);
    let text = pdftotext(&path);
    let mut needles = vec![
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Mẫu số: 01BLP0-001",
        "Ký hiệu: AA-25E",
        "Số: 0000123",
        r.agency.as_str(),
        r.payer.as_str(),
        r.dossier_code.as_str(),
        "100.000",
        "1.050.000",
        "50.000",
        "Tổng số tiền: 1.200.000 đồng",
        "Bằng chữ: Một triệu hai trăm nghìn đồng",
        r.payment_reference.as_str(),
        r.paid_at.as_str(),
        r.verify_url.as_str(),
    ];
    needles.extend(r.items.iter().map(|i| i.name.as_str()));
    assert_contains_all(&text, &needles);
}

#[test]
fn pdfinfo_accepts_both_documents() {
    let font = font();
    for (name, pdf) in [
        (
            "info-submission.pdf",
            submission_receipt_pdf(&submission(), &font).unwrap(),
        ),
        ("info-fee.pdf", fee_receipt_pdf(&fee(), &font).unwrap()),
    ] {
        let path = write(name, &pdf);
        let info = pdfinfo(&path);
        assert!(info.lines().any(|l| normalise(l) == "Pages: 1"), "{info}");
        assert!(
            normalise(&info).contains("Page size: 595.28 x 841.89 pts (A4)"),
            "{info}"
        );
        let fonts = Command::new("pdffonts").arg(&path).output().unwrap();
        let fonts = String::from_utf8(fonts.stdout).unwrap();
        // One embedded, subset CID TrueType font with a ToUnicode map.
        let row = fonts
            .lines()
            .find(|l| l.contains("DejaVuSans"))
            .unwrap_or_else(|| panic!("no DejaVuSans in pdffonts output:\n{fonts}"));
        assert!(row.contains("CID TrueType"), "{row}");
        assert!(row.contains("Identity-H"), "{row}");
        let flags: Vec<&str> = row.split_whitespace().collect();
        // emb sub uni columns
        assert_eq!(
            &flags[flags.len() - 5..flags.len() - 2],
            ["yes", "yes", "yes"],
            "{row}"
        );
        assert!(
            flags[0].len() > 7 && flags[0].as_bytes()[6] == b'+',
            "{row}"
        );
    }
}

#[test]
fn long_documents_break_pages_and_every_page_has_the_url() {
    let mut r = submission();
    r.documents = (1..=60)
        .map(|i| format!("Tài liệu kèm theo số {i}: bản sao có chứng thực"))
        .collect();
    let pdf = submission_receipt_pdf(&r, &font()).unwrap();
    let path = write("long.pdf", &pdf);
    let info = pdfinfo(&path);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 2, "{info}");
    let text = pdftotext(&path);
    let pages_text: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(pages_text.len(), pages);
    for page in pages_text {
        assert!(normalise(page).contains(&r.verify_url), "{page}");
    }
    assert_contains_all(&text, &["Tài liệu kèm theo số 60: bản sao có chứng thực"]);
}

#[test]
fn rendering_is_deterministic_and_the_font_is_subset() {
    let font = font();
    let font_size = std::fs::metadata(Font::DEFAULT_PATH).unwrap().len() as usize;
    let a = submission_receipt_pdf(&submission(), &font).unwrap();
    let b = submission_receipt_pdf(&submission(), &font).unwrap();
    assert_eq!(a, b);
    let c = fee_receipt_pdf(&fee(), &font).unwrap();
    let d = fee_receipt_pdf(&fee(), &font).unwrap();
    assert_eq!(c, d);
    for pdf in [&a, &c] {
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(
            pdf.len() * 10 < font_size,
            "PDF is {} bytes, font {} bytes: not subset?",
            pdf.len(),
            font_size
        );
    }
    eprintln!(
        "submission PDF: {} bytes, fee PDF: {} bytes",
        a.len(),
        c.len()
    );
}

#[test]
fn missing_font_gives_a_clear_error() {
    let err = Font::load(Path::new("/nonexistent/NoSuchFont.ttf")).unwrap_err();
    assert!(matches!(err, ReceiptError::FontRead { .. }));
    let msg = err.to_string();
    assert!(msg.contains("/nonexistent/NoSuchFont.ttf"), "{msg}");
    assert!(msg.contains("cannot read font file"), "{msg}");

    let err = Font::from_bytes(b"not a font".to_vec()).unwrap_err();
    assert!(matches!(err, ReceiptError::FontParse(_)), "{err}");
}

#[test]
fn missing_glyph_is_reported() {
    let mut r = submission();
    r.applicant = "Nguyễn \u{4E2D}".into();
    let err = submission_receipt_pdf(&r, &font()).unwrap_err();
    assert!(
        matches!(err, ReceiptError::MissingGlyph('\u{4E2D}')),
        "{err}"
    );
    assert!(err.to_string().contains("U+4E2D"), "{err}");
}

#[test]
fn amounts_in_words() {
    let cases: &[(u64, &str)] = &[
        (0, "Không đồng"),
        (1, "Một đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (11, "Mười một đồng"),
        (14, "Mười bốn đồng"),
        (15, "Mười lăm đồng"),
        (20, "Hai mươi đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (25, "Hai mươi lăm đồng"),
        (31, "Ba mươi mốt đồng"),
        (55, "Năm mươi lăm đồng"),
        (100, "Một trăm đồng"),
        (101, "Một trăm linh một đồng"),
        (104, "Một trăm linh bốn đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (115, "Một trăm mười lăm đồng"),
        (999, "Chín trăm chín mươi chín đồng"),
        (1_000, "Một nghìn đồng"),
        (1_005, "Một nghìn không trăm linh năm đồng"),
        (1_010, "Một nghìn không trăm mười đồng"),
        (1_021, "Một nghìn không trăm hai mươi mốt đồng"),
        (10_000, "Mười nghìn đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (100_000, "Một trăm nghìn đồng"),
        (650_000, "Sáu trăm năm mươi nghìn đồng"),
        (1_200_000, "Một triệu hai trăm nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_000_001, "Một triệu không trăm linh một đồng"),
        (2_500_000, "Hai triệu năm trăm nghìn đồng"),
        (21_000_000, "Hai mươi mốt triệu đồng"),
        (
            125_750_300,
            "Một trăm hai mươi lăm triệu bảy trăm năm mươi nghìn ba trăm đồng",
        ),
        (2_000_000_000, "Hai tỷ đồng"),
        (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
        (5_000_000_000, "Năm tỷ đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
        (1_500_000_000_000, "Một nghìn năm trăm tỷ đồng"),
        (
            3_024_000_001_000,
            "Ba nghìn không trăm hai mươi tư tỷ không trăm linh một nghìn đồng",
        ),
        (1_000_000_000_000_000, "Một triệu tỷ đồng"),
    ];
    for (n, expected) in cases {
        assert_eq!(amount_in_words(*n), *expected, "{n}");
    }
    // The largest amount still reads without panicking.
    assert!(amount_in_words(u64::MAX).ends_with(" đồng"));
}

#[test]
fn vnd_grouping() {
    for (n, expected) in [
        (0, "0"),
        (5, "5"),
        (999, "999"),
        (1_000, "1.000"),
        (50_000, "50.000"),
        (650_000, "650.000"),
        (1_200_000, "1.200.000"),
        (12_345_678, "12.345.678"),
        (1_000_000_000_000, "1.000.000.000.000"),
        (u64::MAX, "18.446.744.073.709.551.615"),
    ] {
        assert_eq!(format_vnd(n), expected);
    }
}
