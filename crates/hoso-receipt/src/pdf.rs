//! A small, bounded reader for the parts of a classic PDF file that
//! signing and verifying need: the `startxref` pointer, cross-reference
//! tables and trailers (following `/Prev`), and indirect objects that are
//! dictionaries or arrays.  Streams are never decoded.
//!
//! It refuses what it does not read instead of guessing: cross-reference
//! streams (PDF 1.5 compressed files, hybrid files), encrypted files,
//! nesting deeper than [`MAX_DEPTH`], object numbers beyond the table.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::pades::PdfError;

/// Deepest nesting of arrays and dictionaries read.
pub(crate) const MAX_DEPTH: usize = 32;
/// Most cross-reference sections followed through `/Prev`.
const MAX_XREF_SECTIONS: usize = 256;
/// How far from the end `startxref` is looked for.
const STARTXREF_WINDOW: usize = 2048;
/// Most references followed to resolve one value (a reference to a
/// reference...).
const MAX_INDIRECTION: usize = 8;

/// A PDF value.  Strings, reals and names keep enough to write them back
/// exactly; strings remember where they are in the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Obj {
    Null,
    Bool(bool),
    Int(i64),
    /// A real number, as written.
    Real(Vec<u8>),
    /// A name, decoded (without the slash, `#xx` escapes resolved).
    Name(Vec<u8>),
    /// A literal or hex string: its span in the file, delimiters included.
    Str(Range<usize>),
    Array(Vec<Obj>),
    Dict(Dict),
    /// An indirect reference (object number, generation).
    Ref(u32, u16),
}

/// A dictionary, in file order, with its span in the file.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Dict {
    pub entries: Vec<(Vec<u8>, Obj)>,
    pub span: Range<usize>,
}

impl Dict {
    pub fn get(&self, key: &[u8]) -> Option<&Obj> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_slice() == key)
            .map(|(_, v)| v)
    }

    /// Replaces the value of `key`, or appends it.
    pub fn set(&mut self, key: &[u8], value: Obj) {
        match self.entries.iter_mut().find(|(k, _)| k.as_slice() == key) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key.to_vec(), value)),
        }
    }

    pub fn name(&self, key: &[u8]) -> Option<&[u8]> {
        match self.get(key) {
            Some(Obj::Name(n)) => Some(n),
            _ => None,
        }
    }
}

fn is_white(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delim(b)
}

