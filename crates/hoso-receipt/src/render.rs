//! A small page builder: lays out lines of text, table cells and the QR code
//! on A4 pages, then writes the PDF with a subset Type0 font.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use crate::{Font, ReceiptError};

/// A4 width in points.
pub(crate) const PAGE_W: f32 = 595.28;
/// A4 height in points.
pub(crate) const PAGE_H: f32 = 841.89;
/// Left and right margin.
pub(crate) const MARGIN_X: f32 = 56.7;
const MARGIN_TOP: f32 = 50.0;
const MARGIN_BOTTOM: f32 = 40.0;
/// Side of the QR code, quiet zone included.
const QR_SIZE: f32 = 96.0;
/// Width available for text between the margins.
pub(crate) const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// Lowest baseline of body text: the footer with the QR code sits below.
const BODY_BOTTOM: f32 = MARGIN_BOTTOM + QR_SIZE + 16.0;
const FONT_RES: Name<'static> = Name(b"F1");

/// Horizontal alignment of a line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// Text style: size in points and whether to embolden (fill + stroke).
#[derive(Clone, Copy)]
pub(crate) struct Style {
    pub size: f32,
    pub bold: bool,
}

impl Style {
    pub const fn regular(size: f32) -> Style {
        Style { size, bold: false }
    }
    pub const fn bold(size: f32) -> Style {
        Style { size, bold: true }
    }
    pub fn leading(self) -> f32 {
        self.size * 1.35
    }
}

/// Builds the pages of one document.
pub(crate) struct Doc<'f> {
    font: &'f Font,
    face: ttf_parser::Face<'f>,
    upem: f32,
    remapper: GlyphRemapper,
    /// New glyph id -> the text it stands for (ToUnicode).
    unicode: BTreeMap<u16, char>,
    pages: Vec<Vec<u8>>,
    content: Content,
    /// Baseline of the next line of body text.
    pub y: f32,
    title: String,
    verify_url: String,
    footer_label: String,
    qr: Vec<Vec<bool>>,
}

