//! Renders the two Vietnamese documents handed to an applicant as PDF,
//! generated from data:
//!
//! * the submission receipt, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
//!   ([`submission_receipt_pdf`]);
//! * the fee receipt, "BIÊN LAI THU PHÍ, LỆ PHÍ" ([`fee_receipt_pdf`]).
//!
//! Text is written with a TrueType [`Font`] loaded at run time and embedded
//! as a subset (Type0 / CIDFontType2, Identity-H, with a ToUnicode CMap), so
//! that text extraction (`pdftotext`) gives back the Vietnamese text exactly.
//! Every page carries a QR code of the public verification URL.
//!
//! Output is deterministic: rendering the same data twice gives the same
//! bytes (the PDF holds no dates other than those in the data).
//!
//! A receipt is signed with a PAdES baseline B-B signature by [`sign_pdf`]
//! (an incremental update: the rendered bytes stay as they are), and any
//! signed PDF is verified by [`verify_pdf`] under the same PKI policy as
//! forms ([`hoso_dsig::VerifyOptions`]); [`PdfReport::verdict`] applies the
//! receipt policy (every signature valid, the last one covering the whole
//! document).

#![warn(missing_docs)]

mod cms;
mod font;
mod pades;
mod pdf;
mod render;
mod words;

use render::{Align, Doc, MARGIN_X, Style, TEXT_W};

pub use cms::CmsDigest;
pub use font::Font;
pub use pades::{
    PdfError, PdfLimits, PdfRefusal, PdfReport, PdfSignOptions, PdfSignatureReport, PdfSigningTime,
    PdfWarning, sign_pdf, signed_ranges, verify_pdf, verify_pdf_with_limits,
};
pub use words::{amount_in_words, format_vnd};

/// Errors from loading the font or rendering a receipt.
#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    /// The font file could not be read.
    #[error("cannot read font file {}: {source}", path.display())]
    FontRead {
        /// The path that was tried.
        path: std::path::PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The font bytes are not a usable TrueType font.
    #[error("invalid font: {0}")]
    FontParse(String),
    /// The text holds a character that the font has no glyph for.
    #[error("the font has no glyph for {0:?} (U+{code:04X})", code = u32::from(*.0))]
    MissingGlyph(char),
    /// Subsetting the font failed.
    #[error("font subsetting failed: {0}")]
    Subset(String),
    /// The verification URL could not be encoded as a QR code (too long).
    #[error("cannot encode the verification URL as a QR code: {0}")]
    Qr(String),
}

/// The data of a submission receipt ("Giấy tiếp nhận hồ sơ và hẹn trả kết
/// quả"), given to the applicant when a dossier is received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmissionReceipt {
    /// Name of the receiving agency.
    pub agency: String,
    /// Dossier code (mã hồ sơ).
    pub dossier_code: String,
    /// Name of the applicant (organisation or person).
    pub applicant: String,
    /// Name of the administrative procedure.
    pub procedure: String,
    /// Documents received, one entry each (thành phần hồ sơ).
    pub documents: Vec<String>,
    /// When the dossier was received, as it should be printed.
    pub received_at: String,
    /// Appointment for returning the result, as it should be printed.
    pub appointment: String,
    /// Public verification URL; also encoded in the QR code on every page.
    pub verify_url: String,
}

/// One line of a fee receipt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeItem {
    /// What is paid for (phí / lệ phí).
    pub name: String,
    /// Amount in Vietnamese đồng.
    pub amount_vnd: u64,
}

/// The data of a fee receipt ("Biên lai thu phí, lệ phí").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeReceipt {
    /// Name of the collecting agency.
    pub agency: String,
    /// Receipt template code (mẫu số).
    pub template: String,
    /// Receipt series (ký hiệu).
    pub series: String,
    /// Receipt number (số).
    pub number: String,
    /// Name of the payer (người nộp).
    pub payer: String,
    /// Dossier code the fees belong to.
    pub dossier_code: String,
    /// Fee items; the total is their sum.
    pub items: Vec<FeeItem>,
    /// Payment reference (mã giao dịch thanh toán).
    pub payment_reference: String,
    /// When the payment was made, as it should be printed.
    pub paid_at: String,
    /// Public verification URL; also encoded in the QR code on every page.
    pub verify_url: String,
}

const NATION: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
const SUBMISSION_TITLE: &str = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ";
const FEE_TITLE: &str = "BIÊN LAI THU PHÍ, LỆ PHÍ";

const BODY: Style = Style::regular(11.0);
const BODY_BOLD: Style = Style::bold(11.0);

