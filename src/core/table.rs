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

/// A CSV record whose fields are all UTF-8, checked at once rather than one call per cell (a
/// tenth of reading a million rows went to those calls).
struct Record<'a> {
    record: &'a csv::ByteRecord,
    text: &'a str,
}

impl<'a> Record<'a> {
    /// `record`, if each of its fields is UTF-8: exactly when its fields end to end are, and each
    /// field ends on a character boundary there (fields are then runs of whole characters).
    fn checked(record: &'a csv::ByteRecord) -> Option<Self> {
        let text = std::str::from_utf8(record.as_slice()).ok()?;
        let whole = (0..record.len()).all(|i| record.range(i).is_some_and(|r| text.is_char_boundary(r.end)));
        whole.then_some(Self { record, text })
    }
}

impl Row for Record<'_> {
    fn len(&self) -> usize {
        self.record.len()
    }
    fn get(&self, i: usize) -> Option<&str> {
        self.record.range(i).and_then(|r| self.text.get(r))
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

/// A table to walk: decoded text in a known layout, a spreadsheet grid, or UTF-8 text read as it
/// streams in (see [`Stream`]).
pub enum Source<'a> {
    Text { text: &'a str, format: Format },
    Grid { rows: &'a [Vec<String>], first_line: u64 },
    Stream(Stream<'a>),
}

/// UTF-8 text in a delimited layout, read from `rest` after `prefix` (the first bytes, already in
/// memory) without ever holding the whole file: a file of any size is walked with a few megabytes.
///
/// Walking it checks the bytes as UTF-8 and for NUL characters on the way; on either it stops with
/// an error and sets `unfit`, and the caller reads the file whole instead (what `ingest` does with
/// such files needs all of it: decoding line by line, stripping NULs).
pub struct Stream<'a> {
    /// The text the header and the first rows are taken from: `prefix` up to its last line end.
    pub head: &'a str,
    pub prefix: &'a [u8],
    pub rest: std::cell::RefCell<&'a mut dyn std::io::Read>,
    pub format: Format,
    /// Bytes of text in all (for progress).
    pub total: u64,
    pub unfit: std::cell::Cell<bool>,
}

impl Source<'_> {
    /// Calls `visit` for every row in order, blank rows included (callers skip them).
    ///
    /// # Errors
    /// What the CSV reader reports; with flexible row lengths and `&str` input that is nothing
    /// a user's file can trigger, but it is passed on rather than assumed away. A stream also
    /// stops at a record that is not UTF-8 or at a NUL, and sets `unfit`.
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
                let mut reader = csv_reader(format, text.as_bytes());
                let mut lines = LineCounter::new(text.as_bytes());
                walk_records(&mut reader, text.len(), |byte| lines.line_at(byte as usize), &mut visit).map_err(|e| e.to_string())
            }
            Source::Stream(ref stream) => {
                let mut rest = stream.rest.borrow_mut();
                let lines = std::rc::Rc::new(std::cell::RefCell::new(StreamLines::default()));
                let feed = Feed::new(stream.prefix, &mut **rest, lines.clone());
                let mut reader = csv_reader(stream.format, feed);
                let walked =
                    walk_records(&mut reader, stream.total as usize, |byte| lines.borrow_mut().line_at(byte), &mut visit);
                if matches!(walked, Err(Stop::NotUtf8)) || (walked.is_err() && reader.get_ref().unfit) {
                    stream.unfit.set(true);
                }
                walked.map_err(|e| e.to_string())
            }
            Source::Grid { rows, first_line } => {
                let total = rows.len().max(1) as f64;
                for (i, row) in rows.iter().enumerate() {
                    let pos = Position { line: first_line + i as u64, byte: 0, fraction: (i + 1) as f64 / total };
                    if visit(pos, row).is_break() {
                        break;
                    }
                }
                Ok(())
            }
        }
    }

    /// The first `limit` non-blank rows, with their line numbers, as owned strings.
    pub fn head(&self, limit: usize) -> Vec<(u64, Vec<String>)> {
        if let Source::Stream(stream) = self {
            return Source::Text { text: stream.head, format: stream.format }.head(limit);
        }
        let mut out = Vec::new();
        let _ = self.for_each_row(|pos, row| {
            if !row.is_blank() {
                out.push((pos.line, (0..row.len()).map(|i| row.get(i).unwrap_or("").to_string()).collect()));
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

/// A flexible CSV reader without headers for `format`'s delimiter.
fn csv_reader<R: std::io::Read>(format: Format, from: R) -> csv::Reader<R> {
    let delimiter = format.delimiter().unwrap_or(b',');
    csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(from)
}

/// Why a walk over CSV records stopped short.
#[derive(Debug)]
enum Stop {
    Csv(csv::Error),
    /// A record's bytes are not UTF-8 text.
    NotUtf8,
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Csv(e) => e.fmt(f),
            Stop::NotUtf8 => f.write_str("the text is not plain UTF-8"),
        }
    }
}

/// Hands each record of `reader` to `visit` with its line (`line_at` its byte offset) and how far
/// through `total` bytes it is; stops at a record that is not UTF-8.
fn walk_records<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    total: usize,
    mut line_at: impl FnMut(u64) -> (u64, u64),
    visit: &mut impl FnMut(Position, &dyn Row) -> ControlFlow<()>,
) -> Result<(), Stop> {
    let total = total.max(1) as f64;
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(Stop::Csv)? {
        let (line, byte) = line_at(record.position().map_or(0, |p| p.byte()));
        let pos = Position { line, byte, fraction: (byte as f64 / total).min(1.0) };
        let row = Record::checked(&record).ok_or(Stop::NotUtf8)?;
        if visit(pos, &row).is_break() {
            break;
        }
    }
    Ok(())
}

/// Turns byte offsets of records into 1-based line numbers, scanning the text once in all.
///
/// The CSV reader's own line count starts a record at the blank lines before it and counts only LF;
/// here a record starts at its first character and CR, LF and CRLF each end a line.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, offset: 0, line: 1 }
    }

    /// The line of the record the reader says starts at `record_start`, and where its first
    /// character is (past the line ends the reader counts as its start).
    fn line_at(&mut self, record_start: usize) -> (u64, u64) {
        self.offset = count_lines(self.bytes, self.offset, record_start, &mut self.line);
        (self.line, self.offset as u64)
    }
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

