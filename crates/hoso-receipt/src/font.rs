//! Loading the TrueType font used for all text.

use std::path::Path;

use crate::ReceiptError;

/// A TrueType font loaded at run time, embedded (as a subset of the glyphs
/// actually used) into every rendered PDF.
///
/// The font must cover Vietnamese; the default, [`Font::DEFAULT_PATH`], is
/// DejaVu Sans from Debian's `fonts-dejavu-core` package.
#[derive(Clone)]
pub struct Font {
    data: Vec<u8>,
    postscript_name: String,
}

impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Font")
            .field("postscript_name", &self.postscript_name)
            .field("bytes", &self.data.len())
            .finish()
    }
}

impl Font {
    /// Where Debian's `fonts-dejavu-core` installs DejaVu Sans.
    pub const DEFAULT_PATH: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// Reads and parses a TrueType font file.
    ///
    /// Fails with [`ReceiptError::FontRead`] when the file cannot be read (the
    /// message names the path) and [`ReceiptError::FontParse`] when it is not
    /// a usable TrueType font.
    pub fn load(path: &Path) -> Result<Font, ReceiptError> {
        let bytes = std::fs::read(path).map_err(|source| ReceiptError::FontRead {
            path: path.to_path_buf(),
            source,
        })?;
        Font::from_bytes(bytes)
    }

    /// Parses a TrueType font from its bytes.
    ///
    /// Fails with [`ReceiptError::FontParse`] when the bytes are not a
    /// TrueType (`glyf`-outline) font with a Unicode `cmap`.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Font, ReceiptError> {
        let postscript_name = {
            let face = parse(&bytes)?;
            if face.tables().glyf.is_none() {
                return Err(ReceiptError::FontParse(
                    "not a TrueType font (no glyf table)".into(),
                ));
            }
            if face.glyph_index('A').is_none() {
                return Err(ReceiptError::FontParse(
                    "the font has no Unicode cmap for Latin letters".into(),
                ));
            }
            face.names()
                .into_iter()
                .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
                .find_map(|n| n.to_string())
                .map(|s| {
                    s.chars()
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect::<String>()
                })
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "Font".to_owned())
        };
        Ok(Font {
            data: bytes,
            postscript_name,
        })
    }

    pub(crate) fn face(&self) -> Result<ttf_parser::Face<'_>, ReceiptError> {
        parse(&self.data)
    }

    pub(crate) fn data(&self) -> &[u8] {
        &self.data
    }

    pub(crate) fn postscript_name(&self) -> &str {
        &self.postscript_name
    }
}

fn parse(bytes: &[u8]) -> Result<ttf_parser::Face<'_>, ReceiptError> {
    ttf_parser::Face::parse(bytes, 0).map_err(|e| ReceiptError::FontParse(e.to_string()))
}
