//! Ingest: the bytes of a file the user dropped in → a typed [`Dataset`] and a [`Report`] of what was
//! understood and what was rejected.
//!
//! One pass decides the layout (workbook or text; encoding; delimiter; header; roles) from the first
//! rows, then one pass over all rows converts only the mapped columns. A bad cell rejects its row
//! with the row, column, value and reason; it never stops the file. Only a file that cannot be a
//! table of customers at all is an [`IngestError`].

pub mod cfb_check;
pub mod encoding;
pub mod excel;
pub mod roles;
pub mod split;
pub mod table;
pub mod tally;

use self::excel::SheetInfo;
use self::roles::{Mapping, Profile, Reason, Role};
use self::split::{Pending, Plan, Split};
use self::table::{Format, Position, Row, Source};
use self::tally::{LeftOut, Notice, StatusCount, Tally};
use crate::core::dataset::{Categorical, Dataset, Held, OrderIds, Recent, Totals, MISSING, NO_SCORE};
use crate::core::values::{self, DateOrder, DecimalMark};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::ControlFlow;

/// How many leading rows decide layout, header and roles.
const HEAD_ROWS: usize = 1000;
/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 20;
/// Longest value quoted back in a rejection.
const MAX_QUOTED: usize = 200;
/// The largest file the browser app accepts: the worker holds the bytes, possibly a decoded copy,
/// and the dataset inside wasm32's 4 GiB address space.
pub const MAX_BROWSER_BYTES: u64 = 1 << 30;

/// A column named on the command line or picked in the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnRef {
    /// 1-based position.
    Position(usize),
    /// A header name, or failing that a 1-based position written as text (`--map date=3`).
    Spec(String),
}

/// One role assignment chosen by the user: `column: None` unmaps the role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapOverride {
    pub role: Role,
    pub column: Option<ColumnRef>,
}

impl MapOverride {
    /// Parses `ROLE=COLUMN` as written on the command line (`ROLE=` unmaps).
    ///
    /// # Errors
    /// A message naming the unknown role or the missing `=`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (role, column) = spec.split_once('=').ok_or_else(|| format!("--map expects ROLE=COLUMN, got '{spec}'"))?;
        let role = Role::from_key(role).ok_or_else(|| {
            let keys: Vec<&str> = Role::ALL.iter().map(|r| r.key()).collect();
            format!("unknown role '{role}' in --map; roles are {}", keys.join(", "))
        })?;
        let column = column.trim();
        Ok(Self { role, column: (!column.is_empty()).then(|| ColumnRef::Spec(column.to_string())) })
    }
}

/// Everything the user can override; `None` means detect.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestOptions {
    pub encoding: Option<String>,
    /// A text layout (delimiter); ignored for workbooks.
    pub format: Option<Format>,
    pub header: Option<bool>,
    /// Sheet name or 1-based position.
    pub sheet: Option<String>,
    pub date_order: Option<DateOrder>,
    pub decimal_mark: Option<DecimalMark>,
    pub map: Vec<MapOverride>,
    /// How each row's amount is made; `None`: from the amount column when one is mapped, else
    /// quantity × unit price.
    #[serde(default)]
    pub amount_from: Option<AmountFrom>,
    /// The order statuses to leave out, as written in the file; `None`: those that mean no sale.
    #[serde(default)]
    pub exclude_statuses: Option<Vec<String>>,
    /// The currency of the amounts (ISO code); `None`: from the symbols or codes in the file.
    #[serde(default)]
    pub currency: Option<String>,
}

/// Where each row's amount comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountFrom {
    /// The amount column (a line or order total).
    #[default]
    Amount,
    /// Quantity × unit price, line by line.
    #[serde(rename = "quantity_x_unit_price")]
    QuantityTimesUnitPrice,
    /// The unit price alone: one unit a line (no quantity column).
    UnitPrice,
}

impl AmountFrom {
    pub const ALL: [AmountFrom; 3] = [Self::Amount, Self::QuantityTimesUnitPrice, Self::UnitPrice];

    /// The key used in JSON and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Self::Amount => "amount",
            Self::QuantityTimesUnitPrice => "quantity_x_unit_price",
            Self::UnitPrice => "unit_price",
        }
    }

    pub fn from_key(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL.into_iter().find(|a| a.key() == s)
    }

    /// A line's amount from what its cells gave (`None` where a cell was missing or unreadable).
    fn line(self, amount: Option<f64>, quantity: Option<f64>, price: Option<f64>) -> Option<f64> {
        match self {
            Self::Amount => amount,
            Self::QuantityTimesUnitPrice => Some(money(quantity? * price?)),
            Self::UnitPrice => price,
        }
    }
}

/// A column of the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// 1-based.
    pub position: usize,
    /// The header text, or `column N` in a headerless file.
    pub name: String,
    pub role: Option<Role>,
    /// A few values from the first rows.
    pub samples: Vec<String>,
}

/// A column a role is mapped to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappedColumn {
    /// 1-based.
    pub column: usize,
    pub name: String,
    /// Why the column has the role.
    pub reason: Reason,
    /// [`Reason`] in words (English).
    pub why: String,
}

/// Rows without a customer id: guest checkouts, left out of the customer analyses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guests {
    pub rows: u64,
    /// Of the rows read.
    pub share: f64,
    /// Their amounts, netted.
    pub revenue: f64,
}

/// A row that was not accepted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// 1-based line in the file (row in the sheet for workbooks).
    pub row: u64,
    pub column: String,
    pub value: String,
    /// Why, in English.
    pub reason: String,
    /// The reason as a stable key (`date_no_such_day`, `amount_invalid`, …) for translations and scripts.
    pub code: String,
}

/// What ingest understood: the JSON printed by `loyalty-lens inspect` and shown on the summary screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub file: String,
    pub bytes: u64,
    pub format: Format,
    pub encoding: String,
    pub bom: bool,
    /// Some bytes were invalid in the encoding and were replaced.
    pub encoding_errors: bool,
    /// `,` `\t` `;` `|` or `whitespace`; absent for workbooks.
    pub delimiter: Option<String>,
    pub sheets: Vec<SheetInfo>,
    pub sheet: Option<String>,
    pub header: bool,
    pub columns: Vec<Column>,
    pub mapping: BTreeMap<Role, MappedColumn>,
    pub date_order: DateOrder,
    /// Dates like 03/04/2024 were seen and nothing in the file settles day or month first.
    pub date_order_ambiguous: bool,
    pub decimal_mark: DecimalMark,
    /// Data rows read (blank rows and the header excluded).
    pub rows: u64,
    pub rows_accepted: u64,
    pub rows_rejected: u64,
    /// Customers, orders, date range, revenue, refunds, responses (flattened into the JSON).
    #[serde(flatten)]
    pub totals: Totals,
    pub currency: Option<String>,
    pub preview: Vec<Vec<String>>,
    pub warnings: Vec<String>,
    pub rejected: Vec<Rejection>,
    /// How each row's amount was made (`amount`, `quantity_x_unit_price`, `unit_price`).
    pub amount_from: AmountFrom,
    /// Rows without a customer id, when there are any.
    pub guests: Option<Guests>,
    /// The order statuses, when a status column is mapped: rows, amounts, and whether left out.
    pub statuses: Vec<StatusCount>,
    /// Rows left out for their order status.
    pub rows_excluded: u64,
    /// Rows whose order id marks a cancellation (`C536379`): counted as returns.
    pub cancellations: u64,
    /// Rows whose refund is their whole amount: not orders.
    pub refunded_rows: u64,
    /// Lines without an amount of their own that belong to an order whose amount is on another
    /// line (order-level fields on the order's first line only).
    pub order_lines: u64,
    /// Cells of optional columns that could not be read, left out of their rows.
    pub cells_left_out: Vec<LeftOut>,
    /// Survey rows without a score.
    pub no_answer: u64,
    /// The date (line and text) that settled day-first or month-first after the head of the file
    /// left it open.
    pub date_order_settled_by: Option<(u64, String)>,
    /// The lines of the rows without a customer id.
    pub guest_lines: Vec<u64>,
    /// What reading did to rows besides rejecting them, as codes and numbers (English in
    /// `Display`; the app words them in its language).
    pub notices: Vec<Notice>,
}

/// Why a file cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestError {
    Empty,
    Binary(&'static str),
    Workbook(String),
    /// No column can be the customer id; `columns` are the file's columns, to choose one from.
    NoCustomerColumn {
        columns: Vec<String>,
    },
    UnknownColumn {
        role: Role,
        column: String,
        available: Vec<String>,
    },
    UnknownEncoding(String),
    NotText(Format),
    TooLarge {
        bytes: u64,
        limit: u64,
    },
    /// A row among the first has more fields than a table can have columns ([`table::MAX_COLUMNS`]).
    TooWide {
        line: u64,
    },
}

impl IngestError {
    /// A stable key for the error, for translations and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::Binary(_) => "binary",
            Self::Workbook(_) => "workbook",
            Self::NoCustomerColumn { .. } => "no_customer_column",
            Self::UnknownColumn { .. } => "unknown_column",
            Self::UnknownEncoding(_) => "unknown_encoding",
            Self::NotText(_) => "not_text",
            Self::TooLarge { .. } => "too_large",
            Self::TooWide { .. } => "too_wide",
        }
    }
}

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => write!(f, "the file is empty: it has no rows to read"),
            Self::Binary(kind) => write!(f, "this is {kind}, not a table of customers: choose a CSV, text or Excel file"),
            Self::Workbook(why) => write!(f, "{why}"),
            Self::NoCustomerColumn { .. } => write!(
                f,
                "no column looks like a customer id: map one (e.g. --map customer_id=COLUMN, a header name or 1-based position)"
            ),
            Self::UnknownColumn { role, column, available } => write!(
                f,
                "--map {}={column}: there is no such column; the columns are {}",
                role.key(),
                available.iter().enumerate().map(|(i, n)| format!("{} ({n})", i + 1)).collect::<Vec<_>>().join(", ")
            ),
            Self::UnknownEncoding(label) => write!(f, "unknown encoding '{label}' (try UTF-8, GBK, GB18030, UTF-16LE)"),
            Self::NotText(format) => write!(f, "'{}' is a workbook format; it cannot be forced on a text file", format.key()),
            Self::TooLarge { bytes, limit } => write!(
                f,
                "the file is {} MB; the browser app holds files up to {} MB: use the loyalty-lens command line for larger files",
                bytes / 1_000_000,
                limit / 1_000_000
            ),
            Self::TooWide { line } => write!(
                f,
                "line {line} has more than {} fields, more than a table can have columns: are the file's line ends missing?",
                table::MAX_COLUMNS
            ),
        }
    }
}