/// A cursor over the whole file: every position is a file offset.
pub(crate) struct Lexer<'a> {
    pub data: &'a [u8],
    pub pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8], pos: usize) -> Self {
        Lexer { data, pos }
    }

    fn err(&self, what: impl Into<String>) -> PdfError {
        PdfError::Malformed {
            offset: self.pos,
            what: what.into(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Skips whitespace and comments.
    pub fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The regular characters at the cursor (a keyword or a number).
    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(is_regular) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    /// Expects `keyword` (after whitespace) followed by a non-regular byte.
    pub fn keyword(&mut self, keyword: &[u8]) -> Result<(), PdfError> {
        self.skip_ws();
        let save = self.pos;
        if self.word() == keyword {
            Ok(())
        } else {
            self.pos = save;
            Err(self.err(format!("expected {:?}", String::from_utf8_lossy(keyword))))
        }
    }

    /// Whether `keyword` comes next (the cursor moves past it if so).
    pub fn try_keyword(&mut self, keyword: &[u8]) -> bool {
        self.skip_ws();
        let save = self.pos;
        if self.word() == keyword {
            true
        } else {
            self.pos = save;
            false
        }
    }

    /// An unsigned integer.
    pub fn uint(&mut self) -> Result<u64, PdfError> {
        self.skip_ws();
        let save = self.pos;
        let word = self.word();
        if word.is_empty() || word.len() > 19 || !word.iter().all(u8::is_ascii_digit) {
            self.pos = save;
            return Err(self.err("expected an unsigned integer"));
        }
        Ok(word
            .iter()
            .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0')))
    }

    /// One value.
    pub fn value(&mut self, depth: usize) -> Result<Obj, PdfError> {
        if depth > MAX_DEPTH {
            return Err(self.err(format!("nesting deeper than {MAX_DEPTH}")));
        }
        self.skip_ws();
        let start = self.pos;
        match self.peek() {
            None => Err(self.err("unexpected end of file")),
            Some(b'<') if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                let mut dict = Dict::default();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(b'>') if self.data.get(self.pos + 1) == Some(&b'>') => {
                            self.pos += 2;
                            break;
                        }
                        Some(b'/') => {
                            let key = self.name()?;
                            let value = self.value(depth + 1)?;
                            // A later duplicate key is ignored, as readers do
                            // differently; refuse instead of picking one.
                            if dict.get(&key).is_some() {
                                return Err(self.err(format!(
                                    "the key /{} appears twice in a dictionary",
                                    String::from_utf8_lossy(&key)
                                )));
                            }
                            dict.entries.push((key, value));
                        }
                        _ => return Err(self.err("expected a name or >> in a dictionary")),
                    }
                }
                dict.span = start..self.pos;
                Ok(Obj::Dict(dict))
            }
            Some(b'<') => {
                self.pos += 1;
                while let Some(b) = self.peek() {
                    self.pos += 1;
                    if b == b'>' {
                        return Ok(Obj::Str(start..self.pos));
                    }
                    if !(b.is_ascii_hexdigit() || is_white(b)) {
                        self.pos -= 1;
                        return Err(self.err("a hex string holds a byte that is not a hex digit"));
                    }
                }
                Err(self.err("unterminated hex string"))
            }
            Some(b'(') => {
                self.pos += 1;
                let mut nesting = 1usize;
                while let Some(b) = self.peek() {
                    self.pos += 1;
                    match b {
                        b'\\' => self.pos += 1,
                        b'(' => nesting += 1,
                        b')' => {
                            nesting -= 1;
                            if nesting == 0 {
                                return Ok(Obj::Str(start..self.pos));
                            }
                        }
                        _ => {}
                    }
                }
                self.pos = start;
                Err(self.err("unterminated literal string"))
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        return Ok(Obj::Array(items));
                    }
                    items.push(self.value(depth + 1)?);
                }
            }
            Some(b'/') => Ok(Obj::Name(self.name()?)),
            Some(b) if b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.') => self.number(),
            Some(_) => {
                let word = self.word();
                match word {
                    b"true" => Ok(Obj::Bool(true)),
                    b"false" => Ok(Obj::Bool(false)),
                    b"null" => Ok(Obj::Null),
                    _ => {
                        self.pos = start;
                        Err(self.err("expected a PDF value"))
                    }
                }
            }
        }
    }

    /// A name at the cursor (which is on the slash).
    fn name(&mut self) -> Result<Vec<u8>, PdfError> {
        self.pos += 1;
        let raw = self.word();
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'#' {
                let hex = raw
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| self.err("a bad #xx escape in a name"))?;
                out.push(hex);
                i += 3;
            } else {
                out.push(raw[i]);
                i += 1;
            }
        }
        Ok(out)
    }

    /// A number, or `num gen R`.
    fn number(&mut self) -> Result<Obj, PdfError> {
        let start = self.pos;
        let word = self.word();
        let is_int = !word.is_empty()
            && word
                .iter()
                .enumerate()
                .all(|(i, b)| b.is_ascii_digit() || (i == 0 && matches!(b, b'+' | b'-')))
            && word.iter().any(u8::is_ascii_digit);
        if is_int {
            let text = std::str::from_utf8(word).unwrap_or_default();
            let value: i64 = text
                .parse()
                .map_err(|_| self.err("an integer out of range"))?;
            // `num gen R`?
            if (0..=i64::from(u32::MAX)).contains(&value) && !word.starts_with(b"+") {
                let after = self.pos;
                self.skip_ws();
                let generation = self.word();
                if !generation.is_empty()
                    && generation.len() <= 5
                    && generation.iter().all(u8::is_ascii_digit)
                {
                    let generation_value: u32 = std::str::from_utf8(generation)
                        .unwrap_or_default()
                        .parse()
                        .unwrap_or(u32::MAX);
                    self.skip_ws();
                    if self.word() == b"R" && generation_value <= u32::from(u16::MAX) {
                        return Ok(Obj::Ref(value as u32, generation_value as u16));
                    }
                }
                self.pos = after;
            }
            return Ok(Obj::Int(value));
        }
        let valid_real = {
            let digits = word
                .strip_prefix(b"+")
                .or(word.strip_prefix(b"-"))
                .unwrap_or(word);
            digits.iter().filter(|b| **b == b'.').count() == 1
                && digits.iter().all(|b| b.is_ascii_digit() || *b == b'.')
                && digits.iter().any(u8::is_ascii_digit)
        };
        if valid_real {
            Ok(Obj::Real(word.to_vec()))
        } else {
            self.pos = start;
            Err(self.err("a malformed number"))
        }
    }
}