/// Agency name on the left, the national header on the right.
fn national_header(doc: &mut Doc<'_>, agency: &str) -> Result<(), ReceiptError> {
    let half = TEXT_W / 2.0;
    let top = doc.y;
    let head = Style::bold(10.5);
    doc.paragraph_in(MARGIN_X, half - 8.0, head, Align::Center, agency)?;
    let left_bottom = doc.y;
    doc.y = top;
    doc.paragraph_in(
        MARGIN_X + half - 8.0,
        half + 8.0,
        head,
        Align::Center,
        NATION,
    )?;
    doc.paragraph_in(
        MARGIN_X + half - 8.0,
        half + 8.0,
        Style::bold(11.0),
        Align::Center,
        MOTTO,
    )?;
    let motto_w = doc.width(MOTTO, 11.0)?;
    let cx = MARGIN_X + half - 8.0 + (half + 8.0) / 2.0;
    doc.hline(cx - motto_w / 2.0, cx + motto_w / 2.0, doc.y - 3.0);
    doc.y = doc.y.min(left_bottom);
    Ok(())
}

/// Renders the submission receipt ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
/// as a PDF document.
///
/// Fails when the font lacks a glyph for a character of the data
/// ([`ReceiptError::MissingGlyph`]), when the URL is too long for a QR code,
/// or when the font cannot be subset.
pub fn submission_receipt_pdf(r: &SubmissionReceipt, font: &Font) -> Result<Vec<u8>, ReceiptError> {
    let mut doc = Doc::new(
        font,
        SUBMISSION_TITLE,
        &r.verify_url,
        "Quét mã QR hoặc truy cập địa chỉ sau để tra cứu hồ sơ:",
    )?;
    national_header(&mut doc, &r.agency)?;
    doc.skip(24.0);
    doc.paragraph(Style::bold(14.0), Align::Center, SUBMISSION_TITLE)?;
    doc.paragraph(
        BODY,
        Align::Center,
        &format!("Mã hồ sơ: {}", r.dossier_code),
    )?;
    doc.skip(12.0);
    doc.field("Cơ quan tiếp nhận:", &r.agency, BODY)?;
    doc.field("Tiếp nhận hồ sơ của:", &r.applicant, BODY)?;
    doc.field("Thủ tục hành chính:", &r.procedure, BODY)?;
    doc.skip(4.0);
    doc.paragraph(BODY_BOLD, Align::Left, "Thành phần hồ sơ gồm:")?;
    for (i, item) in r.documents.iter().enumerate() {
        let number = format!("{}.", i + 1);
        let indent = 26.0;
        let lines = doc.wrap(item, BODY.size, TEXT_W - indent)?;
        for (j, line) in lines.iter().enumerate() {
            doc.ensure(BODY.leading())?;
            doc.skip(BODY.leading());
            if j == 0 {
                doc.text_aligned(MARGIN_X, indent - 5.0, doc.y, BODY, Align::Right, &number)?;
            }
            doc.text_at(MARGIN_X + indent, doc.y, BODY, line)?;
        }
    }
    doc.skip(4.0);
    doc.field("Thời gian nhận hồ sơ:", &r.received_at, BODY)?;
    doc.field("Thời gian hẹn trả kết quả:", &r.appointment, BODY)?;
    doc.paragraph(BODY, Align::Left, "Tra cứu tình trạng hồ sơ tại:")?;
    doc.paragraph(BODY, Align::Left, &r.verify_url)?;
    signatures(&mut doc, "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ")?;
    doc.finish()
}

/// Two signature blocks side by side.
fn signatures(doc: &mut Doc<'_>, left: &str, right: &str) -> Result<(), ReceiptError> {
    let half = TEXT_W / 2.0;
    let small = Style::regular(9.5);
    doc.ensure(BODY.leading() * 2.0 + 20.0)?;
    doc.skip(20.0 + BODY.leading());
    doc.text_aligned(MARGIN_X, half, doc.y, BODY_BOLD, Align::Center, left)?;
    doc.text_aligned(
        MARGIN_X + half,
        half,
        doc.y,
        BODY_BOLD,
        Align::Center,
        right,
    )?;
    doc.skip(small.leading());
    doc.text_aligned(
        MARGIN_X,
        half,
        doc.y,
        small,
        Align::Center,
        "(Ký, ghi rõ họ tên)",
    )?;
    doc.text_aligned(
        MARGIN_X + half,
        half,
        doc.y,
        small,
        Align::Center,
        "(Ký, ghi rõ họ tên)",
    )?;
    Ok(())
}

