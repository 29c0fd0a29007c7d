//! The permissive table: a decoded text file or a spreadsheet grid, walked row by row.
//!
//! Nothing here knows what a customer is. This layer finds the layout (which delimiter, or columns
//! aligned with spaces; where the header is) and hands each row's fields to a visitor without
//! allocating a `String` per field, so that a file is walked once and only the mapped columns are
//! converted (see `ingest`).

use serde::{Deserialize, Serialize};
use std::ops::ControlFlow;

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
        let text = std::str::from_utf8(bytes.get(..ends.last().copied().unwrap_or(0))?).ok()?;
        ends.iter().all(|&end| text.is_char_boundary(end)).then_some(Self { text, ends, gap: 0 })
    }

    /// The fields of a plain line (see [`plain_line`]), if it is UTF-8: each field is then too, as
    /// the delimiters between them are ASCII.
    fn in_line(line: &'a [u8], ends: &'a [usize]) -> Option<Self> {
        Some(Self { text: std::str::from_utf8(line).ok()?, ends, gap: 1 })
    }
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

/// Why a walk over CSV records stopped short: a record's bytes are not UTF-8 text.
///
/// Whether the text is UTF-8 is checked record by record ([`Fields::checked`]): the CSV reader
/// drops only ASCII bytes (delimiters, quotes, line ends), so the bytes are UTF-8 exactly when
/// every record's fields are, save one case too rare to matter: a character cut in two by a doubled
/// quote inside a quoted cell is read whole.
#[derive(Debug)]
pub(crate) struct NotUtf8;

impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the text is not plain UTF-8")
    }
}

/// The records of CSV text handed over a chunk at a time, however it is cut: each goes to the
/// visitor, with its line and where it starts, as soon as its last byte is in.
///
/// csv-core reads the records, set up and driven as the csv crate's reader does it (the
/// delimiter, `"` quotes, doubled quotes, records ending at CR, LF or CRLF, blank lines skipped;
/// no fixed number of fields): driving it directly lets a file's bytes be pushed in as they
/// arrive, and the fields are read where csv-core writes them, without copying.
///
/// A record's line is the 1-based line of its first character: CR, LF and CRLF each end a line,
/// line ends inside quoted cells included.
///
/// Most records are plain lines (no quotes, ending at LF or CRLF): between records, the walker
/// reads such a line itself, eight bytes at a time ([`plain_line`]), and leaves the rest to
/// csv-core, which would read the line the same way (a test checks that on every kind of line).
pub(crate) struct Walker {
    core: csv_core::Reader,
    delimiter: u8,
    /// csv-core is between records (it handed one out last, or the walker did), so that the next
    /// record may be read without it: its state then reads a line as it reads the first.
    between: bool,
    /// The record handed out last was a plain line: a record starting where it ended is on the
    /// next line.
    last_plain: bool,
    /// Where each field of a plain line ends.
    line_ends: Vec<usize>,
    /// The record being read: its fields end to end, and where each ends.
    fields: Vec<u8>,
    ends: Vec<usize>,
    filled: usize,
    ended: usize,
    /// Bytes read so far, and where the record being read starts (where the last one ended: the
    /// blank lines before it are its own).
    consumed: u64,
    record_start: u64,
    /// Line ends are counted up to `counted` (the first character of the last record handed out),
    /// on line `line`.
    counted: u64,
    line: u64,
    /// The bytes from `counted` up to the chunk being read (what a record that began in an earlier
    /// chunk needs counted).
    carry: Vec<u8>,
    /// Bytes of text in all (for progress).
    total: f64,
}

impl Walker {
    pub(crate) fn new(format: Format, total: u64) -> Self {
        let delimiter = format.delimiter().unwrap_or(b',');
        Self {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            between: false,
            last_plain: false,
            line_ends: Vec::new(),
            fields: vec![0; 1024],
            ends: vec![0; 32],
            filled: 0,
            ended: 0,
            consumed: 0,
            record_start: 0,
            counted: 0,
            line: 1,
            carry: Vec::new(),
            total: total.max(1) as f64,
        }
    }