impl<'f> Doc<'f> {
    pub fn new(
        font: &'f Font,
        title: &str,
        verify_url: &str,
        footer_label: &str,
    ) -> Result<Doc<'f>, ReceiptError> {
        let face = font.face()?;
        let upem = f32::from(face.units_per_em());
        let code =
            qrcode::QrCode::with_error_correction_level(verify_url.as_bytes(), qrcode::EcLevel::M)
                .map_err(|e| ReceiptError::Qr(e.to_string()))?;
        let width = code.width();
        let colors = code.to_colors();
        let qr = colors
            .chunks(width)
            .map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect())
            .collect();
        let mut doc = Doc {
            font,
            face,
            upem,
            remapper: GlyphRemapper::new(),
            unicode: BTreeMap::new(),
            pages: Vec::new(),
            content: Content::new(),
            y: 0.0,
            title: title.to_owned(),
            verify_url: verify_url.to_owned(),
            footer_label: footer_label.to_owned(),
            qr,
        };
        doc.start_page()?;
        Ok(doc)
    }

    fn glyph(&self, c: char) -> Result<ttf_parser::GlyphId, ReceiptError> {
        self.face
            .glyph_index(c)
            .ok_or(ReceiptError::MissingGlyph(c))
    }

    /// Advance width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> Result<f32, ReceiptError> {
        let mut units = 0.0;
        for c in text.chars() {
            let gid = self.glyph(c)?;
            units += f32::from(self.face.glyph_hor_advance(gid).unwrap_or(0));
        }
        Ok(units * size / self.upem)
    }

    /// Splits `text` into lines no wider than `max` at `size` points, breaking
    /// at spaces, and inside words only when a word alone is too wide.
    pub fn wrap(&self, text: &str, size: f32, max: f32) -> Result<Vec<String>, ReceiptError> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size)? <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone: break it by characters if it is too wide.
            for c in word.chars() {
                line.push(c);
                if self.width(&line, size)? > max && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        Ok(lines)
    }

    /// Encodes `text` as 2-byte CIDs (glyph ids of the subset).
    fn encode(&mut self, text: &str) -> Result<Vec<u8>, ReceiptError> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let gid = self.glyph(c)?;
            let cid = self.remapper.remap(gid.0);
            self.unicode.entry(cid).or_insert(c);
            out.extend_from_slice(&cid.to_be_bytes());
        }
        Ok(out)
    }

    /// Draws one line of text with its baseline at (`x`, `y`).
    pub fn text_at(
        &mut self,
        x: f32,
        y: f32,
        style: Style,
        text: &str,
    ) -> Result<(), ReceiptError> {
        if text.is_empty() {
            return Ok(());
        }
        let encoded = self.encode(text)?;
        let c = &mut self.content;
        if style.bold {
            c.save_state();
            c.set_line_width(style.size * 0.035);
        }
        c.begin_text();
        c.set_font(FONT_RES, style.size);
        if style.bold {
            c.set_text_rendering_mode(TextRenderingMode::FillStroke);
        }
        c.next_line(x, y);
        c.show(Str(&encoded));
        c.end_text();
        if style.bold {
            c.restore_state();
        }
        Ok(())
    }

    /// Draws one line aligned inside the box starting at `x` of width `w`.
    pub fn text_aligned(
        &mut self,
        x: f32,
        w: f32,
        y: f32,
        style: Style,
        align: Align,
        text: &str,
    ) -> Result<(), ReceiptError> {
        let tw = self.width(text, style.size)?;
        let x = match align {
            Align::Left => x,
            Align::Center => x + (w - tw) / 2.0,
            Align::Right => x + w - tw,
        };
        self.text_at(x, y, style, text)
    }

    /// Lays out a paragraph in the box [`x`, `x + w`] from the current
    /// position, wrapping and breaking pages as needed.
    pub fn paragraph_in(
        &mut self,
        x: f32,
        w: f32,
        style: Style,
        align: Align,
        text: &str,
    ) -> Result<(), ReceiptError> {
        for line in self.wrap(text, style.size, w)? {
            self.ensure(style.leading())?;
            self.y -= style.leading();
            self.text_aligned(x, w, self.y, style, align, &line)?;
        }
        Ok(())
    }

    /// A paragraph across the full text width.
    pub fn paragraph(
        &mut self,
        style: Style,
        align: Align,
        text: &str,
    ) -> Result<(), ReceiptError> {
        self.paragraph_in(MARGIN_X, TEXT_W, style, align, text)
    }

    /// A "label: value" paragraph whose continuation lines hang under the value.
    pub fn field(&mut self, label: &str, value: &str, style: Style) -> Result<(), ReceiptError> {
        let label = format!("{label} ");
        let indent = self.width(&label, style.size)?;
        if indent > TEXT_W / 2.0 {
            return self.paragraph(style, Align::Left, &format!("{label}{value}"));
        }
        let lines = self.wrap(value, style.size, TEXT_W - indent)?;
        for (i, line) in lines.iter().enumerate() {
            self.ensure(style.leading())?;
            self.y -= style.leading();
            if i == 0 {
                self.text_at(MARGIN_X, self.y, style, &label)?;
            }
            self.text_at(MARGIN_X + indent, self.y, style, line)?;
        }
        Ok(())
    }

    /// Vertical space.
    pub fn skip(&mut self, dy: f32) {
        self.y -= dy;
    }

    /// Starts a new page when less than `h` points of body height remain.
    pub fn ensure(&mut self, h: f32) -> Result<(), ReceiptError> {
        if self.y - h < BODY_BOTTOM {
            self.new_page()?;
        }
        Ok(())
    }

    /// Strokes a rectangle (table cell border).
    pub fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.content.set_line_width(0.6).rect(x, y, w, h).stroke();
    }

    /// Strokes a horizontal line.
    pub fn hline(&mut self, x1: f32, x2: f32, y: f32) {
        self.content
            .set_line_width(0.6)
            .move_to(x1, y)
            .line_to(x2, y)
            .stroke();
    }

    fn new_page(&mut self) -> Result<(), ReceiptError> {
        let content = std::mem::replace(&mut self.content, Content::new());
        self.pages.push(content.finish().into_vec());
        self.start_page()
    }

    /// Footer: QR code of the verification URL at the bottom right, the URL
    /// beside it.
    fn start_page(&mut self) -> Result<(), ReceiptError> {
        self.y = PAGE_H - MARGIN_TOP;
        let modules = self.qr.len() + 8; // 4-module quiet zone on each side
        let m = QR_SIZE / modules as f32;
        let x0 = PAGE_W - MARGIN_X - QR_SIZE + 4.0 * m;
        let y_top = MARGIN_BOTTOM + QR_SIZE - 4.0 * m;
        self.content.save_state();
        self.content.set_fill_gray(0.0);
        for (row, cells) in self.qr.iter().enumerate() {
            let y = y_top - (row as f32 + 1.0) * m;
            let mut col = 0;
            while col < cells.len() {
                if !cells[col] {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < cells.len() && cells[col] {
                    col += 1;
                }
                self.content
                    .rect(x0 + start as f32 * m, y, (col - start) as f32 * m, m);
            }
        }
        self.content.fill_nonzero();
        self.content.restore_state();

        let text_w = TEXT_W - QR_SIZE - 12.0;
        let small = Style::regular(8.5);
        let mut y = MARGIN_BOTTOM + QR_SIZE - 4.0 * m - small.size;
        let label = self.footer_label.clone();
        self.hline(MARGIN_X, MARGIN_X + text_w, MARGIN_BOTTOM + QR_SIZE - 2.0);
        self.text_at(MARGIN_X, y, small, &label)?;
        let url = self.verify_url.clone();
        for line in self.wrap(&url, small.size, text_w)? {
            y -= small.leading();
            self.text_at(MARGIN_X, y, small, &line)?;
        }
        Ok(())
    }

    /// Finishes the last page and writes the PDF.
    pub fn finish(mut self) -> Result<Vec<u8>, ReceiptError> {
        let content = std::mem::replace(&mut self.content, Content::new());
        self.pages.push(content.finish().into_vec());
        write_pdf(self)
    }
}

