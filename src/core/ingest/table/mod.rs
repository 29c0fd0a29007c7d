//! The permissive table: a decoded text file or a spreadsheet grid, walked row by row.
//!
//! Nothing here knows what a customer is. This layer finds the layout (which delimiter, or columns
//! aligned with spaces; where the header is) and hands each row's fields to a visitor without
//! allocating a `String` per field, so that a file is walked once and only the mapped columns are
//! converted (see `ingest`).

use serde::{Deserialize, Serialize};
use std::ops::ControlFlow;

#[cfg(test)]
mod tests;
mod walker;

pub(crate) use self::walker::Walker;

/// How the rows of a file are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated.
    Csv,
    /// Tab-separated.
    Tsv,
    /// Semicolon-separated (European Excel).
    Semicolon,
    /// Pipe-separated.
    Pipe,
    /// Columns separated by runs of spaces, as in fixed-width reports (CDNOW).
    Whitespace,
    /// Excel 2007+ workbook.
    Xlsx,
    /// Excel 97–2003 workbook.
    Xls,
}

impl Format {
    /// The delimiter byte of a delimited text format.
    pub fn delimiter(self) -> Option<u8> {
        match self {
            Self::Csv => Some(b','),
            Self::Tsv => Some(b'\t'),
            Self::Semicolon => Some(b';'),
            Self::Pipe => Some(b'|'),
            Self::Whitespace | Self::Xlsx | Self::Xls => None,
        }
    }

    /// How the delimiter is shown to users: `,`, `\t`, `;`, `|`, `whitespace`, or none for workbooks.
    pub fn delimiter_label(self) -> Option<&'static str> {
        match self {
            Self::Csv => Some(","),
            Self::Tsv => Some("\\t"),
            Self::Semicolon => Some(";"),
            Self::Pipe => Some("|"),
            Self::Whitespace => Some("whitespace"),
            Self::Xlsx | Self::Xls => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Tsv => "tsv",
            Self::Semicolon => "semicolon",
            Self::Pipe => "pipe",
            Self::Whitespace => "whitespace",
            Self::Xlsx => "xlsx",
            Self::Xls => "xls",
        }
    }

    /// Parses a format key or a delimiter as users type it (`,` `tab` `\t` `;` `|` `space`).
    pub fn from_key(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" | "," | "comma" => Some(Self::Csv),
            "tsv" | "\\t" | "\t" | "tab" => Some(Self::Tsv),
            "semicolon" | ";" => Some(Self::Semicolon),
            "pipe" | "|" => Some(Self::Pipe),
            "whitespace" | "space" | "spaces" | " " => Some(Self::Whitespace),
            _ => None,
        }
    }

    /// The text formats, for an override menu.
    pub const TEXT: [Format; 5] = [Self::Csv, Self::Tsv, Self::Semicolon, Self::Pipe, Self::Whitespace];
}

/// One row's fields, whatever the source.
pub trait Row {
    fn len(&self) -> usize;
    fn get(&self, i: usize) -> Option<&str>;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Every field is empty or white space.
    fn is_blank(&self) -> bool {
        (0..self.len()).all(|i| self.get(i).is_none_or(|f| f.trim().is_empty()))
    }
}

/// A record's fields, whose bytes are all UTF-8, checked at once rather than one call per cell (a
/// tenth of reading a million rows went to those calls): end to end as csv-core writes them, or
/// the record's own line with a delimiter between fields.
struct Fields<'a> {
    text: &'a str,
    /// Where each field ends in `text`.
    ends: &'a [usize],
    /// Bytes between a field's end and the next field's start: 0 end to end, 1 in a line.
    gap: usize,
}

impl<'a> Fields<'a> {
    /// The fields in `bytes` ending at `ends`, if each of them is UTF-8: exactly when they are end
    /// to end, and each field ends on a character boundary there (fields are then runs of whole
    /// characters).
    fn checked(bytes: &'a [u8], ends: &'a [usize]) -> Option<Self> {
        let text = utf8(bytes.get(..ends.last().copied().unwrap_or(0))?)?;
        ends.iter().all(|&end| text.is_char_boundary(end)).then_some(Self { text, ends, gap: 0 })
    }

    /// The fields of a plain line (see [`plain_line`]), if it is UTF-8: each field is then too, as
    /// the delimiters between them are ASCII.
    fn in_line(line: &'a [u8], ends: &'a [usize]) -> Option<Self> {
        Some(Self { text: utf8(line)?, ends, gap: 1 })
    }
}

/// `bytes` as text, if they are UTF-8: checked with SIMD (a record of a Chinese export is mostly
/// multi-byte characters, which the standard library checks a character at a time; BENCHMARKS.md,
/// "Design measurements").
fn utf8(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

impl Row for Fields<'_> {
    fn len(&self) -> usize {
        self.ends.len()
    }
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => self.ends[before] + self.gap,
            None => 0,
        };
        self.text.get(start..end)
    }
}

impl Row for Vec<&str> {
    fn len(&self) -> usize {
        <[&str]>::len(self)
    }
    fn get(&self, i: usize) -> Option<&str> {
        <[&str]>::get(self, i).copied()
    }
}

impl Row for Vec<String> {
    fn len(&self) -> usize {
        <[String]>::len(self)
    }
    fn get(&self, i: usize) -> Option<&str> {
        <[String]>::get(self, i).map(String::as_str)
    }
}

/// Where a row is, for messages: the 1-based line of the file (or row of the sheet), and how far
/// through the source it is (0..1) for progress bars.
#[derive(Debug, Clone, Copy)]
pub struct Position {
    pub line: u64,
    /// Where the row starts in the text (0 in a sheet).
    pub byte: u64,
    pub fraction: f64,
}