/// Ingest stages reported to a progress callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading a workbook's cells.
    Workbook,
    Decoding,
    Parsing,
}

/// The result of a successful ingest.
#[derive(Debug, Clone, PartialEq)]
pub struct Ingested {
    pub report: Report,
    pub dataset: Dataset,
}

/// The first bytes of a zip archive (an .xlsx workbook) and of an OLE compound file (an .xls one).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Recognises files that are certainly not tables, by their first bytes.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
        (b"Rar!", "a RAR archive"),
    ];
    for &(magic, kind) in MAGIC {
        if bytes.starts_with(magic) {
            return Some(kind);
        }
    }
    None
}

/// Text without NUL characters, when it has a few (under 10% of the first 8,192 characters) and
/// no other control characters; `None` when there is nothing to strip or it looks like binary data.
fn strip_stray_nuls(text: &str) -> Option<String> {
    if !text.contains('\0') {
        return None;
    }
    let window: Vec<char> = text.chars().take(8192).collect();
    let nul = window.iter().filter(|&&c| c == '\0').count();
    let other = window.iter().filter(|&&c| c != '\0' && (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')).count();
    (nul * 10 < window.len() && other * 100 <= window.len()).then(|| text.replace('\0', ""))
}

/// Text files that are plainly not tables: a web page saved as .csv (often a login page downloaded
/// instead of the export), or JSON.
fn text_kind(text: &str) -> Option<&'static str> {
    let start = text.trim_start_matches(is_blank);
    let head: String = start.chars().take(16).collect::<String>().to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return Some("an HTML web page");
    }
    let end = text.trim_end();
    if (start.starts_with('{') && end.ends_with('}'))
        || (start.starts_with('[') && end.ends_with(']') && start[1..].trim_start().starts_with(['{', '[', '"']))
    {
        return Some("a JSON document");
    }
    None
}

/// Text with many NUL or control characters is binary data, whatever its name says.
fn looks_binary(text: &str) -> bool {
    let window: Vec<char> = text.chars().take(8192).collect();
    if window.is_empty() {
        return false;
    }
    let control = window.iter().filter(|&&c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')).count();
    control * 100 > window.len()
}

/// Reads a file.
///
/// # Errors
/// [`IngestError`] when the file is not a usable table at all; bad rows are reported in
/// [`Report::rejected`] instead.
pub fn ingest(
    bytes: &[u8],
    file: &str,
    opts: &IngestOptions,
    progress: &mut dyn FnMut(Stage, f64),
) -> Result<Ingested, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(IngestError::Binary(kind));
    }
    progress(Stage::Decoding, 0.0);
    let is_zip = bytes.starts_with(ZIP_MAGIC);
    let is_ole = bytes.starts_with(OLE_MAGIC);
    if is_zip || is_ole {
        let grid =
            excel::read_sheet_with(bytes, opts.sheet.as_deref(), &mut |f| progress(Stage::Workbook, f)).map_err(|e| match e {
                excel::ExcelError::Unreadable(_) if is_zip => IngestError::Workbook(format!(
                    "this is a zip archive but not a readable Excel workbook ({e}); save it as .xlsx or CSV and try again"
                )),
                other => IngestError::Workbook(format!("Excel: {other}")),
            })?;
        let format = if is_zip { Format::Xlsx } else { Format::Xls };
        let layout = Layout {
            file: file.to_string(),
            bytes: bytes.len() as u64,
            format,
            encoding: "n/a (workbook)".into(),
            bom: false,
            encoding_errors: false,
            sheets: grid.sheets.clone(),
            sheet: Some(grid.sheet.clone()),
        };
        let source = Source::Grid(&grid);
        progress(Stage::Decoding, 1.0);
        return read_table(&source, layout, opts, None, progress).map(Table::into_read);
    }
    if opts.format.is_some_and(|f| f.delimiter().is_none() && f != Format::Whitespace) {
        return Err(IngestError::NotText(opts.format.unwrap_or(Format::Csv)));
    }
    let forced = opts.encoding.as_deref().filter(|e| !e.trim().is_empty());
    let (detected, checked_utf8) = match forced {
        Some(label) => {
            let enc = encoding::from_label(label).ok_or_else(|| IngestError::UnknownEncoding(label.to_string()))?;
            (
                encoding::Detected { encoding: enc, bom: encoding_rs::Encoding::for_bom(bytes).is_some_and(|(e, _)| e == enc) },
                None,
            )
        }
        None => encoding::detect_and_check(bytes),
    };
    let mixed = if forced.is_some() || detected.bom { None } else { encoding::decode_mixed(bytes, detected.encoding) };
    let encoding_label = match &mixed {
        Some(m) if m.legacy_lines == 0 => "UTF-8".to_string(),
        Some(m) => format!("UTF-8 and {} (mixed: {} line(s) in {0})", encoding::label(detected.encoding), m.legacy_lines),
        None => encoding::label(detected.encoding).to_string(),
    };
    let mut decoded = match mixed {
        Some(m) => m.decoded,
        None => match checked_utf8 {
            Some(text) => encoding::Decoded { text: std::borrow::Cow::Borrowed(text), had_errors: false },
            None => encoding::decode(bytes, detected.encoding),
        },
    };
    progress(Stage::Decoding, 1.0);
    if let Some(stripped) = strip_stray_nuls(&decoded.text) {
        // A few NUL bytes in otherwise plain text (padding from some database exports): dropped,
        // and the file is flagged as having had undecodable bytes.
        decoded = encoding::Decoded { text: std::borrow::Cow::Owned(stripped), had_errors: true };
    }
    if looks_binary(&decoded.text) {
        return Err(IngestError::Binary("binary data"));
    }
    if let Some(kind) = text_kind(&decoded.text) {
        return Err(IngestError::Binary(kind));
    }
    let format = opts.format.unwrap_or_else(|| table::sniff_format(&decoded.text));
    let text = if format == Format::Whitespace {
        table::normalise_line_endings(&decoded.text)
    } else {
        std::borrow::Cow::Borrowed(decoded.text.as_ref())
    };
    let layout = Layout {
        file: file.to_string(),
        bytes: bytes.len() as u64,
        format,
        encoding: encoding_label,
        bom: detected.bom,
        encoding_errors: decoded.had_errors,
        sheets: Vec::new(),
        sheet: None,
    };
    read_table(&Source::Text { text: &text, format }, layout, opts, None, progress).map(Table::into_read)
}

/// What [`ingest_stream`] made of a file.
#[derive(Debug)]
pub enum Streamed {
    Read(Box<Ingested>),
    /// The rows before the split point were read ([`Split`]); [`Pending::join`] adds the rest.
    Split(Box<Pending>),
    /// The file is not UTF-8 text in a delimited layout, or turned out not to be part-way (a line in
    /// another encoding, NUL bytes): read it whole with [`ingest`].
    Whole,
}

/// How much of a file [`ingest_stream`] wants in memory first: enough to work out its layout and
/// read its header and first rows.
pub const STREAM_PREFIX: usize = 8 << 20;

/// Reads a file as it streams in: `prefix` (its first [`STREAM_PREFIX`] bytes, or all of it), then
/// `rest`, `total` bytes in all, never holding more than a few megabytes of it. For UTF-8 text in a
/// delimited layout (CSV, TSV, …), the common case, the result is exactly what [`ingest`] gives for
/// the same bytes; for anything else it says [`Streamed::Whole`] and [`ingest`] must read the file.
///
/// With a `split`, another reader may take the rows after the split point (see [`crate::core::ingest::split`]).
///
/// # Errors
/// As [`ingest`], and when reading `rest` fails.
pub fn ingest_stream(
    prefix: &[u8],
    rest: &mut dyn std::io::Read,
    total: u64,
    file: &str,
    opts: &IngestOptions,
    split: Option<Split<'_>>,
    progress: &mut dyn FnMut(Stage, f64),
) -> Result<Streamed, IngestError> {
    let mut pushed = match ingest_pushed(prefix, total, file, opts, split, progress)? {
        Begun::Whole => return Ok(Streamed::Whole),
        Begun::Pushing(pushed) => pushed,
    };
    let mut buffer = vec![0u8; 256 * 1024];
    while pushed.wants_more() {
        let n = match rest.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(IngestError::Workbook(format!("the file could not be read: {e}"))),
        };
        pushed.push(&buffer[..n], progress);
    }
    Ok(pushed.finish(progress))
}

/// A file read as its bytes are pushed in as they arrive (the browser's asynchronous reads):
/// [`ingest_pushed`] starts it, [`Pushed::push`] takes each next chunk of the file,
/// [`Pushed::finish`] gives what [`ingest_stream`] (which pushes what it reads) gives.
pub struct Pushed {
    reading: Reading,
    walker: table::Walker,
    /// No more bytes are wanted: the rows up to the split point are read, or the text turned out
    /// not to fit ([`Streamed::Whole`]).
    over: bool,
    unfit: bool,
}