/// Renders the fee receipt ("BIÊN LAI THU PHÍ, LỆ PHÍ") as a PDF document,
/// with the fee items in a table, the total in figures
/// ([`format_vnd`]) and in words ([`amount_in_words`]).
///
/// Fails when the font lacks a glyph for a character of the data
/// ([`ReceiptError::MissingGlyph`]), when the URL is too long for a QR code,
/// or when the font cannot be subset. The total saturates at `u64::MAX`.
pub fn fee_receipt_pdf(r: &FeeReceipt, font: &Font) -> Result<Vec<u8>, ReceiptError> {
    let mut doc = Doc::new(
        font,
        FEE_TITLE,
        &r.verify_url,
        "Quét mã QR hoặc truy cập địa chỉ sau để tra cứu biên lai:",
    )?;
    national_header(&mut doc, &r.agency)?;
    doc.skip(20.0);
    doc.paragraph(Style::bold(14.0), Align::Center, FEE_TITLE)?;
    doc.skip(2.0);
    // Template, series and number: right column.
    let right_x = MARGIN_X + TEXT_W * 0.6;
    let right_w = TEXT_W * 0.4;
    for line in [
        format!("Mẫu số: {}", r.template),
        format!("Ký hiệu: {}", r.series),
        format!("Số: {}", r.number),
    ] {
        doc.paragraph_in(right_x, right_w, BODY, Align::Left, &line)?;
    }
    doc.skip(8.0);
    doc.field("Tên đơn vị thu:", &r.agency, BODY)?;
    doc.field("Người nộp:", &r.payer, BODY)?;
    doc.field("Mã hồ sơ:", &r.dossier_code, BODY)?;
    doc.skip(8.0);

    // Fee table: STT | Nội dung khoản thu | Số tiền (đồng).
    let col_no = 36.0;
    let col_amount = 130.0;
    let col_name = TEXT_W - col_no - col_amount;
    let pad = 5.0;
    let total = r
        .items
        .iter()
        .fold(0u64, |acc, item| acc.saturating_add(item.amount_vnd));
    let mut rows: Vec<(String, String, String, bool)> = vec![(
        "STT".into(),
        "Nội dung khoản thu".into(),
        "Số tiền (đồng)".into(),
        true,
    )];
    for (i, item) in r.items.iter().enumerate() {
        rows.push((
            (i + 1).to_string(),
            item.name.clone(),
            format_vnd(item.amount_vnd),
            false,
        ));
    }
    rows.push((String::new(), "Tổng cộng".into(), format_vnd(total), true));
    for (no, name, amount, bold) in &rows {
        let style = if *bold { BODY_BOLD } else { BODY };
        let lines = doc.wrap(name, style.size, col_name - 2.0 * pad)?;
        let height = lines.len() as f32 * style.leading() + 2.0 * pad;
        doc.ensure(height)?;
        let top = doc.y;
        let bottom = top - height;
        doc.stroke_rect(MARGIN_X, bottom, col_no, height);
        doc.stroke_rect(MARGIN_X + col_no, bottom, col_name, height);
        doc.stroke_rect(MARGIN_X + col_no + col_name, bottom, col_amount, height);
        let first_baseline = top - pad - style.size;
        doc.text_aligned(MARGIN_X, col_no, first_baseline, style, Align::Center, no)?;
        for (i, line) in lines.iter().enumerate() {
            let y = first_baseline - i as f32 * style.leading();
            doc.text_at(MARGIN_X + col_no + pad, y, style, line)?;
        }
        let amount_align = if *bold && amount.chars().any(|c| !c.is_ascii_digit() && c != '.') {
            Align::Center
        } else {
            Align::Right
        };
        doc.text_aligned(
            MARGIN_X + col_no + col_name + pad,
            col_amount - 2.0 * pad,
            first_baseline,
            style,
            amount_align,
            amount,
        )?;
        doc.y = bottom;
    }
    doc.skip(6.0);
    doc.field(
        "Tổng số tiền:",
        &format!("{} đồng", format_vnd(total)),
        BODY_BOLD,
    )?;
    doc.field("Bằng chữ:", &amount_in_words(total), BODY)?;
    doc.field("Mã giao dịch thanh toán:", &r.payment_reference, BODY)?;
    doc.field("Thời gian thu:", &r.paid_at, BODY)?;
    doc.paragraph(BODY, Align::Left, "Tra cứu biên lai tại:")?;
    doc.paragraph(BODY, Align::Left, &r.verify_url)?;
    signatures(&mut doc, "NGƯỜI NỘP TIỀN", "NGƯỜI THU TIỀN")?;
    doc.finish()
}