/// Decodes a string token (literal or hex) to its bytes.
pub(crate) fn string_bytes(data: &[u8], span: &Range<usize>) -> Vec<u8> {
    let raw = &data[span.clone()];
    let mut out = Vec::with_capacity(raw.len());
    if raw.first() == Some(&b'<') {
        let mut high: Option<u8> = None;
        for &b in &raw[1..raw.len().saturating_sub(1)] {
            let Some(v) = (b as char).to_digit(16) else {
                continue;
            };
            match high.take() {
                Some(h) => out.push(h << 4 | v as u8),
                None => high = Some(v as u8),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        return out;
    }
    let inner = &raw[1..raw.len().saturating_sub(1)];
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        i += 1;
        if b == b'\r' {
            // An end of line in a literal string reads as \n.
            if inner.get(i) == Some(&b'\n') {
                i += 1;
            }
            out.push(b'\n');
            continue;
        }
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let Some(&e) = inner.get(i) else { break };
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match inner.get(i) {
                        Some(d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(v as u8);
            }
            b'\r' => {
                if inner.get(i) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => {}
            other => out.push(other),
        }
    }
    out
}

/// A PDF text string as Rust text: UTF-16BE with a BOM, UTF-8 with a BOM,
/// or PDFDocEncoding (read as Latin-1, which it matches for the printable
/// ASCII and most of the upper half).
pub(crate) fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// A text string as a PDF string: a literal string when it is printable
/// ASCII without parentheses or backslashes, else a hex string in UTF-16BE
/// with a BOM.
pub(crate) fn encode_text(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 4 + 6);
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && !matches!(b, b'(' | b')' | b'\\'))
    {
        out.push(b'(');
        out.extend_from_slice(text.as_bytes());
        out.push(b')');
        return out;
    }
    out.extend_from_slice(b"<FEFF");
    for unit in text.encode_utf16() {
        out.extend_from_slice(format!("{unit:04X}").as_bytes());
    }
    out.push(b'>');
    out
}

/// Writes a value back as PDF syntax; strings are copied from `data`.
pub(crate) fn write_obj(obj: &Obj, data: &[u8], out: &mut Vec<u8>) {
    match obj {
        Obj::Null => out.extend_from_slice(b"null"),
        Obj::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Obj::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Obj::Real(raw) => out.extend_from_slice(raw),
        Obj::Name(name) => write_name(name, out),
        Obj::Str(span) => out.extend_from_slice(&data[span.clone()]),
        Obj::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_obj(item, data, out);
            }
            out.push(b']');
        }
        Obj::Dict(dict) => write_dict(dict, data, out),
        Obj::Ref(num, generation) => {
            out.extend_from_slice(format!("{num} {generation} R").as_bytes());
        }
    }
}

pub(crate) fn write_dict(dict: &Dict, data: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(b"<<");
    for (key, value) in &dict.entries {
        write_name(key, out);
        out.push(b' ');
        write_obj(value, data, out);
        out.push(b'\n');
    }
    out.extend_from_slice(b">>");
}

pub(crate) fn write_name(name: &[u8], out: &mut Vec<u8>) {
    out.push(b'/');
    for &b in name {
        if is_regular(b) && b != b'#' && (0x21..0x7f).contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}

/// One entry of a cross-reference table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct XrefEntry {
    pub offset: usize,
    pub generation: u16,
    pub in_use: bool,
}