/// How [`ingest_pushed`] starts.
pub enum Begun {
    /// Push the rest of the file.
    Pushing(Box<Pushed>),
    /// Read the file whole with [`ingest`] (as [`Streamed::Whole`]).
    Whole,
}

/// Starts reading a file whose bytes are pushed in: `prefix` as for [`ingest_stream`]; the bytes
/// after it go to [`Pushed::push`].
///
/// # Errors
/// As [`ingest`], for what the head of the file shows (no customer column, a column that is not
/// there).
pub fn ingest_pushed(
    prefix: &[u8],
    total: u64,
    file: &str,
    opts: &IngestOptions,
    split: Option<Split<'_>>,
    progress: &mut dyn FnMut(Stage, f64),
) -> Result<Begun, IngestError> {
    let Some(start) = stream_start(prefix, total, file, opts) else { return Ok(Begun::Whole) };
    progress(Stage::Decoding, 1.0);
    let format = start.layout.format;
    // The head is read from the text in memory.
    let head = Source::Text { text: start.head, format };
    let reading = prepare(&head, start.layout, opts, split)?;
    let mut pushed = Pushed { reading, walker: table::Walker::new(format, start.text_bytes), over: false, unfit: false };
    pushed.push(start.body, progress);
    Ok(Begun::Pushing(Box::new(pushed)))
}

impl Pushed {
    /// Whether more bytes are wanted (not once the rows up to the split point are read, or the
    /// text turned out not to fit).
    pub fn wants_more(&self) -> bool {
        !self.over
    }

    /// Reads the rows in `bytes`, the next bytes of the file. Returns whether more are wanted.
    pub fn push(&mut self, bytes: &[u8], progress: &mut dyn FnMut(Stage, f64)) -> bool {
        if self.over {
            return false;
        }
        if memchr::memchr(0, bytes).is_some() {
            self.unfit = true;
        } else {
            let Pushed { reading, walker, .. } = self;
            match walker.feed(bytes, &mut |pos, row| reading.visit(pos, row, progress)) {
                Ok(ControlFlow::Continue(())) => return true,
                Ok(ControlFlow::Break(())) => {}
                Err(_) => self.unfit = true,
            }
        }
        self.over = true;
        false
    }

    /// What was read, once the file's last bytes are pushed (or no more were wanted).
    pub fn finish(mut self, progress: &mut dyn FnMut(Stage, f64)) -> Streamed {
        if !self.over {
            let Pushed { reading, walker, .. } = &mut self;
            if walker.finish(&mut |pos, row| reading.visit(pos, row, progress)).is_err() {
                self.unfit = true;
            }
        }
        if self.unfit {
            return Streamed::Whole;
        }
        progress(Stage::Parsing, 1.0);
        self.reading.into_table().into_streamed()
    }
}

/// A file that can be read as it streams in: how it is laid out, the text its head is read from
/// (the prefix up to its last line end), and the text after the byte order mark.
struct StreamStart<'p> {
    layout: Layout,
    head: &'p str,
    body: &'p [u8],
    /// Bytes of text in all (the file's, less the byte order mark).
    text_bytes: u64,
}

/// Whether a file whose first bytes are `prefix` streams (UTF-8 delimited text), and how.
fn stream_start<'p>(prefix: &'p [u8], total: u64, file: &str, opts: &IngestOptions) -> Option<StreamStart<'p>> {
    let forced = opts.encoding.as_deref().is_some_and(|e| !e.trim().is_empty());
    let workbook = prefix.starts_with(ZIP_MAGIC) || prefix.starts_with(OLE_MAGIC);
    if forced
        || workbook
        || prefix.iter().all(u8::is_ascii_whitespace)
        || binary_kind(prefix).is_some()
        || opts.format.is_some_and(|f| f.delimiter().is_none())
    {
        return None;
    }
    let bom = match encoding_rs::Encoding::for_bom(prefix) {
        Some((e, n)) if e == encoding_rs::UTF_8 => n,
        Some(_) => return None,
        None if encoding::utf16_without_bom(prefix).is_some() => return None,
        None => 0,
    };
    let body = &prefix[bom..];
    // The prefix may end inside a character; the rest of it comes with the next bytes.
    let checked = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default(),
        Err(_) => return None,
    };
    let start = checked.trim_start_matches(is_blank);
    if checked.contains('\0') || looks_binary(checked) || text_kind(checked).is_some() || start.starts_with(['{', '[']) {
        return None;
    }
    let format = opts.format.unwrap_or_else(|| table::sniff_format(checked));
    format.delimiter()?;
    // The header and first rows come from complete lines; they must all be there.
    let more = (prefix.len() as u64) < total;
    let head = match checked.rfind('\n') {
        _ if !more => checked,
        Some(i) => &checked[..=i],
        None => return None,
    };
    if more && (Source::Text { text: head, format }).head(HEAD_ROWS + 1).len() <= HEAD_ROWS {
        return None;
    }
    let layout = Layout {
        file: file.to_string(),
        bytes: total,
        format,
        encoding: "UTF-8".into(),
        bom: bom > 0,
        encoding_errors: false,
        sheets: Vec::new(),
        sheet: None,
    };
    Some(StreamStart { layout, head, body, text_bytes: total.saturating_sub(bom as u64) })
}

/// What was decided about the file before its rows are read.
#[derive(Debug)]
struct Layout {
    file: String,
    bytes: u64,
    format: Format,
    encoding: String,
    bom: bool,
    encoding_errors: bool,
    sheets: Vec<SheetInfo>,
    sheet: Option<String>,
}

fn resolve(column: &ColumnRef, names: &[String]) -> Option<usize> {
    match column {
        ColumnRef::Position(p) => p.checked_sub(1).filter(|&i| i < names.len()),
        ColumnRef::Spec(spec) => {
            let spec = spec.trim();
            names
                .iter()
                .position(|n| n == spec)
                .or_else(|| names.iter().position(|n| roles::normalise_name(n) == roles::normalise_name(spec)))
                .or_else(|| spec.parse::<usize>().ok().and_then(|p| p.checked_sub(1)).filter(|&i| i < names.len()))
        }
    }
}

/// The longest customer id accepted, in characters: longer "ids" are a column of something else
/// (comments, a whole row pasted into one cell).
const MAX_ID_CHARS: usize = 256;

/// Whitespace and the invisible characters that copy-paste leaves around ids (zero-width space and
/// joiners, word joiner, a stray byte-order mark): `c1` and `c1` + U+200B are the same customer.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// `s.trim_matches(blank)`, for a `blank` that holds for no printable ASCII character: most cells
/// start and end with one, and are returned without walking their characters.
fn trim_with(s: &str, blank: fn(char) -> bool) -> &str {
    let b = s.as_bytes();
    if b.first().is_some_and(u8::is_ascii_graphic) && b.last().is_some_and(u8::is_ascii_graphic) {
        s
    } else {
        s.trim_matches(blank)
    }
}

fn quote(value: &str) -> String {
    if value.chars().count() > MAX_QUOTED {
        let cut: String = value.chars().take(MAX_QUOTED).collect();
        format!("{cut}…")
    } else {
        value.to_string()
    }
}

fn read_table(
    source: &Source,
    layout: Layout,
    opts: &IngestOptions,
    split: Option<Split<'_>>,
    progress: &mut dyn FnMut(Stage, f64),
) -> Result<Table, IngestError> {
    let mut reading = prepare(source, layout, opts, split)?;
    source
        .for_each_row(|pos, row| reading.visit(pos, row, progress))
        .map_err(|e| IngestError::Workbook(format!("the file could not be read: {e}")))?;
    progress(Stage::Parsing, 1.0);
    Ok(reading.into_table())
}

/// A table being read: what was decided from its head, and the rows so far.
struct Reading {
    head: Head,
    reader: RowReader,
    customer_col: Option<usize>,
    /// Rows up to and including this line are titles or the header.
    start_after: u64,
    /// Where the rows stop (a byte of the file): another reader reads from there on.
    stop_at: Option<u64>,
    /// Bytes before the text (a byte order mark): offsets in the text are offsets in the file less these.
    skipped: u64,
    /// Where the rows stopped at `stop_at` (the record's byte and line).
    stopped: Option<(u64, u64)>,
    last_reported: usize,
}