    /// Hands `visit` each record that ends in `chunk`, the next bytes of the text; a record cut at
    /// its end is finished by the next chunk. Stops where `visit` breaks (the walk is then over).
    ///
    /// # Errors
    /// At a record that is not UTF-8.
    pub(crate) fn feed(
        &mut self,
        chunk: &[u8],
        visit: &mut dyn FnMut(Position, &dyn Row) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, NotUtf8> {
        if chunk.is_empty() {
            // An empty input is how csv-core learns the text ended.
            return Ok(ControlFlow::Continue(()));
        }
        self.read(chunk, visit)
    }

    /// Hands `visit` the last record, if the text ended inside one (without a line end).
    ///
    /// # Errors
    /// As [`Walker::feed`].
    pub(crate) fn finish(
        &mut self,
        visit: &mut dyn FnMut(Position, &dyn Row) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, NotUtf8> {
        self.read(&[], visit)
    }

    fn read(
        &mut self,
        chunk: &[u8],
        visit: &mut dyn FnMut(Position, &dyn Row) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, NotUtf8> {
        use csv_core::ReadRecordResult;
        let chunk_start = self.consumed;
        let mut input = chunk;
        loop {
            if self.between {
                // Line ends before a record are blank lines, which csv-core skips whatever its
                // state between records (after a CR it skips the LF).
                let skip = input.iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
                if let Some((len, used)) = plain_line(&input[skip..], self.delimiter, &mut self.line_ends) {
                    let line = &input[skip..skip + len];
                    input = &input[skip + used..];
                    self.consumed += (skip + used) as u64;
                    let (line_no, byte) = if self.last_plain && skip == 0 {
                        // The record before was one line, ending right here.
                        self.line += 1;
                        self.counted = self.record_start;
                        (self.line, self.counted)
                    } else {
                        self.line_at(chunk, chunk_start)
                    };
                    self.record_start = self.consumed;
                    self.last_plain = true;
                    let pos = Position { line: line_no, byte, fraction: (byte as f64 / self.total).min(1.0) };
                    let row = Fields::in_line(line, &self.line_ends).ok_or(NotUtf8)?;
                    if visit(pos, &row).is_break() {
                        return Ok(ControlFlow::Break(()));
                    }
                    if input.is_empty() {
                        // The chunk ended with the line (csv-core takes no input as the text's end).
                        break;
                    }
                    continue;
                }
            }
            let (result, read, written, fields) =
                self.core.read_record(input, &mut self.fields[self.filled..], &mut self.ends[self.ended..]);
            input = &input[read..];
            self.consumed += read as u64;
            self.filled += written;
            self.ended += fields;
            self.between = false;
            match result {
                ReadRecordResult::InputEmpty | ReadRecordResult::End => break,
                ReadRecordResult::OutputFull => self.fields.resize(self.fields.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => {
                    let (line, byte) = self.line_at(chunk, chunk_start);
                    let ends = std::mem::take(&mut self.ended);
                    self.filled = 0;
                    self.record_start = self.consumed;
                    self.last_plain = false;
                    self.between = true;
                    let pos = Position { line, byte, fraction: (byte as f64 / self.total).min(1.0) };
                    let row = Fields::checked(&self.fields, &self.ends[..ends]).ok_or(NotUtf8)?;
                    if visit(pos, &row).is_break() {
                        return Ok(ControlFlow::Break(()));
                    }
                }
            }
        }
        // What the next record's line count needs of this chunk.
        match self.counted.checked_sub(chunk_start) {
            Some(at) => {
                self.carry.clear();
                self.carry.extend_from_slice(&chunk[at as usize..]);
            }
            None => self.carry.extend_from_slice(chunk),
        }
        Ok(ControlFlow::Continue(()))
    }

    /// The line of the record read last, which started at `record_start`, and where its first
    /// character is (past the line ends counted as its start); `chunk` (from byte `chunk_start`)
    /// is the one being read.
    fn line_at(&mut self, chunk: &[u8], chunk_start: u64) -> (u64, u64) {
        let read = &chunk[..(self.consumed - chunk_start) as usize];
        match self.counted.checked_sub(chunk_start) {
            Some(from) => {
                let start = (self.record_start - chunk_start) as usize;
                let end = count_lines(read, from as usize, start, &mut self.line);
                self.counted = chunk_start + end as u64;
            }
            None => {
                // The count starts in an earlier chunk: in `carry`, then this one.
                let before = self.carry.len();
                self.carry.extend_from_slice(read);
                let end = count_lines(&self.carry, 0, (self.record_start - self.counted) as usize, &mut self.line);
                self.counted += end as u64;
                if end >= before {
                    self.carry.clear();
                } else {
                    self.carry.truncate(before);
                    self.carry.drain(..end);
                }
            }
        }
        (self.line, self.counted)
    }
}

/// The record at the start of `input` if it is a plain line: no quote, CR or LF inside, ending at
/// LF or CRLF (csv-core reads such a line as its delimiters cut it). Gives the line's length
/// without its end and the bytes it takes with it, and leaves where each field ends in `ends`;
/// `None` when the record is not plain or its line end is not in `input` (csv-core then reads it).
///
/// Eight bytes at a time: a byte equal to `b` is found in a word exactly, without borrows between
/// bytes, so each word's delimiters are read off its bits (fields are about eight bytes long).
fn plain_line(input: &[u8], delimiter: u8, ends: &mut Vec<usize>) -> Option<(usize, usize)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    /// The high bit of each byte of `word` that is `b`.
    fn equal(word: u64, b: u8) -> u64 {
        let x = word ^ (ONES * u64::from(b));
        !(((x & !HIGH) + !HIGH) | x) & HIGH
    }
    fn push_all(ends: &mut Vec<usize>, at: usize, mut bits: u64) {
        while bits != 0 {
            ends.push(at + (bits.trailing_zeros() / 8) as usize);
            bits &= bits - 1;
        }
    }
    /// The line ends at `input[at]`, if that is its end.
    fn end(input: &[u8], at: usize, ends: &mut Vec<usize>) -> Option<(usize, usize)> {
        let used = match (input.get(at), input.get(at + 1)) {
            (Some(b'\n'), _) => at + 1,
            (Some(b'\r'), Some(b'\n')) => at + 2,
            _ => return None,
        };
        ends.push(at);
        Some((at, used))
    }
    ends.clear();
    let mut at = 0;
    while let Some(word) = input.get(at..).and_then(|rest| rest.first_chunk::<8>()) {
        let word = u64::from_le_bytes(*word);
        let delimiters = equal(word, delimiter);
        let stops = equal(word, b'\n') | equal(word, b'\r') | equal(word, b'"');
        if stops == 0 {
            push_all(ends, at, delimiters);
            at += 8;
        } else {
            let stop = stops.trailing_zeros() / 8;
            push_all(ends, at, delimiters & ((1u64 << (stop * 8)) - 1));
            return end(input, at + stop as usize, ends);
        }
    }
    while let Some(&b) = input.get(at) {
        match b {
            b'\n' | b'\r' | b'"' => return end(input, at, ends),
            _ if b == delimiter => ends.push(at),
            _ => {}
        }
        at += 1;
    }
    None
}

/// Counts the line ends in `bytes[from..]` up to the record that starts at `record_start` (and the
/// blank lines the CSV reader skipped before it, which belong before the record) onto `line`: CR,
/// LF and CRLF each end a line. Returns where counting stopped, the `from` of the next call.
fn count_lines(bytes: &[u8], from: usize, record_start: usize, line: &mut u64) -> usize {
    let mut end = record_start.min(bytes.len());
    while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
        end += 1;
    }
    if end < from {
        return from;
    }
    let span = &bytes[from..end];
    // Most files end lines with LF alone: a plain count, unless a CR turns up.
    let mut lf = 0;
    for at in memchr::memchr2_iter(b'\n', b'\r', span) {
        if span[at] == b'\r' {
            for i in from..end {
                match bytes[i] {
                    b'\n' => *line += 1,
                    b'\r' if bytes.get(i + 1) != Some(&b'\n') => *line += 1,
                    _ => {}
                }
            }
            return end;
        }
        lf += 1;
    }
    *line += lf;
    end
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// `fields` as csv-core writes them: end to end, and where each ends.
    fn joined(fields: &[Vec<u8>]) -> (Vec<u8>, Vec<usize>) {
        let bytes = fields.concat();
        let ends = fields.iter().scan(0, |end, f| {
            *end += f.len();
            Some(*end)
        });
        (bytes, ends.collect())
    }

    proptest::proptest! {
        /// A record checked all at once passes exactly when each of its fields is UTF-8 by
        /// itself, and then gives each field's text (a character cut by a delimiter, stray
        /// continuation or lead bytes, whether the fields end to end are UTF-8 or not).
        #[test]
        fn a_record_checked_at_once_passes_when_each_field_would(
            fields in proptest::collection::vec(
                proptest::collection::vec(
                    // 订 is E8 AE A2: its halves, in two fields, are UTF-8 end to end.
                    proptest::prop_oneof![
                        3 => proptest::strategy::Just(vec![b'a']),
                        2 => proptest::strategy::Just("订".as_bytes().to_vec()),
                        1 => proptest::strategy::Just("é".as_bytes().to_vec()),
                        2 => proptest::strategy::Just(vec![0xE8]),
                        2 => proptest::strategy::Just(vec![0xAE, 0xA2]),
                        1 => proptest::strategy::Just(vec![0x80]),
                        1 => proptest::strategy::Just(vec![0xFF]),
                    ],
                    0..5,
                ),
                1..6,
            ),
        ) {
            let fields: Vec<Vec<u8>> = fields.into_iter().map(|f| f.concat()).collect();
            let (bytes, ends) = joined(&fields);
            let each: Option<Vec<&str>> = fields.iter().map(|f| std::str::from_utf8(f).ok()).collect();
            let row = Fields::checked(&bytes, &ends);
            proptest::prop_assert_eq!(row.is_some(), each.is_some());
            if let (Some(row), Some(each)) = (row, each) {
                proptest::prop_assert_eq!(Row::len(&row), fields.len());
                for (i, f) in each.iter().enumerate() {
                    proptest::prop_assert_eq!(row.get(i), Some(*f));
                }
                proptest::prop_assert_eq!(row.get(fields.len()), None);
            }
        }
    }

    /// What a walk saw: each record's line, start and fields, and whether it stopped at a record
    /// that is not UTF-8.
    type Walked = (Vec<(u64, u64, Vec<String>)>, bool);

    /// The reference walk: the csv crate's reader over all of `bytes`, each record's line counted
    /// from the start by the definition (the line ends before its first character).
    fn walked_by_the_csv_crate(bytes: &[u8], format: Format) -> Walked {
        let delimiter = format.delimiter().unwrap_or(b',');
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(bytes);
        let mut record = csv::ByteRecord::new();
        let mut rows = Vec::new();
        while reader.read_byte_record(&mut record).unwrap_or(false) {
            let mut first = record.position().map_or(0, |p| p.byte()) as usize;
            while first < bytes.len() && matches!(bytes[first], b'\n' | b'\r') {
                first += 1;
            }
            let ends = (0..first).filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')));
            let fields: Option<Vec<String>> = record.iter().map(|f| std::str::from_utf8(f).ok().map(str::to_string)).collect();
            match fields {
                Some(fields) => rows.push((1 + ends.count() as u64, first as u64, fields)),
                None => return (rows, true),
            }
        }
        (rows, false)
    }

    /// The walk of `bytes` pushed into a [`Walker`] in chunks of the given sizes (in turn; the
    /// rest in one).
    fn walked_in_chunks(bytes: &[u8], format: Format, sizes: &[usize]) -> Walked {
        let mut rows = Vec::new();
        let mut visit = |pos: Position, row: &dyn Row| {
            rows.push((pos.line, pos.byte, (0..row.len()).map(|i| row.get(i).unwrap_or("?").to_string()).collect()));
            ControlFlow::Continue(())
        };
        let mut walker = Walker::new(format, bytes.len() as u64);
        let mut rest = bytes;
        let mut sizes = sizes.iter().cycle();
        let mut stopped = false;
        while !rest.is_empty() && !stopped {
            let n = sizes.next().map_or(rest.len(), |&n| n.clamp(1, rest.len()));
            stopped = walker.feed(&rest[..n], &mut visit).is_err();
            rest = &rest[n..];
        }
        if !stopped {
            stopped = walker.finish(&mut visit).is_err();
        }
        (rows, stopped)
    }

    /// Walking `bytes` pushed in chunks of `sizes` (in turn), of `small` bytes, and whole gives what
    /// the csv crate's reader reads.
    fn walks_as_the_csv_reader(
        bytes: &[u8],
        format: Format,
        sizes: &[usize],
        small: usize,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let want = walked_by_the_csv_crate(bytes, format);
        for sizes in [sizes, &[small], &[bytes.len().max(1)]] {
            proptest::prop_assert_eq!(&walked_in_chunks(bytes, format, sizes), &want, "chunks of {:?}", sizes);
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(512))]
        /// Records pushed in however the text is cut are exactly what the csv crate's reader reads,
        /// with the lines their first characters are on: quotes, doubled quotes, quoted line ends
        /// and delimiters, CR, LF and CRLF, blank lines, characters cut across chunks, bytes that
        /// are not UTF-8.
        #[test]
        fn records_pushed_in_any_chunks_are_what_the_csv_reader_reads(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::strategy::Just("a".as_bytes()),
                    2 => proptest::strategy::Just("订".as_bytes()),
                    3 => proptest::strategy::Just(",".as_bytes()),
                    2 => proptest::strategy::Just("\"".as_bytes()),
                    3 => proptest::strategy::Just("\n".as_bytes()),
                    1 => proptest::strategy::Just("\r".as_bytes()),
                    1 => proptest::strategy::Just("\r\n".as_bytes()),
                    1 => proptest::strategy::Just(";".as_bytes()),
                    1 => proptest::strategy::Just(b"\xE8".as_slice()),
                ],
                0..120,
            ),
            sizes in proptest::collection::vec(1usize..40, 1..6),
            semicolons in proptest::bool::ANY,
        ) {
            walks_as_the_csv_reader(&pieces.concat(), if semicolons { Format::Semicolon } else { Format::Csv }, &sizes, 1)?;
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(512))]
        /// Text that is mostly plain lines (which the walker reads itself, a word at a time) with
        /// now and then a quote, a lone CR, a blank line or a byte that is not UTF-8 (which
        /// csv-core reads): the same records and lines as the csv crate's reader, in any chunks,
        /// comma- or tab-separated.
        #[test]
        fn plain_lines_are_read_as_the_csv_reader_reads_them(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    12 => proptest::strategy::Just("abc".as_bytes()),
                    6 => proptest::strategy::Just("订单".as_bytes()),
                    4 => proptest::strategy::Just("2023-01-01 08:46:25".as_bytes()),
                    8 => proptest::strategy::Just(",".as_bytes()),
                    8 => proptest::strategy::Just("\t".as_bytes()),
                    4 => proptest::strategy::Just("\n".as_bytes()),
                    3 => proptest::strategy::Just("\r\n".as_bytes()),
                    1 => proptest::strategy::Just("\"".as_bytes()),
                    1 => proptest::strategy::Just("\r".as_bytes()),
                    1 => proptest::strategy::Just("\n\n".as_bytes()),
                    1 => proptest::strategy::Just(b"\xE8".as_slice()),
                ],
                0..300,
            ),
            sizes in proptest::collection::vec(1usize..200, 1..6),
            tabs in proptest::bool::ANY,
        ) {
            walks_as_the_csv_reader(&pieces.concat(), if tabs { Format::Tsv } else { Format::Csv }, &sizes, 7)?;
        }
    }

    #[test]
    fn a_plain_line_is_cut_at_its_delimiters_and_ends_at_lf_or_crlf() {
        let mut ends = Vec::new();
        // Fields across the eight-byte words, an empty one, and the last one empty.
        assert_eq!(plain_line(b"SO00001,00068372,,2023-01-01,\nnext", b',', &mut ends), Some((29, 30)));
        assert_eq!(ends, [7, 16, 17, 28, 29]);
        assert_eq!(plain_line(b"a\tb\r\n", b'\t', &mut ends), Some((3, 5)));
        assert_eq!(ends, [1, 3]);
        assert_eq!(plain_line(b"\n", b',', &mut ends), Some((0, 1)));
        assert_eq!(ends, [0]);
        // Not plain, or not ended here: csv-core reads it.
        for line in [&b"abcdefgh,\"quoted\"\n"[..], b"a,b\rc\n", b"abcdefghijk,no end", b"a,b\r"] {
            assert_eq!(plain_line(line, b',', &mut ends), None, "{:?}", String::from_utf8_lossy(line));
        }
    }

    proptest::proptest! {
        /// Counting lines from one record start to the next, CR, LF and CRLF each ending a line,
        /// gives what counting them one byte at a time gives.
        #[test]
        fn count_lines_counts_every_kind_of_line_end(
            bytes in proptest::collection::vec(proptest::prop_oneof![proptest::strategy::Just(b'\n'), proptest::strategy::Just(b'\r'), proptest::strategy::Just(b'a')], 0..200),
            a in 0usize..220,
            b in 0usize..220,
        ) {
            let (from, record_start) = (a.min(b).min(bytes.len()), a.max(b));
            let mut line = 7;
            let end = count_lines(&bytes, from, record_start, &mut line);
            // By hand: the line ends in bytes[from..end], where end is past the record start's
            // line ends.
            let mut want_end = record_start.min(bytes.len());
            while want_end < bytes.len() && matches!(bytes[want_end], b'\n' | b'\r') {
                want_end += 1;
            }
            proptest::prop_assert_eq!(end, want_end.max(from));
            let ends = (from..want_end.max(from))
                .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                .count() as u64;
            proptest::prop_assert_eq!(line, 7 + ends);
        }
    }

    #[test]
    fn a_character_cut_by_a_delimiter_is_not_utf8() {
        let (bytes, ends) = joined(&[b"x\xE8".to_vec(), b"\xAE\xA2y".to_vec()]);
        assert!(std::str::from_utf8(&bytes).is_ok());
        assert!(Fields::checked(&bytes, &ends).is_none());
        let (bytes, ends) = joined(&["x订".as_bytes().to_vec(), b"y".to_vec()]);
        assert_eq!(
            Fields::checked(&bytes, &ends).map(|r| (r.get(0).map(str::to_string), r.get(1).map(str::to_string))),
            Some((Some("x订".into()), Some("y".into())))
        );
    }

    #[test]
    fn the_walk_stops_at_a_record_that_is_not_utf8() {
        let bytes: &[u8] = b"id,name\n2,\xe5\xae\xa2\xe6\x88\xb7\n1,caf\xe9\n3,x\n";
        let mut rows = Vec::new();
        let walked = Walker::new(Format::Csv, bytes.len() as u64).feed(bytes, &mut |_, row: &dyn Row| {
            rows.push((row.get(0).map(str::to_string), row.get(1).map(str::to_string)));
            ControlFlow::Continue(())
        });
        assert!(walked.is_err());
        let cell = |s: &str| Some(s.to_string());
        assert_eq!(rows, vec![(cell("id"), cell("name")), (cell("2"), cell("客户"))]);
    }

    #[test]
    fn delimiters_are_sniffed() {
        let cases = [
            ("id,date,amount\n1,2024-01-01,3\n2,2024-01-02,4\n", Format::Csv),
            ("id\tdate\tamount\n1\t2024-01-01\t3\n", Format::Tsv),
            ("id;date;amount\n1;2024-01-01;3,50\n2;2024-01-02;4,00\n", Format::Semicolon),
            ("id|date|amount\n1|2024-01-01|3\n", Format::Pipe),
            (" customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n", Format::Whitespace),
            ("only_ids\n1\n2\n", Format::Csv),
        ];
        for (text, want) in cases {
            assert_eq!(sniff_format(text), want, "{text:?}");
        }
    }

    #[test]
    fn quoted_commas_do_not_confuse_the_sniffer() {
        let text = "name,amount\n\"Smith, John\",\"1,299.00\"\n\"Lee, Ann\",12\n";
        assert_eq!(sniff_format(text), Format::Csv);
    }

    #[test]
    fn rows_carry_their_line_numbers() {
        let text = "a,b\n\n1,\"multi\nline\"\n2,x\n";
        let src = Source::Text { text, format: Format::Csv };
        let head = src.head(10);
        let lines: Vec<u64> = head.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![1, 3, 5]);
        assert_eq!(head[1].1, vec!["1", "multi\nline"]);
    }

    #[test]
    fn whitespace_rows_split_on_runs_of_spaces() {
        let text = " 00001 19970101  1   11.77\n 00002 19970112  1   12.00\n";
        let head = Source::Text { text, format: Format::Whitespace }.head(5);
        assert_eq!(head[0], (1, vec!["00001".to_string(), "19970101".into(), "1".into(), "11.77".into()]));
        assert_eq!(head[1].0, 2);
    }

    #[test]
    fn mixed_line_endings_each_end_one_line() {
        let text = normalise_line_endings("a b\r\n1 2\r3 4\n5 6");
        let head = Source::Text { text: &text, format: Format::Whitespace }.head(10);
        let lines: Vec<u64> = head.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![1, 2, 3, 4]);
    }
}