/// The cross-reference information of a file: the newest entry of each
/// object, the newest trailer, and where each section starts.
#[derive(Debug)]
pub(crate) struct Document<'a> {
    pub data: &'a [u8],
    pub entries: HashMap<u32, XrefEntry>,
    pub trailer: Dict,
    /// Offset of the newest cross-reference section (what `startxref` says).
    pub startxref: usize,
    /// Offsets of every section, newest first.
    pub sections: Vec<usize>,
    /// Bytes of objects still allowed to be read: a bound on the work of
    /// files whose objects are reached many times over (shared /Kids,
    /// cycles).
    budget: Cell<usize>,
    /// Entries read from every section; each takes at least 18 bytes of the
    /// file, so more than `len / 18` means sections overlap.
    entries_read: usize,
}

/// How many times the file's size may be read as objects, in all.
const READ_BUDGET_FACTOR: usize = 8;

/// Finds the offset `startxref` names.
fn find_startxref(data: &[u8]) -> Result<usize, PdfError> {
    let window_start = data.len().saturating_sub(STARTXREF_WINDOW);
    let tail = &data[window_start..];
    let at = tail
        .windows(9)
        .rposition(|w| w == b"startxref")
        .ok_or(PdfError::Malformed {
            offset: data.len(),
            what: "no startxref near the end of the file".into(),
        })?;
    let mut lexer = Lexer::new(data, window_start + at + 9);
    let offset = lexer.uint()?;
    usize::try_from(offset)
        .ok()
        .filter(|o| *o < data.len())
        .ok_or(PdfError::Malformed {
            offset: window_start + at,
            what: "startxref points outside the file".into(),
        })
}

impl<'a> Document<'a> {
    /// Reads the cross-reference chain of `data`.
    pub fn parse(data: &'a [u8]) -> Result<Self, PdfError> {
        if !data.starts_with(b"%PDF-") {
            return Err(PdfError::NotPdf);
        }
        let startxref = find_startxref(data)?;
        let mut doc = Document {
            data,
            entries: HashMap::new(),
            trailer: Dict::default(),
            startxref,
            sections: Vec::new(),
            budget: Cell::new(data.len().saturating_mul(READ_BUDGET_FACTOR).max(1 << 20)),
            entries_read: 0,
        };
        let mut seen = HashSet::new();
        let mut next = Some(startxref);
        while let Some(offset) = next {
            if !seen.insert(offset) {
                return Err(PdfError::Malformed {
                    offset,
                    what: "the /Prev chain of cross-reference sections loops".into(),
                });
            }
            if doc.sections.len() >= MAX_XREF_SECTIONS {
                return Err(PdfError::Limit {
                    what: "cross-reference sections",
                    max: MAX_XREF_SECTIONS,
                });
            }
            doc.sections.push(offset);
            let trailer = doc.read_section(offset)?;
            if trailer.get(b"Encrypt").is_some() {
                return Err(PdfError::Encrypted);
            }
            if trailer.get(b"XRefStm").is_some() {
                return Err(PdfError::XrefStream { offset });
            }
            next = match trailer.get(b"Prev") {
                None => None,
                Some(Obj::Int(p)) => {
                    Some(usize::try_from(*p).ok().filter(|p| *p < data.len()).ok_or(
                        PdfError::Malformed {
                            offset,
                            what: "/Prev points outside the file".into(),
                        },
                    )?)
                }
                Some(_) => {
                    return Err(PdfError::Malformed {
                        offset,
                        what: "/Prev is not an integer".into(),
                    });
                }
            };
            if doc.sections.len() == 1 {
                doc.trailer = trailer;
            }
        }
        Ok(doc)
    }