/// Works out a table's layout from its head (header, titles, column roles, date order, decimal
/// mark) and gets ready to read its rows.
fn prepare(source: &Source, layout: Layout, opts: &IngestOptions, split: Option<Split<'_>>) -> Result<Reading, IngestError> {
    let head = source.head(HEAD_ROWS + 1);
    if head.is_empty() {
        return Err(IngestError::Empty);
    }
    let mut warnings = Vec::new();
    if layout.encoding_errors {
        warnings.push(format!(
            "some bytes are not valid {}; they were replaced with �. If text looks garbled, choose another encoding.",
            layout.encoding
        ));
    }
    // Report titles above the header ("订单报表 2024年") have a single cell; skip them.
    let width = table::typical_width(&head);
    let titles = if width >= 3 {
        head.iter().take_while(|(_, r)| r.iter().filter(|c| !c.trim().is_empty()).count() == 1).count()
    } else {
        0
    };
    let titles = titles.min(head.len().saturating_sub(1));
    if titles > 0 {
        warnings.push(format!("skipped {titles} title line(s) above the table"));
    }
    let head = &head[titles..];
    // A row of tens of thousands of fields (the whole file on one line) is not a table: its columns
    // would not fit on a page, nor their profiles in the time a page has.
    if let Some((line, _)) = head.iter().find(|(_, r)| r.len() > table::MAX_COLUMNS) {
        return Err(IngestError::TooWide { line: *line });
    }
    let header = opts.header.unwrap_or_else(|| {
        let below: Vec<Vec<String>> = head.iter().skip(1).take(200).map(|(_, r)| r.clone()).collect();
        roles::looks_like_header(&head[0].1, &below)
    });
    let data_head: Vec<&(u64, Vec<String>)> = head.iter().skip(usize::from(header)).take(HEAD_ROWS).collect();
    let ncols = head.iter().map(|(_, r)| r.len()).max().unwrap_or(0).max(if header { head[0].1.len() } else { 0 });
    let names: Vec<String> = (0..ncols)
        .map(|i| {
            let name = if header { head[0].1.get(i).map(|s| s.trim().trim_start_matches('\u{feff}').to_string()) } else { None };
            name.filter(|n| !n.is_empty()).unwrap_or_else(|| format!("column {}", i + 1))
        })
        .collect();
    {
        let mut seen = std::collections::HashSet::new();
        for n in &names {
            if !seen.insert(n) {
                warnings.push(format!("the header names '{n}' more than once; the first such column is used when named"));
            }
        }
    }
    let start_after = if header || titles > 0 { head[0].0.saturating_sub(u64::from(!header)) } else { 0 };
    let cells_of = |i: usize| -> Vec<&str> { data_head.iter().filter_map(|(_, r)| Row::get(r, i)).collect() };
    let profiles: Vec<Profile> = (0..ncols).map(|i| roles::profile(&cells_of(i))).collect();
    let proposal_names: Vec<String> = if header { names.clone() } else { vec![String::new(); ncols] };
    let proposal = roles::propose_with_reasons(&proposal_names, &profiles);
    let (mut mapping, mut reasons): (Mapping, BTreeMap<Role, Reason>) = (proposal.mapping, proposal.reasons);
    for o in &opts.map {
        mapping.remove(&o.role);
        reasons.remove(&o.role);
        if let Some(col) = &o.column {
            let i = resolve(col, &names).ok_or_else(|| IngestError::UnknownColumn {
                role: o.role,
                column: match col {
                    ColumnRef::Position(p) => p.to_string(),
                    ColumnRef::Spec(s) => s.clone(),
                },
                available: names.clone(),
            })?;
            // A column serves one role: moving it here unmaps it elsewhere.
            mapping.retain(|_, &mut j| j != i);
            mapping.insert(o.role, i);
            reasons.insert(o.role, Reason::Chosen);
        }
    }
    reasons.retain(|r, _| mapping.contains_key(r));
    // The amount: a total when one is mapped (it wins over a unit price), else made from the unit
    // price. What the user chose stands if its columns are mapped.
    let has = |r: Role| mapping.contains_key(&r);
    let amount_from = match opts.amount_from {
        Some(AmountFrom::QuantityTimesUnitPrice) if has(Role::Quantity) && has(Role::UnitPrice) => {
            AmountFrom::QuantityTimesUnitPrice
        }
        Some(AmountFrom::UnitPrice) if has(Role::UnitPrice) => AmountFrom::UnitPrice,
        _ if has(Role::Amount) => AmountFrom::Amount,
        _ if has(Role::UnitPrice) && has(Role::Quantity) => AmountFrom::QuantityTimesUnitPrice,
        _ if has(Role::UnitPrice) => AmountFrom::UnitPrice,
        _ => AmountFrom::Amount,
    };
    let money_col = match amount_from {
        AmountFrom::Amount => mapping.get(&Role::Amount).copied(),
        _ => mapping.get(&Role::UnitPrice).copied(),
    };
    // A survey file (answers, no amounts) may leave customers anonymous; transactions may not.
    let survey = mapping.contains_key(&Role::Score) && money_col.is_none();
    let customer_col = match mapping.get(&Role::CustomerId) {
        Some(&i) => Some(i),
        None if survey => None,
        None => return Err(IngestError::NoCustomerColumn { columns: names.clone() }),
    };
    if survey && customer_col.is_none() {
        warnings.push("no customer id column: the answers count for NPS but cannot be joined to purchases".into());
    }
    let (date_order, date_order_ambiguous) = match (opts.date_order, mapping.get(&Role::Date)) {
        (Some(order), _) => (order, false),
        (None, Some(&i)) => values::detect_date_order(cells_of(i)),
        (None, None) => (DateOrder::Ymd, false),
    };
    // The head left it open: the rest of the column may settle it (`1/13/2011` further down).
    let date_provisional = date_order_ambiguous;
    let decimal_mark =
        opts.decimal_mark.unwrap_or_else(|| money_col.map_or(DecimalMark::Dot, |i| values::detect_decimal_mark(cells_of(i))));
    // Numeric customer ids: `0` is no customer (a shop's guest checkout), not one customer who
    // bought everything no one else did.
    let zero_is_guest = customer_col.is_some_and(|i| {
        let ids: Vec<&str> = cells_of(i).into_iter().map(str::trim).filter(|c| !c.is_empty()).collect();
        let digits = ids.iter().filter(|c| c.bytes().all(|b| b.is_ascii_digit())).count();
        !ids.is_empty() && digits * 10 >= ids.len() * 9
    });
    // Invoice numbers with a cancellation marker (`C536379` beside `536379`): ids of digits.
    let cancel_prefix = mapping.get(&Role::OrderId).is_some_and(|&i| {
        let ids: Vec<&str> = cells_of(i).into_iter().map(str::trim).filter(|c| !c.is_empty()).collect();
        let digits = ids.iter().filter(|c| c.bytes().all(|b| b.is_ascii_digit())).count();
        !ids.is_empty()
            && digits * 2 >= ids.len()
            && ids.iter().all(|c| c.bytes().all(|b| b.is_ascii_digit()) || is_cancellation(c))
    });

    let currency_chosen = opts.currency.clone().filter(|c| !c.trim().is_empty()).map(|c| c.trim().to_ascii_uppercase());
    // The most frequent three-letter code of a currency column.
    let currency_column = (|| {
        let col = names.iter().position(|n| {
            matches!(roles::normalise_name(n).as_str(), "currency" | "ordercurrency" | "currencycode" | "币种" | "货币")
        })?;
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for c in cells_of(col) {
            let c = c.trim();
            if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
                *counts.entry(c.to_ascii_uppercase()).or_default() += 1;
            }
        }
        counts.into_iter().max_by_key(|&(_, n)| n).map(|(c, _)| c)
    })();
    let columns: Vec<Column> = (0..ncols)
        .map(|i| Column {
            position: i + 1,
            name: names[i].clone(),
            role: mapping.iter().find(|(_, &j)| j == i).map(|(&r, _)| r),
            samples: cells_of(i).into_iter().filter(|c| !c.trim().is_empty()).take(3).map(quote).collect(),
        })
        .collect();
    let preview: Vec<Vec<String>> = data_head
        .iter()
        .take(PREVIEW_ROWS)
        .map(|(_, r)| (0..ncols).map(|i| r.get(i).map(quote).unwrap_or_default()).collect())
        .collect();

    let plan = Plan {
        format: layout.format,
        names: names.clone(),
        mapping: mapping.clone(),
        date_order,
        decimal_mark,
        survey,
        customer_col,
        amount_from,
        cancel_prefix,
        date_provisional,
        zero_is_guest,
        exclude_statuses: opts.exclude_statuses.clone(),
        rows: expected_rows(source, layout.bytes, data_head.iter().map(|(_, r)| r)),
        at: 0,
        total: layout.bytes,
    };
    let mut reader = RowReader::new(&plan);
    reader.reserve(plan.rows);
    let stop_at = split.and_then(|split| {
        let plan = Plan { at: split.at, ..plan };
        (split.begin)(&plan).then_some(split.at)
    });
    let skipped = if layout.bom { 3 } else { 0 };
    let head = Head {
        layout,
        header,
        columns,
        mapping: mapping
            .iter()
            .map(|(&r, &i)| {
                let reason = reasons.get(&r).cloned().unwrap_or(Reason::Chosen);
                (r, MappedColumn { column: i + 1, name: names[i].clone(), why: reason.to_string(), reason })
            })
            .collect(),
        amount_from,
        date_order,
        date_order_ambiguous,
        decimal_mark,
        preview,
        warnings,
        currency_chosen,
        currency_column,
    };
    Ok(Reading { head, reader, customer_col, start_after, stop_at, skipped, stopped: None, last_reported: 0 })
}

impl Reading {
    /// Reads one row of the table (titles, the header and blank rows are passed over); breaks at
    /// the split point.
    fn visit(&mut self, pos: Position, row: &dyn Row, progress: &mut dyn FnMut(Stage, f64)) -> ControlFlow<()> {
        if pos.line > self.start_after {
            if self.stop_at.is_some_and(|at| pos.byte + self.skipped >= at) {
                self.stopped = Some((pos.byte + self.skipped, pos.line));
                return ControlFlow::Break(());
            }
            if !row.is_blank() {
                self.reader.read(pos, row, self.customer_col);
                if self.reader.rows - self.last_reported >= 1 << 16 {
                    self.last_reported = self.reader.rows;
                    let fraction =
                        self.stop_at.map_or(pos.fraction, |at| ((pos.byte + self.skipped) as f64 / at as f64).min(1.0));
                    progress(Stage::Parsing, fraction);
                }
            }
        }
        ControlFlow::Continue(())
    }

    /// The rows read: all of them, or those before the split point.
    fn into_table(self) -> Table {
        let Reading { head, reader, stopped, .. } = self;
        match stopped {
            Some((at, line)) => Table::Stopped(Box::new(Pending { head, reader, at, line })),
            None => Table::Read(Box::new(head.finish(reader))),
        }
    }
}

/// What [`read_table`] made of the rows: all of them, or those before the point where another
/// reader took over.
enum Table {
    Read(Box<Ingested>),
    Stopped(Box<Pending>),
}