fn write_pdf(doc: Doc<'_>) -> Result<Vec<u8>, ReceiptError> {
    let subset = subsetter::subset(doc.font.data(), 0, &doc.remapper)
        .map_err(|e| ReceiptError::Subset(e.to_string()))?;

    // Subset tag: six capitals derived from the glyph set (deterministic).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for gid in doc.remapper.remapped_gids() {
        for b in gid.to_be_bytes() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    let mut tag = String::with_capacity(7);
    for i in 0..6 {
        tag.push(char::from(b'A' + ((hash >> (i * 5)) % 26) as u8));
    }
    let base_font = format!("{tag}+{}", doc.font.postscript_name());
    let base_font = Name(base_font.as_bytes());

    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog_id = alloc();
    let pages_id = alloc();
    let info_id = alloc();
    let type0_id = alloc();
    let cid_id = alloc();
    let descriptor_id = alloc();
    let cmap_id = alloc();
    let file_id = alloc();
    let page_ids: Vec<(Ref, Ref)> = doc.pages.iter().map(|_| (alloc(), alloc())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(pages_id);
    pdf.document_info(info_id)
        .title(TextStr(&doc.title))
        .producer(TextStr("hoso-receipt"));
    pdf.pages(pages_id)
        .kids(page_ids.iter().map(|(p, _)| *p))
        .count(page_ids.len() as i32);
    for ((page_id, content_id), content) in page_ids.iter().zip(&doc.pages) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(pages_id);
        page.contents(*content_id);
        page.resources().fonts().pair(FONT_RES, type0_id);
        page.finish();
        let compressed = deflate(content);
        pdf.stream(*content_id, &compressed)
            .filter(Filter::FlateDecode);
    }

    let face = &doc.face;
    let scale = 1000.0 / doc.upem;
    let system_info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };

    pdf.type0_font(type0_id)
        .base_font(base_font)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let widths: Vec<f32> = doc
        .remapper
        .remapped_gids()
        .map(|old| {
            let adv = face
                .glyph_hor_advance(ttf_parser::GlyphId(old))
                .unwrap_or(0);
            (f32::from(adv) * scale).round()
        })
        .collect();
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(base_font)
        .system_info(system_info)
        .font_descriptor(descriptor_id)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, widths);
    cid.finish();

    let bbox = face.global_bounding_box();
    let mut flags = FontFlags::SYMBOLIC;
    if face.is_monospaced() {
        flags |= FontFlags::FIXED_PITCH;
    }
    if face.is_italic() {
        flags |= FontFlags::ITALIC;
    }
    let ascender = f32::from(face.ascender()) * scale;
    let weight = face.weight().to_number();
    pdf.font_descriptor(descriptor_id)
        .name(base_font)
        .flags(flags)
        .bbox(Rect::new(
            f32::from(bbox.x_min) * scale,
            f32::from(bbox.y_min) * scale,
            f32::from(bbox.x_max) * scale,
            f32::from(bbox.y_max) * scale,
        ))
        .italic_angle(face.italic_angle())
        .ascent(ascender)
        .descent(f32::from(face.descender()) * scale)
        .cap_height(
            face.capital_height()
                .map_or(ascender, |h| f32::from(h) * scale),
        )
        .stem_v((10.0 + 0.244 * (f32::from(weight) - 50.0)).round())
        .font_file2(file_id);

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
    for (cid, ch) in &doc.unicode {
        cmap.pair(*cid, *ch);
    }
    let cmap = deflate(&cmap.finish());
    pdf.cmap(cmap_id, &cmap).filter(Filter::FlateDecode);

    let compressed = deflate(&subset);
    pdf.stream(file_id, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.len() as i32);

    Ok(pdf.finish())
}

/// Zlib-compresses a stream for `/FlateDecode` (deterministic).
fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}