    /// Reads one `xref` section and its trailer; entries already known
    /// (from a newer section) are kept.
    fn read_section(&mut self, offset: usize) -> Result<Dict, PdfError> {
        let mut lexer = Lexer::new(self.data, offset);
        if !lexer.try_keyword(b"xref") {
            // `N G obj` here is a cross-reference stream.
            let mut probe = Lexer::new(self.data, offset);
            if probe.uint().is_ok() && probe.uint().is_ok() && probe.try_keyword(b"obj") {
                return Err(PdfError::XrefStream { offset });
            }
            return Err(PdfError::Malformed {
                offset,
                what: "startxref or /Prev does not point at an xref table".into(),
            });
        }
        loop {
            if lexer.try_keyword(b"trailer") {
                break;
            }
            let first = lexer.uint()?;
            let count = lexer.uint()?;
            // Each entry takes 20 bytes (18 at the very least).
            let room = self.data.len().saturating_sub(lexer.pos) as u64 / 18;
            self.entries_read = self.entries_read.saturating_add(count as usize);
            if count > room
                || first + count > u64::from(u32::MAX)
                || self.entries_read > self.data.len() / 18
            {
                return Err(PdfError::Malformed {
                    offset: lexer.pos,
                    what: "an xref subsection counts more entries than the file can hold".into(),
                });
            }
            for i in 0..count {
                let entry_offset = lexer.uint()?;
                let generation = lexer.uint()?;
                lexer.skip_ws();
                let kind = lexer.word();
                let in_use = match kind {
                    b"n" => true,
                    b"f" => false,
                    _ => {
                        return Err(PdfError::Malformed {
                            offset: lexer.pos,
                            what: "an xref entry that is neither n nor f".into(),
                        });
                    }
                };
                let number = (first + i) as u32;
                let generation = u16::try_from(generation).map_err(|_| PdfError::Malformed {
                    offset: lexer.pos,
                    what: "a generation number over 65535".into(),
                })?;
                if in_use && entry_offset as usize >= self.data.len() {
                    return Err(PdfError::Malformed {
                        offset: lexer.pos,
                        what: format!("object {number} is said to lie outside the file"),
                    });
                }
                self.entries.entry(number).or_insert(XrefEntry {
                    offset: entry_offset as usize,
                    generation,
                    in_use,
                });
            }
        }
        match lexer.value(0)? {
            Obj::Dict(dict) => Ok(dict),
            _ => Err(PdfError::Malformed {
                offset: lexer.pos,
                what: "the trailer is not a dictionary".into(),
            }),
        }
    }

    /// The indirect object `num`: its value and the span of the whole
    /// `num gen obj ... endobj`.  Streams are refused (nothing signing or
    /// verifying reads is a stream).
    pub fn object(&self, num: u32) -> Result<(Obj, Range<usize>), PdfError> {
        let entry =
            self.entries
                .get(&num)
                .filter(|e| e.in_use)
                .ok_or_else(|| PdfError::Malformed {
                    offset: 0,
                    what: format!("object {num} is not in the cross-reference table"),
                })?;
        let mut lexer = Lexer::new(self.data, entry.offset);
        let bad = |what: String| PdfError::Malformed {
            offset: entry.offset,
            what,
        };
        let found = lexer.uint()?;
        let generation = lexer.uint()?;
        if found != u64::from(num) || generation != u64::from(entry.generation) {
            return Err(bad(format!(
                "the xref entry of object {num} points at object {found} {generation}"
            )));
        }
        lexer.keyword(b"obj")?;
        let value = lexer.value(0)?;
        if lexer.try_keyword(b"stream") {
            return Err(bad(format!(
                "object {num} is a stream where a dictionary was expected"
            )));
        }
        lexer.keyword(b"endobj")?;
        let read = lexer.pos - entry.offset;
        match self.budget.get().checked_sub(read) {
            Some(left) => self.budget.set(left),
            None => {
                return Err(PdfError::Limit {
                    what: "bytes of objects read (objects reached over and over)",
                    max: self.data.len().saturating_mul(READ_BUDGET_FACTOR),
                });
            }
        }
        Ok((value, entry.offset..lexer.pos))
    }

    /// The generation of object `num`.
    pub fn generation(&self, num: u32) -> u16 {
        self.entries.get(&num).map_or(0, |e| e.generation)
    }

    /// Follows references until a direct value.
    pub fn resolve(&self, obj: &Obj) -> Result<Obj, PdfError> {
        let mut current = obj.clone();
        for _ in 0..MAX_INDIRECTION {
            match current {
                Obj::Ref(num, _) => current = self.object(num)?.0,
                other => return Ok(other),
            }
        }
        Err(PdfError::Malformed {
            offset: 0,
            what: "references nested too deeply".into(),
        })
    }

    /// Resolves `obj` to a dictionary.
    pub fn dict(&self, obj: &Obj, what: &str) -> Result<Dict, PdfError> {
        match self.resolve(obj)? {
            Obj::Dict(d) => Ok(d),
            _ => Err(PdfError::Malformed {
                offset: 0,
                what: format!("{what} is not a dictionary"),
            }),
        }
    }