impl Table {
    fn into_streamed(self) -> Streamed {
        match self {
            Table::Read(i) => Streamed::Read(i),
            Table::Stopped(pending) => Streamed::Split(pending),
        }
    }

    /// The table of a read without a split point, which always reads all rows.
    fn into_read(self) -> Ingested {
        match self {
            Table::Read(i) => *i,
            Table::Stopped(pending) => pending.head.finish(pending.reader),
        }
    }
}

/// What was decided from the head of the file, for its report.
#[derive(Debug)]
pub(crate) struct Head {
    layout: Layout,
    header: bool,
    columns: Vec<Column>,
    mapping: BTreeMap<Role, MappedColumn>,
    amount_from: AmountFrom,
    date_order: DateOrder,
    date_order_ambiguous: bool,
    decimal_mark: DecimalMark,
    preview: Vec<Vec<String>>,
    warnings: Vec<String>,
    /// The currency chosen by the user.
    currency_chosen: Option<String>,
    /// The currency a currency column names (`Currency`, `order_currency`, `币种`).
    currency_column: Option<String>,
}

impl Head {
    pub(crate) fn finish(self, mut reader: RowReader) -> Ingested {
        reader.flush();
        let RowReader { mut dataset, mut rejected, rows, currencies, tally, .. } = reader;
        let mut warnings = self.warnings;
        let Tally {
            guest_rows,
            guest_amount,
            guest_lines,
            mut statuses,
            cancellations,
            refunded_rows,
            order_lines,
            excluded_orders,
            mut left_out,
            no_answer,
            day_first,
            month_first,
            settled_by,
            undecided_rows,
        } = tally;
        // Lines without an amount belong to an order only if the order has a line with one.
        let mut merged_lines = order_lines.len() as u64;
        let mut excluded_lines = 0u64;
        if !order_lines.is_empty() {
            let known: std::collections::HashSet<u64> =
                dataset.order.as_ref().map(|o| o.keys.iter().copied().collect()).unwrap_or_default();
            let column = self.mapping.get(&Role::Amount).map_or_else(String::new, |m| m.name.clone());
            let excluded: std::collections::HashSet<u64> = excluded_orders.iter().copied().collect();
            // Lines of orders left out for their status go with them.
            let dropped = order_lines.iter().filter(|(k, _)| !known.contains(k) && excluded.contains(k)).count() as u64;
            excluded_lines += dropped;
            let orphans: Vec<u64> =
                order_lines.iter().filter(|(k, _)| !known.contains(k) && !excluded.contains(k)).map(|&(_, l)| l).collect();
            merged_lines -= orphans.len() as u64 + dropped;
            for line in orphans {
                let reason = "amount is empty, and no other line of its order has one".to_string();
                rejected.push(Rejection {
                    row: line,
                    column: column.clone(),
                    value: String::new(),
                    reason,
                    code: "amount_empty".into(),
                });
            }
            rejected.sort_by_key(|r| r.row);
        }
        // Most rows first, then by name: the lists do not depend on the order of the file's rows.
        statuses.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.status.cmp(&b.status)));
        left_out.sort_by_key(|l| l.role);
        let mut notices = Vec::new();
        let (mut date_order, mut date_order_ambiguous) = (self.date_order, self.date_order_ambiguous);
        if date_order_ambiguous {
            match (day_first > 0, month_first > 0) {
                (true, false) => {
                    // Read month first until the file said otherwise: turn the undecided ones round.
                    if let Some(days) = dataset.day.as_mut() {
                        for &i in &undecided_rows {
                            if let Some(d) = days.get_mut(i as usize) {
                                let (y, m, dd) = values::ymd_from_day(*d);
                                if let Some(swapped) = values::day_from_ymd(y, dd, m) {
                                    *d = swapped;
                                }
                            }
                        }
                    }
                    (date_order, date_order_ambiguous) = (DateOrder::Dmy, false);
                }
                (false, true) => (date_order, date_order_ambiguous) = (DateOrder::Mdy, false),
                (true, true) => warnings.push(format!(
                    "the date column has day-first dates ({day_first}, such as 13/01) and month-first dates ({month_first}, such as 01/13); those with both parts 12 or under were read month first: choose the date order if that is wrong"
                )),
                (false, false) => warnings.push("dates such as 03/04/2024 could be day-first or month-first; month-first was assumed: choose the date order if that is wrong".into()),
            }
            if let (false, Some((line, text))) = (date_order_ambiguous, &settled_by) {
                notices.push(Notice::DateOrderSettled {
                    day_first: date_order == DateOrder::Dmy,
                    line: *line,
                    text: text.clone(),
                });
            }
        }
        let guests = (guest_rows > 0).then(|| Guests {
            rows: guest_rows,
            share: guest_rows as f64 / rows.max(1) as f64,
            revenue: (guest_amount * 100.0).round() / 100.0 + 0.0,
        });
        if let Some(g) = &guests {
            notices.push(Notice::Guests { rows: g.rows, share: g.share, amount: g.revenue });
        }
        let rows_excluded: u64 = statuses.iter().filter(|s| s.excluded).map(|s| s.rows).sum::<u64>() + excluded_lines;
        if rows_excluded > 0 {
            let left: Vec<(String, u64)> = statuses.iter().filter(|s| s.excluded).map(|s| (s.status.clone(), s.rows)).collect();
            notices.push(Notice::StatusesLeftOut { rows: rows_excluded, lines: excluded_lines, statuses: left });
        }
        if merged_lines > 0 {
            notices.push(Notice::OrderLines { lines: merged_lines });
        }
        if cancellations > 0 {
            notices.push(Notice::Cancellations { rows: cancellations });
        }
        if refunded_rows > 0 {
            notices.push(Notice::RefundedInFull { rows: refunded_rows });
        }
        for l in &left_out {
            notices.push(Notice::CellsLeftOut { role: l.role, cells: l.cells, row: l.row, value: l.value.clone() });
        }
        if no_answer > 0 {
            notices.push(Notice::NoAnswer { rows: no_answer });
        }
        let totals = dataset.totals();
        // Chosen, else written with the amounts, else named by a currency column.
        let written = currencies.into_iter().max_by_key(|&(_, n)| n).map(|(c, _)| c.into_owned());
        let currency = self.currency_chosen.or(written).or(self.currency_column);
        let layout = self.layout;
        let report = Report {
            file: layout.file,
            bytes: layout.bytes,
            format: layout.format,
            encoding: layout.encoding,
            bom: layout.bom,
            encoding_errors: layout.encoding_errors,
            delimiter: layout.format.delimiter_label().map(str::to_string),
            sheets: layout.sheets,
            sheet: layout.sheet,
            header: self.header,
            columns: self.columns,
            mapping: self.mapping,
            date_order,
            date_order_ambiguous,
            decimal_mark: self.decimal_mark,
            rows: rows as u64,
            rows_accepted: dataset.rows() as u64,
            rows_rejected: rejected.len() as u64,
            totals,
            currency,
            preview: self.preview,
            warnings,
            rejected,
            amount_from: self.amount_from,
            guests,
            notices,
            statuses,
            rows_excluded,
            cancellations,
            refunded_rows,
            order_lines: merged_lines,
            cells_left_out: left_out,
            no_answer,
            date_order_settled_by: if date_order_ambiguous { None } else { settled_by },
            guest_lines,
        };
        Ingested { report, dataset }
    }
}

/// About how many rows `source` holds, from its size and the length of its first rows (a little
/// more than that, so that a slightly longer tail does not make the columns grow).
fn expected_rows<'r>(source: &Source, bytes: u64, head: impl Iterator<Item = &'r Vec<String>>) -> usize {
    match source {
        Source::Grid(grid) => grid.rows.len(),
        Source::Text { .. } => {
            let (mut n, mut len) = (0usize, 0usize);
            for row in head {
                n += 1;
                // The cells, a separator after each (the last one's is the line end), quotes unknown.
                len += row.iter().map(|c| c.len() + 1).sum::<usize>();
            }
            if n == 0 || len == 0 {
                return 0;
            }
            let estimate = bytes as f64 / (len as f64 / n as f64) * 1.1;
            // Never more than one row per two bytes, whatever the head says.
            estimate.min(bytes as f64 / 2.0) as usize
        }
    }
}

/// Converts the mapped cells of each row, appending to the dataset or recording a rejection.
#[derive(Debug)]
pub(crate) struct RowReader {
    names: Vec<String>,
    cols: Vec<(Role, usize)>,
    date_order: DateOrder,
    decimal_mark: DecimalMark,
    pub(crate) dataset: Dataset,
    pub(crate) rejected: Vec<Rejection>,
    pub(crate) rows: usize,
    pub(crate) currencies: BTreeMap<std::borrow::Cow<'static, str>, usize>,
    /// What the rows showed besides rejections.
    pub(crate) tally: Tally,
    /// Survey answers: the customer id may be empty (an anonymous answer), the score may not.
    survey: bool,
    amount_from: AmountFrom,
    cancel_prefix: bool,
    date_provisional: bool,
    zero_is_guest: bool,
    exclude_statuses: Option<Vec<String>>,
    /// Columns read before the others: the amount (order lines), the order id, the status.
    amount_col: Option<usize>,
    order_col: Option<usize>,
    status_col: Option<usize>,
    /// Customer ids read but not yet interned: their rows' codes are [`HELD`] until
    /// [`RowReader::flush`].
    held: Held,
    /// Channels, categories and member levels seen first.
    recent: [Recent; 3],
}

/// The code of a row whose customer id is held to be interned with the next batch.
const HELD: u32 = MISSING - 1;