/// A table to walk: decoded text in a known layout, or a spreadsheet grid. (Text that streams in is
/// pushed into a [`Walker`] a chunk at a time.)
pub enum Source<'a> {
    Text { text: &'a str, format: Format },
    Grid(&'a super::excel::Grid),
}

impl Source<'_> {
    /// Calls `visit` for every row in order, blank rows included (callers skip them).
    ///
    /// # Errors
    /// A record that is not UTF-8, which `&str` input cannot hold; passed on rather than assumed
    /// away.
    pub fn for_each_row(&self, mut visit: impl FnMut(Position, &dyn Row) -> ControlFlow<()>) -> Result<(), String> {
        match *self {
            Source::Text { text, format: Format::Whitespace } => {
                let total = text.len().max(1) as f64;
                let mut fields: Vec<&str> = Vec::new();
                let mut offset = 0usize;
                // Lines end at LF (a CR before it is white space); files with lone CRs are
                // normalised first by `normalise_line_endings`.
                for (i, line) in text.split('\n').enumerate() {
                    let byte = offset as u64;
                    offset += line.len() + 1;
                    fields.clear();
                    fields.extend(line.split_whitespace());
                    let pos = Position { line: i as u64 + 1, byte, fraction: (offset as f64 / total).min(1.0) };
                    if visit(pos, &fields).is_break() {
                        break;
                    }
                }
                Ok(())
            }
            Source::Text { text, format } => {
                let mut walker = Walker::new(format, text.len() as u64);
                let walked = match walker.feed(text.as_bytes(), &mut visit) {
                    Ok(ControlFlow::Continue(())) => walker.finish(&mut visit).map(|_| ()),
                    other => other.map(|_| ()),
                };
                walked.map_err(|e| e.to_string())
            }
            Source::Grid(grid) => {
                let total = grid.rows.len().max(1) as f64;
                for (i, row) in (0..grid.rows.len()).filter_map(|i| grid.row(i)).enumerate() {
                    let pos = Position { line: grid.first_line + i as u64, byte: 0, fraction: (i + 1) as f64 / total };
                    if visit(pos, &row).is_break() {
                        break;
                    }
                }
                Ok(())
            }
        }
    }

    /// The first `limit` non-blank rows, with their line numbers, as owned strings: of a row with
    /// more than [`MAX_COLUMNS`] fields, the first `MAX_COLUMNS + 1`.
    pub fn head(&self, limit: usize) -> Vec<(u64, Vec<String>)> {
        let mut out = Vec::new();
        let _ = self.for_each_row(|pos, row| {
            if !row.is_blank() {
                let fields = row.len().min(MAX_COLUMNS + 1);
                out.push((pos.line, (0..fields).map(|i| row.get(i).unwrap_or("").to_string()).collect()));
            }
            if out.len() >= limit {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        out
    }
}

/// The most columns a table has: Excel's limit. A row with more fields is not a row of a table.
pub const MAX_COLUMNS: usize = 16_384;

/// Normalises line endings for the whitespace layout so that CR, LF and CRLF each end one line.
/// Text without lone CRs is borrowed unchanged.
pub fn normalise_line_endings(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone_cr = bytes.iter().enumerate().any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
    if lone_cr {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Guesses the layout of a text file from its first lines: the delimiter that splits the most lines
/// into the same number (≥ 2) of fields wins; columns aligned with spaces come last, and a file with
/// a single column is read as CSV.
pub fn sniff_format(text: &str) -> Format {
    let sample = sample_prefix(text, 64 * 1024);
    let mut best: Option<(f64, usize, Format)> = None;
    for format in Format::TEXT {
        let counts = field_counts(sample, format);
        let Some((mode, share)) = mode_share(&counts) else { continue };
        if mode < 2 || share < 0.8 {
            continue;
        }
        // Consistency first; among equally consistent layouts, more columns; earlier formats win ties.
        let better = match best {
            None => true,
            Some((s, m, _)) => share > s + 1e-9 || ((share - s).abs() <= 1e-9 && mode > m && format != Format::Whitespace),
        };
        if better {
            best = Some((share, mode, format));
        }
    }
    best.map_or(Format::Csv, |(_, _, f)| f)
}

/// Up to `max` bytes of `text`, cut at a line end so that no row is half-read.
fn sample_prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind('\n') {
        Some(i) if i > 0 => &text[..i],
        _ => &text[..end],
    }
}

fn field_counts(sample: &str, format: Format) -> Vec<usize> {
    let mut counts = Vec::new();
    let src = Source::Text { text: sample, format };
    let _ = src.for_each_row(|_, row| {
        if !row.is_blank() {
            counts.push(row.len());
        }
        if counts.len() >= 200 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    counts
}

/// The most common value and the share of entries equal to it.
fn mode_share(counts: &[usize]) -> Option<(usize, f64)> {
    if counts.is_empty() {
        return None;
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let (mut best, mut best_n, mut i) = (sorted[0], 0usize, 0usize);
    while i < sorted.len() {
        let j = sorted[i..].iter().take_while(|&&c| c == sorted[i]).count();
        if j > best_n {
            best = sorted[i];
            best_n = j;
        }
        i += j;
    }
    Some((best, best_n as f64 / counts.len() as f64))
}

/// The typical number of fields in `rows` (the most common count).
pub fn typical_width(rows: &[(u64, Vec<String>)]) -> usize {
    let counts: Vec<usize> = rows.iter().map(|(_, r)| r.len()).collect();
    mode_share(&counts).map_or(0, |(m, _)| m)
}