    /// Resolves `obj` to an array (absent or null: empty).
    pub fn array(&self, obj: Option<&Obj>, what: &str) -> Result<Vec<Obj>, PdfError> {
        match obj.map(|o| self.resolve(o)).transpose()? {
            None | Some(Obj::Null) => Ok(Vec::new()),
            Some(Obj::Array(items)) => Ok(items),
            Some(_) => Err(PdfError::Malformed {
                offset: 0,
                what: format!("{what} is not an array"),
            }),
        }
    }

    /// The trailer's /Root reference.
    pub fn root_ref(&self) -> Result<(u32, u16), PdfError> {
        match self.trailer.get(b"Root") {
            Some(Obj::Ref(n, g)) => Ok((*n, *g)),
            _ => Err(PdfError::Malformed {
                offset: self.startxref,
                what: "the trailer has no /Root reference".into(),
            }),
        }
    }

    /// The first page: its object number and dictionary, found through
    /// /Pages and /Kids.
    pub fn first_page(&self, catalog: &Dict) -> Result<(u32, Dict), PdfError> {
        let mut node = catalog.get(b"Pages").cloned().ok_or(PdfError::Malformed {
            offset: 0,
            what: "the catalog has no /Pages".into(),
        })?;
        for _ in 0..MAX_DEPTH {
            let Obj::Ref(num, _) = node else {
                return Err(PdfError::Unsupported(
                    "a page tree node that is not an indirect object".into(),
                ));
            };
            let dict = self.dict(&node, "a page tree node")?;
            match dict.name(b"Type") {
                Some(b"Page") => return Ok((num, dict)),
                Some(b"Pages") => {
                    let kids = self.array(dict.get(b"Kids"), "/Kids")?;
                    node = kids.into_iter().next().ok_or(PdfError::Malformed {
                        offset: dict.span.start,
                        what: "the document has no page".into(),
                    })?;
                }
                _ => {
                    return Err(PdfError::Malformed {
                        offset: dict.span.start,
                        what: "a page tree node without /Type /Page or /Pages".into(),
                    });
                }
            }
        }
        Err(PdfError::Malformed {
            offset: 0,
            what: "the page tree is nested too deeply".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Obj {
        Lexer::new(s.as_bytes(), 0).value(0).unwrap()
    }

    #[test]
    fn values() {
        assert_eq!(parse("12 0 R"), Obj::Ref(12, 0));
        assert_eq!(parse("12 0"), Obj::Int(12));
        assert_eq!(parse("-3"), Obj::Int(-3));
        assert_eq!(parse("-3.5"), Obj::Real(b"-3.5".to_vec()));
        assert_eq!(parse("/A#20B"), Obj::Name(b"A B".to_vec()));
        let Obj::Dict(d) = parse("<< /Type /Sig /ByteRange [0 1 2 3] /M (D:2026) >>") else {
            panic!()
        };
        assert_eq!(d.name(b"Type"), Some(&b"Sig"[..]));
        assert_eq!(
            d.get(b"ByteRange"),
            Some(&Obj::Array(vec![
                Obj::Int(0),
                Obj::Int(1),
                Obj::Int(2),
                Obj::Int(3)
            ]))
        );
        assert!(
            Lexer::new(b"<< /A 1 /A 2 >>", 0).value(0).is_err(),
            "duplicate keys"
        );
        assert!(Lexer::new(b"(unterminated", 0).value(0).is_err());
        let deep = "[".repeat(MAX_DEPTH + 2);
        assert!(Lexer::new(deep.as_bytes(), 0).value(0).is_err());
    }

    #[test]
    fn strings() {
        let data = b"(a\\(b\\)\\101\\\nc) <FEFF0054 1EA1>";
        let mut lexer = Lexer::new(data, 0);
        let Obj::Str(lit) = lexer.value(0).unwrap() else {
            panic!()
        };
        assert_eq!(string_bytes(data, &lit), b"a(b)Ac");
        let Obj::Str(hex) = lexer.value(0).unwrap() else {
            panic!()
        };
        assert_eq!(text_string(&string_bytes(data, &hex)), "Tạ");
        assert_eq!(encode_text("Tạ"), b"<FEFF00541EA1>");
        assert_eq!(encode_text("Ta"), b"(Ta)");
        assert_eq!(encode_text("a(b"), b"<FEFF006100280062>");
    }
}