/// One row's converted values before they are committed.
#[derive(Default)]
struct Parsed<'r> {
    day: values::Day,
    amount: f64,
    price: f64,
    quantity: Option<f64>,
    refund: f64,
    score: u8,
    /// The date had both parts 12 or under while the date order is open.
    undecided: bool,
    texts: [&'r str; 5],
}

/// An invoice id with the cancellation marker: `C` and digits (`C536379`).
fn is_cancellation(id: &str) -> bool {
    id.strip_prefix(['C', 'c']).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A cell, or nothing when it is empty or a "no value" marker ([`values::is_missing`]).
#[inline]
fn present(cell: &str) -> &str {
    if values::is_missing(cell) {
        ""
    } else {
        cell
    }
}

/// The text of column `col` of a row, trimmed; empty when it is missing or a "no value" marker.
fn text_at(row: &dyn Row, col: usize) -> &str {
    present(trim_with(row.get(col).unwrap_or(""), char::is_whitespace))
}

/// Whether a cell holds nothing but white space (a visible first byte answers at once).
#[inline]
fn is_empty_cell(cell: &str) -> bool {
    !cell.as_bytes().first().is_some_and(u8::is_ascii_graphic) && cell.trim().is_empty()
}

/// Money from arithmetic, rounded to a millionth: `6 × 2.55` is 15.3, not 15.299999999999999.
fn money(v: f64) -> f64 {
    (v * 1e6).round() / 1e6 + 0.0
}

impl RowReader {
    pub(crate) fn new(plan: &Plan) -> Self {
        let mapping = &plan.mapping;
        let has = |r: Role| mapping.contains_key(&r);
        let money = has(Role::Amount) || has(Role::UnitPrice);
        let dataset = Dataset {
            day: has(Role::Date).then(Vec::new),
            amount: money.then(Vec::new),
            order: has(Role::OrderId).then(OrderIds::default),
            channel: has(Role::Channel).then(Categorical::default),
            category: has(Role::Category).then(Categorical::default),
            member_level: has(Role::MemberLevel).then(Categorical::default),
            score: has(Role::Score).then(Vec::new),
            comments: has(Role::Comment).then(Vec::new),
            ..Dataset::default()
        };
        Self {
            names: plan.names.clone(),
            cols: mapping.iter().map(|(&r, &i)| (r, i)).collect(),
            date_order: if plan.date_provisional { DateOrder::Ymd } else { plan.date_order },
            decimal_mark: plan.decimal_mark,
            dataset,
            rejected: Vec::new(),
            rows: 0,
            currencies: BTreeMap::new(),
            tally: Tally::default(),
            survey: plan.survey,
            amount_from: plan.amount_from,
            cancel_prefix: plan.cancel_prefix,
            date_provisional: plan.date_provisional,
            zero_is_guest: plan.zero_is_guest,
            exclude_statuses: plan.exclude_statuses.clone(),
            amount_col: mapping.get(&Role::Amount).copied(),
            order_col: mapping.get(&Role::OrderId).copied(),
            status_col: mapping.get(&Role::OrderStatus).copied(),
            held: Held::default(),
            recent: Default::default(),
        }
    }

    /// Interns the customer ids still held: to be called once the rows are read, before the
    /// dataset is used.
    pub(crate) fn flush(&mut self) {
        let ds = &mut self.dataset;
        ds.customers.intern_held(&mut self.held, &mut ds.customer);
    }

    /// Makes room for about `rows` rows, so that the columns do not grow by doubling and copying:
    /// fewer copies, and a tenth of the memory high-water mark on big files. Room reserved but not
    /// used is never written, so the browser does not back it with memory.
    pub(crate) fn reserve(&mut self, rows: usize) {
        // Where the room cannot be had (a browser tab's memory is limited), columns grow as they go.
        fn room<T>(column: Option<&mut Vec<T>>, rows: usize) {
            if let Some(v) = column {
                let _ = v.try_reserve(rows);
            }
        }
        let ds = &mut self.dataset;
        room(Some(&mut ds.customer), rows);
        room(ds.day.as_mut(), rows);
        room(ds.amount.as_mut(), rows);
        room(ds.score.as_mut(), rows);
        room(ds.order.as_mut().map(|o| &mut o.keys), rows);
        for c in [&mut ds.channel, &mut ds.category, &mut ds.member_level].into_iter().flatten() {
            room(Some(&mut c.codes), rows);
        }
    }

    fn reject(&mut self, pos: Position, col: usize, value: &str, (code, reason): (&'static str, String)) {
        self.rejected.push(Rejection {
            row: pos.line,
            column: <[String]>::get(&self.names, col).cloned().unwrap_or_else(|| format!("column {}", col + 1)),
            value: quote(value),
            reason,
            code: code.to_string(),
        });
    }

    /// The row's amount as well as it can be read, for the tally of a row left out (0 when it
    /// cannot be).
    fn rough_amount(&self, row: &dyn Row) -> f64 {
        let number = |role: Role| {
            let col = self.cols.iter().find(|(r, _)| *r == role).map(|&(_, c)| c)?;
            values::parse_amount(present(row.get(col)?), self.decimal_mark).ok().map(|a| a.value)
        };
        self.amount_from.line(number(Role::Amount), number(Role::Quantity), number(Role::UnitPrice)).unwrap_or(0.0)
    }

    /// Reads a date while the date order is open: `a/b/yyyy` with a part over 12 settles it (and is
    /// counted), one with both parts 12 or under is read month first and marked undecided.
    fn provisional_date(&mut self, cell: &str, line: u64, p: &mut Parsed) -> Result<values::Day, values::DateError> {
        match values::parse_date(cell, DateOrder::Ymd) {
            Err(values::DateError::Ambiguous) => {
                p.undecided = true;
                values::parse_date(cell, DateOrder::Mdy)
            }
            Ok(day) => {
                let seen = match values::detect_date_order(std::iter::once(cell)) {
                    (DateOrder::Dmy, false) => &mut self.tally.day_first,
                    (DateOrder::Mdy, false) => &mut self.tally.month_first,
                    _ => return Ok(day),
                };
                *seen += 1;
                if self.tally.settled_by.is_none() {
                    self.tally.settled_by = Some((line, cell.trim().to_string()));
                }
                Ok(day)
            }
            Err(e) => Err(e),
        }
    }

    /// The order (fingerprint) a row belongs to when it is an order's further line: no amount of
    /// its own, an order id, and the amount read from an amount column.
    fn order_line(&self, row: &dyn Row) -> Option<u64> {
        let (AmountFrom::Amount, Some(ac), Some(oc)) = (self.amount_from, self.amount_col, self.order_col) else { return None };
        if row.len() <= ac || !is_empty_cell(present(row.get(ac).unwrap_or(""))) {
            return None;
        }
        let order = text_at(row, oc);
        (!order.is_empty()).then(|| crate::core::dataset::order_key(order))
    }

    /// Takes back the count of a row's status (the row turned out to be an order's further line).
    fn uncount_status(&mut self, row: &dyn Row) {
        if let Some(sc) = self.status_col {
            let status = text_at(row, sc);
            if let Some(entry) = self.tally.statuses.iter_mut().find(|s| s.status == status) {
                entry.rows -= 1;
            }
        }
    }

    pub(crate) fn read(&mut self, pos: Position, row: &dyn Row, customer_col: Option<usize>) {
        self.rows += 1;
        let id = present(trim_with(customer_col.and_then(|c| row.get(c)).unwrap_or(""), is_blank));
        let id = if self.zero_is_guest && !id.is_empty() && id.bytes().all(|b| b == b'0') { "" } else { id };
        if let (true, Some(customer_col)) = (id.is_empty() && !self.survey, customer_col) {
            if row.len() <= customer_col {
                let reason = format!("the row has {} column(s); the customer id is in column {}", row.len(), customer_col + 1);
                self.reject(pos, customer_col, row.get(customer_col).unwrap_or(""), ("row_too_short", reason));
                return;
            }
        }
        if id.len() > MAX_ID_CHARS && id.chars().count() > MAX_ID_CHARS {
            if let Some(customer_col) = customer_col {
                let n = id.chars().count();
                let reason = format!("customer id is {n} characters long; ids longer than {MAX_ID_CHARS} are not accepted");
                self.reject(pos, customer_col, id, ("id_too_long", reason));
                return;
            }
        }
        // Statuses that mean no sale leave the row out before anything else is asked of it (a
        // closed, unpaid order has no payment time).
        if let Some(sc) = self.status_col {
            let status = text_at(row, sc);
            let amount = self.rough_amount(row);
            let exclude = &self.exclude_statuses;
            let entry = self.tally.status(status, |s| match exclude {
                Some(list) => list.iter().any(|x| x.trim() == s),
                None => tally::excluded_by_default(s),
            });
            entry.rows += 1;
            entry.amount += amount;
            if entry.excluded {
                if let Some(oc) = self.order_col {
                    let order = text_at(row, oc);
                    if !order.is_empty() {
                        self.tally.excluded_orders.push(crate::core::dataset::order_key(order));
                    }
                }
                return;
            }
        }
        let mut p = Parsed { score: NO_SCORE, ..Parsed::default() };
        for k in 0..self.cols.len() {
            let (role, col) = self.cols[k];
            let raw = row.get(col).unwrap_or("");
            let cell = present(raw);
            let result: Result<(), (&'static str, String)> = match role {
                Role::CustomerId | Role::OrderStatus => Ok(()),
                Role::Date => {
                    let parsed = if self.date_provisional {
                        self.provisional_date(cell, pos.line, &mut p)
                    } else {
                        values::parse_date(cell, self.date_order)
                    };
                    parsed.map(|d| p.day = d).map_err(|e| {
                        if row.len() <= col {
                            ("row_too_short", format!("the row has {} column(s); the date is in column {}", row.len(), col + 1))
                        } else {
                            (e.code(), e.to_string())
                        }
                    })
                }
                Role::Amount if self.amount_from != AmountFrom::Amount => Ok(()),
                Role::UnitPrice if self.amount_from == AmountFrom::Amount => Ok(()),
                Role::Amount | Role::UnitPrice => match values::parse_amount(cell, self.decimal_mark) {
                    Ok(a) => {
                        if role == Role::Amount {
                            p.amount = a.value;
                        } else {
                            p.price = a.value;
                        }
                        if let Some(c) = a.currency {
                            *self.currencies.entry(std::borrow::Cow::Borrowed(c)).or_default() += 1;
                        }
                        Ok(())
                    }
                    Err(e) if role == Role::Amount => Err((e.code(), e.to_string())),
                    Err(values::AmountError::Empty) => Err(("unit_price_empty", "unit price is empty".into())),
                    Err(e) => Err(("unit_price_invalid", format!("unit price: {e}"))),
                },
                Role::Quantity => {
                    let needed = self.amount_from == AmountFrom::QuantityTimesUnitPrice;
                    match values::parse_amount(cell, self.decimal_mark) {
                        Ok(q) => {
                            p.quantity = Some(q.value);
                            Ok(())
                        }
                        Err(_) if needed && cell.trim().is_empty() => {
                            Err(("quantity_empty", "quantity is empty (the amount is quantity × unit price)".into()))
                        }
                        Err(_) if needed => Err(("quantity_invalid", "quantity is not a number".into())),
                        Err(_) => {
                            if !cell.trim().is_empty() {
                                self.tally.leave_out(role, pos.line, cell);
                            }
                            Ok(())
                        }
                    }
                }
                Role::RefundAmount if is_empty_cell(cell) => Ok(()),
                Role::RefundAmount => match values::parse_amount(cell, self.decimal_mark) {
                    Ok(a) => {
                        p.refund = a.value.abs();
                        Ok(())
                    }
                    Err(e) => Err(("refund_invalid", format!("refund amount: {e}"))),
                },
                Role::Score if is_empty_cell(cell) => {
                    if self.survey {
                        self.tally.no_answer += 1;
                    }
                    Ok(())
                }
                Role::Score => {
                    match parse_score(cell) {
                        Ok(s) => p.score = s,
                        // One unreadable answer does not make the row's purchase unreadable.
                        Err(_) => self.tally.leave_out(role, pos.line, cell),
                    }
                    Ok(())
                }
                Role::OrderId | Role::Channel | Role::Category | Role::MemberLevel | Role::Comment => {
                    let slot = match role {
                        Role::OrderId => 0,
                        Role::Channel => 1,
                        Role::Category => 2,
                        Role::MemberLevel => 3,
                        _ => 4,
                    };
                    p.texts[slot] = trim_with(cell, char::is_whitespace);
                    Ok(())
                }
            };
            if let Err(reason) = result {
                // An order's further line where the order's amount is on its first line only
                // (Shopify): not rejected, not counted again; checked against the orders once all
                // rows are read. Asked only of rows that fail, so that good rows pay nothing.
                if let Some(order) = self.order_line(row) {
                    self.uncount_status(row);
                    self.tally.order_lines.push((order, pos.line));
                    return;
                }
                self.reject(pos, col, raw, reason);
                return;
            }
        }
        // Quantity × unit price only reaches here with a quantity (a row without one is rejected).
        p.amount = self.amount_from.line(Some(p.amount), p.quantity, Some(p.price)).unwrap_or(0.0);
        if self.cancel_prefix && is_cancellation(p.texts[0]) {
            // A cancellation invoice returns what was bought: never an order.
            p.amount = -p.amount.abs();
            self.tally.cancellations += 1;
        }
        if p.refund > 0.0 {
            let gross = p.amount;
            p.amount = money(gross - p.refund);
            if gross > 0.0 && p.amount <= 0.0 {
                self.tally.refunded_rows += 1;
                // Wholly refunded: not an order. Its net zero is written −0, the sign that marks a
                // row as no purchase (see `customers`), so that a free order (+0) still counts.
                if p.amount == 0.0 {
                    p.amount = -0.0;
                }
            }
        }
        if id.is_empty() && !self.survey {
            self.tally.guest_rows += 1;
            self.tally.guest_amount += p.amount;
            self.tally.guest_lines.push(pos.line);
            return;
        }
        let ds = &mut self.dataset;
        let index = ds.customer.len() as u32;
        if id.is_empty() {
            ds.customer.push(MISSING);
        } else {
            ds.customers.hold(&mut self.held, index, id);
            ds.customer.push(HELD);
            if self.held.len() >= Held::BATCH {
                ds.customers.intern_held(&mut self.held, &mut ds.customer);
            }
        }
        if p.undecided {
            self.tally.undecided_rows.push(index);
        }
        if let Some(v) = ds.day.as_mut() {
            v.push(p.day);
        }
        if let Some(v) = ds.amount.as_mut() {
            v.push(p.amount);
        }
        if let Some(v) = ds.score.as_mut() {
            v.push(p.score);
        }
        if let Some(order) = ds.order.as_mut() {
            order.push(p.texts[0]);
        }
        let columns = [&mut ds.channel, &mut ds.category, &mut ds.member_level];
        for ((slot, text), recent) in columns.into_iter().zip(&p.texts[1..]).zip(&mut self.recent) {
            if let Some(c) = slot.as_mut() {
                c.push_recent(text, recent);
            }
        }
        if let (Some(v), comment) = (ds.comments.as_mut(), p.texts[4]) {
            if !comment.is_empty() {
                v.push((index, comment.to_string()));
            }
        }
    }
}

/// An NPS answer: a whole number 0–10; empty means not surveyed.
fn parse_score(cell: &str) -> Result<u8, String> {
    let c = cell.trim();
    if c.is_empty() {
        return Ok(NO_SCORE);
    }
    match c.parse::<f64>() {
        Ok(v) if !v.is_finite() => Err(format!("score '{c}' is not a number 0–10")),
        Ok(v) if v.fract() != 0.0 => Err(format!("score {c} is not a whole number 0–10")),
        Ok(v) if !(0.0..=10.0).contains(&v) => Err(format!("score {c} is outside 0–10")),
        Ok(v) => Ok(v as u8),
        Err(_) => Err(format!("score '{c}' is not a number 0–10")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out at most `step` bytes per read.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(out.len()).min(self.bytes.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// `bytes` read by [`ingest_stream`] from a reader handing out `step` bytes at a time after
    /// `prefix`; pushed in `step` bytes at a time by hand ([`ingest_pushed`], as the worker does),
    /// they must give the same.
    fn streamed(bytes: &[u8], prefix: usize, step: usize, opts: &IngestOptions) -> Result<Streamed, IngestError> {
        let prefix = prefix.min(bytes.len());
        let mut rest = Trickle { bytes: &bytes[prefix..], step };
        let streamed = ingest_stream(&bytes[..prefix], &mut rest, bytes.len() as u64, "f.csv", opts, None, &mut |_, _| {});
        let pushed =
            ingest_pushed(&bytes[..prefix], bytes.len() as u64, "f.csv", opts, None, &mut |_, _| {}).map(|begun| match begun {
                Begun::Whole => Streamed::Whole,
                Begun::Pushing(mut pushed) => {
                    for chunk in bytes[prefix..].chunks(step.max(1)) {
                        if !pushed.push(chunk, &mut |_, _| {}) {
                            break;
                        }
                    }
                    pushed.finish(&mut |_, _| {})
                }
            });
        assert_eq!(format!("{pushed:?}"), format!("{streamed:?}"), "pushed and streamed differ (prefix {prefix}, step {step})");
        streamed
    }

    /// A sample file (Chinese text in several columns), with `extra` appended.
    fn sample_with(customers: usize, extra: &[u8]) -> Vec<u8> {
        let mut bytes = Vec::new();
        crate::core::sample::write_sample(customers, 7, &mut bytes).unwrap();
        bytes.extend_from_slice(extra);
        bytes
    }

    #[test]
    fn a_streamed_file_reads_exactly_as_the_whole_file() {
        let mut bytes = sample_with(600, "\n\n00000001,bad,2024-01-01,x,1,线上商城,电视,普通,,\"多行\n评论\"\r\n".as_bytes());
        bytes.splice(0..0, b"\xEF\xBB\xBF".iter().copied());
        let opts = IngestOptions::default();
        let whole = ingest(&bytes, "f.csv", &opts, &mut |_, _| {}).unwrap();
        assert!(whole.report.rows > 4000 && whole.report.rows_rejected > 0 && whole.report.bom);
        // Prefixes that cut characters and rows; reads of 1 byte (every character split) to 64 KiB.
        for (prefix, step) in [(bytes.len(), 1), (200_001, 1), (200_000, 7), (150_003, 4096), (300_000, 65536)] {
            match streamed(&bytes, prefix, step, &opts).unwrap() {
                Streamed::Read(i) => assert_eq!(*i, whole, "prefix {prefix}, reads of {step}"),
                other => panic!("prefix {prefix}: not streamed: {other:?}"),
            }
        }
    }

    #[test]
    fn files_that_need_reading_whole_are_left_to_ingest() {
        let opts = IngestOptions::default();
        // A line in GBK, NUL padding, after the prefix; a prefix too short for the first rows.
        let gbk = sample_with(600, b"\n00000001,O1,2024-01-01,12,1,\xCF\xDF\xC9\xCF,x,y,,\n");
        let nul = sample_with(600, b"\n00000001,O1,2024-01-01,12,1,a\0,x,y,,\n");
        // A character cut in two by a delimiter (each half UTF-8 with the other, not alone), and
        // a file that ends inside a character.
        let cut = sample_with(600, b"\n00000001,O1,2024-01-01,12,1,\xE5,\xAE\xA2,y,,\n");
        let unfinished = sample_with(600, b"\n00000001,O1,2024-01-01,12,1,a,x,\xE5\xAE");
        for bytes in [&gbk, &nul, &cut, &unfinished] {
            assert!(matches!(streamed(bytes, 200_000, 4096, &opts), Ok(Streamed::Whole)));
        }
        assert!(matches!(streamed(&gbk, 2_000, 4096, &opts), Ok(Streamed::Whole)));
        for name in [
            "gbk_orders.csv",
            "utf16le_orders.csv",
            "utf16le_nobom_orders.tsv",
            "whitespace_noheader.txt",
            "orders.xlsx",
            "image.csv",
        ] {
            let bytes = std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            assert!(matches!(streamed(&bytes, bytes.len(), 100, &opts), Ok(Streamed::Whole)), "{name}");
        }
        let forced = IngestOptions { encoding: Some("gbk".into()), ..IngestOptions::default() };
        assert!(matches!(streamed(&sample_with(10, b""), usize::MAX, 100, &forced), Ok(Streamed::Whole)));
    }

    #[test]
    fn every_fixture_that_streams_reads_as_it_does_whole() {
        let dirs = [
            format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR")),
            format!("{}/tests/fixtures/bad", env!("CARGO_MANIFEST_DIR")),
        ];
        let mut streamed_files = 0;
        for dir in dirs {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if !path.is_file() {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let opts = IngestOptions::default();
                let whole = ingest(&bytes, "f.csv", &opts, &mut |_, _| {});
                match (streamed(&bytes, bytes.len(), 3, &opts), whole) {
                    (Ok(Streamed::Whole), _) => continue,
                    (Ok(Streamed::Split(_)), _) => panic!("{}: split without being asked to", path.display()),
                    (Ok(Streamed::Read(i)), Ok(w)) => assert_eq!(*i, w, "{}", path.display()),
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", path.display()),
                    (a, b) => panic!("{}: streamed {a:?}, whole {b:?}", path.display()),
                }
                streamed_files += 1;
            }
        }
        assert!(streamed_files >= 20, "only {streamed_files} fixtures streamed");
    }

    #[test]
    fn a_row_wider_than_a_table_can_be_is_refused_with_its_line() {
        let row = |fields: usize| (0..fields).map(|i| if i == 0 { "c1".to_string() } else { i.to_string() }).collect::<Vec<_>>();
        let text = |fields: usize| format!("customer_id,order_date,amount\nc0,2024-01-05,10.00\n{}\n", row(fields).join(","));
        let opts = IngestOptions::default();
        let err = ingest(text(table::MAX_COLUMNS + 1).as_bytes(), "w.csv", &opts, &mut |_, _| {}).unwrap_err();
        assert_eq!(err, IngestError::TooWide { line: 3 });
        assert_eq!(err.code(), "too_wide");
        // As many fields as Excel has columns is a table (the extra fields of the row are not read).
        let ok = ingest(text(table::MAX_COLUMNS).as_bytes(), "w.csv", &opts, &mut |_, _| {}).unwrap();
        assert_eq!(ok.report.columns.len(), table::MAX_COLUMNS);
    }

    #[test]
    fn trimming_cells_quickly_gives_what_trimming_them_gives() {
        for cell in ["c1", " c1", "c1 ", "c1\u{200b}", "\u{feff}c1", "　客户　", "客户", "a b", "", " ", "\t1\t", "x\u{a0}"]
        {
            assert_eq!(trim_with(cell, is_blank), cell.trim_matches(is_blank), "{cell:?}");
            assert_eq!(trim_with(cell, char::is_whitespace), cell.trim(), "{cell:?}");
        }
    }

    fn run(text: &str) -> Ingested {
        ingest(text.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap()
    }

    #[test]
    fn a_plain_csv_is_read_with_roles_from_its_header() {
        let r =
            run("客户ID,下单时间,实付金额,渠道\n00042,2024-03-05,¥1,12\n00042,2024-03-06,\"¥1,299.00\",app\n7,2024-03-07,5,\n")
                .report;
        assert_eq!(r.format, Format::Csv);
        assert!(r.header);
        assert_eq!(r.rows_accepted, 3);
        assert_eq!(r.totals.customers, 2);
        let id = &r.mapping[&Role::CustomerId];
        assert_eq!((id.column, id.name.as_str()), (1, "客户ID"));
        assert_eq!(id.reason, Reason::Header { name: "客户ID".into() });
        assert_eq!(id.why, "from the header 客户ID");
        assert_eq!(r.mapping[&Role::Channel].column, 4);
        assert_eq!(r.currency.as_deref(), Some("CNY"));
        assert!((r.totals.revenue.unwrap() - 1305.0).abs() < 1e-9);
        assert_eq!(r.totals.date_range.as_ref().map(|d| d.first.as_str()), Some("2024-03-05"));
    }

    #[test]
    fn bad_rows_are_rejected_with_row_column_value_and_reason_and_the_rest_kept() {
        let text = "customer_id,date,amount,score\n1,2024-01-01,10,9\n,2024-01-02,5,\n2,2024-02-30,5,\n3,2024-01-03,12,5x,\n4,2024-01-04,3,11\n5,2024-01-05,3,7.5\n6\n7,2024-01-06,1,N/A\n8,2024-01-07,2,\n9,2024-01-08,x,\n";
        let ing = run(text);
        let r = &ing.report;
        assert_eq!(r.rows, 10);
        // A bad score (an optional column) is left out of its row, never the row; N/A is empty.
        assert_eq!(r.rows_accepted, 6);
        let got: Vec<(u64, &str)> = r.rejected.iter().map(|x| (x.row, x.column.as_str())).collect();
        assert_eq!(got, vec![(4, "date"), (8, "date"), (11, "amount")]);
        assert_eq!(r.rejected[0].reason, "2024-02-30 is not a day in the calendar");
        assert_eq!(r.rejected[0].value, "2024-02-30");
        let codes: Vec<&str> = r.rejected.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(codes, ["date_no_such_day", "row_too_short", "amount_invalid"]);
        assert_eq!(r.cells_left_out.len(), 1);
        let left = &r.cells_left_out[0];
        assert_eq!((left.role, left.cells, left.row, left.value.as_str()), (Role::Score, 3, 5, "5x"));
        // The row without a customer id is a guest order, not a rejection.
        assert_eq!(r.guests.as_ref().map(|g| (g.rows, g.revenue)), Some((1, 5.0)));
        assert_eq!(r.guest_lines, [3]);
        assert_eq!(ing.dataset.score.as_ref().unwrap(), &[9, NO_SCORE, NO_SCORE, NO_SCORE, NO_SCORE, NO_SCORE]);
    }

    #[test]
    fn ids_keep_leading_zeros() {
        let ing = run("customer_id,date,amount\n00042,2024-01-01,1\n42,2024-01-01,1\n");
        assert_eq!(ing.dataset.customers.names(), ["00042", "42"]);
    }

    #[test]
    fn map_overrides_take_names_or_positions() {
        let text = "a,b,c\nx,2024-01-01,3\ny,2024-01-02,4\n";
        let opts = IngestOptions {
            map: vec![MapOverride::parse("customer_id=a").unwrap(), MapOverride::parse("amount=3").unwrap()],
            ..Default::default()
        };
        let r = ingest(text.as_bytes(), "t", &opts, &mut |_, _| {}).unwrap().report;
        assert_eq!(r.mapping[&Role::CustomerId].column, 1);
        assert_eq!(r.mapping[&Role::Amount].column, 3);
        let bad = IngestOptions { map: vec![MapOverride::parse("amount=zzz").unwrap()], ..Default::default() };
        assert!(matches!(ingest(text.as_bytes(), "t", &bad, &mut |_, _| {}), Err(IngestError::UnknownColumn { .. })));
        assert!(MapOverride::parse("colour=1").is_err());
        assert!(MapOverride::parse("amount").is_err());
    }

    #[test]
    fn unusable_files_get_one_clear_error() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "empty"),
            (b"   \n\n", "empty"),
            (b"\xEF\xBB\xBF", "empty"),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG"),
            (b"\0\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18", "binary"),
            (b"PK\x03\x04garbage that is not a zip", "zip"),
        ];
        for (bytes, want) in cases {
            let err = ingest(bytes, "x.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap_err();
            assert!(err.to_string().contains(want), "{want}: {err}");
        }
    }

    #[test]
    fn a_file_of_only_decimals_has_no_customer_column() {
        let err = ingest(b"1.5,2.5\n3.5,4.5\n", "x.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap_err();
        assert!(matches!(err, IngestError::NoCustomerColumn { .. }), "{err:?}");
    }

    #[test]
    fn title_lines_above_the_header_are_skipped() {
        let r = run("订单报表 2024年\n客户ID,日期,金额\nA,2024-01-01,3\nB,2024-01-02,4\n").report;
        assert!(r.header);
        assert_eq!(r.rows_accepted, 2);
        assert_eq!(r.columns[0].name, "客户ID");
    }

    #[test]
    fn scores_must_be_whole_numbers_from_zero_to_ten() {
        assert_eq!(parse_score("10"), Ok(10));
        assert_eq!(parse_score("0"), Ok(0));
        assert_eq!(parse_score(""), Ok(NO_SCORE));
        for bad in ["11", "-1", "7.5", "N/A", "NaN"] {
            assert!(parse_score(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rejections_export_as_csv() {
        let csv = crate::core::export::rejections_csv(&[Rejection {
            row: 3,
            column: "金额".into(),
            value: "1,2x".into(),
            reason: "not a number".into(),
            code: "amount_invalid".into(),
        }]);
        assert_eq!(csv, "row,column,value,reason,code\n3,金额,\"1,2x\",not a number,amount_invalid\n");
    }
}