/// [`LineCounter`] for text that streams past: it keeps the bytes handed to the CSV reader from the
/// last record counted on (a few kilobytes: the reader's buffer and one record).
#[derive(Default)]
struct StreamLines {
    /// Bytes from stream offset `start` on.
    bytes: Vec<u8>,
    start: u64,
    /// Counted up to this stream offset, where this line begins.
    offset: u64,
    line: u64,
}

impl StreamLines {
    fn line_at(&mut self, record_start: u64) -> (u64, u64) {
        if self.line == 0 {
            self.line = 1;
        }
        let local = |at: u64| at.saturating_sub(self.start) as usize;
        let end = count_lines(&self.bytes, local(self.offset).min(self.bytes.len()), local(record_start), &mut self.line);
        self.offset = self.start + end as u64;
        // Let go of what is counted, now and then (not per record: that would copy the buffer each time).
        if end > 1 << 16 {
            self.bytes.drain(..end);
            self.start += end as u64;
        }
        (self.line, self.offset)
    }
}

/// Bytes for the CSV reader: `prefix`, then `rest`, checked for NUL bytes; each byte handed out is
/// kept for line counts.
///
/// Whether the text is UTF-8 is checked record by record ([`Record::checked`]): the CSV reader drops
/// only ASCII bytes (delimiters, quotes, line ends), so the bytes are UTF-8 exactly when every
/// record's fields are, save one case too rare to matter: a character cut in two by a doubled
/// quote inside a quoted cell is read whole.
struct Feed<'r> {
    prefix: &'r [u8],
    rest: &'r mut dyn std::io::Read,
    lines: std::rc::Rc<std::cell::RefCell<StreamLines>>,
    /// The text has NULs: reading stopped.
    unfit: bool,
}

impl<'r> Feed<'r> {
    fn new(prefix: &'r [u8], rest: &'r mut dyn std::io::Read, lines: std::rc::Rc<std::cell::RefCell<StreamLines>>) -> Self {
        Self { prefix, rest, lines, unfit: false }
    }
}

impl std::io::Read for Feed<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = if self.prefix.is_empty() {
            self.rest.read(out)?
        } else {
            let n = self.prefix.len().min(out.len());
            out[..n].copy_from_slice(&self.prefix[..n]);
            self.prefix = &self.prefix[n..];
            n
        };
        let got = &out[..n];
        if memchr::memchr(0, got).is_some() {
            self.unfit = true;
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "the text has NUL characters"));
        }
        self.lines.borrow_mut().bytes.extend_from_slice(got);
        Ok(n)
    }
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
                0..6,
            ),
        ) {
            let fields: Vec<Vec<u8>> = fields.into_iter().map(|f| f.concat()).collect();
            let record = csv::ByteRecord::from(fields.clone());
            let each: Option<Vec<&str>> = fields.iter().map(|f| std::str::from_utf8(f).ok()).collect();
            let row = Record::checked(&record);
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
        let cut = csv::ByteRecord::from(vec![b"x\xE8".to_vec(), b"\xAE\xA2y".to_vec()]);
        assert!(std::str::from_utf8(cut.as_slice()).is_ok());
        assert!(Record::checked(&cut).is_none());
        let whole = csv::ByteRecord::from(vec!["x订".as_bytes().to_vec(), b"y".to_vec()]);
        assert_eq!(
            Record::checked(&whole).map(|r| (r.get(0).map(str::to_string), r.get(1).map(str::to_string))),
            Some((Some("x订".into()), Some("y".into())))
        );
    }

    #[test]
    fn the_walk_stops_at_a_record_that_is_not_utf8() {
        let bytes: &[u8] = b"id,name\n2,\xe5\xae\xa2\xe6\x88\xb7\n1,caf\xe9\n3,x\n";
        let mut rows = Vec::new();
        let walked = walk_records(&mut csv_reader(Format::Csv, bytes), bytes.len(), |b| (b, b), &mut |_, row: &dyn Row| {
            rows.push((row.get(0).map(str::to_string), row.get(1).map(str::to_string)));
            ControlFlow::Continue(())
        });
        assert!(matches!(walked, Err(Stop::NotUtf8)));
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
